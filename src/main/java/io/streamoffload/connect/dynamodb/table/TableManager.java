package io.streamoffload.connect.dynamodb.table;

import io.streamoffload.connect.dynamodb.DynamoDbSinkConfig;
import io.streamoffload.connect.dynamodb.config.KeySpec;
import io.streamoffload.connect.dynamodb.errors.ErrorClassifier;
import io.streamoffload.connect.dynamodb.retry.RetryPolicy;
import io.streamoffload.connect.dynamodb.retry.TransientRetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;

/**
 * Makes sure each table the connector writes to exists with the key schema the config describes: checks it with
 * DescribeTable, or creates it (on-demand billing, optional TTL) and waits until it is created. A table that is
 * UPDATING (capacity, streams, an index or a replica being changed) takes writes and is used at once; one being
 * deleted or archived is not. Each call rides out transient failures (throttling, 5xx, I/O) within the retry budget.
 */
public final class TableManager {
    private static final Logger log = LoggerFactory.getLogger(TableManager.class);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);

    private final DynamoDbClient client;
    private final List<KeySpec> keys;
    private final boolean autoCreate;
    private final Optional<String> ttlAttribute;
    private final Duration activeTimeout;
    private final TransientRetry retry;
    private final Set<String> ready = ConcurrentHashMap.newKeySet();

    public TableManager(DynamoDbClient client, List<KeySpec> keys, boolean autoCreate, Optional<String> ttlAttribute,
                        Duration activeTimeout, TransientRetry retry) {
        this.client = client;
        this.keys = List.copyOf(keys);
        this.autoCreate = autoCreate;
        this.ttlAttribute = ttlAttribute;
        this.activeTimeout = activeTimeout;
        this.retry = retry;
    }

    /** The tables as the connector's settings describe them, checked with its retry budget. */
    public static TableManager forConfig(DynamoDbClient client, DynamoDbSinkConfig config, RetryPolicy retry) {
        return new TableManager(client, config.keys(), config.tableAutoCreate(), config.ttlAttribute(),
                config.tableActiveTimeout(), new TransientRetry(retry));
    }

    /** Returns once the table is usable; throws ConnectException saying what is wrong otherwise. */
    public void ensure(String table) {
        if (ready.contains(table)) {
            return;
        }
        try {
            TableDescription description = describe(table).orElseGet(() -> create(table));
            checkKeySchema(description);
            if (description.tableStatus() == TableStatus.CREATING) {
                description = awaitCreated(table);
            }
            checkWritable(description);
            ttlAttribute.ifPresent(attribute -> ensureTimeToLive(table, attribute));
            ready.add(table);
        } catch (SdkException e) {
            throw new ConnectException("Could not check DynamoDB table " + table + ": " + ErrorClassifier.describe(e), e);
        }
    }

    private Optional<TableDescription> describe(String table) {
        try {
            return Optional.of(retry.call("DescribeTable " + table, () -> client.describeTable(r -> r.tableName(table))).table());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    private TableDescription create(String table) {
        if (!autoCreate) {
            throw new ConnectException("DynamoDB table " + table + " does not exist. Create it with key schema "
                    + expectedSchema() + ", or set table.auto.create=true");
        }
        log.info("Creating DynamoDB table {} with key schema {} and on-demand billing", table, expectedSchema());
        try {
            retry.call("CreateTable " + table, () -> client.createTable(r -> r.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(keys.stream().map(k -> KeySchemaElement.builder().attributeName(k.attribute())
                            .keyType(k.role() == KeySpec.Role.PARTITION ? KeyType.HASH : KeyType.RANGE).build()).toList())
                    .attributeDefinitions(keys.stream().map(k -> AttributeDefinition.builder()
                            .attributeName(k.attribute()).attributeType(k.type().scalarType()).build()).toList())));
        } catch (ResourceInUseException e) {
            log.info("DynamoDB table {} is being created by another task", table);
        }
        return awaitCreated(table);
    }

    /**
     * Makes sure TTL is on for the attribute: enabled when this connector may change tables (another task may enable
     * it at the same time, which DynamoDB reports as a ValidationException), otherwise only warned about.
     */
    private void ensureTimeToLive(String table, String attribute) {
        var ttl = describeTimeToLive(table);
        String status = ttl == null ? "DISABLED" : ttl.timeToLiveStatusAsString();
        if (("ENABLED".equals(status) || "ENABLING".equals(status)) && attribute.equals(ttl.attributeName())) {
            return;
        }
        if (!autoCreate) {
            log.warn("DynamoDB table {} has TTL {} on attribute {}, not on {}: items will not expire", table, status,
                    ttl == null ? null : ttl.attributeName(), attribute);
            return;
        }
        log.info("Enabling TTL on DynamoDB table {} with attribute {}", table, attribute);
        try {
            retry.call("UpdateTimeToLive " + table, () -> client.updateTimeToLive(r -> r.tableName(table)
                    .timeToLiveSpecification(s -> s.enabled(true).attributeName(attribute))));
        } catch (software.amazon.awssdk.services.dynamodb.model.DynamoDbException e) {
            var now = describeTimeToLive(table);
            if (now == null || !attribute.equals(now.attributeName())) {
                throw e;
            }
            log.info("TTL on DynamoDB table {} was enabled by another task", table);
        }
    }

    private TimeToLiveDescription describeTimeToLive(String table) {
        return retry.call("DescribeTimeToLive " + table, () -> client.describeTimeToLive(r -> r.tableName(table)))
                .timeToLiveDescription();
    }

    /** Waits while the table is CREATING, and returns its description once it is not. */
    private TableDescription awaitCreated(String table) {
        long deadline = System.nanoTime() + activeTimeout.toNanos();
        while (true) {
            Optional<TableDescription> description = describe(table);
            if (description.isPresent() && description.get().tableStatus() != TableStatus.CREATING) {
                return description.get();
            }
            if (System.nanoTime() > deadline) {
                // a table still being created is a state that passes: the batch is redelivered, not the task failed
                String state = "DynamoDB table " + table + " was not created within " + activeTimeout + " (status "
                        + description.map(d -> d.tableStatusAsString()).orElse("missing") + ")";
                throw new ConnectException(state, RetryableException.create(state));
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectException("Interrupted while waiting for DynamoDB table " + table, e);
            }
        }
    }

    private static void checkWritable(TableDescription table) {
        TableStatus status = table.tableStatus();
        if (status == TableStatus.DELETING) {
            throw new ConnectException("DynamoDB table " + table.tableName() + " is being deleted");
        }
        if (status == TableStatus.ARCHIVING || status == TableStatus.ARCHIVED) {
            throw new ConnectException("DynamoDB table " + table.tableName() + " is " + table.tableStatusAsString()
                    + " (its KMS key was inaccessible for too long); restore it from its backup, or write to another table");
        }
        if (status == TableStatus.INACCESSIBLE_ENCRYPTION_CREDENTIALS) {
            log.warn("DynamoDB table {} cannot reach its KMS key (INACCESSIBLE_ENCRYPTION_CREDENTIALS): writes will fail "
                    + "until the key is usable again", table.tableName());
        }
    }

    private void checkKeySchema(TableDescription table) {
        Map<String, String> types = table.attributeDefinitions().stream()
                .collect(Collectors.toMap(AttributeDefinition::attributeName, AttributeDefinition::attributeTypeAsString));
        List<String> actual = new ArrayList<>();
        for (KeySchemaElement element : table.keySchema()) {
            actual.add(element.keyTypeAsString() + " " + element.attributeName() + " (" + types.get(element.attributeName()) + ")");
        }
        List<String> expected = expectedElements();
        if (!actual.equals(expected)) {
            throw new ConnectException("DynamoDB table " + table.tableName() + " has key schema " + actual
                    + " but the connector is configured for " + expected + " (key.partition.attribute/type"
                    + (keys.size() > 1 ? ", key.sort.attribute/type" : ", no key.sort.attribute")
                    + "). Change the key.* settings to match the table, or write to another table");
        }
    }

    private List<String> expectedElements() {
        return keys.stream().map(k -> (k.role() == KeySpec.Role.PARTITION ? "HASH" : "RANGE") + " " + k.attribute()
                + " (" + k.type() + ")").toList();
    }

    private String expectedSchema() {
        return expectedElements().toString();
    }
}
