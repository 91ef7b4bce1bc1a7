package io.streamoffload.connect.dynamodb.it.fault;

import io.streamoffload.connect.dynamodb.offload.codec.Codec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The test's own check of a parked dead letter: the small DLQ record's headers name S3 objects whose content, once
 * decompressed, is byte for byte what was produced, with the SHA-256 the test computes itself.
 */
final class ParkedDeadLetters {
    static final String PREFIX = "_dynamodb-offload/dead-letters/";
    static final String HEADER = "dynamodb-offload.parked.";

    private ParkedDeadLetters() {
    }

    /** @return what is wrong, or null */
    static String check(ConsumerRecord<byte[], byte[]> letter, byte[][] produced, S3Client s3) {
        if (letter.value() != null || letter.key() != null) {
            return "its dead letter carries a key or value (" + letter.serializedValueSize() + " value bytes)";
        }
        if (header(letter, HEADER + "reason") == null || header(letter, HEADER + "original-bytes") == null) {
            return "its dead letter has no reason or original-bytes header";
        }
        String[] parts = {"key", "value"};
        for (int i = 0; i < parts.length; i++) {
            String uri = header(letter, HEADER + parts[i] + ".uri");
            if (produced[i] == null) {
                if (uri != null) {
                    return "a null " + parts[i] + " was parked at " + uri;
                }
                continue;
            }
            if (uri == null || !uri.contains("/" + PREFIX)) {
                return "its dead letter names no parked " + parts[i] + " under " + PREFIX + " (" + uri + ")";
            }
            String expectedSha = sha256(produced[i]);
            if (!expectedSha.equals(header(letter, HEADER + parts[i] + ".sha256"))) {
                return "the " + parts[i] + "'s SHA-256 header is not that of the produced bytes";
            }
            String bucketAndKey = uri.substring("s3://".length());
            int slash = bucketAndKey.indexOf('/');
            ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(g -> g.bucket(bucketAndKey.substring(0, slash))
                    .key(bucketAndKey.substring(slash + 1)));
            Codec codec = Codec.fromConfig(object.response().metadata().get("codec"));
            byte[] content = codec.decompress(object.asByteArray(), produced[i].length);
            if (!expectedSha.equals(sha256(content)) || !Arrays.equals(content, produced[i])) {
                return "the object at " + uri + " does not hold the produced " + parts[i] + " (" + content.length
                        + " bytes, " + produced[i].length + " produced)";
            }
        }
        return null;
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
