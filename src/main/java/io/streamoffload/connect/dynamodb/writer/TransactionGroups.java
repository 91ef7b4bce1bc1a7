package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.errors.ErrorClassifier;
import io.streamoffload.connect.dynamodb.mapping.ItemSize;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Single-item writes carried together by TransactWriteItems calls ({@code item.writes.batching=transactions}): up to
 * 100 writes and 4 MB of items per call, each write with its own condition, at two write units per KB instead of one.
 * Writes queue while every call allowed in flight is out, and the next call takes what has queued by its turn; the
 * writes a round starts with, and those that follow the writes of an ended transaction, queue until all of them have,
 * so that they go together. A write that is alone by its turn goes as its own single-item call, at a single write's
 * price.
 *
 * <p>The writer has at most one write per key under way (a key's writes form a chain), so a transaction never holds
 * two writes to one item. A transaction succeeds or fails whole, and its cancellation reasons say why each write
 * failed: a failed condition or a refusal ends that write as its own call would have; throttling or another
 * transaction on the item sends that write back to the writer's retries; a reason not documented when this was
 * written sends that write alone, to meet its meaning as a single call's error; the writes that were not at fault go
 * again in the next transaction. A transaction that failed whole for a transient reason goes again as it was, with the
 * same ClientRequestToken, so that one which was applied while its answer was lost is not applied twice. One that
 * DynamoDB refuses whole, for no write of its own, is undone into single-item calls.
 */
final class TransactionGroups implements ItemWriteCalls {
    static final int MAX_WRITES = 100;
    /** DynamoDB's limit on the aggregate size of a transaction's items. */
    static final long MAX_BYTES = 4L * 1024 * 1024;
    /** The error a single call meets for each cancellation reason DynamoDB documents. */
    private static final Map<String, String> SINGLE_CALL_CODES = Map.of(
            "ConditionalCheckFailed", "ConditionalCheckFailedException",
            "ValidationError", "ValidationException",
            "TransactionConflict", "TransactionConflictException",
            "ProvisionedThroughputExceeded", "ProvisionedThroughputExceededException",
            "ThrottlingError", "ThrottlingException",
            "ItemCollectionSizeLimitExceeded", "ItemCollectionSizeLimitExceededException");

    private static final Logger log = LoggerFactory.getLogger(TransactionGroups.class);

    private final DynamoDbAsyncClient client;
    private final AsyncCalls calls;
    private final SinkTaskMetrics metrics;
    private final Deque<Write> queue = new ArrayDeque<>();
    /** While above zero, writes queue without a call to take them: more are on their way at once. */
    private int holds;
    /** Whether a call waits for its turn, to take what has queued by then; at most one does. */
    private boolean callWaiting;
    private volatile long deadline;

    TransactionGroups(DynamoDbAsyncClient client, AsyncCalls calls, SinkTaskMetrics metrics) {
        this.client = client;
        this.calls = calls;
        this.metrics = metrics;
        this.deadline = calls.deadline();
    }

    /**
     * One write, as a transaction's action and as its own call.
     *
     * @param bytes the size of the items it carries, as DynamoDB counts them against the 4 MB
     */
    private record Write(TransactWriteItem action, long bytes, Supplier<CompletableFuture<?>> alone,
                         CompletableFuture<Void> done) {
        void ended(Throwable error) {
            if (error == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(AsyncCalls.unwrap(error));
            }
        }
    }

    /** The writes of one call: a transaction, or a write alone as its own call. */
    private final class Group {
        final List<Write> writes;
        /** null for a write alone */
        final TransactWriteItemsRequest request;

        Group(List<Write> writes) {
            this.writes = writes;
            this.request = writes.size() < 2 ? null : TransactWriteItemsRequest.builder()
                    .transactItems(writes.stream().map(Write::action).toList())
                    .clientRequestToken(UUID.randomUUID().toString()).build();
        }

        /** Sends the call; the same request every time, so that a transaction's token stays with it. */
        CompletableFuture<Object> send() {
            if (writes.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            return erased(request == null ? writes.get(0).alone().get() : client.transactWriteItems(request));
        }
    }

    @Override
    public CompletableFuture<Void> put(PutItemRequest request) {
        Put put = Put.builder().tableName(request.tableName()).item(request.item())
                .conditionExpression(request.conditionExpression())
                .expressionAttributeNames(request.expressionAttributeNames())
                .expressionAttributeValues(request.expressionAttributeValues()).build();
        return queue(TransactWriteItem.builder().put(put).build(), ItemSize.of(request.item()),
                () -> client.putItem(request));
    }

    @Override
    public CompletableFuture<Void> update(UpdateItemRequest request) {
        Update update = Update.builder().tableName(request.tableName()).key(request.key())
                .updateExpression(request.updateExpression()).conditionExpression(request.conditionExpression())
                .expressionAttributeNames(request.expressionAttributeNames())
                .expressionAttributeValues(request.expressionAttributeValues()).build();
        return queue(TransactWriteItem.builder().update(update).build(),
                ItemSize.of(request.key()) + ItemSize.of(valuesOf(request.expressionAttributeValues())),
                () -> client.updateItem(request));
    }

    @Override
    public CompletableFuture<Void> delete(DeleteItemRequest request) {
        Delete delete = Delete.builder().tableName(request.tableName()).key(request.key())
                .conditionExpression(request.conditionExpression())
                .expressionAttributeNames(request.expressionAttributeNames())
                .expressionAttributeValues(request.expressionAttributeValues()).build();
        return queue(TransactWriteItem.builder().delete(delete).build(), ItemSize.of(request.key()),
                () -> client.deleteItem(request));
    }

    private static Map<String, AttributeValue> valuesOf(Map<String, AttributeValue> values) {
        return values == null ? Map.of() : values;
    }

    @Override
    public <T> T startRound(long deadline, Supplier<T> start) {
        this.deadline = deadline;
        return together(start);
    }

    private CompletableFuture<Void> queue(TransactWriteItem action, long bytes, Supplier<CompletableFuture<?>> alone) {
        Write write = new Write(action, bytes, alone, new CompletableFuture<>());
        boolean send;
        synchronized (this) {
            queue.add(write);
            send = callToWait();
        }
        if (send) {
            sendNext();
        }
        return write.done();
    }

    /** Whether a call is now to wait for its turn and take what has queued; under the lock. */
    private boolean callToWait() {
        if (holds > 0 || callWaiting || queue.isEmpty()) {
            return false;
        }
        callWaiting = true;
        return true;
    }

    /** Runs {@code writes}, the writes it queues waiting for it to return. */
    private <T> T together(Supplier<T> writes) {
        synchronized (this) {
            holds++;
        }
        try {
            return writes.get();
        } finally {
            boolean send;
            synchronized (this) {
                holds--;
                send = callToWait();
            }
            if (send) {
                sendNext();
            }
        }
    }

    /** A call that waits for its turn among the calls in flight, then takes the writes queued by then. */
    private void sendNext() {
        AtomicReference<Group> taken = new AtomicReference<>();
        calls.call(() -> {
            Group group = take();
            taken.set(group);
            return group.send();
        }).whenComplete((answer, error) -> {
            Group group = taken.get();
            if (group == null) {
                failQueued(error);
            } else {
                ended(group, error, 0);
            }
        });
    }

    /** The writes of the next call: as many queued as one transaction holds. */
    private Group take() {
        List<Write> writes = new ArrayList<>();
        boolean more;
        synchronized (this) {
            callWaiting = false;
            long bytes = 0;
            while (!queue.isEmpty() && writes.size() < MAX_WRITES
                    && (writes.isEmpty() || bytes + queue.peek().bytes() <= MAX_BYTES)) {
                Write write = queue.poll();
                bytes += write.bytes();
                writes.add(write);
            }
            more = callToWait();
        }
        if (more) {
            sendNext();
        }
        return new Group(writes);
    }

    private void ended(Group group, Throwable error, int attempt) {
        if (error == null) {
            together(() -> {
                group.writes.forEach(write -> write.ended(null));
                return null;
            });
            return;
        }
        Throwable cause = AsyncCalls.unwrap(error);
        if (group.request == null) {
            group.writes.forEach(write -> write.ended(cause));
            return;
        }
        if (cause instanceof TransactionCanceledException cancelled && cancelled.hasCancellationReasons()
                && cancelled.cancellationReasons().size() == group.writes.size()) {
            together(() -> {
                cancelled(group, cancelled.cancellationReasons());
                return null;
            });
            return;
        }
        ErrorClassifier.Disposition disposition = cause instanceof TransactionCanceledException
                ? ErrorClassifier.Disposition.BAD_REQUEST : ErrorClassifier.classify(cause);
        switch (disposition) {
            case RETRY -> {
                metrics.callRetried(ErrorClassifier.isThrottling(cause));
                calls.backOff(attempt, deadline).whenComplete((retry, stopped) -> {
                    if (stopped == null && retry) {
                        calls.call(group::send).whenComplete((answer, again) -> ended(group, again, attempt + 1));
                    } else {
                        group.writes.forEach(write -> write.ended(cause));
                    }
                });
            }
            case BAD_REQUEST -> {
                log.debug("DynamoDB refused a transaction of {} writes whole, they go one by one: {}",
                        group.writes.size(), ErrorClassifier.describeWithoutDetail(cause));
                group.writes.forEach(this::sendAlone);
            }
            case FATAL -> group.writes.forEach(write -> write.ended(cause));
        }
    }

    /**
     * A transaction cancelled for the sake of some of its writes: they end with their own reason, and the others, which
     * would have been applied, queue for the next transaction.
     */
    private void cancelled(Group group, List<CancellationReason> reasons) {
        List<Write> innocent = new ArrayList<>();
        for (int i = 0; i < reasons.size(); i++) {
            CancellationReason reason = reasons.get(i);
            Write write = group.writes.get(i);
            if (reason.code() == null || "None".equals(reason.code())) {
                innocent.add(write);
            } else if (SINGLE_CALL_CODES.containsKey(reason.code())) {
                write.ended(failureOf(reason));
            } else {
                // a reason this connector does not know: the write's own call meets what it means, as an error
                // the classifier knows, rather than the task stopping on an unknown code
                log.debug("A write of a transaction was cancelled for {}, which has no single-call error known here: "
                        + "it goes alone", reason.code());
                sendAlone(write);
            }
        }
        if (innocent.size() == group.writes.size()) {
            // no write at fault, as DynamoDB may answer for an internal conflict: each goes back to the retries
            innocent.forEach(write -> write.ended(RetryableException.create("DynamoDB cancelled a transaction without "
                    + "naming a write at fault")));
            return;
        }
        if (calls.clock().millis() >= deadline) {
            // the round is over: they go back to the writer, whose retries know what is left of the budget
            innocent.forEach(write -> write.ended(RetryableException.create("DynamoDB cancelled a transaction for "
                    + "another of its writes after the round's deadline")));
            return;
        }
        synchronized (this) {
            queue.addAll(innocent);
        }
    }

    /** A write taken out of transactions, as its own call. */
    private void sendAlone(Write write) {
        calls.call(() -> erased(write.alone().get())).whenComplete((answer, e) -> write.ended(e));
    }

    /** One write's failure as its own call would have met it: the error code DynamoDB answers a single write with. */
    static DynamoDbException failureOf(CancellationReason reason) {
        String code = SINGLE_CALL_CODES.getOrDefault(reason.code(), reason.code());
        String message = (reason.message() == null ? reason.code() : reason.message()) + " (a write of a transaction)";
        return (DynamoDbException) DynamoDbException.builder().message(message).statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("DynamoDb")
                        .build()).build();
    }

    /** An answer as an object: what came back is not needed, only whether it came. */
    @SuppressWarnings("unchecked")
    private static CompletableFuture<Object> erased(CompletableFuture<?> answer) {
        return (CompletableFuture<Object>) answer;
    }

    /** A call that failed before it took any write: what has queued fails with it, or it would never end. */
    private void failQueued(Throwable error) {
        List<Write> stranded;
        synchronized (this) {
            callWaiting = false;
            stranded = new ArrayList<>(queue);
            queue.clear();
        }
        Throwable cause = error == null ? new IllegalStateException("a transaction call ended without writes") : error;
        stranded.forEach(write -> write.ended(cause));
    }
}
