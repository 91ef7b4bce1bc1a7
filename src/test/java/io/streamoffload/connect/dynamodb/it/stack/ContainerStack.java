package io.streamoffload.connect.dynamodb.it.stack;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.localstack.LocalStackContainer;

/**
 * Kafka and LocalStack (DynamoDB + S3) in containers, with a Kafka Connect worker in this JVM pointed at them.
 * Only usable where a Docker engine exists.
 */
public final class ContainerStack implements SinkTestStack {
    private static ContainerStack shared;

    private final KafkaContainer kafka;
    private final LocalStackContainer localStack;
    private final Connect<DistributedHerder> connect;

    public ContainerStack(KafkaContainer kafka, LocalStackContainer localStack) {
        this.kafka = kafka;
        this.localStack = localStack;
        Map<String, String> worker = new HashMap<>();
        worker.put(WorkerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers());
        worker.put(DistributedConfig.GROUP_ID_CONFIG, "dynamodb-sink-containers");
        worker.put(DistributedConfig.CONFIG_TOPIC_CONFIG, "connect-configs");
        worker.put(DistributedConfig.OFFSET_STORAGE_TOPIC_CONFIG, "connect-offsets");
        worker.put(DistributedConfig.STATUS_STORAGE_TOPIC_CONFIG, "connect-status");
        worker.put(DistributedConfig.CONFIG_STORAGE_REPLICATION_FACTOR_CONFIG, "1");
        worker.put(DistributedConfig.OFFSET_STORAGE_REPLICATION_FACTOR_CONFIG, "1");
        worker.put(DistributedConfig.STATUS_STORAGE_REPLICATION_FACTOR_CONFIG, "1");
        worker.put(WorkerConfig.KEY_CONVERTER_CLASS_CONFIG, "org.apache.kafka.connect.storage.StringConverter");
        worker.put(WorkerConfig.VALUE_CONVERTER_CLASS_CONFIG, "org.apache.kafka.connect.json.JsonConverter");
        worker.put("listeners", "http://127.0.0.1:0");
        worker.put(WorkerConfig.PLUGIN_DISCOVERY_CONFIG, "service_load");
        worker.put(WorkerConfig.OFFSET_COMMIT_INTERVAL_MS_CONFIG, "1000");
        this.connect = new ConnectDistributed().startConnect(worker);
    }

    /**
     * One stack per JVM, started on first use and stopped at JVM exit. Only touched from classes annotated
     * {@code @Testcontainers(disabledWithoutDocker = true)}, so nothing starts where there is no Docker engine.
     */
    public static synchronized ContainerStack shared() {
        if (shared == null) {
            KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.0")
                    .withEnv("KAFKA_MESSAGE_MAX_BYTES", Integer.toString(16 * 1024 * 1024));
            LocalStackContainer localStack = new LocalStackContainer("localstack/localstack:4.4").withServices("dynamodb", "s3");
            kafka.start();
            localStack.start();
            ContainerStack stack = new ContainerStack(kafka, localStack);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stack.close();
                localStack.stop();
                kafka.stop();
            }));
            shared = stack;
        }
        return shared;
    }

    @Override
    public String bootstrapServers() {
        return kafka.getBootstrapServers();
    }

    @Override
    public URI connectUrl() {
        return connect.rest().serverUrl();
    }

    @Override
    public URI dynamoDbEndpoint() {
        return localStack.getEndpoint();
    }

    @Override
    public URI s3Endpoint() {
        return localStack.getEndpoint();
    }

    @Override
    public String region() {
        return localStack.getRegion();
    }

    @Override
    public String accessKeyId() {
        return localStack.getAccessKey();
    }

    @Override
    public String secretAccessKey() {
        return localStack.getSecretKey();
    }

    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }
}
