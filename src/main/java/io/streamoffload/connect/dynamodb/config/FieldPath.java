package io.streamoffload.connect.dynamodb.config;

import java.util.Arrays;
import java.util.List;

/** A dotted path into nested Structs or Maps, such as {@code customer.address.zip}. */
public final class FieldPath {
    private final String text;
    private final List<String> segments;

    private FieldPath(String text, List<String> segments) {
        this.text = text;
        this.segments = segments;
    }

    public static FieldPath parse(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("A field path must not be empty");
        }
        List<String> segments = Arrays.asList(trimmed.split("\\.", -1));
        if (segments.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("Field path '" + text + "' has an empty segment");
        }
        return new FieldPath(trimmed, List.copyOf(segments));
    }

    /** A path of one segment, for a top-level attribute whose name may itself contain dots. */
    public static FieldPath single(String name) {
        return new FieldPath(name, List.of(name));
    }

    public List<String> segments() {
        return segments;
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldPath other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
