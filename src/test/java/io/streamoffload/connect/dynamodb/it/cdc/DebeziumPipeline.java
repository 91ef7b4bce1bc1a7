package io.streamoffload.connect.dynamodb.it.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamoffload.connect.dynamodb.it.stack.Postgres;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The change-data pipeline as a user sets it up, from the examples in {@code config/}: Debezium's PostgreSQL
 * connector ({@code debezium-postgres-source.json}) pointed at a test server, the sink
 * ({@code dynamodb-sink-debezium.json}) pointed at the test stack, and the worker settings both need.
 */
public final class DebeziumPipeline {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DebeziumPipeline() {
    }

    /** Where the build installs Debezium's connector: a folder for the worker's plugin.path. */
    public static Path pluginPath() {
        return Path.of(System.getProperty("debezium.plugin.dir", "target/debezium-plugin/debezium-connector-postgres"))
                .toAbsolutePath().getParent();
    }

    /** A worker whose converters are the examples' (JSON with schemas), letting connectors override client settings. */
    public static Map<String, String> workerProps() {
        Map<String, String> worker = new HashMap<>();
        worker.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        worker.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        worker.put("value.converter.schemas.enable", "true");
        // the source example raises its producer's max.request.size for rows with large columns
        worker.put("connector.client.config.override.policy", "All");
        return worker;
    }

    /** The source example, streaming {@code tables} of the server's postgres database into topics {@code prefix.*}. */
    public static Map<String, String> source(Postgres postgres, String prefix, List<String> tables) throws IOException {
        Map<String, String> source = example("debezium-postgres-source.json");
        source.put("database.hostname", "127.0.0.1");
        source.put("database.port", Integer.toString(postgres.port()));
        source.put("database.user", "postgres");
        source.put("database.password", "unused-with-trust-on-loopback");
        source.put("database.dbname", "postgres");
        source.put("topic.prefix", prefix);
        source.put("table.include.list", tables.stream().map(t -> "public." + t).collect(Collectors.joining(",")));
        source.put("topic.creation.default.replication.factor", "1");
        return source;
    }

    /** The sink example, writing {@code topics} to this stack's DynamoDB and S3. */
    public static Map<String, String> sink(SinkTestStack stack, String bucket, List<String> topics) throws IOException {
        Map<String, String> sink = example("dynamodb-sink-debezium.json");
        sink.put("topics", String.join(",", topics));
        sink.putAll(stack.connectionConfig());
        sink.put("s3.path.style.access", "true");
        sink.put("offload.s3.bucket", bucket);
        sink.put("errors.deadletterqueue.topic.replication.factor", "1");
        return sink;
    }

    /** The topic Debezium writes a table's changes to. */
    public static String topic(String prefix, String table) {
        return prefix + ".public." + table;
    }

    /** A connector example of config/, its name and settings as one map. */
    static Map<String, String> example(String file) throws IOException {
        JsonNode example = JSON.readTree(Path.of("config", file).toFile());
        Map<String, String> props = new LinkedHashMap<>();
        props.put("name", example.get("name").asText());
        example.get("config").fields().forEachRemaining(e -> props.put(e.getKey(), e.getValue().asText()));
        return props;
    }
}
