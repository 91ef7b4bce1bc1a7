package io.streamoffload.connect.dynamodb.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Items as plain JSON, the way an application would print them rather than DynamoDB's typed JSON: numbers exact,
 * binary in base64, sets as arrays, maps as objects; offloaded content as the value it was (text, base64 bytes, the
 * JSON document, an Avro record as JSON).
 */
public final class ItemJson {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private ItemJson() {
    }

    public static ObjectNode of(Map<String, AttributeValue> item) {
        ObjectNode node = NODES.objectNode();
        item.forEach((name, value) -> node.set(name, of(value)));
        return node;
    }

    public static JsonNode of(AttributeValue value) {
        return switch (value.type()) {
            case S -> NODES.textNode(value.s());
            case N -> NODES.numberNode(new BigDecimal(value.n()));
            case B -> NODES.textNode(base64(value.b()));
            case BOOL -> NODES.booleanNode(value.bool());
            case NUL -> NODES.nullNode();
            case M -> of(value.m());
            case L -> array(value.l().stream().map(ItemJson::of).toList());
            case SS -> array(value.ss().stream().map(s -> (JsonNode) NODES.textNode(s)).toList());
            case NS -> array(value.ns().stream().map(n -> (JsonNode) NODES.numberNode(new BigDecimal(n))).toList());
            case BS -> array(value.bs().stream().map(b -> (JsonNode) NODES.textNode(base64(b))).toList());
            case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("an attribute type this SDK does not know");
        };
    }

    /** An offloaded field's content, as read back by {@code OffloadedItemReader}. */
    public static JsonNode ofContent(Object content) {
        if (content == null) {
            return NODES.nullNode();
        }
        if (content instanceof String text) {
            return NODES.textNode(text);
        }
        if (content instanceof byte[] bytes) {
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        if (content instanceof JsonNode json) {
            return json;
        }
        if (content instanceof GenericRecord record) {
            try {
                return MAPPER.readTree(GenericData.get().toString(record));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return MAPPER.valueToTree(content);
    }

    /** A key attribute's value as typed on a command line: strings bare, binary in base64. */
    static String keyText(AttributeValue value) {
        if (value == null) {
            return "(missing)";
        }
        return value.s() != null ? value.s() : value.n() != null ? value.n() : value.b() != null ? base64(value.b())
                : of(value).toString();
    }

    private static ArrayNode array(java.util.List<JsonNode> elements) {
        ArrayNode array = NODES.arrayNode();
        array.addAll(elements);
        return array;
    }

    private static String base64(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe());
    }
}
