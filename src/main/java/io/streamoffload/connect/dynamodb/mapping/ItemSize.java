package io.streamoffload.connect.dynamodb.mapping;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Item size as DynamoDB counts it for the 400 KB limit: UTF-8 attribute names plus values, where a number
 * takes one byte per two significant digits plus one, and a map or list takes 3 bytes plus one byte per element.
 * The per-element byte makes this slightly pessimistic, so an item it accepts is never refused for size.
 */
public final class ItemSize {
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

    static long numberSize(String number) {
        BigDecimal n = new BigDecimal(number);
        int digits = n.signum() == 0 ? 1 : n.stripTrailingZeros().precision();
        return (digits + 1) / 2 + 1;
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
