package io.streamoffload.connect.dynamodb.it.stack;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** Tables as a user creates them before starting the connector. */
public final class Tables {
    private Tables() {
    }

    /**
     * Creates an on-demand table keyed by one string attribute and waits until it is ACTIVE: DynamoDB, like dynalite,
     * answers CreateTable with CREATING, and writes to it until then fail.
     */
    public static void createKeyedByString(DynamoDbClient dynamo, String table, String keyAttribute) {
        dynamo.createTable(r -> r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName(keyAttribute).keyType(KeyType.HASH))
                .attributeDefinitions(d -> d.attributeName(keyAttribute).attributeType(ScalarAttributeType.S)));
        awaitActive(dynamo, table);
    }

    /** Waits until the table is ACTIVE (the SDK's own waiter polls every 20 s). */
    public static void awaitActive(DynamoDbClient dynamo, String table) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(
                () -> dynamo.describeTable(r -> r.tableName(table)).table().tableStatus() == TableStatus.ACTIVE);
    }
}
