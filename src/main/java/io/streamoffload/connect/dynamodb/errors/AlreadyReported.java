package io.streamoffload.connect.dynamodb.errors;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The bad records reported during a put() that then asked Kafka Connect for a redelivery: the same records come back,
 * and must not be dead-lettered twice. Cleared once a put() goes through; forgotten for partitions the task loses.
 */
public final class AlreadyReported {
    private final Map<TopicPartition, Set<Long>> offsets = new HashMap<>();

    public void add(SinkRecord record) {
        offsets.computeIfAbsent(OriginalCoordinates.topicPartition(record), p -> new HashSet<>())
                .add(OriginalCoordinates.offset(record));
    }

    public boolean contains(SinkRecord record) {
        if (offsets.isEmpty()) {
            return false; // almost always: no partition to look the record up in
        }
        return offsets.getOrDefault(OriginalCoordinates.topicPartition(record), Set.of())
                .contains(OriginalCoordinates.offset(record));
    }

    public void clear() {
        offsets.clear();
    }

    public void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(offsets::remove);
    }
}
