package io.streamoffload.connect.dynamodb.it.stack;

import io.streamoffload.connect.dynamodb.Version;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A standalone Kafka Connect worker in a JVM of its own, on the clean classpath of a Kafka distribution resolved by the
 * build ({@code src/it/connect-worker/pom.xml}), with the plugin zip from {@code mvn package} unzipped into its
 * plugin.path and one connector. It can be stopped as an operator would, or killed as a crash would.
 */
public final class WorkerProcess implements AutoCloseable {
    public static final Path ZIP = Path.of("target", "components", "packages",
            "kafka-connect-dynamodb-offload-" + Version.get() + ".zip");
    private static final Path CLASSPATHS = Path.of(System.getProperty("connect.classpath.dir", "target"));
    private static final long CLOCK_TICKS_PER_SECOND = clockTicks();

    private final Process process;
    private final Path logFile;
    private final Path pluginDir;

    private WorkerProcess(Process process, Path logFile, Path pluginDir) {
        this.process = process;
        this.logFile = logFile;
        this.pluginDir = pluginDir;
    }

    /** The classpath of a Kafka distribution's worker: {@code connect-35}, {@code connect-3} or {@code connect-4}. */
    public static String classpath(String name) throws IOException {
        Path file = CLASSPATHS.resolve(name + ".classpath");
        if (!Files.exists(file)) {
            // written in pre-integration-test: a bare "package" does not get there
            throw new IllegalStateException(file + " is missing: build it with mvn -DskipTests verify (a bare package "
                    + "does not write the Kafka workers' classpaths)");
        }
        return Files.readString(file).trim();
    }

    /**
     * Starts a worker. Its offsets file, plugin directory and logs live in {@code dir}, so a worker started again in the
     * same directory resumes from the offsets the last one committed.
     *
     * @param workerProps on top of the defaults: bootstrap servers, converters, offsets file, plugin path
     * @param logName     the log file under target/, appended to by each worker started with the name
     */
    public static WorkerProcess start(String classpath, String bootstrapServers, Path dir, Map<String, String> workerProps,
                                      Map<String, String> connectorProps, String logName, String maxHeap) throws IOException {
        return start(classpath, bootstrapServers, dir, workerProps, connectorProps, logName, maxHeap, List.of());
    }

    /**
     * @param connectorProps null to start without a connector (add them over REST)
     * @param jvmOptions     more options for the worker JVM, such as JMX settings
     */
    public static WorkerProcess start(String classpath, String bootstrapServers, Path dir, Map<String, String> workerProps,
                                      Map<String, String> connectorProps, String logName, String maxHeap,
                                      List<String> jvmOptions) throws IOException {
        return start(classpath, bootstrapServers, dir, workerProps,
                connectorProps == null ? List.of() : List.of(connectorProps), List.of(), logName, maxHeap, jvmOptions);
    }

    /**
     * @param connectors   the connectors the worker runs, each as its properties (standalone workers keep no
     *                     connector created over REST across a restart)
     * @param otherPlugins more plugin folders for the worker's plugin.path, such as another connector's, installed
     *                     the way a user installs one
     */
    public static WorkerProcess start(String classpath, String bootstrapServers, Path dir, Map<String, String> workerProps,
                                      List<Map<String, String>> connectors, List<Path> otherPlugins, String logName,
                                      String maxHeap, List<String> jvmOptions) throws IOException {
        Path pluginPath = dir.resolve("plugins");
        if (!Files.exists(pluginPath)) {
            unzip(ZIP, pluginPath);
        }
        Map<String, String> worker = new LinkedHashMap<>();
        worker.put("bootstrap.servers", bootstrapServers);
        worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        worker.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        worker.put("value.converter.schemas.enable", "false");
        worker.put("offset.storage.file.filename", dir.resolve("offsets").toString());
        worker.put("offset.flush.interval.ms", "1000");
        List<String> pluginPaths = new ArrayList<>(List.of(pluginPath.toString()));
        otherPlugins.forEach(p -> pluginPaths.add(p.toAbsolutePath().toString()));
        worker.put("plugin.path", String.join(",", pluginPaths));
        worker.put("plugin.discovery", "service_load");
        worker.put("listeners", "http://127.0.0.1:0");
        worker.putAll(workerProps);
        Path workerFile = write(dir.resolve("worker.properties"), worker);
        List<Path> connectorFiles = new ArrayList<>();
        for (int i = 0; i < connectors.size(); i++) {
            connectorFiles.add(write(dir.resolve(i == 0 ? "connector.properties" : "connector-" + i + ".properties"),
                    connectors.get(i)));
        }
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
        Path log = Path.of("target", logName + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + maxHeap));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dlog4j.configuration=" + log4j.toUri(), "-Dlog4j2.configurationFile=" + log4j2.toUri(),
                "-cp", classpath, "org.apache.kafka.connect.cli.ConnectStandalone", workerFile.toString()));
        connectorFiles.forEach(file -> command.add(file.toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new WorkerProcess(process, log, pluginPath.resolve("kafka-connect-dynamodb-offload-" + Version.get()));
    }

    public long pid() {
        return process.pid();
    }

    /** User plus system CPU time the worker JVM has used so far, from /proc (Linux). */
    public long cpuNanos() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * 1_000_000_000L / CLOCK_TICKS_PER_SECOND;
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            return Long.parseLong(new String(p.getInputStream().readAllBytes()).trim());
        } catch (IOException | RuntimeException e) {
            return 100;
        }
    }

    public Path pluginDir() {
        return pluginDir;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public void assertAlive() throws IOException {
        if (!process.isAlive()) {
            throw new AssertionError("worker exited: " + log());
        }
    }

    public String log() throws IOException {
        return Files.readString(logFile);
    }

    /** A crash: the JVM is killed at once (SIGKILL), without committing offsets or stopping tasks. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static Path write(Path file, Map<String, String> props) throws IOException {
        List<String> lines = new ArrayList<>();
        props.forEach((k, v) -> lines.add(k + "=" + v.replace("\\", "\\\\")));
        return Files.write(file, lines);
    }

    public static void unzip(Path zip, Path target) throws IOException {
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
