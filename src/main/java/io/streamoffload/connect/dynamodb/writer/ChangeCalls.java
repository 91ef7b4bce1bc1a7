package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.errors.ErrorClassifier;
import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
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
    /** Makes one DynamoDB call within the writer's pacing. */
    @FunctionalInterface
    interface Caller {
        <T> T call(Supplier<T> call) throws InterruptedException;
    }

    /** How a change ended. */
    enum Result {
        /** applied to the item as it stood */
        APPLIED,
        /** the item held a newer version */
        SUPERSEDED,
        /** no item existed: it was created without the columns the change could not carry, which it lists */
        CREATED_INCOMPLETE
    }

    private final DynamoDbClient client;
    private final ItemRequests requests;
    private final Caller caller;

    ChangeCalls(DynamoDbClient client, ItemRequests requests, Caller caller) {
        this.client = client;
        this.requests = requests;
        this.caller = caller;
    }

    /**
     * An update that leaves some columns as stored: applied where the item exists; where it does not (or a newer
     * version stands, which a version condition cannot tell apart), a probe tells which, and a missing item is
     * created without those columns. An item written between the two (a moved row's copy) takes the update after all.
     */
    Result partialUpdate(WriteOperation write) throws InterruptedException {
        var update = requests.update(write);
        var create = requests.createWithout(write);
        for (int attempt = 0; ; attempt++) {
            try {
                caller.call(() -> client.updateItem(update));
                return Result.APPLIED;
            } catch (SdkException e) {
                if (!ErrorClassifier.isConditionFailed(e)) {
                    throw e;
                }
            }
            if (write.isConditional() && exists(write.table(), write.key())) {
                return Result.SUPERSEDED;
            }
            try {
                caller.call(() -> client.updateItem(create));
                return Result.CREATED_INCOMPLETE;
            } catch (SdkException e) {
                if (!ErrorClassifier.isConditionFailed(e) || attempt == 2) {
                    throw e; // three items appearing and vanishing between calls: left to the retry budget
                }
            }
        }
    }

    /**
     * Before the delete of a row whose primary key changed: its item is copied to the new key where no item is yet,
     * or fills in what the new key's item was created without. An item already gone (a redelivery) lends nothing.
     */
    void carryToNewKey(WriteOperation write) throws InterruptedException {
        GetItemResponse old = caller.call(() -> client.getItem(requests.read(write.table(), write.key())));
        // an item newer than the delete is a row written again under the old key since: it stays, and lends nothing
        if (old.hasItem() && !old.item().isEmpty() && !requests.holdsNewer(old.item(), write)) {
            copy(write, old.item());
        }
    }

    private void copy(WriteOperation write, Map<String, AttributeValue> old) throws InterruptedException {
        var put = requests.copyTo(write.table(), write.movedTo(), old, write.key().keySet());
        try {
            caller.call(() -> client.putItem(put));
            return;
        } catch (SdkException e) {
            if (!ErrorClassifier.isConditionFailed(e)) {
                throw e;
            }
        }
        // the new key's item exists already: it only takes what it was created without
        GetItemResponse current = caller.call(() -> client.getItem(requests.probe(write.table(), write.movedTo())));
        Optional<List<String>> missing = current.hasItem() ? requests.unavailableIn(current.item()) : Optional.empty();
        if (missing.isEmpty()) {
            return;
        }
        Optional<UpdateItemRequest> fill =
                requests.fill(write.table(), write.movedTo(), old, write.key().keySet(), missing.get());
        if (fill.isPresent()) {
            try {
                caller.call(() -> client.updateItem(fill.get()));
            } catch (SdkException e) {
                if (!ErrorClassifier.isConditionFailed(e)) {
                    throw e; // a condition failure: a whole row filled it meanwhile
                }
            }
        }
    }

    private boolean exists(String table, Map<String, AttributeValue> key) throws InterruptedException {
        GetItemResponse response = caller.call(() -> client.getItem(requests.probe(table, key)));
        return response.hasItem() && !response.item().isEmpty();
    }
}
