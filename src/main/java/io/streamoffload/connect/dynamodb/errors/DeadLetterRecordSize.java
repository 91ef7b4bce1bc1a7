package io.streamoffload.connect.dynamodb.errors;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * How many bytes Kafka Connect's dead letter queue producer will send for a record: it sends the record as it was
 * consumed, so the consumed record's serialized key, value and headers where the worker exposes them (its
 * {@code InternalSinkRecord}, read reflectively since it is not API), else a count from the converted key and value
 * that is never above what any serialization takes. Empty when neither can tell.
 */
final class DeadLetterRecordSize {
    private static final int MAX_DEPTH = 64;
    private DeadLetterRecordSize() {
    }

    static OptionalLong of(SinkRecord record) {
        ConsumerRecord<?, ?> consumed = ConsumedRecord.of(record).orElse(null);
        if (consumed != null) {
            return OptionalLong.of(Math.max(0, consumed.serializedKeySize()) + Math.max(0, consumed.serializedValueSize())
                    + headerBytes(consumed));
        }
        long converted = atLeast(record.key(), 0) + atLeast(record.value(), 0);
        return converted == 0 ? OptionalLong.empty() : OptionalLong.of(converted);
    }

    /** The bytes of a consumed record's header names and values. */
    static long headerBytes(ConsumerRecord<?, ?> consumed) {
        long headers = 0;
        for (Header header : consumed.headers()) {
            headers += header.key().getBytes(StandardCharsets.UTF_8).length + (header.value() == null ? 0 : header.value().length);
        }
        return headers;
    }

    /**
     * A lower bound of the serialized size of a Connect value: its text and bytes, one byte per other scalar. Values
     * nested deeper than any legal item are not counted, so that a hostile record cannot overflow the stack here.
     */
    private static long atLeast(Object value, int depth) {
        if (value == null || depth > MAX_DEPTH) {
            return 0;
        }
        if (value instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8).length;
        }
        if (value instanceof byte[] bytes) {
            return bytes.length;
        }
        if (value instanceof ByteBuffer buffer) {
            return buffer.remaining();
        }
        if (value instanceof Struct struct) {
            long size = 0;
            for (Field field : struct.schema().fields()) {
                size += atLeast(struct.get(field), depth + 1);
            }
            return size;
        }
        if (value instanceof Map<?, ?> map) {
            long size = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                size += atLeast(e.getKey(), depth + 1) + atLeast(e.getValue(), depth + 1);
            }
            return size;
        }
        if (value instanceof Collection<?> collection) {
            long size = 0;
            for (Object element : collection) {
                size += atLeast(element, depth + 1);
            }
            return size;
        }
        return 1;
    }
}
