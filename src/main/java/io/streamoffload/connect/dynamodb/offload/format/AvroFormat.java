package io.streamoffload.connect.dynamodb.offload.format;

import io.streamoffload.connect.dynamodb.offload.FieldSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.connect.data.Schema;

/**
 * An Avro object container file holding one datum, with the writer schema (derived from the Connect schema) in its
 * header, so that any Avro library or {@code avro-tools} reads it without this connector. The container's sync
 * marker is derived from the content, not random, so that equal values give equal bytes.
 */
public final class AvroFormat implements FieldSerializer {
    @Override
    public String format() {
        return "avro";
    }

    @Override
    public String extension() {
        return "avro";
    }

    @Override
    public String contentType() {
        return "avro/binary";
    }

    @Override
    public byte[] serialize(Object value, Schema schema) {
        if (schema == null) {
            throw new IllegalArgumentException("the avro format needs a value with a Connect schema "
                    + "(e.g. JsonConverter with schemas, or an Avro converter)");
        }
        try {
            org.apache.avro.Schema avroSchema = AvroSchemas.toAvro(schema);
            Object datum = AvroSchemas.toAvroValue(schema, avroSchema, value);
            GenericDatumWriter<Object> datumWriter = new GenericDatumWriter<>(avroSchema);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (DataFileWriter<Object> file = new DataFileWriter<>(datumWriter)) {
                file.create(avroSchema, out, syncMarker(avroSchema, datumWriter, datum));
                file.append(datum);
            }
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot write Avro: " + e.getMessage(), e);
        }
    }

    @Override
    public Object deserialize(byte[] bytes) {
        try (DataFileReader<Object> reader = new DataFileReader<>(new SeekableByteArrayInput(bytes), new GenericDatumReader<>())) {
            return reader.hasNext() ? reader.next() : null;
        } catch (IOException e) {
            throw new IllegalArgumentException("stored Avro is not readable: " + e.getMessage(), e);
        }
    }

    private static byte[] syncMarker(org.apache.avro.Schema schema, GenericDatumWriter<Object> writer, Object datum)
            throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(body, null);
        writer.write(datum, encoder);
        encoder.flush();
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(schema.toString().getBytes(StandardCharsets.UTF_8));
            sha.update(body.toByteArray());
            return Arrays.copyOf(sha.digest(), 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
