package io.streamoffload.connect.dynamodb.offload.store;

import io.streamoffload.connect.dynamodb.errors.OriginalCoordinates;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The user metadata every object the connector stores carries ({@code x-amz-meta-*}): a public contract, read by
 * {@code OffloadedItemReader.readUri} to verify a bare URI, and by the lifecycle tool to say where a parked dead letter
 * came from. Documented in docs/offload.md and docs/guarantees.md.
 */
public final class ObjectMetadata {
    /** Hex SHA-256 of the uncompressed content, the same as the key's fingerprint. */
    public static final String SHA256 = "content-sha256";
    public static final String UNCOMPRESSED_SIZE = "uncompressed-size";
    public static final String CODEC = "codec";
    public static final String FORMAT = "format";
    /** Where the record that stored the object was consumed (before transforms), for people tracing an object back. */
    public static final String SOURCE_TOPIC = "source-topic";
    public static final String SOURCE_PARTITION = "source-partition";
    public static final String SOURCE_OFFSET = "source-offset";

    private ObjectMetadata() {
    }

    /** The source coordinates of {@code record}, as a map the caller may add to. */
    public static Map<String, String> sourceOf(SinkRecord record) {
        Map<String, String> meta = new HashMap<>();
        meta.put(SOURCE_TOPIC, OriginalCoordinates.topic(record));
        meta.put(SOURCE_PARTITION, Integer.toString(OriginalCoordinates.partition(record)));
        meta.put(SOURCE_OFFSET, Long.toString(OriginalCoordinates.offset(record)));
        return meta;
    }
}
