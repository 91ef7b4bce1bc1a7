package io.streamoffload.connect.dynamodb.offload;

import org.apache.kafka.connect.data.Schema;

/**
 * Turns a field value into the bytes stored in S3, and back. The built-in formats are {@code text}, {@code binary},
 * {@code json} and {@code avro}; a custom one is a public class with a no-argument constructor implementing this
 * interface, named by its class name in {@code offload.fields} (pynamodb_mate's {@code user_serializer} /
 * {@code user_deserializer}, for a stream).
 *
 * <p>Equal values must serialize to equal bytes: the S3 key is derived from the SHA-256 of these bytes, so that
 * each distinct content is stored once.
 */
public interface FieldSerializer {

    /** The format name written into pointers, e.g. {@code json}; a custom format should use a distinctive name. */
    String format();

    /** The file extension used for {@code {ext}} in object keys, without a dot, e.g. {@code json}. */
    String extension();

    /** The Content-Type of the stored object before compression. */
    String contentType();

    /**
     * Serializes a field value as Kafka Connect presents it: a Struct, Map, List, String, byte[], number, boolean,
     * a logical-type value, or a Jackson {@code JsonNode} for values read from JSON strings.
     *
     * @param value  the value, never null
     * @param schema its Connect schema, or null for schemaless data
     * @throws IllegalArgumentException with a reason when this format cannot hold the value
     */
    byte[] serialize(Object value, Schema schema);

    /** Reads bytes written by {@link #serialize} back into a Java value, for the reader API. */
    Object deserialize(byte[] bytes);
}
