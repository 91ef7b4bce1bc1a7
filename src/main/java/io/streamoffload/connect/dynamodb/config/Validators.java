package io.streamoffload.connect.dynamodb.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Single-setting validators whose {@code toString()} says what is allowed, for the docs and the REST validate call. */
public final class Validators {
    private static final Pattern REGION = Pattern.compile("[a-z]{2,4}(-[a-z]+)+-\\d{1,2}|local");

    private Validators() {
    }

    /** Case-insensitive choice among fixed values; the empty string is allowed only if listed. */
    public static ConfigDef.Validator oneOf(String... allowed) {
        return new Described("one of " + Arrays.toString(allowed).replace("[, ", "['', "), (name, value) -> {
            String v = value == null ? "" : value.toString().trim();
            boolean ok = Arrays.stream(allowed).anyMatch(a -> a.equalsIgnoreCase(v));
            if (!ok) {
                throw new ConfigException(name, value, "must be one of " + String.join(", ",
                        Arrays.stream(allowed).map(a -> a.isEmpty() ? "'' (empty)" : a).toArray(String[]::new)));
            }
        });
    }

    /** An AWS region id such as us-east-1, or empty. */
    public static ConfigDef.Validator region() {
        return new Described("an AWS region such as us-east-1, or empty", (name, value) -> {
            String v = value == null ? "" : value.toString().trim();
            if (!v.isEmpty() && !REGION.matcher(v.toLowerCase(Locale.ROOT)).matches()) {
                throw new ConfigException(name, value, "is not an AWS region id (expected e.g. us-east-1, eu-west-2)");
            }
        });
    }

    /** An absolute http(s) URL, or empty. */
    public static ConfigDef.Validator endpointUrl() {
        return new Described("an absolute http:// or https:// URL, or empty", (name, value) -> {
            String v = value == null ? "" : value.toString().trim();
            if (v.isEmpty()) {
                return;
            }
            try {
                URI uri = new URI(v);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                    throw new ConfigException(name, value, "must be an absolute http:// or https:// URL with a host");
                }
            } catch (URISyntaxException e) {
                throw new ConfigException(name, value, "is not a valid URL: " + e.getReason());
            }
        });
    }

    /** An IAM role ARN, or empty. */
    public static ConfigDef.Validator roleArn() {
        return new Described("an IAM role ARN (arn:aws:iam::123456789012:role/name), or empty", (name, value) -> {
            String v = value == null ? "" : value.toString().trim();
            if (!v.isEmpty() && !v.matches("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}")) {
                throw new ConfigException(name, value, "is not an IAM role ARN (expected arn:aws:iam::123456789012:role/name)");
            }
        });
    }

    /** An STS role session name: 2 to 64 of [A-Za-z0-9_+=,.@-]; empty only where it inherits. */
    public static ConfigDef.Validator roleSessionName(boolean required) {
        return new Described((required ? "" : "empty, or ") + "2-64 characters from A-Z a-z 0-9 _ + = , . @ -",
                (name, value) -> {
                    String v = value == null ? "" : value.toString().trim();
                    if ((required || !v.isEmpty()) && !v.matches("[\\w+=,.@-]{2,64}")) {
                        throw new ConfigException(name, value, "must be 2 to 64 characters from A-Z a-z 0-9 _ + = , . @ -");
                    }
                });
    }

    /** An STS session duration in seconds; 0 only where it inherits. */
    public static ConfigDef.Validator roleDuration(boolean required) {
        return new Described((required ? "" : "0 (inherit), or ") + "[900,...,43200]", (name, value) -> {
            int seconds = value == null ? 0 : ((Number) value).intValue();
            if ((required || seconds != 0) && (seconds < 900 || seconds > 43_200)) {
                throw new ConfigException(name, value, "must be between 900 and 43200 seconds"
                        + (required ? "" : ", or 0 to inherit"));
            }
        });
    }

    /** An S3 bucket name, or empty. */
    public static ConfigDef.Validator bucketName() {
        return new Described("an S3 bucket name (3-63 characters: a-z 0-9 . -), or empty", (name, value) -> {
            String v = value == null ? "" : value.toString().trim();
            if (!v.isEmpty() && !v.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                throw new ConfigException(name, value, "is not a valid S3 bucket name (3-63 characters from a-z 0-9 . -, "
                        + "starting and ending with a letter or digit)");
            }
        });
    }

    /** An offload object key template. */
    public static ConfigDef.Validator objectKeyTemplate(int longestField) {
        return new Described("a key template containing {fingerprint}", (name, value) -> {
            try {
                io.streamoffload.connect.dynamodb.offload.ObjectKeyTemplate.parse(value == null ? "" : value.toString(),
                        longestField);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        });
    }

    /** A key prefix of its own in a bucket: a folder, so that no other key shares its name's start by accident. */
    public static ConfigDef.Validator keyPrefix() {
        return new Described("a key prefix ending with '/'", (name, value) -> {
            String v = value == null ? "" : value.toString();
            if (!v.endsWith("/") || v.startsWith("/") || v.contains("//") || v.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
                    || v.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 512) {
                throw new ConfigException(name, value, "must be a key prefix ending with '/', not starting with '/', "
                        + "without empty segments or control characters, at most 512 bytes");
            }
        });
    }

    /** A table name or a format with ${topic}. */
    public static ConfigDef.Validator tableNameFormat() {
        return new Described("a DynamoDB table name, or a format containing ${topic}", (name, value) -> {
            try {
                TableNameFormat.parse(value == null ? "" : value.toString());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        });
    }

    /** Debezium's unavailable-value placeholder: text, {@code hex:} and an even number of hex digits, or empty. */
    public static ConfigDef.Validator unavailableValuePlaceholder() {
        return new Described("text, 'hex:' followed by bytes in hex, or empty (off)", (name, value) -> {
            try {
                WriteSettings.Unavailable.bytesOf(value == null ? "" : value.toString());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        });
    }

    private record Described(String description, ConfigDef.Validator check) implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            check.ensureValid(name, value);
        }

        @Override
        public String toString() {
            return description;
        }
    }
}
