package io.streamoffload.connect.dynamodb.mapping;

import io.streamoffload.connect.dynamodb.config.FieldPath;
import io.streamoffload.connect.dynamodb.config.KeySpec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.sink.SinkRecord;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Derives one key attribute from a record and checks it against DynamoDB's key rules. */
public final class KeyExtractor {
    private final KeySpec spec;
    private final AttributeConverter converter;
    private final Optional<UnavailableValues> unavailable;

    public KeyExtractor(KeySpec spec, AttributeConverter converter) {
        this(spec, converter, Optional.empty());
    }

    /** @param unavailable Debezium's placeholder for a value a change event does not carry, which no key may hold */
    public KeyExtractor(KeySpec spec, AttributeConverter converter, Optional<UnavailableValues> unavailable) {
        this.spec = spec;
        this.converter = converter;
        this.unavailable = unavailable;
    }

    public KeySpec spec() {
        return spec;
    }

    /**
     * The key attribute value.
     *
     * @param record the record
     * @param item   the record value already converted to attributes, or null for a tombstone
     */
    public AttributeValue extract(SinkRecord record, Map<String, AttributeValue> item) {
        AttributeValue raw = switch (spec.source()) {
            case KAFKA_TOPIC -> AttributeValue.fromS(record.topic());
            case KAFKA_PARTITION -> AttributeValue.fromN(String.valueOf(record.kafkaPartition()));
            case KAFKA_OFFSET -> AttributeValue.fromN(Long.toString(record.kafkaOffset()));
            case RECORD_KEY -> fromRecordKey(record);
            case RECORD_VALUE -> fromValue(item);
        };
        if (unavailable.isPresent() && unavailable.get().isPlaceholder(raw)) {
            throw new MappingException(spec.describe() + " holds Debezium's placeholder for a value the change event "
                    + "does not carry (cdc.unavailable.value.placeholder), so the item it names is unknown; give the "
                    + "table REPLICA IDENTITY FULL, or take the key from a column that is never left out");
        }
        return checkLimits(coerce(raw));
    }

    private AttributeValue fromRecordKey(SinkRecord record) {
        if (record.key() == null) {
            throw new MappingException("the record key is null, but " + spec.describe() + " is taken from it");
        }
        AttributeValue key = converter.convert(record.keySchema(), record.key(), "<key>");
        if (spec.field().isEmpty()) {
            if (key.hasM() || key.hasL()) {
                throw new MappingException("the record key is a " + (key.hasM() ? "struct/map" : "list")
                        + "; name the field that holds " + spec.describe() + " with key." + kind() + ".field");
            }
            return key;
        }
        if (!key.hasM()) {
            throw new MappingException("the record key is not a struct or map, so it has no field '"
                    + spec.field().get() + "' for " + spec.describe());
        }
        return navigate(key.m(), spec.field().get(), "record key");
    }

    private AttributeValue fromValue(Map<String, AttributeValue> item) {
        if (item == null) {
            throw new MappingException("the record value is null, but " + spec.describe() + " is taken from it");
        }
        return navigate(item, spec.field().orElseThrow(), "record value");
    }

    private AttributeValue navigate(Map<String, AttributeValue> root, FieldPath path, String where) {
        Map<String, AttributeValue> current = root;
        AttributeValue value = null;
        int i = 0;
        for (String segment : path.segments()) {
            if (current == null || !current.containsKey(segment)) {
                throw new MappingException("the " + where + " has no field '" + path + "' for " + spec.describe());
            }
            value = current.get(segment);
            current = ++i < path.segments().size() && value.hasM() ? value.m() : null;
        }
        return value;
    }

    private AttributeValue coerce(AttributeValue value) {
        if (Boolean.TRUE.equals(value.nul())) {
            throw new MappingException(spec.describe() + " is null; DynamoDB keys must have a value");
        }
        return switch (spec.type()) {
            case S -> {
                if (value.s() != null) {
                    yield value;
                }
                if (value.n() != null) {
                    yield AttributeValue.fromS(value.n());
                }
                if (value.bool() != null) {
                    yield AttributeValue.fromS(value.bool().toString());
                }
                throw wrongType(value, "a string");
            }
            case N -> {
                if (value.n() != null) {
                    yield value;
                }
                if (value.s() != null) {
                    try {
                        yield AttributeConverter.number(new BigDecimal(value.s().trim()), spec.attribute());
                    } catch (NumberFormatException e) {
                        throw new MappingException(spec.describe() + " is a string of " + value.s().length()
                                + " characters that is not a number");
                    }
                }
                throw wrongType(value, "a number");
            }
            case B -> {
                if (value.b() != null) {
                    yield value;
                }
                if (value.s() != null) {
                    yield AttributeValue.fromB(SdkBytes.fromString(value.s(), StandardCharsets.UTF_8));
                }
                throw wrongType(value, "binary data");
            }
        };
    }

    private AttributeValue checkLimits(AttributeValue value) {
        long bytes = value.s() != null ? ItemSize.utf8Length(value.s())
                : value.b() != null ? value.b().asByteArrayUnsafe().length
                : value.n().length();
        if (bytes == 0) {
            throw new MappingException(spec.describe() + " is empty; DynamoDB keys must not be empty");
        }
        if (bytes > spec.maxBytes()) {
            throw new MappingException(spec.describe() + " is " + bytes + " bytes; DynamoDB allows at most "
                    + spec.maxBytes() + " bytes for a " + kind() + " key");
        }
        return value;
    }

    private MappingException wrongType(AttributeValue value, String expected) {
        String actual = value.hasM() ? "a map" : value.hasL() ? "a list" : value.b() != null ? "binary data"
                : value.bool() != null ? "a boolean" : value.n() != null ? "a number" : "another type";
        return new MappingException(spec.describe() + " must be " + expected + " but the record holds " + actual);
    }

    private String kind() {
        return spec.role().label();
    }
}
