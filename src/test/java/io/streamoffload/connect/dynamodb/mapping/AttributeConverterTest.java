package io.streamoffload.connect.dynamodb.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class AttributeConverterTest {
    private final AttributeConverter iso = new AttributeConverter(TemporalFormat.ISO8601);
    private final AttributeConverter epoch = new AttributeConverter(TemporalFormat.EPOCH_MILLIS);

    @Test
    void structFieldsOfEveryConnectTypeMapToTheirDynamoDbTypes() {
        Schema inner = SchemaBuilder.struct().field("zip", Schema.STRING_SCHEMA).build();
        Schema schema = SchemaBuilder.struct()
                .field("i8", Schema.INT8_SCHEMA).field("i16", Schema.INT16_SCHEMA).field("i32", Schema.INT32_SCHEMA)
                .field("i64", Schema.INT64_SCHEMA).field("f32", Schema.FLOAT32_SCHEMA).field("f64", Schema.FLOAT64_SCHEMA)
                .field("dec", Decimal.schema(4)).field("s", Schema.STRING_SCHEMA).field("b", Schema.BYTES_SCHEMA)
                .field("bool", Schema.BOOLEAN_SCHEMA).field("list", SchemaBuilder.array(Schema.INT32_SCHEMA).build())
                .field("map", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT64_SCHEMA).build())
                .field("inner", inner).field("opt", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        Struct struct = new Struct(schema)
                .put("i8", (byte) -8).put("i16", (short) 16).put("i32", 32).put("i64", Long.MAX_VALUE)
                .put("f32", 0.1f).put("f64", 1.0E-7).put("dec", new BigDecimal("1234567890.1234"))
                .put("s", "text").put("b", new byte[] {1, 2, 3}).put("bool", true)
                .put("list", List.of(1, 2)).put("map", Map.of("a", 1L))
                .put("inner", new Struct(inner).put("zip", "69000")).put("opt", null);

        Map<String, AttributeValue> item = iso.fromStruct(struct);

        assertThat(item.get("i8").n()).isEqualTo("-8");
        assertThat(item.get("i16").n()).isEqualTo("16");
        assertThat(item.get("i32").n()).isEqualTo("32");
        assertThat(item.get("i64").n()).isEqualTo("9223372036854775807");
        assertThat(item.get("f32").n()).as("float keeps its own decimal form").isEqualTo("0.1");
        assertThat(item.get("f64").n()).isEqualTo("0.0000001");
        assertThat(item.get("dec").n()).isEqualTo("1234567890.1234");
        assertThat(item.get("s").s()).isEqualTo("text");
        assertThat(item.get("b").b().asByteArray()).containsExactly(1, 2, 3);
        assertThat(item.get("bool").bool()).isTrue();
        assertThat(item.get("list").l()).extracting(AttributeValue::n).containsExactly("1", "2");
        assertThat(item.get("map").m().get("a").n()).isEqualTo("1");
        assertThat(item.get("inner").m().get("zip").s()).isEqualTo("69000");
        assertThat(item.get("opt").nul()).isTrue();
    }

    @Test
    void temporalLogicalTypesFollowTheConfiguredFormat() {
        Schema schema = SchemaBuilder.struct()
                .field("d", org.apache.kafka.connect.data.Date.SCHEMA).field("t", Time.SCHEMA).field("ts", Timestamp.SCHEMA)
                .build();
        long day = 19_723L * 86_400_000L; // 2024-01-01
        Struct struct = new Struct(schema).put("d", new Date(day)).put("t", new Date(13 * 3_600_000L + 45 * 60_000L + 250))
                .put("ts", new Date(day + 3_723_004L));

        Map<String, AttributeValue> isoItem = iso.fromStruct(struct);
        assertThat(isoItem.get("d").s()).isEqualTo("2024-01-01");
        assertThat(isoItem.get("t").s()).isEqualTo("13:45:00.250");
        assertThat(isoItem.get("ts").s()).isEqualTo("2024-01-01T01:02:03.004Z");

        Map<String, AttributeValue> epochItem = epoch.fromStruct(struct);
        assertThat(epochItem.get("d").n()).isEqualTo(Long.toString(day));
        assertThat(epochItem.get("t").n()).isEqualTo(Long.toString(13 * 3_600_000L + 45 * 60_000L + 250));
        assertThat(epochItem.get("ts").n()).isEqualTo(Long.toString(day + 3_723_004L));
    }

    @Test
    void schemalessMapsWithNestedListsAndNullsMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("n", 5);
        map.put("nested", Map.of("list", List.of("x", 2.5, true)));
        map.put("nothing", null);
        map.put("buffer", ByteBuffer.wrap(new byte[] {9}));
        Map<String, AttributeValue> item = iso.fromMap(map);
        assertThat(item.get("n").n()).isEqualTo("5");
        List<AttributeValue> list = item.get("nested").m().get("list").l();
        assertThat(list.get(0).s()).isEqualTo("x");
        assertThat(list.get(1).n()).isEqualTo("2.5");
        assertThat(list.get(2).bool()).isTrue();
        assertThat(item.get("nothing").nul()).isTrue();
        assertThat(item.get("buffer").b().asByteArray()).containsExactly(9);
    }

    @Test
    void jsonNumbersStayExact() throws Exception {
        ObjectMapper json = new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        Map<String, AttributeValue> item = iso.fromJsonObject(json.readTree(
                "{\"a\":0.30000000000000004,\"b\":12345678901234567890123456789012345678,\"c\":[null,{\"d\":\"e\"}]}"));
        assertThat(item.get("a").n()).isEqualTo("0.30000000000000004");
        assertThat(item.get("b").n()).isEqualTo("12345678901234567890123456789012345678");
        assertThat(item.get("c").l().get(0).nul()).isTrue();
        assertThat(item.get("c").l().get(1).m().get("d").s()).isEqualTo("e");
    }

    @Test
    void nanAndInfinityAreRejectedWithTheAttributeName() {
        assertThatThrownBy(() -> iso.fromMap(Map.of("ratio", Double.NaN)))
                .isInstanceOf(MappingException.class).hasMessageContaining("'ratio'").hasMessageContaining("NaN");
        assertThatThrownBy(() -> iso.fromMap(Map.of("x", Map.of("y", Float.POSITIVE_INFINITY))))
                .isInstanceOf(MappingException.class).hasMessageContaining("'x.y'").hasMessageContaining("is infinite");
    }

    @Test
    void numbersBeyondThirtyEightDigitsOrOutOfRangeAreRejected() {
        assertThatThrownBy(() -> iso.fromMap(Map.of("big", new BigDecimal("1234567890123456789012345678901234567891"))))
                .isInstanceOf(MappingException.class).hasMessageContaining("40 significant digits").hasMessageContaining("38");
        assertThatThrownBy(() -> iso.fromMap(Map.of("huge", new BigDecimal("1E+126"))))
                .isInstanceOf(MappingException.class).hasMessageContaining("range");
        assertThatThrownBy(() -> iso.fromMap(Map.of("tiny", new BigDecimal("1E-131"))))
                .isInstanceOf(MappingException.class).hasMessageContaining("range");
        assertThat(iso.fromMap(Map.of("trailing", new BigDecimal("1.50000000000000000000000000000000000000000"))).get("trailing").n())
                .isEqualTo("1.5");
        assertThat(iso.fromMap(Map.of("edge", new BigDecimal("9.9999999999999999999999999999999999999E+125"))).get("edge").n())
                .isEqualTo("9.9999999999999999999999999999999999999E+125");
    }

    /**
     * DynamoDB documents 32 levels of nesting and counts the item itself as the first, so 31 nested maps are the most
     * an item holds. Neither dynalite nor moto checks the depth (DynamoDbConformanceIT), so the connector's check before
     * sending, which names the record and the limit, is proven here and nowhere else.
     */
    @Test
    void nestingDeeperThanThirtyTwoLevelsCountingTheItemIsRejected() {
        Map<String, Object> ok = nested(31);
        assertThat(iso.fromMap(ok)).containsKey("l");
        assertThatThrownBy(() -> iso.fromMap(nested(32)))
                .isInstanceOf(MappingException.class).hasMessageContaining("33 levels deep").hasMessageContaining("32");
    }

    @Test
    void mapKeysThatBecomeTheSameStringAreRejectedRatherThanOneValueLost() {
        Map<Object, Object> mixed = new java.util.LinkedHashMap<>();
        mixed.put(1, "number key");
        mixed.put("1", "string key");
        assertThatThrownBy(() -> iso.fromMap(Map.of("m", mixed))).isInstanceOf(MappingException.class)
                .hasMessageContaining("map at 'm' has two keys that are both '1'");
    }

    @Test
    void emptyAttributeNamesAndMapKeysAreRejected() {
        assertThatThrownBy(() -> iso.fromMap(Map.of("", 1))).isInstanceOf(MappingException.class)
                .hasMessageContaining("the item has an attribute with an empty name");
        assertThatThrownBy(() -> iso.fromMap(Map.of("m", Map.of("", 1)))).isInstanceOf(MappingException.class)
                .hasMessageContaining("map 'm' has an attribute with an empty name");
        assertThatThrownBy(() -> iso.fromMap(Map.of("x".repeat(65_536), 1))).isInstanceOf(MappingException.class)
                .hasMessageContaining("65536 bytes; DynamoDB allows at most 65535");
    }

    private static Map<String, Object> nested(int depth) {
        Map<String, Object> root = new HashMap<>();
        Map<String, Object> current = root;
        for (int i = 0; i < depth; i++) {
            Map<String, Object> next = new HashMap<>();
            current.put("l", next);
            current = next;
        }
        current.put("leaf", 1);
        return root;
    }

    @Test
    void nonStringMapKeysBecomeStringsAndComplexKeysAreRejected() {
        assertThat(iso.fromMap(Map.of("m", Map.of(7, "seven"))).get("m").m().get("7").s()).isEqualTo("seven");
        assertThatThrownBy(() -> iso.fromMap(Map.of("m", Map.of(List.of(1), "x"))))
                .isInstanceOf(MappingException.class).hasMessageContaining("map keys must be strings");
    }

    @Test
    void unsupportedJavaTypesAreNamed() {
        assertThatThrownBy(() -> iso.fromMap(Map.of("weird", new ArrayList<>().iterator())))
                .isInstanceOf(MappingException.class).hasMessageContaining("'weird'").hasMessageContaining("unsupported type");
    }
}
