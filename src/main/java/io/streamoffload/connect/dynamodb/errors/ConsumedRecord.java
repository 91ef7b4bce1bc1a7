package io.streamoffload.connect.dynamodb.errors;

import java.lang.reflect.Method;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The record as the worker consumed it, before its converters: the worker's {@code InternalSinkRecord} keeps it
 * ({@code originalRecord()} in 3.x, {@code context().original()} in 4.x). That class is not API, so it is read
 * reflectively; empty on workers or records that do not carry it.
 */
final class ConsumedRecord {
    private ConsumedRecord() {
    }

    static Optional<ConsumerRecord<?, ?>> of(SinkRecord record) {
        try {
            Object original = invoke(record, "originalRecord");
            if (original == null) {
                Object context = invoke(record, "context");
                original = context == null ? null : invoke(context, "original");
            }
            return original instanceof ConsumerRecord<?, ?> consumerRecord ? Optional.of(consumerRecord) : Optional.empty();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    private static Object invoke(Object target, String method) throws ReflectiveOperationException {
        for (Method m : target.getClass().getMethods()) {
            if (m.getName().equals(method) && m.getParameterCount() == 0) {
                return m.invoke(target);
            }
        }
        return null;
    }
}
