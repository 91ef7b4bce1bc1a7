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
 * standalone Kafka Connect worker in its own JVM, whose classpath holds Kafka but not this project's classes, and
 * that worker writes records to DynamoDB Local.
 */
@ExtendWith(InJvmStackExtension.class)
class PluginInstallIT {
    private static final Path ZIP = Path.of("target", "components", "packages",
            "kafka-connect-dynamodb-offload-" + Version.get() + ".zip");

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

    /** Kafka Connect workers to install into: this build's 4.x, and a 3.x resolved by the build (see pom.xml). */
    static Stream<Arguments> workers() throws IOException {
        Path connect3 = Path.of(System.getProperty("connect3.classpath.file", "target/connect-3.classpath"));
        return Stream.of(
                Arguments.of("4.x", kafkaOnlyClasspath()),
                Arguments.of("3.9", Files.readString(connect3).trim()));
    }

    @ParameterizedTest(name = "Kafka Connect {0}")
    @MethodSource("workers")
    void unzippedPluginRunsInAStandaloneWorkerOfItsOwn(String version, String workerClasspath, SinkTestStack stack,
                                                       @TempDir Path dir) throws Exception {
        Path pluginPath = dir.resolve("plugins");
        Path log = Path.of("target", "plugin-install-connect-" + version + ".log");
        unzip(ZIP, pluginPath);
        String topic = "installed-" + version.replace('.', '-') + "-" + System.nanoTime() % 100_000;
        try (KafkaTestClient kafka = new KafkaTestClient(stack.bootstrapServers());
             DynamoDbClient dynamo = stack.newDynamoDbClient();
             software.amazon.awssdk.services.s3.S3Client s3 = stack.newS3Client();
             OffloadedItemReader reader = new OffloadedItemReader(s3)) {
            kafka.createTopic(topic, 1);
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
            String bucket = "installed-" + version.replace('.', '-') + "-" + System.nanoTime() % 100_000;
            s3.createBucket(b -> b.bucket(bucket));
            Map<String, String> connectorProps = new java.util.HashMap<>(stack.connectionConfig());
            connectorProps.putAll(Map.of(
                    "name", "installed-sink",
                    "connector.class", "io.streamoffload.connect.dynamodb.DynamoDbSinkConnector",
                    "topics", topic,
                    "table.auto.create", "true",
                    // zstd-jni and Avro from the plugin's lib/, even where the worker has its own zstd-jni
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
            Process process = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-Dlog4j.configuration=" + log4j.toUri(), "-Dlog4j2.configurationFile=" + log4j2.toUri(),
                    "-cp", workerClasspath,
                    "org.apache.kafka.connect.cli.ConnectStandalone", worker.toString(), connector.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            try {
                kafka.produce(topic, "installed-1", "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"field\":\"body\","
                        + "\"type\":\"struct\",\"fields\":[{\"field\":\"text\",\"type\":\"string\"}]}]},"
                        + "\"payload\":{\"body\":{\"text\":\"installed\"}}}");
                Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("installed-1"));
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("worker exited: " + Files.readString(log));
                    }
                    try {
                        return dynamo.getItem(r -> r.tableName(topic).key(key)).hasItem();
                    } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException e) {
                        return false;
                    }
                });
                Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(topic).key(key)).item();
                assertThat(reader.hydrate(item).avro("body").get("text").toString()).isEqualTo("installed");
                assertThat(Pointer.fromAttribute(item.get("body")).orElseThrow().codec()).isEqualTo(Codec.ZSTD);
                assertThat(Files.readString(log))
                        .as("the worker loaded the connector from the plugin directory, in isolation")
                        .contains("Loading plugin from: " + pluginPath.resolve("kafka-connect-dynamodb-offload-" + Version.get()))
                        .contains("Kafka version: " + (version.equals("4.x") ? "4." : version));
            } finally {
                process.destroy();
                process.waitFor();
            }
        }
    }

    /** The test classpath minus this project's own classes: Kafka and its dependencies only. */
    private static String kafkaOnlyClasspath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("classes") && !entry.endsWith("classes" + File.separator))
                .collect(Collectors.joining(File.pathSeparator));
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
