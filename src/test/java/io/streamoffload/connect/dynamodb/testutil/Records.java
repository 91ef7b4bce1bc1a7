package io.streamoffload.connect.dynamodb.testutil;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;

/** Builds SinkRecords for unit tests. */
public final class Records {
    private Records() {
    }

    public static SinkRecord record(String topic, int partition, long offset, Object key, Object value) {
        return new SinkRecord(topic, partition, key == null ? null : Schema.OPTIONAL_STRING_SCHEMA, key, null, value,
                offset, 1_700_000_000_000L, org.apache.kafka.common.record.TimestampType.CREATE_TIME);
    }

    public static SinkRecord withSchemas(String topic, long offset, Schema keySchema, Object key, Schema valueSchema,
                                         Object value) {
        return new SinkRecord(topic, 0, keySchema, key, valueSchema, value, offset);
    }
}
