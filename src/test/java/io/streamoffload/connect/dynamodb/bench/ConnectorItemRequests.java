package io.streamoffload.connect.dynamodb.bench;

import io.streamoffload.connect.dynamodb.DynamoDbSinkConfig;
import io.streamoffload.connect.dynamodb.aws.ThreadedDynamoDbAsyncClient;
import io.streamoffload.connect.dynamodb.mapping.RecordMapper;
import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import io.streamoffload.connect.dynamodb.retry.Sleeper;
import io.streamoffload.connect.dynamodb.writer.ItemWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.connect.sink.SinkRecord;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The very requests the connector sends one item per call (PutItem, UpdateItem, DeleteItem, with their conditions),
 * taken by running its mapper and its {@link ItemWriter} against a client that records each request and answers
 * success: what a single-item ceiling sends with the plain SDK, so that the two differ only in who sends.
 */
final class ConnectorItemRequests {
    private ConnectorItemRequests() {
    }

    /** The requests for these records, with the connector configured by {@code props}. */
    static List<SdkRequest> of(Map<String, String> props, List<SinkRecord> records) {
        DynamoDbSinkConfig config = new DynamoDbSinkConfig(props);
        RecordMapper mapper = new RecordMapper(config, Clock.systemUTC());
        List<WriteOperation> writes = new ArrayList<>(records.size());
        for (SinkRecord record : records) {
            mapper.map(record).ifPresent(writes::add);
        }
        Recording recording = new Recording();
        try (ThreadedDynamoDbAsyncClient calls = new ThreadedDynamoDbAsyncClient(recording, 1);
             ItemWriter writer = new ItemWriter(calls, config.writeSettings(), 1,
                config.retryPolicy(Clock.systemUTC(), Sleeper.THREAD), new SinkTaskMetrics())) {
            writer.write(writes);
        }
        return recording.requests;
    }

    /** Sends one captured request with a real client. */
    static Object send(DynamoDbClient client, SdkRequest request) {
        if (request instanceof PutItemRequest put) {
            return client.putItem(put);
        }
        if (request instanceof UpdateItemRequest update) {
            return client.updateItem(update);
        }
        return client.deleteItem((DeleteItemRequest) request);
    }

    /**
     * Sends the requests with the async client, {@code inFlight} at a time, no thread waiting for a call: the cheapest
     * way to send them found ({@link ItemCallBenchmark}).
     */
    static void sendAll(DynamoDbAsyncClient client, List<SdkRequest> requests, int inFlight) throws InterruptedException {
        Semaphore slots = new Semaphore(inFlight);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (SdkRequest request : requests) {
            slots.acquire();
            sendAsync(client, request).whenComplete((response, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
                slots.release();
            });
        }
        slots.acquire(inFlight);
        slots.release(inFlight);
        if (failure.get() != null) {
            throw new IllegalStateException("a call failed", failure.get());
        }
    }

    /** Sends one captured request with the async client. */
    static CompletableFuture<?> sendAsync(DynamoDbAsyncClient client, SdkRequest request) {
        return request instanceof PutItemRequest put ? client.putItem(put)
                : request instanceof UpdateItemRequest update ? client.updateItem(update)
                : client.deleteItem((DeleteItemRequest) request);
    }

    /** Records each single-item request, in the order sent, and answers it as taken. */
    private static final class Recording implements DynamoDbClient {
        final List<SdkRequest> requests = Collections.synchronizedList(new ArrayList<>());

        private <T> T record(SdkRequest request, Function<SdkRequest, T> answer) {
            requests.add(request);
            return answer.apply(request);
        }

        @Override
        public PutItemResponse putItem(PutItemRequest request) {
            return record(request, r -> PutItemResponse.builder().build());
        }

        @Override
        public UpdateItemResponse updateItem(UpdateItemRequest request) {
            return record(request, r -> UpdateItemResponse.builder().build());
        }

        @Override
        public DeleteItemResponse deleteItem(DeleteItemRequest request) {
            return record(request, r -> DeleteItemResponse.builder().build());
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
