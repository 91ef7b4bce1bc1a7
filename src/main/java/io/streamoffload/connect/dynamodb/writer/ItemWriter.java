package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.errors.ErrorClassifier.Disposition;
import io.streamoffload.connect.dynamodb.errors.ErrorClassifier;
import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import io.streamoffload.connect.dynamodb.retry.RetryPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Writes operations one item per call (PutItem, UpdateItem, DeleteItem), for what BatchWriteItem cannot carry:
 * updates and versioned (conditional) writes. The writes to one key form a chain sent strictly in record order, each
 * only after the one before it is durable; chains of different keys run concurrently, as many calls in flight as
 * {@link AdaptiveConcurrency} allows. Retry classification, backoff, budget and the calls in flight ({@link PacedCalls}) are the batch writer's; a write whose
 * version condition fails is superseded (counted, not an error); a write DynamoDB refuses is rejected with the reason
 * and its chain goes on; a write still failing at the end of the budget leaves it and the rest of its chain pending.
 */
public final class ItemWriter implements DynamoDbWriter {
    private static final Logger log = LoggerFactory.getLogger(ItemWriter.class);

    private final DynamoDbClient client;
    private final ItemRequests requests;
    private final SinkTaskMetrics metrics;
    private final PacedCalls calls;

    /**
     * @param versionAttribute the attribute holding versions, when writes are versioned
     * @param removeNulls      whether an update's NULL attribute removes it
     */
    public ItemWriter(DynamoDbClient client, Optional<String> versionAttribute, boolean removeNulls,
                      int maxConcurrentCalls, RetryPolicy retry, SinkTaskMetrics metrics) {
        this.client = client;
        this.requests = new ItemRequests(versionAttribute, removeNulls);
        this.metrics = metrics;
        this.calls = new PacedCalls("DynamoDB item writer", maxConcurrentCalls, retry, metrics);
    }

    @Override
    public WriteOutcome write(List<WriteOperation> operations) {
        if (operations.isEmpty()) {
            return WriteOutcome.NONE;
        }
        long deadline = calls.deadline();
        Map<ItemKey, List<WriteOperation>> chains = new LinkedHashMap<>();
        for (WriteOperation write : operations) {
            chains.computeIfAbsent(new ItemKey(write.table(), write.key()), k -> new ArrayList<>(2)).add(write);
        }
        List<Callable<WriteOutcome>> parts = new ArrayList<>(chains.size());
        for (List<WriteOperation> chain : chains.values()) {
            parts.add(() -> writeChain(chain, deadline));
        }
        return calls.runAll(parts);
    }

    private record ItemKey(String table, Map<String, AttributeValue> key) {
    }

    /**
     * The writes to one key. Where one write decides the item ({@link VersionedChain}), it goes alone and the others
     * end with it, as superseded; if DynamoDB refuses it, the others go in order as they would have without it.
     */
    private WriteOutcome writeChain(List<WriteOperation> chain, long deadline) throws InterruptedException {
        Optional<WriteOperation> winner = VersionedChain.winner(chain);
        if (winner.isEmpty()) {
            return writeInOrder(chain, deadline);
        }
        WriteOperation decisive = winner.get();
        List<WriteOperation> durable = new ArrayList<>(chain.size());
        List<WriteOutcome.Rejected> rejected = new ArrayList<>(0);
        Optional<String> waiting = StoredObjects.await(decisive, deadline, calls.clock());
        String failure = waiting.isPresent() ? waiting.get() : send(decisive, deadline, durable, rejected);
        if (failure != null) {
            log.debug("{} writes to table {} wait for a later attempt: {}", chain.size(), decisive.table(), failure);
            return new WriteOutcome(List.of(), List.of(), chain, failure);
        }
        List<WriteOperation> others = chain.stream().filter(write -> write != decisive).toList();
        if (!rejected.isEmpty()) {
            return new WriteOutcome(List.of(), rejected, List.of(), "").and(writeInOrder(others, deadline));
        }
        for (WriteOperation superseded : others) {
            metrics.writeSuperseded();
            durable.add(superseded);
        }
        return new WriteOutcome(durable, List.of(), List.of(), "");
    }

    /** The writes to one key, in order: a write goes only once every write before it has ended. */
    private WriteOutcome writeInOrder(List<WriteOperation> chain, long deadline) throws InterruptedException {
        List<WriteOperation> durable = new ArrayList<>(chain.size());
        List<WriteOutcome.Rejected> rejected = new ArrayList<>(0);
        for (int i = 0; i < chain.size(); i++) {
            WriteOperation write = chain.get(i);
            Optional<String> waiting = StoredObjects.await(write, deadline, calls.clock());
            String failure = waiting.isPresent() ? waiting.get() : send(write, deadline, durable, rejected);
            if (failure != null) {
                log.debug("{} writes to table {} wait for a later attempt: {}", chain.size() - i, write.table(), failure);
                return new WriteOutcome(durable, rejected, chain.subList(i, chain.size()), failure);
            }
        }
        return new WriteOutcome(durable, rejected, List.of(), "");
    }

    /**
     * Sends one write, retrying until it is durable, superseded or rejected (added to {@code durable} or
     * {@code rejected}), or the budget is spent.
     *
     * @return null when the write has ended; else why it is still pending
     */
    private String send(WriteOperation write, long deadline, List<WriteOperation> durable,
                        List<WriteOutcome.Rejected> rejected) throws InterruptedException {
        String lastFailure;
        for (int attempt = 0; ; attempt++) {
            try {
                call(write);
                count(write);
                durable.add(write);
                return null;
            } catch (IllegalArgumentException e) {
                rejected.add(new WriteOutcome.Rejected(write, e.getMessage()));
                return null;
            } catch (SdkException e) {
                if (ErrorClassifier.isConditionFailed(e)) {
                    metrics.writeSuperseded();
                    durable.add(write);
                    return null;
                }
                Disposition disposition = ErrorClassifier.classify(e);
                if (disposition == Disposition.FATAL) {
                    throw FatalWriteException.writingTo(write.table(), e);
                }
                if (disposition == Disposition.BAD_REQUEST) {
                    rejected.add(new WriteOutcome.Rejected(write, "DynamoDB rejected the " + verb(write) + " of an item of "
                            + "table " + write.table() + ": " + ErrorClassifier.describeWithoutDetail(e)
                            + (write.kind() == WriteOperation.Kind.UPDATE ? " (an update is refused when the item it "
                            + "would make exceeds DynamoDB's 400 KB item limit)" : "")));
                    return null;
                }
                metrics.callRetried(ErrorClassifier.isThrottling(e));
                lastFailure = verb(write) + " of an item of table " + write.table() + " failed: "
                        + ErrorClassifier.describe(e);
            }
            if (!calls.backOff(attempt, deadline)) {
                return lastFailure;
            }
        }
    }

    /** One call; the request is built before it waits, so that one DynamoDB would refuse is rejected without a call. */
    private void call(WriteOperation write) throws InterruptedException {
        Supplier<?> request = switch (write.kind()) {
            case PUT -> {
                var put = requests.put(write);
                yield () -> client.putItem(put);
            }
            case UPDATE -> {
                var update = requests.update(write);
                yield () -> client.updateItem(update);
            }
            case DELETE -> {
                var delete = requests.delete(write);
                yield () -> client.deleteItem(delete);
            }
        };
        calls.call(1, request, response -> AdaptiveConcurrency.Signal.TOOK_ALL);
    }

    private static String verb(WriteOperation write) {
        return switch (write.kind()) {
            case PUT -> "PutItem";
            case UPDATE -> "UpdateItem";
            case DELETE -> "DeleteItem";
        };
    }

    private void count(WriteOperation write) {
        switch (write.kind()) {
            case PUT -> metrics.putWritten(1);
            case UPDATE -> metrics.updateWritten(1);
            case DELETE -> metrics.deleteWritten(1);
        }
    }

    @Override
    public void close() {
        calls.close();
    }
}
