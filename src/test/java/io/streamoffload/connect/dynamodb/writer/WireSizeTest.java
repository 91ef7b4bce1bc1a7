package io.streamoffload.connect.dynamodb.writer;

import static io.streamoffload.connect.dynamodb.testutil.Records.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class WireSizeTest {

    /** Items of every attribute type, with strings that need escaping and characters of every UTF-8 length. */
    private static WriteOperation sample(Random random, int i) {
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < 200; j++) {
            int kind = random.nextInt(6);
            text.appendCodePoint(switch (kind) {
                case 0 -> random.nextInt(0x20);                       // control characters
                case 1 -> "\"\\".charAt(random.nextInt(2));            // escaped
                case 2 -> 0x80 + random.nextInt(0x780);               // 2 bytes
                case 3 -> 0x800 + random.nextInt(0xD000 - 0x800);     // 3 bytes
                case 4 -> 0x10000 + random.nextInt(0x10000);          // 4 bytes, a surrogate pair
                default -> 0x20 + random.nextInt(0x5F);               // plain ASCII
            });
        }
        byte[] bytes = new byte[random.nextInt(300)];
        random.nextBytes(bytes);
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", AttributeValue.fromS("k" + i));
        item.put("tëxt\\n", AttributeValue.fromS(text.toString()));
        item.put("n", AttributeValue.fromN("-12345.678e-3"));
        item.put("b", AttributeValue.fromB(SdkBytes.fromByteArray(bytes)));
        item.put("t", AttributeValue.fromBool(random.nextBoolean()));
        item.put("z", AttributeValue.fromNul(true));
        item.put("l", AttributeValue.fromL(List.of(AttributeValue.fromN("1"), AttributeValue.fromS(text.substring(0, 10)),
                AttributeValue.fromM(Map.of("deep", AttributeValue.fromL(List.of()))))));
        item.put("m", AttributeValue.fromM(Map.of("a\"b", AttributeValue.fromS("x"), "e", AttributeValue.fromM(Map.of()))));
        item.put("ss", AttributeValue.fromSs(List.of("a", "b\\u0001")));
        item.put("ns", AttributeValue.fromNs(List.of("1", "-2.5")));
        item.put("bs", AttributeValue.fromBs(List.of(SdkBytes.fromString("xy", StandardCharsets.UTF_8))));
        Map<String, AttributeValue> key = Map.of("pk", item.get("pk"));
        return i % 7 == 0 ? WriteOperation.delete("t", key, record("t", 0, i, "k" + i, null))
                : WriteOperation.put("t", key, item, record("t", 0, i, "k" + i, null));
    }

    @Test
    void neverBelowWhatTheSdkSendsAndCloseToIt() {
        Random random = new Random(7);
        for (int round = 0; round < 20; round++) {
            List<WriteOperation> writes = new java.util.ArrayList<>();
            for (int i = 0; i < 25; i++) {
                writes.add(sample(random, i));
            }
            long actual = SdkWireSize.batchWriteItemBody("t", writes);
            long estimated = 300 + writes.stream().mapToLong(WireSize::of).sum();
            assertThat(estimated).as("estimate vs marshalled body").isGreaterThanOrEqualTo(actual)
                    .isLessThan(actual * 2);
        }
    }

    /** The cheap bound the planner uses away from the limit holds for the worst items too. */
    @Test
    void theBoundFromTheStoredSizeIsNeverBelowTheWireSize() {
        Random random = new Random(11);
        List<WriteOperation> worst = List.of(
                item(Map.of("a", AttributeValue.fromS(""))),
                item(Map.of("\u0001", AttributeValue.fromS("\u0002"))),
                item(Map.of("n", AttributeValue.fromN("0.00000000000000000000000000000000000001"))),
                item(Map.of("l", AttributeValue.fromL(java.util.Collections.nCopies(100,
                        AttributeValue.fromN("-0.00000000000000000000000000000000000001"))))),
                item(Map.of("z", AttributeValue.fromL(java.util.Collections.nCopies(100, AttributeValue.fromNul(true))))),
                item(Map.of("m", AttributeValue.fromL(java.util.Collections.nCopies(100,
                        AttributeValue.fromM(Map.of()))))),
                item(Map.of("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[1])))),
                item(Map.of("s", AttributeValue.fromSs(List.of("\u0003", "\"")))));
        for (WriteOperation op : worst) {
            assertThat(WireSize.atMost(op)).as(op.item().toString()).isGreaterThanOrEqualTo(WireSize.of(op));
        }
        for (int i = 0; i < 500; i++) {
            WriteOperation op = sample(random, i);
            assertThat(WireSize.atMost(op)).isGreaterThanOrEqualTo(WireSize.of(op));
        }
    }

    private static WriteOperation item(Map<String, AttributeValue> attributes) {
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("k"));
        Map<String, AttributeValue> item = new LinkedHashMap<>(attributes);
        item.putAll(key);
        return WriteOperation.put("t", key, item, record("t", 0, 0, "k", null));
    }
}
