package io.streamoffload.connect.dynamodb.offload.store;

import java.util.LinkedHashMap;
import java.util.Map;

/** A bounded, least-recently-used set of object keys known to be stored, to skip uploads of repeated content. */
final class KnownObjects {
    private final Map<String, Boolean> keys;

    KnownObjects(int capacity) {
        this.keys = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized boolean contains(String key) {
        return keys.get(key) != null;
    }

    synchronized void add(String key) {
        keys.put(key, Boolean.TRUE);
    }
}
