package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.errors.ErrorClassifier.Disposition;
import io.streamoffload.connect.dynamodb.errors.ErrorClassifier;
import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import io.streamoffload.connect.dynamodb.retry.RetryPolicy;
import io.streamoffload.connect.dynamodb.writer.BatchPlanner.Batch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Writes operations with BatchWriteItem, several calls in flight at once (as many as {@link AdaptiveConcurrency} allows:
 * fewer while DynamoDB throttles), each only after the S3 objects its items point to are durable. Each call resends only its
 * {@code UnprocessedItems}, and retries throttling and transient failures with jittered exponential backoff,
 * until everything is durable or the retry budget is spent. A call DynamoDB rejects as invalid is split into
 * single writes so that only the offending records are reported.
 */
public final class BatchWriter implements DynamoDbWriter {
    private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);

    private final DynamoDbClient client;
    private final BatchPlanner planner;
    private final SinkTaskMetrics metrics;
    private final PacedCalls calls;

    public BatchWriter(DynamoDbClient client, BatchPlanner planner, int maxConcurrentBatches, RetryPolicy retry,
                       SinkTaskMetrics metrics) {
        this.client = client;
        this.planner = planner;
        this.metrics = metrics;
        this.calls = new PacedCalls("DynamoDB batch writer", maxConcurrentBatches, retry, metrics);
    }

    /**
     * Of several writes to one key only the last is sent; if DynamoDB rejects it, the one before it is sent instead.
     */
    @Override
    public WriteOutcome write(List<WriteOperation> operations) {
        if (operations.isEmpty()) {
            return WriteOutcome.NONE;
        }
        long deadline = calls.deadline();
        WriteOutcome outcome = send(planner.plan(operations), deadline);
        Set<WriteOperation> refused = Collections.newSetFromMap(new IdentityHashMap<>());
        List<WriteOutcome.Rejected> newlyRefused = outcome.rejected();
        while (!newlyRefused.isEmpty()) {
            List<WriteOperation> newly = newlyRefused.stream().map(WriteOutcome.Rejected::write).toList();
            refused.addAll(newly);
            List<WriteOperation> replacements = BatchPlanner.replacementsFor(operations, refused, newly);
            if (replacements.isEmpty()) {
                break;
            }
            WriteOutcome more = send(planner.plan(replacements), deadline);
            outcome = outcome.and(more);
            newlyRefused = more.rejected();
        }
        return outcome;
    }

    /** Sends batches concurrently and waits for all of them, so that no write is still in flight when this returns. */
    private WriteOutcome send(List<Batch> batches, long deadline) {
        List<Callable<WriteOutcome>> parts = new ArrayList<>(batches.size());
        for (Batch batch : batches) {
            parts.add(() -> writeBatch(batch.table(), batch.writes(), deadline));
        }
        return calls.runAll(parts);
    }

    /** Waits until the S3 objects of each write are durable, then sends the writes whose objects are. */
    private WriteOutcome writeBatch(String table, List<WriteOperation> writes, long deadline) throws InterruptedException {
        List<WriteOperation> stored = new ArrayList<>(writes.size());
        List<WriteOperation> notStored = new ArrayList<>();
        String storeFailure = "";
        for (WriteOperation op : writes) {
            Optional<String> waiting = StoredObjects.await(op, deadline, calls.clock());
            if (waiting.isEmpty()) {
                stored.add(op);
            } else {
                notStored.add(op);
                storeFailure = waiting.get();
            }
        }
        if (notStored.isEmpty()) {
            return sendBatch(table, writes, deadline);
        }
        log.debug("{} of {} writes to {} wait for S3: {}", notStored.size(), writes.size(), table, storeFailure);
        WriteOutcome sent = stored.isEmpty() ? WriteOutcome.NONE
                : sendBatch(table, stored, deadline);
        List<WriteOperation> pending = new ArrayList<>(sent.pending());
        pending.addAll(notStored);
        return new WriteOutcome(sent.durable(), sent.rejected(), pending,
                sent.hasPending() ? sent.lastFailure() : storeFailure);
    }

    /** Sends writes, resending unprocessed ones, until they are durable or the budget is spent. */
    private WriteOutcome sendBatch(String table, List<WriteOperation> writes, long deadline) throws InterruptedException {
        List<WriteOperation> durable = new ArrayList<>();
        List<WriteOperation> pending = writes;
        String lastFailure = "";
        for (int attempt = 0; ; attempt++) {
            try {
                BatchWriteItemResponse response = call(table, pending);
                List<WriteRequest> unprocessed = response.hasUnprocessedItems()
                        ? response.unprocessedItems().getOrDefault(table, List.of()) : List.of();
                List<WriteOperation> stillPending = unprocessed.isEmpty() ? List.of() : match(pending, unprocessed);
                Set<WriteOperation> unacknowledged = Collections.newSetFromMap(new IdentityHashMap<>());
                unacknowledged.addAll(stillPending);
                for (WriteOperation op : pending) {
                    if (!unacknowledged.contains(op)) {
                        durable.add(op);
                        count(op);
                    }
                }
                if (stillPending.isEmpty()) {
                    return new WriteOutcome(durable, List.of(), List.of(), "");
                }
                metrics.unprocessedResent(stillPending.size());
                lastFailure = stillPending.size() + " of " + pending.size() + " writes to table " + table
                        + " came back as UnprocessedItems (throttled)";
                log.debug("{}; resending them", lastFailure);
                pending = stillPending;
            } catch (SdkException e) {
                Disposition disposition = ErrorClassifier.classify(e);
                if (disposition == Disposition.FATAL) {
                    throw FatalWriteException.writingTo(table, e);
                }
                if (disposition == Disposition.BAD_REQUEST
                        || pending.size() > 1 && ErrorClassifier.concernsSomeWritesOnly(e)) {
                    return isolate(table, pending, durable, e, deadline);
                }
                metrics.callRetried(ErrorClassifier.isThrottling(e));
                lastFailure = "BatchWriteItem to table " + table + " failed: " + ErrorClassifier.describe(e);
                log.debug("{}; retrying", lastFailure);
            }
            if (!calls.backOff(attempt, deadline)) {
                return new WriteOutcome(durable, List.of(), pending, lastFailure);
            }
        }
    }

    /** One call; writes left unprocessed say the table is throttling. */
    private BatchWriteItemResponse call(String table, List<WriteOperation> writes) throws InterruptedException {
        BatchWriteItemRequest request = request(table, writes);
        return calls.call(writes.size(), () -> client.batchWriteItem(request),
                response -> response.hasUnprocessedItems()
                        && !response.unprocessedItems().getOrDefault(table, List.of()).isEmpty()
                        ? AdaptiveConcurrency.Signal.THROTTLED : AdaptiveConcurrency.Signal.TOOK_ALL);
    }

    /**
     * DynamoDB refused the whole call for some of its writes; write each alone, so that the others are written and
     * only those it refuses are rejected (invalid) or left pending (a full item collection).
     */
    private WriteOutcome isolate(String table, List<WriteOperation> writes, List<WriteOperation> alreadyDurable,
                                 SdkException failure, long deadline) throws InterruptedException {
        if (writes.size() == 1) {
            return new WriteOutcome(alreadyDurable,
                    List.of(new WriteOutcome.Rejected(writes.get(0), "DynamoDB rejected the write to table " + table
                            + ": " + ErrorClassifier.describeWithoutDetail(failure))),
                    List.of(), "");
        }
        log.debug("BatchWriteItem to {} rejected ({}); writing its {} requests one by one to isolate the bad ones",
                table, ErrorClassifier.describe(failure), writes.size());
        List<WriteOperation> durable = new ArrayList<>(alreadyDurable);
        List<WriteOutcome.Rejected> rejected = new ArrayList<>();
        List<WriteOperation> pending = new ArrayList<>();
        String lastFailure = "";
        for (WriteOperation op : writes) {
            WriteOutcome single = sendBatch(table, List.of(op), deadline);
            durable.addAll(single.durable());
            rejected.addAll(single.rejected());
            pending.addAll(single.pending());
            if (single.hasPending()) {
                lastFailure = single.lastFailure();
            }
        }
        return new WriteOutcome(durable, rejected, pending, lastFailure);
    }

    private static BatchWriteItemRequest request(String table, List<WriteOperation> writes) {
        List<WriteRequest> requests = new ArrayList<>(writes.size());
        for (WriteOperation op : writes) {
            requests.add(op.toWriteRequest());
        }
        return BatchWriteItemRequest.builder().requestItems(Map.of(table, requests)).build();
    }

    /** The operations whose requests came back unprocessed, found by their key. */
    private static List<WriteOperation> match(List<WriteOperation> sent, List<WriteRequest> unprocessed) {
        Set<String> keyNames = sent.get(0).key().keySet();
        Map<Map<String, AttributeValue>, WriteOperation> byKey = new HashMap<>();
        for (WriteOperation op : sent) {
            byKey.put(op.key(), op);
        }
        List<WriteOperation> matched = new ArrayList<>(unprocessed.size());
        for (WriteRequest request : unprocessed) {
            Map<String, AttributeValue> attributes = request.putRequest() != null
                    ? request.putRequest().item() : request.deleteRequest().key();
            Map<String, AttributeValue> key = new HashMap<>();
            for (String name : keyNames) {
                key.put(name, attributes.get(name));
            }
            WriteOperation op = byKey.get(key);
            if (op == null) {
                throw new ConnectException("DynamoDB returned an unprocessed item whose key matches no request sent");
            }
            matched.add(op);
        }
        return matched;
    }

    private void count(WriteOperation op) {
        if (op.isDelete()) {
            metrics.deleteWritten(1);
        } else {
            metrics.putWritten(1);
        }
    }

    @Override
    public void close() {
        calls.close();
    }
}
