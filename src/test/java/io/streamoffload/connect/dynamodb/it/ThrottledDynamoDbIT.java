package io.streamoffload.connect.dynamodb.it;

import static io.streamoffload.connect.dynamodb.testutil.Records.record;
import static org.assertj.core.api.Assertions.assertThat;

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
import io.streamoffload.connect.dynamodb.writer.WriteOutcome;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * dynalite never throttles, so an SDK interceptor turns some real responses into throttling errors (parsed by
 * the SDK from a real HTTP 400 body) and others into partial successes with UnprocessedItems. Every write still lands.
 */
@ExtendWith(InJvmStackExtension.class)
class ThrottledDynamoDbIT {
    private static final String TABLE = "throttled-" + System.nanoTime() % 100_000;

    @Test
    void throttlingAndUnprocessedItemsAreRetriedUntilEveryWriteLands(SinkTestStack stack) {
        FaultInjector faults = new FaultInjector();
        try (DynamoDbClient plain = stack.newDynamoDbClient();
             DynamoDbClient faulty = DynamoDbClient.builder()
                     .endpointOverride(stack.dynamoDbEndpoint())
                     .region(Region.of(stack.region()))
                     .credentialsProvider(StaticCredentialsProvider.create(
                             AwsBasicCredentials.create(stack.accessKeyId(), stack.secretAccessKey())))
                     .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).addExecutionInterceptor(faults))
                     .build()) {
            Tables.createKeyedByString(plain, TABLE, "pk");

            SinkTaskMetrics metrics = new SinkTaskMetrics();
            List<WriteOperation> writes = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("item-" + i));
                writes.add(WriteOperation.put(TABLE, key, Map.of("pk", key.get("pk"), "n", AttributeValue.fromN(Integer.toString(i))),
                        record(TABLE, 0, i, "item-" + i, null)));
            }
            WriteOutcome outcome;
            try (BatchWriter writer = new BatchWriter(faulty, new BatchPlanner(25), 4,
                    new RetryPolicy(new Backoff(Duration.ofMillis(5), Duration.ofMillis(100)), Duration.ofSeconds(60),
                            Clock.systemUTC(), Sleeper.THREAD), metrics)) {
                outcome = writer.write(writes);
            }

            assertThat(outcome.pending()).isEmpty();
            assertThat(outcome.rejected()).isEmpty();
            assertThat(outcome.durable()).hasSize(500);
            assertThat(faults.throttled.get()).isGreaterThan(0);
            assertThat(faults.partial.get()).isGreaterThan(0);
            assertThat(metrics.get("ThrottledCalls").longValue()).isEqualTo(faults.throttled.get());
            assertThat(metrics.get("UnprocessedItemsResent").longValue()).isEqualTo(faults.partial.get() * 2L);
            assertThat(plain.scan(r -> r.tableName(TABLE).select("COUNT")).count()).isEqualTo(500);
        }
    }

    /** Throttles every third BatchWriteItem call; returns the last two writes of every fourth as unprocessed. */
    static final class FaultInjector implements ExecutionInterceptor {
        private static final ExecutionAttribute<String> FAULT = new ExecutionAttribute<>("fault");
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger throttled = new AtomicInteger();
        final AtomicInteger partial = new AtomicInteger();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (!(context.request() instanceof BatchWriteItemRequest)) {
                return;
            }
            int n = calls.incrementAndGet();
            if (n % 3 == 0) {
                attributes.putAttribute(FAULT, "throttle");
            } else if (n % 4 == 0) {
                attributes.putAttribute(FAULT, "partial");
            }
        }

        @Override
        public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
            if (!"throttle".equals(attributes.getAttribute(FAULT))) {
                return context.httpResponse();
            }
            // counted where the fault is applied: a call that fails for real before this never reaches the writer as throttled
            throttled.incrementAndGet();
            return context.httpResponse().toBuilder().statusCode(400).build();
        }

        @Override
        public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                                                                ExecutionAttributes attributes) {
            if ("throttle".equals(attributes.getAttribute(FAULT))) {
                String body = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\","
                        + "\"message\":\"The level of configured provisioned throughput for the table was exceeded.\"}";
                return Optional.of(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
            }
            return context.responseBody();
        }

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
            if ("partial".equals(attributes.getAttribute(FAULT))
                    && context.request() instanceof BatchWriteItemRequest request
                    && context.response() instanceof BatchWriteItemResponse response) {
                String table = request.requestItems().keySet().iterator().next();
                List<WriteRequest> sent = request.requestItems().get(table);
                if (sent.size() < 2) {
                    return response;
                }
                partial.incrementAndGet();
                // dynalite did write them; resending is idempotent, which is what the connector relies on
                return response.toBuilder().unprocessedItems(Map.of(table, sent.subList(sent.size() - 2, sent.size())))
                        .build();
            }
            return context.response();
        }
    }
}
