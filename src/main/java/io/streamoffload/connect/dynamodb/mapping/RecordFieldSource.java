package io.streamoffload.connect.dynamodb.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamoffload.connect.dynamodb.config.FieldPath;
import io.streamoffload.connect.dynamodb.offload.FieldSource;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/** Finds original field values inside a record value: a Struct, a Map, a JSON tree, or a raw value. */
final class RecordFieldSource implements FieldSource {
    private final Object root;
    private final Schema rootSchema;
    private final String rawAttribute;

    /**
     * @param rawAttribute the attribute name a raw (non-structured) value is stored under, or null when the value
     *                     is structured
     */
    RecordFieldSource(Object root, Schema rootSchema, String rawAttribute) {
        this.root = root;
        this.rootSchema = rootSchema;
        this.rawAttribute = rawAttribute;
    }

    @Override
    public Optional<Value> find(FieldPath path) {
        if (rawAttribute != null) {
            return path.segments().size() == 1 && path.segments().get(0).equals(rawAttribute)
                    ? Optional.of(new Value(root, rootSchema)) : Optional.empty();
        }
        Object current = root;
        Schema schema = rootSchema;
        for (String segment : path.segments()) {
            if (current instanceof Struct struct) {
                Field field = struct.schema().field(segment);
                if (field == null) {
                    return Optional.empty();
                }
                current = struct.get(field);
                schema = field.schema();
            } else if (current instanceof Map<?, ?> map) {
                if (!map.containsKey(segment)) {
                    return Optional.empty();
                }
                current = map.get(segment);
                schema = schema == null ? null : schema.valueSchema();
            } else if (current instanceof JsonNode node && node.isObject()) {
                if (!node.has(segment)) {
                    return Optional.empty();
                }
                current = node.get(segment);
                schema = null;
            } else {
                return Optional.empty();
            }
        }
        if (current instanceof JsonNode node && node.isNull()) {
            current = null;
        }
        return Optional.of(new Value(current, schema));
    }
}
