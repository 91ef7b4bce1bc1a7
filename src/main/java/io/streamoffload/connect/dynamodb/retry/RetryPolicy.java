package io.streamoffload.connect.dynamodb.retry;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How every AWS call the connector makes is retried: jittered exponential backoff, for at most the retry budget
 * from the first attempt. One policy for the writers, the object store and the table checks, so that a throttled or
 * failing service is ridden out for the same time whichever call meets it.
 */
public final class RetryPolicy {
    private final Backoff backoff;
    private final Duration budget;
    private final Clock clock;
    private final Sleeper sleeper;

    public RetryPolicy(Backoff backoff, Duration budget, Clock clock, Sleeper sleeper) {
        this.backoff = backoff;
        this.budget = budget;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** When work started now must have ended, done or given up. */
    public long deadline() {
        return clock.millis() + budget.toMillis();
    }

    public Duration budget() {
        return budget;
    }

    public Clock clock() {
        return clock;
    }

    /** How the policy waits; also for other waits that tests must be able to skip. */
    public Sleeper sleeper() {
        return sleeper;
    }

    /**
     * Waits out the backoff before retry {@code attempt + 1} (0 for the first retry).
     *
     * @return false, without waiting, when that retry could not start before {@code deadline}
     */
    public boolean backOff(int attempt, long deadline) throws InterruptedException {
        Optional<Duration> delay = delayBefore(attempt, deadline);
        if (delay.isEmpty()) {
            return false;
        }
        sleeper.sleep(delay.get());
        return true;
    }

    /**
     * The backoff before retry {@code attempt + 1} without a thread waiting it out: completes with false, at once,
     * when that retry could not start before {@code deadline}; else with true once the backoff has passed (on
     * {@code timer}; a test's sleeper passes it at once).
     */
    public CompletableFuture<Boolean> backOff(int attempt, long deadline, ScheduledExecutorService timer) {
        Optional<Duration> delay = delayBefore(attempt, deadline);
        if (delay.isEmpty()) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> waited = new CompletableFuture<>();
        if (sleeper != Sleeper.THREAD) {
            try {
                sleeper.sleep(delay.get());
                waited.complete(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                waited.completeExceptionally(e);
            }
            return waited;
        }
        timer.schedule(() -> waited.complete(true), delay.get().toNanos(), TimeUnit.NANOSECONDS);
        return waited;
    }

    private Optional<Duration> delayBefore(int attempt, long deadline) {
        Duration delay = backoff.delay(attempt);
        return clock.millis() + delay.toMillis() >= deadline ? Optional.empty() : Optional.of(delay);
    }
}
