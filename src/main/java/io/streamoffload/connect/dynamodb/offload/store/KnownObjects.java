package io.streamoffload.connect.dynamodb.offload.store;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded, least-recently-used set of object keys known to be stored, to skip uploads of repeated content. An entry
 * is trusted for a limited time only: the garbage collector's safety rests on every reuse of an object being either
 * checked against S3 or within that time of a check.
 */
final class KnownObjects {
    private final Map<String, Long> storedAt;
    private final Clock clock;
    private final long ttlMillis;

    KnownObjects(int capacity, Duration ttl, Clock clock) {
        this.clock = clock;
        this.ttlMillis = ttl.toMillis();
        this.storedAt = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized boolean contains(String key) {
        Long since = storedAt.get(key);
        if (since == null) {
            return false;
        }
        if (clock.millis() - since >= ttlMillis) {
            storedAt.remove(key);
            return false;
        }
        return true;
    }

    /** The key was stored, or found stored and checked, just now. */
    synchronized void add(String key) {
        storedAt.put(key, clock.millis());
    }
}
