package io.streamoffload.connect.dynamodb.errors;

import io.streamoffload.connect.dynamodb.writer.Backoff;
import io.streamoffload.connect.dynamodb.writer.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Runs a single AWS call again while {@link ErrorClassifier} says its failure is transient, with backoff, for at most
 * the retry budget. SDK retries are off in our clients, so calls outside the batch writer and the object store (table
 * checks, TTL) need this to ride out a throttle or a 5xx rather than fail the connector.
 */
public final class TransientRetry {
    private static final Logger log = LoggerFactory.getLogger(TransientRetry.class);

    private final Backoff backoff;
    private final Duration budget;
    private final Clock clock;
    private final Sleeper sleeper;

    public TransientRetry(Backoff backoff, Duration budget, Clock clock, Sleeper sleeper) {
        this.backoff = backoff;
        this.budget = budget;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * Returns what {@code call} returns. A failure that is not transient, or a transient one once the budget is spent,
     * is thrown as is, so the caller can classify and describe it.
     */
    public <T> T call(String what, Supplier<T> call) {
        long deadline = clock.millis() + budget.toMillis();
        for (int attempt = 0; ; attempt++) {
            try {
                return call.get();
            } catch (SdkException e) {
                Duration delay = backoff.delay(attempt);
                if (ErrorClassifier.classify(e) != ErrorClassifier.Disposition.RETRY
                        || clock.millis() + delay.toMillis() >= deadline) {
                    throw e;
                }
                log.debug("{} failed ({}); trying again in {} ms", what, ErrorClassifier.describe(e), delay.toMillis());
                try {
                    sleeper.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new ConnectException("Interrupted while retrying " + what, e);
                }
            }
        }
    }
}
