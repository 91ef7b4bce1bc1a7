package io.streamoffload.connect.dynamodb.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamoffload.connect.dynamodb.it.stack.FaultProxy;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import io.streamoffload.connect.dynamodb.offload.store.GcMarks;
import io.streamoffload.connect.dynamodb.read.OffloadedItemReader;
import io.streamoffload.connect.dynamodb.tool.OffloadTool;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The garbage collector's protocol under a running connector: while updates, repeated payloads and tombstones stream
 * through a Connect worker, {@code gc --delete} runs again and again with a short grace. No item may ever name a
 * missing object; once writes stop, every object no item names is gone.
 */
@ExtendWith(InJvmStackExtension.class)
class GcRaceIT extends ConnectorTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEYS = 20;
    private static final int PAYLOADS = 20;

    private final SinkTestStack stack;
    @TempDir
    Path dir;

    GcRaceIT(SinkTestStack stack) {
        this.stack = stack;
    }

    @Override
    protected SinkTestStack stack() {
        return stack;
    }

    private static String payload(int p) {
        return ("payload " + p + " ").repeat(200);
    }

    /**
     * Payloads take turns of 0.8 s and come back every 20 turns; every fourth record repeats the payload of 7, 9 or 11
     * turns back. With the collector's 4 s grace, an object is marked about 4 s after its upload and deleted 4 s after
     * that if still unnamed: a repeat 7 turns back (5.6 s) finds the mark and the connector removes it, one 9 turns
     * back (7.2 s) may meet a sweep under way, one 11 turns back (8.8 s) mostly finds the object gone and stores it
     * again; after its repeat a payload stays unnamed long enough to be deleted before it comes back.
     */
    private static int payloadOf(int record, long elapsedMillis) {
        int turn = (int) (elapsedMillis / 800);
        int back = record % 4 != 0 ? 0 : 7 + 2 * ((record / 4) % 3);
        return (turn + 2 * PAYLOADS - back) % PAYLOADS;
    }

    /** The collector reads DynamoDB directly, not through the connector's slow path. */
    private JsonNode gc(Path config, String table) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = OffloadTool.run(new PrintWriter(out, true), new PrintWriter(err, true), "gc", "--config",
                config.toString(), "--table", table, "--grace", "4s", "--delete", "--json", "--dynamodb-endpoint", stack.dynamoDbEndpoint().toString());
        assertThat(exit).as(err.toString()).isZero();
        return JSON.readTree(out.toString());
    }

    @Test
    void collectingWhileTheConnectorWritesNeverLeavesAPointerDangling() throws Exception {
        String topic = unique("gc-race");
        String bucket = topic.toLowerCase();
        createTable(topic, "pk");
        kafka.createTopic(topic, 1);
        // every write takes 0.4 s on its way to DynamoDB: time for a sweep to land between reusing an object and the
        // item that names it
        FaultProxy slowDynamoDb = new FaultProxy(stack.dynamoDbEndpoint(), FaultProxy.Service.DYNAMODB)
                .latency(Duration.ofMillis(400));
        Map<String, String> config = baseConfig(topic);
        config.put("dynamodb.endpoint.url", slowDynamoDb.uri().toString());
        config.put("table.name.format", topic);
        config.put("offload.s3.bucket", bucket);
        config.put("s3.path.style.access", "true");
        config.put("offload.fields", "body");
        config.put("offload.dedupe.ttl.ms", "300");
        config.put("offload.gc.mark.wait.ms", "1000");
        config.put("retry.budget.ms", "2000");
        Path configFile = dir.resolve("connector.json");
        Files.writeString(configFile, JSON.writeValueAsString(Map.of("name", topic, "config", config)));

        try (slowDynamoDb; S3Client s3 = stack.newS3Client(); OffloadedItemReader reader = new OffloadedItemReader(s3)) {
            s3.createBucket(b -> b.bucket(bucket));
            startConnector(topic, config);

            Map<String, String> last = new HashMap<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong deletedWhileWriting = new AtomicLong();
            AtomicLong rescued = new AtomicLong();
            AtomicLong runs = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread collector = new Thread(() -> {
                try {
                    while (writing.get()) {
                        JsonNode report = gc(configFile, topic);
                        deletedWhileWriting.addAndGet(report.get("toDelete").asLong());
                        rescued.addAndGet(report.get("rescued").asLong());
                        runs.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "gc-loop");
            collector.start();
            // watches for the failure the protocol prevents: an item naming an object that is not there
            List<String> dangling = new CopyOnWriteArrayList<>();
            Thread watcher = new Thread(() -> {
                try {
                    while (writing.get()) {
                        dangling.addAll(danglingItems(s3, topic));
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "dangling-watcher");
            watcher.start();
            long start = System.nanoTime();
            for (int i = 0; System.nanoTime() - start < Duration.ofSeconds(25).toNanos(); i++) {
                String key = "k" + (i % KEYS);
                // a tombstone now and then; a delete followed by a write of the same key later
                String value = i % 9 == 8 ? null
                        : JSON.writeValueAsString(Map.of("body", payload(payloadOf(i, (System.nanoTime() - start) / 1_000_000)), "seq", i));
                kafka.produce(topic, key, value);
                last.put(key, value);
                Thread.sleep(20); // pacing the producer over time, not synchronisation
            }
            writing.set(false);
            collector.join();
            watcher.join();
            assertThat(failure.get()).as("the collector or the watcher failed").isNull();
            assertThat(dangling).as("items that named a missing object while the connector wrote").isEmpty();

            // the connector catches up with the last record of every key
            await().atMost(TIMEOUT).untilAsserted(() -> {
                for (Map.Entry<String, String> expected : last.entrySet()) {
                    Map<String, AttributeValue> item = getItem(topic, pk(expected.getKey()));
                    if (expected.getValue() == null) {
                        assertThat(item).as(expected.getKey()).isNull();
                    } else {
                        assertThat(item).as(expected.getKey()).isNotNull();
                        assertThat(item.get("seq").n())
                                .isEqualTo(JSON.readTree(expected.getValue()).get("seq").asText());
                    }
                }
            });
            // every pointer resolves, and to its own content
            for (Map.Entry<String, String> expected : last.entrySet()) {
                if (expected.getValue() != null) {
                    assertThat(reader.hydrate(getItem(topic, pk(expected.getKey()))).text("body"))
                            .isEqualTo(JSON.readTree(expected.getValue()).get("body").asText());
                }
            }
            StringWriter verifyOut = new StringWriter();
            assertThat(OffloadTool.run(new PrintWriter(verifyOut, true), new PrintWriter(new StringWriter(), true),
                    "verify", "--config", configFile.toString(), "--table", topic, "--dynamodb-endpoint", stack.dynamoDbEndpoint().toString())).as(verifyOut.toString()).isZero();

            // with writes stopped, every unnamed object goes within two graces
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                gc(configFile, topic);
                return objects(s3, bucket).equals(named(topic, bucket));
            });
            long cleared = marksCleared(topic);
            System.out.printf("[gc race] %d gc runs while writing: %d objects deleted, %d marks removed by gc as "
                    + "named again, %d marks cleared by the connector on reuse; %d objects left, all named%n",
                    runs.get(), deletedWhileWriting.get(), rescued.get(), cleared, objects(s3, bucket).size());
            assertThat(deletedWhileWriting.get()).as("objects were deleted while the connector wrote").isPositive();
            assertThat(rescued.get() + cleared).as("marks met reuse").isPositive();
            assertThat(objects(s3, bucket)).isNotEmpty();
        }
    }

    /** Items whose pointer names a missing object, read twice so that an item overwritten meanwhile does not count. */
    private List<String> danglingItems(S3Client s3, String table) {
        List<String> found = new ArrayList<>();
        dynamo.scanPaginator(s -> s.tableName(table).consistentRead(true)).items().forEach(item -> {
            for (var pointer : OffloadedItemReader.pointers(item)) {
                if (!exists(s3, pointer.bucket(), pointer.key())) {
                    Map<String, AttributeValue> again = getItem(table, Map.of("pk", item.get("pk")));
                    if (again != null && again.get("seq").equals(item.get("seq")) && !exists(s3, pointer.bucket(), pointer.key())) {
                        found.add(item.get("pk").s() + " seq " + item.get("seq").n() + " -> " + pointer.uri());
                    }
                }
            }
        });
        return found;
    }

    private static boolean exists(S3Client s3, String bucket, String key) {
        try {
            s3.headObject(h -> h.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    private Set<String> objects(S3Client s3, String bucket) {
        Set<String> keys = new HashSet<>();
        for (S3Object object : s3.listObjectsV2Paginator(l -> l.bucket(bucket)).contents()) {
            if (!GcMarks.isMark(object.key())) {
                keys.add(object.key());
            }
        }
        return keys;
    }

    private Set<String> named(String table, String bucket) {
        Set<String> keys = new HashSet<>();
        dynamo.scanPaginator(s -> s.tableName(table).consistentRead(true)).items().forEach(item ->
                OffloadedItemReader.pointers(item).forEach(pointer -> keys.add(pointer.key())));
        return keys;
    }

    private static long marksCleared(String connector) throws Exception {
        ObjectName name = new ObjectName(SinkTaskMetrics.DOMAIN + ":type=sink-task-metrics,connector="
                + ObjectName.quote(connector) + ",task=" + ObjectName.quote("0"));
        return (Long) ManagementFactory.getPlatformMBeanServer().getAttribute(name, "GcMarksCleared");
    }
}
