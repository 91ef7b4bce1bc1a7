package io.streamoffload.connect.dynamodb.offload;

import io.streamoffload.connect.dynamodb.offload.codec.Codec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What an item holds in place of an offloaded field. The default form is a self-describing map
 * {@code {"offload":"v1","uri":"s3://bucket/key","sha256":"<hex>","size":N,"codec":"zstd","format":"json"}}, so any
 * reader in any language can hydrate the item from the item alone. The compatibility form is the bare
 * {@code s3://bucket/key} string that pynamodb_mate's S3-backed attributes store.
 *
 * @param bucket the S3 bucket
 * @param key    the object key
 * @param sha256 hex SHA-256 of the serialized, uncompressed bytes
 * @param size   number of serialized, uncompressed bytes
 * @param codec  how the object is compressed
 * @param format how the bytes were serialized
 */
public record Pointer(String bucket, String key, String sha256, long size, Codec codec, String format) {
    public static final String MARKER = "offload";
    public static final String VERSION = "v1";

    public String uri() {
        return "s3://" + bucket + "/" + key;
    }

    /** The self-describing map form. */
    public AttributeValue toMap() {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        m.put(MARKER, AttributeValue.fromS(VERSION));
        m.put("uri", AttributeValue.fromS(uri()));
        m.put("sha256", AttributeValue.fromS(sha256));
        m.put("size", AttributeValue.fromN(Long.toString(size)));
        m.put("codec", AttributeValue.fromS(codec.configValue()));
        m.put("format", AttributeValue.fromS(format));
        return AttributeValue.fromM(m);
    }

    /** The pynamodb_mate-compatible bare URI form. */
    public AttributeValue toUriString() {
        return AttributeValue.fromS(uri());
    }

    /** Reads a map-form pointer; empty when the attribute is not a complete, well-formed one. */
    public static Optional<Pointer> fromAttribute(AttributeValue value) {
        if (value == null || !value.hasM()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> m = value.m();
        AttributeValue marker = m.get(MARKER);
        if (marker == null || !VERSION.equals(marker.s())) {
            return Optional.empty();
        }
        try {
            String[] location = splitUri(text(m, "uri"));
            AttributeValue size = m.get("size");
            if (size == null || size.n() == null) {
                return Optional.empty();
            }
            return Optional.of(new Pointer(location[0], location[1], text(m, "sha256"), Long.parseLong(size.n()),
                    Codec.fromConfig(text(m, "codec")), text(m, "format")));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // user data that merely looks like a pointer
        }
    }

    /** Splits {@code s3://bucket/key} into bucket and key. */
    public static String[] splitUri(String uri) {
        if (uri == null || !uri.startsWith("s3://") || uri.indexOf('/', 5) < 0) {
            throw new IllegalArgumentException("not an s3://bucket/key URI: " + uri);
        }
        int slash = uri.indexOf('/', 5);
        return new String[] {uri.substring(5, slash), uri.substring(slash + 1)};
    }

    private static String text(Map<String, AttributeValue> m, String name) {
        AttributeValue v = m.get(name);
        if (v == null || v.s() == null) {
            throw new IllegalArgumentException("offload pointer has no '" + name + "'");
        }
        return v.s();
    }
}
