package io.streamoffload.connect.dynamodb.config.definitions;

import io.streamoffload.connect.dynamodb.config.Validators;
import io.streamoffload.connect.dynamodb.offload.codec.Codec;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The Offload to S3 group: the bucket, which fields go to S3 (named, or above a size), how objects are compressed, keyed
 * and pointed to, and the task's limits on uploads, dedupe and garbage collection marks.
 */
public final class OffloadDefinitions {
    public static final String GROUP_OFFLOAD = "Offload to S3";

    public static final String OFFLOAD_BUCKET = "offload.s3.bucket";
    private static final String OFFLOAD_BUCKET_DOC = "The S3 bucket for offloaded fields. Setting it turns offload on: "
            + "named fields, fields over offload.threshold.bytes, and whatever else an item needs to fit DynamoDB's "
            + "400 KB limit are stored there; the connector checks at start that it can read there (a bucket missing "
            + "or refused fails it before the first record). Empty turns offload off (items over 400 KB are then bad "
            + "records).";
    public static final String OFFLOAD_FIELDS = "offload.fields";
    private static final String OFFLOAD_FIELDS_DOC = "Fields always offloaded, as a comma-separated list of "
            + "path[:format]. A path is a top-level or dotted field (page.html). The format is text, binary, json, "
            + "avro, or the class name of a custom io.streamoffload.connect.dynamodb.offload.FieldSerializer; without "
            + "one, strings are text, bytes binary, anything else json.";
    public static final String OFFLOAD_THRESHOLD_BYTES = "offload.threshold.bytes";
    private static final String OFFLOAD_THRESHOLD_BYTES_DOC = "Any top-level field whose size as DynamoDB counts it "
            + "(name plus value) reaches this many bytes is offloaded. 0 offloads only named fields and what an item "
            + "needs to fit 400 KB.";
    public static final String OFFLOAD_CODEC = "offload.codec";
    private static final String OFFLOAD_CODEC_DOC = "How offloaded objects are compressed: zstd, gzip or none. The "
            + "object's identity (SHA-256) is that of the uncompressed bytes, whatever the codec.";
    public static final String OFFLOAD_KEY_TEMPLATE = "offload.key.template";
    private static final String OFFLOAD_KEY_TEMPLATE_DOC = "The object key: must contain {fingerprint} (hex SHA-256 of "
            + "the uncompressed bytes); may use {fingerprint:N} (its first N characters), {topic}, {field} and {ext} "
            + "(format extension and codec suffix, e.g. json.zst). Checked at config time: no leading '/', no '.' or "
            + "'..' segments, no control characters, at most 1024 bytes once expanded.";
    public static final String OFFLOAD_POINTER_FORMAT = "offload.pointer.format";
    private static final String OFFLOAD_POINTER_FORMAT_DOC = "What replaces an offloaded field: 'map', a "
            + "self-describing map {offload, uri, sha256, size, codec, format}; or 's3-uri', the bare s3://bucket/key "
            + "string pynamodb_mate's S3-backed attributes store (needs offload.codec gzip or none).";
    public static final String OFFLOAD_MAX_CONCURRENT_UPLOADS = "offload.max.concurrent.uploads";
    private static final String OFFLOAD_MAX_CONCURRENT_UPLOADS_DOC = "How many objects one task compresses and uploads at once.";
    public static final String OFFLOAD_MAX_BUFFERED_BYTES = "offload.max.buffered.bytes";
    private static final String OFFLOAD_MAX_BUFFERED_BYTES_DOC = "How many bytes of serialized field content one task "
            + "holds for uploads that have not finished. Mapping waits when this is reached, so memory for uploads "
            + "stays bounded however large a poll is; see the heap formula in docs/performance.md. A single larger field still goes, "
            + "alone. The same bound applies, with or without offload, to the records of one round of writes: a round "
            + "holding more bytes of records than this ends before put() returns, instead of overlapping the next poll.";
    public static final String OFFLOAD_DEDUPE_CACHE_ENTRIES = "offload.dedupe.cache.entries";
    private static final String OFFLOAD_DEDUPE_CACHE_ENTRIES_DOC = "How many object keys one task remembers as already "
            + "stored, to skip uploading repeated content (about 150 bytes each). Keys it forgot are still stored "
            + "once: the conditional PUT finds them.";
    public static final String OFFLOAD_DEDUPE_TTL_MS = "offload.dedupe.ttl.ms";
    private static final String OFFLOAD_DEDUPE_TTL_MS_DOC = "How long a task trusts a key it remembers as stored "
            + "before asking S3 again, and how long a write left behind by an unfinished round keeps its objects "
            + "before they are checked again. dynamodb-offload gc's grace must be at least twice this plus retry.budget.ms plus offload.gc.mark.wait.ms.";
    public static final String OFFLOAD_GC_MARK_WAIT_MS = "offload.gc.mark.wait.ms";
    private static final String OFFLOAD_GC_MARK_WAIT_MS_DOC = "When content repeats and its object carries a "
            + "garbage-collection mark, the task removes the mark and waits this long before naming the object again "
            + "(a collector finishes or abandons a deletion within half of it), storing it again if it was deleted. "
            + "dynamodb-offload gc reads the same setting from the connector's config.";
    public static final String OFFLOAD_DEAD_LETTER_PREFIX = "offload.dead.letter.prefix";
    private static final String OFFLOAD_DEAD_LETTER_PREFIX_DOC = "Where a bad record too large for the dead letter "
            + "queue producer (its max.request.size) is parked: its key and value, as they were consumed, are stored "
            + "in the offload bucket under this prefix, content-addressed and compressed like offloaded fields, and a "
            + "small dead letter naming them goes to the DLQ. Must end with '/' and be outside offload.key.template's "
            + "keys; dynamodb-offload gc never deletes under it. See docs/guarantees.md.";

    /** The longest field name {field} is assumed to stand for when checking key templates. */
    public static final int LONGEST_FIELD_NAME = 255;

    private OffloadDefinitions() {
    }

    /** Adds the group's settings to the connector's ConfigDef. */
    public static void define(ConfigDef def) {
        int order = 0;
        def.define(OFFLOAD_BUCKET, Type.STRING, "", Validators.bucketName(), Importance.HIGH, OFFLOAD_BUCKET_DOC,
                GROUP_OFFLOAD, order++, Width.MEDIUM, "Offload bucket");
        def.define(OFFLOAD_FIELDS, Type.LIST, "", Importance.HIGH, OFFLOAD_FIELDS_DOC, GROUP_OFFLOAD, order++,
                Width.LONG, "Offloaded fields");
        def.define(OFFLOAD_THRESHOLD_BYTES, Type.INT, 100 * 1024, ConfigDef.Range.between(0, 400 * 1024),
                Importance.MEDIUM, OFFLOAD_THRESHOLD_BYTES_DOC, GROUP_OFFLOAD, order++, Width.SHORT, "Offload threshold");
        def.define(OFFLOAD_CODEC, Type.STRING, Codec.ZSTD.configValue(), Validators.oneOf(Codec.configValues()),
                Importance.MEDIUM, OFFLOAD_CODEC_DOC, GROUP_OFFLOAD, order++, Width.SHORT, "Offload codec");
        def.define(OFFLOAD_KEY_TEMPLATE, Type.STRING, "offload/{fingerprint:2}/{fingerprint}.{ext}",
                Validators.objectKeyTemplate(LONGEST_FIELD_NAME), Importance.MEDIUM, OFFLOAD_KEY_TEMPLATE_DOC,
                GROUP_OFFLOAD, order++, Width.LONG, "Object key template");
        def.define(OFFLOAD_POINTER_FORMAT, Type.STRING, "map", Validators.oneOf("map", "s3-uri"), Importance.MEDIUM,
                OFFLOAD_POINTER_FORMAT_DOC, GROUP_OFFLOAD, order++, Width.SHORT, "Pointer format");
        def.define(OFFLOAD_MAX_CONCURRENT_UPLOADS, Type.INT, 8, ConfigDef.Range.between(1, 128), Importance.LOW,
                OFFLOAD_MAX_CONCURRENT_UPLOADS_DOC, GROUP_OFFLOAD, order++, Width.SHORT, "Concurrent uploads");
        def.define(OFFLOAD_MAX_BUFFERED_BYTES, Type.INT, 32 * 1024 * 1024,
                ConfigDef.Range.between(1024 * 1024, 1024 * 1024 * 1024), Importance.LOW, OFFLOAD_MAX_BUFFERED_BYTES_DOC,
                GROUP_OFFLOAD, order++, Width.SHORT, "Max buffered upload bytes");
        def.define(OFFLOAD_DEDUPE_CACHE_ENTRIES, Type.INT, 100_000, ConfigDef.Range.between(0, 10_000_000),
                Importance.LOW, OFFLOAD_DEDUPE_CACHE_ENTRIES_DOC, GROUP_OFFLOAD, order++, Width.SHORT, "Dedupe cache entries");
        def.define(OFFLOAD_DEDUPE_TTL_MS, Type.LONG, 3_600_000L, ConfigDef.Range.between(0, 7L * 24 * 3_600_000),
                Importance.LOW, OFFLOAD_DEDUPE_TTL_MS_DOC, GROUP_OFFLOAD, order++, Width.SHORT, "Dedupe trust period");
        def.define(OFFLOAD_GC_MARK_WAIT_MS, Type.LONG, 30_000L, ConfigDef.Range.between(200, 600_000),
                Importance.LOW, OFFLOAD_GC_MARK_WAIT_MS_DOC, GROUP_OFFLOAD, order++, Width.SHORT, "GC mark wait");
        def.define(OFFLOAD_DEAD_LETTER_PREFIX, Type.STRING, "_dynamodb-offload/dead-letters/",
                Validators.keyPrefix(), Importance.LOW, OFFLOAD_DEAD_LETTER_PREFIX_DOC, GROUP_OFFLOAD, order,
                Width.MEDIUM, "Dead letter prefix");
    }
}
