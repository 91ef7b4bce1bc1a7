package io.streamoffload.connect.dynamodb.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void ceilingDoublesFromTheBaseUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofMillis(1000));
        assertThat(backoff.ceilingMillis(0)).isEqualTo(50);
        assertThat(backoff.ceilingMillis(1)).isEqualTo(100);
        assertThat(backoff.ceilingMillis(4)).isEqualTo(800);
        assertThat(backoff.ceilingMillis(5)).isEqualTo(1000);
        assertThat(backoff.ceilingMillis(500)).isEqualTo(1000);
    }

    @Test
    void fullJitterSpreadsDelaysBetweenZeroAndTheCeiling() {
        Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofMillis(1000));
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2000; i++) {
            long delay = backoff.delay(3).toMillis();
            min = Math.min(min, delay);
            max = Math.max(max, delay);
        }
        assertThat(min).isBetween(0L, 40L);
        assertThat(max).isBetween(360L, 400L);
    }
}
