package io.streamoffload.connect.dynamodb.writer;

import java.util.HashMap;
import java.util.Map;

/**
 * How much of a call's latency is spent queueing, as TCP Vegas and gradient concurrency limiters estimate it: the
 * share of the recent latency above the latency floor, the floor being what a call takes with next to nothing else in
 * flight. A server that slows down under load (a hot partition, a small provisioned table, an emulator on a shared
 * machine) never throttles; this is how {@link AdaptiveConcurrency} sees it anyway.
 *
 * <p>The floor is measured, not guessed: every {@link #PROBE_INTERVAL_NANOS} a short probe lets at most
 * {@link #PROBE_IN_FLIGHT} calls go at once, and the fastest of the next {@link #PROBE_CALLS} calls started in it is
 * the new floor (the floor may rise as well as fall: a changed network path). Without the probe, a floor taken from
 * calls under load would creep up with the load, the known flaw of Vegas. A probe costs a few call durations at low
 * concurrency every ten seconds. Floors and recent latency are kept per number of writes a call carries, since a
 * batch of 25 takes longer than a batch of 3 on an idle server; a call of a size no probe saw says nothing.
 *
 * <p>Not thread-safe: {@link AdaptiveConcurrency} calls it under its lock.
 */
final class QueueingEstimate {
    static final long PROBE_INTERVAL_NANOS = 10_000_000_000L;
    static final int PROBE_IN_FLIGHT = 2;
    static final int PROBE_CALLS = 4;
    /** Latency within this of the floor is not queueing: jitter on a fast loopback is not a queue. */
    private static final double SLACK_NANOS = 1_000_000;
    private static final double SMOOTHING = 0.1;

    /** Per number of writes a call carries: its floor and its recent latency (exponentially weighted). */
    private static final class Latency {
        double floor = Double.NaN;
        double probed = Double.POSITIVE_INFINITY;
        double recent = Double.NaN;
    }

    private final Map<Integer, Latency> bySize = new HashMap<>();
    /** The first probe waits a little: a task's first calls meet cold connections and code, not a queue. */
    static final long FIRST_PROBE_NANOS = 2_000_000_000L;
    private boolean probing;
    /** When the calls in flight came down to the probe's: calls started since are free of queueing. */
    private long cleanSince;
    private int probeCalls;
    private long floorMeasured;

    QueueingEstimate(long now) {
        floorMeasured = now - PROBE_INTERVAL_NANOS + FIRST_PROBE_NANOS;
    }

    /** The calls allowed in flight, given the limit's: fewer while probing for the floor. */
    int allowed(int limit) {
        return probing ? Math.min(PROBE_IN_FLIGHT, limit) : limit;
    }

    /**
     * One call ended.
     *
     * @param inFlight calls still in flight, this one no longer counted
     * @param tookAll  whether its answer was a plain one (a throttled call's latency is the server refusing, not
     *                 queueing)
     * @return the share of its size's recent latency spent queueing (0 at the floor, towards 1 as latency climbs), or
     * NaN while no floor is known for calls of its size
     */
    double ended(long now, long started, int writes, int inFlight, boolean tookAll) {
        Latency latency = bySize.computeIfAbsent(writes, w -> new Latency());
        double took = now - started;
        if (tookAll) {
            latency.recent = Double.isNaN(latency.recent) ? took : (1 - SMOOTHING) * latency.recent + SMOOTHING * took;
        }
        if (probing) {
            probed(now, started, latency, took, tookAll, inFlight);
        } else if (now - floorMeasured > PROBE_INTERVAL_NANOS) {
            probing = true;
                probeCalls = 0;
            cleanSince = inFlight < PROBE_IN_FLIGHT ? now : Long.MAX_VALUE;
        }
        if (Double.isNaN(latency.floor) || Double.isNaN(latency.recent)) {
            return Double.NaN;
        }
        return Math.max(0, 1 - (latency.floor + SLACK_NANOS) / latency.recent);
    }

    private void probed(long now, long started, Latency latency, double took, boolean tookAll, int inFlight) {
        if (started >= cleanSince) {
            probeCalls++;
            if (tookAll) {
                latency.probed = Math.min(latency.probed, took);
            }
        }
        if (cleanSince == Long.MAX_VALUE && inFlight < PROBE_IN_FLIGHT) {
            cleanSince = now;
        }
        if (probeCalls >= PROBE_CALLS) {
            for (Latency size : bySize.values()) {
                if (size.probed != Double.POSITIVE_INFINITY) {
                    size.floor = size.probed;
                    size.probed = Double.POSITIVE_INFINITY;
                }
            }
            probing = false;
            floorMeasured = now;
        }
    }

    boolean probing() {
        return probing;
    }

    /** The latency floor of calls carrying this many writes, in milliseconds, or NaN when none was measured. */
    double floorMillis(int writes) {
        Latency latency = bySize.get(writes);
        return latency == null ? Double.NaN : latency.floor / 1e6;
    }
}
