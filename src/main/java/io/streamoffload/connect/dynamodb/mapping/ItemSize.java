package io.streamoffload.connect.dynamodb.mapping;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Item size as DynamoDB counts it for the 400 KB limit: UTF-8 attribute names plus values, where a map or list takes
 * 3 bytes plus one byte per element, and a number is stored as base-100 digit pairs aligned on the decimal point, plus
 * one byte of exponent and, for a negative number, one more: {@code -1} is 3 bytes, {@code 1.5} is 3, {@code 10010}
 * is 4 (1|00|10). The per-element byte and counting zero as 2 bytes make this slightly pessimistic, so an item it
 * accepts is never refused for size.
 */
public final class ItemSize {
    /** The most a number can take (38 digits over 20 pairs, exponent, sign): used for text the scanner does not expect. */
    private static final long MAX_NUMBER_BYTES = 22;

    private ItemSize() {
    }

    public static long of(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            size += utf8Length(e.getKey()) + of(e.getValue());
        }
        return size;
    }

    public static long of(AttributeValue value) {
        if (value.s() != null) {
            return utf8Length(value.s());
        }
        if (value.n() != null) {
            return numberSize(value.n());
        }
        if (value.b() != null) {
            return value.b().asByteArrayUnsafe().length;
        }
        if (value.bool() != null || Boolean.TRUE.equals(value.nul())) {
            return 1;
        }
        if (value.hasM()) {
            long size = 3;
            for (Map.Entry<String, AttributeValue> e : value.m().entrySet()) {
                size += 1 + utf8Length(e.getKey()) + of(e.getValue());
            }
            return size;
        }
        if (value.hasL()) {
            long size = 3;
            for (AttributeValue element : value.l()) {
                size += 1 + of(element);
            }
            return size;
        }
        if (value.hasSs()) {
            return value.ss().stream().mapToLong(ItemSize::utf8Length).sum();
        }
        if (value.hasNs()) {
            return value.ns().stream().mapToLong(ItemSize::numberSize).sum();
        }
        if (value.hasBs()) {
            List<SdkBytes> bs = value.bs();
            return bs.stream().mapToLong(b -> b.asByteArrayUnsafe().length).sum();
        }
        return 1;
    }

    /** The stored size of a number in DynamoDB's text form (sign, digits, optional point and exponent). */
    static long numberSize(String number) {
        int length = number.length();
        int i = 0;
        boolean negative = false;
        if (i < length && (number.charAt(i) == '-' || number.charAt(i) == '+')) {
            negative = number.charAt(i) == '-';
            i++;
        }
        int exponentAt = Math.max(number.indexOf('e'), number.indexOf('E'));
        int mantissaEnd = exponentAt < 0 ? length : exponentAt;
        long exponent = 0;
        if (exponentAt >= 0) {
            try {
                exponent = Long.parseLong(number, exponentAt + 1, length, 10);
            } catch (NumberFormatException e) {
                return MAX_NUMBER_BYTES;
            }
        }
        int point = number.indexOf('.', i);
        int integerDigits = (point < 0 || point > mantissaEnd ? mantissaEnd : point) - i;
        // powers of ten of the first and last non-zero digits
        long high = Long.MIN_VALUE;
        long low = 0;
        int position = 0;
        for (int j = i; j < mantissaEnd; j++) {
            char c = number.charAt(j);
            if (c == '.') {
                continue;
            }
            if (c < '0' || c > '9') {
                return MAX_NUMBER_BYTES;
            }
            if (c != '0') {
                long power = integerDigits - 1 - position + exponent;
                if (high == Long.MIN_VALUE) {
                    high = power;
                }
                low = power;
            }
            position++;
        }
        if (high == Long.MIN_VALUE) {
            return 2; // zero
        }
        long pairs = Math.floorDiv(high, 2) - Math.floorDiv(low, 2) + 1;
        return 1 + pairs + (negative ? 1 : 0);
    }

    public static long utf8Length(String s) {
        // Count without allocating: most attribute names and values are ASCII
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
