package io.streamoffload.connect.dynamodb.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamoffload.connect.dynamodb.DynamoDbSinkConnector;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStack;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import io.streamoffload.connect.dynamodb.it.stack.Tables;
import io.streamoffload.connect.dynamodb.it.stack.WorkerProcess;
import io.streamoffload.connect.dynamodb.offload.Fingerprint;
import io.streamoffload.connect.dynamodb.offload.Pointer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Memory is part of correctness: a Connect worker JVM with a 256 MB heap streams records with 0.1-3 MB HTML fields
 * (2 GB by default; {@code -Dheap.test.megabytes=N} for more or less), offload on, with the consumer settings the
 * README gives for large records. Every record must land with a pointer to its own content, and the worker must never
 * run out of memory. The objects go to an s3proxy of its own that keeps them on disk, so that the test JVM does not
 * hold them.
 */
@ExtendWith(InJvmStackExtension.class)
class LargeRecordHeapIT {
    private static final long MEGABYTES = Long.getLong("heap.test.megabytes", 2048);
    private static final int MIN_FIELD = 100 * 1024;
    private static final int MAX_FIELD = 3 * 1024 * 1024;
    private static final String[] WORDS = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor"
            .split(" ");

    private final InJvmStack stack;

    LargeRecordHeapIT(SinkTestStack stack) {
        this.stack = (InJvmStack) stack;
    }

    @Test
    void aWorkerWith256MbOfHeapStreamsLargeFieldsWithoutRunningOutOfMemory(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("s3"));
        S3Proxy s3 = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(dir.resolve("s3").toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, stack.accessKeyId(), stack.secretAccessKey())
                .build();
        s3.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> "STARTED".equals(s3.getState()));
        String topic = "heap-" + System.nanoTime();
        String table = topic;
        String bucket = topic;
        try (DynamoDbClient dynamoDb = stack.newDynamoDbClient();
             Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            admin.createTopics(Set.of(new NewTopic(topic, Optional.of(2), Optional.empty()))).all().get();
            Tables.createKeyedByString(dynamoDb, table, "pk");
            URI s3Endpoint = URI.create("http://127.0.0.1:" + s3.getPort());
            try (var client = stack.newS3Client(s3Endpoint)) {
                client.createBucket(b -> b.bucket(bucket));
            }

            Map<String, String> connector = new LinkedHashMap<>(stack.connectionConfig());
            connector.put("name", "heap-test");
            connector.put("connector.class", DynamoDbSinkConnector.class.getName());
            connector.put("tasks.max", "2");
            connector.put("topics", topic);
            connector.put("s3.endpoint.url", s3Endpoint.toString());
            connector.put("s3.path.style.access", "true");
            connector.put("offload.s3.bucket", bucket);
            connector.put("offload.threshold.bytes", Integer.toString(64 * 1024));
            // what the README gives for records of up to a few MB
            Map<String, String> worker = System.getProperty("heap.test.worker") != null ? workerProps() : Map.of(
                    "consumer.max.poll.records", "50",
                    "consumer.fetch.max.bytes", Integer.toString(8 * 1024 * 1024),
                    "consumer.max.partition.fetch.bytes", Integer.toString(4 * 1024 * 1024));

            Map<String, String> expectedSha = new ConcurrentHashMap<>();
            long bytes = 0;
            int records = 0;
            // a backlog, as after downtime or on a first start: the worker's polls are as full as its settings allow
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(16 * 1024 * 1024),
                    ProducerConfig.LINGER_MS_CONFIG, "5"), new ByteArraySerializer(), new ByteArraySerializer())) {
                SplittableRandom sizes = new SplittableRandom(42);
                while (bytes < MEGABYTES * 1024 * 1024) {
                    String key = "page-" + records;
                    String html = html(records, MIN_FIELD + sizes.nextInt(MAX_FIELD - MIN_FIELD));
                    byte[] content = html.getBytes(StandardCharsets.UTF_8);
                    expectedSha.put(key, Fingerprint.hex(content));
                    byte[] value = ("{\"url\":\"https://example.com/" + key + "\",\"html\":\"" + html + "\"}")
                            .getBytes(StandardCharsets.UTF_8);
                    producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
                    bytes += value.length;
                    records++;
                }
            }
            // the worker log is appended to: start it afresh, so that an earlier run's failure is not read as this one's
            Files.deleteIfExists(Path.of("target", "large-record-heap.log"));
            long begin = System.nanoTime();
            try (WorkerProcess process = WorkerProcess.start(WorkerProcess.classpath("connect-4"),
                    stack.bootstrapServers(), dir.resolve("worker"), worker, connector, "large-record-heap", "256m")) {
                int expected = records;
                await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    process.assertAlive();
                    assertThat(process.log()).doesNotContain("OutOfMemoryError");
                    return countAll(dynamoDb, table) >= expected;
                });
                double seconds = (System.nanoTime() - begin) / 1e9;
                System.out.printf("[heap test] %d records, %.0f MB of values through a -Xmx256m worker in %.0f s "
                                + "(%.1f MB/s); worker peak RSS %s%n", records, bytes / 1e6, seconds, bytes / 1e6 / seconds,
                        peakRss(process.pid()));
                assertThat(process.log()).doesNotContain("OutOfMemoryError");
            }

            Map<String, String> actualSha = new java.util.HashMap<>();
            dynamoDb.scanPaginator(s -> s.tableName(table)).items().forEach(item -> actualSha.put(item.get("pk").s(),
                    Pointer.fromAttribute(item.get("html")).map(Pointer::sha256).orElse("not a pointer")));
            assertThat(actualSha).as("every record's item points to its own content").isEqualTo(expectedSha);
        } finally {
            s3.stop();
        }
    }

    /** -Dheap.test.worker=k=v,k=v replaces the README's consumer settings, to see what other settings do. */
    private static Map<String, String> workerProps() {
        Map<String, String> props = new LinkedHashMap<>();
        for (String pair : System.getProperty("heap.test.worker").split(",")) {
            if (pair.contains("=")) {
                props.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        return props;
    }

    private static long countAll(DynamoDbClient dynamoDb, String table) {
        return dynamoDb.scanPaginator(s -> s.tableName(table).select("COUNT")).stream().mapToLong(r -> r.count()).sum();
    }

    private static String peakRss(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith("VmHWM")).findFirst().map(l -> l.replaceAll("\\s+", " ")).orElse("?");
        } catch (Exception e) {
            return "?";
        }
    }

    private static String html(int page, int size) {
        SplittableRandom random = new SplittableRandom(page * 1_000_003L);
        StringBuilder html = new StringBuilder(size + 64).append("<html><body><h1>page ").append(page).append("</h1>");
        while (html.length() < size) {
            html.append("<p>");
            for (int w = 0; w < 30; w++) {
                html.append(WORDS[random.nextInt(WORDS.length)]).append(' ').append(random.nextInt(1000)).append(' ');
            }
            html.append("</p>");
        }
        return html.append("</body></html>").toString();
    }
}
