package io.streamoffload.connect.dynamodb;

import io.streamoffload.connect.dynamodb.config.AssumeRole;
import io.streamoffload.connect.dynamodb.config.AwsConnection;
import io.streamoffload.connect.dynamodb.config.ConfigProblem;
import io.streamoffload.connect.dynamodb.config.CredentialsMode;
import io.streamoffload.connect.dynamodb.config.FieldPath;
import io.streamoffload.connect.dynamodb.config.KeySource;
import io.streamoffload.connect.dynamodb.config.KeySpec;
import io.streamoffload.connect.dynamodb.config.KeyType;
import io.streamoffload.connect.dynamodb.config.TableNameFormat;
import io.streamoffload.connect.dynamodb.config.Validators;
import io.streamoffload.connect.dynamodb.config.WriteSettings;
import io.streamoffload.connect.dynamodb.config.WriteSettings.CdcFormat;
import io.streamoffload.connect.dynamodb.config.WriteSettings.Choice;
import io.streamoffload.connect.dynamodb.config.WriteSettings.Mode;
import io.streamoffload.connect.dynamodb.config.WriteSettings.VersionSource;
import io.streamoffload.connect.dynamodb.mapping.TemporalFormat;
import io.streamoffload.connect.dynamodb.offload.NamedField;
import io.streamoffload.connect.dynamodb.offload.ObjectKeyTemplate;
import io.streamoffload.connect.dynamodb.offload.OffloadSettings;
import io.streamoffload.connect.dynamodb.offload.codec.Codec;
import io.streamoffload.connect.dynamodb.writer.Backoff;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The connector's whole configuration: one {@link ConfigDef} in named groups, parsed once into typed fields.
 * Single-field rules live in validators; rules that relate several fields are {@link #problems()}, reported on
 * each field involved by {@link DynamoDbSinkConnector#validate(Map)} and thrown by {@link #DynamoDbSinkConfig(Map)}.
 */
public final class DynamoDbSinkConfig extends AbstractConfig {

    public static final String GROUP_CONNECTION = "Connection";
    public static final String GROUP_SECURITY = "Security";
    public static final String GROUP_TABLE = "Table";
    public static final String GROUP_KEYS = "Keys";
    public static final String GROUP_MAPPING = "Mapping";
    public static final String GROUP_BATCHING = "Batching and retries";
    public static final String GROUP_OFFLOAD = "Offload to S3";
    public static final String GROUP_WRITE_MODES = "Write modes";

    /** Prefixes of the three connection settings blocks: shared, then per-service overrides. */
    public static final String AWS_PREFIX = "aws.";
    public static final String DYNAMODB_PREFIX = "dynamodb.";
    public static final String S3_PREFIX = "s3.";

    // Suffixes shared by the aws.*, dynamodb.* and s3.* blocks
    public static final String REGION = "region";
    public static final String ENDPOINT_URL = "endpoint.url";
    public static final String CREDENTIALS_PROVIDER = "credentials.provider";
    public static final String ACCESS_KEY_ID = "access.key.id";
    public static final String SECRET_ACCESS_KEY = "secret.access.key";
    public static final String SESSION_TOKEN = "session.token";
    public static final String PROFILE_NAME = "profile.name";
    public static final String ASSUME_ROLE_ARN = "assume.role.arn";
    public static final String ASSUME_ROLE_EXTERNAL_ID = "assume.role.external.id";
    public static final String ASSUME_ROLE_SESSION_NAME = "assume.role.session.name";
    public static final String ASSUME_ROLE_DURATION_SECONDS = "assume.role.duration.seconds";
    public static final String AWS_STS_ENDPOINT_URL = "aws.sts.endpoint.url";
    private static final String AWS_STS_ENDPOINT_URL_DOC = "An endpoint URL override for STS, used to assume the roles "
            + "in the *.assume.role.arn settings (an STS VPC endpoint). Empty uses the regional STS endpoint.";
    private static final String DEFAULT_SESSION_NAME = "kafka-connect-dynamodb-sink";

    public static final String AWS_API_CALL_ATTEMPT_TIMEOUT_MS = "aws.api.call.attempt.timeout.ms";
    private static final String AWS_API_CALL_ATTEMPT_TIMEOUT_MS_DOC =
            "How long one HTTP attempt to DynamoDB or S3 may take before it is abandoned and counted as a retryable failure.";
    public static final String S3_PATH_STYLE_ACCESS = "s3.path.style.access";
    private static final String S3_PATH_STYLE_ACCESS_DOC =
            "Address S3 buckets as http://endpoint/bucket instead of http://bucket.endpoint; needed by most S3-compatible servers.";

    public static final String TABLE_NAME_FORMAT = "table.name.format";
    private static final String TABLE_NAME_FORMAT_DOC = "The DynamoDB table each record is written to: a fixed name, "
            + "or a format in which ${topic} is replaced by the record's topic (one table per topic).";
    public static final String TABLE_AUTO_CREATE = "table.auto.create";
    private static final String TABLE_AUTO_CREATE_DOC = "Create a missing table (on-demand billing, key schema from the "
            + "key.* settings, TTL enabled when ttl.attribute is set) and wait until it is created. When false, the table must "
            + "exist and its key schema must match the key.* settings, or the connector fails at start with what differs.";
    public static final String TABLE_ACTIVE_TIMEOUT_MS = "table.active.timeout.ms";
    private static final String TABLE_ACTIVE_TIMEOUT_MS_DOC = "How long to wait for a table that is being created (CREATING) "
            + "to become usable. Tables that are UPDATING take writes and are used at once.";

    public static final String KEY_PARTITION_PREFIX = KeySpec.Role.PARTITION.configPrefix();
    public static final String KEY_SORT_PREFIX = KeySpec.Role.SORT.configPrefix();
    public static final String KEY_ATTRIBUTE = "attribute";
    public static final String KEY_SOURCE = "source";
    public static final String KEY_FIELD = "field";
    public static final String KEY_TYPE = "type";

    public static final String VALUE_STRING_FORMAT = "value.string.format";
    private static final String VALUE_STRING_FORMAT_DOC = "How a record value that is a Java String is read: 'json' parses it "
            + "as a JSON object whose fields become attributes; 'raw' stores the string as is under value.raw.attribute.";
    public static final String VALUE_RAW_ATTRIBUTE = "value.raw.attribute";
    private static final String VALUE_RAW_ATTRIBUTE_DOC = "The attribute that holds a raw value: a byte[] value (B), "
            + "or a String value (S) when value.string.format=raw.";
    public static final String TEMPORAL_FORMAT = "temporal.format";
    private static final String TEMPORAL_FORMAT_DOC = "How Connect Date, Time and Timestamp logical values are stored: "
            + "'iso8601' as strings (2024-05-01, 13:45:30.250, 2024-05-01T13:45:30.250Z, always UTC) that sort in time order, "
            + "or 'epoch_millis' as numbers (milliseconds since 1970-01-01T00:00Z; for Time, since midnight).";
    public static final String TOMBSTONE_BEHAVIOR = "tombstone.behavior";
    private static final String TOMBSTONE_BEHAVIOR_DOC = "What a record with a null value does: 'delete' deletes the item "
            + "with that key; 'ignore' skips the record (it is still counted and its offset committed).";
    public static final String TTL_ATTRIBUTE = "ttl.attribute";
    private static final String TTL_ATTRIBUTE_DOC = "When set, each item gets this attribute holding an expiry time in "
            + "epoch seconds: the record timestamp (or the time of writing, for records without one) plus ttl.seconds. "
            + "Empty turns TTL off.";
    public static final String TTL_SECONDS = "ttl.seconds";
    private static final String TTL_SECONDS_DOC = "How long after the record timestamp an item expires, when ttl.attribute is set.";

    public static final String BATCH_SIZE = "batch.size";
    private static final String BATCH_SIZE_DOC = "Write requests per BatchWriteItem call; DynamoDB allows at most 25. "
            + "A call is also cut before it would exceed 16 MB.";
    public static final String MAX_CONCURRENT_BATCHES = "max.concurrent.batches";
    private static final String MAX_CONCURRENT_BATCHES_DOC = "How many BatchWriteItem calls one task keeps in flight at once.";
    public static final String MAX_CONCURRENT_ITEM_WRITES = "max.concurrent.item.writes";
    private static final String MAX_CONCURRENT_ITEM_WRITES_DOC = "How many single-item calls (PutItem, UpdateItem, "
            + "DeleteItem: write.mode=update and versioned writes) one task keeps in flight at once, each to another "
            + "key. One item per call makes a call's latency the limit: calls in flight / latency is the rate. The "
            + "adaptive limit stays at or below this, and each call in flight is a thread of the task.";
    public static final String RETRY_BUDGET_MS = "retry.budget.ms";
    private static final String RETRY_BUDGET_MS_DOC = "How long one put() keeps retrying throttled, unprocessed or failed "
            + "writes before handing the records back to Kafka Connect for redelivery.";
    public static final String RETRY_BACKOFF_BASE_MS = "retry.backoff.base.ms";
    private static final String RETRY_BACKOFF_BASE_MS_DOC = "The first retry waits up to this long; each further retry doubles "
            + "the ceiling (full jitter: the wait is uniform between zero and the ceiling).";
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    private static final String RETRY_BACKOFF_MAX_MS_DOC = "The cap on the backoff ceiling, and the wait Kafka Connect is "
            + "asked to observe before redelivering.";
    public static final String RETRY_MAX_REDELIVERIES = "retry.max.redeliveries";
    private static final String RETRY_MAX_REDELIVERIES_DOC = "How many times in a row a batch of records may be handed back "
            + "for redelivery after its retry budget is spent, without any of its pending writes getting through, "
            + "before the task fails with the reason. Rounds that make progress do not count.";

    public static final String OFFLOAD_BUCKET = "offload.s3.bucket";
    private static final String OFFLOAD_BUCKET_DOC = "The S3 bucket for offloaded fields. Setting it turns offload on: "
            + "named fields, fields over offload.threshold.bytes, and whatever else an item needs to fit DynamoDB's "
            + "400 KB limit are stored there. Empty turns offload off (items over 400 KB are then bad records).";
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
            + "stays bounded however large a poll is; see the README's heap formula. A single larger field still goes, "
            + "alone.";
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
    public static final String S3_SSE = "s3.sse";
    private static final String S3_SSE_DOC = "Server-side encryption of offloaded objects: none (the bucket's default), "
            + "AES256 (SSE-S3) or aws:kms (SSE-KMS).";
    public static final String S3_SSE_KMS_KEY_ID = "s3.sse.kms.key.id";
    private static final String S3_SSE_KMS_KEY_ID_DOC = "The KMS key id or ARN for s3.sse=aws:kms; empty uses the "
            + "AWS-managed key.";
    public static final String S3_EXPECTED_BUCKET_OWNER = "s3.expected.bucket.owner";
    private static final String S3_EXPECTED_BUCKET_OWNER_DOC = "The AWS account id that must own the offload bucket; "
            + "requests fail if another account owns it.";
    public static final String WRITE_MODE = "write.mode";
    private static final String WRITE_MODE_DOC = "'put' replaces the whole item with what the record carries "
            + "(BatchWriteItem); 'update' sets the attributes the record carries and keeps the item's others (one "
            + "UpdateItem per record).";
    public static final String WRITE_UPDATE_NULLS = "write.update.nulls";
    private static final String WRITE_UPDATE_NULLS_DOC = "In update mode, what a top-level field that is explicitly null "
            + "does: 'remove' removes the attribute from the item; 'keep' stores it as NULL. A field the record does not "
            + "carry at all leaves its attribute as it is.";
    public static final String WRITE_VERSION_SOURCE = "write.version.source";
    private static final String WRITE_VERSION_SOURCE_DOC = "Where each write's version comes from: empty (no versions: "
            + "the last record consumed wins), 'record.value' (the numeric field write.version.field), 'kafka.offset' "
            + "or 'kafka.timestamp'. With a version, a put, update or delete applies only if the item does not exist, "
            + "has no version attribute, or holds a strictly smaller version; a write that is not newer is counted "
            + "(WritesSuperseded) and skipped, never an error. Writes then go one item per call.";
    public static final String WRITE_VERSION_FIELD = "write.version.field";
    private static final String WRITE_VERSION_FIELD_DOC = "With write.version.source=record.value, a dotted path to "
            + "the numeric field holding the version; with cdc.format=debezium the path is into the change event "
            + "(ts_ms, source.lsn, source.ts_ms), not its 'after' row.";
    public static final String WRITE_VERSION_ATTRIBUTE = "write.version.attribute";
    private static final String WRITE_VERSION_ATTRIBUTE_DOC = "The item attribute that stores the version of the write "
            + "that made it, and against which later writes are compared.";
    public static final String CDC_FORMAT = "cdc.format";
    private static final String CDC_FORMAT_DOC = "'none': record values are rows. 'debezium': record values are Debezium "
            + "change events (Struct with schema, schemaless JSON, or a JSON string): 'c', 'r' and 'u' write 'after', "
            + "'d' deletes the key taken from 'before' (or from the record key, as the key settings say), tombstones are "
            + "ignored (the 'd' event before them deleted the item), and any other operation is a bad record.";

    /** The longest field name {field} is assumed to stand for when checking key templates. */
    private static final int LONGEST_FIELD_NAME = 255;

    public static final ConfigDef CONFIG_DEF = configDef();

    private final AwsConnection dynamoDbConnection;
    private final AwsConnection s3Connection;
    private final TableNameFormat tableNameFormat;
    private final boolean tableAutoCreate;
    private final Duration tableActiveTimeout;
    private final KeySpec partitionKey;
    private final Optional<KeySpec> sortKey;
    private final boolean stringValuesAreJson;
    private final String rawValueAttribute;
    private final TemporalFormat temporalFormat;
    private final boolean deleteOnTombstone;
    private final Optional<String> ttlAttribute;
    private final Duration ttl;
    private final int batchSize;
    private final int maxConcurrentBatches;
    private final int maxConcurrentItemWrites;
    private final Duration retryBudget;
    private final Duration backoffBase;
    private final Duration backoffMax;
    private final int maxRedeliveries;
    private final Optional<OffloadSettings> offload;
    private final WriteSettings writeSettings;
    private final List<ConfigProblem> problems;

    /** Parses and checks the config; throws {@link ConfigException} naming every inconsistent setting. */
    public DynamoDbSinkConfig(Map<?, ?> props) {
        this(props, true);
    }

    private DynamoDbSinkConfig(Map<?, ?> props, boolean failOnProblems) {
        super(CONFIG_DEF, props, false);
        this.problems = new ArrayList<>();
        this.dynamoDbConnection = connection("dynamodb", DYNAMODB_PREFIX, false);
        this.s3Connection = connection("s3", S3_PREFIX, getBoolean(S3_PATH_STYLE_ACCESS));
        this.tableNameFormat = TableNameFormat.parse(getString(TABLE_NAME_FORMAT));
        this.tableAutoCreate = getBoolean(TABLE_AUTO_CREATE);
        this.tableActiveTimeout = Duration.ofMillis(getLong(TABLE_ACTIVE_TIMEOUT_MS));
        this.partitionKey = keySpec(KeySpec.Role.PARTITION).orElse(null);
        this.sortKey = keySpec(KeySpec.Role.SORT);
        this.stringValuesAreJson = "json".equals(lower(VALUE_STRING_FORMAT));
        this.rawValueAttribute = getString(VALUE_RAW_ATTRIBUTE);
        this.temporalFormat = TemporalFormat.fromConfig(getString(TEMPORAL_FORMAT));
        this.deleteOnTombstone = "delete".equals(lower(TOMBSTONE_BEHAVIOR));
        this.ttlAttribute = optionalString(TTL_ATTRIBUTE);
        this.ttl = Duration.ofSeconds(getLong(TTL_SECONDS));
        this.batchSize = getInt(BATCH_SIZE);
        this.maxConcurrentBatches = getInt(MAX_CONCURRENT_BATCHES);
        this.maxConcurrentItemWrites = getInt(MAX_CONCURRENT_ITEM_WRITES);
        this.retryBudget = Duration.ofMillis(getLong(RETRY_BUDGET_MS));
        this.backoffBase = Duration.ofMillis(getLong(RETRY_BACKOFF_BASE_MS));
        this.backoffMax = Duration.ofMillis(getLong(RETRY_BACKOFF_MAX_MS));
        this.maxRedeliveries = getInt(RETRY_MAX_REDELIVERIES);
        this.offload = offloadSettings();
        this.writeSettings = parseWriteSettings();
        checkRelations();
        if (failOnProblems && !problems.isEmpty()) {
            throw new ConfigException("Invalid DynamoDB sink configuration: "
                    + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("; ")));
        }
    }

    /** Parses without failing on cross-field problems, so that validation can report them per field. */
    static DynamoDbSinkConfig forValidation(Map<?, ?> props) {
        return new DynamoDbSinkConfig(props, false);
    }

    private static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        defineConnection(def, AWS_PREFIX, "", "the shared AWS settings used by both clients");
        defineConnection(def, DYNAMODB_PREFIX, AWS_PREFIX, "the DynamoDB client");
        defineConnection(def, S3_PREFIX, AWS_PREFIX, "the S3 client");
        int order = 100;
        def.define(AWS_API_CALL_ATTEMPT_TIMEOUT_MS, Type.LONG, 30_000L, ConfigDef.Range.between(100, 600_000),
                Importance.LOW, AWS_API_CALL_ATTEMPT_TIMEOUT_MS_DOC, GROUP_CONNECTION, order++, Width.SHORT,
                "API call attempt timeout (ms)");
        def.define(S3_PATH_STYLE_ACCESS, Type.BOOLEAN, false, Importance.LOW, S3_PATH_STYLE_ACCESS_DOC,
                GROUP_CONNECTION, order++, Width.SHORT, "S3 path-style access");
        def.define(AWS_STS_ENDPOINT_URL, Type.STRING, "", Validators.endpointUrl(), Importance.LOW,
                AWS_STS_ENDPOINT_URL_DOC, GROUP_CONNECTION, order, Width.LONG, "STS endpoint URL");

        order = 0;
        def.define(TABLE_NAME_FORMAT, Type.STRING, "${topic}", Validators.tableNameFormat(), Importance.HIGH,
                TABLE_NAME_FORMAT_DOC, GROUP_TABLE, order++, Width.MEDIUM, "Table name format");
        def.define(TABLE_AUTO_CREATE, Type.BOOLEAN, false, Importance.MEDIUM, TABLE_AUTO_CREATE_DOC,
                GROUP_TABLE, order++, Width.SHORT, "Create missing tables");
        def.define(TABLE_ACTIVE_TIMEOUT_MS, Type.LONG, 300_000L, ConfigDef.Range.between(1_000, 3_600_000),
                Importance.LOW, TABLE_ACTIVE_TIMEOUT_MS_DOC, GROUP_TABLE, order, Width.SHORT, "Table ACTIVE timeout (ms)");

        defineKey(def, KEY_PARTITION_PREFIX, "partition", "pk", KeySource.RECORD_KEY.configValue(), 0);
        defineKey(def, KEY_SORT_PREFIX, "sort", "", KeySource.RECORD_KEY.configValue(), 10);

        order = 0;
        def.define(VALUE_STRING_FORMAT, Type.STRING, "json", Validators.oneOf("json", "raw"), Importance.MEDIUM,
                VALUE_STRING_FORMAT_DOC, GROUP_MAPPING, order++, Width.SHORT, "String value format");
        def.define(VALUE_RAW_ATTRIBUTE, Type.STRING, "value", new ConfigDef.NonEmptyString(), Importance.LOW,
                VALUE_RAW_ATTRIBUTE_DOC, GROUP_MAPPING, order++, Width.SHORT, "Raw value attribute");
        def.define(TEMPORAL_FORMAT, Type.STRING, TemporalFormat.ISO8601.configValue(),
                Validators.oneOf(TemporalFormat.configValues()), Importance.LOW, TEMPORAL_FORMAT_DOC, GROUP_MAPPING,
                order++, Width.SHORT, "Date/time representation");
        def.define(TOMBSTONE_BEHAVIOR, Type.STRING, "delete", Validators.oneOf("delete", "ignore"), Importance.MEDIUM,
                TOMBSTONE_BEHAVIOR_DOC, GROUP_MAPPING, order++, Width.SHORT, "Tombstone behaviour");
        def.define(TTL_ATTRIBUTE, Type.STRING, "", Importance.LOW, TTL_ATTRIBUTE_DOC, GROUP_MAPPING, order++,
                Width.SHORT, "TTL attribute");
        def.define(TTL_SECONDS, Type.LONG, 0L, ConfigDef.Range.atLeast(0), Importance.LOW, TTL_SECONDS_DOC,
                GROUP_MAPPING, order, Width.SHORT, "TTL (seconds)");

        order = 0;
        def.define(BATCH_SIZE, Type.INT, 25, ConfigDef.Range.between(1, 25), Importance.MEDIUM, BATCH_SIZE_DOC,
                GROUP_BATCHING, order++, Width.SHORT, "Batch size");
        def.define(MAX_CONCURRENT_BATCHES, Type.INT, 4, ConfigDef.Range.between(1, 64), Importance.MEDIUM,
                MAX_CONCURRENT_BATCHES_DOC, GROUP_BATCHING, order++, Width.SHORT, "Concurrent batches");
        def.define(MAX_CONCURRENT_ITEM_WRITES, Type.INT, 32, ConfigDef.Range.between(1, 256), Importance.MEDIUM,
                MAX_CONCURRENT_ITEM_WRITES_DOC, GROUP_BATCHING, order++, Width.SHORT, "Concurrent item writes");
        def.define(RETRY_BUDGET_MS, Type.LONG, 30_000L, ConfigDef.Range.between(0, 3_600_000), Importance.MEDIUM,
                RETRY_BUDGET_MS_DOC, GROUP_BATCHING, order++, Width.SHORT, "Retry budget (ms)");
        def.define(RETRY_BACKOFF_BASE_MS, Type.LONG, 50L, ConfigDef.Range.between(1, 60_000), Importance.LOW,
                RETRY_BACKOFF_BASE_MS_DOC, GROUP_BATCHING, order++, Width.SHORT, "Backoff base (ms)");
        def.define(RETRY_BACKOFF_MAX_MS, Type.LONG, 5_000L, ConfigDef.Range.between(1, 600_000), Importance.LOW,
                RETRY_BACKOFF_MAX_MS_DOC, GROUP_BATCHING, order++, Width.SHORT, "Backoff cap (ms)");
        def.define(RETRY_MAX_REDELIVERIES, Type.INT, 10, ConfigDef.Range.between(0, 1_000), Importance.LOW,
                RETRY_MAX_REDELIVERIES_DOC, GROUP_BATCHING, order, Width.SHORT, "Max redeliveries");

        order = 0;
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
                Importance.LOW, OFFLOAD_GC_MARK_WAIT_MS_DOC, GROUP_OFFLOAD, order, Width.SHORT, "GC mark wait");

        order = 60;
        def.define(S3_SSE, Type.STRING, "none", Validators.oneOf("none", "AES256", "aws:kms"), Importance.MEDIUM,
                S3_SSE_DOC, GROUP_SECURITY, order++, Width.SHORT, "S3 server-side encryption");
        def.define(S3_SSE_KMS_KEY_ID, Type.STRING, "", Importance.LOW, S3_SSE_KMS_KEY_ID_DOC, GROUP_SECURITY, order++,
                Width.MEDIUM, "S3 KMS key id");
        def.define(S3_EXPECTED_BUCKET_OWNER, Type.STRING, "", Importance.LOW, S3_EXPECTED_BUCKET_OWNER_DOC,
                GROUP_SECURITY, order, Width.SHORT, "S3 expected bucket owner");

        order = 0;
        def.define(WRITE_MODE, Type.STRING, Mode.PUT.configValue(), Validators.oneOf(Choice.values(Mode.class)),
                Importance.MEDIUM, WRITE_MODE_DOC, GROUP_WRITE_MODES, order++, Width.SHORT, "Write mode");
        def.define(WRITE_UPDATE_NULLS, Type.STRING, "remove", Validators.oneOf("remove", "keep"), Importance.LOW,
                WRITE_UPDATE_NULLS_DOC, GROUP_WRITE_MODES, order++, Width.SHORT, "Null fields in updates");
        String[] versionSources = new String[VersionSource.values().length + 1];
        versionSources[0] = "";
        System.arraycopy(Choice.values(VersionSource.class), 0, versionSources, 1, VersionSource.values().length);
        def.define(WRITE_VERSION_SOURCE, Type.STRING, "", Validators.oneOf(versionSources), Importance.MEDIUM,
                WRITE_VERSION_SOURCE_DOC, GROUP_WRITE_MODES, order++, Width.SHORT, "Version source");
        def.define(WRITE_VERSION_FIELD, Type.STRING, "", Importance.MEDIUM, WRITE_VERSION_FIELD_DOC,
                GROUP_WRITE_MODES, order++, Width.MEDIUM, "Version field");
        def.define(WRITE_VERSION_ATTRIBUTE, Type.STRING, "_version", new ConfigDef.NonEmptyString(), Importance.LOW,
                WRITE_VERSION_ATTRIBUTE_DOC, GROUP_WRITE_MODES, order++, Width.SHORT, "Version attribute");
        def.define(CDC_FORMAT, Type.STRING, CdcFormat.NONE.configValue(), Validators.oneOf(Choice.values(CdcFormat.class)),
                Importance.MEDIUM, CDC_FORMAT_DOC, GROUP_WRITE_MODES, order, Width.SHORT, "Change-event format");
        return def;
    }

    private static void defineConnection(ConfigDef def, String prefix, String inheritsFrom, String subject) {
        boolean shared = inheritsFrom.isEmpty();
        String inherit = shared ? "" : " Empty inherits " + inheritsFrom + "%s.";
        String label = shared ? "AWS" : prefix.equals(DYNAMODB_PREFIX) ? "DynamoDB" : "S3";
        int order = shared ? 0 : prefix.equals(DYNAMODB_PREFIX) ? 20 : 40;
        def.define(prefix + REGION, Type.STRING, "", Validators.region(), Importance.HIGH,
                "The AWS region of " + subject + ", e.g. us-east-1." + inherit.formatted(REGION)
                        + (shared ? " Empty uses the SDK's default region chain (AWS_REGION, profile, instance metadata)." : ""),
                GROUP_CONNECTION, order++, Width.SHORT, label + " region");
        def.define(prefix + ENDPOINT_URL, Type.STRING, "", Validators.endpointUrl(), Importance.LOW,
                "An endpoint URL override for " + subject + " (a VPC endpoint, a DynamoDB-compatible server, an S3-compatible server)."
                        + inherit.formatted(ENDPOINT_URL),
                GROUP_CONNECTION, order, Width.LONG, label + " endpoint URL");
        order = shared ? 0 : prefix.equals(DYNAMODB_PREFIX) ? 20 : 40;
        String[] modes = shared
                ? new String[] {"default", "static", "profile"}
                : new String[] {"", "default", "static", "profile"};
        def.define(prefix + CREDENTIALS_PROVIDER, Type.STRING, shared ? "default" : "", Validators.oneOf(modes),
                Importance.HIGH, "Where " + subject + " gets credentials: 'default' (the SDK's default provider chain), "
                        + "'static' (the access key settings below), 'profile' (a named profile)."
                        + inherit.formatted(CREDENTIALS_PROVIDER),
                GROUP_SECURITY, order++, Width.SHORT, label + " credentials provider");
        def.define(prefix + ACCESS_KEY_ID, Type.PASSWORD, null, Importance.HIGH,
                "The access key id for " + subject + " when the credentials provider is 'static'.",
                GROUP_SECURITY, order++, Width.MEDIUM, label + " access key id");
        def.define(prefix + SECRET_ACCESS_KEY, Type.PASSWORD, null, Importance.HIGH,
                "The secret access key for " + subject + " when the credentials provider is 'static'.",
                GROUP_SECURITY, order++, Width.MEDIUM, label + " secret access key");
        def.define(prefix + SESSION_TOKEN, Type.PASSWORD, null, Importance.LOW,
                "An optional session token for temporary 'static' credentials of " + subject + ".",
                GROUP_SECURITY, order++, Width.MEDIUM, label + " session token");
        def.define(prefix + PROFILE_NAME, Type.STRING, "", Importance.LOW,
                "The profile name for " + subject + " when the credentials provider is 'profile'.",
                GROUP_SECURITY, order++, Width.SHORT, label + " profile name");
        def.define(prefix + ASSUME_ROLE_ARN, Type.STRING, "", Validators.roleArn(), Importance.MEDIUM,
                "An IAM role for " + subject + " to assume through STS, signing with temporary credentials that are "
                        + "refreshed before they expire; the credentials above are used to call STS. Empty: no role."
                        + inherit.formatted(ASSUME_ROLE_ARN),
                GROUP_SECURITY, order++, Width.LONG, label + " role ARN");
        def.define(prefix + ASSUME_ROLE_EXTERNAL_ID, Type.PASSWORD, null, Importance.LOW,
                "The external id the role's trust policy requires, if any." + inherit.formatted(ASSUME_ROLE_EXTERNAL_ID),
                GROUP_SECURITY, order++, Width.MEDIUM, label + " role external id");
        def.define(prefix + ASSUME_ROLE_SESSION_NAME, Type.STRING, shared ? DEFAULT_SESSION_NAME : "",
                Validators.roleSessionName(shared), Importance.LOW,
                "The role session name, as CloudTrail shows it." + inherit.formatted(ASSUME_ROLE_SESSION_NAME),
                GROUP_SECURITY, order++, Width.SHORT, label + " role session name");
        def.define(prefix + ASSUME_ROLE_DURATION_SECONDS, Type.INT, shared ? 3600 : 0,
                Validators.roleDuration(shared), Importance.LOW,
                "How long each set of temporary credentials lasts, in seconds (900 to 43200, within the role's maximum)."
                        + (shared ? "" : " 0 inherits " + inheritsFrom + ASSUME_ROLE_DURATION_SECONDS + "."),
                GROUP_SECURITY, order, Width.SHORT, label + " role session duration");
    }

    private static void defineKey(ConfigDef def, String prefix, String kind, String defaultAttribute,
                                  String defaultSource, int order) {
        boolean sort = prefix.equals(KEY_SORT_PREFIX);
        String label = sort ? "Sort key" : "Partition key";
        def.define(prefix + KEY_ATTRIBUTE, Type.STRING, defaultAttribute, Importance.HIGH,
                "The name of the " + kind + " key attribute." + (sort ? " Empty means the table has no sort key." : ""),
                GROUP_KEYS, order++, Width.SHORT, label + " attribute");
        def.define(prefix + KEY_SOURCE, Type.STRING, defaultSource, Validators.oneOf(KeySource.configValues()),
                Importance.HIGH, "Where the " + kind + " key value comes from: 'record.key' (the whole key if it is a "
                        + "primitive, or " + prefix + KEY_FIELD + " of a Struct/Map key), 'record.value' ("
                        + prefix + KEY_FIELD + " of the value), or a Kafka coordinate ('kafka.topic', 'kafka.partition', "
                        + "'kafka.offset').",
                GROUP_KEYS, order++, Width.SHORT, label + " source");
        def.define(prefix + KEY_FIELD, Type.STRING, "", Importance.HIGH,
                "A dotted path (a.b.c) into nested Structs or Maps of the record key or value holding the " + kind
                        + " key. Required for 'record.value'; empty with 'record.key' takes the whole key.",
                GROUP_KEYS, order++, Width.MEDIUM, label + " field");
        def.define(prefix + KEY_TYPE, Type.STRING, "S", Validators.oneOf("S", "N", "B"), Importance.MEDIUM,
                "The DynamoDB type of the " + kind + " key attribute: S (string), N (number) or B (binary). Values are "
                        + "converted to it: numbers and booleans to strings for S, numeric strings to numbers for N, "
                        + "strings to UTF-8 for B.",
                GROUP_KEYS, order, Width.SHORT, label + " type");
    }

    private AwsConnection connection(String service, String prefix, boolean pathStyle) {
        CredentialsMode mode = CredentialsMode.fromConfig(
                pick(prefix + CREDENTIALS_PROVIDER, AWS_PREFIX + CREDENTIALS_PROVIDER).orElse("default"));
        String credentialsPrefix = optionalString(prefix + CREDENTIALS_PROVIDER).isPresent() ? prefix : AWS_PREFIX;
        Optional<URI> endpoint = pick(prefix + ENDPOINT_URL, AWS_PREFIX + ENDPOINT_URL).map(URI::create);
        if (mode == CredentialsMode.STATIC) {
            requirePassword(credentialsPrefix + ACCESS_KEY_ID, credentialsPrefix + CREDENTIALS_PROVIDER);
            requirePassword(credentialsPrefix + SECRET_ACCESS_KEY, credentialsPrefix + CREDENTIALS_PROVIDER);
        }
        if (mode == CredentialsMode.PROFILE && optionalString(credentialsPrefix + PROFILE_NAME).isEmpty()) {
            problems.add(ConfigProblem.of(credentialsPrefix + PROFILE_NAME + " is required when "
                    + credentialsPrefix + CREDENTIALS_PROVIDER + "=profile",
                    credentialsPrefix + PROFILE_NAME, credentialsPrefix + CREDENTIALS_PROVIDER));
        }
        return new AwsConnection(
                service,
                pick(prefix + REGION, AWS_PREFIX + REGION),
                endpoint,
                mode,
                password(credentialsPrefix + ACCESS_KEY_ID),
                password(credentialsPrefix + SECRET_ACCESS_KEY),
                password(credentialsPrefix + SESSION_TOKEN),
                optionalString(credentialsPrefix + PROFILE_NAME),
                assumeRole(prefix),
                optionalString(AWS_STS_ENDPOINT_URL).map(URI::create),
                Duration.ofMillis(getLong(AWS_API_CALL_ATTEMPT_TIMEOUT_MS)),
                pathStyle);
    }

    /** The role a client assumes: each setting of the service's block, or the shared one where that is empty. */
    private Optional<AssumeRole> assumeRole(String prefix) {
        return pick(prefix + ASSUME_ROLE_ARN, AWS_PREFIX + ASSUME_ROLE_ARN).map(arn -> new AssumeRole(arn,
                password(prefix + ASSUME_ROLE_EXTERNAL_ID).or(() -> password(AWS_PREFIX + ASSUME_ROLE_EXTERNAL_ID)),
                pick(prefix + ASSUME_ROLE_SESSION_NAME, AWS_PREFIX + ASSUME_ROLE_SESSION_NAME).orElse(DEFAULT_SESSION_NAME),
                Duration.ofSeconds(getInt(prefix + ASSUME_ROLE_DURATION_SECONDS) > 0
                        ? getInt(prefix + ASSUME_ROLE_DURATION_SECONDS) : getInt(AWS_PREFIX + ASSUME_ROLE_DURATION_SECONDS))));
    }

    private void requirePassword(String key, String providerKey) {
        if (password(key).isEmpty()) {
            problems.add(ConfigProblem.of(key + " is required when " + providerKey + "=static", key, providerKey));
        }
    }

    private Optional<KeySpec> keySpec(KeySpec.Role role) {
        String prefix = role.configPrefix();
        Optional<String> attribute = optionalString(prefix + KEY_ATTRIBUTE);
        if (attribute.isEmpty()) {
            if (role == KeySpec.Role.PARTITION) {
                problems.add(ConfigProblem.of("the partition key attribute name must not be empty", prefix + KEY_ATTRIBUTE));
            }
            return Optional.empty();
        }
        KeySource source = KeySource.fromConfig(getString(prefix + KEY_SOURCE));
        Optional<FieldPath> field = Optional.empty();
        try {
            field = optionalString(prefix + KEY_FIELD).map(FieldPath::parse);
        } catch (IllegalArgumentException e) {
            problems.add(ConfigProblem.of(e.getMessage(), prefix + KEY_FIELD));
        }
        KeyType type = KeyType.valueOf(getString(prefix + KEY_TYPE).trim().toUpperCase(Locale.ROOT));
        if (source == KeySource.RECORD_VALUE && field.isEmpty()) {
            problems.add(ConfigProblem.of(prefix + KEY_FIELD + " is required when " + prefix + KEY_SOURCE + "="
                    + source.configValue(), prefix + KEY_FIELD, prefix + KEY_SOURCE));
        }
        if (source.isKafkaCoordinate() && field.isPresent()) {
            problems.add(ConfigProblem.of(prefix + KEY_FIELD + " must be empty when " + prefix + KEY_SOURCE + "="
                    + source.configValue() + " (a Kafka coordinate has no fields)", prefix + KEY_FIELD, prefix + KEY_SOURCE));
        }
        if (source == KeySource.KAFKA_TOPIC && type == KeyType.N) {
            problems.add(ConfigProblem.of("a topic name cannot be stored as type N", prefix + KEY_TYPE, prefix + KEY_SOURCE));
        }
        return Optional.of(new KeySpec(role, attribute.get(), source, field, type));
    }

    private Optional<OffloadSettings> offloadSettings() {
        List<NamedField> named = new ArrayList<>();
        for (String entry : getList(OFFLOAD_FIELDS)) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                named.add(NamedField.parse(entry));
            } catch (IllegalArgumentException e) {
                problems.add(ConfigProblem.of("'" + entry.trim() + "': " + e.getMessage(), OFFLOAD_FIELDS));
            }
        }
        Optional<String> bucket = optionalString(OFFLOAD_BUCKET);
        if (bucket.isEmpty()) {
            if (!named.isEmpty()) {
                problems.add(ConfigProblem.of(OFFLOAD_FIELDS + " needs " + OFFLOAD_BUCKET, OFFLOAD_FIELDS, OFFLOAD_BUCKET));
            }
            return Optional.empty();
        }
        Codec codec = Codec.fromConfig(getString(OFFLOAD_CODEC));
        boolean uriPointers = "s3-uri".equals(lower(OFFLOAD_POINTER_FORMAT));
        if (uriPointers && codec == Codec.ZSTD) {
            problems.add(ConfigProblem.of("s3-uri pointers do not record the codec, and pynamodb_mate reads gzip or "
                    + "uncompressed objects: set " + OFFLOAD_CODEC + " to gzip or none", OFFLOAD_CODEC, OFFLOAD_POINTER_FORMAT));
        }
        // the validator accepts any case; S3 accepts only these spellings
        String sse = switch (lower(S3_SSE)) {
            case "aes256" -> "AES256";
            case "aws:kms" -> "aws:kms";
            default -> "none";
        };
        Optional<String> kmsKey = optionalString(S3_SSE_KMS_KEY_ID);
        if (kmsKey.isPresent() && !"aws:kms".equals(sse)) {
            problems.add(ConfigProblem.of(S3_SSE_KMS_KEY_ID + " needs " + S3_SSE + "=aws:kms", S3_SSE_KMS_KEY_ID, S3_SSE));
        }
        int longestField = named.stream().mapToInt(f -> f.path().toString().length()).max().orElse(0);
        ObjectKeyTemplate template = ObjectKeyTemplate.parse(getString(OFFLOAD_KEY_TEMPLATE),
                Math.max(LONGEST_FIELD_NAME, longestField));
        return Optional.of(new OffloadSettings(bucket.get(), List.copyOf(named), getInt(OFFLOAD_THRESHOLD_BYTES), codec,
                template, uriPointers, getInt(OFFLOAD_MAX_CONCURRENT_UPLOADS), getInt(OFFLOAD_MAX_BUFFERED_BYTES),
                getInt(OFFLOAD_DEDUPE_CACHE_ENTRIES), Duration.ofMillis(getLong(OFFLOAD_DEDUPE_TTL_MS)),
                Duration.ofMillis(getLong(OFFLOAD_GC_MARK_WAIT_MS)),
                "none".equals(sse) ? Optional.empty() : Optional.of(sse), kmsKey, optionalString(S3_EXPECTED_BUCKET_OWNER)));
    }

    private WriteSettings parseWriteSettings() {
        Mode mode = Choice.parse(Mode.class, getString(WRITE_MODE));
        CdcFormat cdc = Choice.parse(CdcFormat.class, getString(CDC_FORMAT));
        Optional<FieldPath> field = Optional.empty();
        try {
            field = optionalString(WRITE_VERSION_FIELD).map(FieldPath::parse);
        } catch (IllegalArgumentException e) {
            problems.add(ConfigProblem.of(e.getMessage(), WRITE_VERSION_FIELD));
        }
        Optional<WriteSettings.Version> version = optionalString(WRITE_VERSION_SOURCE)
                .map(v -> Choice.parse(VersionSource.class, v))
                .map(source -> new WriteSettings.Version(source, Optional.empty(), getString(WRITE_VERSION_ATTRIBUTE).trim()));
        if (version.isPresent()) {
            VersionSource source = version.get().source();
            if (source == VersionSource.RECORD_VALUE && field.isEmpty()) {
                problems.add(ConfigProblem.of(WRITE_VERSION_FIELD + " is required when " + WRITE_VERSION_SOURCE
                        + "=record.value", WRITE_VERSION_FIELD, WRITE_VERSION_SOURCE));
            }
            if (source != VersionSource.RECORD_VALUE && field.isPresent()) {
                problems.add(ConfigProblem.of(WRITE_VERSION_FIELD + " must be empty when " + WRITE_VERSION_SOURCE + "="
                        + source.configValue() + " (a Kafka coordinate has no fields)", WRITE_VERSION_FIELD, WRITE_VERSION_SOURCE));
            }
            String attribute = version.get().attribute();
            for (KeySpec key : keys()) {
                if (key.attribute().equals(attribute)) {
                    problems.add(ConfigProblem.of("the version attribute must not be a key attribute: DynamoDB cannot "
                            + "compare a key's versions", WRITE_VERSION_ATTRIBUTE, key.role().configPrefix() + KEY_ATTRIBUTE));
                }
            }
            if (ttlAttribute.isPresent() && ttlAttribute.get().equals(attribute)) {
                problems.add(ConfigProblem.of("the version attribute must not be the TTL attribute",
                        WRITE_VERSION_ATTRIBUTE, TTL_ATTRIBUTE));
            }
            version = Optional.of(new WriteSettings.Version(source, source == VersionSource.RECORD_VALUE ? field
                    : Optional.empty(), attribute));
        } else if (field.isPresent()) {
            problems.add(ConfigProblem.of(WRITE_VERSION_FIELD + " has no effect without " + WRITE_VERSION_SOURCE
                    + "=record.value", WRITE_VERSION_FIELD, WRITE_VERSION_SOURCE));
        }
        return new WriteSettings(mode, "remove".equals(lower(WRITE_UPDATE_NULLS)), version, cdc);
    }

    private void checkRelations() {
        if (partitionKey != null && sortKey.isPresent() && partitionKey.attribute().equals(sortKey.get().attribute())) {
            problems.add(ConfigProblem.of("the partition and sort key attributes must have different names",
                    KEY_PARTITION_PREFIX + KEY_ATTRIBUTE, KEY_SORT_PREFIX + KEY_ATTRIBUTE));
        }
        // change events carry their key in 'before' for deletes, and their tombstones are ignored
        if (deleteOnTombstone && writeSettings.cdc() == CdcFormat.NONE) {
            for (KeySpec key : keys()) {
                if (key.source() == KeySource.RECORD_VALUE) {
                    String prefix = key.role().configPrefix();
                    problems.add(ConfigProblem.of("a tombstone has no value to take the key from: with "
                                    + prefix + KEY_SOURCE + "=record.value set " + TOMBSTONE_BEHAVIOR + "=ignore",
                            prefix + KEY_SOURCE, TOMBSTONE_BEHAVIOR));
                }
            }
        }
        if (deleteOnTombstone && writeSettings.cdc() == CdcFormat.NONE && writeSettings.version()
                .filter(v -> v.source() == VersionSource.RECORD_VALUE).isPresent()) {
            problems.add(ConfigProblem.of("a tombstone has no value to take the version from: with "
                    + WRITE_VERSION_SOURCE + "=record.value set " + TOMBSTONE_BEHAVIOR + "=ignore, or take versions "
                    + "from kafka.offset or kafka.timestamp", WRITE_VERSION_SOURCE, TOMBSTONE_BEHAVIOR));
        }
        if (ttlAttribute.isPresent() && ttl.isZero()) {
            problems.add(ConfigProblem.of(TTL_SECONDS + " must be greater than 0 when " + TTL_ATTRIBUTE + " is set",
                    TTL_SECONDS, TTL_ATTRIBUTE));
        }
        if (ttlAttribute.isPresent() && keys().stream().anyMatch(k -> k.attribute().equals(ttlAttribute.get()))) {
            problems.add(ConfigProblem.of("the TTL attribute must not be a key attribute", TTL_ATTRIBUTE));
        }
        for (KeySpec key : keys()) {
            if (key.attribute().equals(rawValueAttribute)) {
                problems.add(ConfigProblem.of("the raw value attribute must not be a key attribute, or the key would "
                        + "overwrite the value", VALUE_RAW_ATTRIBUTE, key.role().configPrefix() + KEY_ATTRIBUTE));
            }
        }
        if (backoffBase.compareTo(backoffMax) > 0) {
            problems.add(ConfigProblem.of(RETRY_BACKOFF_BASE_MS + " must not exceed " + RETRY_BACKOFF_MAX_MS,
                    RETRY_BACKOFF_BASE_MS, RETRY_BACKOFF_MAX_MS));
        }
    }

    private Optional<String> pick(String specific, String shared) {
        return optionalString(specific).or(() -> optionalString(shared));
    }

    private Optional<String> optionalString(String key) {
        String value = getString(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private Optional<Password> password(String key) {
        Password value = getPassword(key);
        return value == null || value.value() == null || value.value().isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private String lower(String key) {
        return getString(key).trim().toLowerCase(Locale.ROOT);
    }

    /** Settings that conflict with each other; empty when the config is consistent. */
    public List<ConfigProblem> problems() {
        return List.copyOf(problems);
    }

    public AwsConnection dynamoDbConnection() {
        return dynamoDbConnection;
    }

    public AwsConnection s3Connection() {
        return s3Connection;
    }

    public TableNameFormat tableNameFormat() {
        return tableNameFormat;
    }

    public boolean tableAutoCreate() {
        return tableAutoCreate;
    }

    public Duration tableActiveTimeout() {
        return tableActiveTimeout;
    }

    public KeySpec partitionKey() {
        return partitionKey;
    }

    public Optional<KeySpec> sortKey() {
        return sortKey;
    }

    /** The partition key, then the sort key if there is one. */
    public List<KeySpec> keys() {
        List<KeySpec> keys = new ArrayList<>(2);
        if (partitionKey != null) {
            keys.add(partitionKey);
        }
        sortKey.ifPresent(keys::add);
        return keys;
    }

    public boolean stringValuesAreJson() {
        return stringValuesAreJson;
    }

    public String rawValueAttribute() {
        return rawValueAttribute;
    }

    public TemporalFormat temporalFormat() {
        return temporalFormat;
    }

    public boolean deleteOnTombstone() {
        return deleteOnTombstone;
    }

    public Optional<String> ttlAttribute() {
        return ttlAttribute;
    }

    public Duration ttl() {
        return ttl;
    }

    public int batchSize() {
        return batchSize;
    }

    public int maxConcurrentBatches() {
        return maxConcurrentBatches;
    }

    public int maxConcurrentItemWrites() {
        return maxConcurrentItemWrites;
    }

    /** The DynamoDB calls one task may have in flight, in the way it writes: the size of its connection pool. */
    public int maxConcurrentDynamoDbCalls() {
        return writeSettings().singleItemWrites() ? maxConcurrentItemWrites : maxConcurrentBatches;
    }

    public Duration retryBudget() {
        return retryBudget;
    }

    public Duration backoffBase() {
        return backoffBase;
    }

    public Duration backoffMax() {
        return backoffMax;
    }

    /** Backoff between retries of any AWS call, from backoff.base.ms and backoff.max.ms. */
    public Backoff backoff() {
        return new Backoff(backoffBase, backoffMax);
    }

    public int maxRedeliveries() {
        return maxRedeliveries;
    }

    /** Put or update, versions, change events. */
    public WriteSettings writeSettings() {
        return writeSettings;
    }

    /** How fields go to S3; empty when offload is off. */
    public Optional<OffloadSettings> offload() {
        return offload;
    }
}
