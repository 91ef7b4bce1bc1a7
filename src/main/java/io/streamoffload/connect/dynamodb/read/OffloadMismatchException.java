package io.streamoffload.connect.dynamodb.read;

/** An object decompressed fine but its size or SHA-256 is not what its pointer says: it holds other content. */
public class OffloadMismatchException extends OffloadIntegrityException {
    private static final long serialVersionUID = 1L;

    public OffloadMismatchException(String message) {
        super(message);
    }
}
