package io.streamoffload.connect.dynamodb.retry;

import java.time.Clock;
import java.time.Duration;

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
        Duration delay = backoff.delay(attempt);
        if (clock.millis() + delay.toMillis() >= deadline) {
            return false;
        }
        sleeper.sleep(delay);
        return true;
    }
}
