package io.streamoffload.connect.dynamodb.config;

import java.util.Arrays;
import java.util.Locale;

/** Where a key attribute's value comes from. */
public enum KeySource {
    RECORD_KEY("record.key"),
    RECORD_VALUE("record.value"),
    KAFKA_TOPIC("kafka.topic"),
    KAFKA_PARTITION("kafka.partition"),
    KAFKA_OFFSET("kafka.offset");

    private final String configValue;

    KeySource(String configValue) {
        this.configValue = configValue;
    }

    public String configValue() {
        return configValue;
    }

    /** Whether the value is a Kafka coordinate rather than record content. */
    public boolean isKafkaCoordinate() {
        return this == KAFKA_TOPIC || this == KAFKA_PARTITION || this == KAFKA_OFFSET;
    }

    public static KeySource fromConfig(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(s -> s.configValue.equals(v))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown key source: " + value));
    }

    public static String[] configValues() {
        return Arrays.stream(values()).map(KeySource::configValue).toArray(String[]::new);
    }
}
