package io.streamoffload.connect.dynamodb.mapping;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.connect.sink.SinkRecord;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * One record's effect on one table: put an item, update some of its attributes, or delete the item with a key.
 *
 * @param table  the table name
 * @param key    the key attributes (partition, and sort if the table has one)
 * @param item   the whole item for a put, the attributes to set (a NULL one may mean "remove") for an update, with the
 *               key attributes in both cases; null for a delete
 * @param record the record this operation came from, for error reports and offsets
 * @param bytes  the request's size as DynamoDB counts it
 * @param stored completes when every S3 object the item points to is durable; the item must not be sent before
 * @param offloadedBytes bytes of field content offloaded from the record: with {@code bytes}, about what the record's
 *                       value holds in memory while this write is kept
 * @param kind    put, update or delete
 * @param version the write's version (a number) when writes are versioned: it applies only over an older one; else null
 * @param ifUnversioned whether the write applies only where the item has no version yet (a snapshot row of a
 *                      change stream, which any streamed change supersedes); it then carries no version
 * @param unavailable   for an update from a change event, the columns the event could not carry: their attributes
 *                      keep what the item holds; empty for any other write
 * @param movedTo       for the delete of a row whose primary key changed, the key of the row's new item, which takes
 *                      what the event for the new key cannot carry from this item; else null
 */
public record WriteOperation(String table, Map<String, AttributeValue> key, Map<String, AttributeValue> item,
                             SinkRecord record, long bytes, CompletableFuture<Void> stored, long offloadedBytes,
                             Kind kind, AttributeValue version, boolean ifUnversioned, Set<String> unavailable,
                             Map<String, AttributeValue> movedTo) {
    private static final CompletableFuture<Void> NOTHING_TO_STORE = CompletableFuture.completedFuture(null);

    public enum Kind {
        PUT, UPDATE, DELETE
    }

    public static WriteOperation put(String table, Map<String, AttributeValue> key, Map<String, AttributeValue> item,
                                     SinkRecord record) {
        return put(table, key, item, record, NOTHING_TO_STORE, 0);
    }

    public static WriteOperation put(String table, Map<String, AttributeValue> key, Map<String, AttributeValue> item,
                                     SinkRecord record, CompletableFuture<Void> stored, long offloadedBytes) {
        return of(Kind.PUT, table, key, item, record, stored, offloadedBytes);
    }

    public static WriteOperation of(Kind kind, String table, Map<String, AttributeValue> key,
                                    Map<String, AttributeValue> item, SinkRecord record,
                                    CompletableFuture<Void> stored, long offloadedBytes) {
        if (kind == Kind.DELETE) {
            throw new IllegalArgumentException("a delete has no item");
        }
        return new WriteOperation(table, Map.copyOf(key), item, record, ItemSize.of(item), stored, offloadedBytes,
                kind, null, false, Set.of(), null);
    }

    public static WriteOperation delete(String table, Map<String, AttributeValue> key, SinkRecord record) {
        return new WriteOperation(table, Map.copyOf(key), null, record, ItemSize.of(key), NOTHING_TO_STORE, 0,
                Kind.DELETE, null, false, Set.of(), null);
    }

    /** This write, applied only where the item holds no version or an older one than {@code version}. */
    public WriteOperation versioned(AttributeValue version) {
        return new WriteOperation(table, key, item, record, bytes, stored, offloadedBytes, kind, version, false,
                unavailable, movedTo);
    }

    /** This write, applied only where the item holds no version yet. */
    public WriteOperation whereUnversioned() {
        return new WriteOperation(table, key, item, record, bytes, stored, offloadedBytes, kind, null, true,
                unavailable, movedTo);
    }

    /**
     * This put or update as an update that leaves the attributes of {@code columns} as the item holds them: a change
     * event that could not carry those columns.
     */
    public WriteOperation leaving(Set<String> columns) {
        if (kind == Kind.DELETE) {
            throw new IllegalArgumentException("a delete leaves no columns");
        }
        return new WriteOperation(table, key, item, record, bytes, stored, offloadedBytes, Kind.UPDATE, version,
                ifUnversioned, Set.copyOf(columns), movedTo);
    }

    /** This delete, whose row moved to {@code newKey}: the new item takes what its change cannot carry from this one. */
    public WriteOperation movingTo(Map<String, AttributeValue> newKey) {
        if (kind != Kind.DELETE) {
            throw new IllegalArgumentException("only a delete moves an item");
        }
        return new WriteOperation(table, key, item, record, bytes, stored, offloadedBytes, kind, version, ifUnversioned,
                unavailable, Map.copyOf(newKey));
    }

    /** Whether the write carries a condition on the item's version, so that BatchWriteItem cannot carry it. */
    public boolean isConditional() {
        return version != null || ifUnversioned;
    }

    /** Whether this is an update that leaves some columns as stored, because its change event could not carry them. */
    public boolean isPartial() {
        return !unavailable.isEmpty();
    }

    /** Whether BatchWriteItem can carry the write: an unconditional put or delete that touches only its own key. */
    public boolean isBatchable() {
        return kind != Kind.UPDATE && !isConditional() && movedTo == null;
    }

    public boolean isDelete() {
        return kind == Kind.DELETE;
    }

    /** As a request of BatchWriteItem, which can carry only unconditional puts and deletes. */
    public WriteRequest toWriteRequest() {
        if (!isBatchable()) {
            throw new IllegalStateException("BatchWriteItem cannot carry an update, a conditional write or a move");
        }
        return isDelete()
                ? WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key).build()).build()
                : WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }
}
