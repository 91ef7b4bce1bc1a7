package io.streamoffload.connect.dynamodb;

import static io.streamoffload.connect.dynamodb.testutil.ConfigBuilder.config;
import static io.streamoffload.connect.dynamodb.testutil.Records.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamoffload.connect.dynamodb.errors.BadRecordReporter;
import io.streamoffload.connect.dynamodb.testutil.ConfigBuilder;
import io.streamoffload.connect.dynamodb.testutil.FakeDynamoDb;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DynamoDbSinkTaskTest {
    private final FakeDynamoDb dynamo = new FakeDynamoDb();
    private final List<String> reported = new ArrayList<>();
    private final FakeContext context = new FakeContext();
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

    @Test
    void badRecordGoesToTheReporterAndItsNeighboursAreWritten() {
        start(config(), true);
        task.put(List.of(record("tbl", 0, 10, "a", Map.of("v", 1)), record("tbl", 0, 11, null, Map.of("v", 2)),
                record("tbl", 0, 12, "c", Map.of("v", 3))));

        assertThat(dynamo.item("tbl", "a")).isNotNull();
        assertThat(dynamo.item("tbl", "c")).isNotNull();
        assertThat(reported).singleElement().asString().contains("record tbl/0/11").contains("record key is null");
        assertThat(task.preCommit(Map.of(new TopicPartition("tbl", 0), new OffsetAndMetadata(0))))
                .containsEntry(new TopicPartition("tbl", 0), new OffsetAndMetadata(13));
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
        assertThat(reported).singleElement().asString().contains("record tbl/0/1").contains("ValidationException");
        assertThat(dynamo.item("tbl", "a")).isNotNull();
    }

    @Test
    void unfinishedWritesAskForRedeliveryThenFailAfterTheLimit() {
        start(config(), true);
        for (int i = 0; i < 3; i++) {
            dynamo.thenLeaveUnprocessed(1);
        }
        List<SinkRecord> batch = List.of(record("tbl", 0, 0, "a", Map.of("v", 1)), record("tbl", 0, 1, "b", Map.of("v", 2)));
        TopicPartition tp = new TopicPartition("tbl", 0);

        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class)
                .hasMessageContaining("1 of 2 records are not yet written").hasMessageContaining("record tbl/0/1");
        assertThat(context.timeoutMs).isEqualTo(5);
        assertThat(task.preCommit(Map.of(tp, new OffsetAndMetadata(0)))).as("nothing durable committed").isEmpty();
        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);
        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class)
                .hasMessageContaining("Giving up after 2 redeliveries");
    }

    @Test
    void redeliveryRoundsThatMakeProgressDoNotCountTowardsTheLimit() {
        start(config(), true); // at most 2 redeliveries in a row
        dynamo.thenLeaveUnprocessed(3).thenLeaveUnprocessed(2).thenLeaveUnprocessed(1);
        List<SinkRecord> batch = List.of(record("tbl", 0, 0, "a", Map.of("v", 1)), record("tbl", 0, 1, "b", Map.of("v", 2)),
                record("tbl", 0, 2, "c", Map.of("v", 3)), record("tbl", 0, 3, "d", Map.of("v", 4)));
        for (int round = 0; round < 3; round++) {
            assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);
        }
        task.put(batch);
        assertThat(dynamo.itemCount("tbl")).isEqualTo(4);
    }

    @Test
    void redeliveryNeverLetsAnOlderWriteToAKeyWinOverANewerOne() {
        start(config(), true);
        dynamo.thenLeaveUnprocessed(1);
        List<SinkRecord> batch = List.of(record("tbl", 0, 0, "k", Map.of("v", "old")),
                record("tbl", 0, 1, "k", Map.of("v", "new")), record("tbl", 0, 2, "other", Map.of("v", "x")));
        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);
        assertThat(dynamo.item("tbl", "k").get("v").s()).isEqualTo("new");
        task.put(batch);
        assertThat(dynamo.item("tbl", "k").get("v").s()).as("the newer write still wins after redelivery").isEqualTo("new");
        assertThat(dynamo.item("tbl", "other")).isNotNull();
    }

    @Test
    void badRecordsAreReportedOnceAcrossRedeliveries() {
        start(config(), true);
        dynamo.thenLeaveUnprocessed(1);
        List<SinkRecord> batch = List.of(record("tbl", 0, 0, null, Map.of("v", 1)), record("tbl", 0, 1, "a", Map.of("v", 2)));
        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);
        task.put(batch);
        assertThat(reported).hasSize(1);
        assertThat(dynamo.item("tbl", "a")).isNotNull();
    }

    @Test
    void redeliveredBatchSucceedsOnceDynamoDbCatchesUp() {
        start(config(), true);
        dynamo.thenLeaveUnprocessed(1);
        List<SinkRecord> batch = List.of(record("tbl", 0, 0, "a", Map.of("v", 1)), record("tbl", 0, 1, "b", Map.of("v", 2)));
        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);
        task.put(batch);
        assertThat(dynamo.itemCount("tbl")).isEqualTo(2);
        assertThat(task.preCommit(Map.of(new TopicPartition("tbl", 0), new OffsetAndMetadata(0))))
                .containsEntry(new TopicPartition("tbl", 0), new OffsetAndMetadata(2));
    }

    @Test
    void preCommitOnlyCoversAssignedPartitions() {
        start(config(), true);
        task.put(List.of(record("tbl", 0, 4, "a", Map.of()), record("tbl", 1, 9, "b", Map.of())));
        TopicPartition p0 = new TopicPartition("tbl", 0);
        TopicPartition p1 = new TopicPartition("tbl", 1);
        task.close(Set.of(p1));
        assertThat(task.preCommit(Map.of(p0, new OffsetAndMetadata(0)))).containsOnlyKeys(p0)
                .containsEntry(p0, new OffsetAndMetadata(5));
    }

    /** The parts of SinkTaskContext the task uses. */
    static final class FakeContext implements SinkTaskContext {
        long timeoutMs = -1;

        @Override
        public Map<String, String> configs() {
            return Map.of();
        }

        @Override
        public void offset(Map<TopicPartition, Long> offsets) {
        }

        @Override
        public void offset(TopicPartition tp, long offset) {
        }

        @Override
        public void timeout(long timeoutMs) {
            this.timeoutMs = timeoutMs;
        }

        @Override
        public Set<TopicPartition> assignment() {
            return Set.of();
        }

        @Override
        public void pause(TopicPartition... partitions) {
        }

        @Override
        public void resume(TopicPartition... partitions) {
        }

        @Override
        public void requestCommit() {
        }

        @Override
        public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
            return null;
        }
    }
}
