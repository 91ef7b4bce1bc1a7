package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.mapping.DynamoDbLimits;
import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Cuts writes into BatchWriteItem calls: per table, the last write per key wins (DynamoDB refuses a batch that
 * touches one key twice), at most {@code batchSize} requests and at most 16 MB per call as sent on the wire.
 */
public final class BatchPlanner {
    /** Room for the call's envelope: {"RequestItems":{"<table, at most 255 bytes>":[...]}}. */
    private static final long CALL_ENVELOPE_BYTES = 300;

    private final int batchSize;
    private final long maxBatchBytes;

    public BatchPlanner(int batchSize) {
        this(batchSize, DynamoDbLimits.MAX_BATCH_BYTES);
    }

    BatchPlanner(int batchSize, long maxBatchBytes) {
        if (batchSize < 1 || batchSize > DynamoDbLimits.MAX_BATCH_REQUESTS) {
            throw new IllegalArgumentException("batch size must be 1.." + DynamoDbLimits.MAX_BATCH_REQUESTS);
        }
        this.batchSize = batchSize;
        this.maxBatchBytes = maxBatchBytes;
    }

    public List<Batch> plan(List<WriteOperation> operations) {
        Map<String, Map<Map<String, AttributeValue>, WriteOperation>> latestPerKey = new LinkedHashMap<>();
        for (WriteOperation op : operations) {
            Map<Map<String, AttributeValue>, WriteOperation> table =
                    latestPerKey.computeIfAbsent(op.table(), t -> new LinkedHashMap<>());
            // remove first so that the surviving write keeps its own position in record order
            table.remove(op.key());
            table.put(op.key(), op);
        }
        List<Batch> batches = new ArrayList<>();
        latestPerKey.forEach((table, writes) -> {
            List<WriteOperation> current = new ArrayList<>();
            long bytes = CALL_ENVELOPE_BYTES;
            boolean measured = false;
            for (WriteOperation op : writes.values()) {
                long size = measured ? WireSize.of(op) : WireSize.atMost(op);
                if (!measured && bytes + size > maxBatchBytes) {
                    // the bound is too loose this close to the limit: measure this call's writes exactly
                    measured = true;
                    bytes = CALL_ENVELOPE_BYTES + current.stream().mapToLong(WireSize::of).sum();
                    size = WireSize.of(op);
                }
                if (!current.isEmpty() && (current.size() == batchSize || bytes + size > maxBatchBytes)) {
                    batches.add(new Batch(table, current));
                    current = new ArrayList<>();
                    bytes = CALL_ENVELOPE_BYTES;
                    measured = false;
                }
                current.add(op);
                bytes += size;
            }
            if (!current.isEmpty()) {
                batches.add(new Batch(table, current));
            }
        });
        return batches;
    }

    /**
     * For writes DynamoDB refused, the write each replaces: the one before it to the same key in {@code operations},
     * skipping writes already refused. Sending these makes a refused record as if it had never been there, so the item
     * ends the same whether the refused record was the last write to its key in this batch or not.
     *
     * @param refused writes refused so far, compared by identity; each was the last unrefused write to its key
     */
    public static List<WriteOperation> replacementsFor(List<WriteOperation> operations, Set<WriteOperation> refused,
                                                List<WriteOperation> newlyRefused) {
        Map<String, Map<Map<String, AttributeValue>, WriteOperation>> wanted = new LinkedHashMap<>();
        for (WriteOperation op : newlyRefused) {
            wanted.computeIfAbsent(op.table(), t -> new LinkedHashMap<>()).put(op.key(), null);
        }
        for (WriteOperation op : operations) {
            Map<Map<String, AttributeValue>, WriteOperation> table = wanted.get(op.table());
            if (table != null && table.containsKey(op.key()) && !refused.contains(op)) {
                table.put(op.key(), op);
            }
        }
        List<WriteOperation> replacements = new ArrayList<>();
        wanted.values().forEach(table -> table.values().stream().filter(java.util.Objects::nonNull)
                .forEach(replacements::add));
        return replacements;
    }

    /** One BatchWriteItem call's worth of writes to one table, each key at most once. */
    public record Batch(String table, List<WriteOperation> writes) {
        public Batch {
            writes = List.copyOf(writes);
        }
    }
}
