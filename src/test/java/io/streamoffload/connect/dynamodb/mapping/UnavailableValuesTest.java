package io.streamoffload.connect.dynamodb.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamoffload.connect.dynamodb.config.WriteSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Each form Debezium's PostgreSQL connector gives its placeholder in (as PostgresCdcIT sees them from a real Debezium:
 * text, jsonb and text[] columns, bytea, int[]), and values that only look like it.
 */
class UnavailableValuesTest {
    private static final String P = "__debezium_unavailable_value";
    private final UnavailableValues values = new UnavailableValues(new WriteSettings.Unavailable(P, "_unavailable"));

    private static List<Integer> bytesAsInts(byte[] bytes) {
        List<Integer> ints = new ArrayList<>();
        for (byte b : bytes) {
            ints.add((int) b);
        }
        return ints;
    }

    @Test
    void everyFormDebeziumGivesIsThePlaceholder() throws Exception {
        byte[] bytes = P.getBytes(StandardCharsets.UTF_8);
        assertThat(values.isPlaceholder(P)).as("text, json, jsonb").isTrue();
        assertThat(values.isPlaceholder(bytes.clone())).as("bytea").isTrue();
        assertThat(values.isPlaceholder(ByteBuffer.wrap(bytes))).as("bytea as a buffer").isTrue();
        assertThat(values.isPlaceholder(Base64.getEncoder().encodeToString(bytes))).as("bytea in schemaless JSON").isTrue();
        assertThat(values.isPlaceholder(java.util.HexFormat.of().withUpperCase().formatHex(bytes)))
                .as("bytea with binary.handling.mode=hex").isTrue();
        assertThat(values.isPlaceholder(List.of(P))).as("text[]").isTrue();
        assertThat(values.isPlaceholder(bytesAsInts(bytes))).as("int[]: a number per byte").isTrue();
        assertThat(values.isPlaceholder(bytesAsInts(bytes).stream().map(Integer::longValue).toList())).as("bigint[]").isTrue();
        assertThat(values.isPlaceholder(List.of(UUID.nameUUIDFromBytes(bytes).toString()))).as("uuid[]").isTrue();
        assertThat(values.isPlaceholder(Map.of(P, P))).as("hstore").isTrue();
        assertThat(values.isPlaceholder("{\"" + P + "\":\"" + P + "\"}")).as("hstore as JSON text").isTrue();
        ObjectMapper json = new ObjectMapper();
        assertThat(values.isPlaceholder(json.readTree("\"" + P + "\""))).as("a JSON string event's text").isTrue();
        assertThat(values.isPlaceholder(json.readTree("[\"" + P + "\"]"))).as("a JSON string event's text[]").isTrue();
        assertThat(values.isPlaceholder(json.valueToTree(bytesAsInts(bytes)))).as("a JSON string event's int[]").isTrue();
        assertThat(values.isPlaceholder(AttributeValue.fromS(P))).isTrue();
        assertThat(values.isPlaceholder(AttributeValue.fromB(SdkBytes.fromByteArray(bytes)))).isTrue();
    }

    @Test
    void valuesThatOnlyLookLikeItAreNot() {
        assertThat(values.isPlaceholder(P + " ")).isFalse();
        assertThat(values.isPlaceholder("__debezium_unavailable")).isFalse();
        assertThat(values.isPlaceholder(List.of(P, P))).isFalse();
        assertThat(values.isPlaceholder(List.of())).isFalse();
        assertThat(values.isPlaceholder(List.of(1, 2, 3))).isFalse();
        assertThat(values.isPlaceholder(Map.of(P, "x"))).isFalse();
        assertThat(values.isPlaceholder(28L)).isFalse();
        assertThat(values.isPlaceholder((Object) null)).isFalse();
        assertThat(values.isPlaceholder(AttributeValue.fromN("1"))).isFalse();
    }

    @Test
    void theColumnsOfARowHoldingItAreFoundInStructsMapsAndJson() throws Exception {
        Schema row = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).field("body", Schema.OPTIONAL_STRING_SCHEMA)
                .field("blob", Schema.OPTIONAL_BYTES_SCHEMA).field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA)
                        .optional().build()).field("title", Schema.OPTIONAL_STRING_SCHEMA).build();
        Struct struct = new Struct(row).put("id", 1L).put("body", P).put("blob", P.getBytes(StandardCharsets.UTF_8))
                .put("tags", List.of(P)).put("title", "kept");
        assertThat(values.columnsOf(struct)).containsExactly("body", "blob", "tags");

        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", 1);
        map.put("body", P);
        map.put("title", null);
        assertThat(values.columnsOf(map)).containsExactly("body");
        assertThat(values.columnsOf(new ObjectMapper().readTree("{\"id\":1,\"meta\":\"" + P + "\",\"n\":null}")))
                .containsExactly("meta");
    }

    @Test
    void aHexPlaceholderIsBytesAsInDebezium() {
        UnavailableValues hex = new UnavailableValues(new WriteSettings.Unavailable("hex:00ff10", "_unavailable"));
        assertThat(hex.isPlaceholder(new byte[] {0, (byte) 0xff, 0x10})).isTrue();
        assertThat(hex.isPlaceholder(List.of(0, -1, 16))).isTrue();
        assertThat(hex.isPlaceholder("hex:00ff10")).isFalse();
        assertThatThrownBy(() -> WriteSettings.Unavailable.bytesOf("hex:0f1")).hasMessageContaining("even");
        assertThatThrownBy(() -> WriteSettings.Unavailable.bytesOf("hex:zz")).hasMessageContaining("hex digits");
    }
}
