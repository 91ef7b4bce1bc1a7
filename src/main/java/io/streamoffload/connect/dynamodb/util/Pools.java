package io.streamoffload.connect.dynamodb.util;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Bounded thread pools of named daemon threads, so that a stuck pool never keeps a worker JVM alive. */
public final class Pools {
    private static final Logger log = LoggerFactory.getLogger(Pools.class);

    private Pools() {
    }

    public static ExecutorService fixed(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, runnable -> {
            Thread t = new Thread(runnable, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Interrupts the pool's work and waits up to 10 s for it to stop. Queued work that never ran is cancelled, so
     * that nobody waits forever on its future.
     */
    public static void shutdown(ExecutorService pool, String name) {
        for (Runnable neverRan : pool.shutdownNow()) {
            if (neverRan instanceof Future<?> future) {
                future.cancel(false);
            }
        }
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("{} threads did not stop within 10 s", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
