package io.streamoffload.connect.dynamodb.lifecycle;

/**
 * Keeps a scan under a number of read capacity units per second across all its segments: each page's consumed
 * capacity pushes the next permitted start further out, so a scan of a provisioned table never takes more than its
 * share from the application that reads it.
 */
final class ReadRateLimiter {
    private final double unitsPerSecond;
    private long nextFreeNanos = System.nanoTime();

    /** @param unitsPerSecond 0 or less for no limit */
    ReadRateLimiter(double unitsPerSecond) {
        this.unitsPerSecond = unitsPerSecond;
    }

    /** Waits until a request may start. */
    void awaitTurn() throws InterruptedException {
        if (unitsPerSecond <= 0) {
            return;
        }
        long wait;
        synchronized (this) {
            wait = nextFreeNanos - System.nanoTime();
        }
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    /** Records what a finished request consumed. */
    synchronized void consumed(double units) {
        if (unitsPerSecond <= 0) {
            return;
        }
        long now = System.nanoTime();
        nextFreeNanos = Math.max(nextFreeNanos, now) + (long) (units / unitsPerSecond * 1e9);
    }
}
