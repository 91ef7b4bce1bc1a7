package io.streamoffload.connect.dynamodb.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

    @ParameterizedTest
    @CsvSource({"-1, 3", "1, 2", "1.5, 3", "-1.5, 4", "10010, 4", "3.14159, 5", "0.01, 2", "0.001, 2", "0.0012, 2", "0.00123, 3",
        "123.456, 5", "-0.5, 3", "1E+125, 2", "9.9999999999999999999999999999999999999E+125, 20", "1e-130, 2",
        "12345678901234567890123456789012345678, 20", "1234567890123456789012345678901234567.8, 21", "0, 2", "-0.0, 2"})
    void numbersAreBase100DigitPairsAlignedOnTheDecimalPointPlusExponentAndSign(String number, long bytes) {
        assertThat(ItemSize.numberSize(number)).isEqualTo(bytes);
    }

    /** The same rule computed another way, with BigDecimal, over random numbers in every notation. */
    @Test
    void numberSizeAgreesWithAnIndependentComputation() {
        Random random = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            java.math.BigDecimal n = new java.math.BigDecimal(new java.math.BigInteger(1 + random.nextInt(120), random),
                    random.nextInt(80) - 40);
            if (random.nextBoolean()) {
                n = n.negate();
            }
            String text = switch (random.nextInt(3)) {
                case 0 -> n.toPlainString();
                case 1 -> n.toString();
                default -> n.toEngineeringString();
            };
            assertThat(ItemSize.numberSize(text)).as(text).isEqualTo(reference(n));
        }
    }

    private static long reference(java.math.BigDecimal n) {
        if (n.signum() == 0) {
            return 2;
        }
        java.math.BigDecimal s = n.stripTrailingZeros();
        long high = s.precision() - s.scale() - 1;
        long low = -s.scale();
        return 1 + Math.floorDiv(high, 2) - Math.floorDiv(low, 2) + 1 + (s.signum() < 0 ? 1 : 0);
    }

    @Test
    void anItemOfManySmallNegativeNumbersIsCountedAtItsRealSize() {
        List<AttributeValue> numbers = java.util.Collections.nCopies(25_000, AttributeValue.fromN("-1.5"));
        Map<String, AttributeValue> item = new java.util.HashMap<>();
        for (int i = 0; i < 5; i++) {
            item.put("l" + i, AttributeValue.fromL(numbers));
        }
        // 5 lists x 25,000 x (4 bytes + 1 per element): over 400 KB, as DynamoDB sees it
        assertThat(ItemSize.of(item)).isGreaterThanOrEqualTo(5L * 25_000 * 5).isGreaterThan(400 * 1024);
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
