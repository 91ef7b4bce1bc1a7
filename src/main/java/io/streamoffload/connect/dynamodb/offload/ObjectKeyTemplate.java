package io.streamoffload.connect.dynamodb.offload;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The S3 object key of offloaded content, from a template with {@code {fingerprint}} (the SHA-256 hex of the
 * uncompressed bytes), {@code {fingerprint:N}} (its first N characters, to spread keys over prefixes),
 * {@code {topic}}, {@code {field}} and {@code {ext}} (format extension plus codec suffix, e.g. {@code json.zst}).
 */
public final class ObjectKeyTemplate {
    public static final int MAX_KEY_BYTES = 1024;
    /** Kafka's limit on topic names, for the longest key a template can give. */
    private static final int MAX_TOPIC_LENGTH = 249;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
    private static final Pattern PREFIX = Pattern.compile("fingerprint:(\\d{1,2})");

    private final String template;

    private ObjectKeyTemplate(String template) {
        this.template = template;
    }

    /**
     * Parses and checks a template.
     *
     * @param longestField the longest field name {@code {field}} may stand for
     * @throws IllegalArgumentException with the reason
     */
    public static ObjectKeyTemplate parse(String template, int longestField) {
        String t = template == null ? "" : template.trim();
        if (!t.contains("{fingerprint}")) {
            throw new IllegalArgumentException("must contain {fingerprint}: objects are addressed by their content");
        }
        if (t.startsWith("/")) {
            throw new IllegalArgumentException("must not start with '/'");
        }
        for (String segment : t.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new IllegalArgumentException("must not contain '" + segment + "' segments");
            }
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("must not contain empty segments ('//' or a trailing '/')");
            }
        }
        if (t.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("must not contain control characters");
        }
        Matcher m = PLACEHOLDER.matcher(t);
        while (m.find()) {
            String name = m.group(1);
            Matcher prefix = PREFIX.matcher(name);
            boolean known = name.equals("fingerprint") || name.equals("topic") || name.equals("field") || name.equals("ext")
                    || prefix.matches() && Integer.parseInt(prefix.group(1)) >= 1 && Integer.parseInt(prefix.group(1)) <= 64;
            if (!known) {
                throw new IllegalArgumentException("unknown placeholder {" + name + "}; use {fingerprint}, "
                        + "{fingerprint:N} (N 1..64), {topic}, {field}, {ext}");
            }
        }
        ObjectKeyTemplate parsed = new ObjectKeyTemplate(t);
        String longest = parsed.expand("f".repeat(64), "t".repeat(MAX_TOPIC_LENGTH), "x".repeat(longestField), "json.zst");
        int bytes = longest.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("can expand to " + bytes + " bytes (with a 249-character topic and a "
                    + longestField + "-character field), over S3's " + MAX_KEY_BYTES + "-byte key limit");
        }
        return parsed;
    }

    public String expand(String fingerprint, String topic, String field, String ext) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = switch (name) {
                case "fingerprint" -> fingerprint;
                case "topic" -> topic;
                case "field" -> field;
                case "ext" -> ext;
                default -> fingerprint.substring(0, Integer.parseInt(name.substring("fingerprint:".length())));
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The text every key starts with: the template up to its first placeholder. */
    public String literalPrefix() {
        int brace = template.indexOf('{');
        return brace < 0 ? template : template.substring(0, brace);
    }

    @Override
    public String toString() {
        return template;
    }
}
