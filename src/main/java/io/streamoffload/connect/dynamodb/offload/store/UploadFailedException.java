package io.streamoffload.connect.dynamodb.offload.store;

/** An object could not be stored; {@link #isFatal()} says whether retrying later can help. */
public class UploadFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean fatal;

    public UploadFailedException(String message, boolean fatal, Throwable cause) {
        super(message, cause);
        this.fatal = fatal;
    }

    public boolean isFatal() {
        return fatal;
    }
}
