package io.streamoffload.connect.dynamodb.it.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamoffload.connect.dynamodb.read.HydratedItem;
import io.streamoffload.connect.dynamodb.read.OffloadedItemReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Compares a table's rows with a DynamoDB table's items, column by column, each offloaded field read back through
 * {@link OffloadedItemReader} (its SHA-256 and size verified): no row without its item, no item without its row, every
 * value equal as its type maps (numbers by value, timestamps by instant, jsonb by JSON value), and Debezium's
 * placeholder nowhere, in any form.
 */
final class RowsAndItems {
    static final String PLACEHOLDER = "__debezium_unavailable_value";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Attributes the sink adds beside the columns. */
    private static final Set<String> BOOKKEEPING = Set.of("_version");

    private RowsAndItems() {
    }

    /**
     * Every difference, one line each (no content: ids, columns and what differs); empty when the items match.
     *
     * @param nullsRemove whether a null column leaves no attribute (update mode's write.update.nulls=remove) rather
     *                    than a NULL one
     */
    static List<String> differences(Map<Long, Map<String, Object>> rows, DynamoDbClient dynamo, String table,
                                    OffloadedItemReader reader, boolean nullsRemove) {
        Map<Long, Map<String, AttributeValue>> items = new TreeMap<>();
        try {
            dynamo.scanPaginator(r -> r.tableName(table).consistentRead(true)).items()
                    .forEach(item -> items.put(Long.parseLong(item.get("id").n()), item));
        } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException e) {
            return List.of(table + ": no table yet");
        }
        List<String> differences = new ArrayList<>();
        Set<Long> ids = new TreeSet<>(rows.keySet());
        ids.addAll(items.keySet());
        for (long id : ids) {
            Map<String, Object> row = rows.get(id);
            Map<String, AttributeValue> item = items.get(id);
            if (row == null) {
                differences.add(table + " id " + id + ": an item without a row");
            } else if (item == null) {
                differences.add(table + " id " + id + ": no item for the row");
            } else {
                compare(table + " id " + id, row, reader.hydrate(item), nullsRemove, differences);
            }
        }
        return differences;
    }

    private static void compare(String where, Map<String, Object> row, HydratedItem hydrated, boolean nullsRemove,
                                List<String> differences) {
        Map<String, AttributeValue> item = hydrated.item();
        for (String name : item.keySet()) {
            if (!row.containsKey(name) && !BOOKKEEPING.contains(name)) {
                differences.add(where + ": attribute '" + name + "' is no column");
            }
        }
        row.forEach((column, expected) -> {
            if (!item.containsKey(column)) {
                if (expected != null || !nullsRemove) {
                    differences.add(where + ": column '" + column + "' missing");
                }
                return;
            }
            Object actual = hydrated.offloaded().containsKey(column) ? hydrated.get(column) : item.get(column);
            if (holdsPlaceholder(actual)) {
                differences.add(where + ": column '" + column + "' holds Debezium's placeholder");
            } else if (!same(expected, actual)) {
                differences.add(where + ": column '" + column + "' differs (" + describe(expected) + " in the row, "
                        + describe(actual) + " in the item)");
            }
        });
    }

    private static boolean same(Object expected, Object actual) {
        if (expected == null) {
            return actual instanceof AttributeValue a && Boolean.TRUE.equals(a.nul());
        }
        if (actual instanceof String s) { // offloaded text
            return expected.equals(s);
        }
        if (actual instanceof byte[] b) { // offloaded binary
            return expected instanceof byte[] e && Arrays.equals(e, b);
        }
        if (actual instanceof JsonNode tree) { // offloaded as JSON: an array
            return JSON.valueToTree(expected).toString().equals(tree.toString());
        }
        AttributeValue a = (AttributeValue) actual;
        if (expected instanceof String text) {
            if (a.s() == null) {
                return false;
            }
            return text.startsWith("{") ? json(text).equals(json(a.s())) : text.equals(a.s());
        }
        if (expected instanceof byte[] bytes) {
            return a.b() != null && Arrays.equals(bytes, a.b().asByteArrayUnsafe());
        }
        if (expected instanceof Boolean bool) {
            return bool.equals(a.bool());
        }
        if (expected instanceof Number number) {
            return a.n() != null && new BigDecimal(number.toString()).compareTo(new BigDecimal(a.n())) == 0;
        }
        if (expected instanceof Instant instant) {
            return a.s() != null && instant.equals(Instant.parse(a.s()));
        }
        if (expected instanceof List<?> list) {
            if (!a.hasL() || a.l().size() != list.size()) {
                return false;
            }
            for (int i = 0; i < list.size(); i++) {
                if (!same(list.get(i), a.l().get(i))) {
                    return false;
                }
            }
            return true;
        }
        throw new IllegalArgumentException("no comparison for " + expected.getClass());
    }

    /** Debezium's placeholder in any form it takes: as text, as bytes, or inside a list or map. */
    static boolean holdsPlaceholder(Object value) {
        if (value instanceof String s) {
            return s.contains(PLACEHOLDER);
        }
        if (value instanceof byte[] b) {
            return new String(b, StandardCharsets.ISO_8859_1).contains(PLACEHOLDER);
        }
        if (value instanceof AttributeValue a) {
            if (a.s() != null) {
                return holdsPlaceholder(a.s());
            }
            if (a.b() != null) {
                return holdsPlaceholder(a.b().asByteArrayUnsafe());
            }
            if (a.hasL()) {
                return a.l().stream().anyMatch(RowsAndItems::holdsPlaceholder)
                        || a.l().size() == PLACEHOLDER.length() && a.l().stream().allMatch(e -> e.n() != null)
                        && Arrays.equals(a.l().stream().mapToInt(e -> Integer.parseInt(e.n())).toArray(),
                        PLACEHOLDER.chars().toArray());
            }
            if (a.hasM()) {
                return a.m().values().stream().anyMatch(RowsAndItems::holdsPlaceholder);
            }
        }
        return false;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "text of " + s.length() + " chars";
        }
        if (value instanceof byte[] b) {
            return b.length + " bytes";
        }
        if (value instanceof AttributeValue a) {
            return a.type() + (a.s() != null ? " of " + a.s().length() + " chars" : a.n() != null ? " " + a.n()
                    : a.hasL() ? " of " + a.l().size() : "");
        }
        return value.getClass().getSimpleName() + (value instanceof Number || value instanceof Instant
                || value instanceof Boolean ? " " + value : "");
    }
}
