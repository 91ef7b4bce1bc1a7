package io.streamoffload.connect.dynamodb.config;

import java.util.List;

/** A rule broken by one or more settings together; reported on every setting involved. */
public record ConfigProblem(String message, List<String> keys) {
    public static ConfigProblem of(String message, String... keys) {
        return new ConfigProblem(message, List.of(keys));
    }

    @Override
    public String toString() {
        return message + " " + keys;
    }
}
