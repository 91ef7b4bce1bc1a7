package io.streamoffload.connect.dynamodb.writer;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.connect.errors.ConnectException;

/** Waiting for the concurrent parts of a round of writes. */
final class Rounds {
    private Rounds() {
    }

    /**
     * Waits for every part, even past a failure or an interrupt (each part ends within the retry budget), so that no
     * write is still in flight when this returns or throws; then reports the first failure, if any.
     */
    static WriteOutcome awaitAll(List<Future<WriteOutcome>> parts, String what) {
        WriteOutcome outcome = WriteOutcome.NONE;
        RuntimeException fatal = null;
        boolean interrupted = false;
        for (Future<WriteOutcome> part : parts) {
            while (true) {
                try {
                    outcome = outcome.and(part.get());
                } catch (ExecutionException | CancellationException e) {
                    if (fatal == null) {
                        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                        fatal = cause instanceof FatalWriteException f ? f
                                : new ConnectException("Unexpected failure in a " + what, cause);
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                    continue;
                }
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while waiting for a " + what);
        }
        if (fatal != null) {
            throw fatal;
        }
        return outcome;
    }
}
