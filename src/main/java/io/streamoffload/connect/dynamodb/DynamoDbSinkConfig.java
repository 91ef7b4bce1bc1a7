package io.streamoffload.connect.dynamodb;

import static io.streamoffload.connect.dynamodb.config.definitions.BatchingDefinitions.*;
import static io.streamoffload.connect.dynamodb.config.definitions.ConnectionDefinitions.*;
import static io.streamoffload.connect.dynamodb.config.definitions.KeyDefinitions.*;
import static io.streamoffload.connect.dynamodb.config.definitions.MappingDefinitions.*;
import static io.streamoffload.connect.dynamodb.config.definitions.OffloadDefinitions.*;
import static io.streamoffload.connect.dynamodb.config.definitions.SecurityDefinitions.*;
import static io.streamoffload.connect.dynamodb.config.definitions.TableDefinitions.*;
import static io.streamoffload.connect.dynamodb.config.definitions.WriteModeDefinitions.*;

import io.streamoffload.connect.dynamodb.config.AssumeRole;
import io.streamoffload.connect.dynamodb.config.AwsConnection;
import io.streamoffload.connect.dynamodb.config.ItemBatching;
import io.streamoffload.connect.dynamodb.config.ItemHttpClient;
import io.streamoffload.connect.dynamodb.config.ConfigChoice;
import io.streamoffload.connect.dynamodb.config.ConfigProblem;
import io.streamoffload.connect.dynamodb.config.CredentialsMode;
import io.streamoffload.connect.dynamodb.config.FieldPath;
import io.streamoffload.connect.dynamodb.config.KeySource;
import io.streamoffload.connect.dynamodb.config.KeySpec;
import io.streamoffload.connect.dynamodb.config.KeyType;
import io.streamoffload.connect.dynamodb.config.TableNameFormat;
import io.streamoffload.connect.dynamodb.config.WriteSettings.CdcFormat;
import io.streamoffload.connect.dynamodb.config.WriteSettings.Mode;
import io.streamoffload.connect.dynamodb.config.WriteSettings.VersionSource;
import io.streamoffload.connect.dynamodb.config.WriteSettings;
import io.streamoffload.connect.dynamodb.config.definitions.BatchingDefinitions;
import io.streamoffload.connect.dynamodb.config.definitions.ConnectionDefinitions;
import io.streamoffload.connect.dynamodb.config.definitions.KeyDefinitions;
import io.streamoffload.connect.dynamodb.config.definitions.MappingDefinitions;
import io.streamoffload.connect.dynamodb.config.definitions.OffloadDefinitions;
import io.streamoffload.connect.dynamodb.config.definitions.SecurityDefinitions;
import io.streamoffload.connect.dynamodb.config.definitions.TableDefinitions;
import io.streamoffload.connect.dynamodb.config.definitions.WriteModeDefinitions;
import io.streamoffload.connect.dynamodb.mapping.TemporalFormat;
import io.streamoffload.connect.dynamodb.offload.NamedField;
import io.streamoffload.connect.dynamodb.offload.ObjectKeyTemplate;
import io.streamoffload.connect.dynamodb.offload.OffloadSettings;
import io.streamoffload.connect.dynamodb.offload.codec.Codec;
import io.streamoffload.connect.dynamodb.offload.store.GcMarks;
import io.streamoffload.connect.dynamodb.retry.Backoff;
import io.streamoffload.connect.dynamodb.retry.RetryPolicy;
import io.streamoffload.connect.dynamodb.retry.Sleeper;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The connector's whole configuration: one {@link ConfigDef} in named groups (each defined by a class of its own in
 * {@code config.definitions}), parsed once into typed fields.
 * Single-field rules live in validators; rules that relate several fields are {@link #problems()}, reported on
 * each field involved by {@link DynamoDbSinkConnector#validate(Map)} and thrown by {@link #DynamoDbSinkConfig(Map)}.
 */
public final class DynamoDbSinkConfig extends AbstractConfig {

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
    private final ItemHttpClient itemWritesHttpClient;
    private final ItemBatching itemWritesBatching;
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
        this.itemWritesHttpClient = ItemHttpClient.valueOf(lower(ITEM_WRITES_HTTP_CLIENT).toUpperCase(Locale.ROOT));
        this.itemWritesBatching = ConfigChoice.parse(ItemBatching.class, getString(ITEM_WRITES_BATCHING),
                "item writes batching");
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

    /** The groups in the order the reference and Connect's UI show them. */
    private static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        ConnectionDefinitions.define(def);
        SecurityDefinitions.define(def);
        TableDefinitions.define(def);
        KeyDefinitions.define(def);
        MappingDefinitions.define(def);
        BatchingDefinitions.define(def);
        OffloadDefinitions.define(def);
        WriteModeDefinitions.define(def);
        return def;
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
        String deadLetterPrefix = getString(OFFLOAD_DEAD_LETTER_PREFIX);
        String offloadPrefix = template.literalPrefix();
        boolean overlaps = offloadPrefix.startsWith(deadLetterPrefix)
                || (!offloadPrefix.isEmpty() && deadLetterPrefix.startsWith(offloadPrefix));
        if (overlaps || GcMarks.isMark(deadLetterPrefix)) {
            problems.add(ConfigProblem.of(OFFLOAD_DEAD_LETTER_PREFIX + " '" + deadLetterPrefix + "' overlaps the keys of "
                    + OFFLOAD_KEY_TEMPLATE + " (which start with '" + offloadPrefix + "') or the garbage collector's marks "
                    + "under " + GcMarks.PREFIX + ": parked dead letters need a prefix of their own",
                    OFFLOAD_DEAD_LETTER_PREFIX, OFFLOAD_KEY_TEMPLATE));
        }
        return Optional.of(new OffloadSettings(bucket.get(), List.copyOf(named), getInt(OFFLOAD_THRESHOLD_BYTES), codec,
                template, uriPointers, getInt(OFFLOAD_MAX_CONCURRENT_UPLOADS), getInt(OFFLOAD_MAX_BUFFERED_BYTES),
                getInt(OFFLOAD_DEDUPE_CACHE_ENTRIES), Duration.ofMillis(getLong(OFFLOAD_DEDUPE_TTL_MS)),
                Duration.ofMillis(getLong(OFFLOAD_GC_MARK_WAIT_MS)),
                "none".equals(sse) ? Optional.empty() : Optional.of(sse), kmsKey, optionalString(S3_EXPECTED_BUCKET_OWNER),
                deadLetterPrefix));
    }

    private WriteSettings parseWriteSettings() {
        Mode mode = ConfigChoice.parse(Mode.class, getString(WRITE_MODE), "write mode");
        CdcFormat cdc = ConfigChoice.parse(CdcFormat.class, getString(CDC_FORMAT), "change event format");
        Optional<FieldPath> field = Optional.empty();
        try {
            field = optionalString(WRITE_VERSION_FIELD).map(FieldPath::parse);
        } catch (IllegalArgumentException e) {
            problems.add(ConfigProblem.of(e.getMessage(), WRITE_VERSION_FIELD));
        }
        Optional<WriteSettings.Version> version = optionalString(WRITE_VERSION_SOURCE)
                .map(v -> ConfigChoice.parse(VersionSource.class, v, "version source"))
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
        Optional<WriteSettings.Unavailable> unavailable = Optional.empty();
        String placeholder = getString(CDC_UNAVAILABLE_VALUE_PLACEHOLDER);
        if (cdc == CdcFormat.DEBEZIUM && placeholder != null && !placeholder.isEmpty()) {
            String columns = getString(CDC_UNAVAILABLE_COLUMNS_ATTRIBUTE).trim();
            unavailable = Optional.of(new WriteSettings.Unavailable(placeholder, columns));
            for (KeySpec key : keys()) {
                if (key.attribute().equals(columns)) {
                    problems.add(ConfigProblem.of("the unavailable-columns attribute must not be a key attribute",
                            CDC_UNAVAILABLE_COLUMNS_ATTRIBUTE, key.role().configPrefix() + KEY_ATTRIBUTE));
                }
            }
            if (version.isPresent() && version.get().attribute().equals(columns)) {
                problems.add(ConfigProblem.of("the unavailable-columns attribute must not be the version attribute",
                        CDC_UNAVAILABLE_COLUMNS_ATTRIBUTE, WRITE_VERSION_ATTRIBUTE));
            }
            if (ttlAttribute.isPresent() && ttlAttribute.get().equals(columns)) {
                problems.add(ConfigProblem.of("the unavailable-columns attribute must not be the TTL attribute",
                        CDC_UNAVAILABLE_COLUMNS_ATTRIBUTE, TTL_ATTRIBUTE));
            }
        }
        return new WriteSettings(mode, "remove".equals(lower(WRITE_UPDATE_NULLS)), version, cdc, unavailable);
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

    /**
     * Above this many bytes of records (with their offloaded fields), a round of writes ends before put() returns
     * rather than overlap the next poll: offload.max.buffered.bytes, read with or without offload.
     */
    public long maxPipelinedBytes() {
        return getInt(OFFLOAD_MAX_BUFFERED_BYTES);
    }

    public int maxConcurrentBatches() {
        return maxConcurrentBatches;
    }

    public int maxConcurrentItemWrites() {
        return maxConcurrentItemWrites;
    }

    /** The HTTP client of single-item calls: an asynchronous one (Netty's, the CRT's), or a thread each on Apache's. */
    public ItemHttpClient itemWritesHttpClient() {
        return itemWritesHttpClient;
    }

    /** Whether single-item writes under way at once go together in transactions. */
    public ItemBatching itemWritesBatching() {
        return itemWritesBatching;
    }

    /** The DynamoDB calls one task may have in flight, in the way it writes: the size of its connection pool. */
    public int maxConcurrentDynamoDbCalls() {
        return writeSettings().singleItemWrites() ? maxConcurrentItemWrites : maxConcurrentBatches;
    }

    public Duration retryBudget() {
        return retryBudget;
    }

    public Duration backoffMax() {
        return backoffMax;
    }

    /** Backoff between retries of any AWS call, from retry.backoff.base.ms and retry.backoff.max.ms. */
    public Backoff backoff() {
        return new Backoff(backoffBase, backoffMax);
    }

    /** How every AWS call is retried: {@link #backoff()} within retry.budget.ms. */
    public RetryPolicy retryPolicy(Clock clock, Sleeper sleeper) {
        return new RetryPolicy(backoff(), retryBudget, clock, sleeper);
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
