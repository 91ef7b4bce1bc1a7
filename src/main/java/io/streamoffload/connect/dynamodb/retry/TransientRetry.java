package io.streamoffload.connect.dynamodb.retry;

import io.streamoffload.connect.dynamodb.errors.ErrorClassifier;
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

    private final RetryPolicy policy;

    public TransientRetry(RetryPolicy policy) {
        this.policy = policy;
    }

    /**
     * Returns what {@code call} returns. A failure that is not transient, or a transient one once the budget is spent,
     * is thrown as is, so the caller can classify and describe it.
     */
    public <T> T call(String what, Supplier<T> call) {
        long deadline = policy.deadline();
        for (int attempt = 0; ; attempt++) {
            try {
                return call.get();
            } catch (SdkException e) {
                if (ErrorClassifier.classify(e) != ErrorClassifier.Disposition.RETRY) {
                    throw e;
                }
                try {
                    if (!policy.backOff(attempt, deadline)) {
                        throw e;
                    }
                    log.debug("{} failed ({}); trying again", what, ErrorClassifier.describe(e));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new ConnectException("Interrupted while retrying " + what, e);
                }
            }
        }
    }
}
