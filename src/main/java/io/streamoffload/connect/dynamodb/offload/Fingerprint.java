package io.streamoffload.connect.dynamodb.offload;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** SHA-256, as hex for object keys and pointers and as base64 for S3's checksum header. */
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
}
