package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.errors.ErrorClassifier;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import io.streamoffload.connect.dynamodb.retry.RetryPolicy;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The pacing of single-item calls without a thread per call in flight: the async client's calls start as
 * {@link AdaptiveConcurrency} admits them and end on the client's own threads, backoffs wait on one timer thread.
 * A thread per call in flight cost about as much CPU as the call itself (see docs/performance.md); the calls in
 * flight, their adaptation to throttling, the retry budget and the call metrics are the same as {@link PacedCalls}'.
 */
final class AsyncCalls implements AutoCloseable {
    private final String name;
    private final AdaptiveConcurrency concurrency;
    private final RetryPolicy retry;
    private final SinkTaskMetrics metrics;
    private final ScheduledExecutorService timer;

    /**
     * @param name        who makes the calls, for thread names and messages (e.g. "DynamoDB item writer")
     * @param maxInFlight the most calls in flight, which throttling lowers and calls taken whole raise back
     */
    AsyncCalls(String name, int maxInFlight, RetryPolicy retry, SinkTaskMetrics metrics) {
        this.name = name;
        this.concurrency = new AdaptiveConcurrency(maxInFlight);
        this.retry = retry;
        this.metrics = metrics;
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, name.toLowerCase().replace(' ', '-') + "-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.timer = timer;
        metrics.itemConcurrencyGauge(() -> concurrency.limitPercent() / 100.0);
    }

    /** When writes started now must have ended, durable or pending. */
    long deadline() {
        return retry.deadline();
    }

    Clock clock() {
        return retry.clock();
    }

    /**
     * Makes one call once the calls in flight allow it. Its answer adjusts them: throttling lowers the limit, a failed
     * condition (or a transaction cancelled for one) counts as taken (the table accepted the call; the item was
     * newer), any other answer taken whole.
     */
    <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> call) {
        return concurrency.admit().thenCompose(pauseNanos -> pauseNanos <= 0 ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(pauseNanos,
                TimeUnit.NANOSECONDS, timer))).thenCompose(ignored -> {
                    long started = System.nanoTime();
                    CompletableFuture<T> response;
                    try {
                        response = call.get();
                    } catch (RuntimeException e) {
                        response = CompletableFuture.failedFuture(e);
                    }
                    return response.whenComplete((answer, error) -> {
                        Throwable cause = unwrap(error);
                        // a transaction cancelled for its writes' conditions was taken as well as one applied
                        boolean taken = cause == null || ErrorClassifier.isConditionFailed(cause)
                                || cause instanceof TransactionCanceledException && !ErrorClassifier.isThrottling(cause);
                        AdaptiveConcurrency.Signal signal = taken ? AdaptiveConcurrency.Signal.TOOK_ALL
                                : ErrorClassifier.isThrottling(cause) ? AdaptiveConcurrency.Signal.THROTTLED
                                : AdaptiveConcurrency.Signal.NEUTRAL;
                        concurrency.release(started, signal);
                        metrics.writeCall(1, (System.nanoTime() - started) / 1_000_000);
                    });
                });
    }

    /** The backoff before retry {@code attempt + 1}: false, at once, when it could not start before the deadline. */
    CompletableFuture<Boolean> backOff(int attempt, long deadline) {
        return retry.backOff(attempt, deadline, timer);
    }

    /** Waits for every part ({@link WriteParts#awaitAll}). */
    WriteOutcome awaitAll(List<CompletableFuture<WriteOutcome>> parts) {
        return WriteParts.awaitAll(name, parts);
    }

    /** What a future failed with, without the wrappers of the stages it passed through. */
    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
