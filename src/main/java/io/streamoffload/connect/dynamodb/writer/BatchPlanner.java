package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.mapping.DynamoDbLimits;
import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Cuts writes into BatchWriteItem calls: per table, the last write per key wins (DynamoDB refuses a batch that
 * touches one key twice), at most {@code batchSize} requests and at most 16 MB per call.
 */
public final class BatchPlanner {
    /** Room for the request envelope and table name, on top of the items. */
    private static final long PER_REQUEST_OVERHEAD_BYTES = 64;

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
            long bytes = 0;
            for (WriteOperation op : writes.values()) {
                long size = op.bytes() + PER_REQUEST_OVERHEAD_BYTES;
                if (!current.isEmpty() && (current.size() == batchSize || bytes + size > maxBatchBytes)) {
                    batches.add(new Batch(table, current));
                    current = new ArrayList<>();
                    bytes = 0;
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

    /** One BatchWriteItem call's worth of writes to one table, each key at most once. */
    public record Batch(String table, List<WriteOperation> writes) {
        public Batch {
            writes = List.copyOf(writes);
        }
    }
}
