package io.streamoffload.connect.dynamodb.config;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;

/** Renders a {@link ConfigDef} as the Markdown configuration reference the README embeds. */
public final class ConfigReference {
    public static final String BEGIN_MARKER = "<!-- config-reference:begin (generated from the ConfigDef; do not edit) -->";
    public static final String END_MARKER = "<!-- config-reference:end -->";

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

    /** Replaces the generated section of a README with the current reference. */
    public static String replaceIn(String readme, String reference) {
        int begin = readme.indexOf(BEGIN_MARKER);
        int end = readme.indexOf(END_MARKER);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("README has no " + BEGIN_MARKER + " ... " + END_MARKER + " section");
        }
        return readme.substring(0, begin) + reference + readme.substring(end + END_MARKER.length() + 1);
    }

    /** Prints the reference, or with a file argument rewrites that file's generated section. */
    public static void main(String[] args) throws java.io.IOException {
        String reference = markdown(io.streamoffload.connect.dynamodb.DynamoDbSinkConfig.CONFIG_DEF);
        if (args.length == 0) {
            System.out.print(reference);
            return;
        }
        java.nio.file.Path file = java.nio.file.Path.of(args[0]);
        java.nio.file.Files.writeString(file, replaceIn(java.nio.file.Files.readString(file), reference));
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
