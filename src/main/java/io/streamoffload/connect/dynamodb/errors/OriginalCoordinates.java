package io.streamoffload.connect.dynamodb.errors;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The topic, partition and offset a record was consumed at, even if a transform changed them.
 * {@code SinkRecord.original*()} appeared in Kafka 3.6; older workers fall back to the record's own coordinates.
 */
public final class OriginalCoordinates {
    private static final boolean HAS_ORIGINALS = detect();

    private OriginalCoordinates() {
    }

    public static String topic(SinkRecord record) {
        return HAS_ORIGINALS ? record.originalTopic() : record.topic();
    }

    public static int partition(SinkRecord record) {
        Integer partition = HAS_ORIGINALS ? record.originalKafkaPartition() : record.kafkaPartition();
        return partition == null ? -1 : partition;
    }

    public static long offset(SinkRecord record) {
        return HAS_ORIGINALS ? record.originalKafkaOffset() : record.kafkaOffset();
    }

    /** The coordinates as the S3 object metadata of what the record stored: source-topic, -partition, -offset. */
    public static Map<String, String> asMetadata(SinkRecord record) {
        Map<String, String> meta = new HashMap<>();
        meta.put("source-topic", topic(record));
        meta.put("source-partition", Integer.toString(partition(record)));
        meta.put("source-offset", Long.toString(offset(record)));
        return meta;
    }

    private static boolean detect() {
        try {
            SinkRecord.class.getMethod("originalKafkaOffset");
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
