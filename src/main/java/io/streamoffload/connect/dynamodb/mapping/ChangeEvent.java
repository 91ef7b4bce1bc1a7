package io.streamoffload.connect.dynamodb.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamoffload.connect.dynamodb.config.FieldPath;
import io.streamoffload.connect.dynamodb.offload.FieldSource;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * A Debezium change event: its operation, and its {@code before} and {@code after} rows. The event is a Struct (Avro,
 * or JSON with schemas), a Map (schemaless JSON, where a {@code schema}/{@code payload} wrapper is looked through), or
 * a JSON tree (a JSON string).
 */
final class ChangeEvent {
    private static final FieldPath OP = FieldPath.single("op");
    private static final FieldPath BEFORE = FieldPath.single("before");
    private static final FieldPath AFTER = FieldPath.single("after");
    private static final FieldPath PAYLOAD = FieldPath.single("payload");

    /** Debezium's operations, by their code in {@code op}. */
    enum Op {
        CREATE, READ, UPDATE, DELETE
    }

    private final RecordFieldSource fields;
    private final Op op;

    private ChangeEvent(RecordFieldSource fields, Op op) {
        this.fields = fields;
        this.op = op;
    }

    static ChangeEvent of(Object value, Schema schema) {
        if (value instanceof Map<?, ?> map && map.size() == 2 && map.containsKey("schema") && map.containsKey("payload")) {
            value = map.get("payload"); // JSON with schemas read by a converter that does not expect them
        } else if (value instanceof JsonNode node && node.size() == 2 && node.has("schema") && node.has("payload")) {
            value = node.get("payload");
        }
        if (!(value instanceof Struct || value instanceof Map<?, ?> || value instanceof JsonNode node && node.isObject())) {
            throw new MappingException("cdc.format=debezium, but the record value is a " + kind(value)
                    + ", not a change event with op, before and after");
        }
        RecordFieldSource fields = new RecordFieldSource(value, schema, null);
        Object code = fields.find(OP).map(FieldSource.Value::value).orElse(null);
        if (code instanceof JsonNode node) {
            code = node.isTextual() ? node.asText() : null;
        }
        if (!(code instanceof String text)) {
            throw new MappingException("cdc.format=debezium, but the record value has no 'op' field: not a Debezium "
                    + "change event (is an SMT such as ExtractNewRecordState unwrapping it already?)");
        }
        Op op = switch (text) {
            case "c" -> Op.CREATE;
            case "r" -> Op.READ;
            case "u" -> Op.UPDATE;
            case "d" -> Op.DELETE;
            case "t" -> throw new MappingException("a truncate change event ('t') cannot be applied item by item; "
                    + "delete the items yourself, or leave 't' in Debezium's skipped.operations");
            default -> throw new MappingException("the change event's op is '" + abbreviated(text)
                    + "', not one of c, r, u, d");
        };
        return new ChangeEvent(fields, op);
    }

    Op op() {
        return op;
    }

    /** The row after the change (for c, r, u), or empty when the event has none. */
    Optional<FieldSource.Value> after() {
        return row(AFTER);
    }

    /** The row before the change (for d, and u with full row images), or empty when the event has none. */
    Optional<FieldSource.Value> before() {
        return row(BEFORE);
    }

    /** A field of the event itself, such as {@code ts_ms} or {@code source.lsn}. */
    Optional<FieldSource.Value> field(FieldPath path) {
        return fields.find(path);
    }

    private Optional<FieldSource.Value> row(FieldPath which) {
        return fields.find(which).filter(v -> v.value() != null);
    }

    private static String kind(Object value) {
        if (value instanceof JsonNode node) {
            return "JSON " + node.getNodeType().name().toLowerCase();
        }
        return value.getClass().getSimpleName();
    }

    /** An op code is not record content, but a malformed event may put anything there. */
    private static String abbreviated(String text) {
        return text.length() <= 8 ? text : text.substring(0, 8) + "...";
    }
}
