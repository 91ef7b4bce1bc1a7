package io.streamoffload.connect.dynamodb.read;

/** An offloaded object does not hold what its pointer says: never returned as data. */
public class OffloadIntegrityException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OffloadIntegrityException(String message) {
        super(message);
    }

    public OffloadIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
