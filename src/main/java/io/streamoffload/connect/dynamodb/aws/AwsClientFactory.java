package io.streamoffload.connect.dynamodb.aws;

import io.streamoffload.connect.dynamodb.Version;
import io.streamoffload.connect.dynamodb.config.AwsConnection;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The one place AWS clients are built, so that DynamoDB and S3 get the same region, endpoint, credential,
 * timeout and user-agent handling. Retries are not left to the SDK: the connector retries with its own budget
 * and classifies failures in one place ({@code ErrorClassifier}).
 */
public final class AwsClientFactory {
    private static final String USER_AGENT = "kafka-connect-dynamodb-offload/" + Version.get();

    private AwsClientFactory() {
    }

    public static DynamoDbClient dynamoDb(AwsConnection connection, int maxConnections) {
        return configure(DynamoDbClient.builder(), connection, maxConnections).build();
    }

    public static S3Client s3(AwsConnection connection, int maxConnections) {
        return configure(S3Client.builder(), connection, maxConnections)
                .forcePathStyle(connection.pathStyleAccess())
                .build();
    }

    private static <B extends AwsClientBuilder<B, ?>> B configure(B builder, AwsConnection connection, int maxConnections) {
        connection.region().map(Region::of).ifPresent(builder::region);
        connection.endpoint().ifPresent(builder::endpointOverride);
        builder.credentialsProvider(credentials(connection));
        builder.overrideConfiguration(ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.doNotRetry())
                .apiCallAttemptTimeout(connection.apiCallAttemptTimeout())
                .putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, USER_AGENT)
                .build());
        // The builder interface does not expose httpClientBuilder generically; both concrete builders do
        if (builder instanceof software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<?, ?> sync) {
            sync.httpClientBuilder(Apache5HttpClient.builder().maxConnections(Math.max(maxConnections, 1)));
        }
        return builder;
    }

    public static AwsCredentialsProvider credentials(AwsConnection connection) {
        return switch (connection.credentialsMode()) {
            case DEFAULT -> DefaultCredentialsProvider.builder().build();
            case PROFILE -> ProfileCredentialsProvider.builder().profileName(connection.profileName().orElseThrow()).build();
            case STATIC -> {
                String id = connection.accessKeyId().orElseThrow().value();
                String secret = connection.secretAccessKey().orElseThrow().value();
                yield StaticCredentialsProvider.create(connection.sessionToken()
                        .map(token -> (software.amazon.awssdk.auth.credentials.AwsCredentials)
                                AwsSessionCredentials.create(id, secret, token.value()))
                        .orElseGet(() -> AwsBasicCredentials.create(id, secret)));
            }
        };
    }
}
