package io.streamoffload.connect.dynamodb.offload;

import io.streamoffload.connect.dynamodb.config.FieldPath;
import java.util.Optional;
import org.apache.kafka.connect.data.Schema;

/** The original (unconverted) value of a field of a record, for serializers that need the Connect data itself. */
@FunctionalInterface
public interface FieldSource {
    /** The value at a path, with its schema; empty when the record has no such field. */
    Optional<Value> find(FieldPath path);

    /** A value and its Connect schema (null for schemaless data). */
    record Value(Object value, Schema schema) {
    }
}
