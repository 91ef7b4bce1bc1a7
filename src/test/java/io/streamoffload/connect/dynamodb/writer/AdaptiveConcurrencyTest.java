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
    void throttlingCutsTheCallsInFlightAndCallsTakenWholeGrowThemBack() throws Exception {
        assertThat(concurrency.limitPercent()).isEqualTo(800);
        call(Signal.THROTTLED);
        assertThat(concurrency.limitPercent()).isEqualTo(560);
        call(Signal.THROTTLED);
        assertThat(concurrency.limitPercent()).isEqualTo(392);
        for (int i = 0; i < 20; i++) {
            call(Signal.THROTTLED);
        }
        assertThat(concurrency.limitPercent()).as("never below a duty cycle of 1/32").isEqualTo(3);

        for (int i = 0; i < 30; i++) {
            call(Signal.TOOK_ALL);
        }
        assertThat(concurrency.limitPercent()).as("below one call, growing by an eighth per call").isGreaterThan(3 * 30);
        for (int i = 0; i < 200; i++) {
            call(Signal.TOOK_ALL);
        }
        assertThat(concurrency.limitPercent()).as("never above max.concurrent.batches").isEqualTo(800);
        call(Signal.NEUTRAL);
        assertThat(concurrency.limitPercent()).isEqualTo(800);
    }

    @Test
    void aboveOneCallTheLimitGrowsByOnePerLimitsWorthOfCalls() throws Exception {
        for (int i = 0; i < 5; i++) {
            call(Signal.THROTTLED);
        }
        long before = concurrency.limitPercent();
        assertThat(before).isEqualTo(134); // 8 x 0.7^5
        call(Signal.TOOK_ALL);
        assertThat(concurrency.limitPercent()).isEqualTo(before + Math.round(100 / 1.34));
    }

    @Test
    void callsThrottledByTheSameOverloadCountOnce() throws Exception {
        long first = concurrency.acquire();
        long second = concurrency.acquire();
        concurrency.release(first, Signal.THROTTLED);
        concurrency.release(second, Signal.THROTTLED);
        assertThat(concurrency.limitPercent()).as("the second call started before the decrease").isEqualTo(560);
        call(Signal.THROTTLED);
        assertThat(concurrency.limitPercent()).isEqualTo(392);
    }

    @Test
    void aCallWaitsWhileTheLimitIsInFlight() throws Exception {
        for (int i = 0; i < 6; i++) {
            call(Signal.THROTTLED); // 8 x 0.7^6 = 0.94: one call at a time
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
}
