package io.streamoffload.connect.dynamodb.writer;

import static io.streamoffload.connect.dynamodb.writer.BatchPlannerTest.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import io.streamoffload.connect.dynamodb.retry.Backoff;
import io.streamoffload.connect.dynamodb.retry.RetryPolicy;
import io.streamoffload.connect.dynamodb.retry.Sleeper;
import io.streamoffload.connect.dynamodb.testutil.FakeDynamoDb;
import io.streamoffload.connect.dynamodb.testutil.FakeTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchWriterTest {
    private final FakeDynamoDb dynamo = new FakeDynamoDb();
    private final SinkTaskMetrics metrics = new SinkTaskMetrics();
    private final FakeTime time = new FakeTime();
    private final List<Duration> sleeps = new ArrayList<>();
    private BatchWriter writer;

    private BatchWriter writer(Duration budget, int concurrency) {
        Sleeper sleeper = d -> {
            synchronized (sleeps) {
                sleeps.add(d);
            }
            time.advance(d);
        };
        // deterministic jitter: always the full ceiling
        writer = new BatchWriter(dynamo, new BatchPlanner(25), concurrency, new RetryPolicy(
                new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), bound -> bound), budget, time, sleeper), metrics);
        return writer;
    }

    @AfterEach
    void close() {
        if (writer != null) {
            writer.close();
        }
    }

    private static List<WriteOperation> puts(int n) {
        List<WriteOperation> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ops.add(put("t", "k" + i, "v" + i, i));
        }
        return ops;
    }

    @Test
    void throttledBatchResendsOnlyUnprocessedItems() {
        dynamo.thenLeaveUnprocessed(5).thenLeaveUnprocessed(2);
        WriteOutcome outcome = writer(Duration.ofSeconds(30), 1).write(puts(20));

        assertThat(outcome.durable()).hasSize(20);
        assertThat(outcome.hasPending()).isFalse();
        assertThat(dynamo.itemCount("t")).isEqualTo(20);
        assertThat(dynamo.calls).extracting(c -> c.requestItems().get("t").size()).containsExactly(20, 5, 2);
        assertThat(dynamo.writesSent()).isEqualTo(27);
        assertThat(metrics.get("UnprocessedItemsResent").longValue()).isEqualTo(7);
        assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void throttlingAndServerErrorsAreRetriedWithGrowingBackoff() {
        dynamo.thenFail(FakeDynamoDb.serviceError("ProvisionedThroughputExceededException", 400))
                .thenFail(FakeDynamoDb.serviceError("ThrottlingException", 400))
                .thenFail(FakeDynamoDb.serviceError("RequestLimitExceeded", 400))
                .thenFail(FakeDynamoDb.serviceError("InternalServerError", 500));
        WriteOutcome outcome = writer(Duration.ofSeconds(30), 1).write(puts(3));

        assertThat(outcome.durable()).hasSize(3);
        assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(800));
        assertThat(metrics.get("ThrottledCalls").longValue()).isEqualTo(3);
        assertThat(metrics.get("FailedCallsRetried").longValue()).isEqualTo(1);
    }

    @Test
    void spentBudgetLeavesTheRestPendingWithTheReason() {
        for (int i = 0; i < 50; i++) {
            dynamo.thenLeaveUnprocessed(1);
        }
        WriteOutcome outcome = writer(Duration.ofMillis(2000), 1).write(puts(4));

        assertThat(outcome.durable()).hasSize(3);
        assertThat(outcome.pending()).extracting(w -> w.record().kafkaOffset()).containsExactly(3L);
        assertThat(outcome.lastFailure()).contains("UnprocessedItems");
        long slept = sleeps.stream().mapToLong(Duration::toMillis).sum();
        assertThat(slept).isLessThanOrEqualTo(2000);
    }

    @Test
    void validationExceptionIsolatesTheBadWriteAndWritesTheOthers() {
        dynamo.rejectWhen(w -> w.putRequest() != null && w.putRequest().item().get("v").s().equals("v2") ? "bad" : null);
        WriteOutcome outcome = writer(Duration.ofSeconds(30), 1).write(puts(5));

        assertThat(outcome.rejected()).singleElement().satisfies(r -> {
            assertThat(r.write().record().kafkaOffset()).isEqualTo(2);
            assertThat(r.reason()).contains("ValidationException").contains("table t");
        });
        assertThat(outcome.durable()).hasSize(4);
        assertThat(dynamo.itemCount("t")).isEqualTo(4);
    }

    @Test
    void missingTableIsFatalAndNotRetried() {
        dynamo.thenFail(FakeDynamoDb.serviceError("ResourceNotFoundException", 400));
        assertThatThrownBy(() -> writer(Duration.ofSeconds(30), 1).write(puts(2)))
                .isInstanceOf(FatalWriteException.class)
                .hasMessageContaining("ResourceNotFoundException")
                .hasMessageContaining("cannot succeed by retrying");
        assertThat(dynamo.calls).hasSize(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void batchesRunConcurrentlyButNeverMoreThanTheLimit() {
        dynamo.withLatency(30).holdUntilConcurrent(3);
        WriteOutcome outcome = writer(Duration.ofSeconds(30), 3).write(puts(250));
        assertThat(outcome.durable()).hasSize(250);
        assertThat(dynamo.calls).hasSize(10);
        assertThat(dynamo.maxConcurrentCalls()).isEqualTo(3);
    }

    /** A full item collection refuses the whole call for one key: the others are written, that key's write waits. */
    @Test
    void aFullItemCollectionHoldsBackOnlyTheWritesToItsKey() {
        dynamo.rejectWhen(w -> w.putRequest() != null && w.putRequest().item().get("v").s().equals("v3") ? "full" : null)
                .rejectingWith("ItemCollectionSizeLimitExceededException");
        WriteOutcome outcome = writer(Duration.ofMillis(500), 1).write(puts(6));

        assertThat(outcome.durable()).hasSize(5);
        assertThat(outcome.rejected()).as("a table condition, not a bad record").isEmpty();
        assertThat(outcome.pending()).singleElement().satisfies(w -> assertThat(w.record().kafkaOffset()).isEqualTo(3));
        assertThat(outcome.lastFailure()).contains("ItemCollectionSizeLimitExceededException");
    }
}
