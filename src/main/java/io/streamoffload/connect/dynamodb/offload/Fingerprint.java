package io.streamoffload.connect.dynamodb.offload;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/** SHA-256, as hex for object keys and pointers and as base64 for S3's checksum header; CRC32C for the wire. */
public final class Fingerprint {
    private Fingerprint() {
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    public static String hex(byte[] data) {
        return HexFormat.of().formatHex(sha256(data));
    }

    public static String base64(byte[] data) {
        return Base64.getEncoder().encodeToString(sha256(data));
    }

    /** The base64 form of a digest known in hex. */
    public static String base64FromHex(String hex) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    }

    /** CRC32C as S3's {@code x-amz-checksum-crc32c} header carries it: the four big-endian bytes in base64. */
    public static String crc32cBase64(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        long value = crc.getValue();
        return Base64.getEncoder().encodeToString(new byte[] {
                (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }
}
