package io.streamoffload.connect.dynamodb.mapping;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.connect.sink.SinkRecord;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * One record's effect on one table: put an item, or delete the item with a key.
 *
 * @param table  the table name
 * @param key    the key attributes (partition, and sort if the table has one)
 * @param item   the whole item for a put; null for a delete
 * @param record the record this operation came from, for error reports and offsets
 * @param bytes  the request's size as DynamoDB counts it
 * @param stored completes when every S3 object the item points to is durable; the item must not be sent before
 * @param offloadedBytes bytes of field content offloaded from the record: with {@code bytes}, about what the record's
 *                       value holds in memory while this write is kept
 */
public record WriteOperation(String table, Map<String, AttributeValue> key, Map<String, AttributeValue> item,
                             SinkRecord record, long bytes, CompletableFuture<Void> stored, long offloadedBytes) {
    private static final CompletableFuture<Void> NOTHING_TO_STORE = CompletableFuture.completedFuture(null);

    public static WriteOperation put(String table, Map<String, AttributeValue> key, Map<String, AttributeValue> item,
                                     SinkRecord record) {
        return put(table, key, item, record, NOTHING_TO_STORE, 0);
    }

    public static WriteOperation put(String table, Map<String, AttributeValue> key, Map<String, AttributeValue> item,
                                     SinkRecord record, CompletableFuture<Void> stored, long offloadedBytes) {
        return new WriteOperation(table, Map.copyOf(key), item, record, ItemSize.of(item), stored, offloadedBytes);
    }

    public static WriteOperation delete(String table, Map<String, AttributeValue> key, SinkRecord record) {
        return new WriteOperation(table, Map.copyOf(key), null, record, ItemSize.of(key), NOTHING_TO_STORE, 0);
    }

    public boolean isDelete() {
        return item == null;
    }

    public WriteRequest toWriteRequest() {
        return isDelete()
                ? WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key).build()).build()
                : WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }
}
