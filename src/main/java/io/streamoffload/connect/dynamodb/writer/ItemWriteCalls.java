package io.streamoffload.connect.dynamodb.writer;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * How the item writer's single-item writes reach DynamoDB: a call each ({@link DirectCalls}), or together in
 * transactions ({@link TransactionGroups}). Either way a write's future ends as its own call would: done, or failed
 * with the error DynamoDB gives that write (a failed condition, a refusal, throttling), which the writer handles the
 * same way whatever carried the write.
 */
interface ItemWriteCalls {
    CompletableFuture<Void> put(PutItemRequest request);

    CompletableFuture<Void> update(UpdateItemRequest request);

    CompletableFuture<Void> delete(DeleteItemRequest request);

    /**
     * Starts a round's writes: those {@code start} makes may wait until it returns, so that they can go together.
     *
     * @param deadline when the round's writes must have ended, for retries of what carries several of them
     */
    default <T> T startRound(long deadline, Supplier<T> start) {
        return start.get();
    }
}
