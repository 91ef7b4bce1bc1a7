package io.streamoffload.connect.dynamodb.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamoffload.connect.dynamodb.config.WriteSettings;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Recognises Debezium's placeholder for a column value a change event does not carry (with PostgreSQL's default
 * replica identity, each large column an UPDATE leaves alone), in every form Debezium's PostgreSQL connector gives it:
 * the text for text, json and jsonb columns; its bytes for bytea (or their base64, URL-safe base64 or hex text: JSON
 * without a schema, or Debezium's binary.handling.mode); a
 * one-element array of the text (text arrays) or of its name-based UUID (uuid arrays); an array with one element per
 * byte (integer arrays); and a one-entry map from the text to itself (hstore, or that map as JSON text).
 */
public final class UnavailableValues {
    private final String text;
    private final byte[] bytes;
    private final String base64;
    private final String base64UrlSafe;
    private final String hex;
    private final String uuid;
    private final String hstoreJson;

    public UnavailableValues(WriteSettings.Unavailable settings) {
        this.bytes = settings.bytes();
        this.text = settings.text();
        this.base64 = Base64.getEncoder().encodeToString(bytes);
        this.base64UrlSafe = Base64.getUrlEncoder().encodeToString(bytes);
        this.hex = java.util.HexFormat.of().formatHex(bytes);
        this.uuid = UUID.nameUUIDFromBytes(bytes).toString();
        this.hstoreJson = "{\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\":\""
                + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    }

    /** The columns of a row (a Struct, a Map or a JSON object) whose value is the placeholder, in row order. */
    public Set<String> columnsOf(Object row) {
        Set<String> columns = new LinkedHashSet<>(0);
        if (row instanceof Struct struct) {
            for (Field field : struct.schema().fields()) {
                if (isPlaceholder(struct.get(field))) {
                    columns.add(field.name());
                }
            }
        } else if (row instanceof Map<?, ?> map) {
            map.forEach((name, value) -> {
                if (isPlaceholder(value)) {
                    columns.add(String.valueOf(name));
                }
            });
        } else if (row instanceof JsonNode node && node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (isPlaceholder(field.getValue())) {
                    columns.add(field.getKey());
                }
            });
        }
        return columns;
    }

    /** Whether one column value is the placeholder, in any of its forms. */
    public boolean isPlaceholder(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof String s) {
            return isText(s);
        }
        if (value instanceof byte[] b) {
            return Arrays.equals(b, bytes);
        }
        if (value instanceof ByteBuffer buffer) {
            return buffer.remaining() == bytes.length && buffer.duplicate().equals(ByteBuffer.wrap(bytes));
        }
        if (value instanceof Collection<?> list) {
            return isArrayPlaceholder(list.size(), list.iterator());
        }
        if (value instanceof Map<?, ?> map) {
            return map.size() == 1 && map.entrySet().stream()
                    .allMatch(e -> text.equals(e.getKey()) && text.equals(e.getValue()));
        }
        if (value instanceof JsonNode node) {
            return isJsonPlaceholder(node);
        }
        return false;
    }

    /** Whether an attribute about to be written is the placeholder: an S or B attribute, as a key would hold it. */
    public boolean isPlaceholder(AttributeValue attribute) {
        return attribute.s() != null ? isText(attribute.s())
                : attribute.b() != null && Arrays.equals(attribute.b().asByteArrayUnsafe(), bytes);
    }

    private boolean isText(String s) {
        int length = s.length();
        return length == text.length() && s.equals(text)
                || length == base64.length() && (s.equals(base64) || s.equals(base64UrlSafe))
                || length == hex.length() && s.equalsIgnoreCase(hex)
                || length == hstoreJson.length() && s.equals(hstoreJson);
    }

    private boolean isJsonPlaceholder(JsonNode node) {
        if (node.isTextual()) {
            return isText(node.textValue());
        }
        if (node.isArray()) {
            return isArrayPlaceholder(node.size(), node.elements());
        }
        if (node.isObject() && node.size() == 1) {
            JsonNode only = node.get(text);
            return only != null && only.isTextual() && text.equals(only.textValue());
        }
        return false;
    }

    /** One element holding the text (or its UUID, or its bytes), or one number per byte of the placeholder. */
    private boolean isArrayPlaceholder(int size, Iterator<?> elements) {
        if (size == 1) {
            Object only = elements.next();
            Object element = only instanceof JsonNode node && node.isTextual() ? node.textValue() : only;
            return element instanceof String s ? s.equals(text) || s.equals(uuid)
                    : element instanceof UUID id ? id.toString().equals(uuid)
                    : (element instanceof byte[] || element instanceof ByteBuffer) && isPlaceholder(element);
        }
        if (size != bytes.length) {
            return false;
        }
        for (byte b : bytes) {
            Object element = elements.next();
            long n;
            if (element instanceof Number number) {
                n = number.longValue();
            } else if (element instanceof JsonNode node && node.isIntegralNumber()) {
                n = node.longValue();
            } else {
                return false;
            }
            if (n != b) {
                return false;
            }
        }
        return true;
    }
}
