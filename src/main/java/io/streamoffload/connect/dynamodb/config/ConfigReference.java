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
