package io.streamoffload.connect.dynamodb.writer;

/**
 * Whether the calls in flight that {@link AdaptiveConcurrency} gave back for latency cost throughput. Latency climbs
 * with the calls in flight for two reasons: a server queueing them, where fewer calls in flight lose nothing, and the
 * worker's own CPU, busy with the calls, where fewer lose throughput (the calls overlapped their wait at the server).
 * Latency alone cannot tell the two apart; throughput can. The calls completed are counted in epochs of a few rounds;
 * from the first decrease for latency on, each epoch's rate is compared with the rate before it, and if it fell below
 * {@link #KEPT} of that, the limit goes back to where it was and latency may not lower it again for a while.
 *
 * <p>Not thread-safe: {@link AdaptiveConcurrency} calls it under its lock.
 */
final class ThroughputCheck {
    /** The share of the throughput before that giving back calls in flight must keep. */
    static final double KEPT = 0.9;
    /** How long latency may not lower the limit after that cost throughput (until the next floor probe or so). */
    static final long HOLD_NANOS = 10_000_000_000L;
    private static final int MIN_EPOCH_CALLS = 50;
    private static final int ROUNDS_PER_EPOCH = 4;

    private long epochStart;
    private int epochCalls;
    private boolean decreasedInEpoch;
    private double lastRate = Double.NaN;
    private double rateBefore = Double.NaN;
    private double limitBefore = Double.NaN;
    private long heldUntil = Long.MIN_VALUE;

    ThroughputCheck(long now) {
        epochStart = now;
    }

    /** Whether latency may lower the limit now. */
    boolean mayDecrease(long now) {
        return now >= heldUntil;
    }

    /** Latency is lowering the limit from {@code limit}: the first decrease remembers what it was, and the rate. */
    void decreasing(double limit) {
        decreasedInEpoch = true;
        if (Double.isNaN(rateBefore) && !Double.isNaN(lastRate)) {
            rateBefore = lastRate;
            limitBefore = limit;
        }
    }

    /** DynamoDB throttled: what the rate does next is the table's doing, and a decrease it makes is never undone. */
    void throttled() {
        rateBefore = Double.NaN;
    }

    /**
     * One call ended.
     *
     * @return the limit to go back to, when the decreases since the last check cost throughput; else NaN
     */
    double ended(long now, double limit) {
        if (++epochCalls < Math.max(MIN_EPOCH_CALLS, ROUNDS_PER_EPOCH * limit) || now <= epochStart) {
            return Double.NaN;
        }
        double rate = epochCalls / (double) (now - epochStart);
        boolean decreased = decreasedInEpoch;
        epochStart = now;
        epochCalls = 0;
        decreasedInEpoch = false;
        lastRate = rate;
        if (Double.isNaN(rateBefore)) {
            return Double.NaN;
        }
        if (rate < KEPT * rateBefore) {
            double back = limitBefore;
            rateBefore = Double.NaN;
            heldUntil = now + HOLD_NANOS;
            return back;
        }
        if (!decreased) {
            rateBefore = Double.NaN; // a whole epoch at the new limit kept the rate: it stands
        }
        return Double.NaN;
    }
}
