package io.streamoffload.connect.dynamodb.mapping;

import java.util.Arrays;
import java.util.Locale;

/** How Connect Date, Time and Timestamp logical values become DynamoDB attributes. */
public enum TemporalFormat {
    /** ISO-8601 strings in UTC, which sort in time order. */
    ISO8601("iso8601"),
    /** Milliseconds since the epoch (for Time: since midnight) as numbers. */
    EPOCH_MILLIS("epoch_millis");

    private final String configValue;

    TemporalFormat(String configValue) {
        this.configValue = configValue;
    }

    public String configValue() {
        return configValue;
    }

    public static TemporalFormat fromConfig(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.configValue.equals(v)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown temporal format: " + value));
    }

    public static String[] configValues() {
        return Arrays.stream(values()).map(TemporalFormat::configValue).toArray(String[]::new);
    }
}
