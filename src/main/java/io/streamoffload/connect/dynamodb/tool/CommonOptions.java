package io.streamoffload.connect.dynamodb.tool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where the connector's settings come from, the flags that override them, and how hard to read. */
final class CommonOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "The connector's config: the REST API's JSON (with or without its name/config envelope) "
                    + "or a properties file. Connection, credentials, bucket and pointer format come from it.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides one connector setting; repeatable.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--region", description = "Overrides aws.region.")
    String region;

    @Option(names = "--bucket", description = "Overrides offload.s3.bucket.")
    String bucket;

    @Option(names = "--dynamodb-endpoint", paramLabel = "URL", description = "Overrides dynamodb.endpoint.url.")
    String dynamoDbEndpoint;

    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "Overrides s3.endpoint.url.")
    String s3Endpoint;

    @Option(names = "--segments", defaultValue = "4",
            description = "Parallel scan segments, each with its own reads (default: ${DEFAULT-VALUE}).")
    int segments;

    @Option(names = "--max-rcu", paramLabel = "UNITS", defaultValue = "0",
            description = "At most this many read capacity units per second for the scan; 0 for no limit.")
    double maxRcu;

    @Option(names = "--json", description = "Print a one-line JSON summary instead of the human one.")
    boolean json;

    ToolConfig load(String table) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>(overrides);
        put(settings, "aws.region", region);
        put(settings, "offload.s3.bucket", bucket);
        put(settings, "dynamodb.endpoint.url", dynamoDbEndpoint);
        put(settings, "s3.endpoint.url", s3Endpoint);
        return ToolConfig.load(Optional.ofNullable(config), settings, table);
    }

    void validate() {
        if (segments < 1 || segments > 1_000) {
            throw new IllegalArgumentException("--segments must be between 1 and 1000, not " + segments);
        }
        if (maxRcu < 0) {
            throw new IllegalArgumentException("--max-rcu must be 0 (no limit) or more, not " + maxRcu);
        }
    }

    private static void put(Map<String, String> settings, String key, String value) {
        if (value != null) {
            settings.put(key, value);
        }
    }
}
