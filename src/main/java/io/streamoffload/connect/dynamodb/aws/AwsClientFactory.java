package io.streamoffload.connect.dynamodb.aws;

import io.streamoffload.connect.dynamodb.Version;
import io.streamoffload.connect.dynamodb.config.AssumeRole;
import io.streamoffload.connect.dynamodb.config.AwsConnection;
import io.streamoffload.connect.dynamodb.config.CredentialsMode;
import io.streamoffload.connect.dynamodb.config.ItemHttpClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.config.types.Password;
import java.util.function.Supplier;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The one place AWS clients are built, so that DynamoDB, S3 and the STS client behind an assumed role get the same
 * region, endpoint, credential, timeout and user-agent handling. The connector's retries are not left to the SDK: it
 * retries with its own budget and classifies failures in one place ({@code ErrorClassifier}).
 */
public final class AwsClientFactory {
    private static final Logger log = LoggerFactory.getLogger(AwsClientFactory.class);
    private static final String USER_AGENT = "kafka-connect-dynamodb-offload/" + Version.get();
    static final String SIGNER_LOGGER = "software.amazon.awssdk.http.auth.aws.internal.signer";
    private static final List<String> HTTP_WIRE_LOGGERS = List.of("org.apache.hc.client5.http.headers",
            "org.apache.hc.client5.http.wire");

    /** SDK attempts per call for callers without a retry loop of their own. */
    static final int SDK_MAX_ATTEMPTS = 8;

    /** Who retries a failed call. */
    public enum Retries {
        /** The caller: the connector retries within its own budget, each call is one attempt. */
        CALLER,
        /**
         * The SDK's standard strategy (throttling, 5xx, connections dropped), with backoff: for the command-line tool,
         * which would otherwise abandon a long scan on one throttled page.
         */
        SDK
    }

    private AwsClientFactory() {
    }

    public static DynamoDbClient dynamoDb(AwsConnection connection, int maxConnections) {
        return dynamoDb(connection, maxConnections, Retries.CALLER);
    }

    public static DynamoDbClient dynamoDb(AwsConnection connection, int maxConnections, Retries retries) {
        return build("DynamoDB", () -> configure(DynamoDbClient.builder(), connection, maxConnections, retries)
                .build());
    }

    /**
     * The asynchronous DynamoDB client single-item calls run on, which owns (and closes) its HTTP client; empty for
     * {@link ItemHttpClient#APACHE}. Where the CRT's native library cannot load, a WARN names the platform and Netty
     * serves instead.
     */
    public static Optional<DynamoDbAsyncClient> dynamoDbAsync(AwsConnection connection, int maxConcurrency,
                                                              ItemHttpClient which) {
        int concurrency = Math.max(maxConcurrency, 1);
        SdkAsyncHttpClient.Builder<?> http = switch (which) {
            case APACHE -> null;
            case CRT -> crtLoads() ? AwsCrtAsyncHttpClient.builder().maxConcurrency(concurrency)
                    : NettyNioAsyncHttpClient.builder().maxConcurrency(concurrency);
            case NETTY -> NettyNioAsyncHttpClient.builder().maxConcurrency(concurrency);
        };
        return Optional.ofNullable(http).map(builder -> build("DynamoDB", () -> configure(DynamoDbAsyncClient.builder(),
                connection, maxConcurrency, Retries.CALLER).httpClientBuilder(builder).build()));
    }

    private static boolean crtLoads() {
        try {
            AwsCrtAsyncHttpClient.builder().build().close();
            return true;
        } catch (LinkageError | RuntimeException e) {
            log.warn("The AWS Common Runtime's native library cannot load on this platform ({} {}: {}); single-item "
                            + "writes use the Netty client (item.writes.http.client=netty)",
                    System.getProperty("os.name"), System.getProperty("os.arch"), e.toString());
            return false;
        }
    }

    public static S3Client s3(AwsConnection connection, int maxConnections) {
        return s3(connection, maxConnections, Retries.CALLER);
    }

    public static S3Client s3(AwsConnection connection, int maxConnections, Retries retries) {
        return build("S3", () -> configure(S3Client.builder(), connection, maxConnections, retries,
                new S3RefusalNaming())
                .forcePathStyle(connection.pathStyleAccess())
                .build());
    }

    /**
     * The SDK discovers interceptors through {@code execution.interceptors} resources, and a plugin class loader lists
     * the worker classpath's resources too. An interceptor class found only there implements the worker's copy of the
     * SDK interface, not the plugin's, and client creation fails with a message about SDK internals. Name the cause.
     */
    private static <C> C build(String service, Supplier<C> builder) {
        try {
            return builder.get();
        } catch (SdkClientException e) {
            String message = String.valueOf(e.getMessage());
            if (!message.contains("request handler") && !message.contains("interceptor")) {
                throw e;
            }
            throw new ConnectException("Could not create the AWS " + service + " client: the Kafka Connect worker's own "
                    + "classpath holds AWS SDK jars whose SDK interceptors this plugin cannot load (" + message + "). "
                    + "Remove AWS SDK v2 jars (for example dynamodb-enhanced) from the worker's CLASSPATH; plugins "
                    + "installed under plugin.path are isolated from each other and do not cause this");
        }
    }

    private static <B extends AwsClientBuilder<B, ?>> B configure(B builder, AwsConnection connection,
                                                                  int maxConnections, Retries retries,
                                                                  ExecutionInterceptor... interceptors) {
        return configure(builder, connection.region(), connection.endpoint(), credentials(connection),
                connection.apiCallAttemptTimeout(), maxConnections, retries, interceptors);
    }

    private static <B extends AwsClientBuilder<B, ?>> B configure(B builder, Optional<String> region,
                                                                  Optional<URI> endpoint,
                                                                  AwsCredentialsProvider credentials,
                                                                  Duration attemptTimeout, int maxConnections,
                                                                  Retries retries,
                                                                  ExecutionInterceptor... interceptors) {
        region.map(Region::of).ifPresent(builder::region);
        endpoint.ifPresent(builder::endpointOverride);
        builder.credentialsProvider(credentials);
        builder.overrideConfiguration(ClientOverrideConfiguration.builder()
                .retryStrategy(retries == Retries.SDK
                        ? AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(SDK_MAX_ATTEMPTS).build()
                        : AwsRetryStrategy.doNotRetry())
                .apiCallAttemptTimeout(attemptTimeout)
                .putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, USER_AGENT)
                .executionInterceptors(List.of(interceptors))
                .build());
        // The builder interface does not expose httpClientBuilder generically; the concrete builders do
        if (builder instanceof software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<?, ?> sync) {
            sync.httpClientBuilder(Apache5HttpClient.builder().maxConnections(Math.max(maxConnections, 1)));
        }
        return builder;
    }

    /**
     * The credentials a client signs with: the configured source, through STS when a role is to be assumed (STS is
     * called with the source's credentials), marked so that a failure to get them is retried like any transient one.
     */
    public static AwsCredentialsProvider credentials(AwsConnection connection) {
        warnIfTheSignerLogsSessionTokens(connection);
        AwsCredentialsProvider base = baseCredentials(connection);
        if (connection.assumeRole().isEmpty()) {
            // the default chain holds clients of its own (web identity, SSO): close it with the client
            return new CredentialsFailureMarking(connection.service(), base, List.of(closeable(base)));
        }
        AssumeRole role = connection.assumeRole().get();
        StsClient sts = configure(StsClient.builder(), connection.region(), connection.stsEndpoint(), base,
                connection.apiCallAttemptTimeout(), 1, Retries.CALLER).build();
        StsAssumeRoleCredentialsProvider assumed = StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .refreshRequest(r -> r.roleArn(role.roleArn())
                        .roleSessionName(role.sessionName())
                        .durationSeconds((int) role.duration().toSeconds())
                        .externalId(role.externalId().map(Password::value).orElse(null)))
                .build();
        // closing the STS client closes the base credentials it was built with
        return new CredentialsFailureMarking(connection.service() + " (assuming " + role.roleArn() + ")", assumed,
                List.of(assumed, sts));
    }

    private static AutoCloseable closeable(AwsCredentialsProvider provider) {
        return provider instanceof AutoCloseable closeable ? closeable : () -> { };
    }

    /**
     * Two loggers below the connector print secrets at DEBUG, and nothing else does: the SDK's SigV4 signer logs each
     * canonical request, with the session token of temporary credentials (an assumed role, a static session token, or
     * what the default chain finds on EC2, ECS or EKS); the Apache HTTP client's header and wire loggers print whole
     * requests and answers, credentials from STS and record content included. Say so where the operator will look.
     */
    private static void warnIfTheSignerLogsSessionTokens(AwsConnection connection) {
        boolean permanentKeysOnly = connection.credentialsMode() == CredentialsMode.STATIC
                && connection.sessionToken().isEmpty() && connection.assumeRole().isEmpty();
        if (!permanentKeysOnly && LoggerFactory.getLogger(SIGNER_LOGGER).isDebugEnabled()) {
            log.warn("Logger {} is at DEBUG: the AWS SDK logs every canonical request it signs, including the session "
                    + "token of the {} client's temporary credentials. Set that logger to INFO", SIGNER_LOGGER,
                    connection.service());
        }
        for (String wire : HTTP_WIRE_LOGGERS) {
            if (LoggerFactory.getLogger(wire).isDebugEnabled()) {
                log.warn("Logger {} is at DEBUG: it logs the {} client's requests and answers whole, credentials and "
                        + "record content included. Set it to INFO", wire, connection.service());
            }
        }
    }

    private static AwsCredentialsProvider baseCredentials(AwsConnection connection) {
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
