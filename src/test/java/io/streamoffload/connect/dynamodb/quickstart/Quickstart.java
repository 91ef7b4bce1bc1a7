package io.streamoffload.connect.dynamodb.quickstart;

import static org.awaitility.Awaitility.await;

import io.streamoffload.connect.dynamodb.DynamoDbSinkConnector;
import io.streamoffload.connect.dynamodb.it.ConnectRestClient;
import io.streamoffload.connect.dynamodb.it.KafkaTestClient;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStack;
import io.streamoffload.connect.dynamodb.lifecycle.ItemJson;
import io.streamoffload.connect.dynamodb.mapping.ItemSize;
import io.streamoffload.connect.dynamodb.read.HydratedItem;
import io.streamoffload.connect.dynamodb.read.OffloadedItemReader;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.core.ConditionTimeoutException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The connector's main job on embedded defaults: starts Kafka, a Connect worker with this plugin and an S3 server
 * (s3proxy) in this JVM, and dynalite (an open-source DynamoDB on Node.js) beside it, registers the connector over REST, produces a sample order stream (with updates,
 * deletes, orders with fields too large for DynamoDB, and one bad record), shows progress, and prints what was
 * written to DynamoDB and S3. Run with {@code mvn -q test-compile exec:java}.
 */
public final class Quickstart {
    private static final String TOPIC = "orders";
    private static final String DLQ = "orders-dlq";
    private static final int ORDERS = 2_000;
    private static final String BUCKET = "quickstart-offload";
    /** The same 300 KB terms document attached to every 100th order: stored once in S3. */
    private static final String TERMS = "<h1>Terms</h1>" + "<p>Goods remain ours until paid in full.</p>".repeat(7_000);

    private Quickstart() {
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        System.out.println("Starting Kafka, Kafka Connect and s3proxy in this JVM, and dynalite (DynamoDB) beside it...");
        try (InJvmStack stack = InJvmStack.start();
             KafkaTestClient kafka = new KafkaTestClient(stack.bootstrapServers());
             DynamoDbClient dynamo = stack.newDynamoDbClient()) {
            System.out.printf("Stack up in %.1f s: Kafka %s, Connect %s, DynamoDB %s (dynalite %s), S3 %s%n",
                    (System.nanoTime() - started) / 1e9, stack.bootstrapServers(), stack.connectUrl(),
                    stack.dynamoDbEndpoint(), stack.dynalite().version(), stack.s3Endpoint());
            kafka.createTopic(TOPIC, 3);
            S3Client s3 = stack.newS3Client();
            s3.createBucket(b -> b.bucket(BUCKET));
            kafka.createTopic(DLQ, 1);

            ConnectRestClient connect = new ConnectRestClient(stack.connectUrl());
            connect.putConnector("orders-to-dynamodb", connectorConfig(stack));
            awaitRunning(connect, "orders-to-dynamodb");
            System.out.println("Connector orders-to-dynamodb is RUNNING (created through PUT /connectors/orders-to-dynamodb/config)");

            long produceStart = System.nanoTime();
            for (int i = 0; i < ORDERS; i++) {
                kafka.produceAsync(TOPIC, "order-" + i, i % 100 == 55 ? largeOrder(i) : order(i, "NEW"));
            }
            for (int i = 0; i < ORDERS; i += 10) {
                kafka.produceAsync(TOPIC, "order-" + i, order(i, "SHIPPED")); // updates: last write wins
            }
            for (int i = 5; i < ORDERS; i += 100) {
                kafka.produceAsync(TOPIC, "order-" + i, null); // tombstones delete the item
            }
            kafka.produceAsync(TOPIC, null, order(ORDERS, "NO-KEY")); // a bad record: no key, goes to the dead letter queue
            kafka.flush();
            System.out.printf("Produced %d records to %s in %.1f s%n", ORDERS + ORDERS / 10 + ORDERS / 100 + 1, TOPIC,
                    (System.nanoTime() - produceStart) / 1e9);

            int expected = ORDERS - ORDERS / 100;
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            int count = 0;
            int shipped = 0;
            while (System.nanoTime() < deadline) {
                count = dynamo.scan(r -> r.tableName(TOPIC).select(Select.COUNT)).count();
                shipped = dynamo.scan(r -> r.tableName(TOPIC).select(Select.COUNT).filterExpression("#s = :s")
                        .expressionAttributeNames(Map.of("#s", "status"))
                        .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("SHIPPED")))).count();
                System.out.printf("  progress: %d items in table %s (%d shipped)%n", count, TOPIC, shipped);
                if (count == expected && shipped == ORDERS / 10) {
                    break;
                }
                Thread.sleep(1000); // the progress display's cadence, not synchronisation: the loop checks the counts
            }
            int deadLetters = kafka.consume(DLQ, 1, Duration.ofSeconds(30)).size();
            Map<String, AttributeValue> sample = dynamo.getItem(r -> r.tableName(TOPIC)
                    .key(Map.of("pk", AttributeValue.fromS("order-10")))).item();

            boolean ok = count == expected && shipped == ORDERS / 10 && deadLetters == 1;
            System.out.println();
            System.out.println("Written to DynamoDB table '" + TOPIC + "':");
            System.out.printf("  items: %d (expected %d: %d orders minus %d deleted by tombstones)%n", count, expected,
                    ORDERS, ORDERS / 100);
            System.out.printf("  items updated to SHIPPED: %d (expected %d)%n", shipped, ORDERS / 10);
            System.out.printf("  dead letter queue '%s': %d record(s) (expected 1: the record without a key)%n", DLQ, deadLetters);
            System.out.println("  sample item order-10 (as dynamodb-offload export prints it): " + ItemJson.of(new TreeMap<>(sample)));
            Map<String, AttributeValue> large = dynamo.getItem(r -> r.tableName(TOPIC)
                    .key(Map.of("pk", AttributeValue.fromS("order-155")))).item();
            long objects = s3.listObjectsV2(r -> r.bucket(BUCKET)).keyCount();
            int offloaded = ORDERS / 100;
            System.out.printf("  orders with a 300 KB terms attachment and a 150 KB receipt: %d; objects in s3://%s: %d "
                    + "(expected %d: the shared terms once, one receipt each)%n", offloaded, BUCKET, objects, offloaded + 1);
            System.out.println("  item order-155 as stored: " + ItemSize.of(large) + " bytes, terms -> " + ItemJson.of(large.get("terms")));
            try (OffloadedItemReader reader = new OffloadedItemReader(s3)) {
                HydratedItem hydrated = reader.hydrate(large);
                System.out.printf("  read back with OffloadedItemReader (SHA-256 verified): terms %d chars, receipt %d chars%n",
                        hydrated.text("terms").length(), hydrated.text("receipt").length());
                ok &= hydrated.text("terms").equals(TERMS) && objects == offloaded + 1;
            }
            System.out.println(connect.status("orders-to-dynamodb").toPrettyString());
            System.out.println(ok ? "Quickstart OK" : "Quickstart did NOT reach the expected state");
            if (!ok) {
                System.exit(1);
            }
        }
    }

    private static Map<String, String> connectorConfig(InJvmStack stack) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", DynamoDbSinkConnector.class.getName());
        config.put("tasks.max", "2");
        config.put("topics", TOPIC);
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter.schemas.enable", "false");
        config.put("table.auto.create", "true");
        config.putAll(stack.connectionConfig());
        config.put("offload.s3.bucket", BUCKET);
        config.put("s3.path.style.access", "true");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", DLQ);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        return config;
    }

    /** An order with two fields too large to keep in DynamoDB: both go to S3 (over offload.threshold.bytes). */
    private static String largeOrder(int i) {
        String order = order(i, "NEW");
        String receipt = ("<p>Receipt for order " + i + "</p>").repeat(150 * 1024 / 30);
        return order.substring(0, order.length() - 1) + ",\"terms\":\"" + TERMS + "\",\"receipt\":\"" + receipt + "\"}";
    }

    private static String order(int i, String status) {
        return "{\"order_id\":" + i + ",\"status\":\"" + status + "\",\"amount\":" + (i % 500) + "." + (i % 100)
                + ",\"customer\":{\"id\":\"c" + (i % 37) + "\",\"tier\":\"" + (i % 3 == 0 ? "gold" : "std") + "\"},"
                + "\"lines\":[{\"sku\":\"A-" + (i % 11) + "\",\"qty\":" + (1 + i % 4) + "}]}";
    }

    private static void awaitRunning(ConnectRestClient connect, String name) {
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> connect.isRunning(name));
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("Connector " + name + " did not start: " + connect.status(name));
        }
    }
}
