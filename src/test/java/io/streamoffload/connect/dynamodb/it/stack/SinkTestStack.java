package io.streamoffload.connect.dynamodb.it.stack;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What an end-to-end scenario needs from a running stack: Kafka, a Connect worker's REST API, DynamoDB and S3
 * endpoints with credentials. The in-JVM stack and the Testcontainers stack both provide it.
 */
public interface SinkTestStack extends AutoCloseable {
    String bootstrapServers();

    /** The Connect worker's REST base URL, e.g. http://127.0.0.1:8083/. */
    URI connectUrl();

    /** The DynamoDB endpoint as the connector (inside the worker) reaches it. */
    URI dynamoDbEndpoint();

    /**
     * A DynamoDB endpoint that implements UpdateTimeToLive, for the scenarios about TTL: the stack's own DynamoDB where
     * it has the operation (LocalStack), or a second one beside it where it does not (moto, since dynalite lacks it).
     */
    default URI timeToLiveDynamoDbEndpoint() {
        return dynamoDbEndpoint();
    }

    /** The S3 endpoint as the connector (inside the worker) reaches it. */
    URI s3Endpoint();

    String region();

    String accessKeyId();

    String secretAccessKey();

    /** This stack with another DynamoDB in place of its own (a scenario's server of its own, which it stops and starts). */
    default SinkTestStack withDynamoDbEndpoint(URI endpoint) {
        return withDynamoDb(endpoint, region(), accessKeyId(), secretAccessKey());
    }

    /**
     * This stack with another DynamoDB, reached in another region with other credentials (a user of that server's
     * IAM); its S3 is then signed with them too.
     */
    default SinkTestStack withDynamoDb(URI endpoint, String region, String accessKeyId, String secretAccessKey) {
        SinkTestStack stack = this;
        return new SinkTestStack() {
            @Override
            public String bootstrapServers() {
                return stack.bootstrapServers();
            }

            @Override
            public URI connectUrl() {
                return stack.connectUrl();
            }

            @Override
            public URI dynamoDbEndpoint() {
                return endpoint;
            }

            @Override
            public URI s3Endpoint() {
                return stack.s3Endpoint();
            }

            @Override
            public String region() {
                return region;
            }

            @Override
            public String accessKeyId() {
                return accessKeyId;
            }

            @Override
            public String secretAccessKey() {
                return secretAccessKey;
            }

            @Override
            public void close() {
                // the stack it borrows from is closed by its owner
            }
        };
    }

    /** The connector settings that point it at this stack's DynamoDB and S3 with its credentials. */
    default Map<String, String> connectionConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("aws.region", region());
        config.put("dynamodb.endpoint.url", dynamoDbEndpoint().toString());
        config.put("s3.endpoint.url", s3Endpoint().toString());
        config.put("aws.credentials.provider", "static");
        config.put("aws.access.key.id", accessKeyId());
        config.put("aws.secret.access.key", secretAccessKey());
        return config;
    }

    default DynamoDbClient newDynamoDbClient() {
        return newDynamoDbClient(dynamoDbEndpoint());
    }

    /** A client of another DynamoDB-compatible server that takes the stack's credentials. */
    default DynamoDbClient newDynamoDbClient(URI endpoint) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(accessKeyId(), secretAccessKey())))
                .build();
    }

    default S3Client newS3Client() {
        return newS3Client(s3Endpoint());
    }

    /** A client of another S3-compatible server that takes the stack's credentials. */
    default S3Client newS3Client(URI endpoint) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.of(region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(accessKeyId(), secretAccessKey())))
                .build();
    }
}
