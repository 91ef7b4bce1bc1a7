package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.errors.ErrorClassifier;
import org.apache.kafka.connect.errors.ConnectException;
import software.amazon.awssdk.core.exception.SdkException;

/** A write failed for a reason no retry can fix, such as a missing table or denied access. */
public class FatalWriteException extends ConnectException {
    private static final long serialVersionUID = 1L;

    public FatalWriteException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A write to {@code table} failed as {@link ErrorClassifier} finds no retry can fix. */
    static FatalWriteException writingTo(String table, SdkException e) {
        return new FatalWriteException("Writing to DynamoDB table " + table + " failed and cannot succeed by "
                + "retrying: " + ErrorClassifier.describe(e), e);
    }
}
