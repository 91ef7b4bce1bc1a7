package io.streamoffload.connect.dynamodb.it.stack;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Kafka (KRaft), one Kafka Connect worker with this plugin, DynamoDB Local over HTTP and s3proxy, all in this JVM.
 * DynamoDB Local and s3proxy start while the Connect cluster starts.
 */
public final class InJvmStack implements SinkTestStack {
    private static final Logger log = LoggerFactory.getLogger(InJvmStack.class);
    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY_ID = "AKIAINJVMSTACK000001";
    public static final String SECRET_ACCESS_KEY = "in-jvm-stack-secret-key";

    private final EmbeddedConnectCluster connect;
    private final DynamoDBProxyServer dynamoDb;
    private final S3Proxy s3;
    private final int dynamoDbPort;

    private InJvmStack(EmbeddedConnectCluster connect, DynamoDBProxyServer dynamoDb, int dynamoDbPort, S3Proxy s3) {
        this.connect = connect;
        this.dynamoDb = dynamoDb;
        this.dynamoDbPort = dynamoDbPort;
        this.s3 = s3;
    }

    public static InJvmStack start() throws Exception {
        long begin = System.nanoTime();
        CompletableFuture<DynamoDbLocal> dynamoDb = CompletableFuture.supplyAsync(InJvmStack::startDynamoDbLocal);
        CompletableFuture<S3Proxy> s3 = CompletableFuture.supplyAsync(() -> {
            try {
                S3Proxy proxy = S3Proxy.builder()
                        .blobStore(new TransientNio2BlobStore())
                        .endpoint(URI.create("http://127.0.0.1:0"))
                        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY_ID, SECRET_ACCESS_KEY)
                        .build();
                proxy.start();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                        .failFast("s3proxy failed to start", () -> "FAILED".equals(proxy.getState()))
                        .until(() -> "STARTED".equals(proxy.getState()));
                return proxy;
            } catch (Exception e) {
                throw new IllegalStateException("s3proxy did not start", e);
            }
        });
        Map<String, String> workerProps = new HashMap<>();
        workerProps.put(WorkerConfig.PLUGIN_DISCOVERY_CONFIG, "service_load");
        workerProps.put(WorkerConfig.OFFSET_COMMIT_INTERVAL_MS_CONFIG, "1000");
        // a worker that leaves has its tasks reassigned after this delay (5 minutes by default)
        workerProps.put("scheduled.rebalance.max.delay.ms", "2000");
        // connector configs may name secrets as ${file:path:key}, so that the REST API never returns them
        workerProps.put("config.providers", "file");
        workerProps.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        Properties brokerProps = new Properties();
        brokerProps.put("auto.create.topics.enable", "false");
        // crawler pages of several MB travel as single records
        brokerProps.put("message.max.bytes", Integer.toString(16 * 1024 * 1024));
        brokerProps.put("replica.fetch.max.bytes", Integer.toString(16 * 1024 * 1024));
        EmbeddedConnectCluster connect = new EmbeddedConnectCluster.Builder()
                .name("dynamodb-sink-it")
                .numWorkers(1)
                .numBrokers(1)
                .workerProps(workerProps)
                .brokerProps(brokerProps)
                .build();
        connect.start();
        DynamoDbLocal local = dynamoDb.join();
        InJvmStack stack = new InJvmStack(connect, local.server(), local.port(), s3.join());
        log.info("In-JVM stack up in {} ms: Kafka {}, Connect {}, DynamoDB {}, S3 {}",
                (System.nanoTime() - begin) / 1_000_000, stack.bootstrapServers(), stack.connectUrl(),
                stack.dynamoDbEndpoint(), stack.s3Endpoint());
        return stack;
    }

    private record DynamoDbLocal(DynamoDBProxyServer server, int port) {
    }

    /**
     * DynamoDB Local takes a port number, not a bound socket: the free port found may be taken by someone else
     * (the embedded cluster opens many sockets meanwhile) before it binds, so a few fresh ports are tried.
     */
    private static DynamoDbLocal startDynamoDbLocal() {
        Exception last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                int port = freePort();
                DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(new String[] {
                    "-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
                server.start();
                return new DynamoDbLocal(server, port);
            } catch (Exception e) {
                last = e;
                log.warn("DynamoDB Local did not start (attempt {}): {}", attempt + 1, e.toString());
            }
        }
        throw new IllegalStateException("DynamoDB Local did not start", last);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    public EmbeddedConnectCluster connectCluster() {
        return connect;
    }

    @Override
    public String bootstrapServers() {
        return connect.kafka().bootstrapServers();
    }

    @Override
    public URI connectUrl() {
        return URI.create(connect.endpointForResource(""));
    }

    @Override
    public URI dynamoDbEndpoint() {
        return URI.create("http://127.0.0.1:" + dynamoDbPort);
    }

    @Override
    public URI s3Endpoint() {
        return URI.create("http://127.0.0.1:" + s3.getPort());
    }

    @Override
    public String region() {
        return REGION;
    }

    @Override
    public String accessKeyId() {
        return ACCESS_KEY_ID;
    }

    @Override
    public String secretAccessKey() {
        return SECRET_ACCESS_KEY;
    }

    @Override
    public void close() throws Exception {
        try {
            connect.stop();
        } finally {
            try {
                dynamoDb.stop();
            } finally {
                s3.stop();
            }
        }
    }
}
