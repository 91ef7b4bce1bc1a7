package io.streamoffload.connect.dynamodb.offload.format;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.LogicalTypes;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/** Connect schemas and values to Avro: names sanitised, optional values as unions with null, logical types kept. */
final class AvroSchemas {
    private static final String NAMESPACE = "io.streamoffload.offload";
    private static final int DEFAULT_DECIMAL_PRECISION = 38;

    private AvroSchemas() {
    }

    static org.apache.avro.Schema toAvro(Schema schema) {
        return toAvro(schema, schema.name() != null ? simpleName(schema.name()) : "Value");
    }

    private static org.apache.avro.Schema toAvro(Schema schema, String defaultName) {
        org.apache.avro.Schema plain = plainAvro(schema, defaultName);
        return schema.isOptional() ? org.apache.avro.Schema.createUnion(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.NULL), plain) : plain;
    }

    private static org.apache.avro.Schema plainAvro(Schema schema, String defaultName) {
        String logical = schema.name();
        if (Decimal.LOGICAL_NAME.equals(logical)) {
            int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
            int precision = Integer.parseInt(schema.parameters().getOrDefault("connect.decimal.precision",
                    Integer.toString(DEFAULT_DECIMAL_PRECISION)));
            return LogicalTypes.decimal(precision, scale).addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BYTES));
        }
        if (org.apache.kafka.connect.data.Date.LOGICAL_NAME.equals(logical)) {
            return LogicalTypes.date().addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT));
        }
        if (org.apache.kafka.connect.data.Time.LOGICAL_NAME.equals(logical)) {
            return LogicalTypes.timeMillis().addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT));
        }
        if (org.apache.kafka.connect.data.Timestamp.LOGICAL_NAME.equals(logical)) {
            return LogicalTypes.timestampMillis().addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG));
        }
        switch (schema.type()) {
            case INT8:
            case INT16:
            case INT32:
                return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT);
            case INT64:
                return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG);
            case FLOAT32:
                return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.FLOAT);
            case FLOAT64:
                return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.DOUBLE);
            case BOOLEAN:
                return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BOOLEAN);
            case STRING:
                return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.STRING);
            case BYTES:
                return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BYTES);
            case ARRAY:
                return org.apache.avro.Schema.createArray(toAvro(schema.valueSchema(), defaultName + "_item"));
            case MAP:
                if (schema.keySchema().type() == Schema.Type.STRING && !schema.keySchema().isOptional()) {
                    return org.apache.avro.Schema.createMap(toAvro(schema.valueSchema(), defaultName + "_value"));
                }
                return org.apache.avro.Schema.createArray(SchemaBuilder.record(sanitize(defaultName + "_entry")).namespace(NAMESPACE)
                        .fields()
                        .name("key").type(toAvro(schema.keySchema(), defaultName + "_key")).noDefault()
                        .name("value").type(toAvro(schema.valueSchema(), defaultName + "_value")).noDefault()
                        .endRecord());
            case STRUCT: {
                // names follow the field path, so nested records never clash; the Connect name is kept as doc
                String name = sanitize(defaultName);
                SchemaBuilder.FieldAssembler<org.apache.avro.Schema> fields = SchemaBuilder.record(name)
                        .namespace(NAMESPACE).doc(schema.name()).fields();
                for (Field field : schema.fields()) {
                    fields = fields.name(sanitize(field.name())).type(toAvro(field.schema(),
                            name + "_" + sanitize(field.name()))).noDefault();
                }
                return fields.endRecord();
            }
            default:
                throw new IllegalArgumentException("the avro format cannot hold Connect type " + schema.type());
        }
    }

    static Object toAvroValue(Schema schema, org.apache.avro.Schema avro, Object value) {
        if (value == null) {
            return null;
        }
        org.apache.avro.Schema target = avro.getType() == org.apache.avro.Schema.Type.UNION ? avro.getTypes().get(1) : avro;
        String logical = schema.name();
        if (Decimal.LOGICAL_NAME.equals(logical)) {
            int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
            return ByteBuffer.wrap(((BigDecimal) value).setScale(scale, RoundingMode.UNNECESSARY).unscaledValue().toByteArray());
        }
        if (org.apache.kafka.connect.data.Date.LOGICAL_NAME.equals(logical)) {
            return (int) TimeUnit.MILLISECONDS.toDays(((Date) value).getTime());
        }
        if (org.apache.kafka.connect.data.Time.LOGICAL_NAME.equals(logical)) {
            return (int) ((Date) value).getTime();
        }
        if (org.apache.kafka.connect.data.Timestamp.LOGICAL_NAME.equals(logical)) {
            return ((Date) value).getTime();
        }
        switch (schema.type()) {
            case INT8:
                return ((Byte) value).intValue();
            case INT16:
                return ((Short) value).intValue();
            case BYTES:
                return value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : value;
            case ARRAY: {
                List<Object> out = new ArrayList<>();
                for (Object element : (Collection<?>) value) {
                    out.add(toAvroValue(schema.valueSchema(), target.getElementType(), element));
                }
                return new GenericData.Array<>(target, out);
            }
            case MAP: {
                Map<?, ?> map = (Map<?, ?>) value;
                if (target.getType() == org.apache.avro.Schema.Type.MAP) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    map.forEach((k, v) -> out.put((String) k, toAvroValue(schema.valueSchema(), target.getValueType(), v)));
                    return out;
                }
                org.apache.avro.Schema entry = target.getElementType();
                List<Object> out = new ArrayList<>();
                map.forEach((k, v) -> {
                    GenericData.Record record = new GenericData.Record(entry);
                    record.put("key", toAvroValue(schema.keySchema(), entry.getField("key").schema(), k));
                    record.put("value", toAvroValue(schema.valueSchema(), entry.getField("value").schema(), v));
                    out.add(record);
                });
                return new GenericData.Array<>(target, out);
            }
            case STRUCT: {
                Struct struct = (Struct) value;
                GenericData.Record record = new GenericData.Record(target);
                for (Field field : schema.fields()) {
                    org.apache.avro.Schema.Field avroField = target.getField(sanitize(field.name()));
                    record.put(avroField.pos(), toAvroValue(field.schema(), avroField.schema(), struct.get(field)));
                }
                return record;
            }
            default:
                return value;
        }
    }

    /** Avro names: [A-Za-z_][A-Za-z0-9_]*. */
    static String sanitize(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (i > 0 && c >= '0' && c <= '9');
            out.append(ok ? c : '_');
        }
        return out.length() == 0 ? "_" : out.toString();
    }

    private static String simpleName(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(dot + 1);
    }

}
