package io.streamoffload.connect.dynamodb.writer;

import java.util.List;

/**
 * How many DynamoDB calls a task keeps in flight, up to {@code max.concurrent.batches} ({@code
 * max.concurrent.item.writes} for single-item writes): 20% fewer when DynamoDB throttles, as TCP and Flink's DynamoDB
 * sink adapt theirs, and 0.8% more per round of calls in flight that it took whole (per call, 0.8% of one call in
 * flight's worth, however many are in flight; below one call in flight, 0.8% per call). Growing back slowly, in time
 * rather than in calls, is what keeps throttling rare: with four single-item calls in flight as with thirty, about 30
 * rounds go through between two throttled ones, while the rate stays within a fifth of what the table takes. Backing
 * off each throttled call alone would send as many calls as before once the backoff ends, and most would be throttled again; fewer calls in flight bring the rate down to what the table
 * takes. Below one call in flight the limit is a duty cycle: a limit of 0.25 leaves three call durations of pause after
 * each call. Several calls throttled by the same overload count once: only a call that started after the last decrease
 * can decrease again.
 *
 * <p>Latency counts too, because a server that slows down under load never throttles: each call taken whole that
 * spent more of its time queueing than its share of a few calls (TCP Vegas' {@code beta}: {@code 6 log10(limit)}
 * calls' worth, estimated by {@link QueueingEstimate}) takes back one call in flight per round of calls; while fewer
 * than {@code alpha} ({@code 3 log10(limit)}) calls queue, the limit grows as above. More calls in flight would only
 * wait longer at the server and cost CPU on the worker; fewer would leave it idle. Latency never lowers the limit
 * below {@code beta} calls, so a small {@code max.concurrent.*} setting (the batches' default of 4) is left as it is,
 * without probes. And since the worker's own CPU, busy with many calls, makes latency climb too, where fewer calls in
 * flight would cost throughput, a decrease for latency that cost throughput is undone ({@link ThroughputCheck}).
 */
public final class AdaptiveConcurrency {
    /** A call waiting to be admitted without a thread of its own: completed with its pause when it may go. */
    private final java.util.ArrayDeque<java.util.concurrent.CompletableFuture<Long>> waiting = new java.util.ArrayDeque<>();
    private static final double MIN_LIMIT = 1.0 / 32;
    private static final double DECREASE = 0.8;
    private static final double INCREASE = 0.008;
    /** Calls queueing at the server below which the limit may grow, and above which it shrinks (times log10 limit). */
    private static final double ALPHA = 3;
    private static final double BETA = 6;

    private final int max;
    private double limit;
    private int inFlight;
    private long lastDecrease = Long.MIN_VALUE;
    /** Recent call duration (exponentially weighted), which sets the pause below one call in flight. */
    private double callNanos;
    private final java.util.function.LongSupplier nanoTime;
    private final QueueingEstimate queueing;
    private final ThroughputCheck throughput;

    /** What a call's answer says about the table's capacity. */
    public enum Signal {
        /** DynamoDB took every write of the call. */
        TOOK_ALL,
        /** The call was throttled, or some of its writes came back unprocessed. */
        THROTTLED,
        /** Anything else: no news about capacity. */
        NEUTRAL
    }

    public AdaptiveConcurrency(int max) {
        this(max, System::nanoTime);
    }

    /** @param nanoTime the clock calls are timed by ({@link System#nanoTime()} but in tests) */
    AdaptiveConcurrency(int max, java.util.function.LongSupplier nanoTime) {
        this.max = max;
        this.limit = max;
        this.nanoTime = nanoTime;
        // at most BETA calls in flight, latency could never lower the limit: no probes for a floor nobody reads
        this.queueing = max > BETA ? new QueueingEstimate(nanoTime.getAsLong()) : null;
        this.throughput = new ThroughputCheck(nanoTime.getAsLong());
    }

    /** Waits until one more call may go, and returns its start, to hand back to {@link #release}. */
    public long acquire() throws InterruptedException {
        long pauseNanos;
        synchronized (this) {
            while (inFlight >= allowed()) {
                wait();
            }
            inFlight++;
            pauseNanos = pauseNanos();
        }
        if (pauseNanos > 0) {
            Thread.sleep(pauseNanos / 1_000_000, (int) (pauseNanos % 1_000_000));
        }
        return nanoTime.getAsLong();
    }

    /**
     * Admits one more call when the calls in flight allow it, without blocking: the future completes (on the thread of
     * the call that makes room) with how long to pause before starting it, in nanoseconds (non-zero only below one call
     * in flight). Calls are admitted in the order they asked.
     */
    public java.util.concurrent.CompletableFuture<Long> admit() {
        synchronized (this) {
            if (waiting.isEmpty() && inFlight < allowed()) {
                inFlight++;
                return java.util.concurrent.CompletableFuture.completedFuture(pauseNanos());
            }
            java.util.concurrent.CompletableFuture<Long> admission = new java.util.concurrent.CompletableFuture<>();
            waiting.add(admission);
            return admission;
        }
    }

    private int allowed() {
        int allowed = Math.max(1, (int) limit);
        return queueing == null ? allowed : queueing.allowed(allowed);
    }

    private long pauseNanos() {
        return limit < 1 ? (long) (callNanos * (1 / limit - 1)) : 0;
    }

    /** A call of one write ended: see {@link #release(long, int, Signal)}. */
    public void release(long started, Signal signal) {
        release(started, 1, signal);
    }

    /**
     * A call ended.
     *
     * @param started what {@link #acquire} returned, or when the admitted call started
     * @param writes  how many writes it carried: latency is compared between calls of the same size
     */
    public void release(long started, int writes, Signal signal) {
        List<java.util.Map.Entry<java.util.concurrent.CompletableFuture<Long>, Long>> admitted = new java.util.ArrayList<>(0);
        synchronized (this) {
            adjust(started, writes, signal);
            while (!waiting.isEmpty() && inFlight < allowed()) {
                inFlight++;
                admitted.add(java.util.Map.entry(waiting.poll(), pauseNanos()));
            }
        }
        // outside the lock: what a completed admission runs next must not hold it
        admitted.forEach(admission -> admission.getKey().complete(admission.getValue()));
    }

    private void adjust(long started, int writes, Signal signal) {
        inFlight--;
        long now = nanoTime.getAsLong();
        callNanos = callNanos == 0 ? now - started : 0.8 * callNanos + 0.2 * (now - started);
        // queueing counted among the calls actually in flight: a limit the task does not fill queues nothing
        double queued = queueing == null ? Double.NaN
                : queueing.ended(now, started, writes, inFlight, signal == Signal.TOOK_ALL) * (inFlight + 1);
        double scale = Math.max(1, Math.log10(limit));
        switch (signal) {
            case TOOK_ALL -> {
                if (queued > BETA * scale) {
                    // unless held, where fewer calls in flight cost throughput a moment ago
                    if (throughput.mayDecrease(now)) {
                        throughput.decreasing(limit);
                        limit = Math.max(BETA * scale, limit - 1 / limit);
                    }
                } else if (!(queued >= ALPHA * scale)) { // NaN (no floor known yet) grows as before
                    limit = Math.min(max, limit * (1 + INCREASE / Math.max(1, limit)));
                }
            }
            case THROTTLED -> {
                if (started > lastDecrease) {
                    limit = Math.max(MIN_LIMIT, limit * DECREASE);
                    lastDecrease = now;
                    throughput.throttled();
                }
            }
            case NEUTRAL -> { }
        }
        if (queueing != null) {
            double back = throughput.ended(now, limit);
            if (!Double.isNaN(back) && back > limit) {
                limit = Math.min(max, back);
            }
        }
        notifyAll();
    }

    /** The calls allowed in flight now, in hundredths (below 100: a duty cycle of one call). */
    public synchronized long limitPercent() {
        return Math.round(limit * 100);
    }
}
