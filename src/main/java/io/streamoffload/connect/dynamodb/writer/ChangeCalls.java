package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.errors.ErrorClassifier;
import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The calls of the writes a change event needs beyond one request: an update that could not carry some columns, which
 * must not create an item that lacks them without saying so; and the delete of a row whose primary key changed, whose
 * item first lends the new item what the new key's event cannot carry. Every step is safe to repeat, so a write that
 * fails part way is simply sent again from its first step.
 */
final class ChangeCalls {
    /** How a change ended. */
    enum Result {
        /** applied to the item as it stood */
        APPLIED,
        /** the item held a newer version */
        SUPERSEDED,
        /** no item existed: it was created without the columns the change could not carry, which it lists */
        CREATED_INCOMPLETE
    }

    private final DynamoDbAsyncClient client;
    private final ItemRequests requests;
    private final AsyncCalls calls;
    private final ItemWriteCalls writes;

    /**
     * @param calls  for the reads (GetItem)
     * @param writes for the writes, which may go together with others in a transaction
     */
    ChangeCalls(DynamoDbAsyncClient client, ItemRequests requests, AsyncCalls calls, ItemWriteCalls writes) {
        this.client = client;
        this.requests = requests;
        this.calls = calls;
        this.writes = writes;
    }

    /**
     * An update that leaves some columns as stored: applied where the item exists; where it does not (or a newer
     * version stands, which a version condition cannot tell apart), a probe tells which, and a missing item is
     * created without those columns. An item written between the two (a moved row's copy) takes the update after all.
     */
    CompletableFuture<Result> partialUpdate(WriteOperation write) {
        return partialUpdate(write, requests.update(write), requests.createWithout(write), 0);
    }

    private CompletableFuture<Result> partialUpdate(WriteOperation write, UpdateItemRequest update,
                                                    UpdateItemRequest create, int attempt) {
        return unlessConditionFails(writes.update(update)).thenCompose(applied -> {
            if (applied) {
                return CompletableFuture.completedFuture(Result.APPLIED);
            }
            CompletableFuture<Boolean> newer = write.isConditional() ? exists(write.table(), write.key())
                    : CompletableFuture.completedFuture(false);
            return newer.thenCompose(superseded -> {
                if (superseded) {
                    return CompletableFuture.completedFuture(Result.SUPERSEDED);
                }
                return unlessConditionFails(writes.update(create)).thenCompose(created -> {
                    if (created) {
                        return CompletableFuture.completedFuture(Result.CREATED_INCOMPLETE);
                    }
                    if (attempt == 2) {
                        // three items appearing and vanishing between calls: left to the retry budget
                        throw new CompletionException(RetryableException.create("the item of a change lacking columns "
                                + "appeared and vanished between calls three times in a row"));
                    }
                    return partialUpdate(write, update, create, attempt + 1);
                });
            });
        });
    }

    /**
     * Before the delete of a row whose primary key changed: its item is copied to the new key where no item is yet,
     * or fills in what the new key's item was created without. An item already gone (a redelivery) lends nothing, and
     * an item newer than the delete is a row written again under the old key since: it stays, and lends nothing.
     */
    CompletableFuture<Void> carryToNewKey(WriteOperation write) {
        return calls.call(() -> client.getItem(requests.read(write.table(), write.key()))).thenCompose(old ->
                old.hasItem() && !old.item().isEmpty() && !requests.holdsNewer(old.item(), write)
                        ? copy(write, old.item()) : CompletableFuture.completedFuture(null));
    }

    private CompletableFuture<Void> copy(WriteOperation write, Map<String, AttributeValue> old) {
        var put = requests.copyTo(write.table(), write.movedTo(), old, write.key().keySet());
        return unlessConditionFails(writes.put(put)).thenCompose(copied -> {
            if (copied) {
                return CompletableFuture.completedFuture(null);
            }
            // the new key's item exists already: it only takes what it was created without
            return calls.call(() -> client.getItem(requests.probe(write.table(), write.movedTo()))).thenCompose(current -> {
                Optional<List<String>> missing = current.hasItem() ? requests.unavailableIn(current.item())
                        : Optional.empty();
                Optional<UpdateItemRequest> fill = missing.flatMap(columns ->
                        requests.fill(write.table(), write.movedTo(), old, write.key().keySet(), columns));
                // a failed condition: a whole row filled it meanwhile
                return fill.isEmpty() ? CompletableFuture.completedFuture(null)
                        : unlessConditionFails(writes.update(fill.get())).thenApply(done -> null);
            });
        });
    }

    private CompletableFuture<Boolean> exists(String table, Map<String, AttributeValue> key) {
        return calls.call(() -> client.getItem(requests.probe(table, key)))
                .thenApply((GetItemResponse response) -> response.hasItem() && !response.item().isEmpty());
    }

    /** True when the call succeeded, false when its condition failed; any other failure fails the future. */
    private static <T> CompletableFuture<Boolean> unlessConditionFails(CompletableFuture<T> call) {
        return call.handle((response, error) -> {
            if (error == null) {
                return true;
            }
            Throwable cause = AsyncCalls.unwrap(error);
            if (ErrorClassifier.isConditionFailed(cause)) {
                return false;
            }
            throw error instanceof CompletionException completion ? completion : new CompletionException(cause);
        });
    }
}
