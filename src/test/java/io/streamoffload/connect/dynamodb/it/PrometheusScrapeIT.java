package io.streamoffload.connect.dynamodb.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamoffload.connect.dynamodb.DynamoDbSinkConnector;
import io.streamoffload.connect.dynamodb.it.stack.FaultProxy;
import io.streamoffload.connect.dynamodb.it.stack.FaultProxy.AwsError;
import io.streamoffload.connect.dynamodb.it.stack.FaultProxy.Fault;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import io.streamoffload.connect.dynamodb.it.stack.WorkerProcess;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The operator's view: a standalone worker in a JVM of its own runs with the Prometheus JMX exporter agent and
 * {@code config/prometheus-jmx-exporter.yml}, as Connect users run it; records go through it (some offloaded to S3,
 * some bad, some of DynamoDB's answers throttled), and {@code /metrics} scraped over HTTP holds the connector's series
 * with {@code connector} and {@code task} labels, each with the value its MBean reports over JMX.
 */
@ExtendWith(InJvmStackExtension.class)
class PrometheusScrapeIT {
    static final Path AGENT = Path.of("target", "jmx_prometheus_javaagent.jar");
    static final Path EXPORTER_CONFIG = Path.of("config", "prometheus-jmx-exporter.yml");
    /** A Prometheus text-format sample: name, labels, value. */
    private static final Pattern SAMPLE = Pattern.compile("^(\\w+)\\{([^}]*)\\} (\\S+)$");

    /** The series an operator alerts on, and the MBean attribute each comes from. */
    private static final Map<String, String> SERIES = Map.of(
            "kafka_connect_dynamodb_sink_items_put_total", "ItemsPut",
            "kafka_connect_dynamodb_sink_bad_records_total", "BadRecords",
            "kafka_connect_dynamodb_sink_dead_letters_sent_total", "DeadLettersSent",
            "kafka_connect_dynamodb_sink_dead_letters_parked_total", "DeadLettersParked",
            "kafka_connect_dynamodb_sink_throttled_calls_total", "ThrottledCalls",
            "kafka_connect_dynamodb_sink_batch_latency_avg_ms", "BatchLatencyAvgMs",
            "kafka_connect_dynamodb_sink_batch_latency_max_ms", "BatchLatencyMaxMs",
            "kafka_connect_dynamodb_sink_object_bytes_uploaded_total", "ObjectBytesUploaded",
            "kafka_connect_dynamodb_sink_objects_uploaded_total", "ObjectsUploaded");

    private final SinkTestStack stack;

    PrometheusScrapeIT(SinkTestStack stack) {
        this.stack = stack;
    }

    @Test
    void theScrapedSeriesCarryTheConnectorAndTaskAndTheValuesOfTheMBeans(@TempDir Path dir) throws Exception {
        String topic = "prometheus-" + System.nanoTime() % 100_000;
        String connector = "scraped-sink";
        int metricsPort = freePort();
        int jmxPort = freePort();
        AtomicInteger batches = new AtomicInteger();
        try (KafkaTestClient kafka = new KafkaTestClient(stack.bootstrapServers());
             S3Client s3 = stack.newS3Client();
             FaultProxy dynamoDb = new FaultProxy(stack.dynamoDbEndpoint(), FaultProxy.Service.DYNAMODB)
                     .script(r -> r.operation().equals("BatchWriteItem") && batches.incrementAndGet() % 3 == 0
                             ? Fault.error(AwsError.throttling()) : Fault.FORWARD)) {
            kafka.createTopic(topic, 1);
            kafka.createTopic(topic + "-dlq", 1);
            s3.createBucket(b -> b.bucket(topic));
            Map<String, String> config = new LinkedHashMap<>(stack.connectionConfig());
            config.put("name", connector);
            config.put("connector.class", DynamoDbSinkConnector.class.getName());
            config.put("topics", topic);
            config.put("table.auto.create", "true");
            config.put("dynamodb.endpoint.url", dynamoDb.uri().toString());
            config.put("s3.path.style.access", "true");
            config.put("offload.s3.bucket", topic);
            config.put("offload.fields", "body");
            config.put("batch.size", "5");
            config.put("retry.backoff.base.ms", "10");
            config.put("errors.tolerance", "all");
            config.put("errors.deadletterqueue.topic.name", topic + "-dlq");
            config.put("errors.deadletterqueue.topic.replication.factor", "1");
            try (WorkerProcess worker = WorkerProcess.start(WorkerProcess.classpath("connect-4"), stack.bootstrapServers(),
                    dir.resolve("worker"), Map.of(), config, "prometheus-scrape", "512m", List.of(
                            "-javaagent:" + AGENT.toAbsolutePath() + "=127.0.0.1:" + metricsPort + ":"
                                    + EXPORTER_CONFIG.toAbsolutePath(),
                            "-Dcom.sun.management.jmxremote.port=" + jmxPort,
                            "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                            "-Dcom.sun.management.jmxremote.authenticate=false",
                            "-Dcom.sun.management.jmxremote.ssl=false",
                            "-Djava.rmi.server.hostname=127.0.0.1"));
                 JMXConnector jmx = awaitJmx(worker, jmxPort)) {
                for (int i = 0; i < 40; i++) {
                    kafka.produceAsync(topic, "k-" + i, "{\"n\":" + i + ",\"body\":\"page " + (i % 7) + "\"}");
                }
                kafka.produceAsync(topic, "bad-1", "{\"n\":1e999}");
                kafka.produceAsync(topic, "bad-2", "{\"n\":1e999}");
                kafka.flush();

                MBeanServerConnection beans = jmx.getMBeanServerConnection();
                ObjectName task = new ObjectName(SinkTaskMetrics.DOMAIN + ":type=sink-task-metrics,connector="
                        + ObjectName.quote(connector) + ",task=" + ObjectName.quote("0"));
                await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> {
                    worker.assertAlive();
                    return ((Number) beans.getAttribute(task, "ItemsPut")).longValue() == 40
                            && ((Number) beans.getAttribute(task, "BadRecords")).longValue() == 2;
                });

                Map<String, Double> scraped = scrape(metricsPort, connector);
                assertThat(scraped).as("series with connector=\"%s\" and task=\"0\"", connector)
                        .containsKeys(SERIES.keySet().toArray(String[]::new));
                SERIES.forEach((series, attribute) -> {
                    try {
                        assertThat(scraped.get(series)).as(series + " against the MBean's " + attribute)
                                .isEqualTo(((Number) beans.getAttribute(task, attribute)).doubleValue());
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                assertThat(scraped.get("kafka_connect_dynamodb_sink_items_put_total")).isEqualTo(40.0);
                assertThat(scraped.get("kafka_connect_dynamodb_sink_bad_records_total")).isEqualTo(2.0);
                assertThat(scraped.get("kafka_connect_dynamodb_sink_dead_letters_sent_total")).isEqualTo(2.0);
                assertThat(scraped.get("kafka_connect_dynamodb_sink_throttled_calls_total")).isPositive();
                assertThat(scraped.get("kafka_connect_dynamodb_sink_object_bytes_uploaded_total")).isPositive();
                assertThat(scraped.keySet()).as("every metric of the task is exported")
                        .hasSize(new SinkTaskMetrics().all().size());
            }
        }
    }

    /** The samples of the connector's task 0 on the exporter's page, by series name. */
    private static Map<String, Double> scrape(int port, String connector) throws IOException, InterruptedException {
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : page.body().split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (sample.matches() && sample.group(1).startsWith("kafka_connect_dynamodb_sink_")
                    && sample.group(2).contains("connector=\"" + connector + "\"")
                    && sample.group(2).contains("task=\"0\"")) {
                samples.put(sample.group(1), Double.parseDouble(sample.group(3)));
            }
        }
        return samples;
    }

    private static JMXConnector awaitJmx(WorkerProcess worker, int port) throws IOException {
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        return await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsMatching(e -> !(e instanceof AssertionError))
                .until(() -> {
                    worker.assertAlive();
                    return JMXConnectorFactory.connect(url);
                }, connection -> connection != null);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
