package io.streamoffload.connect.dynamodb.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamoffload.connect.dynamodb.DynamoDbSinkConnector;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import io.streamoffload.connect.dynamodb.it.stack.Tables;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * What every end-to-end scenario needs, against any {@link SinkTestStack}: real clients, a connector created through
 * the worker's REST API, and ways to await items in DynamoDB.
 */
public abstract class ConnectorTestBase {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    protected static final Duration TIMEOUT = Duration.ofSeconds(90);

    protected abstract SinkTestStack stack();

    protected ConnectRestClient connect;
    protected KafkaTestClient kafka;
    protected DynamoDbClient dynamo;
    protected String connectorName;

    @BeforeEach
    void setUpClients() {
        connect = new ConnectRestClient(stack().connectUrl());
        kafka = new KafkaTestClient(stack().bootstrapServers());
        dynamo = stack().newDynamoDbClient();
    }

    @AfterEach
    void tearDown() {
        if (connectorName != null) {
            connect.deleteConnector(connectorName);
        }
        kafka.close();
        dynamo.close();
    }

    /** A unique name per scenario so that scenarios sharing one stack never see each other's data. */
    protected static String unique(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 100_000, 36);
    }

    protected Map<String, String> baseConfig(String topics) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", DynamoDbSinkConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("topics", topics);
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter.schemas.enable", "false");
        config.putAll(stack().connectionConfig());
        config.put("table.auto.create", "true");
        config.put("retry.backoff.max.ms", "500");
        return config;
    }

    protected void startConnector(String name, Map<String, String> config) {
        connectorName = name;
        connect.putConnector(name, config);
        await().atMost(TIMEOUT).until(() -> connect.isRunning(name));
    }

    protected Map<String, AttributeValue> awaitItem(String table, Map<String, AttributeValue> key) {
        return await().atMost(TIMEOUT).until(() -> getItem(table, key), item -> item != null);
    }

    protected Map<String, AttributeValue> getItem(String table, Map<String, AttributeValue> key) {
        try {
            var response = dynamo.getItem(r -> r.tableName(table).key(key).consistentRead(true));
            return response.hasItem() ? response.item() : null;
        } catch (ResourceNotFoundException e) {
            return null;
        }
    }

    /**
     * Creates a table keyed by one string attribute, as a user would before starting the connector, and waits until
     * it is ACTIVE (DynamoDB, like dynalite, answers CreateTable with CREATING).
     */
    protected void createTable(String table, String keyAttribute) {
        Tables.createKeyedByString(dynamo, table, keyAttribute);
    }

    /** The state of the scenario's connector's first task, or "" while there is none. */
    protected String taskState() {
        JsonNode status = connect.status(connectorName);
        return status == null || status.path("tasks").isEmpty() ? "" : status.path("tasks").get(0).path("state").asText();
    }

    /** Waits until the scenario connector's first task has failed, and returns its stack trace as the REST API shows it. */
    protected String awaitTaskFailed() {
        await().atMost(TIMEOUT).until(() -> taskState().equals("FAILED"));
        return connect.status(connectorName).path("tasks").get(0).path("trace").asText();
    }

    /** The offset a connector's consumer group has committed on partition 0 of a topic, or -1. */
    protected long committedOffset(String connector, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack().bootstrapServers()))) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets("connect-" + connector)
                    .partitionsToOffsetAndMetadata().get().get(new TopicPartition(topic, 0));
            return offset == null ? -1 : offset.offset();
        }
    }

    protected static Map<String, AttributeValue> pk(String value) {
        return Map.of("pk", AttributeValue.fromS(value));
    }

}
