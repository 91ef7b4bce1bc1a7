package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.mapping.DynamoDbLimits;
import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Builds the single-item request of a write: PutItem, UpdateItem (SET the attributes the record carries, REMOVE those
 * it sets to null when nulls remove) or DeleteItem, guarded by the version condition when the write has a version.
 */
final class ItemRequests {
    /**
     * Applies where the item has no version (it does not exist, or predates versioning) or an older one; an equal
     * version is a redelivery, and applying it again would undo writes made after it.
     */
    private static final String NEWER_VERSION = "attribute_not_exists(#version) OR #version < :version";
    /** For a snapshot row: any item a streamed change has written since is newer. */
    private static final String NO_VERSION_YET = "attribute_not_exists(#version)";

    private final Optional<String> versionAttribute;
    private final boolean removeNulls;

    ItemRequests(Optional<String> versionAttribute, boolean removeNulls) {
        this.versionAttribute = versionAttribute;
        this.removeNulls = removeNulls;
    }

    /** A write's condition on the stored version: its expression, and the names and values that expression uses. */
    private record Condition(String expression, Map<String, String> names, Map<String, AttributeValue> values) {
    }

    private Optional<Condition> condition(WriteOperation write) {
        if (write.version() != null) {
            return Optional.of(new Condition(NEWER_VERSION, versionName(), Map.of(":version", write.version())));
        }
        return write.ifUnversioned() ? Optional.of(new Condition(NO_VERSION_YET, versionName(), Map.of()))
                : Optional.empty();
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
     * @throws IllegalArgumentException when the update expression would be longer than DynamoDB allows, with the
     *                                  reason
     */
    UpdateItemRequest update(WriteOperation write) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder set = new StringBuilder();
        StringBuilder remove = new StringBuilder();
        int n = 0;
        for (Map.Entry<String, AttributeValue> attribute : write.item().entrySet()) {
            if (write.key().containsKey(attribute.getKey())) {
                continue; // the key names the item; DynamoDB refuses to set key attributes
            }
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
        String expression = set.isEmpty() ? remove.toString() : remove.isEmpty() ? set.toString() : set + " " + remove;
        if (expression.length() > DynamoDbLimits.MAX_EXPRESSION_BYTES) {
            throw new IllegalArgumentException("the update sets or removes " + n + " attributes: its update expression is "
                    + expression.length() + " bytes, over DynamoDB's limit of " + DynamoDbLimits.MAX_EXPRESSION_BYTES
                    + " bytes per expression");
        }
        UpdateItemRequest.Builder request = UpdateItemRequest.builder().tableName(write.table()).key(write.key());
        if (!expression.isEmpty()) {
            request.updateExpression(expression);
        }
        condition(write).ifPresent(c -> {
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

    private Map<String, String> versionName() {
        return Map.of("#version", versionAttribute.orElseThrow(
                () -> new IllegalStateException("a versioned write without a version attribute")));
    }
}
