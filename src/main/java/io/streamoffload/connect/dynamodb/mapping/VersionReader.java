package io.streamoffload.connect.dynamodb.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamoffload.connect.dynamodb.config.FieldPath;
import io.streamoffload.connect.dynamodb.config.WriteSettings;
import io.streamoffload.connect.dynamodb.offload.FieldSource;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;
import org.apache.kafka.connect.sink.SinkRecord;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Reads a write's version: a numeric field of the record (or of its change event), its offset, or its timestamp. */
final class VersionReader {
    private final WriteSettings.Version spec;
    private final Optional<UnavailableValues> unavailable;

    VersionReader(WriteSettings.Version spec, Optional<UnavailableValues> unavailable) {
        this.spec = spec;
        this.unavailable = unavailable;
    }

    String attribute() {
        return spec.attribute();
    }

    /**
     * @param fields where the record.value source finds its field: the row, or the change event; empty for a
     *               tombstone
     */
    AttributeValue read(SinkRecord record, Optional<FieldSource> fields) {
        return switch (spec.source()) {
            case KAFKA_OFFSET -> AttributeValue.fromN(Long.toString(record.kafkaOffset()));
            case KAFKA_TIMESTAMP -> {
                if (record.timestamp() == null || record.timestamp() < 0) {
                    throw new MappingException("the record has no timestamp, but write.version.source=kafka.timestamp");
                }
                yield AttributeValue.fromN(Long.toString(record.timestamp()));
            }
            case RECORD_VALUE -> fromField(fields);
        };
    }

    private AttributeValue fromField(Optional<FieldSource> fields) {
        FieldPath path = spec.field().orElseThrow();
        Object value = fields.flatMap(f -> f.find(path)).map(FieldSource.Value::value).orElse(null);
        if (value != null && unavailable.isPresent() && unavailable.get().isPlaceholder(value)) {
            throw new MappingException("the version field '" + path + "' holds Debezium's placeholder for a value the "
                    + "change event does not carry (cdc.unavailable.value.placeholder); take the version from the "
                    + "event's source.lsn");
        }
        if (value instanceof JsonNode node) {
            value = node.isNumber() ? node.decimalValue() : node.isTextual() ? node.asText() : node.isNull() ? null : node;
        }
        BigDecimal number;
        if (value == null) {
            throw new MappingException("the record has no version in field '" + path + "' (write.version.field), "
                    + "or it is null");
        } else if (value instanceof BigDecimal decimal) {
            number = decimal;
        } else if (value instanceof BigInteger integer) {
            number = new BigDecimal(integer);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            number = BigDecimal.valueOf(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw new MappingException("the version field '" + path + "' is " + d + ", not a finite number");
            }
            number = BigDecimal.valueOf(d);
        } else if (value instanceof java.util.Date date) {
            number = BigDecimal.valueOf(date.getTime()); // a Connect Timestamp (Avro timestamp-millis): epoch millis
        } else if (value instanceof String text) {
            try {
                number = new BigDecimal(text.trim());
            } catch (NumberFormatException e) {
                throw new MappingException("the version field '" + path + "' is a string that is not a number");
            }
        } else {
            throw new MappingException("the version field '" + path + "' is a " + value.getClass().getSimpleName()
                    + ", not a number");
        }
        return AttributeConverter.number(number, path.toString());
    }
}
