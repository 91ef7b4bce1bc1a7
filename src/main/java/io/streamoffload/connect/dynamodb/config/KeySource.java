package io.streamoffload.connect.dynamodb.config;


/** Where a key attribute's value comes from. */
public enum KeySource implements ConfigChoice {
    RECORD_KEY,
    RECORD_VALUE,
    KAFKA_TOPIC,
    KAFKA_PARTITION,
    KAFKA_OFFSET;

    /** Whether the value is a Kafka coordinate rather than record content. */
    public boolean isKafkaCoordinate() {
        return this == KAFKA_TOPIC || this == KAFKA_PARTITION || this == KAFKA_OFFSET;
    }

    public static KeySource fromConfig(String value) {
        return ConfigChoice.parse(KeySource.class, value, "key source");
    }

    public static String[] configValues() {
        return ConfigChoice.values(KeySource.class);
    }
}
