package io.streamoffload.connect.dynamodb.offload.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamoffload.connect.dynamodb.offload.FieldSerializer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.connect.data.Schema;

/** UTF-8 text, as pynamodb_mate's S3BackedBigTextAttribute stores it. */
public final class TextFormat implements FieldSerializer {
    @Override
    public String format() {
        return "text";
    }

    @Override
    public String extension() {
        return "txt";
    }

    @Override
    public String contentType() {
        return "text/plain; charset=utf-8";
    }

    @Override
    public byte[] serialize(Object value, Schema schema) {
        if (value instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        if (value instanceof JsonNode node && node.isTextual()) {
            return node.textValue().getBytes(StandardCharsets.UTF_8);
        }
        throw new IllegalArgumentException("the text format needs a string, not " + Formats.describe(value));
    }

    @Override
    public Object deserialize(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
