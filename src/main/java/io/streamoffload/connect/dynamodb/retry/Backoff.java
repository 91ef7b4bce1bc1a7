package io.streamoffload.connect.dynamodb.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/** Capped exponential backoff with full jitter: attempt n waits uniformly in [0, min(cap, base * 2^n)]. */
public final class Backoff {
    private final long baseMillis;
    private final long capMillis;
    private final LongUnaryOperator random;

    public Backoff(Duration base, Duration cap) {
        this(base, cap, bound -> ThreadLocalRandom.current().nextLong(bound + 1));
    }

    /** @param random returns a value in [0, bound] for a given bound; tests pass a deterministic one */
    public Backoff(Duration base, Duration cap, LongUnaryOperator random) {
        this.baseMillis = Math.max(1, base.toMillis());
        this.capMillis = Math.max(baseMillis, cap.toMillis());
        this.random = random;
    }

    /** The ceiling for a retry attempt (0 for the first retry). */
    public long ceilingMillis(int attempt) {
        int shift = Math.min(attempt, 30);
        return Math.min(capMillis, baseMillis << shift);
    }

    public Duration delay(int attempt) {
        return Duration.ofMillis(random.applyAsLong(ceilingMillis(attempt)));
    }
}
