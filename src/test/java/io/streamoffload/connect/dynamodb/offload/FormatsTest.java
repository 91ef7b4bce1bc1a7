package io.streamoffload.connect.dynamodb.offload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamoffload.connect.dynamodb.offload.format.Formats;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import io.streamoffload.connect.dynamodb.testutil.ReversedTextFormat;
import org.junit.jupiter.api.Test;

class FormatsTest {
    private final FieldSerializer json = Formats.forName("json");
    private final FieldSerializer avro = Formats.forName("avro");

    @Test
    void canonicalJsonGivesEqualBytesForEqualMapsInAnyKeyOrder() throws Exception {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("b", List.of(1, 2));
        a.put("a", Map.of("y", 1.50, "x", "s"));
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("a", new LinkedHashMap<>(Map.of("x", "s", "y", 1.5)));
        b.put("b", List.of(1, 2));
        assertThat(json.serialize(a, null)).isEqualTo(json.serialize(b, null));
        assertThat(new String(json.serialize(a, null), StandardCharsets.UTF_8)).isEqualTo("{\"a\":{\"x\":\"s\",\"y\":1.5},\"b\":[1,2]}");

        JsonNode tree1 = new ObjectMapper().readTree("{ \"z\": 1, \"a\": {\"d\": true, \"c\": null} }");
        JsonNode tree2 = new ObjectMapper().readTree("{\"a\":{\"c\":null,\"d\":true},\"z\":1}");
        assertThat(json.serialize(tree1, null)).isEqualTo(json.serialize(tree2, null));
        assertThat(new String(json.serialize(tree1, null), StandardCharsets.UTF_8)).isEqualTo("{\"a\":{\"c\":null,\"d\":true},\"z\":1}");
    }

    @Test
    void structsBecomeSortedJsonWithBase64BytesAndIsoTimestamps() {
        Schema schema = SchemaBuilder.struct().field("zeta", Schema.STRING_SCHEMA).field("bytes", Schema.BYTES_SCHEMA)
                .field("when", Timestamp.SCHEMA).build();
        Struct struct = new Struct(schema).put("zeta", "z").put("bytes", new byte[] {1, 2, 3}).put("when", new Date(0));
        assertThat(new String(json.serialize(struct, schema), StandardCharsets.UTF_8))
                .isEqualTo("{\"bytes\":\"AQID\",\"when\":\"1970-01-01T00:00:00Z\",\"zeta\":\"z\"}");
        assertThat(((JsonNode) json.deserialize(json.serialize(struct, schema))).get("zeta").asText()).isEqualTo("z");
    }

    @Test
    void textAndBinaryRoundTripAndRefuseOtherTypes() {
        FieldSerializer text = Formats.forName("text");
        FieldSerializer binary = Formats.forName("binary");
        assertThat(text.deserialize(text.serialize("héllo", null))).isEqualTo("héllo");
        assertThat((byte[]) binary.deserialize(binary.serialize(ByteBuffer.wrap(new byte[] {7, 8}), null))).containsExactly(7, 8);
        assertThatThrownBy(() -> text.serialize(42, null)).hasMessageContaining("needs a string, not Integer");
        assertThatThrownBy(() -> binary.serialize("s", null)).hasMessageContaining("needs bytes, not String");
    }

    @Test
    void avroIsASelfDescribingContainerWithDeterministicBytes() throws Exception {
        Schema address = SchemaBuilder.struct().name("com.acme.Address").field("city", Schema.STRING_SCHEMA).build();
        Schema schema = SchemaBuilder.struct().name("com.acme.Page")
                .field("url", Schema.STRING_SCHEMA)
                .field("score", Schema.OPTIONAL_FLOAT64_SCHEMA)
                .field("price", Decimal.schema(2))
                .field("seen", Timestamp.SCHEMA)
                .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
                .field("counts", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build())
                .field("address", address)
                .field("weird-name!", Schema.INT8_SCHEMA)
                .build();
        Struct page = new Struct(schema).put("url", "https://x").put("score", null).put("price", new BigDecimal("12.34"))
                .put("seen", new Date(1_700_000_000_000L)).put("tags", List.of("a", "b")).put("counts", Map.of("k", 3))
                .put("address", new Struct(address).put("city", "Lyon")).put("weird-name!", (byte) 4);

        byte[] first = avro.serialize(page, schema);
        assertThat(avro.serialize(page, schema)).as("same value, same bytes").isEqualTo(first);

        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(new SeekableByteArrayInput(first),
                new GenericDatumReader<>())) {
            assertThat(reader.getSchema().getField("weird_name_")).isNotNull();
            GenericRecord record = reader.next();
            assertThat(record.get("url").toString()).isEqualTo("https://x");
            assertThat(record.get("score")).isNull();
            assertThat(((GenericRecord) record.get("address")).get("city").toString()).isEqualTo("Lyon");
            assertThat(record.get("seen")).isEqualTo(1_700_000_000_000L);
            assertThat(((List<?>) record.get("tags"))).hasSize(2);
            assertThat(record.get("weird_name_")).isEqualTo(4);
            assertThat(reader.getSchema().getField("price").schema().getLogicalType().getName()).isEqualTo("decimal");
        }
        assertThat(((GenericRecord) avro.deserialize(first)).get("url").toString()).isEqualTo("https://x");
    }

    @Test
    void avroNeedsASchema() {
        assertThatThrownBy(() -> avro.serialize(Map.of("a", 1), null)).hasMessageContaining("needs a value with a Connect schema");
    }

    @Test
    void customFormatsAreLoadedByClassNameWithClearErrors() {
        assertThat(Formats.forName(ReversedTextFormat.class.getName()).format()).isEqualTo("reversed-text");
        assertThatThrownBy(() -> Formats.forName("com.example.Missing"))
                .hasMessageContaining("neither a built-in format").hasMessageContaining("com.example.Missing");
        assertThatThrownBy(() -> Formats.forName(String.class.getName())).hasMessageContaining("does not implement");
    }
}
