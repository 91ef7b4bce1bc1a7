package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.errors.ErrorClassifier;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import io.streamoffload.connect.dynamodb.util.Pools;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The pacing both writers share, so that a batch of puts and a chain of updates meet DynamoDB's throttling the same
 * way: the threads their calls run on, how many calls are in flight ({@link AdaptiveConcurrency}, which every answer
 * adjusts), and how long a write may keep being retried (jittered backoff within the retry budget).
 */
final class PacedCalls implements AutoCloseable {
    private final String name;
    private final ExecutorService executor;
    private final AdaptiveConcurrency concurrency;
    private final Backoff backoff;
    private final Duration budget;
    private final Clock clock;
    private final Sleeper sleeper;
    private final SinkTaskMetrics metrics;

    /**
     * @param name        who makes the calls, for thread names and messages (e.g. "DynamoDB batch writer")
     * @param maxInFlight the most calls in flight, which throttling lowers and calls taken whole raise back
     */
    PacedCalls(String name, int maxInFlight, Backoff backoff, Duration budget, Clock clock, Sleeper sleeper,
               SinkTaskMetrics metrics) {
        this.name = name;
        this.executor = Pools.fixed(name.toLowerCase().replace(' ', '-'), maxInFlight);
        this.concurrency = new AdaptiveConcurrency(maxInFlight);
        this.backoff = backoff;
        this.budget = budget;
        this.clock = clock;
        this.sleeper = sleeper;
        this.metrics = metrics;
        metrics.concurrencyGauge(() -> concurrency.limitPercent() / 100.0);
    }

    /** When writes started now must have ended, durable or pending. */
    long deadline() {
        return clock.millis() + budget.toMillis();
    }

    Clock clock() {
        return clock;
    }

    <T> Future<T> submit(Callable<T> work) {
        return executor.submit(work);
    }

    /**
     * Makes one call once the calls in flight allow it. Its answer adjusts them: {@code signalOf} reads a response;
     * throttling lowers the limit, and a failed condition counts as taken (the table accepted the call; the item was
     * newer).
     *
     * @param writes how many writes the call carries, for the call metrics
     */
    <T> T call(int writes, Supplier<T> call, Function<T, AdaptiveConcurrency.Signal> signalOf)
            throws InterruptedException {
        long started = concurrency.acquire();
        AdaptiveConcurrency.Signal signal = AdaptiveConcurrency.Signal.NEUTRAL;
        try {
            T response = call.get();
            signal = signalOf.apply(response);
            return response;
        } catch (SdkException e) {
            if (ErrorClassifier.isThrottling(e)) {
                signal = AdaptiveConcurrency.Signal.THROTTLED;
            } else if (ErrorClassifier.isConditionFailed(e)) {
                signal = AdaptiveConcurrency.Signal.TOOK_ALL;
            }
            throw e;
        } finally {
            concurrency.release(started, signal);
            metrics.batchCall(writes, (System.nanoTime() - started) / 1_000_000);
        }
    }

    /**
     * Waits out the backoff before retry {@code attempt + 1}.
     *
     * @return false, without waiting, when the retry could not start before the deadline: the writes stay pending
     */
    boolean backOff(int attempt, long deadline) throws InterruptedException {
        Duration delay = backoff.delay(attempt);
        if (clock.millis() + delay.toMillis() >= deadline) {
            return false;
        }
        sleeper.sleep(delay);
        return true;
    }

    @Override
    public void close() {
        Pools.shutdown(executor, name);
    }
}
