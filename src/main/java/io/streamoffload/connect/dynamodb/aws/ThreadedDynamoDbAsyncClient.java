package io.streamoffload.connect.dynamodb.aws;

import io.streamoffload.connect.dynamodb.util.Pools;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The single-item calls of a synchronous DynamoDB client, made asynchronous by a thread per call in flight: with
 * {@code item.writes.http.client=apache}, and for tests whose DynamoDB is a synchronous fake.
 */
public final class ThreadedDynamoDbAsyncClient implements DynamoDbAsyncClient {
    private final DynamoDbClient client;
    private final ExecutorService threads;

    /** @param threads the calls in flight at most: one thread each */
    public ThreadedDynamoDbAsyncClient(DynamoDbClient client, int threads) {
        this.client = client;
        this.threads = Pools.fixed("dynamodb-item-call", Math.max(1, threads));
    }

    private <T> CompletableFuture<T> onAThread(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call, threads);
    }

    @Override
    public CompletableFuture<PutItemResponse> putItem(PutItemRequest request) {
        return onAThread(() -> client.putItem(request));
    }

    @Override
    public CompletableFuture<UpdateItemResponse> updateItem(UpdateItemRequest request) {
        return onAThread(() -> client.updateItem(request));
    }

    @Override
    public CompletableFuture<DeleteItemResponse> deleteItem(DeleteItemRequest request) {
        return onAThread(() -> client.deleteItem(request));
    }

    @Override
    public CompletableFuture<TransactWriteItemsResponse> transactWriteItems(TransactWriteItemsRequest request) {
        return onAThread(() -> client.transactWriteItems(request));
    }

    @Override
    public CompletableFuture<GetItemResponse> getItem(GetItemRequest request) {
        return onAThread(() -> client.getItem(request));
    }

    @Override
    public String serviceName() {
        return client.serviceName();
    }

    /** Stops the threads; the synchronous client is its owner's to close. */
    @Override
    public void close() {
        Pools.shutdown(threads, "DynamoDB item calls");
    }
}
