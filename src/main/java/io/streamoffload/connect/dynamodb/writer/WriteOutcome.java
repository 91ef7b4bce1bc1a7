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

    public WriteOutcome {
        durable = List.copyOf(durable);
        rejected = List.copyOf(rejected);
        pending = List.copyOf(pending);
    }

    public boolean hasPending() {
        return !pending.isEmpty();
    }

    /** A write DynamoDB refused, and its reason. */
    public record Rejected(WriteOperation write, String reason) {
    }
}
