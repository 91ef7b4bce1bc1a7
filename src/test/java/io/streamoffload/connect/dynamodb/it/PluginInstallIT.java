package io.streamoffload.connect.dynamodb.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.streamoffload.connect.dynamodb.Version;
import io.streamoffload.connect.dynamodb.offload.Pointer;
import io.streamoffload.connect.dynamodb.offload.codec.Codec;
import io.streamoffload.connect.dynamodb.read.OffloadedItemReader;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.WorkerProcess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
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
 * build, see {@code src/it/connect-worker/pom.xml}), and that worker writes records to dynalite.
 */
@ExtendWith(InJvmStackExtension.class)
class PluginInstallIT {
    private static final Path ZIP = WorkerProcess.ZIP;

    @Test
    void zipHasConfluentHubLayoutWithoutKafkaJars() throws IOException {
        assertThat(ZIP).exists();
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            List<String> names = zip.stream().map(ZipEntry::getName).toList();
            String root = "kafka-connect-dynamodb-offload-" + Version.get() + "/";
            assertThat(names).contains(root + "manifest.json", root + "doc/README.md", root + "etc/dynamodb-sink.json",
                    root + "lib/kafka-connect-dynamodb-offload-" + Version.get() + ".jar", root + "bin/dynamodb-offload");
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
             WorkerProcess worker = startWorker(version, workerClasspath, stack, dir, topic, s3)) {
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
             WorkerProcess worker = startWorker("4.x-with-aws-sdk", workerClasspath("connect-4") + File.pathSeparator
                     + sdkJars, stack, dir, topic, s3)) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> !worker.isAlive());
            assertThat(worker.log()).contains("the Kafka Connect worker's own classpath holds AWS SDK jars")
                    .contains("dynamodb-enhanced");
        }
    }

    /**
     * Kafka 3.5 has no {@code SinkRecord.original*()}: a record renamed by RegexRouter carries only its new topic. Its
     * offsets must still be committed (the connector takes them from the worker), and its table is the renamed one.
     */
    @Test
    void onAKafka35WorkerOffsetsOfRecordsRenamedByATransformAreCommitted(SinkTestStack stack, @TempDir Path dir)
            throws Exception {
        String topic = "orig-" + System.nanoTime() % 100_000;
        String renamed = topic.replace("orig-", "renamed-");
        String name = "renaming-sink-" + topic;
        Map<String, String> connector = new java.util.HashMap<>(stack.connectionConfig());
        connector.putAll(Map.of("name", name,
                "connector.class", "io.streamoffload.connect.dynamodb.DynamoDbSinkConnector",
                "topics", topic,
                "table.auto.create", "true",
                "transforms", "route",
                "transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter",
                "transforms.route.regex", "orig-(.*)",
                "transforms.route.replacement", "renamed-$1"));
        try (KafkaTestClient kafka = new KafkaTestClient(stack.bootstrapServers());
             DynamoDbClient dynamo = stack.newDynamoDbClient();
             org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                     Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            kafka.createTopic(topic, 1);
            for (int i = 0; i < 5; i++) {
                kafka.produce(topic, "r-" + i, "{\"v\":" + i + "}");
            }
            try (WorkerProcess worker = WorkerProcess.start(workerClasspath("connect-35"), stack.bootstrapServers(), dir,
                    Map.of(), connector, "plugin-install-connect-3.5", "256m")) {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    worker.assertAlive();
                    try {
                        return dynamo.scan(r -> r.tableName(renamed)).count() == 5;
                    } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException e) {
                        return false;
                    }
                });
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    var offset = admin.listConsumerGroupOffsets("connect-" + name).partitionsToOffsetAndMetadata().get()
                            .get(new org.apache.kafka.common.TopicPartition(topic, 0));
                    return offset != null && offset.offset() == 5;
                });
                assertThat(worker.log()).contains("Kafka version: 3.5.2");
                assertThatThrownBy(() -> dynamo.describeTable(r -> r.tableName(topic)))
                        .as("no table is created for the name the records had before the transform")
                        .isInstanceOf(software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException.class);
            }
        }
    }

    /**
     * {@code bin/dynamodb-offload} of the unzipped plugin runs the tool on the zip's own lib/ and the jars of a Kafka
     * installation (a clean Kafka 4 distribution's, under KAFKA_HOME/libs), and says what is missing without one.
     */
    @Test
    void theToolScriptRunsOnTheZipsLibAndAKafkaInstallation(SinkTestStack stack, @TempDir Path dir) throws Exception {
        WorkerProcess.unzip(ZIP, dir.resolve("plugin"));
        Path script = dir.resolve("plugin/kafka-connect-dynamodb-offload-" + Version.get() + "/bin/dynamodb-offload");
        Path kafkaLibs = Files.createDirectories(dir.resolve("kafka/libs"));
        for (String jar : workerClasspath("connect-4").split(File.pathSeparator)) {
            Files.createSymbolicLink(kafkaLibs.resolve(Path.of(jar).getFileName()), Path.of(jar));
        }
        String table = "script-" + System.nanoTime() % 100_000;
        Path config = OffloadedPages.write(stack, dir, table, table, "map", "zstd", 3);

        ScriptRun verify = runScript(script, Map.of("KAFKA_HOME", dir.resolve("kafka").toString()),
                "verify", "--config", config.toString(), "--table", table, "--json");
        ScriptRun export = runScript(script, Map.of("KAFKA_HOME", dir.resolve("kafka").toString()),
                "export", "--config", config.toString(), "--table", table, "--key", "pk=url-1", "--hydrate");
        ScriptRun noKafka = runScript(script, Map.of("KAFKA_LIBS", dir.toString()), "--help");

        assertThat(verify.exit()).as(verify.output()).isZero();
        assertThat(verify.output()).contains("\"items\":3").contains("\"ok\":true");
        assertThat(export.exit()).as(export.output()).isZero();
        assertThat(export.output()).contains("\"text\":\"héllo wörld 1 \"");
        assertThat(noKafka.exit()).isEqualTo(2);
        assertThat(noKafka.output()).contains("no Kafka installation found").contains("set KAFKA_HOME");
    }

    private record ScriptRun(int exit, String output) {
    }

    /** Runs the script the way a user would, with bash and an environment without any Kafka installation but env's. */
    private static ScriptRun runScript(Path script, Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeAll(List.of("KAFKA_HOME", "KAFKA_LIBS", "CONFLUENT_HOME"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return new ScriptRun(process.exitValue(), output);
    }

    private static String workerClasspath(String name) throws IOException {
        return WorkerProcess.classpath(name);
    }

    /** A standalone worker with the plugin zip installed and one connector writing {@code topic}, Avro field offloaded. */
    private static WorkerProcess startWorker(String version, String classpath, SinkTestStack stack, Path dir, String topic,
                                             software.amazon.awssdk.services.s3.S3Client s3) throws Exception {
        try (KafkaTestClient kafka = new KafkaTestClient(stack.bootstrapServers())) {
            kafka.createTopic(topic, 1);
        }
        String bucket = topic.toLowerCase(java.util.Locale.ROOT);
        s3.createBucket(b -> b.bucket(bucket));
        Map<String, String> connector = new java.util.HashMap<>(stack.connectionConfig());
        connector.putAll(Map.of(
                // a consumer group of its own: a previous worker's group never delays this one
                "name", "installed-sink-" + topic,
                "connector.class", "io.streamoffload.connect.dynamodb.DynamoDbSinkConnector",
                "topics", topic,
                "table.auto.create", "true",
                // zstd-jni and Avro from the plugin's lib/, not from the worker
                "offload.s3.bucket", bucket,
                "offload.fields", "body:avro",
                "s3.path.style.access", "true",
                // single-item writes: the asynchronous client on Netty from the plugin's lib/ as well
                "write.version.source", "kafka.offset"));
        return WorkerProcess.start(classpath, stack.bootstrapServers(), dir, Map.of("value.converter.schemas.enable", "true"),
                connector, "plugin-install-connect-" + version, "256m");
    }
}
