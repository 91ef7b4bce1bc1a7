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
}
