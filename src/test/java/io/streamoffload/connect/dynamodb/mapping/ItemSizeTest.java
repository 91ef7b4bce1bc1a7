package io.streamoffload.connect.dynamodb.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ItemSizeTest {

    @Test
    void countsNamesAndValuesTheWayDynamoDbDoes() {
        Map<String, AttributeValue> item = Map.of(
                "s", AttributeValue.fromS("héllo"),            // 1 + 6
                "n", AttributeValue.fromN("12345"),            // 1 + ceil(5/2) + 1 = 5
                "b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[10])), // 1 + 10
                "t", AttributeValue.fromBool(true),            // 1 + 1
                "z", AttributeValue.fromNul(true),             // 1 + 1
                "l", AttributeValue.fromL(List.of(AttributeValue.fromS("ab"))),  // 1 + 3 + 1 + 2
                "m", AttributeValue.fromM(Map.of("k", AttributeValue.fromS("v")))); // 1 + 3 + 1 + 1 + 1
        assertThat(ItemSize.of(item)).isEqualTo(7 + 5 + 11 + 2 + 2 + 7 + 7);
    }

    @Test
    void numbersCountSignificantDigitsOnly() {
        assertThat(ItemSize.numberSize("0")).isEqualTo(2);
        assertThat(ItemSize.numberSize("1000000")).isEqualTo(2);
        assertThat(ItemSize.numberSize("12345678901234567890123456789012345678")).isEqualTo(20);
    }

    @Test
    void utf8LengthMatchesTheEncoder() {
        Random random = new Random(42);
        for (int i = 0; i < 1000; i++) {
            StringBuilder s = new StringBuilder();
            for (int j = 0; j < 20; j++) {
                int kind = random.nextInt(4);
                s.appendCodePoint(kind == 0 ? random.nextInt(0x80) : kind == 1 ? 0x80 + random.nextInt(0x780)
                        : kind == 2 ? 0x800 + random.nextInt(0xD000 - 0x800) : 0x10000 + random.nextInt(0x10000));
            }
            assertThat(ItemSize.utf8Length(s.toString())).isEqualTo(s.toString().getBytes(StandardCharsets.UTF_8).length);
        }
    }
}
