package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.errors.ErrorClassifier.Disposition;
import io.streamoffload.connect.dynamodb.config.WriteSettings;
import io.streamoffload.connect.dynamodb.errors.ErrorClassifier;
import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import io.streamoffload.connect.dynamodb.retry.RetryPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Writes operations one item per call (PutItem, UpdateItem, DeleteItem), for what BatchWriteItem cannot carry:
 * updates, versioned (conditional) writes, and the changes of a change stream that could not carry some columns or
 * that move a row to a new primary key. The writes to one key form a chain sent strictly in record order, each only
 * after the one before it is durable ({@link WriteChains}; a key change links its old and new key's chains); chains run
 * concurrently, as many calls in flight as {@link AdaptiveConcurrency} allows. Within a chain, writes that another
 * stands for are not sent ({@link ChainFolding}, {@link VersionedChain}). Retry classification, backoff, budget and the
 * calls in flight ({@link PacedCalls}) are the batch writer's; a write whose version condition fails is superseded
 * (counted, not an error); a write DynamoDB refuses is rejected with the reason and its chain goes on; a write still
 * failing at the end of the budget leaves it and the rest of its chain pending.
 */
public final class ItemWriter implements DynamoDbWriter {
    private static final Logger log = LoggerFactory.getLogger(ItemWriter.class);

    private final DynamoDbClient client;
    private final ItemRequests requests;
    private final SinkTaskMetrics metrics;
    private final PacedCalls calls;
    private final ChangeCalls changes;
    private final boolean changeEvents;
    private final boolean putMode;
    private final IncompleteItems incomplete = new IncompleteItems();

    public ItemWriter(DynamoDbClient client, WriteSettings modes, int maxConcurrentCalls, RetryPolicy retry,
                      SinkTaskMetrics metrics) {
        this.client = client;
        this.requests = new ItemRequests(modes.version().map(WriteSettings.Version::attribute),
                modes.nullsRemoveAttributes(), modes.unavailable().map(WriteSettings.Unavailable::columnsAttribute));
        this.metrics = metrics;
        this.calls = new PacedCalls("DynamoDB item writer", maxConcurrentCalls, retry, metrics);
        this.changes = new ChangeCalls(client, requests, new ChangeCalls.Caller() {
            @Override
            public <T> T call(Supplier<T> call) throws InterruptedException {
                return calls.call(1, call, response -> AdaptiveConcurrency.Signal.TOOK_ALL);
            }
        });
        this.changeEvents = modes.cdc() == WriteSettings.CdcFormat.DEBEZIUM;
        this.putMode = modes.mode() == WriteSettings.Mode.PUT;
    }

    @Override
    public WriteOutcome write(List<WriteOperation> operations) {
        if (operations.isEmpty()) {
            return WriteOutcome.NONE;
        }
        long deadline = calls.deadline();
        List<Callable<WriteOutcome>> parts = new ArrayList<>();
        for (WriteChains.Chain chain : WriteChains.of(operations)) {
            parts.add(() -> writeChain(chain, deadline));
        }
        return calls.runAll(parts);
    }

    /**
     * The writes of one chain. Where one write decides the item ({@link VersionedChain}), it goes alone and the
     * others end with it, as superseded; if DynamoDB refuses it, the others go in order as they would have without it.
     * Otherwise each segment of writes that its last one stands for goes in order ({@link ChainFolding}).
     */
    private WriteOutcome writeChain(WriteChains.Chain chain, long deadline) throws InterruptedException {
        List<List<ChainFolding.Step>> segments = chain.linked()
                ? chain.writes().stream().map(write -> List.of(new ChainFolding.Step(write, write))).toList()
                : ChainFolding.steps(chain.writes(), changeEvents, putMode);
        List<WriteOperation> effective = segments.stream().flatMap(List::stream).map(ChainFolding.Step::effective).toList();
        // with folds, the segments decide: a refused fold falls back to the writes it stands for, one by one
        boolean folded = segments.stream().flatMap(List::stream).anyMatch(ChainFolding.Step::folded);
        Optional<WriteOperation> winner = chain.linked() || folded ? Optional.empty() : VersionedChain.winner(effective);
        if (winner.isEmpty()) {
            return writeInOrder(segments, deadline);
        }
        WriteOperation decisive = winner.get();
        List<WriteOperation> durable = new ArrayList<>(effective.size());
        List<WriteOutcome.Rejected> rejected = new ArrayList<>(0);
        Optional<String> waiting = StoredObjects.await(decisive, deadline, calls.clock());
        String failure = waiting.isPresent() ? waiting.get() : send(decisive, deadline, durable, rejected);
        if (failure != null) {
            log.debug("{} writes to table {} wait for a later attempt: {}", effective.size(), decisive.table(), failure);
            return new WriteOutcome(List.of(), List.of(), effective, failure);
        }
        List<WriteOperation> others = effective.stream().filter(write -> write != decisive).toList();
        if (!rejected.isEmpty()) {
            return new WriteOutcome(List.of(), rejected, List.of(), "").and(writeInOrder(others.stream()
                    .map(write -> List.of(new ChainFolding.Step(write, write))).toList(), deadline));
        }
        superseded(others, durable);
        return new WriteOutcome(durable, List.of(), List.of(), "");
    }

    /** The segments of a chain, in order: each goes only once every write before it has ended. */
    private WriteOutcome writeInOrder(List<List<ChainFolding.Step>> segments, long deadline) throws InterruptedException {
        List<WriteOperation> durable = new ArrayList<>();
        List<WriteOutcome.Rejected> rejected = new ArrayList<>(0);
        for (int s = 0; s < segments.size(); s++) {
            List<ChainFolding.Step> segment = segments.get(s);
            String failure = sendStanding(segment, segment.size() - 1, deadline, durable, rejected);
            if (failure != null) {
                List<WriteOperation> pending = segments.subList(s, segments.size()).stream().flatMap(List::stream)
                        .map(ChainFolding.Step::effective).toList();
                log.debug("{} writes to table {} wait for a later attempt: {}", pending.size(), pending.get(0).table(),
                        failure);
                return new WriteOutcome(durable, rejected, pending, failure);
            }
        }
        return new WriteOutcome(durable, rejected, List.of(), "");
    }

    /**
     * Sends the write at {@code k} of a segment, standing for those before it. If DynamoDB refuses it, the one before
     * it goes instead (the refused record as if it had never been); for a fold, the record's own write then goes
     * alone, so that it is refused only for what it holds itself.
     *
     * @return null when the writes up to {@code k} have ended; else why they are pending
     */
    private String sendStanding(List<ChainFolding.Step> segment, int k, long deadline, List<WriteOperation> durable,
                                List<WriteOutcome.Rejected> rejected) throws InterruptedException {
        ChainFolding.Step step = segment.get(k);
        String failure = sendWhenStored(step.effective(), deadline, durable, rejected);
        if (failure != null) {
            return failure;
        }
        boolean refused = !rejected.isEmpty() && rejected.get(rejected.size() - 1).write() == step.effective();
        if (!refused) {
            superseded(segment.subList(0, k).stream().map(ChainFolding.Step::effective).toList(), durable);
            return null;
        }
        if (k == 0) {
            return null;
        }
        if (step.folded()) {
            rejected.remove(rejected.size() - 1); // judged again below, alone
        }
        failure = sendStanding(segment, k - 1, deadline, durable, rejected);
        if (failure != null || !step.folded()) {
            return failure;
        }
        return sendWhenStored(step.original(), deadline, durable, rejected);
    }

    private String sendWhenStored(WriteOperation write, long deadline, List<WriteOperation> durable,
                                  List<WriteOutcome.Rejected> rejected) throws InterruptedException {
        Optional<String> waiting = StoredObjects.await(write, deadline, calls.clock());
        return waiting.isPresent() ? waiting.get() : send(write, deadline, durable, rejected);
    }

    private void superseded(List<WriteOperation> writes, List<WriteOperation> durable) {
        for (WriteOperation write : writes) {
            metrics.writeSuperseded();
            durable.add(write);
        }
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
                if (call(write)) {
                    count(write);
                } else {
                    metrics.writeSuperseded();
                }
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

    /**
     * The calls of one write; the request is built before it waits, so that one DynamoDB would refuse is rejected
     * without a call.
     *
     * @return true when the write applied; false when it was superseded
     */
    private boolean call(WriteOperation write) throws InterruptedException {
        if (write.isPartial()) {
            ChangeCalls.Result result = changes.partialUpdate(write);
            if (result == ChangeCalls.Result.CREATED_INCOMPLETE) {
                metrics.partialItemCreated();
                incomplete.warnOnce(write);
            }
            return result != ChangeCalls.Result.SUPERSEDED;
        }
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
        if (write.movedTo() != null) {
            changes.carryToNewKey(write);
        }
        calls.call(1, request, response -> AdaptiveConcurrency.Signal.TOOK_ALL);
        if (write.movedTo() != null) {
            metrics.itemMovedToNewKey();
        }
        return true;
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
