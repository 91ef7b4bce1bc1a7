package io.streamoffload.connect.dynamodb.testutil;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A hand-written DynamoDB stand-in for unit tests: stores items by partition key "pk", answers DescribeTable for
 * any table with that schema, and lets a test script failures for the next BatchWriteItem calls.
 */
public final class FakeDynamoDb implements DynamoDbClient {
    /** What the next call does; returns null to store the batch normally. */
    private final Deque<Function<BatchWriteItemRequest, BatchWriteItemResponse>> script = new ArrayDeque<>();
    public final Map<String, Map<Map<String, AttributeValue>, Map<String, AttributeValue>>> tables = new ConcurrentHashMap<>();
    public final List<BatchWriteItemRequest> calls = Collections.synchronizedList(new ArrayList<>());
    public final AtomicInteger describeCalls = new AtomicInteger();
    private final Deque<AwsServiceException> describeFailures = new ArrayDeque<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile long callLatencyMillis;
    private volatile CountDownLatch rendezvous = new CountDownLatch(0);
    private Function<WriteRequest, String> rejectIf = request -> null;
    private volatile String rejectionCode = "ValidationException";
    private volatile TableStatus tableStatus = TableStatus.ACTIVE;

    public synchronized FakeDynamoDb thenFail(AwsServiceException failure) {
        script.add(request -> {
            throw failure;
        });
        return this;
    }

    /** The next call stores all but the last {@code n} writes and returns those as UnprocessedItems. */
    public synchronized FakeDynamoDb thenLeaveUnprocessed(int n) {
        script.add(request -> {
            String table = request.requestItems().keySet().iterator().next();
            List<WriteRequest> writes = request.requestItems().get(table);
            int processed = Math.max(0, writes.size() - n);
            store(table, writes.subList(0, processed));
            return BatchWriteItemResponse.builder()
                    .unprocessedItems(Map.of(table, List.copyOf(writes.subList(processed, writes.size()))))
                    .build();
        });
        return this;
    }

    /** The next call stores only its first {@code n} writes and returns the others as UnprocessedItems. */
    public synchronized FakeDynamoDb thenAcceptOnly(int n) {
        script.add(request -> {
            String table = request.requestItems().keySet().iterator().next();
            List<WriteRequest> writes = request.requestItems().get(table);
            int accepted = Math.min(n, writes.size());
            store(table, writes.subList(0, accepted));
            return BatchWriteItemResponse.builder()
                    .unprocessedItems(Map.of(table, List.copyOf(writes.subList(accepted, writes.size()))))
                    .build();
        });
        return this;
    }

    /** Every call containing a write for which {@code reason} returns non-null fails with a ValidationException. */
    public FakeDynamoDb rejectWhen(Function<WriteRequest, String> reason) {
        this.rejectIf = reason;
        return this;
    }

    /** The error code calls refused by {@link #rejectWhen} fail with (ValidationException unless told). */
    public FakeDynamoDb rejectingWith(String code) {
        this.rejectionCode = code;
        return this;
    }

    public FakeDynamoDb withLatency(long millis) {
        this.callLatencyMillis = millis;
        return this;
    }

    /**
     * The first {@code calls} calls wait (up to 10 s) until that many are in flight together: proves a writer
     * reaches that concurrency without relying on timing.
     */
    public FakeDynamoDb holdUntilConcurrent(int calls) {
        this.rendezvous = new CountDownLatch(calls);
        return this;
    }

    public int maxConcurrentCalls() {
        return maxInFlight.get();
    }

    public static AwsServiceException serviceError(String code, int status) {
        return DynamoDbException.builder()
                .statusCode(status)
                .message(code + " from fake")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("fake " + code).build())
                .build();
    }

    @Override
    public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
        calls.add(request);
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            CountDownLatch meet = rendezvous;
            meet.countDown();
            meet.await(10, TimeUnit.SECONDS);
            if (callLatencyMillis > 0) {
                Thread.sleep(callLatencyMillis);
            }
            Function<BatchWriteItemRequest, BatchWriteItemResponse> next;
            synchronized (this) {
                next = script.poll();
            }
            if (next != null) {
                return next.apply(request);
            }
            request.requestItems().forEach((table, writes) -> {
                for (WriteRequest write : writes) {
                    String reason = rejectIf.apply(write);
                    if (reason != null) {
                        throw serviceError(rejectionCode, 400);
                    }
                }
            });
            request.requestItems().forEach(this::store);
            return BatchWriteItemResponse.builder().unprocessedItems(Map.of()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void store(String table, List<WriteRequest> writes) {
        Map<Map<String, AttributeValue>, Map<String, AttributeValue>> items =
                tables.computeIfAbsent(table, t -> new ConcurrentHashMap<>());
        for (WriteRequest write : writes) {
            if (write.putRequest() != null) {
                Map<String, AttributeValue> item = write.putRequest().item();
                items.put(keyOf(item), item);
            } else {
                items.remove(keyOf(write.deleteRequest().key()));
            }
        }
    }

    private static Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> key = new HashMap<>();
        key.put("pk", item.get("pk"));
        return key;
    }

    public Map<String, AttributeValue> item(String table, String pk) {
        return tables.getOrDefault(table, Map.of()).get(Map.of("pk", AttributeValue.fromS(pk)));
    }

    public int itemCount(String table) {
        return tables.getOrDefault(table, Map.of()).size();
    }

    /** Total write requests sent, including resends. */
    public int writesSent() {
        synchronized (calls) {
            return calls.stream().mapToInt(c -> c.requestItems().values().stream().mapToInt(List::size).sum()).sum();
        }
    }

    /** DescribeTable reports every table in this state from now on. */
    public FakeDynamoDb withTableStatus(TableStatus status) {
        this.tableStatus = status;
        return this;
    }

    /** The next DescribeTable call fails with {@code failure}. */
    public synchronized FakeDynamoDb thenFailDescribe(AwsServiceException failure) {
        describeFailures.add(failure);
        return this;
    }

    @Override
    public DescribeTableResponse describeTable(DescribeTableRequest request) {
        describeCalls.incrementAndGet();
        AwsServiceException failure;
        synchronized (this) {
            failure = describeFailures.poll();
        }
        if (failure != null) {
            throw failure;
        }
        return DescribeTableResponse.builder().table(t -> t.tableName(request.tableName())
                .tableStatus(tableStatus)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))).build();
    }

    @Override
    public String serviceName() {
        return "dynamodb";
    }

    @Override
    public void close() {
    }
}
