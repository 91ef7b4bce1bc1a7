package io.streamoffload.connect.dynamodb.writer;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** Every write its own call: PutItem, UpdateItem or DeleteItem, paced by the calls in flight. */
final class DirectCalls implements ItemWriteCalls {
    private final DynamoDbAsyncClient client;
    private final AsyncCalls calls;

    DirectCalls(DynamoDbAsyncClient client, AsyncCalls calls) {
        this.client = client;
        this.calls = calls;
    }

    @Override
    public CompletableFuture<Void> put(PutItemRequest request) {
        return calls.call(() -> client.putItem(request)).thenApply(answer -> null);
    }

    @Override
    public CompletableFuture<Void> update(UpdateItemRequest request) {
        return calls.call(() -> client.updateItem(request)).thenApply(answer -> null);
    }

    @Override
    public CompletableFuture<Void> delete(DeleteItemRequest request) {
        return calls.call(() -> client.deleteItem(request)).thenApply(answer -> null);
    }
}
