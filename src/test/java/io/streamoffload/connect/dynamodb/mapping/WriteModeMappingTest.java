package io.streamoffload.connect.dynamodb.mapping;

import static io.streamoffload.connect.dynamodb.testutil.ConfigBuilder.config;
import static io.streamoffload.connect.dynamodb.testutil.Records.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamoffload.connect.dynamodb.testutil.ConfigBuilder;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** How records map in update mode, with versions, and as Debezium change events. */
class WriteModeMappingTest {
    private static Optional<WriteOperation> map(ConfigBuilder config, SinkRecord record) {
        return new RecordMapper(config.build(), Clock.systemUTC()).map(record);
    }

    private static ConfigBuilder debezium() {
        return config().with("cdc.format", "debezium").with("key.partition.source", "record.value")
                .with("key.partition.field", "id");
    }

    private static Map<String, Object> event(String op, Map<String, Object> before, Map<String, Object> after) {
        Map<String, Object> event = new HashMap<>();
        event.put("op", op);
        event.put("before", before);
        event.put("after", after);
        event.put("source", Map.of("lsn", 7000L, "ts_ms", 1_700_000_000_000L));
        event.put("ts_ms", 1_700_000_000_500L);
        return event;
    }

    @Test
    void updateModeMapsTheAttributesTheRecordCarriesWithNullsAsNull() {
        Map<String, Object> value = new HashMap<>();
        value.put("status", "done");
        value.put("title", null);
        WriteOperation write = map(config().with("write.mode", "update"), record("tbl", 0, 3, "k", value)).orElseThrow();
        assertThat(write.kind()).isEqualTo(WriteOperation.Kind.UPDATE);
        assertThat(write.version()).isNull();
        assertThat(write.item()).containsEntry("status", AttributeValue.fromS("done"))
                .containsEntry("title", AttributeValue.fromNul(true)).containsEntry("pk", AttributeValue.fromS("k"));
    }

    @Test
    void versionsComeFromAValueFieldTheOffsetOrTheTimestampAndAreStoredInTheItem() {
        SinkRecord record = record("tbl", 0, 42, "k", Map.of("meta", Map.of("rev", 9), "x", 1));
        WriteOperation fromField = map(config().with("write.version.source", "record.value")
                .with("write.version.field", "meta.rev").with("tombstone.behavior", "ignore"), record).orElseThrow();
        assertThat(fromField.version()).isEqualTo(AttributeValue.fromN("9"));
        assertThat(fromField.item()).containsEntry("_version", AttributeValue.fromN("9"));

        WriteOperation fromOffset = map(config().with("write.version.source", "kafka.offset")
                .with("write.version.attribute", "rev"), record).orElseThrow();
        assertThat(fromOffset.version()).isEqualTo(AttributeValue.fromN("42"));
        assertThat(fromOffset.item()).containsEntry("rev", AttributeValue.fromN("42"));

        WriteOperation tombstone = map(config().with("write.version.source", "kafka.timestamp"),
                record("tbl", 0, 43, "k", null)).orElseThrow();
        assertThat(tombstone.isDelete()).isTrue();
        assertThat(tombstone.version()).isEqualTo(AttributeValue.fromN("1700000000000"));
    }

    @Test
    void aMissingOrNonNumericVersionIsABadRecordNamingTheField() {
        ConfigBuilder config = config().with("write.version.source", "record.value").with("write.version.field", "rev")
                .with("tombstone.behavior", "ignore");
        assertThatThrownBy(() -> map(config, record("tbl", 0, 1, "k", Map.of("x", 1))))
                .isInstanceOf(MappingException.class).hasMessageContaining("no version in field 'rev'");
        assertThatThrownBy(() -> map(config, record("tbl", 0, 1, "k", Map.of("rev", "seven"))))
                .isInstanceOf(MappingException.class).hasMessageContaining("'rev' is a string that is not a number");
        assertThat(map(config, record("tbl", 0, 1, "k", Map.of("rev", "12"))).orElseThrow().version())
                .isEqualTo(AttributeValue.fromN("12"));
        assertThat(map(config, record("tbl", 0, 1, "k", Map.of("rev", new java.util.Date(1_700_000_000_123L))))
                .orElseThrow().version()).as("a Connect Timestamp, in epoch millis").isEqualTo(AttributeValue.fromN("1700000000123"));
    }

    @Test
    void debeziumCreateReadAndUpdateWriteAfterAndDeleteTakesTheKeyFromBefore() {
        ConfigBuilder config = debezium().with("write.version.source", "record.value")
                .with("write.version.field", "source.lsn");
        for (String op : new String[] {"c", "u"}) {
            WriteOperation write = map(config, record("tbl", 0, 1, null, event(op, Map.of("id", 1, "name", "old"),
                    Map.of("id", 1, "name", "new")))).orElseThrow();
            assertThat(write.kind()).isEqualTo(WriteOperation.Kind.PUT);
            assertThat(write.item()).containsEntry("name", AttributeValue.fromS("new"))
                    .containsEntry("_version", AttributeValue.fromN("7000")).doesNotContainKeys("op", "before", "after");
            assertThat(write.key()).isEqualTo(Map.of("pk", AttributeValue.fromS("1")));
            assertThat(write.ifUnversioned()).isFalse();
        }
        WriteOperation snapshot = map(config, record("tbl", 0, 1, null, event("r", null, Map.of("id", 1, "name", "a"))))
                .orElseThrow();
        assertThat(snapshot.item()).as("a snapshot row carries no version").containsEntry("name", AttributeValue.fromS("a"))
                .doesNotContainKey("_version");
        assertThat(snapshot.version()).isNull();
        assertThat(snapshot.ifUnversioned()).as("any streamed change wins over it").isTrue();
        assertThat(map(debezium(), record("tbl", 0, 1, null, event("r", null, Map.of("id", 1)))).orElseThrow()
                .isConditional()).as("without versions a snapshot row is a plain put").isFalse();
        WriteOperation delete = map(config, record("tbl", 0, 2, null, event("d", Map.of("id", 5, "name", "gone"), null)))
                .orElseThrow();
        assertThat(delete.isDelete()).isTrue();
        assertThat(delete.key()).isEqualTo(Map.of("pk", AttributeValue.fromS("5")));
        assertThat(delete.version()).isEqualTo(AttributeValue.fromN("7000"));
        assertThat(map(config, record("tbl", 0, 3, "{\"id\":5}", null))).as("the tombstone after a delete").isEmpty();
    }

    @Test
    void debeziumEventsAsStructsAndAsJsonStringsWithTheirSchemaWrapper() {
        Schema row = SchemaBuilder.struct().name("Value").optional().field("id", Schema.INT32_SCHEMA)
                .field("name", Schema.OPTIONAL_STRING_SCHEMA).build();
        Schema envelope = SchemaBuilder.struct().name("Envelope").field("before", row).field("after", row)
                .field("op", Schema.STRING_SCHEMA).field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();
        Struct value = new Struct(envelope).put("after", new Struct(row).put("id", 3).put("name", "Cid"))
                .put("op", "c").put("ts_ms", 99L);
        WriteOperation fromStruct = map(debezium().with("write.version.source", "record.value")
                .with("write.version.field", "ts_ms"), new SinkRecord("tbl", 0, null, null, envelope, value, 1)).orElseThrow();
        assertThat(fromStruct.item()).containsEntry("name", AttributeValue.fromS("Cid"))
                .containsEntry("_version", AttributeValue.fromN("99"));

        String json = "{\"schema\":{\"type\":\"struct\"},\"payload\":{\"op\":\"u\",\"before\":null,"
                + "\"after\":{\"id\":4,\"name\":\"Dee\"},\"ts_ms\":5}}";
        WriteOperation fromString = map(debezium(), record("tbl", 0, 1, null, json)).orElseThrow();
        assertThat(fromString.key()).isEqualTo(Map.of("pk", AttributeValue.fromS("4")));
        assertThat(fromString.item()).containsEntry("name", AttributeValue.fromS("Dee"));
    }

    @Test
    void whatIsNotAnApplicableChangeEventIsABadRecordWithTheReason() {
        assertThatThrownBy(() -> map(debezium(), record("tbl", 0, 1, null, Map.of("id", 1, "name", "row"))))
                .isInstanceOf(MappingException.class).hasMessageContaining("no 'op' field")
                .hasMessageContaining("ExtractNewRecordState");
        assertThatThrownBy(() -> map(debezium(), record("tbl", 0, 1, null, event("t", null, null))))
                .isInstanceOf(MappingException.class).hasMessageContaining("truncate");
        assertThatThrownBy(() -> map(debezium(), record("tbl", 0, 1, null, event("x", null, null))))
                .isInstanceOf(MappingException.class).hasMessageContaining("not one of c, r, u, d");
        assertThatThrownBy(() -> map(debezium(), record("tbl", 0, 1, null, event("u", null, null))))
                .isInstanceOf(MappingException.class).hasMessageContaining("'update' change event has no 'after' row");
        assertThatThrownBy(() -> map(debezium(), record("tbl", 0, 1, null, event("d", null, null))))
                .isInstanceOf(MappingException.class).hasMessageContaining("no 'before' row to take the key from");
        assertThatThrownBy(() -> map(debezium(), record("tbl", 0, 1, null, "[1,2]")))
                .isInstanceOf(MappingException.class).hasMessageContaining("not a JSON object");
    }

    private static final String PLACEHOLDER = "__debezium_unavailable_value";

    @Test
    void aChangeWithUnavailableColumnsBecomesAnUpdateThatLeavesThemAsStored() {
        Schema row = SchemaBuilder.struct().name("Value").optional().field("id", Schema.INT64_SCHEMA)
                .field("title", Schema.OPTIONAL_STRING_SCHEMA).field("body", Schema.OPTIONAL_STRING_SCHEMA)
                .field("blob", Schema.OPTIONAL_BYTES_SCHEMA).field("note", Schema.OPTIONAL_STRING_SCHEMA).build();
        Schema source = SchemaBuilder.struct().field("lsn", Schema.INT64_SCHEMA).build();
        Schema envelope = SchemaBuilder.struct().name("Envelope").field("before", row).field("after", row)
                .field("source", source).field("op", Schema.STRING_SCHEMA).build();
        Struct after = new Struct(row).put("id", 7L).put("title", "new title").put("body", PLACEHOLDER)
                .put("blob", PLACEHOLDER.getBytes(java.nio.charset.StandardCharsets.UTF_8)).put("note", null);
        Struct value = new Struct(envelope).put("after", after).put("source", new Struct(source).put("lsn", 900L))
                .put("op", "u");
        ConfigBuilder config = debezium().with("write.version.source", "record.value").with("write.version.field", "source.lsn");
        for (String mode : new String[] {"put", "update"}) {
            WriteOperation write = map(config.with("write.mode", mode), new SinkRecord("tbl", 0, null, null, envelope,
                    value, 1)).orElseThrow();
            assertThat(write.kind()).as(mode).isEqualTo(WriteOperation.Kind.UPDATE);
            assertThat(write.unavailable()).containsExactlyInAnyOrder("body", "blob");
            assertThat(write.item()).doesNotContainKeys("body", "blob")
                    .containsEntry("title", AttributeValue.fromS("new title"))
                    .containsEntry("note", AttributeValue.fromNul(true))
                    .containsEntry("_version", AttributeValue.fromN("900"));
            assertThat(write.version()).isEqualTo(AttributeValue.fromN("900"));
        }
        // recognition off: the placeholder is written as it comes
        WriteOperation off = map(config.with("write.mode", "put").with("cdc.unavailable.value.placeholder", ""),
                new SinkRecord("tbl", 0, null, null, envelope, value, 1)).orElseThrow();
        assertThat(off.kind()).isEqualTo(WriteOperation.Kind.PUT);
        assertThat(off.item()).containsEntry("body", AttributeValue.fromS(PLACEHOLDER));
    }

    @Test
    void aPlaceholderInAKeyOrTheVersionIsABadRecordWithTheReason() {
        assertThatThrownBy(() -> map(debezium().with("key.partition.type", "N"), record("tbl", 0, 1, null,
                event("u", null, Map.of("id", PLACEHOLDER, "name", "x")))))
                .isInstanceOf(MappingException.class).hasMessageContaining("placeholder")
                .hasMessageContaining("cdc.unavailable.value.placeholder");
        assertThatThrownBy(() -> map(debezium().with("write.version.source", "record.value")
                        .with("write.version.field", "after.rev"),
                record("tbl", 0, 1, null, event("u", null, Map.of("id", 1, "rev", PLACEHOLDER)))))
                .isInstanceOf(MappingException.class).hasMessageContaining("version field 'after.rev'")
                .hasMessageContaining("placeholder");
    }

    @Test
    void aColumnNamedLikeTheUnavailableColumnsAttributeIsABadRecord() {
        assertThatThrownBy(() -> map(debezium(), record("tbl", 0, 1, null, event("u", null,
                Map.of("id", 1, "_unavailable_columns", "x")))))
                .isInstanceOf(MappingException.class).hasMessageContaining("cdc.unavailable.columns.attribute");
    }

    @Test
    void theDeleteOfARowWhosePrimaryKeyChangedCarriesItsNewKey() {
        ConfigBuilder config = debezium().with("key.partition.type", "N");
        Map<String, Object> keyOnly = new HashMap<>();
        keyOnly.put("id", 2);
        keyOnly.put("name", null);
        SinkRecord delete = record("tbl", 0, 1, null, event("d", keyOnly, null));
        delete.headers().addString("__debezium.newkey", "{\"id\":100}");
        WriteOperation write = map(config, delete).orElseThrow();
        assertThat(write.isDelete()).isTrue();
        assertThat(write.key()).isEqualTo(Map.of("pk", AttributeValue.fromN("2")));
        assertThat(write.movedTo()).isEqualTo(Map.of("pk", AttributeValue.fromN("100")));

        // with REPLICA IDENTITY FULL, 'before' holds every column and the new key's event carries them itself
        SinkRecord full = record("tbl", 0, 1, null, event("d", Map.of("id", 2, "name", "all there"), null));
        full.headers().addString("__debezium.newkey", "{\"id\":100}");
        assertThat(map(config, full).orElseThrow().movedTo()).isNull();
        assertThat(map(config, record("tbl", 0, 1, null, event("d", keyOnly, null))).orElseThrow().movedTo())
                .as("a plain delete").isNull();
    }

    @Test
    void debeziumNumbersOfAnyScaleAreNumbers() {
        Schema decimal = SchemaBuilder.struct().name("io.debezium.data.VariableScaleDecimal").optional()
                .field("scale", Schema.INT32_SCHEMA).field("value", Schema.BYTES_SCHEMA).build();
        Schema row = SchemaBuilder.struct().field("amount", decimal).build();
        Struct value = new Struct(row).put("amount", new Struct(decimal).put("scale", 3)
                .put("value", new java.math.BigInteger("-1234567").toByteArray()));
        assertThat(new AttributeConverter(TemporalFormat.ISO8601).fromStruct(value))
                .containsEntry("amount", AttributeValue.fromN("-1234.567"));
    }
}
