package io.streamoffload.connect.dynamodb.writer;

import static io.streamoffload.connect.dynamodb.testutil.Records.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamoffload.connect.dynamodb.config.ItemBatching;
import io.streamoffload.connect.dynamodb.config.WriteSettings;
import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import io.streamoffload.connect.dynamodb.testutil.FakeDynamoDb;
import io.streamoffload.connect.dynamodb.testutil.FakeTime;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The item writer with {@code item.writes.batching=transactions}, against a fake that judges version conditions the
 * way DynamoDB does, cancels a transaction whole with a reason per write, and honours ClientRequestToken (which moto,
 * the only open-source server with TransactWriteItems here, does not).
 */
class TransactionGroupsTest {
    private final SinkTaskMetrics metrics = new SinkTaskMetrics();
    private final FakeTime time = new FakeTime();
    private final Transactions dynamo = new Transactions();
    private ItemWriter writer;

    private ItemWriter writer(Duration budget, int concurrency) {
        return writer(budget, concurrency, new WriteSettings(WriteSettings.Mode.PUT, true, Optional.of(
                new WriteSettings.Version(WriteSettings.VersionSource.KAFKA_OFFSET, Optional.empty(), "_version")),
                WriteSettings.CdcFormat.NONE, Optional.empty()));
    }

    private ItemWriter writer(Duration budget, int concurrency, WriteSettings modes) {
        writer = new ItemWriter(dynamo, modes, ItemBatching.TRANSACTIONS, concurrency, ItemWriterTest.retry(budget, time),
                metrics);
        return writer;
    }

    @AfterEach
    void close() {
        if (writer != null) {
            writer.close();
        }
    }

    private static WriteOperation put(String pk, int version) {
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS(pk));
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put("v", AttributeValue.fromN(Integer.toString(version)));
        return WriteOperation.of(WriteOperation.Kind.PUT, "tbl", key, item, record("tbl", 0, version, pk, null),
                CompletableFuture.completedFuture(null), 0).versioned(AttributeValue.fromN(Integer.toString(version)));
    }

    private static List<WriteOperation> puts(int keys, int version) {
        return IntStream.range(0, keys).mapToObj(k -> put("k" + k, version)).toList();
    }

    @Test
    void aRoundsWritesGoTogetherInTransactionsOfAtMostAHundred() {
        WriteOutcome outcome = writer(Duration.ofSeconds(30), 4).write(puts(250, 1));

        assertThat(outcome.durable()).hasSize(250);
        assertThat(dynamo.transactionSizes()).containsExactlyInAnyOrder(100, 100, 50);
        assertThat(dynamo.singleCalls).isEmpty();
        assertThat(dynamo.versions).hasSize(250).allSatisfy((pk, v) -> assertThat(v).isEqualTo(1));
        assertThat(metrics.get("ItemsPut").longValue()).isEqualTo(250);
    }

    @Test
    void aWriteAloneGoesAsItsOwnCallAtASingleWritesPrice() {
        WriteOutcome outcome = writer(Duration.ofSeconds(30), 4).write(puts(1, 1));

        assertThat(outcome.durable()).hasSize(1);
        assertThat(dynamo.transactions).isEmpty();
        assertThat(dynamo.singleCalls).containsExactly("k0");
    }

    @Test
    void writesWhoseConditionsFailAreSupersededAndTheOthersGoInTheNextTransaction() {
        dynamo.versions.put("k3", 9);
        dynamo.versions.put("k7", 5);
        WriteOutcome outcome = writer(Duration.ofSeconds(30), 4).write(puts(10, 5));

        assertThat(outcome.durable()).hasSize(10);
        assertThat(outcome.rejected()).isEmpty();
        assertThat(dynamo.transactionSizes()).as("one cancelled, then the eight others, never one by one")
                .containsExactly(10, 8);
        assertThat(dynamo.versions).containsEntry("k3", 9).containsEntry("k7", 5).containsEntry("k0", 5);
        assertThat(metrics.get("WritesSuperseded").longValue()).isEqualTo(2);
        assertThat(metrics.get("ItemsPut").longValue()).isEqualTo(8);
    }

    @Test
    void aWriteDynamoDbRefusesIsRejectedWithItsReasonAndTheOthersAreWritten() {
        dynamo.reasonFor = pk -> pk.equals("k4") ? "ValidationError" : null;
        WriteOutcome outcome = writer(Duration.ofSeconds(30), 4).write(puts(6, 1));

        assertThat(outcome.rejected()).singleElement().satisfies(rejected -> {
            assertThat(rejected.write().key().get("pk").s()).isEqualTo("k4");
            assertThat(rejected.reason()).contains("DynamoDB rejected the PutItem of an item of table tbl")
                    .contains("ValidationException");
        });
        assertThat(outcome.durable()).hasSize(5);
        assertThat(dynamo.versions).hasSize(5).doesNotContainKey("k4");
    }

    @Test
    void aWriteInConflictWithAnotherTransactionIsRetriedAndWritten() {
        Set<String> conflicted = new HashSet<>();
        dynamo.reasonFor = pk -> pk.equals("k2") && conflicted.add(pk) ? "TransactionConflict" : null;
        WriteOutcome outcome = writer(Duration.ofSeconds(30), 4).write(puts(5, 1));

        assertThat(outcome.durable()).hasSize(5);
        assertThat(dynamo.versions).hasSize(5);
        assertThat(metrics.get("FailedCallsRetried").longValue()).as("the conflicted write went to the retries")
                .isPositive();
        assertThat(metrics.get("ItemsPut").longValue()).isEqualTo(5);
    }

    @Test
    void aWriteCancelledForAReasonNotKnownHereGoesAloneAndItsOwnCallDecides() {
        Set<String> cancelled = new HashSet<>();
        dynamo.reasonFor = pk -> pk.equals("k3") && cancelled.add(pk) ? "SomeReasonOfTomorrow" : null;
        WriteOutcome outcome = writer(Duration.ofSeconds(30), 4).write(puts(6, 1));

        assertThat(outcome.durable()).hasSize(6);
        assertThat(outcome.rejected()).isEmpty();
        assertThat(dynamo.singleCalls).as("the one write sent alone").containsExactly("k3");
        assertThat(dynamo.transactionSizes()).containsExactly(6, 5);
        assertThat(dynamo.versions).hasSize(6);
    }

    @Test
    void writesCancelledForAnotherAfterTheRoundsDeadlineGoBackToTheWriterAndArePending() {
        dynamo.versions.put("k3", 9);
        dynamo.reasonFor = pk -> {
            if (pk.equals("k0")) {
                time.advance(Duration.ofSeconds(31)); // the transaction's answer comes after the round's deadline
            }
            return null;
        };
        WriteOutcome outcome = writer(Duration.ofSeconds(30), 4).write(puts(6, 5));

        assertThat(outcome.pending()).as("the five innocent writes, not sent again past the deadline").hasSize(5);
        assertThat(dynamo.transactionSizes()).containsExactly(6);
        assertThat(dynamo.versions).containsOnly(Map.entry("k3", 9));
    }

    @Test
    void aTransactionWhoseAnswerIsLostGoesAgainWithItsTokenAndIsAppliedOnce() {
        dynamo.loseAnswers.add(1);
        WriteOutcome outcome = writer(Duration.ofSeconds(30), 4).write(puts(20, 1));

        assertThat(outcome.durable()).hasSize(20);
        assertThat(dynamo.transactions).hasSize(2);
        assertThat(dynamo.transactions.get(1).clientRequestToken()).as("the same transaction, the same token")
                .isEqualTo(dynamo.transactions.get(0).clientRequestToken()).isNotBlank();
        assertThat(dynamo.applied).as("applied once").isEqualTo(20);
        assertThat(metrics.get("ItemsPut").longValue()).as("written, not superseded by its own first attempt")
                .isEqualTo(20);
        assertThat(metrics.get("WritesSuperseded").longValue()).isZero();
    }

    @Test
    void throttledTransactionsAreRetriedWithinTheBudgetThenLeaveTheirWritesPending() {
        dynamo.wholeFailure = request -> FakeDynamoDb.serviceError("ThrottlingException", 400);
        dynamo.reasonFor = pk -> "ThrottlingError"; // for the writes that go again alone, within what is left
        WriteOutcome outcome = writer(Duration.ofSeconds(3), 4).write(puts(30, 1));

        assertThat(outcome.pending()).hasSize(30);
        assertThat(outcome.lastFailure()).contains("ThrottlingException");
        String first = dynamo.transactions.get(0).clientRequestToken();
        assertThat(dynamo.transactions).as("sent again as it was, until the budget ran low")
                .filteredOn(t -> t.clientRequestToken().equals(first)).hasSizeGreaterThan(2)
                .allSatisfy(t -> assertThat(t.transactItems()).hasSize(30));
        assertThat(metrics.get("ThrottledCalls").longValue()).isPositive();
        assertThat(dynamo.versions).isEmpty();
    }

    @Test
    void aTransactionRefusedWholeIsUndoneIntoSingleItemCalls() {
        dynamo.wholeFailure = request -> FakeDynamoDb.serviceError("ValidationException", 400);
        WriteOutcome outcome = writer(Duration.ofSeconds(30), 4).write(puts(7, 1));

        assertThat(outcome.durable()).hasSize(7);
        assertThat(dynamo.singleCalls).hasSize(7);
        assertThat(dynamo.versions).hasSize(7);
    }

    @Test
    void writesThatFollowTheWritesOfAnEndedTransactionGoTogetherInTheNext() {
        List<WriteOperation> writes = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            for (int k = 0; k < 50; k++) {
                Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("k" + k));
                writes.add(WriteOperation.of(WriteOperation.Kind.UPDATE, "tbl", key, Map.of("pk", key.get("pk"),
                        "n", AttributeValue.fromN(Integer.toString(n))), record("tbl", 0, n * 50L + k, "k" + k, null),
                        CompletableFuture.completedFuture(null), 0));
            }
        }
        WriteOutcome outcome = writer(Duration.ofSeconds(30), 4, new WriteSettings(WriteSettings.Mode.UPDATE, true,
                Optional.empty(), WriteSettings.CdcFormat.NONE, Optional.empty())).write(writes);

        assertThat(outcome.durable()).hasSize(150);
        assertThat(dynamo.transactionSizes()).as("each key's updates in order, the keys together")
                .containsExactly(50, 50, 50);
        assertThat(dynamo.updates).hasSize(50).allSatisfy((pk, ns) -> assertThat(ns).containsExactly(0, 1, 2));
        assertThat(dynamo.singleCalls).as("no transaction refused for two writes to one item").isEmpty();
    }

    /**
     * DynamoDB's side of versioned puts: an item's version, PutItem and TransactWriteItems judging the condition
     * {@code attribute_not_exists(#version) OR #version < :version}, tokens that make a repeated transaction a no-op,
     * a transaction with two writes to one item refused whole; unversioned updates recorded in the order applied.
     */
    static final class Transactions implements DynamoDbAsyncClient {
        final Map<String, Integer> versions = Collections.synchronizedMap(new HashMap<>());
        /** the values of "n" each key's unversioned updates set, in the order applied */
        final Map<String, List<Integer>> updates = Collections.synchronizedMap(new HashMap<>());
        final List<TransactWriteItemsRequest> transactions = Collections.synchronizedList(new ArrayList<>());
        final List<String> singleCalls = Collections.synchronizedList(new ArrayList<>());
        final Set<String> appliedTokens = Collections.synchronizedSet(new HashSet<>());
        /** a write's own cancellation reason, by partition key; null when its condition alone decides */
        volatile Function<String, String> reasonFor = pk -> null;
        volatile Function<TransactWriteItemsRequest, AwsServiceException> wholeFailure = request -> null;
        /** the transaction calls (counted from 1) applied whose answer is then lost */
        final Deque<Integer> loseAnswers = new ArrayDeque<>();
        volatile int applied;

        List<Integer> transactionSizes() {
            return transactions.stream().map(t -> t.transactItems().size()).toList();
        }

        private static String pk(Map<String, AttributeValue> item) {
            return item.get("pk").s();
        }

        private boolean holds(String pk, Map<String, AttributeValue> values) {
            Integer stored = versions.get(pk);
            return stored == null || stored < Integer.parseInt(values.get(":version").n());
        }

        @Override
        public synchronized CompletableFuture<TransactWriteItemsResponse> transactWriteItems(
                TransactWriteItemsRequest request) {
            transactions.add(request);
            AwsServiceException whole = wholeFailure.apply(request);
            if (whole != null) {
                return CompletableFuture.failedFuture(whole);
            }
            Set<String> items = new HashSet<>();
            for (TransactWriteItem action : request.transactItems()) {
                if (!items.add(pk(action.update() != null ? action.update().key() : action.put().item()))) {
                    return CompletableFuture.failedFuture(FakeDynamoDb.serviceError("ValidationException", 400));
                }
            }
            if (appliedTokens.contains(request.clientRequestToken())) {
                return CompletableFuture.completedFuture(TransactWriteItemsResponse.builder().build());
            }
            List<CancellationReason> reasons = new ArrayList<>();
            boolean cancelled = false;
            for (TransactWriteItem action : request.transactItems()) {
                if (action.update() != null) {
                    reasons.add(CancellationReason.builder().code("None").build());
                    continue;
                }
                String pk = pk(action.put().item());
                String reason = reasonFor.apply(pk);
                if (reason == null && !holds(pk, action.put().expressionAttributeValues())) {
                    reason = "ConditionalCheckFailed";
                }
                cancelled |= reason != null;
                reasons.add(CancellationReason.builder().code(reason == null ? "None" : reason)
                        .message(reason == null ? null : "The conditional request failed").build());
            }
            if (cancelled) {
                return CompletableFuture.failedFuture(TransactionCanceledException.builder()
                        .message("Transaction cancelled").cancellationReasons(reasons).build());
            }
            for (TransactWriteItem action : request.transactItems()) {
                if (action.update() != null) {
                    updates.computeIfAbsent(pk(action.update().key()), pk -> new ArrayList<>()).add(Integer.parseInt(
                            action.update().expressionAttributeValues().values().stream().filter(v -> v.n() != null)
                                    .findFirst().orElseThrow().n()));
                    applied++;
                    continue;
                }
                versions.put(pk(action.put().item()),
                        Integer.parseInt(action.put().expressionAttributeValues().get(":version").n()));
                applied++;
            }
            appliedTokens.add(request.clientRequestToken());
            if (loseAnswers.remove((Integer) transactions.size())) {
                return CompletableFuture.failedFuture(SdkClientException.create("connection reset",
                        new IOException("Connection reset")));
            }
            return CompletableFuture.completedFuture(TransactWriteItemsResponse.builder().build());
        }

        @Override
        public synchronized CompletableFuture<PutItemResponse> putItem(PutItemRequest request) {
            String pk = pk(request.item());
            singleCalls.add(pk);
            String reason = reasonFor.apply(pk);
            if (reason != null) {
                return CompletableFuture.failedFuture(TransactionGroups.failureOf(
                        CancellationReason.builder().code(reason).build()));
            }
            if (!holds(pk, request.expressionAttributeValues())) {
                return CompletableFuture.failedFuture(ConditionalCheckFailedException.builder()
                        .message("The conditional request failed").awsErrorDetails(
                                software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                                        .errorCode("ConditionalCheckFailedException").build()).build());
            }
            versions.put(pk, Integer.parseInt(request.expressionAttributeValues().get(":version").n()));
            applied++;
            return CompletableFuture.completedFuture(PutItemResponse.builder().build());
        }

        @Override
        public CompletableFuture<UpdateItemResponse> updateItem(UpdateItemRequest request) {
            singleCalls.add(pk(request.key()));
            return CompletableFuture.completedFuture(UpdateItemResponse.builder().build());
        }

        @Override
        public CompletableFuture<DeleteItemResponse> deleteItem(DeleteItemRequest request) {
            throw new UnsupportedOperationException("versioned puts only");
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
