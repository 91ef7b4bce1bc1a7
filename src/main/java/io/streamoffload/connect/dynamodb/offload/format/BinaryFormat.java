package io.streamoffload.connect.dynamodb.offload.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamoffload.connect.dynamodb.offload.FieldSerializer;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.kafka.connect.data.Schema;

/** Raw bytes, as pynamodb_mate's S3BackedBigBinaryAttribute stores them. */
public final class BinaryFormat implements FieldSerializer {
    @Override
    public String format() {
        return "binary";
    }

    @Override
    public String extension() {
        return "bin";
    }

    @Override
    public String contentType() {
        return "application/octet-stream";
    }

    @Override
    public byte[] serialize(Object value, Schema schema) {
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return bytes;
        }
        if (value instanceof JsonNode node && node.isBinary()) {
            try {
                return node.binaryValue();
            } catch (IOException e) {
                throw new IllegalArgumentException("unreadable binary JSON node", e);
            }
        }
        throw new IllegalArgumentException("the binary format needs bytes, not " + Formats.describe(value));
    }

    @Override
    public Object deserialize(byte[] bytes) {
        return bytes;
    }
}
