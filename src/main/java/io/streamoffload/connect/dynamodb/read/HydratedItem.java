package io.streamoffload.connect.dynamodb.read;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item with its offloaded fields read back: {@link #item()} is the item as stored (with pointers), and
 * {@link #offloaded()} maps each offloaded field's dotted path to its value: a String (text), byte[] (binary),
 * JsonNode (json), GenericRecord (avro) or what a custom serializer returns.
 */
public record HydratedItem(Map<String, AttributeValue> item, Map<String, Object> offloaded) {
    public HydratedItem {
        item = Map.copyOf(item);
        offloaded = Map.copyOf(offloaded);
    }

    public Object get(String path) {
        Object value = offloaded.get(path);
        if (value == null) {
            throw new IllegalArgumentException("field '" + path + "' was not offloaded; offloaded fields: " + offloaded.keySet());
        }
        return value;
    }

    public String text(String path) {
        return (String) get(path);
    }

    public byte[] bytes(String path) {
        return (byte[]) get(path);
    }

    public JsonNode json(String path) {
        return (JsonNode) get(path);
    }

    public GenericRecord avro(String path) {
        return (GenericRecord) get(path);
    }
}
