package io.streamoffload.connect.dynamodb.it.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamoffload.connect.dynamodb.offload.Pointer;
import io.streamoffload.connect.dynamodb.read.OffloadedItemReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What a fault scenario produced and what each record must become, reconciled by the test (never by the connector)
 * against what is really in DynamoDB, S3 and the dead letter queue. Each record must end as an item with the right
 * content whose pointers all verify, as a delete, or as a DLQ record whose reason names it; the last record to a key
 * decides that key's item, and a bad record leaves the item as if it had not been there.
 */
public final class Ledger implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Outcome { ITEM, DELETE, DEAD_LETTER, NO_EFFECT }

    /** One produced record and its expected outcome; {@code payload} is the value of the offloaded field, if any. */
    private record Entry(String key, JsonNode value, Outcome expected, String reason, TopicPartition partition,
                         long offset, String payload) {
    }

    /** What a reconciliation found. {@code lost} lists every record whose outcome is not what it must be. */
    public record Report(int produced, int written, int deleted, int deadLettered, List<String> lost, int objects,
                         int distinctPayloads) {
        @Override
        public String toString() {
            return "produced " + produced + " / written " + written + " / deleted " + deleted + " / dead-lettered "
                    + deadLettered + " / lost " + lost.size() + " / objects " + objects + " vs distinct payloads "
                    + distinctPayloads + (lost.isEmpty() ? "" : " " + lost.subList(0, Math.min(5, lost.size())));
        }
    }

    private final String bootstrapServers;
    private final String topic;
    private final String offloadedField;
    private final KafkaProducer<byte[], byte[]> producer;
    private final List<Entry> entries = new ArrayList<>();
    /** Attributes an item may hold besides its record's fields: the key, and what the connector adds (a version). */
    private final Set<String> added = new HashSet<>(Set.of("pk"));
    private final List<java.util.concurrent.Future<RecordMetadata>> sends = new ArrayList<>();
    /** The produced key and value of bad records too large for the DLQ, by entry index: they must be parked in S3. */
    private final Map<Integer, byte[][]> parked = new HashMap<>();
    /** How many DLQ records name each partition/offset, as of the last reconciliation. */
    private final Map<String, Integer> deadLetterCounts = new HashMap<>();

    /** @param offloadedField the value field stored in S3, or null when the scenario does not offload */
    public Ledger(String bootstrapServers, String topic, String offloadedField) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.offloadedField = offloadedField;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1",
                ProducerConfig.LINGER_MS_CONFIG, "5",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(16 * 1024 * 1024)),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Items may hold this attribute besides their record's fields, as a version attribute. */
    public Ledger allowAddedAttribute(String name) {
        added.add(name);
        return this;
    }

    /** Produces a JSON object value that must become (or be overwritten in) the item of {@code key}. */
    public void put(String key, String json) {
        put(key, json, json);
    }

    /** Produces {@code produced} (say, a JSON envelope with a schema), which must become the item {@code expected}. */
    public void put(String key, String produced, String expected) {
        JsonNode value = parse(expected);
        JsonNode payload = offloadedField == null ? null : value.get(offloadedField);
        put(key, produced, expected,
                payload == null || payload.isNull() ? null : payload.isTextual() ? payload.asText() : payload.toString());
    }

    /**
     * Like {@link #put(String, String, String)}, naming the content the record stores in S3 when it is not (only) the
     * offloaded field: fields the threshold or the 400 KB rule moves there. Equal names are one object.
     */
    public void put(String key, String produced, String expected, String offloadedContent) {
        send(key, produced.getBytes(StandardCharsets.UTF_8), parse(expected), Outcome.ITEM, null, offloadedContent);
    }

    /** Produces a tombstone: the item of {@code key} must be gone, unless a later record writes it again. */
    public void delete(String key) {
        send(key, null, null, Outcome.DELETE, null, null);
    }

    /** Produces {@code produced} (say, a delete change event), which must delete the item of {@code key}. */
    public void delete(String key, String produced) {
        send(key, produced.getBytes(StandardCharsets.UTF_8), null, Outcome.DELETE, null, null);
    }

    /** Produces a tombstone that must change nothing (a change event stream's tombstone after its delete). */
    public void ignoredTombstone(String key) {
        send(key, null, null, Outcome.NO_EFFECT, null, null);
    }

    /** Produces a record that must reach the DLQ with a reason containing {@code reason}, leaving its key untouched. */
    public void bad(byte[] key, byte[] value, String reason) {
        sends.add(producer.send(new ProducerRecord<>(topic, key, value)));
        entries.add(new Entry(key == null ? null : new String(key, StandardCharsets.UTF_8), null, Outcome.DEAD_LETTER,
                reason, null, -1, null));
    }

    /**
     * Produces a record too large for the dead letter queue, with a reason containing {@code reason}: the DLQ must hold
     * a small dead letter naming it, whose headers name S3 objects holding exactly these key and value bytes.
     */
    public void badParked(byte[] key, byte[] value, String reason) {
        parked.put(entries.size(), new byte[][] {key, value});
        bad(key, value, reason);
    }

    /** How many DLQ records name each partition/offset ("0/17"), as of the last reconciliation. */
    public Map<String, Integer> deadLetterCounts() {
        return Map.copyOf(deadLetterCounts);
    }

    private void send(String key, byte[] value, JsonNode parsed, Outcome outcome, String reason, String payload) {
        sends.add(producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)));
        entries.add(new Entry(key, parsed, outcome, reason, null, -1, payload));
    }

    /** Waits until the broker has every record, and learns where each one landed. */
    public void flush() {
        producer.flush();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.partition() != null) {
                continue;
            }
            try {
                RecordMetadata m = sends.get(i).get();
                entries.set(i, new Entry(e.key(), e.value(), e.expected(), e.reason(),
                        new TopicPartition(m.topic(), m.partition()), m.offset(), e.payload()));
            } catch (InterruptedException | ExecutionException ex) {
                throw new IllegalStateException("could not produce to " + topic, ex);
            }
        }
    }

    public int size() {
        return entries.size();
    }

    /** The keys of the records before {@code offset} in a partition that must end as items or deletes. */
    public List<String> keysBelow(TopicPartition partition, long offset) {
        flush();
        List<String> keys = new ArrayList<>();
        for (Entry e : entries) {
            if (e.partition().equals(partition) && e.offset() < offset && e.expected() != Outcome.DEAD_LETTER) {
                keys.add(e.key());
            }
        }
        return keys;
    }

    /** Checks every produced record against DynamoDB, S3 and the DLQ topic ({@code null} when there is none). */
    public Report reconcile(DynamoDbClient dynamo, String table, S3Client s3, String bucket, OffloadedItemReader reader,
                            String dlqTopic) {
        flush();
        Map<String, Map<String, AttributeValue>> items = scan(dynamo, table);
        List<String> lost = new ArrayList<>();
        Map<String, Entry> last = new LinkedHashMap<>();
        int written = 0;
        int deleted = 0;
        Set<String> payloads = new HashSet<>();
        for (Entry e : entries) {
            if (e.expected() == Outcome.DEAD_LETTER || e.expected() == Outcome.NO_EFFECT) {
                continue;
            }
            last.put(e.key(), e);
            if (e.expected() == Outcome.ITEM) {
                written++;
                if (e.payload() != null) {
                    payloads.add(e.payload());
                }
            } else {
                deleted++;
            }
        }
        for (Entry e : last.values()) {
            Map<String, AttributeValue> item = items.remove(e.key());
            if (e.expected() == Outcome.DELETE) {
                if (item != null) {
                    lost.add("key " + e.key() + " should be deleted but is " + item.keySet());
                }
            } else if (item == null) {
                lost.add("key " + e.key() + " (offset " + e.offset() + ") has no item");
            } else {
                String mismatch = compare(e, item, reader);
                if (mismatch != null) {
                    lost.add("key " + e.key() + ": " + mismatch);
                }
            }
        }
        items.keySet().forEach(key -> lost.add("item " + key + " was never produced"));
        int deadLettered = 0;
        List<Entry> expectedDead = entries.stream().filter(e -> e.expected() == Outcome.DEAD_LETTER).toList();
        if (!expectedDead.isEmpty()) {
            Map<String, ConsumerRecord<byte[], byte[]>> dead = dlqTopic == null ? Map.of() : deadLetters(dlqTopic, expectedDead.size());
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                if (e.expected() != Outcome.DEAD_LETTER) {
                    continue;
                }
                ConsumerRecord<byte[], byte[]> letter = dead.get(e.partition().partition() + "/" + e.offset());
                String reason = letter == null ? null : header(letter, "__connect.errors.exception.message");
                String coordinates = "record " + topic + "/" + e.partition().partition() + "/" + e.offset();
                String parkedProblem = letter == null || !parked.containsKey(i) ? null
                        : ParkedDeadLetters.check(letter, parked.get(i), s3);
                if (reason == null) {
                    lost.add(coordinates + " is not in the dead letter queue");
                } else if (!reason.contains(coordinates) || !reason.contains(e.reason())) {
                    lost.add(coordinates + " is in the DLQ with reason '" + reason + "', expected '" + e.reason() + "'");
                } else if (parkedProblem != null) {
                    lost.add(coordinates + " was parked, but " + parkedProblem);
                } else {
                    deadLettered++;
                }
            }
        }
        // parked dead letters are not offloaded payloads
        int objects = bucket == null ? 0 : (int) s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream()
                .filter(o -> !o.key().startsWith(ParkedDeadLetters.PREFIX)).count();
        return new Report(entries.size(), written, deleted, deadLettered, lost, objects, payloads.size());
    }

    /** The item must hold exactly the record's fields (and its key), offloaded fields reading back to the same value. */
    private String compare(Entry e, Map<String, AttributeValue> item, OffloadedItemReader reader) {
        Map<String, Object> offloaded = reader == null ? Map.of() : reader.hydrate(item).offloaded();
        Set<String> expectedNames = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = e.value().fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            expectedNames.add(field.getKey());
            AttributeValue actual = item.get(field.getKey());
            if (actual == null) {
                return "field " + field.getKey() + " is missing";
            }
            if (Pointer.fromAttribute(actual).isPresent()) {
                Object value = offloaded.get(field.getKey());
                JsonNode read = value instanceof JsonNode node ? node : JSON.valueToTree(value);
                if (!same(field.getValue(), read)) {
                    return "offloaded field " + field.getKey() + " reads back different content";
                }
            } else if (!same(field.getValue(), toJson(actual))) {
                return "field " + field.getKey() + " is " + actual + ", expected " + field.getValue();
            }
        }
        for (String name : item.keySet()) {
            if (!expectedNames.contains(name) && !added.contains(name)) {
                return "unexpected attribute " + name;
            }
        }
        return null;
    }

    private static boolean same(JsonNode expected, JsonNode actual) {
        if (expected.isNumber() && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        if (expected.isObject() && actual.isObject()) {
            if (expected.size() != actual.size()) {
                return false;
            }
            for (Iterator<String> names = expected.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!actual.has(name) || !same(expected.get(name), actual.get(name))) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isArray() && actual.isArray()) {
            if (expected.size() != actual.size()) {
                return false;
            }
            for (int i = 0; i < expected.size(); i++) {
                if (!same(expected.get(i), actual.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(expected, actual);
    }

    private static JsonNode toJson(AttributeValue value) {
        if (value.s() != null) {
            return JSON.getNodeFactory().textNode(value.s());
        }
        if (value.n() != null) {
            return JSON.getNodeFactory().numberNode(new BigDecimal(value.n()));
        }
        if (value.bool() != null) {
            return JSON.getNodeFactory().booleanNode(value.bool());
        }
        if (value.hasM()) {
            var object = JSON.createObjectNode();
            value.m().forEach((k, v) -> object.set(k, toJson(v)));
            return object;
        }
        if (value.hasL()) {
            var array = JSON.createArrayNode();
            value.l().forEach(v -> array.add(toJson(v)));
            return array;
        }
        return JSON.getNodeFactory().nullNode();
    }

    private static Map<String, Map<String, AttributeValue>> scan(DynamoDbClient dynamo, String table) {
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        try {
            dynamo.scanPaginator(r -> r.tableName(table).consistentRead(true)).items()
                    .forEach(item -> items.put(item.get("pk").s(), item));
        } catch (ResourceNotFoundException e) {
            // no table yet: nothing written
        }
        return items;
    }

    /** Every DLQ record (the last one, where several name the same record), by the partition/offset it was consumed at. */
    private Map<String, ConsumerRecord<byte[], byte[]>> deadLetters(String dlqTopic, int expected) {
        Map<String, ConsumerRecord<byte[], byte[]>> letters = new HashMap<>();
        deadLetterCounts.clear();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "ledger-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(dlqTopic));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                var batch = consumer.poll(Duration.ofMillis(200));
                if (batch.isEmpty() && letters.size() >= expected) {
                    break; // read to the end: duplicates would have shown
                }
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    String coordinates = header(r, "__connect.errors.partition") + "/" + header(r, "__connect.errors.offset");
                    letters.put(coordinates, r);
                    deadLetterCounts.merge(coordinates, 1, Integer::sum);
                }
            }
        }
        return letters;
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
