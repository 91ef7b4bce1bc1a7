package io.streamoffload.connect.dynamodb.retry;

import java.time.Duration;

/** Waits between retries; a seam so that tests can advance a fake clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    Sleeper THREAD = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
