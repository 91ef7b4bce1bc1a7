package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.errors.ErrorClassifier;
import io.streamoffload.connect.dynamodb.errors.OriginalCoordinates;
import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import io.streamoffload.connect.dynamodb.offload.store.UploadFailedException;
import java.time.Clock;
import java.util.Optional;
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
}
