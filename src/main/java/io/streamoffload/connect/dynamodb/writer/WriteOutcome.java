package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import java.util.List;

/**
 * What happened to a set of writes.
 *
 * @param durable     writes DynamoDB acknowledged
 * @param rejected    writes DynamoDB refuses as they are, each with the reason; the records are bad records
 * @param pending     writes still not acknowledged when the retry budget ran out
 * @param lastFailure why the pending writes are pending, for the redelivery message; empty when none are
 */
public record WriteOutcome(List<WriteOperation> durable, List<Rejected> rejected, List<WriteOperation> pending,
                           String lastFailure) {
    public static final WriteOutcome NONE = new WriteOutcome(List.of(), List.of(), List.of(), "");

    public WriteOutcome {
        durable = List.copyOf(durable);
        rejected = List.copyOf(rejected);
        pending = List.copyOf(pending);
    }

    public boolean hasPending() {
        return !pending.isEmpty();
    }

    /**
     * All outcomes together, copied once (joining them one by one with {@link #and} copies a round's writes once per
     * part); the reason for pending writes is the last one's that has pending writes.
     */
    public static WriteOutcome all(List<WriteOutcome> outcomes) {
        List<WriteOperation> durable = new java.util.ArrayList<>();
        List<Rejected> rejected = new java.util.ArrayList<>(0);
        List<WriteOperation> pending = new java.util.ArrayList<>(0);
        String lastFailure = "";
        for (WriteOutcome outcome : outcomes) {
            durable.addAll(outcome.durable);
            rejected.addAll(outcome.rejected);
            pending.addAll(outcome.pending);
            lastFailure = outcome.hasPending() ? outcome.lastFailure : lastFailure;
        }
        return new WriteOutcome(durable, rejected, pending, lastFailure);
    }

    /** Both outcomes together; the reason for pending writes is the other's when it has pending writes. */
    public WriteOutcome and(WriteOutcome other) {
        return new WriteOutcome(concat(durable, other.durable), concat(rejected, other.rejected),
                concat(pending, other.pending), other.hasPending() ? other.lastFailure : lastFailure);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        if (b.isEmpty()) {
            return a;
        }
        if (a.isEmpty()) {
            return b;
        }
        List<T> all = new java.util.ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        return all;
    }

    /** A write DynamoDB refused, and its reason. */
    public record Rejected(WriteOperation write, String reason) {
    }
}
