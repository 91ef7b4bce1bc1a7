package io.streamoffload.connect.dynamodb.testutil;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;

/**
 * A converter for Avro binary values written with one known schema (given as {@code schema}), producing Connect
 * Structs with schemas as a registry-backed Avro converter does; Maven Central has no such converter to run here.
 * Records become Structs, {@code [null, T]} unions optional T; enough for Debezium's envelope.
 */
public final class AvroTestConverter implements Converter {
    private org.apache.avro.Schema avro;
    private Schema connect;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        avro = new org.apache.avro.Schema.Parser().parse((String) configs.get("schema"));
        connect = toConnect(avro, false);
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        throw new UnsupportedOperationException("a sink-side converter only");
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        if (value == null) {
            return SchemaAndValue.NULL;
        }
        try {
            GenericRecord record = new GenericDatumReader<GenericRecord>(avro)
                    .read(null, DecoderFactory.get().binaryDecoder(value, null));
            return new SchemaAndValue(connect, toConnect(connect, record));
        } catch (IOException e) {
            throw new DataException("not Avro of the configured schema", e);
        }
    }

    private static Schema toConnect(org.apache.avro.Schema schema, boolean optional) {
        if (schema.getType() == org.apache.avro.Schema.Type.UNION) {
            return toConnect(schema.getTypes().stream()
                    .filter(t -> t.getType() != org.apache.avro.Schema.Type.NULL).findFirst().orElseThrow(), true);
        }
        SchemaBuilder builder = switch (schema.getType()) {
            case RECORD -> {
                SchemaBuilder struct = SchemaBuilder.struct().name(schema.getFullName());
                schema.getFields().forEach(f -> struct.field(f.name(), toConnect(f.schema(), false)));
                yield struct;
            }
            case STRING -> SchemaBuilder.string();
            case INT -> SchemaBuilder.int32();
            case LONG -> SchemaBuilder.int64();
            case BOOLEAN -> SchemaBuilder.bool();
            case DOUBLE -> SchemaBuilder.float64();
            case BYTES -> SchemaBuilder.bytes();
            default -> throw new IllegalArgumentException("not needed here: " + schema.getType());
        };
        return optional ? builder.optional().build() : builder.build();
    }

    private static Object toConnect(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        return switch (schema.type()) {
            case STRUCT -> {
                GenericRecord record = (GenericRecord) value;
                Struct struct = new Struct(schema);
                schema.fields().forEach(f -> struct.put(f, toConnect(f.schema(), record.get(f.name()))));
                yield struct;
            }
            case STRING -> value.toString();
            case BYTES -> {
                ByteBuffer buffer = ((ByteBuffer) value).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                yield bytes;
            }
            default -> value;
        };
    }
}
