package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The size of a write request as it travels in a BatchWriteItem call: DynamoDB JSON, where every value is wrapped in a
 * type tag, binary is base64 and numbers are quoted text. DynamoDB's 16 MB limit applies to this, not to the stored
 * size: an item of many small numbers takes about three times as many bytes on the wire. Counted from above (every
 * control character as a six-byte escape), so that a batch cut by it is never refused for size.
 */
final class WireSize {
    /** {@code {"PutRequest":{"Item":}}} plus the comma that separates requests. */
    private static final int PUT_ENVELOPE = 24;
    /** {@code {"DeleteRequest":{"Key":}}} plus the comma that separates requests. */
    private static final int DELETE_ENVELOPE = 26;
    /** {@code {"X":}} around a value, with a one-letter type tag. */
    private static final int TYPE_TAG = 6;

    private WireSize() {
    }

    /**
     * A bound from the stored size, known without looking at the item: no value takes more than 32 times its stored
     * bytes on the wire (the worst are tiny numbers in plain notation and empty strings, whose stored size is mostly
     * the attribute name), plus the request's envelope. Cheap; exact sizes are only needed near the 16 MB limit.
     */
    static long atMost(WriteOperation op) {
        return op.bytes() * 32 + 256;
    }

    static long of(WriteOperation op) {
        return op.isDelete() ? DELETE_ENVELOPE + of(op.key()) : PUT_ENVELOPE + of(op.item());
    }

    static long of(Map<String, AttributeValue> attributes) {
        long size = 2 + Math.max(0, attributes.size() - 1); // braces and commas
        for (Map.Entry<String, AttributeValue> e : attributes.entrySet()) {
            size += string(e.getKey()) + 1 + of(e.getValue());
        }
        return size;
    }

    static long of(AttributeValue value) {
        if (value.s() != null) {
            return TYPE_TAG + string(value.s());
        }
        if (value.n() != null) {
            return TYPE_TAG + 2 + value.n().length();
        }
        if (value.b() != null) {
            return TYPE_TAG + base64(value.b());
        }
        if (value.bool() != null) {
            return TYPE_TAG + 3 + 5; // {"BOOL":false}
        }
        if (value.nul() != null) {
            return TYPE_TAG + 3 + 4; // {"NULL":true}
        }
        if (value.hasM()) {
            return TYPE_TAG + of(value.m());
        }
        if (value.hasL()) {
            long size = TYPE_TAG + 2 + Math.max(0, value.l().size() - 1);
            for (AttributeValue element : value.l()) {
                size += of(element);
            }
            return size;
        }
        if (value.hasSs()) {
            return TYPE_TAG + 1 + 2 + value.ss().stream().mapToLong(s -> string(s) + 1).sum();
        }
        if (value.hasNs()) {
            return TYPE_TAG + 1 + 2 + value.ns().stream().mapToLong(n -> n.length() + 3).sum();
        }
        if (value.hasBs()) {
            List<SdkBytes> bs = value.bs();
            return TYPE_TAG + 1 + 2 + bs.stream().mapToLong(b -> base64(b) + 1).sum();
        }
        return TYPE_TAG + 4;
    }

    /**
     * A JSON string with its quotes, as the SDK writes it: UTF-8, with quotes and backslashes escaped, control
     * characters and surrogates as \\uXXXX.
     */
    static long string(String s) {
        long bytes = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                bytes += 2;
            } else if (c < 0x20) {
                bytes += 6;
            } else if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isSurrogate(c)) {
                bytes += 6; // the SDK writes characters beyond the BMP as two \\uXXXX escapes
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static long base64(SdkBytes bytes) {
        long n = bytes.asByteArrayUnsafe().length;
        return 2 + 4 * ((n + 2) / 3);
    }
}
