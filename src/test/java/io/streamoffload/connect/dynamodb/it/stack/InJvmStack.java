package io.streamoffload.connect.dynamodb.it.stack;

import static org.awaitility.Awaitility.await;

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

/**
 * Kafka (KRaft), one Kafka Connect worker with this plugin and s3proxy in this JVM, and dynalite, an open-source
 * DynamoDB, as a child process; all on loopback. dynalite and s3proxy start while the Connect cluster starts. moto,
 * for the AWS operations and services dynalite lacks (TTL, STS, KMS), starts the first time a test asks for it.
 */
public final class InJvmStack implements SinkTestStack {
    private static final Logger log = LoggerFactory.getLogger(InJvmStack.class);
    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY_ID = "AKIAINJVMSTACK000001";
    public static final String SECRET_ACCESS_KEY = "in-jvm-stack-secret-key";

    private final EmbeddedConnectCluster connect;
    private final Dynalite dynamoDb;
    private final S3Proxy s3;
    private Moto moto;

    private InJvmStack(EmbeddedConnectCluster connect, Dynalite dynamoDb, S3Proxy s3) {
        this.connect = connect;
        this.dynamoDb = dynamoDb;
        this.s3 = s3;
    }

    public static InJvmStack start() throws Exception {
        long begin = System.nanoTime();
        Dynalite.checkInstalled(); // what to install, said before anything starts
        CompletableFuture<Dynalite> dynamoDb = CompletableFuture.supplyAsync(Dynalite::inMemory);
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
        InJvmStack stack;
        try {
            connect.start();
            stack = new InJvmStack(connect, dynamoDb.join(), s3.join());
        } catch (RuntimeException | Error e) {
            // what did start is stopped, so that a failed start leaves no server behind
            try {
                closeAll(connect::stop, () -> dynamoDb.thenAccept(InJvmStack::closeQuietly),
                        () -> s3.thenAccept(proxy -> closeQuietly(proxy::stop)));
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        log.info("In-JVM stack up in {} ms: Kafka {}, Connect {}, DynamoDB {}, S3 {}",
                (System.nanoTime() - begin) / 1_000_000, stack.bootstrapServers(), stack.connectUrl(),
                stack.dynamoDb, stack.s3Endpoint());
        return stack;
    }

    private static void closeQuietly(AutoCloseable server) {
        try {
            server.close();
        } catch (Exception e) {
            log.warn("Could not stop {}: {}", server, e.toString());
        }
    }

    /** Closes each in turn, whatever the others do; the first failure is thrown, with the later ones suppressed. */
    private static void closeAll(AutoCloseable... servers) throws Exception {
        Exception first = null;
        for (AutoCloseable server : servers) {
            try {
                server.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** The stack's DynamoDB. */
    public Dynalite dynalite() {
        return dynamoDb;
    }

    /** moto, started on first use and stopped with the stack. */
    public synchronized Moto moto() {
        if (moto == null) {
            moto = Moto.start();
            log.info("moto up: {}", moto);
        }
        return moto;
    }

    /** dynalite lacks UpdateTimeToLive: TTL goes to moto's DynamoDB. */
    @Override
    public URI timeToLiveDynamoDbEndpoint() {
        return moto().endpoint();
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
        return dynamoDb.endpoint();
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
        closeAll(connect::stop, dynamoDb, s3::stop, () -> {
            synchronized (this) {
                if (moto != null) {
                    moto.close();
                }
            }
        });
    }
}
