package io.streamoffload.connect.dynamodb.errors;

import org.apache.kafka.connect.sink.SinkRecord;

/** How records are named in messages: topic/partition/offset, as the worker consumed them. */
public final class RecordCoordinates {
    private RecordCoordinates() {
    }

    public static String of(SinkRecord record) {
        return "record " + OriginalCoordinates.topic(record) + "/" + OriginalCoordinates.partition(record) + "/"
                + OriginalCoordinates.offset(record);
    }
}
