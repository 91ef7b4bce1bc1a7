package io.streamoffload.connect.dynamodb.it.modes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamoffload.connect.dynamodb.it.ConnectorTestBase;
import io.streamoffload.connect.dynamodb.read.HydratedItem;
import io.streamoffload.connect.dynamodb.read.OffloadedItemReader;
import io.streamoffload.connect.dynamodb.testutil.AvroTestConverter;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Write modes end to end through a Connect worker: versioned writes against replays and records out of order, partial
 * updates merging with offloaded fields, and Debezium change events in JSON (with and without schemas) and Avro.
 */
public abstract class WriteModeScenarios extends ConnectorTestBase {

    /**
     * Versions 1..6 of 40 keys, produced out of order within a poll (6, 2, 5, 1, 4, 3), then older ones again in a later
     * poll, then the connector's offsets reset to 0 so that it reads everything again: every item stays at version 6,
     * and the equal versions of the replay (a redelivery) change nothing.
     */
    @Test
    void offsetResetOutOfOrderVersionsAndRedeliveriesLeaveEveryItemAtItsNewestVersion() throws Exception {
        String topic = unique("versions");
        kafka.createTopic(topic, 1);
        int keys = 40;
        int[] order = {6, 2, 5, 1, 4, 3};
        for (int v : order) {
            for (int k = 0; k < keys; k++) {
                kafka.produce(topic, "k" + k, "{\"v\":" + v + ",\"state\":\"state-" + v + "\",\"only" + v + "\":true}");
            }
        }
        kafka.flush();
        Map<String, String> config = baseConfig(topic);
        config.put("write.version.source", "record.value");
        config.put("write.version.field", "v");
        config.put("tombstone.behavior", "ignore");
        startConnector(unique("versions"), config);
        awaitCommitted(topic, keys * order.length);
        assertEveryItemAt(topic, keys, 6);
        // the versions of a key met in one round: only the one that decides the item is sent
        assertThat(taskMetric("ItemsPut") + taskMetric("WritesSuperseded")).as("every write ended")
                .isEqualTo(keys * (long) order.length);
        assertThat(taskMetric("BatchCalls")).as("calls, when the writes of a key in one round go as one")
                .isLessThan(keys * (long) order.length);

        // a later poll brings older versions again
        for (int v = 1; v <= 5; v++) {
            kafka.produce(topic, "k" + v, "{\"v\":" + v + ",\"state\":\"late-" + v + "\"}");
        }
        kafka.flush();
        awaitCommitted(topic, keys * order.length + 5);
        assertEveryItemAt(topic, keys, 6);

        // an offset reset to 0: the whole topic again
        connect.stopConnector(connectorName);
        await().atMost(TIMEOUT).until(() -> "STOPPED".equals(connect.status(connectorName).path("connector")
                .path("state").asText()));
        connect.resetOffsets(connectorName);
        assertThat(committed(topic)).isEqualTo(-1);
        connect.resumeConnector(connectorName);
        awaitCommitted(topic, keys * order.length + 5);
        assertEveryItemAt(topic, keys, 6);
        assertThat(taskMetric("WritesSuperseded")).as("every write of the replay, counted").isEqualTo(keys * 6L + 5);
        assertThat(taskMetric("ItemsPut")).as("none applied").isZero();

        // and a newer version still lands
        kafka.produce(topic, "k0", "{\"v\":7,\"state\":\"state-7\"}");
        kafka.flush();
        await().atMost(TIMEOUT).until(() -> getItem(topic, pk("k0")).get("state").s().equals("state-7"));
        assertThat(getItem(topic, pk("k0"))).as("a put replaces the item").doesNotContainKey("only6");
    }

    private void assertEveryItemAt(String table, int keys, int version) {
        for (int k = 0; k < keys; k++) {
            Map<String, AttributeValue> item = getItem(table, pk("k" + k));
            assertThat(item).as("item k" + k).isNotNull();
            assertThat(item.get("_version").n()).as("version of k" + k).isEqualTo(Integer.toString(version));
            assertThat(item.get("state").s()).isEqualTo("state-" + version);
            assertThat(item).as("a put of version " + version + " replaced the item whole")
                    .containsOnlyKeys("pk", "v", "state", "only" + version, "_version");
        }
    }

    /**
     * Update mode: each record sets what it carries. The page's body is offloaded; a later record replaces it with a
     * new object while the offloaded raw document of the first record stays; a null title removes the attribute; a
     * status change keeps everything else; versions from the offset keep a replay from undoing later updates.
     */
    @Test
    void partialUpdatesMergeWithTheItemIncludingOffloadedFields() throws Exception {
        String topic = unique("updates");
        String bucket = topic.toLowerCase();
        kafka.createTopic(topic, 1);
        try (S3Client s3 = stack().newS3Client(); OffloadedItemReader reader = new OffloadedItemReader(s3)) {
            s3.createBucket(b -> b.bucket(bucket));
            String body1 = "<html>" + "first crawl ".repeat(30_000) + "</html>";
            String body2 = "<html>" + "second crawl ".repeat(30_000) + "</html>";
            String raw = "raw ".repeat(40_000);
            kafka.produce(topic, "page", "{\"title\":\"Home\",\"status\":\"new\",\"body\":\"" + body1
                    + "\",\"raw\":\"" + raw + "\"}");
            kafka.produce(topic, "page", "{\"status\":\"crawled\"}");
            kafka.produce(topic, "page", "{\"body\":\"" + body2 + "\",\"title\":null}");
            kafka.produce(topic, "other", "{\"status\":\"new\",\"title\":null}");
            kafka.flush();
            Map<String, String> config = baseConfig(topic);
            config.put("write.mode", "update");
            config.put("offload.s3.bucket", bucket);
            config.put("s3.path.style.access", "true");
            config.put("offload.fields", "body");
            startConnector(unique("updates"), config);
            awaitCommitted(topic, 4);

            HydratedItem page = reader.hydrate(getItem(topic, pk("page")));
            assertThat(page.text("body")).as("the second body replaced the first").isEqualTo(body2);
            assertThat(page.text("raw")).as("offloaded by size in the first record, untouched since").isEqualTo(raw);
            assertThat(page.item().get("raw").hasM()).as("raw is a pointer").isTrue();
            assertThat(page.item().get("status").s()).isEqualTo("crawled");
            assertThat(page.item()).doesNotContainKey("title");
            Map<String, AttributeValue> other = getItem(topic, pk("other"));
            assertThat(other).containsOnlyKeys("pk", "status");

            // 'keep' stores explicit nulls as NULL instead
            connect.deleteConnector(connectorName);
            config.put("write.update.nulls", "keep");
            kafka.produce(topic, "other", "{\"title\":null}");
            kafka.flush();
            startConnector(unique("updates-keep"), config);
            await().atMost(TIMEOUT).until(() -> getItem(topic, pk("other")).containsKey("title"));
            assertThat(getItem(topic, pk("other")).get("title").nul()).isTrue();
            assertThat(getItem(topic, pk("other")).get("status").s()).isEqualTo("new");
        }
    }

    /**
     * An update that would make the stored item larger than 400 KB is refused by DynamoDB: the record goes to the dead
     * letter queue with the reason, the item keeps what it had, and the next update to it lands.
     */
    @Test
    void anUpdateThatWouldMakeTheItemTooLargeIsADeadLetterWithTheReason() {
        String topic = unique("too-large");
        String dlq = topic + "-dlq";
        kafka.createTopic(topic, 1);
        kafka.createTopic(dlq, 1);
        kafka.produce(topic, "big", "{\"a\":\"" + "a".repeat(300_000) + "\"}");
        kafka.produce(topic, "big", "{\"b\":\"" + "b".repeat(200_000) + "\"}");
        kafka.produce(topic, "big", "{\"c\":\"small\"}");
        kafka.flush();
        Map<String, String> config = baseConfig(topic);
        config.put("write.mode", "update");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", dlq);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        startConnector(unique("too-large"), config);
        awaitCommitted(topic, 3);

        Map<String, AttributeValue> item = getItem(topic, pk("big"));
        assertThat(item).containsOnlyKeys("pk", "a", "c");
        var deadLetters = kafka.consume(dlq, 1, TIMEOUT);
        assertThat(deadLetters).singleElement().satisfies(r -> {
            String reason = new String(r.headers().lastHeader("__connect.errors.exception.message").value(),
                    StandardCharsets.UTF_8);
            assertThat(reason).contains(topic + "/0/1").contains("UpdateItem").contains("400 KB")
                    .doesNotContain("bbbb");
            assertThat(new String(r.headers().lastHeader("__connect.errors.offset").value(), StandardCharsets.UTF_8))
                    .isEqualTo("1");
        });
    }

    /** Debezium events as JSON without schemas (JsonConverter, schemas.enable=false). */
    @Test
    void debeziumJsonWithoutSchemas() throws Exception {
        String topic = unique("cdc-json");
        Map<String, String> config = cdcConfig(topic);
        runChangeEvents(topic, config, event -> DebeziumEvents.json(event, false).getBytes(StandardCharsets.UTF_8));
    }

    /** Debezium events as JSON with schemas (JsonConverter, schemas.enable=true): the value is a Struct. */
    @Test
    void debeziumJsonWithSchemas() throws Exception {
        String topic = unique("cdc-json-schema");
        Map<String, String> config = cdcConfig(topic);
        config.put("value.converter.schemas.enable", "true");
        runChangeEvents(topic, config, event -> DebeziumEvents.json(event, true).getBytes(StandardCharsets.UTF_8));
    }

    /** Debezium events as Avro with the envelope's schema. */
    @Test
    void debeziumAvro() throws Exception {
        String topic = unique("cdc-avro");
        Map<String, String> config = cdcConfig(topic);
        config.put("value.converter", AvroTestConverter.class.getName());
        config.put("value.converter.schema", DebeziumEvents.AVRO_SCHEMA.toString());
        runChangeEvents(topic, config, event -> avro(DebeziumEvents.avro(event)));
    }

    private Map<String, String> cdcConfig(String topic) {
        Map<String, String> config = baseConfig(topic);
        config.put("cdc.format", "debezium");
        config.put("key.partition.source", "record.value");
        config.put("key.partition.field", "id");
        config.put("write.version.source", "record.value");
        config.put("write.version.field", "source.lsn");
        return config;
    }

    /**
     * A snapshot of customers 1, 2 and 5 (then a change to 5 logged before the snapshot's position), customer 3 created, 1 updated, 2 deleted (then its tombstone), 3's key changed
     * to 4 (a delete, a tombstone and a create), 1 updated again, and finally 1's first update redelivered.
     */
    private void runChangeEvents(String topic, Map<String, String> config, EventEncoder encoder) throws Exception {
        kafka.createTopic(topic, 1);
        List<DebeziumEvents.Event> events = List.of(
                DebeziumEvents.read(1, "Ann", 10),
                DebeziumEvents.read(2, "Bob", 10),
                DebeziumEvents.read(5, "Eve", 25),
                // logged before the snapshot's position, committed (and streamed) after it
                DebeziumEvents.update(5, "Eve", "Eve B.", 22),
                DebeziumEvents.create(3, "Cid", 20),
                DebeziumEvents.update(1, "Ann", "Ann B.", 30),
                DebeziumEvents.delete(2, "Bob", 40),
                DebeziumEvents.tombstone(2),
                DebeziumEvents.delete(3, "Cid", 50),
                DebeziumEvents.tombstone(3),
                DebeziumEvents.create(4, "Cid", 50),
                DebeziumEvents.update(1, "Ann B.", "Ann C.", 60),
                DebeziumEvents.update(1, "Ann", "Ann B.", 30));
        for (DebeziumEvents.Event event : events) {
            kafka.produce(topic, ("{\"id\":" + event.id() + "}").getBytes(StandardCharsets.UTF_8),
                    event.op() == null ? null : encoder.encode(event));
        }
        kafka.flush();
        config.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        startConnector(unique("cdc"), config);
        awaitCommitted(topic, events.size());

        assertThat(getItem(topic, pk("1"))).as("customer 1 at its last update, not the redelivered one")
                .satisfies(item -> assertThat(item.get("name").s()).isEqualTo("Ann C."))
                .satisfies(item -> assertThat(item.get("_version").n()).isEqualTo("60"));
        assertThat(getItem(topic, pk("2"))).as("deleted, and its tombstone ignored").isNull();
        assertThat(getItem(topic, pk("3"))).as("the old key of a primary-key change").isNull();
        assertThat(getItem(topic, pk("4"))).as("the new key").isNotNull()
                .satisfies(item -> assertThat(item.get("name").s()).isEqualTo("Cid"));
        assertThat(getItem(topic, pk("5"))).as("a streamed change wins over a snapshot row whatever their LSNs")
                .satisfies(item -> assertThat(item.get("name").s()).isEqualTo("Eve B."))
                .satisfies(item -> assertThat(item.get("_version").n()).isEqualTo("22"));
        assertThat(taskState()).isEqualTo("RUNNING");
    }

    @FunctionalInterface
    private interface EventEncoder {
        byte[] encode(DebeziumEvents.Event event) throws IOException;
    }

    private static byte[] avro(GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** A counter of the scenario connector's task 0, over JMX (the worker runs in this JVM). */
    private long taskMetric(String name) throws Exception {
        ObjectName task = new ObjectName(SinkTaskMetrics.DOMAIN + ":type=sink-task-metrics,connector="
                + ObjectName.quote(connectorName) + ",task=" + ObjectName.quote("0"));
        return ((Number) ManagementFactory.getPlatformMBeanServer().getAttribute(task, name)).longValue();
    }

    /** Waits until the connector's group has committed {@code offset} on the topic's one partition. */
    protected void awaitCommitted(String topic, long offset) {
        await().atMost(TIMEOUT).until(() -> committed(topic) >= offset);
    }

    private long committed(String topic) throws Exception {
        return committedOffset(connectorName, topic);
    }
}
