package io.streamoffload.connect.dynamodb.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamoffload.connect.dynamodb.errors.ContentFreeText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Converts Connect data (Struct, Map, List, primitives, logical types) and Jackson trees into DynamoDB
 * attribute values, enforcing DynamoDB's rules on numbers and nesting as it goes.
 */
public final class AttributeConverter {
    private static final AttributeValue NULL = AttributeValue.fromNul(true);
    /** Debezium's number of any scale (PostgreSQL numeric without a fixed scale): a struct of scale and unscaled bytes. */
    private static final String VARIABLE_SCALE_DECIMAL = "io.debezium.data.VariableScaleDecimal";
    private static final DateTimeFormatter ISO_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final DateTimeFormatter ISO_TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final TemporalFormat temporalFormat;

    public AttributeConverter(TemporalFormat temporalFormat) {
        this.temporalFormat = temporalFormat;
    }

    /** Converts the fields of a Struct into item attributes. */
    public Map<String, AttributeValue> fromStruct(Struct struct) {
        return structAttributes(struct, "", 1);
    }

    /** Converts the entries of a schemaless map into item attributes. */
    public Map<String, AttributeValue> fromMap(Map<?, ?> map) {
        return mapAttributes(map, "", 1);
    }

    /** Converts the fields of a JSON object into item attributes. */
    public Map<String, AttributeValue> fromJsonObject(JsonNode object) {
        return jsonObjectAttributes(object, "", 1);
    }

    /** Converts one value, with its schema if it has one, found at {@code path}. */
    public AttributeValue convert(Schema schema, Object value, String path) {
        return convert(schema, value, path, 1);
    }

    private AttributeValue convert(Schema schema, Object value, String path, int depth) {
        if (value == null) {
            return NULL;
        }
        if (schema != null && schema.name() != null) {
            AttributeValue logical = logical(schema.name(), value, path);
            if (logical != null) {
                return logical;
            }
        }
        if (value instanceof Struct struct) {
            checkDepth(path, depth);
            return AttributeValue.fromM(structAttributes(struct, path, depth + 1));
        }
        if (value instanceof Map<?, ?> map) {
            checkDepth(path, depth);
            return AttributeValue.fromM(mapAttributes(map, schema, path, depth + 1));
        }
        if (value instanceof Collection<?> list) {
            checkDepth(path, depth);
            Schema elementSchema = schema == null ? null : schema.valueSchema();
            List<AttributeValue> out = new ArrayList<>(list.size());
            int i = 0;
            for (Object element : list) {
                out.add(convert(elementSchema, element, path + "[" + i++ + "]", depth + 1));
            }
            return AttributeValue.fromL(out);
        }
        if (value instanceof JsonNode node) {
            return json(node, path, depth);
        }
        return primitive(value, path);
    }

    private AttributeValue logical(String logicalName, Object value, String path) {
        switch (logicalName) {
            case org.apache.kafka.connect.data.Decimal.LOGICAL_NAME:
                return number((BigDecimal) value, path);
            case org.apache.kafka.connect.data.Date.LOGICAL_NAME: {
                long millis = ((Date) value).getTime();
                return temporalFormat == TemporalFormat.ISO8601
                        ? AttributeValue.fromS(Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC).toLocalDate().toString())
                        : AttributeValue.fromN(Long.toString(millis));
            }
            case org.apache.kafka.connect.data.Time.LOGICAL_NAME: {
                long millis = ((Date) value).getTime();
                return temporalFormat == TemporalFormat.ISO8601
                        ? AttributeValue.fromS(LocalTime.ofNanoOfDay(TimeUnit.MILLISECONDS.toNanos(
                                Math.floorMod(millis, TimeUnit.DAYS.toMillis(1)))).format(ISO_TIME))
                        : AttributeValue.fromN(Long.toString(millis));
            }
            case org.apache.kafka.connect.data.Timestamp.LOGICAL_NAME:
                return timestamp((Date) value);
            case VARIABLE_SCALE_DECIMAL:
                return variableScaleDecimal(value, path);
            default:
                return null;
        }
    }

    /** A number, or null (then stored as the struct it is) when the value is not the struct Debezium documents. */
    private static AttributeValue variableScaleDecimal(Object value, String path) {
        if (value instanceof Struct struct && struct.schema().field("scale") != null
                && struct.schema().field("value") != null && struct.get("scale") instanceof Integer scale) {
            Object unscaled = struct.get("value");
            byte[] bytes = unscaled instanceof ByteBuffer buffer ? toArray(buffer) : (byte[]) unscaled;
            return bytes == null ? null : number(new BigDecimal(new BigInteger(bytes), scale), path);
        }
        return null;
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private AttributeValue timestamp(Date value) {
        return temporalFormat == TemporalFormat.ISO8601
                ? AttributeValue.fromS(ISO_TIMESTAMP.format(value.toInstant()))
                : AttributeValue.fromN(Long.toString(value.getTime()));
    }

    private AttributeValue primitive(Object value, String path) {
        if (value instanceof String s) {
            return AttributeValue.fromS(s);
        }
        if (value instanceof Boolean b) {
            return AttributeValue.fromBool(b);
        }
        if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
            return AttributeValue.fromN(value.toString());
        }
        if (value instanceof BigInteger i) {
            return number(new BigDecimal(i), path);
        }
        if (value instanceof BigDecimal d) {
            return number(d, path);
        }
        if (value instanceof Float f) {
            checkFinite(f.isNaN() || f.isInfinite(), f, path);
            // Float.toString keeps the float's own shortest decimal form (0.1f stays 0.1)
            return number(new BigDecimal(Float.toString(f)), path);
        }
        if (value instanceof Double d) {
            checkFinite(d.isNaN() || d.isInfinite(), d, path);
            return number(BigDecimal.valueOf(d), path);
        }
        if (value instanceof byte[] bytes) {
            return AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(bytes));
        }
        if (value instanceof ByteBuffer buffer) {
            return AttributeValue.fromB(SdkBytes.fromByteBuffer(buffer.duplicate()));
        }
        if (value instanceof Date date) {
            return timestamp(date);
        }
        throw new MappingException("attribute '" + display(path) + "' has unsupported type "
                + value.getClass().getName());
    }

    private static void checkFinite(boolean notFinite, Object value, String path) {
        if (notFinite) {
            throw new MappingException("attribute '" + display(path) + "' is " + (value.toString().equals("NaN")
                    ? "NaN" : "infinite") + "; DynamoDB numbers cannot be NaN or infinite");
        }
    }

    /** Converts a number, rejecting what DynamoDB cannot store exactly. */
    public static AttributeValue number(BigDecimal value, String path) {
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.signum() != 0) {
            if (stripped.precision() > DynamoDbLimits.MAX_NUMBER_PRECISION) {
                throw new MappingException("attribute '" + display(path) + "' has " + stripped.precision()
                        + " significant digits; DynamoDB numbers allow at most " + DynamoDbLimits.MAX_NUMBER_PRECISION);
            }
            BigDecimal magnitude = stripped.abs();
            if (magnitude.compareTo(DynamoDbLimits.MAX_NUMBER_MAGNITUDE) > 0
                    || magnitude.compareTo(DynamoDbLimits.MIN_NUMBER_MAGNITUDE) < 0) {
                throw new MappingException("attribute '" + display(path) + "' is outside DynamoDB's number range "
                        + "(magnitude 1E-130 to 9.99...E+125)");
            }
        }
        // Plain notation for everyday magnitudes; scientific beyond, which DynamoDB also accepts
        int scale = stripped.scale();
        String text = scale > -40 && scale < 40 ? stripped.toPlainString() : stripped.toString();
        return AttributeValue.fromN(text);
    }

    private Map<String, AttributeValue> structAttributes(Struct struct, String path, int depth) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (Field field : struct.schema().fields()) {
            String child = join(path, field.name());
            out.put(field.name(), convert(field.schema(), struct.get(field), child, depth));
        }
        return out;
    }

    private Map<String, AttributeValue> mapAttributes(Map<?, ?> map, String path, int depth) {
        return mapAttributes(map, null, path, depth);
    }

    private Map<String, AttributeValue> mapAttributes(Map<?, ?> map, Schema schema, String path, int depth) {
        Schema valueSchema = schema == null ? null : schema.valueSchema();
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String name = mapKey(e.getKey(), path);
            if (out.put(name, convert(valueSchema, e.getValue(), join(path, name), depth)) != null) {
                // a number or boolean key and a string key that read the same: one value would be lost
                throw new MappingException("map at '" + display(path) + "' has two keys that are both '"
                        + ContentFreeText.name(name) + "' as DynamoDB map keys (strings); one value would be lost");
            }
        }
        return out;
    }

    private static String mapKey(Object key, String path) {
        if (key instanceof String s) {
            return checkName(s, path);
        }
        if (key instanceof Number || key instanceof Boolean) {
            return key.toString();
        }
        throw new MappingException("map at '" + display(path) + "' has a key of type "
                + (key == null ? "null" : key.getClass().getName()) + "; DynamoDB map keys must be strings");
    }

    private Map<String, AttributeValue> jsonObjectAttributes(JsonNode object, String path, int depth) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            out.put(checkName(e.getKey(), path), json(e.getValue(), join(path, e.getKey()), depth));
        }
        return out;
    }

    private AttributeValue json(JsonNode node, String path, int depth) {
        switch (node.getNodeType()) {
            case OBJECT:
                checkDepth(path, depth);
                return AttributeValue.fromM(jsonObjectAttributes(node, path, depth + 1));
            case ARRAY: {
                checkDepth(path, depth);
                List<AttributeValue> out = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    out.add(json(node.get(i), path + "[" + i + "]", depth + 1));
                }
                return AttributeValue.fromL(out);
            }
            case STRING:
                return AttributeValue.fromS(node.textValue());
            case NUMBER:
                if (node.isDouble() || node.isFloat()) {
                    checkFinite(!Double.isFinite(node.doubleValue()), node.doubleValue(), path);
                }
                return number(node.decimalValue(), path);
            case BOOLEAN:
                return AttributeValue.fromBool(node.booleanValue());
            case BINARY:
                try {
                    return AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(node.binaryValue()));
                } catch (java.io.IOException e) {
                    throw new MappingException("attribute '" + display(path) + "' holds unreadable binary data");
                }
            case NULL:
            case MISSING:
                return NULL;
            default:
                throw new MappingException("attribute '" + display(path) + "' has unsupported JSON type " + node.getNodeType());
        }
    }

    /**
     * A map or list at {@code depth} (a top-level attribute is at depth 1) is level {@code depth + 1}, counting the item
     * as level 1, as DynamoDB counts its 32 levels: an item can hold 31 nested maps or lists, not 32.
     */
    private static void checkDepth(String path, int depth) {
        if (depth + 1 > DynamoDbLimits.MAX_NESTING_DEPTH) {
            throw new MappingException("attribute '" + display(path) + "' is nested " + (depth + 1)
                    + " levels deep, counting the item; DynamoDB allows at most " + DynamoDbLimits.MAX_NESTING_DEPTH);
        }
    }

    /** DynamoDB refuses empty attribute names and map keys, and names over 64 KB. */
    private static String checkName(String name, String path) {
        if (name.isEmpty()) {
            throw new MappingException((path.isEmpty() ? "the item" : "map '" + display(path) + "'")
                    + " has an attribute with an empty name; DynamoDB refuses empty attribute names and map keys");
        }
        if (name.length() > DynamoDbLimits.MAX_ATTRIBUTE_NAME_BYTES / 3
                && ItemSize.utf8Length(name) > DynamoDbLimits.MAX_ATTRIBUTE_NAME_BYTES) {
            throw new MappingException((path.isEmpty() ? "the item" : "map '" + display(path) + "'") + " has an "
                    + "attribute name of " + ItemSize.utf8Length(name) + " bytes; DynamoDB allows at most "
                    + DynamoDbLimits.MAX_ATTRIBUTE_NAME_BYTES);
        }
        return name;
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String display(String path) {
        return path.isEmpty() ? "<value>" : ContentFreeText.name(path);
    }
}
