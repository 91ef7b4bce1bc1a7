package io.streamoffload.connect.dynamodb.writer;

import static io.streamoffload.connect.dynamodb.testutil.Records.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamoffload.connect.dynamodb.aws.ThreadedDynamoDbAsyncClient;
import io.streamoffload.connect.dynamodb.config.WriteSettings;
import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import io.streamoffload.connect.dynamodb.retry.Backoff;
import io.streamoffload.connect.dynamodb.retry.RetryPolicy;
import io.streamoffload.connect.dynamodb.retry.Sleeper;
import io.streamoffload.connect.dynamodb.testutil.FakeDynamoDb;
import io.streamoffload.connect.dynamodb.testutil.FakeTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

class ItemWriterTest {
    private final SinkTaskMetrics metrics = new SinkTaskMetrics();
    private final FakeTime time = new FakeTime();
    private final ItemCalls dynamo = new ItemCalls();
    private ItemWriter writer;

    private ItemWriter writer(Duration budget, int concurrency) {
        writer = new ItemWriter(new ThreadedDynamoDbAsyncClient(dynamo, concurrency), new WriteSettings(WriteSettings.Mode.UPDATE, true, Optional.of(
                new WriteSettings.Version(WriteSettings.VersionSource.KAFKA_OFFSET, Optional.empty(), "_version")),
                WriteSettings.CdcFormat.NONE, Optional.empty()), concurrency, retry(budget, time), metrics);
        return writer;
    }

    /** Backoffs of 100 ms doubling to 1 s, each passed at once on the fake clock. */
    static RetryPolicy retry(Duration budget, FakeTime time) {
        Sleeper sleeper = time::advance;
        return new RetryPolicy(new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), bound -> bound), budget, time,
                sleeper);
    }

    @AfterEach
    void close() {
        if (writer != null) {
            writer.close();
        }
    }

    private static WriteOperation update(String pk, int n) {
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS(pk));
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put("n", AttributeValue.fromN(Integer.toString(n)));
        return WriteOperation.of(WriteOperation.Kind.UPDATE, "tbl", key, item, record("tbl", 0, n, pk, null),
                CompletableFuture.completedFuture(null), 0);
    }

    @Test
    void theWritesToOneKeyGoInRecordOrderWhileKeysRunConcurrently() {
        // the first call of each of the three keys waits for the other two: the keys are in flight together
        CountDownLatch together = new CountDownLatch(3);
        dynamo.onCall = request -> {
            if (together.getCount() > 0) {
                together.countDown();
                await(together);
            }
            return null;
        };
        List<WriteOperation> writes = new ArrayList<>();
        for (int n = 0; n < 15; n++) {
            writes.add(update("k" + n % 3, n));
        }
        WriteOutcome outcome = writer(Duration.ofSeconds(30), 3).write(writes);

        assertThat(outcome.durable()).hasSize(15);
        assertThat(dynamo.maxInFlight.get()).isEqualTo(3);
        for (int k = 0; k < 3; k++) {
            String pk = "k" + k;
            assertThat(dynamo.sequence(pk)).as("writes to " + pk + " in record order")
                    .isSorted().hasSize(5);
        }
        assertThat(metrics.get("ItemsUpdated").longValue()).isEqualTo(15);
    }

    @Test
    void aFailedVersionConditionIsSupersededNotAFailure() {
        dynamo.onCall = request -> request.n == 1 ? FakeDynamoDb.serviceError("ConditionalCheckFailedException", 400)
                : null;
        WriteOutcome outcome = writer(Duration.ofSeconds(30), 2).write(List.of(update("a", 1).versioned(
                AttributeValue.fromN("1")), update("a", 2).versioned(AttributeValue.fromN("2"))));

        assertThat(outcome.durable()).hasSize(2);
        assertThat(outcome.rejected()).isEmpty();
        assertThat(metrics.get("WritesSuperseded").longValue()).isEqualTo(1);
        assertThat(metrics.get("ItemsUpdated").longValue()).isEqualTo(1);
    }

    @Test
    void aWriteStillThrottledAtTheEndOfTheBudgetLeavesItAndTheRestOfItsChainPending() {
        dynamo.onCall = request -> request.pk.equals("a") && request.n == 2
                ? FakeDynamoDb.serviceError("ProvisionedThroughputExceededException", 400) : null;
        WriteOutcome outcome = writer(Duration.ofSeconds(2), 2).write(List.of(update("a", 1), update("b", 1),
                update("a", 2), update("b", 2), update("a", 3)));

        assertThat(outcome.durable()).extracting(w -> w.record().kafkaOffset() + "" + w.key().get("pk").s())
                .containsExactlyInAnyOrder("1a", "1b", "2b");
        assertThat(outcome.pending()).extracting(w -> w.record().kafkaOffset()).containsExactly(2L, 3L);
        assertThat(outcome.lastFailure()).contains("UpdateItem").contains("ProvisionedThroughputExceededException");
        assertThat(dynamo.sequence("a")).as("the third write never overtook the second").doesNotContain(3);
        assertThat(metrics.get("ThrottledCalls").longValue()).isPositive();
    }

    @Test
    void aWriteDynamoDbRefusesIsRejectedWithTheReasonAndItsChainGoesOn() {
        dynamo.onCall = request -> request.n == 1 ? FakeDynamoDb.serviceError("ValidationException", 400) : null;
        WriteOutcome outcome = writer(Duration.ofSeconds(30), 1).write(List.of(update("a", 1), update("a", 2)));

        assertThat(outcome.rejected()).singleElement().satisfies(r -> assertThat(r.reason())
                .contains("DynamoDB rejected the UpdateItem of an item of table tbl").contains("ValidationException")
                .contains("400 KB"));
        assertThat(outcome.durable()).extracting(w -> w.record().kafkaOffset()).containsExactly(2L);
    }

    @Test
    void aFailureNoRetryCanFixStopsTheRoundWithAwsReasonAfterEveryChainHasEnded() {
        dynamo.onCall = request -> request.pk.equals("a") ? FakeDynamoDb.serviceError("AccessDeniedException", 400) : null;
        ItemWriter writer = writer(Duration.ofSeconds(30), 2);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> writer.write(List.of(update("a", 1), update("b", 2))))
                .isInstanceOf(FatalWriteException.class)
                .hasMessageContaining("Writing to DynamoDB table tbl failed and cannot succeed by retrying")
                .hasMessageContaining("AccessDeniedException");
        assertThat(dynamo.sequence("b")).as("the other key's chain ran to its end first").containsExactly(2);
    }

    @Test
    void anUpdateWhoseExpressionDynamoDbWouldRefuseIsRejectedWithoutACall() {
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("wide"));
        Map<String, AttributeValue> item = new HashMap<>(key);
        for (int i = 0; i < 600; i++) {
            item.put("field" + i, AttributeValue.fromN(Integer.toString(i)));
        }
        WriteOperation wide = WriteOperation.of(WriteOperation.Kind.UPDATE, "tbl", key, item,
                record("tbl", 0, 9, "wide", null), CompletableFuture.completedFuture(null), 0);
        WriteOutcome outcome = writer(Duration.ofSeconds(30), 1).write(List.of(wide));

        assertThat(outcome.rejected()).singleElement().satisfies(r -> assertThat(r.reason())
                .contains("600 attributes").contains("4096 bytes per expression"));
        assertThat(dynamo.calls).isEmpty();
    }

    @Test
    void aWriteWhoseObjectsAreNotStoredWaitsWithTheRestOfItsChain() {
        WriteOperation stuck = new WriteOperation("tbl", Map.of("pk", AttributeValue.fromS("a")),
                Map.of("pk", AttributeValue.fromS("a")), record("tbl", 0, 1, "a", null), 1,
                CompletableFuture.failedFuture(new java.io.IOException("S3 is down")), 0, WriteOperation.Kind.PUT, null,
                false, java.util.Set.of(), null);
        WriteOutcome outcome = writer(Duration.ofSeconds(1), 1).write(List.of(stuck, update("a", 2), update("b", 3)));

        assertThat(outcome.pending()).extracting(w -> w.record().kafkaOffset()).containsExactly(1L, 2L);
        assertThat(outcome.durable()).extracting(w -> w.record().kafkaOffset()).containsExactly(3L);
        assertThat(dynamo.sequence("a")).isEmpty();
    }

    private static WriteOperation versionedPut(String pk, int n, long version) {
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS(pk));
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put("n", AttributeValue.fromN(Integer.toString(n)));
        return WriteOperation.of(WriteOperation.Kind.PUT, "tbl", key, item, record("tbl", 0, n, pk, null),
                CompletableFuture.completedFuture(null), 0).versioned(AttributeValue.fromN(Long.toString(version)));
    }

    @Test
    void ofVersionedPutsToOneKeyOnlyTheFirstWithTheHighestVersionIsSentAndTheOthersAreSuperseded() {
        // out of order, as a change stream's versions may come: 3 decides, its twin 3 after it would be refused
        WriteOutcome outcome = writer(Duration.ofSeconds(30), 2).write(List.of(versionedPut("a", 1, 2),
                versionedPut("a", 2, 3), versionedPut("b", 3, 1), versionedPut("a", 4, 1), versionedPut("a", 5, 3)));

        assertThat(dynamo.sequence("a")).containsExactly(2);
        assertThat(dynamo.sequence("b")).containsExactly(3);
        assertThat(outcome.durable()).extracting(w -> w.record().kafkaOffset()).containsExactlyInAnyOrder(1L, 2L, 3L,
                4L, 5L);
        assertThat(metrics.get("WritesSuperseded").longValue()).isEqualTo(3);
        assertThat(metrics.get("ItemsPut").longValue()).isEqualTo(2);
    }

    @Test
    void whenDynamoDbRefusesTheDecisiveVersionedWriteTheOthersGoInOrderAsWithoutIt() {
        dynamo.onCall = request -> request.n == 3 ? FakeDynamoDb.serviceError("ValidationException", 400) : null;
        WriteOutcome outcome = writer(Duration.ofSeconds(30), 1).write(List.of(versionedPut("a", 1, 1),
                versionedPut("a", 2, 2), versionedPut("a", 3, 3)));

        assertThat(outcome.rejected()).singleElement().satisfies(r -> assertThat(r.write().record().kafkaOffset())
                .isEqualTo(3L));
        assertThat(dynamo.sequence("a")).containsExactly(1, 2);
        assertThat(outcome.durable()).extracting(w -> w.record().kafkaOffset()).containsExactly(1L, 2L);
    }

    @Test
    void aDecisiveVersionedWriteStillThrottledAtTheEndOfTheBudgetLeavesTheWholeChainPending() {
        dynamo.onCall = request -> FakeDynamoDb.serviceError("ProvisionedThroughputExceededException", 400);
        WriteOutcome outcome = writer(Duration.ofSeconds(2), 1).write(List.of(versionedPut("a", 1, 1),
                versionedPut("a", 2, 2)));

        assertThat(outcome.durable()).isEmpty();
        assertThat(outcome.pending()).extracting(w -> w.record().kafkaOffset()).containsExactly(1L, 2L);
        assertThat(metrics.get("WritesSuperseded").longValue()).isZero();
    }

    @Test
    void versionedUpdatesToOneKeyStillGoOneByOneInRecordOrder() {
        WriteOutcome outcome = writer(Duration.ofSeconds(30), 1).write(List.of(
                update("a", 1).versioned(AttributeValue.fromN("1")), update("a", 2).versioned(AttributeValue.fromN("2"))));

        assertThat(outcome.durable()).hasSize(2);
        assertThat(dynamo.sequence("a")).containsExactly(1, 2);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Single-item calls: records each key's order of calls, and answers as {@code onCall} says (null: success). */
    static final class ItemCalls implements DynamoDbClient {
        record Call(String pk, int n) {
        }

        volatile Function<Call, AwsServiceException> onCall = c -> null;
        final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();

        List<Integer> sequence(String pk) {
            synchronized (calls) {
                return calls.stream().filter(c -> c.pk.equals(pk)).map(Call::n).toList();
            }
        }

        private void call(Map<String, AttributeValue> key, AttributeValue n) {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Call call = new Call(key.get("pk").s(), n == null ? -1 : Integer.parseInt(n.n()));
                AwsServiceException failure = onCall.apply(call);
                if (failure != null) {
                    throw failure;
                }
                calls.add(call);
            } finally {
                inFlight.decrementAndGet();
            }
        }

        @Override
        public UpdateItemResponse updateItem(UpdateItemRequest request) {
            call(request.key(), request.expressionAttributeValues().values().stream()
                    .filter(v -> v.n() != null).findFirst().orElse(null));
            return UpdateItemResponse.builder().build();
        }

        @Override
        public PutItemResponse putItem(PutItemRequest request) {
            call(request.item(), request.item().get("n"));
            return PutItemResponse.builder().build();
        }

        @Override
        public DeleteItemResponse deleteItem(DeleteItemRequest request) {
            call(request.key(), null);
            return DeleteItemResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }
}
