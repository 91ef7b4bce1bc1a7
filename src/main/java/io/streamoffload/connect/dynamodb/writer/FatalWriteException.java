package io.streamoffload.connect.dynamodb.writer;

import org.apache.kafka.connect.errors.ConnectException;

/** A write failed for a reason no retry can fix, such as a missing table or denied access. */
public class FatalWriteException extends ConnectException {
    private static final long serialVersionUID = 1L;

    public FatalWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
