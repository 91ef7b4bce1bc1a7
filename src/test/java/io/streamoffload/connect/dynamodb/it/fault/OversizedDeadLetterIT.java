package io.streamoffload.connect.dynamodb.it.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamoffload.connect.dynamodb.it.stack.FaultProxy.AwsError;
import io.streamoffload.connect.dynamodb.it.stack.FaultProxy.Fault;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import io.streamoffload.connect.dynamodb.it.stack.WorkerProcess;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import io.streamoffload.connect.dynamodb.tool.OffloadTool;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Bad records too large for the dead letter queue producer (at its 1 MB default) among good ones: each is parked in
 * S3 and a small dead letter names it, every task keeps running, and nothing is lost; also with the worker killed
 * between the S3 write and the dead letter. The test checks the parked bytes against what it produced, with its own
 * SHA-256; then gc leaves them in place and the lifecycle tool writes one back out byte for byte.
 */
@ExtendWith(InJvmStackExtension.class)
class OversizedDeadLetterIT extends FaultScenarioBase {
    private static final int MB = 1024 * 1024;
    private final SinkTestStack stack;

    OversizedDeadLetterIT(SinkTestStack stack) {
        this.stack = stack;
    }

    @Override
    protected SinkTestStack stack() {
        return stack;
    }

    @Override
    protected int partitions() {
        return 2;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** StringConverter with JSON parsed by the connector, the DLQ producer at its defaults, errors logged too. */
    private Map<String, String> config() {
        Map<String, String> config = faultConfig();
        config.put("tasks.max", "2");
        config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.string.format", "json");
        config.put("errors.log.enable", "true");
        config.put("errors.log.include.messages", "true");
        return config;
    }

    private void produceGood(int from, int n) {
        for (int i = from; i < from + n; i++) {
            ledger.put("good-" + i, "{\"n\":" + i + ",\"body\":\"page " + (i % 5) + " " + "x".repeat(500) + "\"}");
        }
    }

    /** Four kinds of bad record, each over the DLQ producer's 1 MB, and one small one; returns the produced values. */
    private List<byte[]> produceHostile() {
        byte[] malformed6mb = utf8("{\"s\":\"" + "x".repeat(6 * MB) + "\", oops}");
        byte[] malformed3mb = utf8("{\"s\":\"" + "y".repeat(3 * MB) + "\", oops}");
        byte[] longKeyValue = utf8("{\"v\":\"" + "z".repeat(2 * MB) + "\"}");
        StringBuilder small = new StringBuilder("{");
        for (int i = 0; i < 5000; i++) {
            small.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":\"").append("s".repeat(240)).append('"');
        }
        byte[] unfittable = utf8(small.append('}').toString());
        ledger.badParked(utf8("malformed-6mb"), malformed6mb, "not valid JSON");
        produceGood(100, 5);
        ledger.badParked(utf8("malformed-3mb"), malformed3mb, "not valid JSON");
        ledger.badParked(utf8("k".repeat(3000)), longKeyValue, "3000 bytes; DynamoDB allows at most 2048");
        produceGood(200, 5);
        ledger.badParked(utf8("unfittable"), unfittable, "keys and remaining small fields alone exceed");
        ledger.bad(utf8("small-bad"), utf8("{\"n\":1e200}"), "outside DynamoDB's number range");
        return List.of(malformed6mb, malformed3mb, longKeyValue, unfittable);
    }

    @Test
    void oversizedBadRecordsAreParkedInS3AndNamedByASmallDeadLetterWhileEveryTaskKeepsRunning(@TempDir Path dir)
            throws Exception {
        String name = unique("oversized");
        startConnector(name, config());
        produceGood(0, 10);
        List<byte[]> hostile = produceHostile();
        produceGood(300, 10);

        Ledger.Report report = awaitReconciled();
        assertThat(report.deadLettered()).isEqualTo(5);
        assertThat(ledger.deadLetterCounts().values()).as("one dead letter per bad record").containsOnly(1);
        JsonNode tasks = connect.status(name).path("tasks");
        assertThat(tasks).hasSize(2);
        tasks.forEach(task -> assertThat(task.path("state").asText()).as(task.toString()).isEqualTo("RUNNING"));
        assertThat(metric(name, "DeadLettersParked")).isEqualTo(4);
        assertThat(metric(name, "DeadLettersSent")).isEqualTo(5);

        // 4 values and 4 keys parked, the two malformed records' keys being distinct small objects
        List<String> parked = parkedKeys();
        assertThat(parked).hasSize(8);

        // gc leaves every parked dead letter in place, unmarked, and says so: they are older than its grace
        await().atMost(TIMEOUT).until(() -> s3.listObjectsV2Paginator(r -> r.bucket(bucket)
                .prefix(ParkedDeadLetters.PREFIX)).contents().stream()
                .allMatch(o -> o.lastModified().isBefore(java.time.Instant.now().minusSeconds(2))));
        Path toolConfig = toolConfig(dir, name);
        String[] gc = {"gc", "--config", toolConfig.toString(), "--table", topic, "--grace", "1s", "--delete",
                "--set", "offload.dedupe.ttl.ms=100", "--set", "offload.gc.mark.wait.ms=300", "--set", "retry.budget.ms=100",
                "--prefix=", "--json"};
        for (int run = 0; run < 2; run++) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            assertThat(OffloadTool.run(new PrintWriter(out, true), new PrintWriter(err, true), gc)).as(err.toString()).isZero();
            JsonNode gcReport = new ObjectMapper().readTree(out.toString());
            assertThat(gcReport.path("parkedDeadLettersKept").asLong()).as(out.toString()).isEqualTo(8);
            assertThat(gcReport.path("prefix").asText()).as("the whole bucket is listed").isEmpty();
        }
        assertThat(s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix("_dynamodb-offload/gc-marks/"
                + ParkedDeadLetters.PREFIX)).contents()).as("marks on parked dead letters").isEmpty();
        assertThat(parkedKeys()).containsExactlyInAnyOrderElementsOf(parked);

        // the tool lists them, and writes the 6 MB value back out byte for byte
        StringWriter list = new StringWriter();
        assertThat(OffloadTool.run(new PrintWriter(list, true), new PrintWriter(new StringWriter(), true),
                "dead-letters", "--config", toolConfig.toString())).isZero();
        assertThat(list.toString()).contains("8 parked parts").contains(topic + "/");
        String uri = "s3://" + bucket + "/" + parked.stream()
                .filter(key -> key.contains(ParkedDeadLetters.sha256(hostile.get(0)))).findFirst().orElseThrow();
        Path out = dir.resolve("malformed-6mb.json");
        StringWriter err = new StringWriter();
        assertThat(OffloadTool.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "dead-letters", "--config", toolConfig.toString(), "--write-out", uri, "--to", out.toString()))
                .as(err.toString()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(hostile.get(0));
        assertThat(ParkedDeadLetters.sha256(Files.readAllBytes(out))).isEqualTo(ParkedDeadLetters.sha256(hostile.get(0)));
    }

    /**
     * The worker dies after the 6 MB record's value is durable in S3 and before its dead letter is sent: its PUT is
     * stored and the connection then reset, and every PUT of it after that is refused with SlowDown until the kill. The
     * worker started in its place parks it again (the object is already there) and sends exactly one dead letter.
     */
    @Test
    void killedBetweenTheS3WriteAndTheDeadLetter(@TempDir Path dir) throws Exception {
        AtomicBoolean parkingFails = new AtomicBoolean(true);
        Set<String> stored = ConcurrentHashMap.newKeySet();
        s3Proxy.script(r -> parkingFails.get() && r.operation().equals("PutObject")
                && r.target().contains(ParkedDeadLetters.PREFIX)
                ? (stored.add(r.target()) ? Fault.forwardThenReset() : Fault.error(AwsError.slowDown()))
                : Fault.FORWARD);
        String name = unique("oversized-crash");
        connectorName = null; // not a REST connector: the worker owns it
        Map<String, String> connector = new HashMap<>(config());
        connector.put("name", name);
        connector.put("retry.budget.ms", "120000");
        Map<String, String> worker = Map.of("consumer.session.timeout.ms", "6000", "consumer.heartbeat.interval.ms", "1000");
        byte[] value = utf8("{\"s\":\"" + "x".repeat(6 * MB) + "\", oops}");
        try (WorkerProcess first = WorkerProcess.start(WorkerProcess.classpath("connect-4"), stack.bootstrapServers(), dir,
                worker, connector, "oversized-crash", "512m")) {
            produceGood(0, 10);
            ledger.badParked(utf8("malformed-6mb"), value, "not valid JSON");
            produceGood(10, 10);
            ledger.flush();
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
                first.assertAlive();
                return parkedKeys().size() == 2 && s3Proxy.count("PutObject", "SlowDown") > 0;
            });
            first.kill();
        }
        assertThat(kafka.consume(dlq, Integer.MAX_VALUE, Duration.ofSeconds(2))).as("no dead letter before the crash").isEmpty();
        List<String> before = parkedKeys();

        parkingFails.set(false);
        try (WorkerProcess second = WorkerProcess.start(WorkerProcess.classpath("connect-4"), stack.bootstrapServers(), dir,
                worker, connector, "oversized-crash", "512m")) {
            awaitReconciled();
            second.assertAlive();
        }
        assertThat(ledger.deadLetterCounts().values()).as("exactly one dead letter per bad record").containsOnly(1);
        assertThat(parkedKeys()).as("the same parked objects, no orphans").containsExactlyInAnyOrderElementsOf(before);
    }

    private List<String> parkedKeys() {
        return s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(ParkedDeadLetters.PREFIX)).contents().stream()
                .map(S3Object::key).toList();
    }

    private long metric(String connector, String attribute) throws Exception {
        long sum = 0;
        for (String task : List.of("0", "1")) {
            ObjectName mbean = new ObjectName(SinkTaskMetrics.DOMAIN + ":type=sink-task-metrics,connector="
                    + ObjectName.quote(connector) + ",task=" + ObjectName.quote(task));
            sum += ((Number) ManagementFactory.getPlatformMBeanServer().getAttribute(mbean, attribute)).longValue();
        }
        return sum;
    }

    /** The connector's settings as the tool reads them, pointing at the stack without the fault proxies. */
    private Path toolConfig(Path dir, String name) throws Exception {
        Map<String, String> settings = new HashMap<>(config());
        settings.put("dynamodb.endpoint.url", stack.dynamoDbEndpoint().toString());
        settings.put("s3.endpoint.url", stack.s3Endpoint().toString());
        Path file = dir.resolve(name + ".json");
        new ObjectMapper().writeValue(file.toFile(), Map.of("name", name, "config", settings));
        return file;
    }
}
