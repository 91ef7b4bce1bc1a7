package io.streamoffload.connect.dynamodb.config;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Renders the references the docs embed from their single sources: the {@link ConfigDef} as the configuration
 * reference (docs/configuration.md), and the task metrics with their descriptions (docs/monitoring.md).
 */
public final class ConfigReference {
    public static final String BEGIN_MARKER = "<!-- config-reference:begin (generated from the ConfigDef; do not edit) -->";
    public static final String END_MARKER = "<!-- config-reference:end -->";
    public static final String METRICS_BEGIN_MARKER = "<!-- metrics-reference:begin (generated from SinkTaskMetrics; do not edit) -->";
    public static final String METRICS_END_MARKER = "<!-- metrics-reference:end -->";

    private ConfigReference() {
    }

    public static String markdown(ConfigDef def) {
        Map<String, List<ConfigDef.ConfigKey>> byGroup = new LinkedHashMap<>();
        for (String group : def.groups()) {
            byGroup.put(group, def.configKeys().values().stream()
                    .filter(k -> group.equals(k.group))
                    .sorted(Comparator.comparingInt((ConfigDef.ConfigKey k) -> k.orderInGroup).thenComparing(k -> k.name))
                    .collect(Collectors.toList()));
        }
        StringBuilder out = new StringBuilder();
        out.append(BEGIN_MARKER).append('\n');
        byGroup.forEach((group, keys) -> {
            out.append("\n#### ").append(group).append("\n\n");
            out.append("| Setting | Type | Default | Valid values | Importance | Description |\n");
            out.append("|---|---|---|---|---|---|\n");
            for (ConfigDef.ConfigKey key : keys) {
                out.append("| `").append(key.name).append("` | ")
                        .append(key.type.name().toLowerCase()).append(" | ")
                        .append(defaultValue(key)).append(" | ")
                        .append(key.validator == null ? "" : cell(key.validator.toString())).append(" | ")
                        .append(key.importance.name().toLowerCase()).append(" | ")
                        .append(cell(key.documentation)).append(" |\n");
            }
        });
        out.append('\n').append(END_MARKER).append('\n');
        return out.toString();
    }

    /** The task metrics: JMX attribute, plugin metric name, meaning. */
    public static String metricsMarkdown() {
        StringBuilder out = new StringBuilder(METRICS_BEGIN_MARKER).append("\n\n");
        out.append("| MBean attribute | Plugin metric | Meaning |\n|---|---|---|\n");
        for (io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics.Metric metric
                : new io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics().all()) {
            out.append("| `").append(metric.name()).append("` | `").append(metric.kebabName()).append("` | ")
                    .append(cell(metric.description())).append(" |\n");
        }
        return out.append('\n').append(METRICS_END_MARKER).append('\n').toString();
    }

    /** Replaces the generated configuration section of a document with the current reference. */
    public static String replaceIn(String document, String reference) {
        return replaceIn(document, BEGIN_MARKER, END_MARKER, reference);
    }

    private static String replaceIn(String document, String beginMarker, String endMarker, String reference) {
        int begin = document.indexOf(beginMarker);
        int end = document.indexOf(endMarker);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("the document has no " + beginMarker + " ... " + endMarker + " section");
        }
        return document.substring(0, begin) + reference + document.substring(end + endMarker.length() + 1);
    }

    /**
     * Prints the configuration reference, or with file arguments rewrites the generated sections each file holds (the
     * configuration reference, the metrics reference, or both): {@code docs/configuration.md docs/monitoring.md}.
     */
    public static void main(String[] args) throws java.io.IOException {
        String reference = markdown(io.streamoffload.connect.dynamodb.DynamoDbSinkConfig.CONFIG_DEF);
        if (args.length == 0) {
            System.out.print(reference);
            return;
        }
        for (String arg : args) {
            java.nio.file.Path file = java.nio.file.Path.of(arg);
            String text = java.nio.file.Files.readString(file);
            boolean config = text.contains(BEGIN_MARKER);
            boolean metrics = text.contains(METRICS_BEGIN_MARKER);
            if (!config && !metrics) {
                throw new IllegalArgumentException(file + " has neither generated section");
            }
            if (config) {
                text = replaceIn(text, reference);
            }
            if (metrics) {
                text = replaceIn(text, METRICS_BEGIN_MARKER, METRICS_END_MARKER, metricsMarkdown());
            }
            java.nio.file.Files.writeString(file, text);
        }
    }

    private static String defaultValue(ConfigDef.ConfigKey key) {
        if (!key.hasDefault() || key.defaultValue == null) {
            return "";
        }
        String text = ConfigDef.convertToString(key.defaultValue, key.type);
        return text == null || text.isEmpty() ? "\"\"" : "`" + text + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
