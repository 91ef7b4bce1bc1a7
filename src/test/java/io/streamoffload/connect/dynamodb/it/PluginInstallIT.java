package io.streamoffload.connect.dynamodb.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamoffload.connect.dynamodb.Version;
import io.streamoffload.connect.dynamodb.offload.Pointer;
import io.streamoffload.connect.dynamodb.offload.codec.Codec;
import io.streamoffload.connect.dynamodb.read.OffloadedItemReader;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The plugin zip built by {@code mvn package} is all a user installs: it is unzipped into the plugin.path of a
 * standalone Kafka Connect worker in its own JVM, whose classpath is a clean Kafka distribution's (resolved by the
 * build, see {@code src/it/connect-worker/pom.xml}), and that worker writes records to DynamoDB Local.
 */
@ExtendWith(InJvmStackExtension.class)
class PluginInstallIT {
    private static final Path ZIP = Path.of("target", "components", "packages",
            "kafka-connect-dynamodb-offload-" + Version.get() + ".zip");
    private static final Path CLASSPATHS = Path.of(System.getProperty("connect.classpath.dir", "target"));

    @Test
    void zipHasConfluentHubLayoutWithoutKafkaJars() throws IOException {
        assertThat(ZIP).exists();
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            List<String> names = zip.stream().map(ZipEntry::getName).toList();
            String root = "kafka-connect-dynamodb-offload-" + Version.get() + "/";
            assertThat(names).contains(root + "manifest.json", root + "doc/README.md", root + "etc/dynamodb-sink.json",
                    root + "lib/kafka-connect-dynamodb-offload-" + Version.get() + ".jar");
            assertThat(names).filteredOn(n -> n.startsWith(root + "lib/"))
                    .noneMatch(n -> n.contains("/kafka-clients") || n.contains("/connect-") || n.contains("/slf4j"))
                    .anyMatch(n -> n.contains("/dynamodb-2.") || n.contains("/dynamodb-"));
            String manifest = new String(zip.getInputStream(zip.getEntry(root + "manifest.json")).readAllBytes());
            assertThat(manifest).contains("\"version\": \"" + Version.get() + "\"").doesNotContain("${");
        }
    }

    static Stream<Arguments> workers() throws IOException {
        return Stream.of(Arguments.of("3.9", workerClasspath("connect-3")), Arguments.of("4.x", workerClasspath("connect-4")));
    }

    @ParameterizedTest(name = "Kafka Connect {0}")
    @MethodSource("workers")
    void unzippedPluginRunsInAStandaloneWorkerOfItsOwn(String version, String workerClasspath, SinkTestStack stack,
                                                       @TempDir Path dir) throws Exception {
        assertThat(workerClasspath).as("a clean worker classpath has no AWS SDK and none of this project's classes")
                .doesNotContain("awssdk").doesNotContain("kafka-connect-dynamodb-offload").doesNotContain("classes");
        String topic = "installed-" + version.replace('.', '-') + "-" + System.nanoTime() % 100_000;
        try (KafkaTestClient kafka = new KafkaTestClient(stack.bootstrapServers());
             DynamoDbClient dynamo = stack.newDynamoDbClient();
             software.amazon.awssdk.services.s3.S3Client s3 = stack.newS3Client();
             OffloadedItemReader reader = new OffloadedItemReader(s3);
             Worker worker = Worker.start(version, workerClasspath, stack, dir, topic, s3)) {
            kafka.produce(topic, "installed-1", "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"field\":\"body\","
                    + "\"type\":\"struct\",\"fields\":[{\"field\":\"text\",\"type\":\"string\"}]}]},"
                    + "\"payload\":{\"body\":{\"text\":\"installed\"}}}");
            Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("installed-1"));
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
                worker.assertAlive();
                try {
                    return dynamo.getItem(r -> r.tableName(topic).key(key)).hasItem();
                } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException e) {
                    return false;
                }
            });
            Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(topic).key(key)).item();
            assertThat(reader.hydrate(item).avro("body").get("text").toString()).isEqualTo("installed");
            assertThat(Pointer.fromAttribute(item.get("body")).orElseThrow().codec()).isEqualTo(Codec.ZSTD);
            assertThat(worker.log())
                    .as("the worker loaded the connector from the plugin directory, in isolation")
                    .contains("Loading plugin from: " + worker.pluginDir())
                    .contains("Kafka version: " + (version.equals("4.x") ? "4." : version));
        }
    }

    /**
     * AWS SDK jars on the worker's own classpath (not plugin.path) leak SDK interceptor registrations into the plugin,
     * which the SDK cannot load across class loaders. The connector must say so, not fail with SDK internals.
     */
    @Test
    void awsSdkJarsOnTheWorkerClasspathGiveAClearError(SinkTestStack stack, @TempDir Path dir) throws Exception {
        String sdkJars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.contains("awssdk")).collect(Collectors.joining(File.pathSeparator));
        assertThat(sdkJars).contains("dynamodb-enhanced");
        String topic = "contaminated-" + System.nanoTime() % 100_000;
        try (KafkaTestClient kafka = new KafkaTestClient(stack.bootstrapServers());
             software.amazon.awssdk.services.s3.S3Client s3 = stack.newS3Client();
             Worker worker = Worker.start("4.x-with-aws-sdk", workerClasspath("connect-4") + File.pathSeparator + sdkJars,
                     stack, dir, topic, s3)) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> !worker.isAlive());
            assertThat(worker.log()).contains("the Kafka Connect worker's own classpath holds AWS SDK jars")
                    .contains("dynamodb-enhanced");
        }
    }

    private static String workerClasspath(String name) throws IOException {
        return Files.readString(CLASSPATHS.resolve(name + ".classpath")).trim();
    }

    /** A standalone worker in its own JVM, with the plugin zip unzipped into its plugin.path and one connector. */
    private record Worker(Process process, Path logFile, Path pluginDir) implements AutoCloseable {
        static Worker start(String version, String classpath, SinkTestStack stack, Path dir, String topic,
                            software.amazon.awssdk.services.s3.S3Client s3) throws Exception {
            Path pluginPath = dir.resolve("plugins");
            unzip(ZIP, pluginPath);
            try (KafkaTestClient kafka = new KafkaTestClient(stack.bootstrapServers())) {
                kafka.createTopic(topic, 1);
            }
            Path worker = write(dir.resolve("worker.properties"), Map.of(
                    "bootstrap.servers", stack.bootstrapServers(),
                    "key.converter", "org.apache.kafka.connect.storage.StringConverter",
                    "value.converter", "org.apache.kafka.connect.json.JsonConverter",
                    "value.converter.schemas.enable", "true",
                    "offset.storage.file.filename", dir.resolve("offsets").toString(),
                    "offset.flush.interval.ms", "1000",
                    "plugin.path", pluginPath.toString(),
                    "plugin.discovery", "service_load",
                    "listeners", "http://127.0.0.1:0"));
            String bucket = topic.toLowerCase(java.util.Locale.ROOT);
            s3.createBucket(b -> b.bucket(bucket));
            Map<String, String> connectorProps = new java.util.HashMap<>(stack.connectionConfig());
            connectorProps.putAll(Map.of(
                    // a consumer group of its own: a previous worker's group never delays this one
                    "name", "installed-sink-" + topic,
                    "connector.class", "io.streamoffload.connect.dynamodb.DynamoDbSinkConnector",
                    "topics", topic,
                    "table.auto.create", "true",
                    // zstd-jni and Avro from the plugin's lib/, not from the worker
                    "offload.s3.bucket", bucket,
                    "offload.fields", "body:avro",
                    "s3.path.style.access", "true"));
            Path connector = write(dir.resolve("connector.properties"), connectorProps);
            Path log4j = write(dir.resolve("log4j.properties"), Map.of(
                    "log4j.rootLogger", "INFO, stdout",
                    "log4j.appender.stdout", "org.apache.log4j.ConsoleAppender",
                    "log4j.appender.stdout.layout", "org.apache.log4j.PatternLayout",
                    "log4j.appender.stdout.layout.ConversionPattern", "[%d] %p %m (%c)%n"));
            Path log4j2 = write(dir.resolve("log4j2.properties"), Map.of(
                    "rootLogger.level", "INFO",
                    "rootLogger.appenderRef.stdout.ref", "STDOUT",
                    "appender.stdout.type", "Console",
                    "appender.stdout.name", "STDOUT",
                    "appender.stdout.layout.type", "PatternLayout",
                    "appender.stdout.layout.pattern", "[%d] %p %m (%c)%n"));
            Path log = Path.of("target", "plugin-install-connect-" + version + ".log");
            Process process = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-Dlog4j.configuration=" + log4j.toUri(), "-Dlog4j2.configurationFile=" + log4j2.toUri(),
                    "-cp", classpath,
                    "org.apache.kafka.connect.cli.ConnectStandalone", worker.toString(), connector.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            return new Worker(process, log, pluginPath.resolve("kafka-connect-dynamodb-offload-" + Version.get()));
        }

        boolean isAlive() {
            return process.isAlive();
        }

        void assertAlive() throws IOException {
            if (!process.isAlive()) {
                throw new AssertionError("worker exited: " + log());
            }
        }

        String log() throws IOException {
            return Files.readString(logFile);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static Path write(Path file, Map<String, String> props) throws IOException {
        List<String> lines = new ArrayList<>();
        props.forEach((k, v) -> lines.add(k + "=" + v.replace("\\", "\\\\")));
        return Files.write(file, lines);
    }

    private static void unzip(Path zip, Path target) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("zip entry outside target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy((InputStream) in, out);
                }
            }
        }
    }

}
