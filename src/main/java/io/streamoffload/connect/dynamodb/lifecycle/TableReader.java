package io.streamoffload.connect.dynamodb.lifecycle;

import io.streamoffload.connect.dynamodb.util.Pools;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * Reads a table: a parallel scan by segments, page by page (memory holds a page per segment, whatever the table's
 * size), under an optional read-capacity limit; or one item by its key with GetItem, which reads one item's worth of
 * capacity rather than the whole table.
 */
public final class TableReader {
    private final DynamoDbClient dynamoDb;
    private final String table;
    private final TableDescription description;

    public TableReader(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.description = dynamoDb.describeTable(d -> d.tableName(table)).table();
    }

    public String table() {
        return table;
    }

    /** DynamoDB's own estimate, updated about every six hours: good for a progress bar, not for a count. */
    public long approximateItemCount() {
        return description.itemCount() == null ? 0 : description.itemCount();
    }

    /** The key attributes' names, partition key first. */
    public List<String> keyNames() {
        return description.keySchema().stream()
                .sorted((a, b) -> a.keyType() == KeyType.HASH ? -1 : b.keyType() == KeyType.HASH ? 1 : 0)
                .map(KeySchemaElement::attributeName).toList();
    }

    /**
     * Every item, handed to {@code sink} from {@code segments} threads at once (the sink must be thread-safe).
     *
     * @param consistent strongly consistent reads: every write finished before a segment's page was read is in it
     * @return the number of items read
     */
    public long scan(int segments, double maxReadUnitsPerSecond, boolean consistent,
                     Consumer<Map<String, AttributeValue>> sink) throws InterruptedException {
        ReadRateLimiter limiter = new ReadRateLimiter(maxReadUnitsPerSecond);
        ExecutorService pool = Pools.fixed("scan-" + table, segments);
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int segment = 0; segment < segments; segment++) {
                int s = segment;
                results.add(pool.submit(() -> scanSegment(s, segments, limiter, consistent, sink)));
            }
            long items = 0;
            for (Future<Long> result : results) {
                items += result.get();
            }
            return items;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private long scanSegment(int segment, int segments, ReadRateLimiter limiter, boolean consistent,
                             Consumer<Map<String, AttributeValue>> sink) throws InterruptedException {
        Map<String, AttributeValue> start = null;
        long items = 0;
        do {
            limiter.awaitTurn();
            Map<String, AttributeValue> from = start;
            ScanResponse page = dynamoDb.scan(s -> s.tableName(table).segment(segment).totalSegments(segments)
                    .consistentRead(consistent).exclusiveStartKey(from)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            // a local endpoint may not report capacity: count a page as the most one can cost, 1 MB / 4 KB
            limiter.consumed(page.consumedCapacity() == null || page.consumedCapacity().capacityUnits() == null
                    ? 256 : page.consumedCapacity().capacityUnits());
            page.items().forEach(sink);
            items += page.items().size();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && !Thread.currentThread().isInterrupted());
        return items;
    }

    /** One item by its key; empty when there is none. */
    public Optional<Map<String, AttributeValue>> get(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = dynamoDb.getItem(g -> g.tableName(table).key(key).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /**
     * A key from {@code name=value[,name=value]}, typed by the table's key schema (binary values in base64).
     *
     * @throws IllegalArgumentException naming what is missing or unknown
     */
    public Map<String, AttributeValue> parseKey(String spec) {
        Map<String, String> given = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("a key is name=value[,name=value], not '" + spec + "'");
            }
            given.put(part.substring(0, eq).trim(), part.substring(eq + 1));
        }
        Map<String, String> types = description.attributeDefinitions().stream()
                .collect(Collectors.toMap(AttributeDefinition::attributeName, AttributeDefinition::attributeTypeAsString));
        if (!given.keySet().equals(new HashSet<>(keyNames()))) {
            throw new IllegalArgumentException("the key must name exactly the key attributes of " + table + ": " + keyNames()
                    + ", not " + given.keySet());
        }
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        given.forEach((name, value) -> key.put(name, keyValue(name, types.get(name), value)));
        return key;
    }

    private static AttributeValue keyValue(String name, String type, String value) {
        try {
            return switch (type) {
                case "N" -> AttributeValue.fromN(new BigDecimal(value).toString());
                case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(value)));
                default -> AttributeValue.fromS(value);
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key attribute " + name + " is of type " + type + ": '" + value
                    + "' is not one" + (type.equals("B") ? " (binary keys are given in base64)" : ""), e);
        }
    }

    /** An item's key as {@code name=value, ...}, for reports. */
    public String describeKey(Map<String, AttributeValue> item) {
        return keyNames().stream().map(name -> name + "=" + ItemJson.keyText(item.get(name)))
                .collect(Collectors.joining(", "));
    }
}
