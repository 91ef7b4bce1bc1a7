package io.streamoffload.connect.dynamodb.errors;

import org.apache.kafka.common.TopicPartition;
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

    /** The partition the record was consumed from, as the worker's offsets name it. */
    public static TopicPartition topicPartition(SinkRecord record) {
        return new TopicPartition(topic(record), partition(record));
    }

    /** How records are named in messages: {@code record topic/partition/offset}, as the worker consumed them. */
    public static String describe(SinkRecord record) {
        return "record " + topic(record) + "/" + partition(record) + "/" + offset(record);
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
