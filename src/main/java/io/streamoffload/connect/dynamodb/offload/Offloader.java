package io.streamoffload.connect.dynamodb.offload;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamoffload.connect.dynamodb.config.FieldPath;
import io.streamoffload.connect.dynamodb.errors.ContentFreeText;
import io.streamoffload.connect.dynamodb.mapping.DynamoDbLimits;
import io.streamoffload.connect.dynamodb.mapping.ItemSize;
import io.streamoffload.connect.dynamodb.mapping.MappingException;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import io.streamoffload.connect.dynamodb.offload.format.Formats;
import io.streamoffload.connect.dynamodb.offload.store.ObjectMetadata;
import io.streamoffload.connect.dynamodb.offload.store.S3ObjectStore;
import io.streamoffload.connect.dynamodb.offload.store.StoreRequest;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.connect.sink.SinkRecord;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Moves fields of an item to S3 and leaves pointers in their place: the named fields, then any field whose size
 * reaches the threshold, then (if the item would still exceed 400 KB) the largest remaining fields until it fits.
 * Serializing and hashing happen here, so the pointer is known at once; compression and upload run in the store,
 * and the returned future tells when every object the item names is durable.
 */
public final class Offloader {
    private static final int MAX_PROVENANCE_KEY_CHARS = 512;
    private static final java.util.regex.Pattern UNSAFE_KEY_CHARACTERS = java.util.regex.Pattern.compile("[^A-Za-z0-9._-]");

    private final OffloadSettings settings;
    private final S3ObjectStore store;
    private final SinkTaskMetrics metrics;

    public Offloader(OffloadSettings settings, S3ObjectStore store, SinkTaskMetrics metrics) {
        this.settings = settings;
        this.store = store;
        this.metrics = metrics;
    }

    /**
     * What offloading did to one item.
     *
     * @param stored       completes when every object is durable in S3
     * @param contentBytes bytes of serialized field content moved to S3
     */
    public record Offloaded(CompletableFuture<Void> stored, long contentBytes) {
    }

    /**
     * Replaces offloaded fields of {@code item} with pointers.
     *
     * @param keyAttributes attributes that can never be offloaded
     * @throws MappingException when a field cannot be serialized, or the item cannot fit even after offloading
     */
    public Offloaded offload(SinkRecord record, Map<String, AttributeValue> item, FieldSource source,
                                           Map<String, AttributeValue> keyAttributes) {
        List<Upload> uploads = new ArrayList<>();
        Set<String> keys = keyAttributes.keySet();
        // fields already replaced in this call, whatever the pointer form (s3-uri pointers are plain strings)
        Set<String> offloaded = new java.util.HashSet<>();
        for (NamedField named : settings.namedFields()) {
            if (keys.contains(named.path().segments().get(0))) {
                continue;
            }
            source.find(named.path()).filter(v -> v.value() != null).ifPresent(value -> {
                uploads.add(offloadField(record, item, keyAttributes, named.path(), value,
                        named.serializer().orElseGet(() -> formatFor(value.value()))));
                if (named.path().segments().size() == 1) {
                    offloaded.add(named.path().segments().get(0));
                }
            });
        }
        if (settings.thresholdBytes() > 0) {
            for (String name : List.copyOf(item.keySet())) {
                AttributeValue value = item.get(name);
                if (!keys.contains(name) && !offloaded.contains(name) && !isPointer(value)
                        && reachesThreshold(name, value)) {
                    offloadTopLevel(record, item, keyAttributes, source, name).ifPresent(upload -> {
                        uploads.add(upload);
                        offloaded.add(name);
                    });
                }
            }
        }
        long size = ItemSize.of(item);
        while (size > DynamoDbLimits.MAX_ITEM_BYTES) {
            Optional<String> largest = item.entrySet().stream()
                    .filter(e -> !keys.contains(e.getKey()) && !offloaded.contains(e.getKey()) && !isPointer(e.getValue()))
                    .filter(e -> ItemSize.of(e.getValue()) > 300) // a pointer takes about 250 bytes: no gain below
                    .max(Map.Entry.comparingByValue((a, b) -> Long.compare(ItemSize.of(a), ItemSize.of(b))))
                    .map(Map.Entry::getKey);
            if (largest.isEmpty()) {
                throw new MappingException("the item is " + size + " bytes as DynamoDB counts it even with every "
                        + "large field offloaded to S3; its keys and remaining small fields alone exceed DynamoDB's item limit of "
                        + DynamoDbLimits.MAX_ITEM_BYTES + " bytes (400 KB)");
            }
            Optional<Upload> upload = offloadTopLevel(record, item, keyAttributes, source, largest.get());
            if (upload.isEmpty()) {
                throw new MappingException("the item is " + size + " bytes, over DynamoDB's limit of "
                        + DynamoDbLimits.MAX_ITEM_BYTES + " bytes, and field '" + ContentFreeText.name(largest.get()) + "' cannot be offloaded");
            }
            uploads.add(upload.get());
            offloaded.add(largest.get());
            size = ItemSize.of(item);
        }
        return new Offloaded(CompletableFuture.allOf(uploads.stream().map(Upload::stored).toArray(CompletableFuture[]::new)),
                uploads.stream().mapToLong(Upload::bytes).sum());
    }

    /** One field's object on its way to S3. */
    private record Upload(CompletableFuture<Void> stored, long bytes) {
    }

    /** Whether a field's size reaches the threshold, without counting the UTF-8 bytes of a string that surely does. */
    private boolean reachesThreshold(String name, AttributeValue value) {
        long threshold = settings.thresholdBytes();
        if (value.s() != null && value.s().length() >= threshold) {
            return true; // UTF-8 takes at least one byte per char
        }
        return ItemSize.utf8Length(name) + ItemSize.of(value) >= threshold;
    }

    private Optional<Upload> offloadTopLevel(SinkRecord record, Map<String, AttributeValue> item,
                                                              Map<String, AttributeValue> keyAttributes,
                                                              FieldSource source, String name) {
        FieldPath path = FieldPath.single(name);
        Optional<FieldSource.Value> value = source.find(path);
        if (value.isEmpty() || value.get().value() == null) {
            return Optional.empty();
        }
        return Optional.of(offloadField(record, item, keyAttributes, path, value.get(), formatFor(value.get().value())));
    }

    private Upload offloadField(SinkRecord record, Map<String, AttributeValue> item,
                                                 Map<String, AttributeValue> keyAttributes, FieldPath path,
                                                 FieldSource.Value value, FieldSerializer serializer) {
        byte[] content;
        try {
            content = serializer.serialize(value.value(), value.schema());
        } catch (RuntimeException e) {
            // a serializer (built-in or custom) refusing a value is a fact about this record, not the connector; its
            // message may quote the value, so only its type and position are kept
            throw new MappingException("field '" + ContentFreeText.name(path.toString()) + "' cannot be offloaded in "
                    + "format " + serializer.format() + ": " + ContentFreeText.failure(e));
        }
        String sha256 = Fingerprint.hex(content);
        String ext = serializer.extension() + settings.codec().suffix();
        String key = settings.keyTemplate().expand(sha256, record.topic(), safeSegment(path.toString()), ext);
        if (key.getBytes(StandardCharsets.UTF_8).length > ObjectKeyTemplate.MAX_KEY_BYTES) {
            throw new MappingException("field '" + ContentFreeText.name(path.toString()) + "' would be stored under a key of more than "
                    + ObjectKeyTemplate.MAX_KEY_BYTES + " bytes, S3's limit; shorten offload.key.template");
        }
        Pointer pointer = new Pointer(settings.bucket(), key, sha256, content.length, settings.codec(), serializer.format());
        if (!replaceAt(item, path.segments(), settings.uriPointers() ? pointer.toUriString() : pointer.toMap())) {
            throw new MappingException("field '" + ContentFreeText.name(path.toString()) + "' is not a map entry of the item and cannot be replaced");
        }
        metrics.fieldOffloaded();
        return new Upload(store.store(new StoreRequest(key, content, sha256, settings.codec(), serializer.format(),
                serializer.contentType(), provenance(record, keyAttributes))), content.length);
    }

    /** Text for strings, binary for bytes, canonical JSON for everything else. */
    static FieldSerializer formatFor(Object value) {
        if (value instanceof String || value instanceof JsonNode node && node.isTextual()) {
            return Formats.forName("text");
        }
        if (value instanceof byte[] || value instanceof ByteBuffer || value instanceof JsonNode node && node.isBinary()) {
            return Formats.forName("binary");
        }
        return Formats.forName("json");
    }

    private static boolean isPointer(AttributeValue value) {
        return Pointer.fromAttribute(value).isPresent();
    }

    /** Replaces the attribute at a path inside nested maps; false when the path does not lead to one. */
    static boolean replaceAt(Map<String, AttributeValue> item, List<String> path, AttributeValue replacement) {
        String head = path.get(0);
        if (!item.containsKey(head)) {
            return false;
        }
        if (path.size() == 1) {
            item.put(head, replacement);
            return true;
        }
        AttributeValue child = item.get(head);
        if (!child.hasM()) {
            return false;
        }
        Map<String, AttributeValue> copy = new LinkedHashMap<>(child.m());
        if (!replaceAt(copy, path.subList(1, path.size()), replacement)) {
            return false;
        }
        item.put(head, AttributeValue.fromM(copy));
        return true;
    }

    /** Object keys must not gain '/' or '..' segments from data. */
    static String safeSegment(String field) {
        String cleaned = UNSAFE_KEY_CHARACTERS.matcher(field).replaceAll("_");
        return cleaned.replace("..", "__");
    }

    private static Map<String, String> provenance(SinkRecord record, Map<String, AttributeValue> keyAttributes) {
        Map<String, String> meta = ObjectMetadata.sourceOf(record);
        StringBuilder key = new StringBuilder();
        keyAttributes.forEach((name, value) -> key.append(key.length() == 0 ? "" : "&").append(name).append('=')
                .append(value.s() != null ? value.s() : value.n() != null ? value.n() : "<binary>"));
        // S3 metadata is ASCII and small: percent-encode and cap it
        String encoded = URLEncoder.encode(key.toString(), StandardCharsets.UTF_8);
        meta.put("item-key", encoded.length() > MAX_PROVENANCE_KEY_CHARS
                ? encoded.substring(0, MAX_PROVENANCE_KEY_CHARS) + "...(truncated)" : encoded);
        return meta;
    }
}
