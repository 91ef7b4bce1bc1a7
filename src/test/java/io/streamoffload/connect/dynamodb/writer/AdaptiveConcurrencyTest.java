package io.streamoffload.connect.dynamodb.writer;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamoffload.connect.dynamodb.writer.AdaptiveConcurrency.Signal;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AdaptiveConcurrencyTest {
    private final AdaptiveConcurrency concurrency = new AdaptiveConcurrency(8);

    private void call(Signal signal) throws InterruptedException {
        concurrency.release(concurrency.acquire(), signal);
    }

    @Test
    void throttlingCutsTheCallsInFlightAndCallsTakenWholeGrowThemBackSlowly() throws Exception {
        assertThat(concurrency.limitPercent()).isEqualTo(800);
        call(Signal.THROTTLED);
        assertThat(concurrency.limitPercent()).isEqualTo(640);
        call(Signal.THROTTLED);
        assertThat(concurrency.limitPercent()).isEqualTo(512);
        for (int i = 0; i < 30; i++) {
            call(Signal.THROTTLED);
        }
        assertThat(concurrency.limitPercent()).as("never below a duty cycle of 1/32").isEqualTo(3);

        for (int i = 0; i < 20; i++) {
            call(Signal.TOOK_ALL);
        }
        assertThat(concurrency.limitPercent()).as("20 calls win back what one throttled call cost").isEqualTo(4);
        for (int i = 0; i < 3000; i++) {
            call(Signal.TOOK_ALL);
        }
        assertThat(concurrency.limitPercent()).as("never above max.concurrent.batches").isEqualTo(800);
        call(Signal.NEUTRAL);
        assertThat(concurrency.limitPercent()).isEqualTo(800);
        call(Signal.THROTTLED);
        for (int i = 0; i < 125; i++) {
            call(Signal.TOOK_ALL);
        }
        assertThat(concurrency.limitPercent()).as("above one call in flight, one more per 125 calls taken whole: "
                + "the same growth per round of calls however many are in flight").isEqualTo(740);
    }

    @Test
    void callsThrottledByTheSameOverloadCountOnce() throws Exception {
        long first = concurrency.acquire();
        long second = concurrency.acquire();
        concurrency.release(first, Signal.THROTTLED);
        concurrency.release(second, Signal.THROTTLED);
        assertThat(concurrency.limitPercent()).as("the second call started before the decrease").isEqualTo(640);
        call(Signal.THROTTLED);
        assertThat(concurrency.limitPercent()).isEqualTo(512);
    }

    @Test
    void aCallWaitsWhileTheLimitIsInFlight() throws Exception {
        for (int i = 0; i < 10; i++) {
            call(Signal.THROTTLED); // 8 x 0.8^10 = 0.86: one call at a time
        }
        long held = concurrency.acquire();
        CompletableFuture<Long> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return concurrency.acquire();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        org.awaitility.Awaitility.await().until(() -> Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getState() == Thread.State.WAITING && java.util.Arrays.stream(t.getStackTrace())
                        .anyMatch(f -> f.getClassName().equals(AdaptiveConcurrency.class.getName()))));
        assertThat(waiting).isNotDone();
        concurrency.release(held, Signal.NEUTRAL);
        concurrency.release(waiting.get(), Signal.NEUTRAL);
    }

    /**
     * A closed loop against a simulated server on a simulated clock: calls go as the limit admits them, as many as it
     * allows (a task with plenty to write), and the server takes {@code servers} at a time, {@code serviceMillis} each,
     * the others waiting their turn (first come, first served).
     */
    private static final class Simulation {
        private final long[] clock = {0};
        private final AdaptiveConcurrency limiter = new AdaptiveConcurrency(32, () -> clock[0]);
        private final java.util.PriorityQueue<long[]> inFlight =
                new java.util.PriorityQueue<>(java.util.Comparator.comparingLong(call -> call[1]));
        private long[] free;
        private long service;
        /** Latency added per call in flight (a worker whose CPU the calls keep busy), instead of servers queueing. */
        private long perCallInFlight;

        private void start(long ignoredPause) {
            if (perCallInFlight > 0) {
                inFlight.add(new long[] {clock[0], clock[0] + service + perCallInFlight * (inFlight.size() + 1)});
                limiter.admit().thenAccept(this::start);
                return;
            }
            int server = 0;
            for (int i = 1; i < free.length; i++) {
                server = free[i] < free[server] ? i : server;
            }
            long ends = Math.max(clock[0], free[server]) + service;
            free[server] = ends;
            inFlight.add(new long[] {clock[0], ends});
            limiter.admit().thenAccept(this::start);
        }

        /** Runs for a while against this server; returns calls per second and the mean limit, over the last half. */
        double[] run(int servers, double serviceMillis, double seconds) {
            long[] before = free;
            free = new long[servers];
            java.util.Arrays.fill(free, clock[0]);
            service = (long) (serviceMillis * 1e6);
            if (before == null) {
                limiter.admit().thenAccept(this::start);
            }
            long end = clock[0] + (long) (seconds * 1e9);
            long half = end - (long) (seconds * 1e9 / 2);
            long calls = 0;
            double limits = 0;
            while (clock[0] < end) {
                long[] call = inFlight.poll();
                clock[0] = call[1];
                if (clock[0] > half) {
                    calls++;
                    limits += limiter.limitPercent() / 100.0;
                }
                limiter.release(call[0], Signal.TOOK_ALL);
            }
            return new double[] {calls / (seconds / 2), limits / calls};
        }
    }

    @Test
    void aServerThatSlowsDownUnderLoadGetsFewerCallsInFlightAsManyAsKeepItBusy() {
        double[] queueing = new Simulation().run(2, 5, 60);
        // two servers of 5 ms take 400 calls/s whatever queues; Vegas keeps 3-9 calls queueing (6 log10 32 = 9)
        assertThat(queueing[0]).as("calls/s").isGreaterThan(0.97 * 400);
        assertThat(queueing[1]).as("mean limit").isBetween(2 + 3.0, 2 + 9.5);
    }

    @Test
    void latencyThatClimbsWithThroughputKeepsTheCallsInFlight() {
        Simulation simulation = new Simulation();
        simulation.perCallInFlight = 300_000; // 5 ms + 0.3 ms per call in flight: 32 calls take 14.6 ms, 16 take 9.8
        double[] busy = simulation.run(1000, 5, 60);
        double atMax = 32 / 14.6e-3;
        assertThat(busy[0]).as("calls/s against %.0f at 32 calls in flight", atMax).isGreaterThan(0.9 * atMax);
        assertThat(busy[1]).as("mean limit").isGreaterThan(26);
    }

    @Test
    void aServerThatKeepsItsLatencyKeepsTheCallsInFlight() {
        double[] fixed = new Simulation().run(1000, 5, 60);
        assertThat(fixed[1]).as("mean limit").isGreaterThan(31.5);
        assertThat(fixed[0]).as("calls/s, with a probe for the floor every 10 s").isGreaterThan(0.97 * 32 / 0.005);
    }

    @Test
    void theFloorIsMeasuredAgainWhenTheServerGetsFaster() {
        Simulation simulation = new Simulation();
        simulation.run(1000, 50, 30); // a slow network path first, no queueing
        double[] later = simulation.run(2, 5, 60);
        assertThat(later[1]).as("mean limit once the floor is 5 ms").isBetween(2 + 3.0, 2 + 9.5);
    }
}
