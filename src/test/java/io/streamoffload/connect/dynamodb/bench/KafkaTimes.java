package io.streamoffload.connect.dynamodb.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** When Debezium's events reached Kafka: their records' timestamps, by the sequence number their row was set to. */
final class KafkaTimes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KafkaTimes() {
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The end of a one-partition topic now: where the next event will be. */
    static long endOffset(String bootstrapServers, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            return consumer.endOffsets(List.of(partition)).get(partition);
        }
    }

    /** From {@code from} to the end of the topic: each change event's row's {@code seq}, and its record's timestamp. */
    static Map<Long, Long> bySequence(String bootstrapServers, String topic, long from) throws IOException {
        Map<Long, Long> times = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seek(partition, from);
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() == null) {
                        continue;
                    }
                    JsonNode seq = JSON.readTree(record.value()).path("payload").path("after").path("seq");
                    if (seq.isIntegralNumber()) {
                        times.put(seq.longValue(), record.timestamp());
                    }
                }
            }
        }
        return times;
    }
}
