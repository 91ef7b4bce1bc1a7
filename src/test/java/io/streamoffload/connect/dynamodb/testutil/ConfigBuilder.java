package io.streamoffload.connect.dynamodb.testutil;

import io.streamoffload.connect.dynamodb.DynamoDbSinkConfig;
import java.util.HashMap;
import java.util.Map;

/** A fluent connector config for unit tests, starting from a valid minimal one. */
public final class ConfigBuilder {
    private final Map<String, String> props = new HashMap<>();

    private ConfigBuilder() {
        props.put("name", "unit-test");
        props.put("aws.region", "us-east-1");
    }

    public static ConfigBuilder config() {
        return new ConfigBuilder();
    }

    public ConfigBuilder with(String key, Object value) {
        props.put(key, String.valueOf(value));
        return this;
    }

    public ConfigBuilder without(String key) {
        props.remove(key);
        return this;
    }

    public Map<String, String> props() {
        return new HashMap<>(props);
    }

    public DynamoDbSinkConfig build() {
        return new DynamoDbSinkConfig(props);
    }
}
