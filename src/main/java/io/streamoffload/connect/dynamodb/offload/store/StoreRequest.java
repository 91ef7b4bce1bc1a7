package io.streamoffload.connect.dynamodb.offload.store;

import io.streamoffload.connect.dynamodb.offload.codec.Codec;
import java.util.Map;

/**
 * One object to make durable in S3.
 *
 * @param key         the object key
 * @param content     serialized, uncompressed bytes
 * @param sha256      hex SHA-256 of {@code content}
 * @param codec       how to compress
 * @param format      the serialization format name
 * @param contentType the Content-Type of the uncompressed content
 * @param provenance  where the content first came from (topic, partition, offset, item key), as object metadata
 */
public record StoreRequest(String key, byte[] content, String sha256, Codec codec, String format, String contentType,
                           Map<String, String> provenance) {
}
