package io.streamoffload.connect.dynamodb.writer;

import java.time.Duration;

/** Waits between retries; a seam so that tests can advance a fake clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    Sleeper THREAD = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
