package io.streamoffload.connect.dynamodb.offload;

import io.streamoffload.connect.dynamodb.config.FieldPath;
import java.util.Optional;

/**
 * A field the user named for offload, with the format to store it in (or, when empty, the format that fits the
 * value: text for strings, binary for bytes, json otherwise).
 */
public record NamedField(FieldPath path, Optional<FieldSerializer> serializer) {

    /** Parses {@code path} or {@code path:format}, where format is a built-in name or a serializer class name. */
    public static NamedField parse(String entry) {
        String text = entry.trim();
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            return new NamedField(FieldPath.parse(text), Optional.empty());
        }
        String format = text.substring(colon + 1).trim();
        if (format.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has an empty format after ':'");
        }
        return new NamedField(FieldPath.parse(text.substring(0, colon)),
                Optional.of(io.streamoffload.connect.dynamodb.offload.format.Formats.forName(format)));
    }
}
