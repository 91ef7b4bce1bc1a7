package io.streamoffload.connect.dynamodb.read;

import io.streamoffload.connect.dynamodb.offload.FieldSerializer;
import io.streamoffload.connect.dynamodb.offload.Fingerprint;
import io.streamoffload.connect.dynamodb.offload.Pointer;
import io.streamoffload.connect.dynamodb.offload.codec.Codec;
import io.streamoffload.connect.dynamodb.offload.format.Formats;
import io.streamoffload.connect.dynamodb.offload.store.ObjectMetadata;
import io.streamoffload.connect.dynamodb.util.Pools;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Reads items written by the connector back into their original values: finds each pointer (at any depth of nested
 * maps), fetches the objects in parallel, decompresses them, checks SHA-256 and size against the pointer, and
 * deserializes them. A mismatch raises {@link OffloadIntegrityException} naming the object; wrong data is never
 * returned.
 *
 * <pre>{@code
 * try (OffloadedItemReader reader = new OffloadedItemReader(s3)) {
 *     HydratedItem page = reader.hydrate(dynamo.getItem(r -> r.tableName("pages").key(key)).item());
 *     String html = page.text("html");
 * }
 * }</pre>
 */
public final class OffloadedItemReader implements AutoCloseable {
    /** Pointer maps only: which strings are bare URIs depends on the bucket, so those are read with readUri. */
    private static final PointerLocator POINTER_MAPS = new PointerLocator(Optional.empty());
    private final S3Client s3;
    private final ExecutorService executor;
    private final boolean ownsExecutor;
    private final Map<String, FieldSerializer> customFormats = new ConcurrentHashMap<>();

    /** A reader fetching up to 8 objects at once. */
    public OffloadedItemReader(S3Client s3) {
        this(s3, Pools.fixed("offload-reader", 8), true);
    }

    /** A reader fetching on the given executor, which the caller keeps and closes. */
    public OffloadedItemReader(S3Client s3, ExecutorService executor) {
        this(s3, executor, false);
    }

    private OffloadedItemReader(S3Client s3, ExecutorService executor, boolean ownsExecutor) {
        this.s3 = s3;
        this.executor = executor;
        this.ownsExecutor = ownsExecutor;
    }

    /** Makes a custom format readable: pointers naming {@code serializer.format()} are deserialized by it. */
    public OffloadedItemReader register(FieldSerializer serializer) {
        customFormats.put(serializer.format(), serializer);
        return this;
    }

    /** Reads every offloaded field of an item. */
    public HydratedItem hydrate(Map<String, AttributeValue> item) {
        Map<String, CompletableFuture<Object>> reads = new LinkedHashMap<>();
        for (PointerLocator.Located located : POINTER_MAPS.locate(item)) {
            Pointer pointer = located.pointer().orElseThrow();
            reads.put(located.path(), CompletableFuture.supplyAsync(() -> read(pointer), executor));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        try {
            reads.forEach((path, future) -> values.put(path, future.join()));
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
        return new HydratedItem(item, values);
    }

    /** Fetches, verifies and deserializes one pointer's object. */
    public Object read(Pointer pointer) {
        return deserializer(pointer.format(), pointer.uri()).deserialize(readVerified(pointer));
    }

    /**
     * Reads a bare {@code s3://bucket/key} pointer (offload.pointer.format=s3-uri), verifying it against the
     * SHA-256, size, codec and format the connector recorded in the object's metadata.
     */
    public Object readUri(String uri) {
        VerifiedObject object = readVerifiedUri(uri);
        return deserializer(object.pointer().format(), uri).deserialize(object.content());
    }

    /** A bare URI's object, verified against its metadata, with the pointer that metadata amounts to. */
    public VerifiedObject readVerifiedUri(String uri) {
        String[] location = Pointer.splitUri(uri);
        ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(g -> g.bucket(location[0]).key(location[1]));
        Map<String, String> meta = object.response().metadata();
        if (!meta.containsKey(ObjectMetadata.SHA256)) {
            throw new OffloadIntegrityException(uri + " has no content-sha256 metadata: it was not written by this connector");
        }
        Pointer pointer;
        try {
            pointer = new Pointer(location[0], location[1], meta.get(ObjectMetadata.SHA256),
                    Long.parseLong(meta.get(ObjectMetadata.UNCOMPRESSED_SIZE)), Codec.fromConfig(meta.get(ObjectMetadata.CODEC)),
                    meta.get(ObjectMetadata.FORMAT));
        } catch (RuntimeException e) {
            throw new OffloadIntegrityException(uri + " has unreadable offload metadata " + meta + ": " + e.getMessage(), e);
        }
        return new VerifiedObject(pointer, verify(pointer, object.asByteArrayUnsafe()));
    }

    /** An object's uncompressed content, checked against its pointer. */
    public record VerifiedObject(Pointer pointer, byte[] content) {
    }

    /** Deserializes verified content the way the connector serialized it. */
    public Object deserialize(Pointer pointer, byte[] content) {
        return deserializer(pointer.format(), pointer.uri()).deserialize(content);
    }

    /** The verified, uncompressed bytes of a pointer's object. */
    public byte[] readVerified(Pointer pointer) {
        ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(g -> g.bucket(pointer.bucket()).key(pointer.key()));
        return verify(pointer, object.asByteArrayUnsafe());
    }

    private static byte[] verify(Pointer pointer, byte[] stored) {
        byte[] content;
        try {
            content = pointer.codec().decompress(stored, pointer.size());
        } catch (RuntimeException e) {
            throw new OffloadIntegrityException(pointer.uri() + " cannot be decompressed as " + pointer.codec().configValue()
                    + ": " + e.getMessage(), e);
        }
        if (content.length != pointer.size()) {
            throw new OffloadMismatchException(pointer.uri() + " holds " + content.length + " bytes but the pointer says "
                    + pointer.size());
        }
        String sha256 = Fingerprint.hex(content);
        if (!sha256.equals(pointer.sha256())) {
            throw new OffloadMismatchException(pointer.uri() + " failed its checksum: SHA-256 of the content is " + sha256
                    + " but the pointer says " + pointer.sha256());
        }
        return content;
    }

    private FieldSerializer deserializer(String format, String uri) {
        FieldSerializer custom = customFormats.get(format);
        if (custom != null) {
            return custom;
        }
        return Formats.builtIn(format).orElseThrow(() -> new IllegalStateException(uri + " has custom format '" + format
                + "': register its FieldSerializer with OffloadedItemReader.register"));
    }

    @Override
    public void close() {
        if (ownsExecutor) {
            executor.shutdownNow();
        }
    }

    /** Every pointer map in an item, at any depth, in attribute order. */
    public static List<Pointer> pointers(Map<String, AttributeValue> item) {
        return POINTER_MAPS.locate(item).stream().map(located -> located.pointer().orElseThrow()).toList();
    }
}
