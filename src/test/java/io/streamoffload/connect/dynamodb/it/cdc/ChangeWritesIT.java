package io.streamoffload.connect.dynamodb.it.cdc;

import static io.streamoffload.connect.dynamodb.testutil.Records.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamoffload.connect.dynamodb.DynamoDbSinkConfig;
import io.streamoffload.connect.dynamodb.aws.AwsClientFactory;
import io.streamoffload.connect.dynamodb.config.ItemHttpClient;
import io.streamoffload.connect.dynamodb.config.WriteSettings;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import io.streamoffload.connect.dynamodb.it.stack.Tables;
import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import io.streamoffload.connect.dynamodb.retry.Backoff;
import io.streamoffload.connect.dynamodb.retry.RetryPolicy;
import io.streamoffload.connect.dynamodb.retry.Sleeper;
import io.streamoffload.connect.dynamodb.writer.BatchPlanner;
import io.streamoffload.connect.dynamodb.writer.BatchWriter;
import io.streamoffload.connect.dynamodb.writer.ItemWriter;
import io.streamoffload.connect.dynamodb.writer.MixedWriter;
import io.streamoffload.connect.dynamodb.writer.WriteOutcome;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The writes of changes that could not carry some columns, and of primary-key changes, against dynalite, so that every
 * condition and update expression is judged by a DynamoDB implementation: an existing item keeps what the change lacks;
 * a missing item is created without it and lists it; a newer item supersedes the change; a snapshot row fills an item
 * that lists missing columns although it holds a version; a moved row's item reaches its new key, before or after the
 * new key's own change.
 */
@ExtendWith(InJvmStackExtension.class)
class ChangeWritesIT {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static final String MARKER = "_unavailable_columns";
    private final DynamoDbClient dynamo;
    /** The connector's own client of single-item calls: asynchronous, on the CRT. */
    private final DynamoDbAsyncClient items;
    private final SinkTaskMetrics metrics = new SinkTaskMetrics();
    private final String table = "change-writes-" + TABLES.incrementAndGet();
    private ItemWriter versioned;
    private ItemWriter updates;
    private MixedWriter plain;
    private long offset;

    ChangeWritesIT(SinkTestStack stack) {
        this.dynamo = stack.newDynamoDbClient();
        this.items = AwsClientFactory.dynamoDbAsync(new DynamoDbSinkConfig(stack.connectionConfig())
                .dynamoDbConnection(), 8, ItemHttpClient.NETTY).orElseThrow();
    }

    @BeforeEach
    void createTable() {
        Tables.createKeyedByString(dynamo, table, "pk");
        RetryPolicy retry = new RetryPolicy(new Backoff(Duration.ofMillis(10), Duration.ofMillis(100)),
                Duration.ofSeconds(10), Clock.systemUTC(), Sleeper.THREAD);
        Optional<WriteSettings.Unavailable> unavailable = Optional.of(new WriteSettings.Unavailable(
                "__debezium_unavailable_value", MARKER));
        Optional<WriteSettings.Version> lsn = Optional.of(new WriteSettings.Version(WriteSettings.VersionSource.RECORD_VALUE,
                Optional.empty(), "_version"));
        versioned = new ItemWriter(items, new WriteSettings(WriteSettings.Mode.PUT, true, lsn,
                WriteSettings.CdcFormat.DEBEZIUM, unavailable), 8, retry, metrics);
        updates = new ItemWriter(items, new WriteSettings(WriteSettings.Mode.UPDATE, true, lsn,
                WriteSettings.CdcFormat.DEBEZIUM, unavailable), 8, retry, metrics);
        WriteSettings plainPuts = new WriteSettings(WriteSettings.Mode.PUT, true, Optional.empty(),
                WriteSettings.CdcFormat.DEBEZIUM, unavailable);
        plain = new MixedWriter(new BatchWriter(dynamo, new BatchPlanner(25), 4, retry, metrics),
                new ItemWriter(items, plainPuts, 8, retry, metrics));
    }

    @AfterEach
    void close() {
        versioned.close();
        updates.close();
        plain.close();
        items.close();
        dynamo.close();
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", AttributeValue.fromS(pk));
    }

    private WriteOperation write(WriteOperation.Kind kind, String pk, Map<String, String> columns) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(key(pk));
        columns.forEach((name, value) -> item.put(name, AttributeValue.fromS(value)));
        return WriteOperation.of(kind, table, key(pk), item, record(table, 0, offset++, pk, null),
                CompletableFuture.completedFuture(null), 0);
    }

    private static AttributeValue v(long version) {
        return AttributeValue.fromN(Long.toString(version));
    }

    /** A put of {@code pk} at {@code version} (stored in the item, as the mapper stores it), lacking {@code missing}. */
    private WriteOperation put(String pk, long version, Map<String, String> columns, String... missing) {
        WriteOperation put = write(WriteOperation.Kind.PUT, pk, columns);
        put.item().put("_version", v(version));
        put = missing.length == 0 ? put : put.leaving(Set.of(missing));
        return put.versioned(v(version));
    }

    /** A change of update mode at {@code version}, lacking {@code missing}. */
    private WriteOperation update(String pk, long version, Map<String, String> columns, String... missing) {
        WriteOperation update = write(WriteOperation.Kind.UPDATE, pk, columns);
        update.item().put("_version", v(version));
        update = missing.length == 0 ? update : update.leaving(Set.of(missing));
        return update.versioned(v(version));
    }

    private WriteOperation move(String from, String to, long version) {
        return WriteOperation.delete(table, key(from), record(table, 0, offset++, from, null)).movingTo(key(to))
                .versioned(v(version));
    }

    private Map<String, AttributeValue> item(String pk) {
        var response = dynamo.getItem(r -> r.tableName(table).key(key(pk)).consistentRead(true));
        return response.hasItem() ? response.item() : null;
    }

    private static WriteOutcome ended(WriteOutcome outcome) {
        assertThat(outcome.pending()).as("pending").isEmpty();
        assertThat(outcome.rejected()).as("rejected").isEmpty();
        return outcome;
    }

    @Test
    void aChangeLackingColumnsKeepsThemOnAnExistingItemAndListsThemOnAnItemItCreates() {
        ended(versioned.write(List.of(put("a", 10, Map.of("title", "t1", "body", "big body")))));
        ended(versioned.write(List.of(put("a", 20, Map.of("title", "t2"), "body"))));
        assertThat(item("a")).containsEntry("title", AttributeValue.fromS("t2"))
                .containsEntry("body", AttributeValue.fromS("big body")).containsEntry("_version", v(20))
                .doesNotContainKey(MARKER);
        assertThat(metrics.get("PartialItemsCreated").longValue()).isZero();

        ended(versioned.write(List.of(put("b", 30, Map.of("title", "only"), "body", "blob"))));
        assertThat(item("b")).containsEntry("title", AttributeValue.fromS("only")).doesNotContainKeys("body", "blob")
                .containsEntry("_version", v(30));
        assertThat(item("b").get(MARKER).ss()).containsExactlyInAnyOrder("body", "blob");
        assertThat(metrics.get("PartialItemsCreated").longValue()).isEqualTo(1);

        // an older change is superseded: the probe tells a newer item from a missing one
        long superseded = metrics.get("WritesSuperseded").longValue();
        ended(versioned.write(List.of(put("a", 15, Map.of("title", "stale"), "body"))));
        assertThat(item("a")).containsEntry("title", AttributeValue.fromS("t2"));
        assertThat(metrics.get("WritesSuperseded").longValue()).isEqualTo(superseded + 1);
    }

    @Test
    void aSnapshotRowFillsAnItemThatListsMissingColumnsButNoOtherVersionedItem() {
        ended(versioned.write(List.of(put("a", 50, Map.of("title", "t"), "body"))));
        ended(versioned.write(List.of(put("c", 50, Map.of("title", "whole", "body", "b")))));
        ended(versioned.write(List.of(
                write(WriteOperation.Kind.PUT, "a", Map.of("title", "t", "body", "backfilled")).whereUnversioned(),
                write(WriteOperation.Kind.PUT, "c", Map.of("title", "old snapshot", "body", "old")).whereUnversioned())));
        assertThat(item("a")).containsEntry("body", AttributeValue.fromS("backfilled")).doesNotContainKey(MARKER);
        assertThat(item("c")).as("a complete item keeps its newer state").containsEntry("title", AttributeValue.fromS("whole"));

        // update mode: a snapshot row is an update, which fills the item and drops the list
        ended(updates.write(List.of(update("u", 60, Map.of("title", "t"), "body"))));
        assertThat(item("u").get(MARKER).ss()).containsExactly("body");
        ended(updates.write(List.of(write(WriteOperation.Kind.UPDATE, "u", Map.of("title", "t", "body", "filled"))
                .whereUnversioned())));
        assertThat(item("u")).containsEntry("body", AttributeValue.fromS("filled")).doesNotContainKey(MARKER)
                .containsEntry("_version", v(60));
    }

    @Test
    void aMovedRowsItemReachesItsNewKeyBeforeOrAfterTheNewKeysOwnChange() {
        ended(versioned.write(List.of(put("old", 10, Map.of("title", "t", "body", "large body", "blob", "large blob")))));
        // in order: the delete moves the item, then the new key's change lacking the large columns finds it
        ended(versioned.write(List.of(move("old", "new", 20), put("new", 20, Map.of("title", "t"), "body", "blob"))));
        assertThat(item("old")).isNull();
        assertThat(item("new")).containsEntry("body", AttributeValue.fromS("large body"))
                .containsEntry("blob", AttributeValue.fromS("large blob")).containsEntry("_version", v(20))
                .doesNotContainKey(MARKER);
        assertThat(metrics.get("ItemsMovedToNewKey").longValue()).isEqualTo(1);

        // out of order (the keys on different partitions): the new key's change created it incomplete; the move fills it
        ended(versioned.write(List.of(put("old2", 30, Map.of("title", "t", "body", "body 2", "blob", "blob 2")))));
        ended(versioned.write(List.of(put("new2", 40, Map.of("title", "t"), "body", "blob"))));
        assertThat(item("new2").get(MARKER).ss()).containsExactlyInAnyOrder("body", "blob");
        ended(versioned.write(List.of(move("old2", "new2", 40))));
        assertThat(item("old2")).isNull();
        assertThat(item("new2")).containsEntry("body", AttributeValue.fromS("body 2"))
                .containsEntry("blob", AttributeValue.fromS("blob 2")).doesNotContainKey(MARKER)
                .containsEntry("_version", v(40));
    }

    @Test
    void aMoveNeverOverwritesWhatTheNewKeysLaterChangesSetAndKeepsWhatTheOldItemLacked() {
        // the new key's item was created incomplete, then a later change of it set one of the missing columns
        ended(versioned.write(List.of(put("n", 40, Map.of("title", "t"), "body", "blob"))));
        ended(versioned.write(List.of(put("n", 41, Map.of("title", "t", "body", "newer body"), "blob"))));
        assertThat(item("n").get(MARKER).ss()).as("no longer missing: body").containsExactly("blob");
        // the old key's item itself lacked a column
        ended(versioned.write(List.of(put("o", 30, Map.of("title", "t", "body", "old body"), "blob"))));
        ended(versioned.write(List.of(move("o", "n", 40))));
        assertThat(item("n")).containsEntry("body", AttributeValue.fromS("newer body"));
        assertThat(item("n").get(MARKER).ss()).as("still missing: the old item had none").containsExactly("blob");

        // copied to a free key, an incomplete item stays listed
        ended(versioned.write(List.of(put("o2", 30, Map.of("title", "t"), "body"))));
        ended(versioned.write(List.of(move("o2", "n2", 35))));
        assertThat(item("n2").get(MARKER).ss()).containsExactly("body");

        // a delete older than the old key's item (a replay, the key written again since) moves nothing
        ended(versioned.write(List.of(put("o3", 50, Map.of("title", "written again")))));
        ended(versioned.write(List.of(move("o3", "n3", 45))));
        assertThat(item("o3")).containsEntry("title", AttributeValue.fromS("written again"));
        assertThat(item("n3")).isNull();
    }

    @Test
    void whenDynamoDbRefusesAFoldedWriteTheLaterChangeGoesAloneAndOnlyTheBadRecordIsRefused() {
        ended(versioned.write(List.of(put("f", 10, Map.of("title", "t0", "body", "b0")))));
        WriteOperation bad = put("f", 20, Map.of("title", "t1", "body", "b1"));
        bad.item().put("tags", AttributeValue.fromSs(List.of("x", "x"))); // DynamoDB refuses a set with duplicates
        WriteOperation change = put("f", 30, Map.of("title", "t2"), "body");
        WriteOutcome outcome = versioned.write(List.of(bad, change));
        assertThat(outcome.pending()).isEmpty();
        assertThat(outcome.rejected()).singleElement().satisfies(r -> assertThat(r.write().record())
                .isSameAs(bad.record()));
        assertThat(item("f")).containsEntry("title", AttributeValue.fromS("t2"))
                .containsEntry("body", AttributeValue.fromS("b0")).containsEntry("_version", v(30));

        // the same through the batch writer, without versions
        ended(plain.write(List.of(write(WriteOperation.Kind.PUT, "g", Map.of("title", "t0", "body", "b0")))));
        WriteOperation badPut = write(WriteOperation.Kind.PUT, "g", Map.of("title", "t1", "body", "b1"));
        badPut.item().put("tags", AttributeValue.fromSs(List.of("x", "x")));
        WriteOperation plainChange = write(WriteOperation.Kind.PUT, "g", Map.of("title", "t2")).leaving(Set.of("body"));
        WriteOutcome batched = plain.write(List.of(badPut, plainChange));
        assertThat(batched.pending()).isEmpty();
        assertThat(batched.rejected()).singleElement().satisfies(r -> assertThat(r.write().record())
                .isSameAs(badPut.record()));
        assertThat(item("g")).containsEntry("title", AttributeValue.fromS("t2"))
                .containsEntry("body", AttributeValue.fromS("b0"));
    }

    @Test
    void plainPutsGoInBatchesAndChangesLackingColumnsOneByOneInTheSameRound() {
        ended(plain.write(List.of(write(WriteOperation.Kind.PUT, "p1", Map.of("title", "a", "body", "b1")),
                write(WriteOperation.Kind.PUT, "p2", Map.of("title", "a", "body", "b2")))));
        long batchCalls = metrics.get("BatchCalls").longValue();
        ended(plain.write(List.of(
                write(WriteOperation.Kind.PUT, "p3", Map.of("title", "new row", "body", "b3")),
                write(WriteOperation.Kind.PUT, "p3", Map.of("title", "retitled")).leaving(Set.of("body")),
                write(WriteOperation.Kind.PUT, "p1", Map.of("title", "changed")).leaving(Set.of("body")),
                write(WriteOperation.Kind.PUT, "p2", Map.of("title", "whole", "body", "replaced")))));
        assertThat(item("p1")).containsEntry("title", AttributeValue.fromS("changed"))
                .containsEntry("body", AttributeValue.fromS("b1"));
        assertThat(item("p2")).containsEntry("body", AttributeValue.fromS("replaced"));
        assertThat(item("p3")).containsEntry("title", AttributeValue.fromS("retitled"))
                .containsEntry("body", AttributeValue.fromS("b3"));
        assertThat(metrics.get("BatchCalls").longValue() - batchCalls)
                .as("one BatchWriteItem for p2 and the folded p3, one UpdateItem for p1").isEqualTo(2);
    }
}
