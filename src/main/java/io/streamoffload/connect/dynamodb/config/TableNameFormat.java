package io.streamoffload.connect.dynamodb.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A table name, fixed or with {@code ${topic}} placeholders, resolved per record topic. */
public final class TableNameFormat {
    public static final String TOPIC_PLACEHOLDER = "${topic}";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern VALID_TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

    private final String format;

    private TableNameFormat(String format) {
        this.format = format;
    }

    /** Parses a format; throws IllegalArgumentException with the reason when it can never yield a valid name. */
    public static TableNameFormat parse(String format) {
        String trimmed = format == null ? "" : format.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("must not be empty");
        }
        Matcher m = PLACEHOLDER.matcher(trimmed);
        while (m.find()) {
            if (!"topic".equals(m.group(1))) {
                throw new IllegalArgumentException("unknown placeholder ${" + m.group(1) + "}; only ${topic} is supported");
            }
        }
        // Topic names use [A-Za-z0-9._-], all legal in table names, so a stand-in topic checks the literal parts
        String sample = trimmed.replace(TOPIC_PLACEHOLDER, "abc");
        if (!trimmed.contains(TOPIC_PLACEHOLDER) && !VALID_TABLE_NAME.matcher(sample).matches()) {
            throw new IllegalArgumentException("'" + trimmed + "' is not a valid DynamoDB table name "
                    + "(3-255 characters from A-Z a-z 0-9 _ - .)");
        }
        if (trimmed.contains(TOPIC_PLACEHOLDER) && !sample.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("'" + trimmed + "' contains characters not allowed in DynamoDB table "
                    + "names (A-Z a-z 0-9 _ - .)");
        }
        return new TableNameFormat(trimmed);
    }

    public boolean isPerTopic() {
        return format.contains(TOPIC_PLACEHOLDER);
    }

    /** The table for a topic; throws IllegalArgumentException when the result is not a legal table name. */
    public String tableFor(String topic) {
        String name = format.replace(TOPIC_PLACEHOLDER, topic);
        if (!VALID_TABLE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("table name '" + name + "' (from " + format + " for topic '" + topic
                    + "') is not a valid DynamoDB table name (3-255 characters from A-Z a-z 0-9 _ - .)");
        }
        return name;
    }

    @Override
    public String toString() {
        return format;
    }
}
