package io.streamoffload.connect.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The example configs in config/ are what users copy: each must validate without a single error, and the properties
 * example's commented-out settings must be real settings at their real defaults.
 */
class ConfigExamplesTest {
    private static final Path CONFIG = Path.of("config");

    static Stream<Path> examples() throws IOException {
        return Files.list(CONFIG).filter(p -> p.getFileName().toString().startsWith("dynamodb-sink")).sorted();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void validatesWithoutErrors(Path example) throws IOException {
        Map<String, String> props = read(example);
        List<ConfigValue> values = new DynamoDbSinkConnector().validate(props).configValues();
        assertThat(values).as(example + " validates").allSatisfy(v -> assertThat(v.errorMessages())
                .as(v.name()).isEmpty());
        if (example.toString().endsWith(".properties")) {
            for (String line : Files.readAllLines(example)) {
                if (line.matches("#[a-z][a-z0-9.]*=.*")) {
                    String key = line.substring(1, line.indexOf('='));
                    String value = line.substring(line.indexOf('=') + 1);
                    assertThat(DynamoDbSinkConfig.CONFIG_DEF.names()).as(example + " documents " + key).contains(key);
                    Object defaultValue = DynamoDbSinkConfig.CONFIG_DEF.configKeys().get(key).defaultValue;
                    assertThat(value).as("the default of " + key).isEqualTo(defaultValue == null ? "" : defaultValue.toString());
                }
            }
        }
    }

    private static Map<String, String> read(Path example) throws IOException {
        Map<String, String> props = new HashMap<>();
        if (example.toString().endsWith(".json")) {
            JsonNode config = new ObjectMapper().readTree(example.toFile()).get("config");
            config.fields().forEachRemaining(e -> props.put(e.getKey(), e.getValue().asText()));
        } else {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(example)) {
                properties.load(reader);
            }
            properties.forEach((k, v) -> props.put(k.toString(), v.toString()));
        }
        return props;
    }
}
