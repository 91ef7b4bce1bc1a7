package io.streamoffload.connect.dynamodb.errors;

import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/** A record that can never be written as it is; the message names the record and the reason. */
public class BadRecordException extends DataException {
    private static final long serialVersionUID = 1L;

    public BadRecordException(SinkRecord record, String reason) {
        super(OriginalCoordinates.describe(record) + ": " + reason);
    }
}
