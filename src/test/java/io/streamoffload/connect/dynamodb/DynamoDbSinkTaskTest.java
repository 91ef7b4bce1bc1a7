package io.streamoffload.connect.dynamodb;

import static io.streamoffload.connect.dynamodb.testutil.ConfigBuilder.config;
import static io.streamoffload.connect.dynamodb.testutil.Records.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamoffload.connect.dynamodb.errors.BadRecordReporter;
import io.streamoffload.connect.dynamodb.testutil.ConfigBuilder;
import io.streamoffload.connect.dynamodb.testutil.FakeDynamoDb;
import io.streamoffload.connect.dynamodb.testutil.FakeSinkTaskContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DynamoDbSinkTaskTest {
    private final FakeDynamoDb dynamo = new FakeDynamoDb();
    private final List<String> reported = new ArrayList<>();
    private final FakeSinkTaskContext context = new FakeSinkTaskContext(null);
    private final DynamoDbSinkTask task = new DynamoDbSinkTask();

    private void start(ConfigBuilder config, boolean withReporter) {
        task.initialize(context);
        ErrantRecordReporter reporter = (record, error) -> {
            reported.add(error.getMessage());
            return CompletableFuture.completedFuture(null);
        };
        // a zero budget makes each put() one call per batch, so redelivery rounds are deterministic
        task.start(config.with("retry.budget.ms", 0).with("retry.backoff.base.ms", 1).with("retry.backoff.max.ms", 5)
                .with("retry.max.redeliveries", 2).build(), dynamo, null, new BadRecordReporter(withReporter ? reporter : null),
                Clock.systemUTC(), d -> { });
    }

    @AfterEach
    void stop() {
        task.stop();
    }

    /** Waits for the round in flight, as Kafka Connect's offset commit does. */
    private void flush() {
        task.preCommit(Map.of());
    }

    /** What Kafka Connect does next: another put(), empty here, which ends the round in flight. */
    private void nextPut() {
        task.put(List.of());
    }

    @Test
    void badRecordGoesToTheReporterAndItsNeighboursAreWritten() {
        start(config(), true);
        task.put(List.of(record("tbl", 0, 10, "a", Map.of("v", 1)), record("tbl", 0, 11, null, Map.of("v", 2)),
                record("tbl", 0, 12, "c", Map.of("v", 3))));
        flush();

        assertThat(dynamo.item("tbl", "a")).isNotNull();
        assertThat(dynamo.item("tbl", "c")).isNotNull();
        assertThat(reported).singleElement().asString().contains("record tbl/0/11").contains("record key is null");
    }

    @Test
    void withoutADeadLetterQueueABadRecordStopsTheTaskNamingTheRecord() {
        start(config(), false);
        assertThatThrownBy(() -> task.put(List.of(record("tbl", 2, 7, "k".repeat(3000), Map.of("v", 1)))))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("record tbl/2/7")
                .hasMessageContaining("3000 bytes")
                .hasMessageContaining("errors.tolerance=all");
    }

    @Test
    void writesDynamoDbRejectsAreReportedAsBadRecords() {
        start(config(), true);
        dynamo.rejectWhen(w -> w.putRequest() != null && w.putRequest().item().containsKey("poison") ? "x" : null);
        task.put(List.of(record("tbl", 0, 0, "a", Map.of("v", 1)), record("tbl", 0, 1, "b", Map.of("poison", 1))));
        flush();
        assertThat(reported).singleElement().asString().contains("record tbl/0/1").contains("ValidationException");
        assertThat(dynamo.item("tbl", "a")).isNotNull();
    }

    @Test
    void unfinishedWritesAskForRedeliveryThenFailAfterTheLimit() {
        start(config(), true);
        dynamo.thenLeaveUnprocessed(1); // a is written: progress, not counted
        for (int i = 0; i < 3; i++) {
            dynamo.thenLeaveUnprocessed(1); // b never is
        }
        task.put(List.of(record("tbl", 0, 0, "a", Map.of("v", 1)), record("tbl", 0, 1, "b", Map.of("v", 2))));

        assertThatThrownBy(this::nextPut).isInstanceOf(RetriableException.class)
                .hasMessageContaining("1 writes are not yet durable").hasMessageContaining("record tbl/0/1");
        assertThat(context.timeoutMs).isEqualTo(5);
        nextPut(); // the redelivery: b goes out again
        assertThatThrownBy(this::nextPut).isInstanceOf(RetriableException.class)
                .hasMessageContaining("1 writes are not yet durable");
        nextPut();
        assertThatThrownBy(this::nextPut).isInstanceOf(RetriableException.class);
        nextPut();
        assertThatThrownBy(this::nextPut).isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class)
                .hasMessageContaining("Giving up after 2 redeliveries");
        assertThat(dynamo.writesSent()).as("a is not sent again once written").isEqualTo(2 + 1 + 1 + 1);
    }

    /**
     * Without a dead letter queue, a write DynamoDB refuses is found only when its round ends: no offset is committed
     * past it, and the next put() stops the task naming the record.
     */
    @Test
    void aRefusedWriteWithoutADeadLetterQueueCommitsNothingAndStopsTheTask() {
        start(config(), false);
        dynamo.rejectWhen(w -> w.putRequest() != null && w.putRequest().item().containsKey("poison") ? "x" : null);
        task.put(List.of(record("tbl", 0, 5, "a", Map.of("v", 1)), record("tbl", 0, 6, "b", Map.of("poison", 1))));
        Map<TopicPartition, OffsetAndMetadata> delivered = Map.of(new TopicPartition("tbl", 0), new OffsetAndMetadata(7));

        assertThat(task.preCommit(delivered)).isEmpty();
        assertThatThrownBy(this::nextPut).isInstanceOf(ConnectException.class).hasMessageContaining("record tbl/0/6");
        assertThatThrownBy(this::nextPut).as("the task stays failed").isInstanceOf(ConnectException.class);
    }

    /** Writes left behind for partitions taken away are the next owner's: this task neither sends nor waits for them. */
    @Test
    void writesLeftBehindForAClosedPartitionAreDroppedWithTheirRedelivery() {
        start(config(), true);
        dynamo.thenLeaveUnprocessed(1);
        task.put(List.of(record("tbl", 0, 0, "a", Map.of("v", 1)), record("tbl", 1, 0, "b", Map.of("v", 2))));
        task.close(List.of(new TopicPartition("tbl", 1)));

        nextPut(); // no redelivery asked for: nothing of this task's partitions is left behind
        flush();
        assertThat(dynamo.item("tbl", "a")).isNotNull();
        assertThat(dynamo.item("tbl", "b")).as("partition 1's write is not sent again").isNull();
        assertThat(dynamo.writesSent()).isEqualTo(2);
    }

    @Test
    void aBatchHandedBackForRedeliveryIsNotSentUntilTheWritesLeftBehindAre() {
        start(config(), true);
        dynamo.thenLeaveUnprocessed(1);
        task.put(List.of(record("tbl", 0, 0, "a", Map.of("v", 1))));
        List<SinkRecord> next = List.of(record("tbl", 0, 1, "b", Map.of("v", 2)));
        assertThatThrownBy(() -> task.put(next)).isInstanceOf(RetriableException.class);
        assertThat(dynamo.writesSent()).as("b waits for the redelivery").isEqualTo(1);
        task.put(next);
        flush();
        assertThat(dynamo.itemCount("tbl")).isEqualTo(2);
    }

    @Test
    void aWriteWhoseUploadGaveUpUploadsAgainInTheNextRound() {
        io.streamoffload.connect.dynamodb.testutil.FakeS3 s3 = new io.streamoffload.connect.dynamodb.testutil.FakeS3()
                .thenFail(503, "SlowDown");
        task.initialize(context);
        task.start(config().with("retry.budget.ms", 0).with("retry.backoff.base.ms", 1).with("retry.backoff.max.ms", 5)
                        .with("retry.max.redeliveries", 1000).with("offload.s3.bucket", "offload-bucket").with("offload.fields", "body").build(), dynamo, s3,
                new BadRecordReporter(null), Clock.systemUTC(), d -> { });
        task.put(List.of(record("tbl", 0, 0, "a", Map.of("body", "page"))));
        assertThatThrownBy(this::nextPut).isInstanceOf(RetriableException.class)
                .hasMessageContaining("record tbl/0/0");
        assertThat(dynamo.itemCount("tbl")).isZero();
        // with a zero budget a round does not wait for the upload to give up: as many rounds as that takes
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            try {
                nextPut();
                flush();
            } catch (RetriableException e) {
                // the next put() sends it again
            }
            return dynamo.item("tbl", "a") != null;
        });
        assertThat(s3.objects).hasSize(1);
        assertThat(dynamo.item("tbl", "a")).isNotNull();
    }

    /**
     * A garbage collector may delete an object no item has named for longer than its grace: a write carried past the
     * dedupe trust period must find its object again, and store it again when it is gone, before naming it.
     */
    @Test
    void aWriteCarriedPastTheDedupeTrustPeriodStoresItsObjectAgainIfItWasDeleted() {
        io.streamoffload.connect.dynamodb.testutil.FakeS3 s3 = new io.streamoffload.connect.dynamodb.testutil.FakeS3();
        io.streamoffload.connect.dynamodb.testutil.FakeTime time = new io.streamoffload.connect.dynamodb.testutil.FakeTime();
        java.util.concurrent.atomic.AtomicBoolean throttled = new java.util.concurrent.atomic.AtomicBoolean(true);
        task.initialize(context);
        // the fake clock moves only by the backoff sleeps: a round waits (in real time) for its uploads, then spends
        // its budget on throttled calls, so that what it leaves behind does not depend on thread timing
        task.start(config().with("retry.budget.ms", 1_000).with("retry.backoff.base.ms", 100)
                        .with("retry.backoff.max.ms", 500).with("offload.s3.bucket", "offload-bucket")
                        .with("offload.fields", "body").with("offload.dedupe.ttl.ms", 60_000).build(), dynamo, s3,
                new BadRecordReporter(null), time, time::advance);
        dynamo.rejectingWith("ProvisionedThroughputExceededException").rejectWhen(w -> throttled.get() ? "busy" : null);
        task.put(List.of(record("tbl", 0, 0, "a", Map.of("body", "page"))));
        assertThatThrownBy(this::nextPut).isInstanceOf(RetriableException.class);
        assertThat(s3.objects).hasSize(1);
        s3.objects.clear(); // a collector deleted it: unreferenced for longer than its grace
        time.advance(java.time.Duration.ofMinutes(2));
        throttled.set(false);

        nextPut();
        flush();

        assertThat(dynamo.item("tbl", "a")).isNotNull();
        assertThat(s3.objects).as("stored again before the item names it").hasSize(1);
    }

    @Test
    void redeliveryRoundsThatMakeProgressDoNotCountTowardsTheLimit() {
        start(config(), true); // at most 2 redeliveries in a row
        dynamo.thenLeaveUnprocessed(3).thenLeaveUnprocessed(2).thenLeaveUnprocessed(1);
        task.put(List.of(record("tbl", 0, 0, "a", Map.of("v", 1)), record("tbl", 0, 1, "b", Map.of("v", 2)),
                record("tbl", 0, 2, "c", Map.of("v", 3)), record("tbl", 0, 3, "d", Map.of("v", 4))));
        for (int round = 0; round < 3; round++) {
            assertThatThrownBy(this::nextPut).isInstanceOf(RetriableException.class);
            nextPut();
        }
        flush();
        assertThat(dynamo.itemCount("tbl")).isEqualTo(4);
    }

    /**
     * A table that takes one write per call: each round must send only what is not yet written, so every round
     * writes something new and the batch gets through, however many rounds that takes beyond the limit of 2.
     */
    @Test
    void redeliveriesSendOnlyWhatIsNotYetWrittenSoASlowTableGetsEverything() {
        start(config(), true);
        for (int i = 0; i < 12; i++) {
            dynamo.thenAcceptOnly(1);
        }
        List<SinkRecord> batch = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batch.add(record("tbl", 0, i, "k" + i, Map.of("v", i)));
        }
        task.put(batch);
        int redeliveries = 0;
        for (int call = 0; call < 20; call++) {
            try {
                nextPut();
            } catch (RetriableException e) {
                redeliveries++;
            }
        }
        flush();
        assertThat(dynamo.itemCount("tbl")).isEqualTo(6);
        assertThat(redeliveries).isEqualTo(5);
        assertThat(dynamo.writesSent()).as("each write sent until written, never again").isEqualTo(6 + 5 + 4 + 3 + 2 + 1);
    }

    @Test
    void redeliveryNeverLetsAnOlderWriteToAKeyWinOverANewerOne() {
        start(config(), true);
        dynamo.thenLeaveUnprocessed(1);
        task.put(List.of(record("tbl", 0, 0, "k", Map.of("v", "old")), record("tbl", 0, 1, "other", Map.of("v", "x"))));
        dynamo.thenLeaveUnprocessed(2);
        // "k" = old is left behind in the first round; the batch with the newer "k" is handed back, then both go
        List<SinkRecord> newer = List.of(record("tbl", 0, 2, "k", Map.of("v", "new")), record("tbl", 0, 3, "k2", Map.of()));
        assertThatThrownBy(() -> task.put(newer)).isInstanceOf(RetriableException.class);
        task.put(newer);
        assertThatThrownBy(this::nextPut).isInstanceOf(RetriableException.class);
        nextPut();
        flush();
        assertThat(dynamo.item("tbl", "k").get("v").s()).as("the newer write wins over the one left behind").isEqualTo("new");
        assertThat(dynamo.item("tbl", "other")).isNotNull();
        assertThat(dynamo.item("tbl", "k2")).isNotNull();
    }

    @Test
    void badRecordsAreReportedOnceAcrossRedeliveries() {
        start(config(), true);
        dynamo.thenLeaveUnprocessed(1);
        task.put(List.of(record("tbl", 0, 0, "b", Map.of("v", 1))));
        List<SinkRecord> batch = List.of(record("tbl", 0, 1, null, Map.of("v", 1)), record("tbl", 0, 2, "a", Map.of("v", 2)));
        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);
        task.put(batch);
        flush();
        assertThat(reported).hasSize(1);
        assertThat(dynamo.item("tbl", "a")).isNotNull();
        assertThat(dynamo.item("tbl", "b")).isNotNull();
    }

    @Test
    void redeliveredBatchSucceedsOnceDynamoDbCatchesUp() {
        start(config(), true);
        dynamo.thenLeaveUnprocessed(1);
        task.put(List.of(record("tbl", 0, 0, "a", Map.of("v", 1)), record("tbl", 0, 1, "b", Map.of("v", 2))));
        assertThatThrownBy(this::nextPut).isInstanceOf(RetriableException.class);
        nextPut();
        flush();
        assertThat(dynamo.itemCount("tbl")).isEqualTo(2);
    }

    @Test
    void offsetsStopAtTheFirstWriteNotYetDurableInEachPartition() {
        start(config(), true);
        dynamo.thenLeaveUnprocessed(1);
        task.put(List.of(record("tbl", 0, 10, "a", Map.of("v", 1)), record("tbl", 1, 20, "b", Map.of("v", 2)),
                record("tbl", 0, 11, "c", Map.of("v", 3))));
        Map<TopicPartition, OffsetAndMetadata> delivered = Map.of(new TopicPartition("tbl", 0), new OffsetAndMetadata(12),
                new TopicPartition("tbl", 1), new OffsetAndMetadata(21));
        assertThat(task.preCommit(delivered)).as("c, the last write sent, came back unprocessed")
                .containsEntry(new TopicPartition("tbl", 0), new OffsetAndMetadata(11))
                .containsEntry(new TopicPartition("tbl", 1), new OffsetAndMetadata(21));
        assertThatThrownBy(this::nextPut).isInstanceOf(RetriableException.class);
        nextPut();
        assertThat(task.preCommit(delivered)).isEqualTo(delivered);
    }

    /**
     * Before Kafka 3.6 a record renamed by a transform carries only its new topic; the worker still tracks what it
     * delivered by the consumed partition. Those offsets must be committed, or the connector never commits at all.
     */
    @Test
    void offsetsOfRecordsRenamedByATransformAreCommittedOnWorkersWithoutOriginalCoordinates() {
        start(config(), true);
        // what an old worker hands over after RegexRouter renamed "orders" to "orders-archive": no original topic
        task.put(List.of(record("orders-archive", 0, 41, "a", Map.of("v", 1)), record("orders-archive", 0, 42, "b", Map.of())));
        flush();
        TopicPartition consumed = new TopicPartition("orders", 0);
        Map<TopicPartition, OffsetAndMetadata> delivered = Map.of(consumed, new OffsetAndMetadata(43));
        assertThat(task.preCommit(delivered)).isEqualTo(delivered);
        assertThat(dynamo.itemCount("orders-archive")).isEqualTo(2);
    }

    @Test
    void hostileJsonStringsAreBadRecordsAndTheirNeighboursAreWritten() {
        start(config().with("value.string.format", "json"), true);
        String marker = "PAYLOAD-MARKER";
        String longNumber = "{\"n\":1" + "2".repeat(1000) + ",\"m\":\"" + marker + "\"}";
        String deepArrays = "[".repeat(1001) + "\"" + marker + "\"" + "]".repeat(1001);
        String malformedHugeString = "{\"s\":\"" + marker + "x".repeat(3 * 1024 * 1024) + "\", " + marker + "}";
        String badToken = "{\"s\": " + marker + "}";
        task.put(List.of(record("tbl", 0, 0, "a", "{\"v\":1}"), record("tbl", 0, 1, "b", longNumber),
                record("tbl", 0, 2, "c", "{\"v\":2}"), record("tbl", 0, 3, "d", deepArrays),
                record("tbl", 0, 4, "e", malformedHugeString), record("tbl", 0, 5, "f", badToken),
                record("tbl", 0, 6, "g", "{\"v\":3}")));
        flush();

        assertThat(dynamo.item("tbl", "a")).isNotNull();
        assertThat(dynamo.item("tbl", "c")).isNotNull();
        assertThat(dynamo.item("tbl", "g")).isNotNull();
        assertThat(reported).hasSize(4);
        assertThat(reported.get(0)).contains("record tbl/0/1").contains("Number value length (1001)");
        assertThat(reported.get(1)).contains("record tbl/0/3").contains("nesting depth");
        assertThat(reported.get(2)).contains("record tbl/0/4").contains("not valid JSON").contains("line 1, column");
        assertThat(reported.get(3)).contains("record tbl/0/5").contains("not valid JSON");
        assertThat(reported).allSatisfy(reason -> assertThat(reason).doesNotContain(marker).hasSizeLessThan(600));
    }

    @Test
    void anyFailureWhileMappingOneRecordIsABadRecordNotAStoppedTask() {
        start(config().with("value.string.format", "raw"), true);
        // a value whose schema says Decimal but which is not one: the converter's cast fails
        SinkRecord odd = new SinkRecord("tbl", 0, null, "b", org.apache.kafka.connect.data.Decimal.schema(2),
                "PAYLOAD-MARKER", 1);
        task.put(List.of(record("tbl", 0, 0, "a", Map.of("v", 1)), odd, record("tbl", 0, 2, "c", Map.of("v", 3))));
        flush();

        assertThat(dynamo.itemCount("tbl")).isEqualTo(2);
        assertThat(reported).singleElement().asString().contains("record tbl/0/1")
                .contains("java.lang.ClassCastException at ").doesNotContain("PAYLOAD-MARKER");
    }

    @Test
    void keyReasonsGiveSizesNotContent() {
        start(config().with("key.partition.type", "N"), true);
        task.put(List.of(record("tbl", 0, 0, "PAYLOAD-MARKER", Map.of("v", 1))));
        assertThat(reported).singleElement().asString().contains("record tbl/0/0")
                .contains("string of 14 characters that is not a number").doesNotContain("PAYLOAD-MARKER");
    }

    /**
     * The last write to a key is refused and something else in the round is throttled: the redelivered round must not
     * end with another item than a round in which nothing was throttled.
     */
    @Test
    void aRefusedLastWriteLeavesTheSameItemWhetherOrNotSomethingElseWasThrottled() {
        List<SinkRecord> batch = List.of(record("tbl", 0, 0, "k", Map.of("v", "first")),
                record("tbl", 0, 1, "other", Map.of("v", "x")), record("tbl", 0, 2, "k", Map.of("v", "refused", "poison", 1)));
        java.util.function.Function<software.amazon.awssdk.services.dynamodb.model.WriteRequest, String> poison =
                w -> w.putRequest() != null && w.putRequest().item().containsKey("poison") ? "refused" : null;

        start(config(), true);
        dynamo.rejectWhen(poison);
        task.put(batch);
        flush();
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> calm = dynamo.item("tbl", "k");
        task.stop();

        FakeDynamoDb throttled = new FakeDynamoDb();
        DynamoDbSinkTask second = new DynamoDbSinkTask();
        second.initialize(context);
        second.start(config().with("retry.budget.ms", 0).with("retry.backoff.base.ms", 1).with("retry.backoff.max.ms", 5)
                .build(), throttled, null, new BadRecordReporter((r, e) -> CompletableFuture.completedFuture(null)),
                Clock.systemUTC(), d -> { });
        throttled.rejectWhen(poison).thenLeaveUnprocessed(1);
        second.put(batch);
        assertThatThrownBy(() -> second.put(List.of())).isInstanceOf(RetriableException.class);
        second.put(List.of());
        second.preCommit(Map.of());
        second.stop();

        assertThat(calm).as("the refused write is as if it had not been there").isNotNull();
        assertThat(calm.get("v").s()).isEqualTo("first");
        assertThat(throttled.item("tbl", "k")).isEqualTo(calm);
        assertThat(reported).singleElement().asString().contains("record tbl/0/2");
    }

    @Test
    void aRefusedWriteIsNotSentAgainWithItsKeysWritesLeftBehindNorReportedTwice() {
        start(config(), true);
        // the refused last write's replacement (the first write) comes back unprocessed: the key is left behind
        dynamo.thenFail(FakeDynamoDb.serviceError("ValidationException", 400)).thenLeaveUnprocessed(1)
                .rejectWhen(w -> w.putRequest() != null && w.putRequest().item().containsKey("poison") ? "refused" : null);
        task.put(List.of(record("tbl", 0, 0, "k", Map.of("v", "first")),
                record("tbl", 0, 1, "k", Map.of("v", "refused", "poison", 1))));
        assertThatThrownBy(() -> task.put(List.of())).isInstanceOf(RetriableException.class);
        task.put(List.of());
        flush();

        assertThat(dynamo.item("tbl", "k").get("v").s()).isEqualTo("first");
        assertThat(reported).singleElement().asString().contains("record tbl/0/1");
    }

    /**
     * Debezium changes applied as puts without versions go in BatchWriteItem calls, last write per key winning: a whole
     * row followed in the same round by an update that left its large column alone must not lose that column to the
     * placeholder (it did: the change was a put holding the placeholder, and won).
     */
    @Test
    void aWholeRowThenAChangeLackingItsLargeColumnInOneRoundKeepsTheColumn() {
        start(config().with("cdc.format", "debezium").with("key.partition.source", "record.value")
                .with("key.partition.field", "id"), true);
        String body = "the large body " + "x".repeat(200);
        task.put(List.of(record("docs", 0, 1, null, "{\"op\":\"c\",\"before\":null,\"after\":{\"id\":\"a\","
                        + "\"title\":\"first\",\"body\":\"" + body + "\"}}"),
                record("docs", 0, 2, null, "{\"op\":\"u\",\"before\":null,\"after\":{\"id\":\"a\","
                        + "\"title\":\"second\",\"body\":\"__debezium_unavailable_value\"}}")));
        flush();

        assertThat(dynamo.item("docs", "a")).as("one BatchWriteItem put holding both")
                .containsEntry("title", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("second"))
                .containsEntry("body", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(body));
        assertThat(dynamo.calls).hasSize(1);
        assertThat(reported).isEmpty();
    }
}
