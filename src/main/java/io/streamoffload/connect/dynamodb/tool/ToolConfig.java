package io.streamoffload.connect.dynamodb.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamoffload.connect.dynamodb.DynamoDbSinkConfig;
import io.streamoffload.connect.dynamodb.aws.AwsClientFactory;
import io.streamoffload.connect.dynamodb.config.definitions.TableDefinitions;
import io.streamoffload.connect.dynamodb.offload.NamedField;
import io.streamoffload.connect.dynamodb.offload.OffloadSettings;
import io.streamoffload.connect.dynamodb.offload.format.Formats;
import io.streamoffload.connect.dynamodb.read.OffloadedItemReader;
import io.streamoffload.connect.dynamodb.read.PointerLocator;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The connector's own settings, read from the file users already have (the REST API's JSON, with or without its
 * {@code name}/{@code config} envelope, or a properties file) with flags on top, and everything the tool builds
 * from them: clients, the pointer locator and a reader that knows the custom formats.
 */
final class ToolConfig {
    private final DynamoDbSinkConfig config;

    private ToolConfig(DynamoDbSinkConfig config) {
        this.config = config;
    }

    static ToolConfig load(Optional<Path> file, Map<String, String> overrides, String table) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        if (file.isPresent()) {
            settings.putAll(read(file.get()));
        }
        settings.putAll(overrides);
        // the table comes from --table; a connector routing by topic has a pattern here that the tool does not need
        settings.put(TableDefinitions.TABLE_NAME_FORMAT, table);
        return new ToolConfig(new DynamoDbSinkConfig(settings));
    }

    static Map<String, String> read(Path file) throws IOException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("--config " + file + ": no such readable file");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Map<String, String> settings = new LinkedHashMap<>();
        if (text.stripLeading().startsWith("{")) {
            JsonNode root;
            try {
                root = new ObjectMapper().readTree(text);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("--config " + file + " is not valid JSON (line "
                        + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
            }
            JsonNode config = root.has("config") && root.get("config").isObject() ? root.get("config") : root;
            config.fields().forEachRemaining(e -> settings.put(e.getKey(),
                    e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
        } else {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            properties.stringPropertyNames().forEach(name -> settings.put(name, properties.getProperty(name)));
        }
        return settings;
    }

    DynamoDbClient dynamoDb(int connections) {
        return AwsClientFactory.dynamoDb(config.dynamoDbConnection(), connections, AwsClientFactory.Retries.SDK);
    }

    S3Client s3(int connections) {
        return AwsClientFactory.s3(config.s3Connection(), connections, AwsClientFactory.Retries.SDK);
    }

    Optional<OffloadSettings> offload() {
        return config.offload();
    }

    /**
     * The shortest safe grace for this connector: a dedupe entry is trusted for the TTL, a carried write keeps its
     * objects for up to the TTL more, a round retries for the budget, and a cleared mark is waited out.
     */
    Duration gcMinimumGrace() {
        OffloadSettings offload = config.offload().orElseThrow();
        return offload.dedupeTtl().multipliedBy(2).plus(config.retryBudget()).plus(offload.gcMarkWait());
    }

    /** Bare URIs are recognised in the offload bucket when the connector writes them. */
    PointerLocator locator() {
        return new PointerLocator(config.offload().filter(OffloadSettings::uriPointers).map(OffloadSettings::bucket));
    }

    /** A reader that also knows the custom formats named in offload.fields. */
    OffloadedItemReader reader(S3Client s3) {
        OffloadedItemReader reader = new OffloadedItemReader(s3);
        config.offload().ifPresent(offload -> {
            for (NamedField field : offload.namedFields()) {
                field.serializer().filter(s -> Formats.builtIn(s.format()).isEmpty()).ifPresent(reader::register);
            }
        });
        return reader;
    }
}
