package io.streamoffload.connect.dynamodb.errors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.streamoffload.connect.dynamodb.offload.Fingerprint;
import io.streamoffload.connect.dynamodb.offload.OffloadSettings;
import io.streamoffload.connect.dynamodb.offload.format.JsonFormat;
import io.streamoffload.connect.dynamodb.offload.store.ObjectMetadata;
import io.streamoffload.connect.dynamodb.offload.store.S3ObjectStore;
import io.streamoffload.connect.dynamodb.offload.store.StoreRequest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Parks a bad record that is too large for the dead letter queue in S3, and makes the small dead letter that names it.
 * The record's key and value go to the offload bucket as they were consumed (or, where the worker no longer holds
 * those bytes, as the JSON of the converted data), each a content-addressed object under the dead letter prefix,
 * compressed and encrypted like offloaded fields. Headers travel on the dead letter, unless they are large themselves:
 * then they are parked too. The dead letter has the original topic, partition and offset, no key or value, the
 * original headers and the {@code dynamodb-offload.parked.*} headers (a public contract, documented in
 * docs/guarantees.md).
 */
public final class DeadLetterParking {
    public static final String HEADER_PREFIX = "dynamodb-offload.parked.";
    public static final String REASON_HEADER = HEADER_PREFIX + "reason";
    public static final String ORIGINAL_BYTES_HEADER = HEADER_PREFIX + "original-bytes";
    /** S3 metadata naming which part of the record an object holds: key, value or headers. */
    public static final String PART_METADATA = "dead-letter-part";
    /** Headers larger than this are parked rather than carried on the dead letter. */
    static final int MAX_CARRIED_HEADER_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFormat CONVERTED = new JsonFormat();

    private final S3ObjectStore store;
    private final OffloadSettings settings;

    public DeadLetterParking(S3ObjectStore store, OffloadSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    /** One stored part of a parked record. */
    public record Part(String name, String uri, String sha256, long bytes, String format) {
    }

    /** What was parked, and the dead letter to send in the record's place. */
    public record Parked(List<Part> parts, long originalBytes, SinkRecord deadLetter) {
        public String describe() {
            StringBuilder text = new StringBuilder("the record (" + originalBytes + " bytes) is too large for the dead "
                    + "letter queue: it was parked in S3, ");
            for (int i = 0; i < parts.size(); i++) {
                Part part = parts.get(i);
                text.append(i == 0 ? "" : ", ").append(part.name()).append(" at ").append(part.uri());
            }
            return text.toString();
        }
    }

    /**
     * Stores the record's parts and returns once all of them are durable; throws a {@link ConnectException} naming the
     * record when that fails within the retry budget.
     */
    public Parked park(SinkRecord record, String reason, long originalBytes) {
        Optional<ConsumerRecord<?, ?>> consumed = ConsumedRecord.of(record);
        List<Part> parts = new ArrayList<>();
        List<StoreRequest> requests = new ArrayList<>();
        prepare("key", consumed.map(ConsumerRecord::key), record.key(), record.keySchema(), record, parts, requests);
        prepare("value", consumed.map(ConsumerRecord::value), record.value(), record.valueSchema(), record, parts, requests);
        boolean parkHeaders = consumed.map(c -> DeadLetterRecordSize.headerBytes(c) > MAX_CARRIED_HEADER_BYTES).orElse(false);
        if (parkHeaders) {
            add("headers", headersJson(consumed.get()), "json", "application/json", record, parts, requests);
        }
        try {
            requests.stream().map(store::store).toList().forEach(future -> future.join());
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ConnectException(new BadRecordException(record, reason).getMessage() + ". The record is too large "
                    + "for the dead letter queue (" + originalBytes + " bytes), and parking it in S3 failed: "
                    + cause.getMessage(), cause);
        }
        return new Parked(List.copyOf(parts), originalBytes, deadLetter(record, reason, originalBytes, parts, !parkHeaders));
    }

    private void prepare(String name, Optional<Object> consumedBytes, Object converted,
                         org.apache.kafka.connect.data.Schema schema, SinkRecord record, List<Part> parts,
                         List<StoreRequest> requests) {
        if (consumedBytes.isPresent() && consumedBytes.get() instanceof byte[] raw) {
            add(name, raw, "raw", "application/octet-stream", record, parts, requests);
        } else if (consumedBytes.isEmpty() && converted != null) {
            add(name, CONVERTED.serialize(converted, schema), "json", "application/json", record, parts, requests);
        }
        // else: consumed as null, nothing to park
    }

    private void add(String name, byte[] content, String format, String contentType, SinkRecord record, List<Part> parts,
                     List<StoreRequest> requests) {
        String sha256 = Fingerprint.hex(content);
        String extension = format.equals("raw") ? "bin" : "json";
        String key = settings.deadLetterPrefix() + sha256 + "." + extension + settings.codec().suffix();
        Map<String, String> provenance = ObjectMetadata.sourceOf(record);
        provenance.put(PART_METADATA, name);
        requests.add(new StoreRequest(key, content, sha256, settings.codec(), format, contentType, provenance));
        parts.add(new Part(name, "s3://" + settings.bucket() + "/" + key, sha256, content.length, format));
    }

    private static byte[] headersJson(ConsumerRecord<?, ?> consumed) {
        ArrayNode headers = JSON.createArrayNode();
        for (org.apache.kafka.common.header.Header header : consumed.headers()) {
            headers.addObject().put("key", header.key())
                    .put("value", header.value() == null ? null : Base64.getEncoder().encodeToString(header.value()));
        }
        try {
            return JSON.writeValueAsBytes(headers);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("headers cannot be written as JSON", e);
        }
    }

    /**
     * The record in the dead letter queue: its original coordinates (which Kafka Connect's context headers report), no
     * key or value, so that any converter writes it, and headers that say where the key and value are.
     */
    private static SinkRecord deadLetter(SinkRecord record, String reason, long originalBytes, List<Part> parts,
                                         boolean carryHeaders) {
        Headers headers = new ConnectHeaders();
        if (carryHeaders) {
            for (Header header : record.headers()) {
                headers.add(header);
            }
        }
        headers.addString(REASON_HEADER, reason);
        headers.addString(ORIGINAL_BYTES_HEADER, Long.toString(originalBytes));
        for (Part part : parts) {
            headers.addString(HEADER_PREFIX + part.name() + ".uri", part.uri());
            headers.addString(HEADER_PREFIX + part.name() + ".sha256", part.sha256());
            headers.addString(HEADER_PREFIX + part.name() + ".bytes", Long.toString(part.bytes()));
            headers.addString(HEADER_PREFIX + part.name() + ".format", part.format());
        }
        Integer partition = record.kafkaPartition() == null ? null : OriginalCoordinates.partition(record);
        return new SinkRecord(OriginalCoordinates.topic(record), partition, null, null, null, null,
                OriginalCoordinates.offset(record), record.timestamp(), record.timestampType(), headers);
    }
}
