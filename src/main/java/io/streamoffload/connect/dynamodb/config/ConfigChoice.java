package io.streamoffload.connect.dynamodb.config;

import java.util.Arrays;
import java.util.Locale;

/**
 * An enum whose constants are a setting's fixed values. By default a constant is spelled in the config as its name in
 * lower case with '_' as '.' ({@code RECORD_KEY} is {@code record.key}); a constant spelled otherwise overrides
 * {@link #configValue}.
 */
public interface ConfigChoice {
    default String configValue() {
        return ((Enum<?>) this).name().toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /**
     * The constant spelled {@code value}, ignoring case and surrounding blanks.
     *
     * @param what what the setting holds, for the message (e.g. "codec")
     * @throws IllegalArgumentException naming the value and every accepted one
     */
    static <E extends Enum<E> & ConfigChoice> E parse(Class<E> type, String value, String what) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(type.getEnumConstants()).filter(c -> c.configValue().equals(v)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown " + what + " '" + value + "' (one of "
                        + String.join(", ", values(type)) + ")"));
    }

    /** Every accepted spelling, in declaration order. */
    static <E extends Enum<E> & ConfigChoice> String[] values(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(ConfigChoice::configValue).toArray(String[]::new);
    }
}
