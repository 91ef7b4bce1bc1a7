package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.errors.ErrorClassifier;
import io.streamoffload.connect.dynamodb.errors.OriginalCoordinates;
import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import io.streamoffload.connect.dynamodb.offload.store.UploadFailedException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The gate every write passes before it is sent: the S3 objects its item names must be durable. */
final class StoredObjects {
    private StoredObjects() {
    }

    /**
     * Waits until the write's objects are durable or the deadline passes.
     *
     * @return empty when they are durable; else why the write must wait for a later attempt
     * @throws FatalWriteException when an upload failed in a way no retry can fix
     */
    static Optional<String> await(WriteOperation write, long deadline, Clock clock) throws InterruptedException {
        try {
            write.stored().get(Math.max(0, deadline - clock.millis()), TimeUnit.MILLISECONDS);
            return Optional.empty();
        } catch (TimeoutException e) {
            return Optional.of("the S3 objects of " + OriginalCoordinates.describe(write.record()) + " were not stored in time");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UploadFailedException upload && upload.isFatal()) {
                throw new FatalWriteException(upload.getMessage(), upload);
            }
            return Optional.of(ErrorClassifier.describe(e.getCause()));
        }
    }

    /**
     * The same without a thread waiting: completes with empty when the write's objects are durable, with why the write
     * must wait for a later attempt when they are not by the deadline, and exceptionally with
     * {@link FatalWriteException} when an upload failed in a way no retry can fix.
     */
    static CompletableFuture<Optional<String>> whenStored(WriteOperation write, long deadline, Clock clock) {
        if (write.stored().isDone() && !write.stored().isCompletedExceptionally()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        // a copy: the timeout must not fail the future other writes of the same objects wait on
        return write.stored().copy().orTimeout(Math.max(0, deadline - clock.millis()), TimeUnit.MILLISECONDS)
                .handle((done, error) -> {
                    if (error == null) {
                        return Optional.<String>empty();
                    }
                    Throwable cause = AsyncCalls.unwrap(error);
                    if (cause instanceof TimeoutException) {
                        return Optional.of("the S3 objects of " + OriginalCoordinates.describe(write.record())
                                + " were not stored in time");
                    }
                    if (cause instanceof UploadFailedException upload && upload.isFatal()) {
                        throw new FatalWriteException(upload.getMessage(), upload);
                    }
                    return Optional.of(ErrorClassifier.describe(cause));
                });
    }
}
