package io.streamoffload.connect.dynamodb.mapping;

import static io.streamoffload.connect.dynamodb.testutil.ConfigBuilder.config;
import static io.streamoffload.connect.dynamodb.testutil.Records.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamoffload.connect.dynamodb.testutil.ConfigBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class RecordMapperTest {
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(2_000_000_000L), ZoneOffset.UTC);

    private static RecordMapper mapper(ConfigBuilder config) {
        return new RecordMapper(config.build(), CLOCK);
    }

    private static WriteOperation map(ConfigBuilder config, SinkRecord record) {
        return mapper(config).map(record).orElseThrow();
    }

    @Test
    void wholePrimitiveKeyBecomesThePartitionKey() {
        WriteOperation op = map(config(), record("orders", 0, 5, "k1", Map.of("v", 1)));
        assertThat(op.table()).isEqualTo("orders");
        assertThat(op.key()).isEqualTo(Map.of("pk", AttributeValue.fromS("k1")));
        assertThat(op.item()).containsEntry("pk", AttributeValue.fromS("k1")).containsEntry("v", AttributeValue.fromN("1"));
    }

    @Test
    void keysFromStructKeyFieldsValueFieldsAndKafkaCoordinates() {
        Schema keySchema = SchemaBuilder.struct().field("tenant", Schema.STRING_SCHEMA).field("id", Schema.INT32_SCHEMA).build();
        Struct key = new Struct(keySchema).put("tenant", "acme").put("id", 7);
        SinkRecord fromStructKey = new SinkRecord("tbl", 3, keySchema, key, null, Map.of("x", 1), 11);
        WriteOperation op = map(config().with("key.partition.field", "tenant").with("key.sort.attribute", "id")
                .with("key.sort.field", "id").with("key.sort.type", "N"), fromStructKey);
        assertThat(op.key()).isEqualTo(Map.of("pk", AttributeValue.fromS("acme"), "id", AttributeValue.fromN("7")));

        WriteOperation fromValue = map(config().with("key.partition.source", "record.value")
                .with("key.partition.field", "customer.id").with("tombstone.behavior", "ignore"),
                record("tbl", 0, 1, null, Map.of("customer", Map.of("id", 42))));
        assertThat(fromValue.key()).isEqualTo(Map.of("pk", AttributeValue.fromS("42")));

        WriteOperation fromCoordinates = map(config().with("key.partition.source", "kafka.topic")
                .with("key.sort.attribute", "position").with("key.sort.source", "kafka.offset").with("key.sort.type", "N"),
                record("clicks", 2, 99, null, Map.of("x", 1)));
        assertThat(fromCoordinates.key()).isEqualTo(Map.of("pk", AttributeValue.fromS("clicks"), "position", AttributeValue.fromN("99")));
    }

    @Test
    void keyValuesAreCoercedToTheDeclaredType() {
        assertThat(map(config().with("key.partition.type", "N"), record("tbl", 0, 0, "0042.50", Map.of())).key().get("pk").n())
                .isEqualTo("42.5");
        assertThat(map(config().with("key.partition.type", "B"), record("tbl", 0, 0, "abc", Map.of())).key().get("pk").b().asUtf8String())
                .isEqualTo("abc");
        assertThatThrownBy(() -> map(config().with("key.partition.type", "N"), record("tbl", 0, 0, "abc", Map.of())))
                .isInstanceOf(MappingException.class).hasMessageContaining("not a number");
        assertThatThrownBy(() -> map(config().with("key.partition.source", "record.value").with("key.partition.field", "k")
                        .with("tombstone.behavior", "ignore"), record("tbl", 0, 0, null, Map.of("k", Map.of("a", 1)))))
                .isInstanceOf(MappingException.class).hasMessageContaining("must be a string but the record holds a map");
    }

    @Test
    void keyRulesAreCheckedBeforeSending() {
        assertThatThrownBy(() -> map(config(), record("tbl", 0, 0, null, Map.of("v", 1))))
                .isInstanceOf(MappingException.class).hasMessageContaining("record key is null");
        assertThatThrownBy(() -> map(config(), record("tbl", 0, 0, "", Map.of("v", 1))))
                .isInstanceOf(MappingException.class).hasMessageContaining("is empty");
        assertThatThrownBy(() -> map(config(), record("tbl", 0, 0, "x".repeat(2049), Map.of("v", 1))))
                .isInstanceOf(MappingException.class).hasMessageContaining("partition key 'pk'")
                .hasMessageContaining("2049 bytes").hasMessageContaining("at most 2048 bytes");
        assertThat(map(config(), record("tbl", 0, 0, "x".repeat(2048), Map.of("v", 1)))).isNotNull();
        assertThatThrownBy(() -> map(config().with("key.sort.attribute", "sk").with("key.sort.source", "record.value")
                        .with("key.sort.field", "s").with("tombstone.behavior", "ignore"),
                record("tbl", 0, 0, "k", Map.of("s", "é".repeat(513)))))
                .isInstanceOf(MappingException.class).hasMessageContaining("sort key 'sk'")
                .hasMessageContaining("1026 bytes").hasMessageContaining("at most 1024");
        assertThatThrownBy(() -> map(config().with("key.partition.source", "record.value").with("key.partition.field", "missing")
                        .with("tombstone.behavior", "ignore"), record("tbl", 0, 0, null, Map.of("v", 1))))
                .isInstanceOf(MappingException.class).hasMessageContaining("no field 'missing'");
    }

    @Test
    void itemOverFourHundredKilobytesIsRejectedWithItsSize() {
        assertThat(map(config(), record("tbl", 0, 0, "k", Map.of("blob", "a".repeat(409_600 - 4 - 1 - 2)))).bytes())
                .isEqualTo(409_600);
        assertThatThrownBy(() -> map(config(), record("tbl", 0, 0, "k", Map.of("blob", "a".repeat(409_600)))))
                .isInstanceOf(MappingException.class).hasMessageContaining("409607 bytes")
                .hasMessageContaining("409600 bytes (400 KB)");
    }

    @Test
    void tombstonesDeleteOrAreIgnored() {
        WriteOperation delete = map(config(), record("tbl", 0, 0, "k", null));
        assertThat(delete.isDelete()).isTrue();
        assertThat(delete.key()).isEqualTo(Map.of("pk", AttributeValue.fromS("k")));
        assertThat(mapper(config().with("tombstone.behavior", "ignore")).map(record("tbl", 0, 0, "k", null))).isEmpty();
    }

    @Test
    void stringValuesAreParsedAsJsonOrStoredRaw() {
        assertThat(map(config(), record("tbl", 0, 0, "k", "{\"a\":[1,2]}")).item().get("a").l()).hasSize(2);
        assertThatThrownBy(() -> map(config(), record("tbl", 0, 0, "k", "not json")))
                .isInstanceOf(MappingException.class).hasMessageContaining("not valid JSON").hasMessageContaining("value.string.format=raw");
        assertThatThrownBy(() -> map(config(), record("tbl", 0, 0, "k", "[1,2]")))
                .isInstanceOf(MappingException.class).hasMessageContaining("JSON array, not a JSON object");
        WriteOperation raw = map(config().with("value.string.format", "raw").with("value.raw.attribute", "body"),
                record("tbl", 0, 0, "k", "not json"));
        assertThat(raw.item().get("body").s()).isEqualTo("not json");
        WriteOperation bytes = map(config(), record("tbl", 0, 0, "k", new byte[] {1, 2}));
        assertThat(bytes.item().get("value").b().asByteArray()).containsExactly(1, 2);
    }

    @Test
    void ttlIsRecordTimestampPlusConfiguredSeconds() {
        ConfigBuilder ttl = config().with("ttl.attribute", "expires").with("ttl.seconds", 60);
        assertThat(map(ttl, record("tbl", 0, 0, "k", Map.of())).item().get("expires").n())
                .isEqualTo(Long.toString(1_700_000_000L + 60));
        SinkRecord noTimestamp = new SinkRecord("tbl", 0, null, "k", null, Map.of(), 0);
        assertThat(map(ttl, noTimestamp).item().get("expires").n()).isEqualTo(Long.toString(2_000_000_000L + 60));
    }

    @Test
    void keyConfigWinsOverAValueFieldOfTheSameName() {
        WriteOperation op = map(config(), record("tbl", 0, 0, "from-key", Map.of("pk", "from-value")));
        assertThat(op.item().get("pk").s()).isEqualTo("from-key");
    }
}
