package io.streamoffload.connect.dynamodb.testutil;

import io.streamoffload.connect.dynamodb.offload.FieldSerializer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.connect.data.Schema;

/** A custom format for tests: text stored reversed, so a round trip proves the custom code ran both ways. */
public final class ReversedTextFormat implements FieldSerializer {
    @Override
    public String format() {
        return "reversed-text";
    }

    @Override
    public String extension() {
        return "rtxt";
    }

    @Override
    public String contentType() {
        return "text/plain";
    }

    @Override
    public byte[] serialize(Object value, Schema schema) {
        return new StringBuilder(String.valueOf(value)).reverse().toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Object deserialize(byte[] bytes) {
        return new StringBuilder(new String(bytes, StandardCharsets.UTF_8)).reverse().toString();
    }
}
