package io.streamoffload.connect.dynamodb.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamoffload.connect.dynamodb.DynamoDbSinkConnector;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * End-to-end scenarios, written once against {@link SinkTestStack}: the connector is configured through the
 * worker's REST API, records come from a real producer, and items are read back from DynamoDB.
 */
public abstract class SinkScenarios extends ConnectorTestBase {

    @Test
    void structValuesFromJsonWithSchemasBecomeTypedItems() {
        String topic = unique("structs");
        kafka.createTopic(topic, 1);
        Map<String, String> config = baseConfig(topic);
        config.put("value.converter.schemas.enable", "true");
        config.put("value.converter.decimal.format", "NUMERIC");
        startConnector(unique("structs"), config);

        String schema = """
                {"type":"struct","fields":[
                  {"field":"name","type":"string"},
                  {"field":"count","type":"int64"},
                  {"field":"ratio","type":"double"},
                  {"field":"price","type":"bytes","name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}},
                  {"field":"active","type":"boolean"},
                  {"field":"tags","type":"array","items":{"type":"string"}},
                  {"field":"address","type":"struct","fields":[{"field":"city","type":"string"}]},
                  {"field":"created","type":"int64","name":"org.apache.kafka.connect.data.Timestamp","version":1},
                  {"field":"note","type":"string","optional":true}]}""";
        String payload = """
                {"name":"widget","count":42,"ratio":0.25,"price":12345678901234.56,"active":true,
                 "tags":["a","b"],"address":{"city":"Lyon"},"created":1700000000123,"note":null}""";
        kafka.produce(topic, "order-1", "{\"schema\":" + schema + ",\"payload\":" + payload + "}");

        Map<String, AttributeValue> item = awaitItem(topic, pk("order-1"));
        assertThat(item.get("name").s()).isEqualTo("widget");
        assertThat(item.get("count").n()).isEqualTo("42");
        assertThat(item.get("ratio").n()).isEqualTo("0.25");
        assertThat(item.get("price").n()).as("decimal kept exactly").isEqualTo("12345678901234.56");
        assertThat(item.get("active").bool()).isTrue();
        assertThat(item.get("tags").l()).extracting(AttributeValue::s).containsExactly("a", "b");
        assertThat(item.get("address").m().get("city").s()).isEqualTo("Lyon");
        assertThat(item.get("created").s()).isEqualTo("2023-11-14T22:13:20.123Z");
        assertThat(item.get("note").nul()).isTrue();
    }

    @Test
    void schemalessJsonWithKeyFromValueFieldAndSortKey() {
        String topic = unique("schemaless");
        kafka.createTopic(topic, 2);
        Map<String, String> config = baseConfig(topic);
        config.put("key.partition.attribute", "customer");
        config.put("key.partition.source", "record.value");
        config.put("key.partition.field", "customer.id");
        config.put("key.sort.attribute", "seq");
        config.put("key.sort.source", "record.value");
        config.put("key.sort.field", "seq");
        config.put("key.sort.type", "N");
        config.put("tombstone.behavior", "ignore");
        startConnector(unique("schemaless"), config);

        for (int i = 0; i < 60; i++) {
            kafka.produce(topic, null, "{\"customer\":{\"id\":\"c" + (i % 3) + "\"},\"seq\":" + i + ",\"nested\":{\"list\":[1,2.5,{\"x\":null}]}}");
        }
        Map<String, AttributeValue> last = awaitItem(topic, Map.of("customer", AttributeValue.fromS("c2"), "seq", AttributeValue.fromN("59")));
        assertThat(last.get("nested").m().get("list").l()).hasSize(3);
        assertThat(last.get("nested").m().get("list").l().get(1).n()).isEqualTo("2.5");
        await().atMost(TIMEOUT).until(() -> dynamo.scan(r -> r.tableName(topic)).count() == 60);
    }

    @Test
    void jsonStringValuesWithKeyFromRecordKey() {
        String topic = unique("strings");
        kafka.createTopic(topic, 1);
        Map<String, String> config = baseConfig(topic);
        config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        startConnector(unique("strings"), config);

        kafka.produce(topic, "user-7", "{\"email\":\"u7@example.com\",\"score\":1e3,\"big\":123456789012345678901234567890}");
        Map<String, AttributeValue> item = awaitItem(topic, pk("user-7"));
        assertThat(item.get("email").s()).isEqualTo("u7@example.com");
        assertThat(item.get("score").n()).isEqualTo("1000");
        assertThat(item.get("big").n()).isEqualTo("123456789012345678901234567890");
    }

    @Test
    void keyFieldsFromStructuredRecordKey() {
        String topic = unique("structkey");
        kafka.createTopic(topic, 1);
        Map<String, String> config = baseConfig(topic);
        config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("key.converter.schemas.enable", "false");
        config.put("key.partition.attribute", "tenant");
        config.put("key.partition.field", "tenant");
        config.put("key.sort.attribute", "id");
        config.put("key.sort.field", "id");
        config.put("key.sort.type", "N");
        startConnector(unique("structkey"), config);

        kafka.produce(topic, "{\"tenant\":\"acme\",\"id\":7}", "{\"v\":1}");
        Map<String, AttributeValue> item = awaitItem(topic,
                Map.of("tenant", AttributeValue.fromS("acme"), "id", AttributeValue.fromN("7")));
        assertThat(item.get("v").n()).isEqualTo("1");
    }

    @Test
    void oneTablePerTopic() {
        String a = unique("pertopic-a");
        String b = unique("pertopic-b");
        kafka.createTopic(a, 1);
        kafka.createTopic(b, 1);
        Map<String, String> config = baseConfig(a + "," + b);
        config.put("table.name.format", "${topic}-items");
        startConnector(unique("pertopic"), config);

        kafka.produce(a, "k", "{\"from\":\"a\"}");
        kafka.produce(b, "k", "{\"from\":\"b\"}");
        assertThat(awaitItem(a + "-items", pk("k")).get("from").s()).isEqualTo("a");
        assertThat(awaitItem(b + "-items", pk("k")).get("from").s()).isEqualTo("b");
    }

    /**
     * RegexRouter renames the topic before records reach the task: the table of the new name is the one checked and
     * written, and none is required (or created) for the old one.
     */
    @Test
    void aTopicRenamingTransformWritesToTheTableOfTheNewName() {
        String topic = unique("routed");
        String renamed = topic.replace("routed-", "archive-");
        kafka.createTopic(topic, 1);
        createTable(renamed, "pk");
        Map<String, String> config = baseConfig(topic);
        config.put("table.auto.create", "false");
        config.put("transforms", "route");
        config.put("transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter");
        config.put("transforms.route.regex", "routed-(.*)");
        config.put("transforms.route.replacement", "archive-$1");
        startConnector(unique("routed"), config);

        kafka.produce(topic, "r1", "{\"v\":1}");
        assertThat(awaitItem(renamed, pk("r1")).get("v").n()).isEqualTo("1");
        assertThat(getItem(topic, pk("r1"))).isNull();
    }

    @Test
    void tombstoneDeletesTheItem() {
        String topic = unique("tombstone");
        kafka.createTopic(topic, 1);
        startConnector(unique("tombstone"), baseConfig(topic));

        kafka.produce(topic, "gone", "{\"v\":1}");
        kafka.produce(topic, "kept", "{\"v\":2}");
        awaitItem(topic, pk("gone"));
        kafka.produce(topic, "gone", (String) null);
        kafka.produce(topic, "marker", "{\"v\":3}");
        awaitItem(topic, pk("marker"));
        await().atMost(TIMEOUT).until(() -> getItem(topic, pk("gone")) == null);
        assertThat(getItem(topic, pk("kept"))).isNotNull();
    }

    @Test
    void recordWithOversizedPartitionKeyGoesToDeadLetterQueueWhileNeighboursAreWritten() {
        String topic = unique("dlq");
        String dlq = topic + "-dlq";
        kafka.createTopic(topic, 1);
        kafka.createTopic(dlq, 1);
        Map<String, String> config = baseConfig(topic);
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", dlq);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        startConnector(unique("dlq"), config);

        String hugeKey = "k".repeat(3 * 1024);
        kafka.produce(topic, "before", "{\"v\":1}");
        kafka.produce(topic, hugeKey, "{\"v\":2}");
        kafka.produce(topic, "after", "{\"v\":3}");

        awaitItem(topic, pk("before"));
        awaitItem(topic, pk("after"));
        List<ConsumerRecord<byte[], byte[]>> dead = kafka.consume(dlq, 1, TIMEOUT);
        assertThat(dead).hasSize(1);
        assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo(hugeKey);
        Header message = dead.get(0).headers().lastHeader("__connect.errors.exception.message");
        assertThat(message).isNotNull();
        assertThat(new String(message.value(), StandardCharsets.UTF_8))
                .contains("record " + topic + "/0/1")
                .contains("3072 bytes")
                .contains("2048");
        assertThat(connect.status(connectorName).path("tasks").get(0).path("state").asText()).isEqualTo("RUNNING");
    }

    @Test
    void tableIsCreatedWithConfiguredKeySchema() {
        String topic = unique("autocreate");
        kafka.createTopic(topic, 1);
        startConnector(unique("autocreate"), numericCompositeKeys(baseConfig(topic)));

        TableDescription table = dynamo.describeTable(r -> r.tableName(topic)).table();
        assertThat(table.keySchema()).extracting(k -> k.attributeName() + ":" + k.keyType())
                .containsExactly("id:" + KeyType.HASH, "offset:" + KeyType.RANGE);
        assertThat(table.attributeDefinitions()).allMatch(d -> d.attributeType() == ScalarAttributeType.N);
        kafka.produce(topic, "17", "{\"v\":1}");
        Map<String, AttributeValue> item = awaitItem(topic,
                Map.of("id", AttributeValue.fromN("17"), "offset", AttributeValue.fromN("0")));
        assertThat(item.get("v").n()).isEqualTo("1");
    }

    /** On a DynamoDB that implements UpdateTimeToLive (moto beside dynalite on the in-JVM stack). */
    @Test
    void tableIsCreatedWithConfiguredKeySchemaAndTtl() {
        String topic = unique("autocreate-ttl");
        kafka.createTopic(topic, 1);
        Map<String, String> config = numericCompositeKeys(baseConfig(topic));
        config.put("dynamodb.endpoint.url", stack().timeToLiveDynamoDbEndpoint().toString());
        config.put("ttl.attribute", "expires_at");
        config.put("ttl.seconds", "3600");
        startConnector(unique("autocreate-ttl"), config);

        try (DynamoDbClient ttlDynamo = stack().newDynamoDbClient(stack().timeToLiveDynamoDbEndpoint())) {
            TableDescription table = ttlDynamo.describeTable(r -> r.tableName(topic)).table();
            assertThat(table.keySchema()).extracting(k -> k.attributeName() + ":" + k.keyType())
                    .containsExactly("id:" + KeyType.HASH, "offset:" + KeyType.RANGE);
            assertThat(ttlDynamo.describeTimeToLive(r -> r.tableName(topic)).timeToLiveDescription())
                    .satisfies(ttl -> assertThat(ttl.attributeName()).isEqualTo("expires_at"))
                    .satisfies(ttl -> assertThat(ttl.timeToLiveStatusAsString()).isIn("ENABLED", "ENABLING"));

            long before = System.currentTimeMillis() / 1000;
            kafka.produce(topic, "17", "{\"v\":1}");
            Map<String, AttributeValue> key = Map.of("id", AttributeValue.fromN("17"), "offset", AttributeValue.fromN("0"));
            Map<String, AttributeValue> item = await().atMost(TIMEOUT).until(() -> {
                var response = ttlDynamo.getItem(r -> r.tableName(topic).key(key).consistentRead(true));
                return response.hasItem() ? response.item() : null;
            }, found -> found != null);
            long expiry = Long.parseLong(item.get("expires_at").n());
            assertThat(expiry).isBetween(before + 3600 - 5, System.currentTimeMillis() / 1000 + 3600 + 5);
        }
    }

    /** Keyed by a numeric id from the record key and the record's offset. */
    private static Map<String, String> numericCompositeKeys(Map<String, String> config) {
        config.put("key.partition.attribute", "id");
        config.put("key.partition.type", "N");
        config.put("key.sort.attribute", "offset");
        config.put("key.sort.source", "kafka.offset");
        config.put("key.sort.type", "N");
        return config;
    }

    @Test
    void existingTableWithOtherKeySchemaFailsTheConnectorWithWhatDiffers() {
        String topic = unique("mismatch");
        kafka.createTopic(topic, 1);
        createTable(topic, "id");
        Map<String, String> config = baseConfig(topic);
        config.put("table.auto.create", "false");
        String name = unique("mismatch");
        connectorName = name;
        connect.putConnector(name, config);

        JsonNode status = await().atMost(TIMEOUT).until(() -> connect.status(name),
                s -> s != null && "FAILED".equals(s.path("connector").path("state").asText()));
        assertThat(status.path("connector").path("trace").asText())
                .contains("DynamoDB table " + topic + " has key schema [HASH id (S)]")
                .contains("configured for [HASH pk (S)]");
    }

    @Test
    void validateEndpointReportsBadSettingsOnTheFieldsInvolved() {
        Map<String, String> config = baseConfig("any");
        config.put("batch.size", "50");
        JsonNode result = connect.validate(DynamoDbSinkConnector.class.getSimpleName(), config);
        assertThat(ConnectRestClient.errorsFor(result, "batch.size")).singleElement().asString().contains("25");

        Map<String, String> conflicting = baseConfig("any");
        conflicting.put("key.partition.source", "record.value");
        JsonNode conflict = connect.validate(DynamoDbSinkConnector.class.getSimpleName(), conflicting);
        assertThat(ConnectRestClient.errorsFor(conflict, "key.partition.field"))
                .anyMatch(e -> e.contains("key.partition.field is required"));
        assertThat(ConnectRestClient.errorsFor(conflict, "tombstone.behavior"))
                .anyMatch(e -> e.contains("tombstone"));
        assertThat(conflict.path("error_count").asInt()).isGreaterThanOrEqualTo(3);
    }
}
