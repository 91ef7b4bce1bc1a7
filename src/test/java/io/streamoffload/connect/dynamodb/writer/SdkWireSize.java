package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** The size of a BatchWriteItem body as the SDK marshals it: measured in an interceptor, the call never sent. */
final class SdkWireSize {
    private SdkWireSize() {
    }

    private static final class Measured extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Measured() {
            super(null, null, false, false);
        }
    }

    static long batchWriteItemBody(String table, List<WriteOperation> writes) {
        AtomicLong size = new AtomicLong(-1);
        ExecutionInterceptor measure = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                try (InputStream body = context.requestBody().orElseThrow().contentStreamProvider().newStream()) {
                    size.set(body.transferTo(java.io.OutputStream.nullOutputStream()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                throw new Measured();
            }
        };
        try (DynamoDbClient client = DynamoDbClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:9"))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .overrideConfiguration(o -> o.addExecutionInterceptor(measure))
                .build()) {
            List<WriteRequest> requests = writes.stream().map(WriteOperation::toWriteRequest).toList();
            client.batchWriteItem(BatchWriteItemRequest.builder().requestItems(Map.of(table, requests)).build());
        } catch (Measured expected) {
            return size.get();
        }
        throw new IllegalStateException("the request was not measured");
    }
}
