package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.config.ItemBatching;
import io.streamoffload.connect.dynamodb.config.WriteSettings;
import io.streamoffload.connect.dynamodb.errors.ErrorClassifier;
import io.streamoffload.connect.dynamodb.errors.ErrorClassifier.Disposition;
import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import io.streamoffload.connect.dynamodb.retry.RetryPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * Writes operations one item per call (PutItem, UpdateItem, DeleteItem), for what BatchWriteItem cannot carry:
 * updates, versioned (conditional) writes, and the changes of a change stream that could not carry some columns or
 * that move a row to a new primary key. The writes to one key form a chain sent strictly in record order, each only
 * after the one before it is durable ({@link WriteChains}; a key change links its old and new key's chains); chains run
 * concurrently, as many calls in flight as {@link AdaptiveConcurrency} allows, on the async client's threads: no
 * thread waits for a call ({@link AsyncCalls}), each write its own call or, as configured, those under way at once
 * together in transactions ({@link ItemWriteCalls}). Within a chain, writes that another stands for are not sent
 * ({@link ChainFolding}, {@link VersionedChain}). Retry classification, backoff and budget are the batch writer's; a
 * write whose version condition fails is superseded (counted, not an error); a write DynamoDB refuses is rejected with
 * the reason and its chain goes on; a write still failing at the end of the budget leaves it and the rest of its chain
 * pending.
 */
public final class ItemWriter implements DynamoDbWriter {
    private static final Logger log = LoggerFactory.getLogger(ItemWriter.class);

    private final ItemRequests requests;
    private final SinkTaskMetrics metrics;
    private final AsyncCalls calls;
    private final ItemWriteCalls writes;
    private final ChangeCalls changes;
    private final boolean changeEvents;
    private final boolean putMode;
    private final IncompleteItems incomplete = new IncompleteItems();

    public ItemWriter(DynamoDbAsyncClient client, WriteSettings modes, int maxConcurrentCalls, RetryPolicy retry,
                      SinkTaskMetrics metrics) {
        this(client, modes, ItemBatching.NONE, maxConcurrentCalls, retry, metrics);
    }

    /**
     * @param batching whether writes under way at once go together in transactions ({@link TransactionGroups})
     */
    public ItemWriter(DynamoDbAsyncClient client, WriteSettings modes, ItemBatching batching, int maxConcurrentCalls,
                      RetryPolicy retry, SinkTaskMetrics metrics) {
        this.requests = new ItemRequests(modes.version().map(WriteSettings.Version::attribute),
                modes.nullsRemoveAttributes(), modes.unavailable().map(WriteSettings.Unavailable::columnsAttribute));
        this.metrics = metrics;
        this.calls = new AsyncCalls("DynamoDB item writer", maxConcurrentCalls, retry, metrics);
        this.writes = batching == ItemBatching.TRANSACTIONS ? new TransactionGroups(client, calls, metrics)
                : new DirectCalls(client, calls);
        this.changes = new ChangeCalls(client, requests, calls, writes);
        this.changeEvents = modes.cdc() == WriteSettings.CdcFormat.DEBEZIUM;
        this.putMode = modes.mode() == WriteSettings.Mode.PUT;
    }

    @Override
    public WriteOutcome write(List<WriteOperation> operations) {
        if (operations.isEmpty()) {
            return WriteOutcome.NONE;
        }
        long deadline = calls.deadline();
        return calls.awaitAll(writes.startRound(deadline, () -> {
            List<CompletableFuture<WriteOutcome>> parts = new ArrayList<>();
            for (WriteChains.Chain chain : WriteChains.of(operations)) {
                parts.add(writeChain(chain, deadline));
            }
            return parts;
        }));
    }

    /** What a chain's writes have come to so far; its stages run one after another, never at once. */
    private static final class Ended {
        final List<WriteOperation> durable = new ArrayList<>();
        final List<WriteOutcome.Rejected> rejected = new ArrayList<>(0);

        WriteOutcome done() {
            return new WriteOutcome(durable, rejected, List.of(), "");
        }

        WriteOutcome pending(List<WriteOperation> pending, String failure) {
            return new WriteOutcome(durable, rejected, pending, failure);
        }
    }

    /**
     * The writes of one chain. Where one write decides the item ({@link VersionedChain}), it goes alone and the
     * others end with it, as superseded; if DynamoDB refuses it, the others go in order as they would have without it.
     * Otherwise each segment of writes that its last one stands for goes in order ({@link ChainFolding}).
     */
    private CompletableFuture<WriteOutcome> writeChain(WriteChains.Chain chain, long deadline) {
        List<List<ChainFolding.Step>> segments = chain.linked()
                ? chain.writes().stream().map(write -> List.of(new ChainFolding.Step(write, write))).toList()
                : ChainFolding.steps(chain.writes(), changeEvents, putMode);
        List<WriteOperation> effective = segments.stream().flatMap(List::stream).map(ChainFolding.Step::effective).toList();
        // with folds, the segments decide: a refused fold falls back to the writes it stands for, one by one
        boolean folded = segments.stream().flatMap(List::stream).anyMatch(ChainFolding.Step::folded);
        Optional<WriteOperation> winner = chain.linked() || folded ? Optional.empty() : VersionedChain.winner(effective);
        if (winner.isEmpty()) {
            return writeInOrder(segments, 0, deadline, new Ended());
        }
        WriteOperation decisive = winner.get();
        Ended ended = new Ended();
        return send(decisive, deadline, ended).thenCompose(failure -> {
            if (failure != null) {
                log.debug("{} writes to table {} wait for a later attempt: {}", effective.size(), decisive.table(), failure);
                return CompletableFuture.completedFuture(new WriteOutcome(List.of(), List.of(), effective, failure));
            }
            List<WriteOperation> others = effective.stream().filter(write -> write != decisive).toList();
            if (!ended.rejected.isEmpty()) {
                Ended after = new Ended();
                after.rejected.addAll(ended.rejected);
                return writeInOrder(others.stream().map(write -> List.of(new ChainFolding.Step(write, write))).toList(),
                        0, deadline, after);
            }
            superseded(others, ended);
            return CompletableFuture.completedFuture(ended.done());
        });
    }

    /** The segments of a chain from {@code s} on, in order: each goes only once every write before it has ended. */
    private CompletableFuture<WriteOutcome> writeInOrder(List<List<ChainFolding.Step>> segments, int s, long deadline,
                                                         Ended ended) {
        if (s == segments.size()) {
            return CompletableFuture.completedFuture(ended.done());
        }
        List<ChainFolding.Step> segment = segments.get(s);
        return sendStanding(segment, segment.size() - 1, deadline, ended).thenCompose(failure -> {
            if (failure == null) {
                return writeInOrder(segments, s + 1, deadline, ended);
            }
            List<WriteOperation> pending = segments.subList(s, segments.size()).stream().flatMap(List::stream)
                    .map(ChainFolding.Step::effective).toList();
            log.debug("{} writes to table {} wait for a later attempt: {}", pending.size(), pending.get(0).table(),
                    failure);
            return CompletableFuture.completedFuture(ended.pending(pending, failure));
        });
    }

    /**
     * Sends the write at {@code k} of a segment, standing for those before it. If DynamoDB refuses it, the one before
     * it goes instead (the refused record as if it had never been); for a fold, the record's own write then goes
     * alone, so that it is refused only for what it holds itself.
     *
     * @return null when the writes up to {@code k} have ended; else why they are pending
     */
    private CompletableFuture<String> sendStanding(List<ChainFolding.Step> segment, int k, long deadline, Ended ended) {
        ChainFolding.Step step = segment.get(k);
        return send(step.effective(), deadline, ended).thenCompose(failure -> {
            if (failure != null) {
                return CompletableFuture.completedFuture(failure);
            }
            boolean refused = !ended.rejected.isEmpty()
                    && ended.rejected.get(ended.rejected.size() - 1).write() == step.effective();
            if (!refused) {
                superseded(segment.subList(0, k).stream().map(ChainFolding.Step::effective).toList(), ended);
                return CompletableFuture.completedFuture(null);
            }
            if (k == 0) {
                return CompletableFuture.completedFuture(null);
            }
            if (step.folded()) {
                ended.rejected.remove(ended.rejected.size() - 1); // judged again below, alone
            }
            return sendStanding(segment, k - 1, deadline, ended).thenCompose(earlier -> earlier != null || !step.folded()
                    ? CompletableFuture.completedFuture(earlier) : send(step.original(), deadline, ended));
        });
    }

    private void superseded(List<WriteOperation> writes, Ended ended) {
        for (WriteOperation write : writes) {
            metrics.writeSuperseded();
            ended.durable.add(write);
        }
    }

    /**
     * Sends one write once its objects are stored, retrying until it is durable, superseded or rejected (added to
     * {@code ended}), or the budget is spent.
     *
     * @return null when the write has ended; else why it is still pending
     */
    private CompletableFuture<String> send(WriteOperation write, long deadline, Ended ended) {
        return StoredObjects.whenStored(write, deadline, calls.clock()).thenCompose(waiting -> waiting.isPresent()
                ? CompletableFuture.completedFuture(waiting.get()) : attempt(write, deadline, 0, ended));
    }

    private CompletableFuture<String> attempt(WriteOperation write, long deadline, int attempt, Ended ended) {
        CompletableFuture<Boolean> call;
        try {
            call = call(write);
        } catch (IllegalArgumentException e) {
            ended.rejected.add(new WriteOutcome.Rejected(write, e.getMessage()));
            return CompletableFuture.completedFuture(null);
        }
        return call.handle((applied, error) -> {
            if (error == null) {
                if (applied) {
                    count(write);
                } else {
                    metrics.writeSuperseded();
                }
                ended.durable.add(write);
                return CompletableFuture.<String>completedFuture(null);
            }
            Throwable cause = AsyncCalls.unwrap(error);
            if (!(cause instanceof SdkException)) {
                throw cause instanceof ConnectException connect ? connect : new CompletionException(cause);
            }
            if (ErrorClassifier.isConditionFailed(cause)) {
                metrics.writeSuperseded();
                ended.durable.add(write);
                return CompletableFuture.<String>completedFuture(null);
            }
            Disposition disposition = ErrorClassifier.classify(cause);
            if (disposition == Disposition.FATAL) {
                throw FatalWriteException.writingTo(write.table(), (SdkException) cause);
            }
            if (disposition == Disposition.BAD_REQUEST) {
                ended.rejected.add(new WriteOutcome.Rejected(write, "DynamoDB rejected the " + verb(write) + " of an item "
                        + "of table " + write.table() + ": " + ErrorClassifier.describeWithoutDetail(cause)
                        + (write.kind() == WriteOperation.Kind.UPDATE ? " (an update is refused when the item it "
                        + "would make exceeds DynamoDB's 400 KB item limit)" : "")));
                return CompletableFuture.<String>completedFuture(null);
            }
            metrics.callRetried(ErrorClassifier.isThrottling(cause));
            String failure = verb(write) + " of an item of table " + write.table() + " failed: "
                    + ErrorClassifier.describe(cause);
            return calls.backOff(attempt, deadline).thenCompose(retry -> retry
                    ? attempt(write, deadline, attempt + 1, ended) : CompletableFuture.completedFuture(failure));
        }).thenCompose(next -> next);
    }

    /**
     * The calls of one write; the request is built before anything is sent, so that one DynamoDB would refuse is
     * rejected without a call.
     *
     * @return true when the write applied; false when it was superseded
     */
    private CompletableFuture<Boolean> call(WriteOperation write) {
        if (write.isPartial()) {
            return changes.partialUpdate(write).thenApply(result -> {
                if (result == ChangeCalls.Result.CREATED_INCOMPLETE) {
                    metrics.partialItemCreated();
                    incomplete.warnOnce(write);
                }
                return result != ChangeCalls.Result.SUPERSEDED;
            });
        }
        Supplier<CompletableFuture<Void>> request = switch (write.kind()) {
            case PUT -> {
                var put = requests.put(write);
                yield () -> writes.put(put);
            }
            case UPDATE -> {
                var update = requests.update(write);
                yield () -> writes.update(update);
            }
            case DELETE -> {
                var delete = requests.delete(write);
                yield () -> writes.delete(delete);
            }
        };
        CompletableFuture<Void> before = write.movedTo() == null ? CompletableFuture.completedFuture(null)
                : changes.carryToNewKey(write);
        return before.thenCompose(carried -> request.get()).thenApply(response -> {
            if (write.movedTo() != null) {
                metrics.itemMovedToNewKey();
            }
            return true;
        });
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
