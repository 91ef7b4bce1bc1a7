package io.streamoffload.connect.dynamodb.mapping;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.streamoffload.connect.dynamodb.DynamoDbSinkConfig;
import io.streamoffload.connect.dynamodb.config.KeySource;
import io.streamoffload.connect.dynamodb.config.TableNameFormat;
import io.streamoffload.connect.dynamodb.config.WriteSettings;
import io.streamoffload.connect.dynamodb.errors.ContentFreeText;
import io.streamoffload.connect.dynamodb.errors.OriginalCoordinates;
import io.streamoffload.connect.dynamodb.offload.FieldSource;
import io.streamoffload.connect.dynamodb.offload.Offloader;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Turns a record into the write it means for DynamoDB: a put or an update of an item (as write.mode says), a delete
 * of a key, or nothing (an ignored tombstone). A record that breaks a DynamoDB rule raises {@link MappingException} with the reason.
 */
public final class RecordMapper {
    private static final Logger log = LoggerFactory.getLogger(RecordMapper.class);
    /** Debezium's header on the delete event of a row whose primary key changed: the row's new key. */
    static final String NEW_KEY_HEADER = "__debezium.newkey";
    /**
     * Jackson's default 20 M character string limit would refuse large fields that offload exists for; its limits on
     * number length and nesting stay, since DynamoDB allows far less (38 digits, 32 levels) anyway.
     */
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    private final TableNameFormat tableNameFormat;
    private final AttributeConverter converter;
    private final List<KeyExtractor> keys;
    private final boolean stringValuesAreJson;
    private final String rawValueAttribute;
    private final boolean deleteOnTombstone;
    private final Optional<String> ttlAttribute;
    private final long ttlSeconds;
    private final Clock clock;
    private final Optional<Offloader> offloader;
    private final WriteOperation.Kind upsert;
    private final boolean changeEvents;
    private final Optional<VersionReader> versions;
    private final Optional<UnavailableValues> unavailable;
    private final Optional<String> unavailableColumnsAttribute;
    private final Map<String, String> tables = new java.util.concurrent.ConcurrentHashMap<>();

    public RecordMapper(DynamoDbSinkConfig config, Clock clock) {
        this(config, clock, Optional.empty());
    }

    public RecordMapper(DynamoDbSinkConfig config, Clock clock, Optional<Offloader> offloader) {
        this.offloader = offloader;
        this.tableNameFormat = config.tableNameFormat();
        this.converter = new AttributeConverter(config.temporalFormat());
        WriteSettings writes = config.writeSettings();
        this.unavailable = writes.unavailable().map(UnavailableValues::new);
        this.unavailableColumnsAttribute = changeEvents(writes)
                ? writes.unavailable().map(WriteSettings.Unavailable::columnsAttribute) : Optional.empty();
        this.keys = config.keys().stream().map(spec -> new KeyExtractor(spec, converter, unavailable)).toList();
        this.stringValuesAreJson = config.stringValuesAreJson();
        this.rawValueAttribute = config.rawValueAttribute();
        this.deleteOnTombstone = config.deleteOnTombstone();
        this.ttlAttribute = config.ttlAttribute();
        this.ttlSeconds = config.ttl().toSeconds();
        this.clock = clock;
        this.upsert = writes.mode() == WriteSettings.Mode.UPDATE ? WriteOperation.Kind.UPDATE : WriteOperation.Kind.PUT;
        this.changeEvents = writes.cdc() == WriteSettings.CdcFormat.DEBEZIUM;
        this.versions = writes.version().map(spec -> new VersionReader(spec, unavailable));
    }

    private static boolean changeEvents(WriteSettings writes) {
        return writes.cdc() == WriteSettings.CdcFormat.DEBEZIUM;
    }

    /** The table a topic's records go to; a topic that yields no legal table name is a configuration error. */
    public String tableFor(String topic) {
        String table = tables.get(topic);
        if (table != null) {
            return table;
        }
        try {
            table = tableNameFormat.tableFor(topic);
            // the name is checked with a regular expression: once per topic, not per record
            if (tables.size() < 10_000) {
                tables.put(topic, table);
            }
            return table;
        } catch (IllegalArgumentException e) {
            throw new UnwritableTopicException("Records of topic " + topic + " cannot be written: "
                    + e.getMessage() + "; change table.name.format", e);
        }
    }

    /**
     * The write for this record, or empty for a tombstone that is configured to be ignored (with change events, every
     * tombstone: the delete event before it deleted the item).
     */
    public Optional<WriteOperation> map(SinkRecord record) {
        String table = tableFor(record.topic());
        if (record.value() == null) {
            if (!deleteOnTombstone || changeEvents) {
                return Optional.empty();
            }
            return Optional.of(versioned(WriteOperation.delete(table, keyOf(record, null), record), record,
                    Optional.empty()));
        }
        Object value = record.value() instanceof String text && stringValuesAreJson ? parseJsonObject(text) : record.value();
        if (!changeEvents) {
            return Optional.of(upsert(table, record, value, record.valueSchema(),
                    new RecordFieldSource(value, record.valueSchema(), null)));
        }
        ChangeEvent event = ChangeEvent.of(value, record.valueSchema());
        FieldSource eventFields = event::field;
        if (event.op() == ChangeEvent.Op.DELETE) {
            Map<String, AttributeValue> before = event.before().map(row -> itemOf(row.value(), row.schema()).item())
                    .orElse(null);
            if (before == null && keys.stream().anyMatch(k -> k.spec().source() == KeySource.RECORD_VALUE)) {
                throw new MappingException("the delete change event has no 'before' row to take the key from");
            }
            Map<String, AttributeValue> key = keyOf(record, before);
            WriteOperation delete = WriteOperation.delete(table, key, record);
            Optional<Map<String, AttributeValue>> movedTo = newKeyOf(record, before, key);
            return Optional.of(versioned(movedTo.map(delete::movingTo).orElse(delete), record, Optional.of(eventFields)));
        }
        FieldSource.Value after = event.after().orElseThrow(() -> new MappingException("the '"
                + event.op().name().toLowerCase() + "' change event has no 'after' row"));
        if (event.op() == ChangeEvent.Op.READ && versions.isPresent()) {
            // a snapshot row's position (say, the snapshot's LSN) can be past a change that committed after the
            // snapshot began but was logged before it: any streamed change must win over a snapshot row
            return Optional.of(upsert(table, record, after.value(), after.schema(), null).whereUnversioned());
        }
        return Optional.of(upsert(table, record, after.value(), after.schema(), eventFields));
    }

    /**
     * The put or update of a row (the record value, or a change event's 'after').
     *
     * @param versionFields where a record.value version is found: the row itself, or the change event; null for a
     *                      write that carries no version
     */
    private WriteOperation upsert(String table, SinkRecord record, Object value, Schema schema,
                                  FieldSource versionFields) {
        Mapped mapped = itemOf(value, schema);
        Map<String, AttributeValue> item = mapped.item();
        Map<String, AttributeValue> key = keyOf(record, item);
        // columns a change event could not carry are never written: the item keeps what it holds for them
        Set<String> missing = changeEvents ? unavailable.map(u -> u.columnsOf(value)).orElse(Set.of()) : Set.of();
        if (unavailableColumnsAttribute.isPresent() && item.containsKey(unavailableColumnsAttribute.get())) {
            throw new MappingException("the row has a column named '" + ContentFreeText.name(
                    unavailableColumnsAttribute.get()) + "', which cdc.unavailable.columns.attribute names as the "
                    + "attribute listing the columns an item lacks; set that setting to a name no column has");
        }
        FieldSource source = mapped.source();
        if (!missing.isEmpty()) {
            item.keySet().removeAll(missing);
            source = path -> missing.contains(path.segments().get(0)) ? Optional.empty() : mapped.source().find(path);
        }
        // Key attributes win over value fields of the same name: the key config is the contract
        item.putAll(key);
        ttlAttribute.ifPresent(attribute -> item.put(attribute, AttributeValue.fromN(Long.toString(expiry(record)))));
        // read before offloading: the version must be a number, which a named field could turn into a pointer
        Optional<AttributeValue> version = versionFields == null ? Optional.empty()
                : versions.map(v -> v.read(record, Optional.of(versionFields)));
        version.ifPresent(v -> item.put(versions.get().attribute(), v));
        FieldSource visible = source;
        Optional<Offloader.Offloaded> offloaded = offloader.map(o -> o.offload(record, item, visible, key));
        WriteOperation write = WriteOperation.of(upsert, table, key, item, record,
                offloaded.map(Offloader.Offloaded::stored).orElseGet(() -> CompletableFuture.completedFuture(null)),
                offloaded.map(Offloader.Offloaded::contentBytes).orElse(0L));
        if (write.bytes() > DynamoDbLimits.MAX_ITEM_BYTES) {
            throw new MappingException("the item is " + write.bytes() + " bytes as DynamoDB counts it (attribute names "
                    + "plus values), over DynamoDB's item limit of " + DynamoDbLimits.MAX_ITEM_BYTES + " bytes (400 KB)"
                    + (offloader.isEmpty() ? "; set offload.s3.bucket to store large fields in S3" : ""));
        }
        if (!missing.isEmpty()) {
            write = write.leaving(missing);
        }
        return version.map(write::versioned).orElse(write);
    }

    /**
     * For the delete event of a row whose primary key changed (Debezium's {@value #NEW_KEY_HEADER} header), the key
     * of the row's new item, when the event for the new key may lack columns: the table's replica identity sent only
     * the old key's columns in 'before' (with FULL it sends every column, and Debezium fills the new row from them).
     * Empty when there is nothing to carry over, or the new key cannot be derived from the header.
     */
    private Optional<Map<String, AttributeValue>> newKeyOf(SinkRecord record, Map<String, AttributeValue> before,
                                                          Map<String, AttributeValue> oldKey) {
        if (unavailable.isEmpty() || record.headers() == null) {
            return Optional.empty();
        }
        Header header = record.headers().lastWithName(NEW_KEY_HEADER);
        if (header == null || header.value() == null) {
            return Optional.empty();
        }
        try {
            Object newKey = header.value() instanceof String text ? parseJsonObject(text) : header.value();
            Map<String, AttributeValue> keyColumns = itemOf(newKey, header.schema()).item();
            long carried = before == null ? 0 : before.values().stream().filter(v -> !Boolean.TRUE.equals(v.nul())).count();
            if (carried > keyColumns.size()) {
                return Optional.empty(); // a full 'before': the new key's event carries every column itself
            }
            SinkRecord keyed = record.newRecord(record.topic(), record.kafkaPartition(), header.schema(), newKey,
                    header.schema(), newKey, record.timestamp());
            Map<String, AttributeValue> key = keyOf(keyed, keyColumns);
            return key.equals(oldKey) ? Optional.empty() : Optional.of(key);
        } catch (MappingException | org.apache.kafka.connect.errors.DataException e) {
            log.debug("The new key of a primary-key change at {} cannot be derived from its {} header ({}): the item "
                    + "is deleted, and the new one written from its own event", OriginalCoordinates.describe(record),
                    NEW_KEY_HEADER, e.getMessage());
            return Optional.empty();
        }
    }

    private WriteOperation versioned(WriteOperation write, SinkRecord record, Optional<FieldSource> fields) {
        return versions.map(v -> write.versioned(v.read(record, fields))).orElse(write);
    }

    private Map<String, AttributeValue> keyOf(SinkRecord record, Map<String, AttributeValue> item) {
        Map<String, AttributeValue> key = new LinkedHashMap<>(2);
        for (KeyExtractor extractor : keys) {
            key.put(extractor.spec().attribute(), extractor.extract(record, item));
        }
        return key;
    }

    /** The converted attributes, and where their original values can be found for offloading. */
    private record Mapped(Map<String, AttributeValue> item, FieldSource source) {
    }

    /** @param value the record value, or a change event's row; a JSON string is already parsed */
    private Mapped itemOf(Object value, Schema schema) {
        if (value instanceof Struct struct) {
            return new Mapped(converter.fromStruct(struct), new RecordFieldSource(struct, schema, null));
        }
        if (value instanceof Map<?, ?> map) {
            return new Mapped(converter.fromMap(map), new RecordFieldSource(map, schema, null));
        }
        if (value instanceof JsonNode tree) {
            if (!tree.isObject()) {
                throw new MappingException("the change event's row is a JSON " + tree.getNodeType().name().toLowerCase()
                        + ", not a JSON object");
            }
            return new Mapped(converter.fromJsonObject(tree), new RecordFieldSource(tree, null, null));
        }
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        if (value instanceof byte[] bytes) {
            item.put(rawValueAttribute, AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(bytes)));
        } else {
            item.put(rawValueAttribute, converter.convert(schema, value, rawValueAttribute));
        }
        return new Mapped(item, new RecordFieldSource(value, schema, rawValueAttribute));
    }

    private JsonNode parseJsonObject(String text) {
        JsonNode tree;
        try {
            tree = JSON.readTree(text);
        } catch (StreamConstraintsException e) {
            throw new MappingException("the record value is a JSON string beyond the parser's limits ("
                    + ContentFreeText.unquoted(e.getOriginalMessage()) + ")");
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the offending token: name the position only
            JsonLocation at = e.getLocation();
            throw new MappingException("the record value is a string that is not valid JSON ("
                    + e.getClass().getSimpleName() + (at == null ? "" : " at line " + at.getLineNr() + ", column "
                    + at.getColumnNr()) + "); set value.string.format=raw to store strings as they are");
        }
        if (tree == null || tree.isMissingNode() || !tree.isObject()) {
            throw new MappingException("the record value is a JSON " + (tree == null || tree.isMissingNode()
                    ? "document with no content"
                    : tree.getNodeType().name().toLowerCase()) + ", not a JSON object; set value.string.format=raw "
                    + "to store strings as they are");
        }
        return tree;
    }

    private long expiry(SinkRecord record) {
        long millis = record.timestamp() != null && record.timestamp() >= 0 ? record.timestamp() : clock.millis();
        return millis / 1000 + ttlSeconds;
    }
}
