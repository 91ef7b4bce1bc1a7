package io.streamoffload.connect.dynamodb.mapping;

import io.streamoffload.connect.dynamodb.config.ConfigChoice;

/** How Connect Date, Time and Timestamp logical values become DynamoDB attributes. */
public enum TemporalFormat implements ConfigChoice {
    /** ISO-8601 strings in UTC, which sort in time order. */
    ISO8601("iso8601"),
    /** Milliseconds since the epoch (for Time: since midnight) as numbers. */
    EPOCH_MILLIS("epoch_millis");

    private final String configValue;

    TemporalFormat(String configValue) {
        this.configValue = configValue;
    }

    @Override
    public String configValue() {
        return configValue;
    }

    public static TemporalFormat fromConfig(String value) {
        return ConfigChoice.parse(TemporalFormat.class, value, "temporal format");
    }

    public static String[] configValues() {
        return ConfigChoice.values(TemporalFormat.class);
    }
}
