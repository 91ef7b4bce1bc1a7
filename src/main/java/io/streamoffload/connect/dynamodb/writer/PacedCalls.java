package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.errors.ErrorClassifier;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import io.streamoffload.connect.dynamodb.retry.RetryPolicy;
import io.streamoffload.connect.dynamodb.util.Pools;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The pacing both writers share, so that a batch of puts and a chain of updates meet DynamoDB's throttling the same
 * way: the threads their calls run on, how many calls are in flight ({@link AdaptiveConcurrency}, which every answer
 * adjusts), and how long a write may keep being retried ({@link RetryPolicy}).
 */
final class PacedCalls implements AutoCloseable {
    private final String name;
    private final ExecutorService executor;
    private final AdaptiveConcurrency concurrency;
    private final RetryPolicy retry;
    private final SinkTaskMetrics metrics;

    /**
     * @param name        who makes the calls, for thread names and messages (e.g. "DynamoDB batch writer")
     * @param maxInFlight the most calls in flight, which throttling lowers and calls taken whole raise back
     */
    PacedCalls(String name, int maxInFlight, RetryPolicy retry, SinkTaskMetrics metrics) {
        this.name = name;
        this.executor = Pools.fixed(name.toLowerCase().replace(' ', '-'), maxInFlight);
        this.concurrency = new AdaptiveConcurrency(maxInFlight);
        this.retry = retry;
        this.metrics = metrics;
        metrics.batchConcurrencyGauge(() -> concurrency.limitPercent() / 100.0);
    }

    /** When writes started now must have ended, durable or pending. */
    long deadline() {
        return retry.deadline();
    }

    Clock clock() {
        return retry.clock();
    }

    /**
     * Runs the parts concurrently and waits for every one ({@link WriteParts#awaitAll}).
     */
    WriteOutcome runAll(List<Callable<WriteOutcome>> work) {
        List<Future<WriteOutcome>> parts = new ArrayList<>(work.size());
        for (Callable<WriteOutcome> part : work) {
            parts.add(executor.submit(part));
        }
        return WriteParts.awaitAll(name, parts);
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
            concurrency.release(started, writes, signal);
            metrics.writeCall(writes, (System.nanoTime() - started) / 1_000_000);
        }
    }

    /**
     * Waits out the backoff before retry {@code attempt + 1}.
     *
     * @return false, without waiting, when the retry could not start before the deadline: the writes stay pending
     */
    boolean backOff(int attempt, long deadline) throws InterruptedException {
        return retry.backOff(attempt, deadline);
    }

    @Override
    public void close() {
        Pools.shutdown(executor, name);
    }
}
