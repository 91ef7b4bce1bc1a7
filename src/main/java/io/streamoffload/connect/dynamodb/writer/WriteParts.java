package io.streamoffload.connect.dynamodb.writer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.connect.errors.ConnectException;

/** How both writers end a round: every part of it awaited, whatever happens to the others. */
final class WriteParts {
    private WriteParts() {
    }

    /**
     * Waits for every part, even past a failure or an interrupt (each part ends within the retry budget), so that no
     * write is still in flight when this returns or throws; then reports the first failure, if any.
     *
     * @param name who made the writes, for messages (e.g. "DynamoDB batch writer")
     */
    static WriteOutcome awaitAll(String name, List<? extends Future<WriteOutcome>> parts) {
        List<WriteOutcome> outcomes = new ArrayList<>(parts.size());
        RuntimeException fatal = null;
        boolean interrupted = false;
        for (Future<WriteOutcome> part : parts) {
            while (true) {
                try {
                    outcomes.add(part.get());
                } catch (ExecutionException | CancellationException e) {
                    if (fatal == null) {
                        Throwable cause = e instanceof ExecutionException ? AsyncCalls.unwrap(e.getCause()) : e;
                        fatal = cause instanceof FatalWriteException f ? f
                                : new ConnectException("Unexpected failure in the " + name, cause);
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
            throw new ConnectException("Interrupted while waiting for the " + name);
        }
        if (fatal != null) {
            throw fatal;
        }
        return WriteOutcome.all(outcomes);
    }
}
