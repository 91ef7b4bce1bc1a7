package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.mapping.DynamoDbLimits;
import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Builds the single-item request of a write: PutItem, UpdateItem (SET the attributes the record carries, REMOVE those
 * it sets to null when nulls remove) or DeleteItem, guarded by the version condition when the write has a version;
 * and the requests that apply a change event's missing columns: an update of an item that must exist, the creation of
 * an item that lists what it lacks, and the copy of a moved row's item to its new key.
 */
final class ItemRequests {
    /**
     * Applies where the item has no version (it does not exist, or predates versioning) or an older one; an equal
     * version is a redelivery, and applying it again would undo writes made after it.
     */
    private static final String NEWER_VERSION = "attribute_not_exists(#version) OR #version < :version";
    /** For a snapshot row: any item a streamed change has written since is newer. */
    private static final String NO_VERSION_YET = "attribute_not_exists(#version)";
    /** For a snapshot row, with change events: or the item lacks columns a change could not carry, which it fills. */
    private static final String NO_VERSION_YET_OR_INCOMPLETE = NO_VERSION_YET + " OR attribute_exists(#unavailable)";
    private static final String EXISTS = "attribute_exists(#key)";

    private final Optional<String> versionAttribute;
    private final boolean removeNulls;
    private final Optional<String> unavailableAttribute;

    /**
     * @param unavailableAttribute with change events, the attribute listing the columns an item was created without
     */
    ItemRequests(Optional<String> versionAttribute, boolean removeNulls, Optional<String> unavailableAttribute) {
        this.versionAttribute = versionAttribute;
        this.removeNulls = removeNulls;
        this.unavailableAttribute = unavailableAttribute;
    }

    /** A write's condition on the stored version: its expression, and the names and values that expression uses. */
    private record Condition(String expression, Map<String, String> names, Map<String, AttributeValue> values) {
    }

    private Optional<Condition> condition(WriteOperation write) {
        if (write.version() != null) {
            return Optional.of(new Condition(NEWER_VERSION, versionName(), Map.of(":version", write.version())));
        }
        if (!write.ifUnversioned()) {
            return Optional.empty();
        }
        if (unavailableAttribute.isEmpty()) {
            return Optional.of(new Condition(NO_VERSION_YET, versionName(), Map.of()));
        }
        Map<String, String> names = new HashMap<>(versionName());
        names.put("#unavailable", unavailableAttribute.get());
        return Optional.of(new Condition(NO_VERSION_YET_OR_INCOMPLETE, names, Map.of()));
    }

    PutItemRequest put(WriteOperation write) {
        PutItemRequest.Builder request = PutItemRequest.builder().tableName(write.table()).item(write.item());
        condition(write).ifPresent(c -> request.conditionExpression(c.expression()).expressionAttributeNames(c.names())
                .expressionAttributeValues(c.values().isEmpty() ? null : c.values()));
        return request.build();
    }

    DeleteItemRequest delete(WriteOperation write) {
        DeleteItemRequest.Builder request = DeleteItemRequest.builder().tableName(write.table()).key(write.key());
        condition(write).ifPresent(c -> request.conditionExpression(c.expression()).expressionAttributeNames(c.names())
                .expressionAttributeValues(c.values().isEmpty() ? null : c.values()));
        return request.build();
    }

    /**
     * The update of a write: for a change that could not carry some columns, only where the item exists (DynamoDB
     * answers ConditionalCheckFailed otherwise, and {@link #createWithout} follows).
     *
     * @throws IllegalArgumentException when the update expression would be longer than DynamoDB allows, with the
     *                                  reason
     */
    UpdateItemRequest update(WriteOperation write) {
        return update(write, write.isPartial() ? Existing.REQUIRED : Existing.ANY);
    }

    /**
     * The update of a change that could not carry some columns, for an item that does not exist: it creates the item
     * without them, listing their names in the unavailable-columns attribute.
     */
    UpdateItemRequest createWithout(WriteOperation write) {
        return update(write, Existing.NONE);
    }

    /** Whether an item holds a version at least as new as the write's: the write is superseded there. */
    boolean holdsNewer(Map<String, AttributeValue> item, WriteOperation write) {
        if (write.version() == null || versionAttribute.isEmpty()) {
            return false;
        }
        AttributeValue stored = item.get(versionAttribute.get());
        return stored != null && stored.n() != null
                && new java.math.BigDecimal(stored.n()).compareTo(new java.math.BigDecimal(write.version().n())) >= 0;
    }

    /** What an update asks of the item it updates. */
    private enum Existing {
        /** nothing: a whole row, or an update-mode update */
        ANY,
        /** it exists: a partial change must not create an item silently */
        REQUIRED,
        /** it is created by this partial change, which lists the columns it lacks */
        NONE
    }

    private UpdateItemRequest update(WriteOperation write, Existing existing) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder set = new StringBuilder();
        StringBuilder remove = new StringBuilder();
        int n = 0;
        List<String> columns = new java.util.ArrayList<>(write.item().size());
        for (Map.Entry<String, AttributeValue> attribute : write.item().entrySet()) {
            if (write.key().containsKey(attribute.getKey())) {
                continue; // the key names the item; DynamoDB refuses to set key attributes
            }
            columns.add(attribute.getKey());
            String name = "#" + Integer.toString(n, 36);
            names.put(name, attribute.getKey());
            if (removeNulls && Boolean.TRUE.equals(attribute.getValue().nul())) {
                remove.append(remove.isEmpty() ? "REMOVE " : ", ").append(name);
            } else {
                String value = ":" + Integer.toString(n, 36);
                values.put(value, attribute.getValue());
                set.append(set.isEmpty() ? "SET " : ", ").append(name).append(" = ").append(value);
            }
            n++;
        }
        StringBuilder delete = new StringBuilder();
        if (unavailableAttribute.isPresent()) {
            names.put("#unavailable", unavailableAttribute.get());
            if (existing == Existing.NONE) {
                values.put(":unavailable", AttributeValue.fromSs(List.copyOf(write.unavailable())));
                set.append(set.isEmpty() ? "SET " : ", ").append("#unavailable = :unavailable");
            } else if (!write.isPartial()) {
                // a whole row fills every column an earlier partial change could not
                remove.append(remove.isEmpty() ? "REMOVE " : ", ").append("#unavailable");
            } else if (!columns.isEmpty()) {
                // the columns this change carries are no longer missing, if the item listed them (DynamoDB drops
                // the set with its last element, and deleting from a set the item does not hold does nothing)
                values.put(":carried", AttributeValue.fromSs(columns));
                delete.append("DELETE #unavailable :carried");
            } else {
                names.remove("#unavailable");
            }
        }
        String expression = String.join(" ", java.util.stream.Stream.of(set, remove, delete)
                .filter(part -> !part.isEmpty()).map(StringBuilder::toString).toList());
        if (expression.length() > DynamoDbLimits.MAX_EXPRESSION_BYTES) {
            throw new IllegalArgumentException("the update sets or removes " + n + " attributes: its update expression is "
                    + expression.length() + " bytes, over DynamoDB's limit of " + DynamoDbLimits.MAX_EXPRESSION_BYTES
                    + " bytes per expression");
        }
        UpdateItemRequest.Builder request = UpdateItemRequest.builder().tableName(write.table()).key(write.key());
        if (!expression.isEmpty()) {
            request.updateExpression(expression);
        }
        Optional<Condition> condition = condition(write);
        if (existing == Existing.REQUIRED) {
            condition = Optional.of(requireExisting(write, condition));
        } else if (existing == Existing.NONE) {
            // where no item is: one written meanwhile (a moved row's) takes the change as an update instead
            condition = Optional.of(new Condition("attribute_not_exists(#key)",
                    Map.of("#key", write.key().keySet().iterator().next()), Map.of()));
        }
        condition.ifPresent(c -> {
            request.conditionExpression(c.expression());
            names.putAll(c.names());
            values.putAll(c.values());
        });
        if (!names.isEmpty()) {
            request.expressionAttributeNames(names);
        }
        if (!values.isEmpty()) {
            request.expressionAttributeValues(values);
        }
        return request.build();
    }

    private static Condition requireExisting(WriteOperation write, Optional<Condition> also) {
        Map<String, String> names = new HashMap<>(also.map(Condition::names).orElse(Map.of()));
        names.put("#key", write.key().keySet().iterator().next());
        return new Condition(also.map(c -> EXISTS + " AND (" + c.expression() + ")").orElse(EXISTS), names,
                also.map(Condition::values).orElse(Map.of()));
    }

    /** Reads whether an item exists, and the attribute listing the columns it lacks, without its content. */
    GetItemRequest probe(String table, Map<String, AttributeValue> key) {
        Map<String, String> names = new HashMap<>();
        names.put("#key", key.keySet().iterator().next());
        unavailableAttribute.ifPresent(a -> names.put("#unavailable", a));
        return GetItemRequest.builder().tableName(table).key(key).consistentRead(true)
                .projectionExpression(String.join(", ", names.keySet())).expressionAttributeNames(names).build();
    }

    /** The columns an item lists as missing (what {@link #probe} read), or empty when it lists none. */
    Optional<List<String>> unavailableIn(Map<String, AttributeValue> item) {
        return unavailableAttribute.map(item::get).filter(AttributeValue::hasSs).map(AttributeValue::ss);
    }

    /** Reads a whole item, as it is now. */
    GetItemRequest read(String table, Map<String, AttributeValue> key) {
        return GetItemRequest.builder().tableName(table).key(key).consistentRead(true).build();
    }

    /** Copies a moved row's item to its new key, where no item is yet: every attribute but the old key's and the version. */
    PutItemRequest copyTo(String table, Map<String, AttributeValue> newKey, Map<String, AttributeValue> old,
                          Collection<String> oldKeyNames) {
        Map<String, AttributeValue> copy = new LinkedHashMap<>(carried(old, oldKeyNames));
        copy.putAll(newKey);
        return PutItemRequest.builder().tableName(table).item(copy).conditionExpression("attribute_not_exists(#key)")
                .expressionAttributeNames(Map.of("#key", newKey.keySet().iterator().next())).build();
    }

    /**
     * Fills the attributes an item was created without from a moved row's item, and lists those still missing
     * (or drops the list when none are).
     *
     * @param missing the names the item's unavailable-columns attribute lists
     */
    Optional<UpdateItemRequest> fill(String table, Map<String, AttributeValue> key, Map<String, AttributeValue> old,
                                     Collection<String> oldKeyNames, List<String> missing) {
        Map<String, AttributeValue> available = carried(old, oldKeyNames);
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder set = new StringBuilder();
        List<String> stillMissing = new java.util.ArrayList<>();
        int n = 0;
        for (String column : missing) {
            AttributeValue value = available.get(column);
            if (value == null || key.containsKey(column)) {
                stillMissing.add(column);
                continue;
            }
            names.put("#" + Integer.toString(n, 36), column);
            values.put(":" + Integer.toString(n, 36), value);
            // a column a later change of the new key has set since is not overwritten
            String name = "#" + Integer.toString(n, 36);
            set.append(set.isEmpty() ? "SET " : ", ").append(name).append(" = if_not_exists(").append(name)
                    .append(", :").append(Integer.toString(n, 36)).append(')');
            n++;
        }
        if (n == 0) {
            return Optional.empty();
        }
        names.put("#unavailable", unavailableAttribute.orElseThrow());
        String expression;
        if (stillMissing.isEmpty()) {
            expression = set + " REMOVE #unavailable";
        } else {
            values.put(":unavailable", AttributeValue.fromSs(stillMissing));
            expression = set + ", #unavailable = :unavailable";
        }
        return Optional.of(UpdateItemRequest.builder().tableName(table).key(key).updateExpression(expression)
                .conditionExpression("attribute_exists(#unavailable)").expressionAttributeNames(names)
                .expressionAttributeValues(values).build());
    }

    /**
     * What of an item a move carries to the new key: all but its key and version (the new key's own change brings
     * one); its list of missing columns too, since the new item lacks what the old one did.
     */
    private Map<String, AttributeValue> carried(Map<String, AttributeValue> old, Collection<String> oldKeyNames) {
        Map<String, AttributeValue> carried = new LinkedHashMap<>(old);
        oldKeyNames.forEach(carried::remove);
        versionAttribute.ifPresent(carried::remove);
        return carried;
    }

    private Map<String, String> versionName() {
        return Map.of("#version", versionAttribute.orElseThrow(
                () -> new IllegalStateException("a versioned write without a version attribute")));
    }
}
