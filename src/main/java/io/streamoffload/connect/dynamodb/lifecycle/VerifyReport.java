package io.streamoffload.connect.dynamodb.lifecycle;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code verify} found. Every problem is counted; the first {@value #KEPT_PROBLEMS} are kept with their item
 * key, attribute path, URI and reason, so a table full of broken pointers cannot exhaust memory.
 */
public record VerifyReport(String table, long items, long pointers, long objectsFetched, Map<Kind, Long> problemCounts,
                           List<Problem> problems) {
    public static final int KEPT_PROBLEMS = 1_000;

    public enum Kind {
        /** The object (or its bucket) does not exist. */
        DANGLING,
        /** The object holds other content than the pointer says: size or SHA-256 differ. */
        MISMATCHED,
        /** The object cannot be read or decompressed, or has no offload metadata: corrupt or foreign. A refused read stops verify. */
        UNREADABLE
    }

    public record Problem(Kind kind, String itemKey, String path, String uri, String reason) {
    }

    public long problemCount() {
        return problemCounts.values().stream().mapToLong(Long::longValue).sum();
    }

    public boolean ok() {
        return problemCount() == 0;
    }

    static final class Builder {
        private final String table;
        private long items;
        private long pointers;
        private long fetched;
        private final Map<Kind, Long> counts = new EnumMap<>(Kind.class);
        private final List<Problem> problems = new ArrayList<>();

        Builder(String table) {
            this.table = table;
            for (Kind kind : Kind.values()) {
                counts.put(kind, 0L);
            }
        }

        synchronized void item() {
            items++;
        }

        synchronized void pointer(boolean fetchedObject) {
            pointers++;
            if (fetchedObject) {
                fetched++;
            }
        }

        synchronized void problem(Problem problem) {
            counts.merge(problem.kind(), 1L, Long::sum);
            if (problems.size() < KEPT_PROBLEMS) {
                problems.add(problem);
            }
        }

        synchronized VerifyReport build() {
            return new VerifyReport(table, items, pointers, fetched, Map.copyOf(counts), List.copyOf(problems));
        }
    }
}
