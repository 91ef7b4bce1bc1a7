package io.streamoffload.connect.dynamodb.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import static org.awaitility.Awaitility.await;
import io.streamoffload.connect.dynamodb.DynamoDbSinkConnector;
import io.streamoffload.connect.dynamodb.it.ConnectRestClient;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStack;
import io.streamoffload.connect.dynamodb.it.stack.Tables;
import io.streamoffload.connect.dynamodb.it.stack.WorkerProcess;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The connector against the backends' own ceiling, over real HTTP on loopback. Kafka, s3proxy and a minimal DynamoDB
 * endpoint ({@link MiniDynamoDb}) run in this JVM, and the open-source DynamoDB implementations dynalite and moto
 * beside it (each a row of its own for small records, {@code --emulators false} leaves them out); the connector runs
 * in a standalone Connect worker JVM with the plugin zip installed, and every other driver ({@link BenchClient}) in a
 * JVM of its own, so that each one's CPU time is read from the OS for its process alone. For each workload and backend
 * it prints records/s, MB/s of payload, CPU-ms per record, peak heap, requests per 1,000 records and bytes on the
 * wire, then the ratios.
 *
 * <p>Run (after {@code mvn -DskipTests package}): {@code mvn -q test-compile exec:java
 * -Dexec.mainClass=io.streamoffload.connect.dynamodb.bench.PipelineBenchmark -Dexec.args="..."} with optional
 * {@code --workloads small,html,...}, {@code --scale 0.5}, {@code --repeats 3}, {@code --latencies 0,5},
 * {@code --worker-heap 1g} and the others {@link Options#parse} names.
 */
public final class PipelineBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TASKS = 2;
    private static final int CONCURRENT_BATCHES = 4;
    static final String CONNECTOR = "connector (Connect worker)";
    static final String NULL_SINK = "null sink (Connect worker)";
    static final String HAND_WRITTEN = "hand-written pipeline";
    static final String HAND_WRITTEN_VERSIONED = "hand-written, versioned";
    static final String CEILING = "ceiling (plain SDK)";
    static final String FLOOR = "SHA-256 + zstd floor";

    private final InJvmStack stack;
    private final Options options;
    private final Path dir;
    private final AtomicInteger unique = new AtomicInteger();
    private WorkerProcess worker;
    private ConnectRestClient rest;
    private JMXConnector jmx;
    private MBeanServerConnection workerBeans;
    private final List<Row> rows = new ArrayList<>();

    record Options(List<Workload> workloads, double scale, int repeats, List<Long> latencies, String workerHeap,
                   boolean emulators, int throttle, boolean throttleOnly, boolean modes, boolean flat, String profile,
                   Path output, List<Integer> cdcRates, boolean queueing, List<String> onlyModes) {
        private static final Set<String> NAMES = Set.of("workloads", "scale", "repeats", "latencies", "worker-heap",
                "emulators", "throttle", "throttle-only", "modes", "flat", "profile", "output", "cdc-rates", "queueing",
                "only-modes");

        static Options parse(String[] args) {
            Map<String, String> named = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i += 2) {
                String name = args[i].replaceFirst("^--", "");
                if (!args[i].startsWith("--") || !NAMES.contains(name) || i + 1 >= args.length) {
                    // a misspelt or retired option would otherwise be ignored and the run measure something else
                    throw new IllegalArgumentException("Unknown option or option without a value: " + args[i]
                            + "; the options are --" + String.join(", --", new TreeSet<>(NAMES)));
                }
                named.put(name, args[i + 1]);
            }
            List<Workload> workloads = named.containsKey("workloads")
                    ? List.of(named.get("workloads").split(",")).stream().map(Workload::of).toList()
                    : List.of(Workload.values()).stream().filter(w -> w != Workload.SMALL_DEBEZIUM).toList();
            return new Options(workloads, Double.parseDouble(named.getOrDefault("scale", "1")),
                    Integer.parseInt(named.getOrDefault("repeats", "1")),
                    List.of(named.getOrDefault("latencies", "0,5").split(",")).stream().map(Long::parseLong).toList(),
                    named.getOrDefault("worker-heap", "1g"),
                    Boolean.parseBoolean(named.getOrDefault("emulators", "true")),
                    Integer.parseInt(named.getOrDefault("throttle", "4000")),
                    Boolean.parseBoolean(named.getOrDefault("throttle-only", "false")),
                    Boolean.parseBoolean(named.getOrDefault("modes", "true")),
                    Boolean.parseBoolean(named.getOrDefault("flat", "true")),
                    named.getOrDefault("profile", ""),
                    Path.of(named.getOrDefault("output", "target/benchmark")),
                    named.getOrDefault("cdc-rates", "50,100,200").equals("none") ? List.of()
                            : List.of(named.getOrDefault("cdc-rates", "50,100,200").split(",")).stream()
                            .map(Integer::parseInt).toList(),
                    Boolean.parseBoolean(named.getOrDefault("queueing", "true")),
                    named.containsKey("only-modes") ? List.of(named.get("only-modes").split(";")) : List.of());
        }
    }

    /** One measured run. */
    record Row(String workload, String backend, String driver, int records, double seconds, double cpuMsPerRecord,
               long peakHeapBytes, double payloadMb, Double dynamoDbRequestsPer1k, double s3PutsPer1k, double wireMb,
               Double writeUnitsPer1k) {
        double recordsPerSecond() {
            return records / seconds;
        }

        Row withWorkload(String label) {
            return new Row(label, backend, driver, records, seconds, cpuMsPerRecord, peakHeapBytes, payloadMb,
                    dynamoDbRequestsPer1k, s3PutsPer1k, wireMb, writeUnitsPer1k);
        }
    }

    private PipelineBenchmark(InJvmStack stack, Options options, Path dir) {
        this.stack = stack;
        this.options = options;
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (!Files.exists(WorkerProcess.ZIP)) {
            throw new IllegalStateException("Run mvn -DskipTests package first: " + WorkerProcess.ZIP + " is missing");
        }
        Path dir = Files.createTempDirectory("pipeline-benchmark");
        try (InJvmStack stack = InJvmStack.start()) {
            new PipelineBenchmark(stack, options, dir).run();
        } catch (Exception | Error e) {
            // printed here: exec:java describes it only after closing the class loader its message may need
            e.printStackTrace();
            throw e;
        }
        System.exit(0);
    }

    private void run() throws Exception {
        int jmxPort = freePort();
        int restPort = freePort();
        Path workerDir = dir.resolve("worker");
        worker = WorkerProcess.start(WorkerProcess.classpath("connect-4"), stack.bootstrapServers(), workerDir,
                Map.of("listeners", "http://127.0.0.1:" + restPort,
                        "consumer.max.partition.fetch.bytes", Integer.toString(8 * 1024 * 1024),
                        "plugin.path", workerDir.resolve("plugins") + "," + nullSinkPlugin(dir.resolve("bench-plugins"))),
                null, "pipeline-benchmark-worker", options.workerHeap(), workerJvmOptions(jmxPort));
        rest = new ConnectRestClient(URI.create("http://127.0.0.1:" + restPort));
        awaitWorker(jmxPort);
        System.out.printf("Pipeline benchmark: %d tasks x %d batches in flight; worker -Xmx%s; %d cores; repeats %d%n",
                TASKS, CONCURRENT_BATCHES, options.workerHeap(), Runtime.getRuntime().availableProcessors(),
                options.repeats());
        try (MiniDynamoDb fast = new MiniDynamoDb(0, 0, "pk")) {
            for (Workload workload : options.workloads()) {
                int records = Math.max(10, (int) (workload.defaultRecords * options.scale()));
                String topic = produce(workload, records);
                warmUp(workload, topic, records, fast);
                for (int r = 0; r < options.repeats() && !options.throttleOnly(); r++) {
                    rows.add(measureNullSink(workload, topic, records));
                }
                for (long latency : options.throttleOnly() ? List.<Long>of() : options.latencies()) {
                    try (MiniDynamoDb mini = latency == 0 ? null : new MiniDynamoDb(latency, 0, "pk")) {
                        MiniDynamoDb endpoint = latency == 0 ? fast : mini;
                        measureAll(workload, topic, records, new Backend("mini " + latency + "ms", endpoint.uri(), endpoint));
                    }
                }
                if (options.modes() && !options.throttleOnly() && workload == Workload.SMALL) {
                    measureModes(workload, topic, records);
                }
                if (options.queueing() && !options.throttleOnly() && workload == Workload.SMALL) {
                    measureQueueing(workload, topic, records);
                }
                for (int r = 0; options.throttle() > 0 && workload == Workload.SMALL && r < options.repeats(); r++) {
                    measureThrottled(workload, topic, records, options.throttle());
                    if (options.modes()) {
                        // one item per call: a table limited below what the calls in flight of two tasks could send
                        measureThrottled(workload, topic, records, options.throttle() / 4, " in update mode",
                                Map.of("write.mode", "update"));
                    }
                }
                if (options.emulators() && !options.throttleOnly() && workload == Workload.SMALL) {
                    measureAll(workload, topic, records, new Backend("dynalite", stack.dynamoDbEndpoint(), null));
                    measureAll(workload, topic, records, new Backend("moto", stack.moto().endpoint(), null));
                }
                if (!options.throttleOnly()) {
                    measureOffload(workload, topic, records);
                }
                printRows(workload);
                if (options.flat() && !options.throttleOnly() && workload == Workload.SMALL) {
                    measureFlat();
                }
            }
        } finally {
            jmx.close();
            worker.close();
        }
        printSummary();
        writeResults();
        if (!options.cdcRates().isEmpty()) {
            // after the worker above has stopped: the change-data pipeline has two workers of its own
            CdcBenchmark.print(new CdcBenchmark(stack, dir.resolve("cdc"), 500).run(options.cdcRates(), 30));
        }
    }

    private List<String> workerJvmOptions(int jmxPort) {
        List<String> jvm = new ArrayList<>(List.of(
                "-Dcom.sun.management.jmxremote.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.authenticate=false",
                "-Dcom.sun.management.jmxremote.ssl=false",
                "-Djava.rmi.server.hostname=127.0.0.1"));
        if (!options.profile().isEmpty()) {
            // JFR's profiling settings: method samples every 10 ms, allocations, locks; written when the worker stops
            jvm.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + Path.of(options.profile()).toAbsolutePath());
        }
        return jvm;
    }

    /**
     * {@link NullSinkConnector} as a plugin directory of its own (its classes and its ServiceLoader manifest), beside
     * the connector's in the worker's plugin.path.
     */
    static Path nullSinkPlugin(Path pluginPath) throws IOException {
        Path plugin = pluginPath.resolve("null-sink");
        for (Class<?> type : List.of(NullSinkConnector.class, NullSinkConnector.NullSinkTask.class)) {
            String file = type.getName().replace('.', '/') + ".class";
            Path target = plugin.resolve(file);
            Files.createDirectories(target.getParent());
            try (var in = type.getClassLoader().getResourceAsStream(file)) {
                Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path services = plugin.resolve("META-INF/services/org.apache.kafka.connect.sink.SinkConnector");
        Files.createDirectories(services.getParent());
        Files.writeString(services, NullSinkConnector.class.getName() + "\n");
        return pluginPath;
    }

    record Backend(String name, URI endpoint, MiniDynamoDb mini) {
        /** No DynamoDB at all, for the drivers that measure CPU only. */
        static final URI NOWHERE = URI.create("http://127.0.0.1:1");

        /** A DynamoDB that keeps items (dynalite, moto), where each run's table is created first. */
        boolean storesItems() {
            return mini == null && !endpoint.equals(NOWHERE);
        }
    }

    private void awaitWorker(int jmxPort) {
        JMXServiceURL url;
        try {
            url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
        jmx = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsMatching(e -> !(e instanceof AssertionError))
                .until(() -> {
                    worker.assertAlive();
                    JMXConnector connector = JMXConnectorFactory.connect(url);
                    rest.status("none"); // the REST server answers too
                    return connector;
                }, connector -> connector != null);
        try {
            workerBeans = jmx.getMBeanServerConnection();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String produce(Workload workload, int records) throws Exception {
        String topic = "bench-" + workload.label + "-" + unique.incrementAndGet();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                     ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(16 * 1024 * 1024),
                     ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024),
                     ProducerConfig.LINGER_MS_CONFIG, "5"), new ByteArraySerializer(), new ByteArraySerializer())) {
            admin.createTopics(Set.of(new NewTopic(topic, Optional.of(TASKS), Optional.empty()))).all().get();
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, i % TASKS, workload.key(i), workload.value(i, records)));
            }
            producer.flush();
        }
        return topic;
    }

    private Map<String, String> connectorConfig(Workload workload, String topic, URI dynamoDb, String table, String bucket) {
        Map<String, String> config = new LinkedHashMap<>(stack.connectionConfig());
        config.put("connector.class", DynamoDbSinkConnector.class.getName());
        config.put("tasks.max", Integer.toString(TASKS));
        config.put("max.concurrent.batches", Integer.toString(CONCURRENT_BATCHES));
        config.put("topics", topic);
        config.put("table.name.format", table);
        config.put("dynamodb.endpoint.url", dynamoDb.toString());
        config.put("s3.path.style.access", "true");
        config.put("offload.s3.bucket", bucket);
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.putAll(workload.converterConfig());
        config.putAll(workload.offloadConfig());
        return config;
    }

    private String newBucket() {
        String bucket = "bench-" + unique.incrementAndGet() + "-" + System.nanoTime();
        try (S3Client s3 = stack.newS3Client()) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        return bucket;
    }

    private String newTable(Backend backend) {
        String table = "bench_" + unique.incrementAndGet();
        if (backend.storesItems()) {
            try (DynamoDbClient client = stack.newDynamoDbClient(backend.endpoint())) {
                Tables.createKeyedByString(client, table, "pk");
            }
        }
        return table;
    }

    /**
     * The worker's JIT warms up on the whole workload, written to the fast endpoint, until two runs in a row cost the
     * same CPU per record within 10% (at most five runs): after one run, the first measured small-record runs still
     * cost twice what the same records cost later in the benchmark.
     */
    private void warmUp(Workload workload, String topic, int records, MiniDynamoDb fast) throws Exception {
        warmUp(workload, topic, records, fast, Map.of());
    }

    private void warmUp(Workload workload, String topic, int records, MiniDynamoDb endpoint, Map<String, String> settings)
            throws Exception {
        double previous = Double.NaN;
        for (int run = 0; run < 5; run++) {
            String name = "warm-up-" + unique.incrementAndGet();
            Map<String, String> config = connectorConfig(workload, topic, endpoint.uri(),
                    newTable(new Backend("", null, endpoint)), newBucket());
            config.putAll(settings);
            WorkerRun warm = runInWorker(name, config, records, () -> written(name));
            rest.deleteConnector(name);
            double cpuPerRecord = warm.cpuNanos() / (double) Math.max(1, records - warm.firstRecords());
            if (Math.abs(cpuPerRecord - previous) <= 0.1 * previous) {
                return;
            }
            previous = cpuPerRecord;
        }
    }

    private void measureAll(Workload workload, String topic, int records, Backend backend) throws Exception {
        for (int r = 0; r < options.repeats(); r++) {
            rows.add(measureConnector(workload, topic, records, backend));
            rows.add(measureClient("task", "SinkTask direct", workload, topic, records, backend, records));
            rows.add(measureClient("ceiling", CEILING, workload, topic, records, backend, records));
            rows.add(measureClient("handwritten", HAND_WRITTEN, workload, topic, records, backend, records));
            if (workload == Workload.SMALL || workload == Workload.HTML) {
                // one request at a time: a part of the records is enough to know its rate
                rows.add(measureClient("naive", "naive (PutItem each)", workload, topic,
                        Math.min(records, workload == Workload.SMALL ? 2_000 : 100), backend, records));
            }
        }
    }

    private static final List<Integer> FLAT_RECORDS = List.of(10_000, 200_000);

    /**
     * Whether the connector's cost per record stays flat as a run grows: small records at 10,000 and at 200,000, each
     * on a topic of its own, against the same 5 ms endpoint.
     */
    private void measureFlat() throws Exception {
        try (MiniDynamoDb mini = new MiniDynamoDb(5, 0, "pk")) {
            Backend backend = new Backend("mini 5ms", mini.uri(), mini);
            for (int records : FLAT_RECORDS) {
                String topic = produce(Workload.SMALL, records);
                for (int r = 0; r < options.repeats(); r++) {
                    rows.add(measureConnector(Workload.SMALL, topic, records, backend).withWorkload(flatLabel(records)));
                }
                printRows(flatLabel(records));
            }
        }
    }

    private static String flatLabel(int records) {
        return String.format(Locale.ROOT, "small, %,d records", records);
    }

    /**
     * The write modes next to put, each a connector config on top of the default one, at 5 ms per call; change events
     * are the same small records as Debezium envelopes ({@link Workload#SMALL_DEBEZIUM}).
     */
    private record Mode(String name, Workload workload, Map<String, String> settings) {
    }

    private static final String UPDATE = "mode: update";
    private static final String TRANSACTIONAL_VERSIONED_PUT = "mode: put, versioned, transactions";
    private static final List<Mode> MODES = List.of(
            new Mode("mode: put, versioned", Workload.SMALL, Map.of("write.version.source", "kafka.offset")),
            new Mode(UPDATE, Workload.SMALL, Map.of("write.mode", "update")),
            new Mode("mode: update, versioned", Workload.SMALL,
                    Map.of("write.mode", "update", "write.version.source", "kafka.offset")),
            new Mode("mode: debezium, versioned", Workload.SMALL_DEBEZIUM, Map.of("cdc.format", "debezium",
                    "write.version.source", "record.value", "write.version.field", "source.lsn")),
            new Mode("mode: update, 4 in flight", Workload.SMALL,
                    Map.of("write.mode", "update", "max.concurrent.item.writes", "4")),
            // the HTTP clients of single-item calls, in the same run (netty is the default)
            new Mode("mode: put, versioned, apache client", Workload.SMALL, Map.of("write.version.source", "kafka.offset",
                    "item.writes.http.client", "apache")),
            new Mode("mode: put, versioned, crt client", Workload.SMALL, Map.of("write.version.source", "kafka.offset",
                    "item.writes.http.client", "crt")),
            // the writes under way at once together in TransactWriteItems calls, at twice the write units
            new Mode(TRANSACTIONAL_VERSIONED_PUT, Workload.SMALL, Map.of("write.version.source", "kafka.offset",
                    "item.writes.batching", "transactions")),
            new Mode("mode: update, transactions", Workload.SMALL, Map.of("write.mode", "update",
                    "item.writes.batching", "transactions")),
            new Mode("mode: debezium, versioned, transactions", Workload.SMALL_DEBEZIUM, Map.of("cdc.format", "debezium",
                    "write.version.source", "record.value", "write.version.field", "source.lsn",
                    "item.writes.batching", "transactions")));

    /** The single-item ceiling's driver name for a mode: the plain SDK sending the mode's very requests. */
    static String itemCeiling(Mode mode) {
        return "item ceiling, " + mode.name().substring("mode: ".length());
    }

    /** The write modes of this run: all, or those {@code --only-modes} names (e.g. "update;put, versioned"). */
    private List<Mode> modes() {
        List<Mode> modes = MODES.stream().filter(mode -> options.onlyModes().isEmpty()
                || options.onlyModes().contains(mode.name().substring("mode: ".length()))).toList();
        if (modes.isEmpty()) {
            throw new IllegalArgumentException("--only-modes names none of the modes");
        }
        return modes;
    }

    /** Each write mode against the same 5 ms endpoint, with put (the default) measured again beside them. */
    private void measureModes(Workload workload, String topic, int records) throws Exception {
        Map<Workload, String> topics = new java.util.EnumMap<>(Workload.class);
        topics.put(workload, topic);
        for (Mode mode : modes()) {
            if (!topics.containsKey(mode.workload())) {
                topics.put(mode.workload(), produce(mode.workload(), records));
            }
        }
        try (MiniDynamoDb mini = new MiniDynamoDb(5, 0, "pk")) {
            Backend backend = new Backend("modes, mini 5ms", mini.uri(), mini);
            // the single-item path warms up too, so that the first mode measured does not carry its JIT's work
            warmUp(workload, topic, records, mini, Map.of("write.mode", "update"));
            for (int r = 0; r < options.repeats(); r++) {
                rows.add(measureConnector(workload, topic, records, backend));
                for (Mode mode : modes()) {
                    rows.add(measureConnector(mode.workload(), topics.get(mode.workload()), records, backend, mode.name(),
                            mode.settings()).withWorkload(workload.label));
                    if (!mode.settings().containsKey("max.concurrent.item.writes")
                            && !mode.settings().containsKey("item.writes.http.client")
                            && !mode.settings().containsKey("item.writes.batching")) {
                        rows.add(measureClient("item-ceiling", itemCeiling(mode), mode.workload(),
                                topics.get(mode.workload()), records, backend, records, mode.settings())
                                .withWorkload(workload.label));
                    }
                }
                rows.add(measureClient("handwritten-versioned", HAND_WRITTEN_VERSIONED, workload, topic, records, backend,
                        records));
            }
        }
    }

    /** The calls in flight compared on a server that slows down under load: {@code max.concurrent.item.writes}. */
    static final List<Integer> QUEUEING_LIMITS = List.of(4, 16, 32);

    static String queueingDriver(int limit) {
        return "put, versioned, " + limit + " in flight" + (limit == 32 ? " (default)" : "");
    }

    /**
     * Versioned puts (one item per call) against servers whose latency rises with the calls in flight: a MiniDynamoDb
     * serving two calls at a time, 5 ms each (400 calls/s whatever queues), and dynalite, a single Node.js process on
     * the same two cores; with up to 4, 16 and 32 calls in flight per task, and put (batches) beside them.
     */
    private void measureQueueing(Workload workload, String topic, int records) throws Exception {
        try (MiniDynamoDb queueing = new MiniDynamoDb(5, 0, "pk", 2)) {
            List<Backend> backends = List.of(new Backend("queueing, mini 2x5ms", queueing.uri(), queueing),
                    new Backend("queueing, dynalite", stack.dynamoDbEndpoint(), null));
            for (int r = 0; r < options.repeats(); r++) {
                for (Backend backend : backends) {
                    rows.add(measureConnector(workload, topic, records, backend));
                    for (int limit : QUEUEING_LIMITS) {
                        rows.add(measureConnector(workload, topic, records, backend, queueingDriver(limit),
                                Map.of("write.version.source", "kafka.offset", "max.concurrent.item.writes",
                                        Integer.toString(limit))));
                    }
                }
            }
        }
    }

    private final List<String> throttledLines = new ArrayList<>();

    /**
     * A table that takes {@code writesPerSecond} (5 ms per call): the tasks together should write close to that while
     * few of their calls are throttled, by keeping fewer calls in flight rather than only backing off each one.
     */
    private void measureThrottled(Workload workload, String topic, int records, int writesPerSecond) throws Exception {
        measureThrottled(workload, topic, records, writesPerSecond, "", Map.of());
    }

    private void measureThrottled(Workload workload, String topic, int records, int writesPerSecond, String mode,
                                  Map<String, String> settings) throws Exception {
        try (MiniDynamoDb limited = new MiniDynamoDb(5, writesPerSecond, "pk")) {
            String name = "bench-throttled-" + unique.incrementAndGet();
            Map<String, String> config = connectorConfig(workload, topic, limited.uri(),
                    newTable(new Backend("", null, limited)), newBucket());
            config.putAll(settings);
            rest.putConnector(name, config);
            // measured once the tasks have settled: from a quarter of the records to the end
            awaitWritten(name, records / 4, 600);
            MiniDynamoDb.Counts before = limited.counts();
            long t0 = System.nanoTime();
            long written0 = written(name);
            awaitWritten(name, records, 900);
            double seconds = (System.nanoTime() - t0) / 1e9;
            MiniDynamoDb.Counts calls = limited.counts().minus(before);
            rest.deleteConnector(name);
            double rate = (records - written0) / seconds;
            String line = String.format(Locale.ROOT, "  %s%s, table limited to %d writes/s: the connector wrote %.0f/s "
                            + "(%.2fx of the limit); %d of %d calls throttled (%.1f%%: %d refused whole, %d partly)",
                    workload.label, mode, writesPerSecond, rate, rate / writesPerSecond, calls.throttled() + calls.partial(),
                    calls.requests(), 100.0 * (calls.throttled() + calls.partial()) / calls.requests(), calls.throttled(),
                    calls.partial());
            throttledLines.add(line);
            System.out.println(line);
        }
    }

    private void measureOffload(Workload workload, String topic, int records) throws Exception {
        if (workload == Workload.SMALL || workload == Workload.SMALL_STRING) {
            return; // nothing large to offload
        }
        Backend none = new Backend("none (CPU)", Backend.NOWHERE, null);
        for (int r = 0; r < options.repeats(); r++) {
            rows.add(measureClient("offload", "offload path, 1 thread", workload, topic, records, none, records));
            rows.add(measureClient("floor", FLOOR, workload, topic, records, none, records));
        }
    }

    private Row measureConnector(Workload workload, String topic, int records, Backend backend) throws Exception {
        return measureConnector(workload, topic, records, backend, CONNECTOR, Map.of());
    }

    private Row measureConnector(Workload workload, String topic, int records, Backend backend, String driver,
                                 Map<String, String> settings) throws Exception {
        String name = "bench-" + unique.incrementAndGet();
        String table = newTable(backend);
        MiniDynamoDb.Counts before = backend.mini() == null ? null : backend.mini().counts();
        Map<String, String> config = connectorConfig(workload, topic, backend.endpoint(), table, newBucket());
        config.putAll(settings);
        WorkerRun run = runInWorker(name, config, records, () -> written(name));
        Map<String, Long> metrics = taskMetrics(name);
        if (!driver.equals(CONNECTOR)) {
            // where the adaptive limit of single-item calls ended, and how long the calls took
            callLines.add(String.format(Locale.ROOT, "  %-22s %-40s calls in flight allowed at the end %5.1f per task, "
                    + "mean call %5.1f ms", backend.name(), driver, taskGauge(name, "ItemWritesInFlightLimit"),
                    taskGauge(name, "BatchLatencyAvgMs")));
        }
        rest.deleteConnector(name);
        MiniDynamoDb.Counts calls = before == null ? null : backend.mini().counts().minus(before);
        Double dynamoDbPer1k = calls == null ? null : 1000.0 * calls.requests() / records;
        Double writeUnitsPer1k = calls == null ? null : 1000.0 * calls.writeUnits() / records;
        long s3Puts = metrics.get("ObjectsUploaded") + metrics.get("UploadsRetried");
        double wire = (metrics.get("ObjectBytesUploaded") + (before == null ? 0
                : backend.mini().counts().minus(before).bytesIn())) / 1e6;
        return run.row(workload, backend.name(), driver, records, dynamoDbPer1k, 1000.0 * s3Puts / records, wire,
                writeUnitsPer1k);
    }

    /**
     * Kafka Connect's own cost: {@link NullSinkConnector} in the same worker, with the same converters and tasks,
     * counted by the worker's {@code sink-record-send-total}.
     */
    private Row measureNullSink(Workload workload, String topic, int records) throws Exception {
        String name = "bench-null-" + unique.incrementAndGet();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", NullSinkConnector.class.getName());
        config.put("tasks.max", Integer.toString(TASKS));
        config.put("topics", topic);
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.putAll(workload.converterConfig());
        WorkerRun run = runInWorker(name, config, records, () -> recordsSentToTasks(name));
        rest.deleteConnector(name);
        return run.row(workload, "none", NULL_SINK, records, null, 0, 0, null);
    }

    /** A connector's run in the worker: its clock and CPU from the first record out of it to the last. */
    private record WorkerRun(long firstRecords, double seconds, long cpuNanos, long peakHeapBytes) {
        Row row(Workload workload, String backend, String driver, int records, Double dynamoDbPer1k, double s3PutsPer1k,
                double wireMb, Double writeUnitsPer1k) {
            int measured = (int) (records - firstRecords);
            return new Row(workload.label, backend, driver, measured, seconds, cpuNanos / 1e6 / measured, peakHeapBytes,
                    payloadMb(workload, records) * measured / records, dynamoDbPer1k, s3PutsPer1k, wireMb,
                    writeUnitsPer1k);
        }
    }

    private interface Count {
        long get() throws Exception;
    }

    private WorkerRun runInWorker(String name, Map<String, String> config, int records, Count done) throws Exception {
        resetPeakHeap();
        rest.putConnector(name, config);
        // the clock runs from the first record done to the last, so task start and group join are left out
        long first = await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(5))
                .until(() -> {
                    worker.assertAlive();
                    return done.get();
                }, n -> n > 0);
        long t0 = System.nanoTime();
        long cpu0 = workerCpuNanos();
        await().atMost(Duration.ofSeconds(900)).pollInterval(Duration.ofMillis(5))
                .failFast(() -> !worker.isAlive())
                .until(() -> done.get() >= records);
        long t1 = System.nanoTime();
        long cpu = workerCpuNanos() - cpu0;
        return new WorkerRun(first, (t1 - t0) / 1e9, cpu, peakHeap());
    }

    /** Records the worker has handed to a connector's tasks, from Kafka Connect's own task metrics. */
    private long recordsSentToTasks(String connector) throws Exception {
        long sum = 0;
        for (ObjectName name : workerBeans.queryNames(new ObjectName("kafka.connect:type=sink-task-metrics,connector="
                + connector + ",*"), null)) {
            sum += ((Number) workerBeans.getAttribute(name, "sink-record-send-total")).longValue();
        }
        return sum;
    }

    private Row measureClient(String mode, String driver, Workload workload, String topic, int measuredRecords,
                              Backend backend, int workloadRecords) throws Exception {
        return measureClient(mode, driver, workload, topic, measuredRecords, backend, workloadRecords, Map.of());
    }

    /** @param settings connector settings on top of the default ones, for the drivers that take the connector's */
    private Row measureClient(String mode, String driver, Workload workload, String topic, int measuredRecords,
                              Backend backend, int workloadRecords, Map<String, String> settings) throws Exception {
        String table = newTable(backend);
        Map<String, String> config = connectorConfig(workload, topic, backend.endpoint(), table, newBucket());
        config.putAll(settings);
        config.put("name", "bench-client-" + unique.incrementAndGet());
        config.put("bench.bootstrap.servers", stack.bootstrapServers());
        Path propsFile = dir.resolve("client-" + unique.incrementAndGet() + ".properties");
        Properties props = new Properties();
        props.putAll(config);
        try (var out = Files.newOutputStream(propsFile)) {
            props.store(out, null);
        }
        MiniDynamoDb.Counts before = backend.mini() == null ? null : backend.mini().counts();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx3g"));
        if (!options.profile().isEmpty()) {
            // each driver's JVM recorded too, beside the worker's: FILE-<driver>.jfr
            command.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + Path.of(
                    options.profile().replaceFirst("\\.jfr$", "") + "-" + driver.replaceAll("[^A-Za-z0-9]+", "-")
                            + ".jfr").toAbsolutePath());
        }
        command.addAll(List.of("-cp", testClasspath(), BenchClient.class.getName(), mode, workload.label,
                Integer.toString(measuredRecords), propsFile.toString(), newBucket()));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0 || !output.contains("RESULT ")) {
            throw new IllegalStateException(mode + " failed: " + output);
        }
        JsonNode result = JSON.readTree(output.substring(output.lastIndexOf("RESULT ") + 7).trim());
        MiniDynamoDb.Counts calls = before == null ? null : backend.mini().counts().minus(before);
        int n = result.get("records").asInt();
        // the warm-up's calls went to the same endpoint: count the measured part's share (the item ceiling warms up
        // three times on all the records, the others once on a fifth)
        double share = mode.equals("item-ceiling") ? 0.25 : n / (double) (n + Math.min(n, Math.max(n / 5, 1)));
        return new Row(workload.label, backend.name(), driver, n, result.get("wallNanos").asLong() / 1e9,
                result.get("cpuNanos").asLong() / 1e6 / n, result.get("peakHeapBytes").asLong(),
                payloadMb(workload, workloadRecords) * n / workloadRecords,
                calls == null || mode.equals("offload") || mode.equals("floor") ? null : 1000.0 * calls.requests() * share / n,
                result.get("s3Puts").asLong() < 0 ? Double.NaN : 1000.0 * result.get("s3Puts").asLong() / n,
                (result.get("s3Bytes").asLong() + (calls == null ? 0 : calls.bytesIn() * share)) / 1e6,
                calls == null || mode.equals("offload") || mode.equals("floor") ? null
                        : 1000.0 * calls.writeUnits() * share / n);
    }

    private static final Map<String, Double> PAYLOAD_MB = new java.util.concurrent.ConcurrentHashMap<>();

    private static double payloadMb(Workload workload, int records) {
        return PAYLOAD_MB.computeIfAbsent(workload.label + "/" + records, w -> {
            long bytes = 0;
            for (int i = 0; i < records; i++) {
                bytes += workload.value(i, records).length;
            }
            return bytes / 1e6;
        });
    }

    private void awaitWritten(String connector, long records, int seconds) {
        await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(5))
                .failFast(() -> !worker.isAlive())
                .until(() -> written(connector) >= records);
    }

    private long written(String connector) throws Exception {
        Map<String, Long> metrics = taskMetrics(connector);
        return metrics.getOrDefault("ItemsPut", 0L) + metrics.getOrDefault("ItemsDeleted", 0L)
                + metrics.getOrDefault("ItemsUpdated", 0L) + metrics.getOrDefault("WritesSuperseded", 0L)
                + metrics.getOrDefault("BadRecords", 0L);
    }

    /** The connector's task metrics, summed over its tasks, read over JMX from the worker. */
    private final List<String> callLines = new ArrayList<>();

    /** A gauge of the connector's tasks, averaged over them. */
    private double taskGauge(String connector, String attribute) throws Exception {
        Set<ObjectName> names = workerBeans.queryNames(new ObjectName(SinkTaskMetrics.DOMAIN
                + ":type=sink-task-metrics,connector=" + ObjectName.quote(connector) + ",*"), null);
        double sum = 0;
        for (ObjectName name : names) {
            sum += ((Number) workerBeans.getAttribute(name, attribute)).doubleValue();
        }
        return names.isEmpty() ? Double.NaN : sum / names.size();
    }

    private Map<String, Long> taskMetrics(String connector) throws Exception {
        Set<ObjectName> names = workerBeans.queryNames(new ObjectName(SinkTaskMetrics.DOMAIN
                + ":type=sink-task-metrics,connector=" + ObjectName.quote(connector) + ",*"), null);
        Map<String, Long> sums = new LinkedHashMap<>();
        for (ObjectName name : names) {
            for (String attribute : List.of("ItemsPut", "ItemsDeleted", "ItemsUpdated", "WritesSuperseded",
                    "BadRecords", "ObjectsUploaded",
                    "UploadsRetried", "ObjectBytesUploaded", "BatchCalls")) {
                sums.merge(attribute, ((Number) workerBeans.getAttribute(name, attribute)).longValue(), Long::sum);
            }
        }
        return sums;
    }

    private void resetPeakHeap() throws Exception {
        workerBeans.invoke(new ObjectName(ManagementFactory.MEMORY_MXBEAN_NAME), "gc", null, null);
        for (ObjectName pool : workerBeans.queryNames(new ObjectName(ManagementFactory.MEMORY_POOL_MXBEAN_DOMAIN_TYPE
                + ",*"), null)) {
            workerBeans.invoke(pool, "resetPeakUsage", null, null);
        }
    }

    private long peakHeap() throws Exception {
        long sum = 0;
        for (ObjectName name : workerBeans.queryNames(new ObjectName(ManagementFactory.MEMORY_POOL_MXBEAN_DOMAIN_TYPE
                + ",*"), null)) {
            MemoryPoolMXBean pool = ManagementFactory.newPlatformMXBeanProxy(workerBeans, name.toString(),
                    MemoryPoolMXBean.class);
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** User plus system CPU time of the worker process, from /proc. */
    private long workerCpuNanos() throws IOException {
        return worker.cpuNanos();
    }

    /** exec:java runs this in Maven's JVM, with the test classpath in a class loader of its own. */
    private static String testClasspath() {
        if (PipelineBenchmark.class.getClassLoader() instanceof java.net.URLClassLoader loader) {
            return java.util.Arrays.stream(loader.getURLs()).map(url -> {
                try {
                    return Path.of(url.toURI()).toString();
                } catch (java.net.URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
            }).collect(Collectors.joining(java.io.File.pathSeparator));
        }
        return System.getProperty("java.class.path");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void printRows(Workload workload) {
        printRows(workload.label);
    }

    private void printRows(String label) {
        System.out.printf("%n%s%n", label);
        System.out.printf("  %-16s %-34s %8s %10s %8s %9s %9s %8s %8s %9s %9s%n", "backend", "driver", "records",
                "records/s", "MB/s", "CPU ms/rec", "peak heap", "DDB/1k", "WCU/1k", "S3 PUT/1k", "wire MB");
        for (Row row : rows) {
            if (!row.workload().equals(label)) {
                continue;
            }
            System.out.printf(Locale.ROOT, "  %-16s %-34s %8d %10.0f %8.1f %9.3f %7.0fMB %8s %8s %9s %9.1f%n",
                    row.backend(), row.driver(), row.records(), row.recordsPerSecond(), row.payloadMb() / row.seconds(),
                    row.cpuMsPerRecord(), row.peakHeapBytes() / 1e6,
                    row.dynamoDbRequestsPer1k() == null ? "-" : String.format(Locale.ROOT, "%.1f", row.dynamoDbRequestsPer1k()),
                    row.writeUnitsPer1k() == null ? "-" : String.format(Locale.ROOT, "%.1f", row.writeUnitsPer1k()),
                    Double.isNaN(row.s3PutsPer1k()) ? "-" : String.format(Locale.ROOT, "%.1f", row.s3PutsPer1k()),
                    row.wireMb());
        }
        System.out.flush();
    }

    /**
     * Every row as CSV, and the chart of records/s against the ceiling at 5 ms (or the first latency measured), into
     * the output directory ({@code --output}, default target/benchmark).
     */
    private void writeResults() throws IOException {
        Files.createDirectories(options.output());
        List<String> csv = new ArrayList<>(List.of("workload,backend,driver,records,seconds,records_per_second,"
                + "cpu_ms_per_record,peak_heap_bytes,payload_mb,dynamodb_requests_per_1k,s3_puts_per_1k,wire_mb,"
                + "write_units_per_1k"));
        for (Row row : rows) {
            csv.add(String.format(Locale.ROOT, "%s,%s,%s,%d,%.3f,%.1f,%.4f,%d,%.2f,%s,%s,%.2f,%s", row.workload(),
                    row.backend(), row.driver(), row.records(), row.seconds(), row.recordsPerSecond(),
                    row.cpuMsPerRecord(), row.peakHeapBytes(), row.payloadMb(),
                    row.dynamoDbRequestsPer1k() == null ? "" : String.format(Locale.ROOT, "%.1f", row.dynamoDbRequestsPer1k()),
                    Double.isNaN(row.s3PutsPer1k()) ? "" : String.format(Locale.ROOT, "%.1f", row.s3PutsPer1k()),
                    row.wireMb(), row.writeUnitsPer1k() == null ? ""
                            : String.format(Locale.ROOT, "%.1f", row.writeUnitsPer1k())));
        }
        Files.write(options.output().resolve("results.csv"), csv);
        String backend = "mini " + (options.latencies().contains(5L) ? 5 : options.latencies().get(0)) + "ms";
        Files.writeString(options.output().resolve("records-per-second.svg"), BenchmarkChart.svg(
                "Records/s against the plain SDK's ceiling (" + backend + ", " + Runtime.getRuntime().availableProcessors()
                        + " cores, medians of " + options.repeats() + ")", BenchmarkChart.groups(rows, backend)));
        System.out.println("Results in " + options.output().resolve("results.csv") + " and "
                + options.output().resolve("records-per-second.svg"));
    }

    /** Medians over the repeats, as ratios. */
    private void printSummary() {
        throttledLines.forEach(System.out::println);
        callLines.forEach(System.out::println);
        List<Optional<Double>> flat = FLAT_RECORDS.stream().map(n -> median(rows.stream()
                .filter(r -> r.workload().equals(flatLabel(n))).toList(), CONNECTOR, Row::cpuMsPerRecord)).toList();
        if (flat.stream().allMatch(Optional::isPresent)) {
            System.out.printf(Locale.ROOT, "  flat: connector CPU per small record %.3f ms at %s, %.3f ms at %s: %.2fx%n",
                    flat.get(0).get(), flatLabel(FLAT_RECORDS.get(0)), flat.get(1).get(), flatLabel(FLAT_RECORDS.get(1)),
                    flat.get(1).get() / flat.get(0).get());
        }
        System.out.printf("%nRatios (medians over %d repeats)%n", options.repeats());
        Map<String, List<Row>> byWorkloadBackend = rows.stream()
                .collect(Collectors.groupingBy(r -> r.workload() + " | " + r.backend(), LinkedHashMap::new, Collectors.toList()));
        byWorkloadBackend.forEach((group, groupRows) -> {
            String workload = groupRows.get(0).workload();
            List<Row> workloadRows = rows.stream().filter(r -> r.workload().equals(workload)).toList();
            Optional<Double> connector = median(groupRows, CONNECTOR, Row::recordsPerSecond);
            Optional<Double> task = median(groupRows, "SinkTask direct", Row::recordsPerSecond);
            Optional<Double> ceiling = median(groupRows, CEILING, Row::recordsPerSecond);
            Optional<Double> handWritten = median(groupRows, HAND_WRITTEN, Row::recordsPerSecond);
            Optional<Double> naive = median(groupRows, "naive (PutItem each)", Row::recordsPerSecond);
            Optional<Double> connectorCpu = median(groupRows, CONNECTOR, Row::cpuMsPerRecord);
            Optional<Double> ceilingCpu = median(groupRows, CEILING, Row::cpuMsPerRecord);
            Optional<Double> offload = median(groupRows, "offload path, 1 thread", Row::cpuMsPerRecord);
            Optional<Double> floor = median(groupRows, FLOOR, Row::cpuMsPerRecord);
            // the fair floor: what Kafka Connect costs, plus what the backends need, plus hashing and compressing
            Optional<Double> nullSinkCpu = median(workloadRows, NULL_SINK, Row::cpuMsPerRecord);
            Optional<Double> hashFloorCpu = median(workloadRows, FLOOR, Row::cpuMsPerRecord);
            Optional<Double> fairCpu = nullSinkCpu.isPresent() && ceilingCpu.isPresent()
                    ? Optional.of(nullSinkCpu.get() + ceilingCpu.get() + hashFloorCpu.orElse(0.0)) : Optional.empty();
            StringBuilder line = new StringBuilder(String.format("  %-34s", group));
            median(groupRows, NULL_SINK, Row::cpuMsPerRecord).ifPresent(cpu -> line.append(
                    String.format(Locale.ROOT, "  Kafka Connect alone (null sink): %.3f CPU ms per record", cpu)));
            ratio(line, "connector/hand-written", connector, handWritten);
            ratio(line, hashFloorCpu.isPresent() ? "CPU connector/(null sink+ceiling+floor)"
                    : "CPU connector/(null sink+ceiling)", connectorCpu, fairCpu);
            ratio(line, "connector/ceiling", connector, ceiling);
            ratio(line, "task/ceiling", task, ceiling);
            ratio(line, "CPU connector/ceiling", connectorCpu, ceilingCpu);
            ratio(line, "connector/naive", connector, naive);
            ratio(line, "offload/floor CPU", offload, floor);
            MODES.forEach(mode -> ratio(line, mode.name().substring("mode: ".length()) + "/put",
                    median(groupRows, mode.name(), Row::recordsPerSecond), connector));
            // the single-item floor: the modes against the plain SDK sending their very requests, and in CPU against
            // what Kafka Connect costs plus that
            MODES.stream().filter(mode -> !mode.settings().containsKey("item.writes.batching")).forEach(mode -> {
                Optional<Double> itemCeiling = median(groupRows, itemCeiling(mode), Row::recordsPerSecond);
                Optional<Double> itemCeilingCpu = median(groupRows, itemCeiling(mode), Row::cpuMsPerRecord);
                String name = mode.name().substring("mode: ".length());
                ratio(line, name + "/item ceiling", median(groupRows, mode.name(), Row::recordsPerSecond), itemCeiling);
                ratio(line, "CPU " + name + "/(null sink+item ceiling)", median(groupRows, mode.name(),
                        Row::cpuMsPerRecord), nullSinkCpu.flatMap(n -> itemCeilingCpu.map(c -> n + c)));
            });
            // a server that slows down under load: the default's calls in flight against smaller fixed ceilings
            QUEUEING_LIMITS.forEach(limit -> ratio(line, limit + " in flight/put",
                    median(groupRows, queueingDriver(limit), Row::recordsPerSecond), connector));
            ratio(line, "32 in flight/4 in flight", median(groupRows, queueingDriver(32), Row::recordsPerSecond),
                    median(groupRows, queueingDriver(4), Row::recordsPerSecond));
            ratio(line, "CPU 32 in flight/4 in flight", median(groupRows, queueingDriver(32), Row::cpuMsPerRecord),
                    median(groupRows, queueingDriver(4), Row::cpuMsPerRecord));
            ratio(line, "put, versioned, transactions/put, versioned", median(groupRows, TRANSACTIONAL_VERSIONED_PUT,
                    Row::recordsPerSecond), median(groupRows, MODES.get(0).name(), Row::recordsPerSecond));
            ratio(line, "CPU put, versioned, transactions/put, versioned", median(groupRows,
                    TRANSACTIONAL_VERSIONED_PUT, Row::cpuMsPerRecord), median(groupRows, MODES.get(0).name(),
                    Row::cpuMsPerRecord));
            ratio(line, "put, versioned/hand-written versioned", median(groupRows, MODES.get(0).name(),
                    Row::recordsPerSecond), median(groupRows, HAND_WRITTEN_VERSIONED, Row::recordsPerSecond));
            ratio(line, "CPU put, versioned/hand-written versioned", median(groupRows, MODES.get(0).name(),
                    Row::cpuMsPerRecord), median(groupRows, HAND_WRITTEN_VERSIONED, Row::cpuMsPerRecord));
            System.out.println(line);
        });
    }

    private static void ratio(StringBuilder line, String name, Optional<Double> a, Optional<Double> b) {
        if (a.isPresent() && b.isPresent()) {
            line.append(String.format(Locale.ROOT, "  %s %.2fx", name, a.get() / b.get()));
        }
    }

    private static Optional<Double> median(List<Row> rows, String driver, java.util.function.ToDoubleFunction<Row> f) {
        List<Double> values = rows.stream().filter(r -> r.driver().equals(driver)).map(r -> f.applyAsDouble(r))
                .sorted(Comparator.naturalOrder()).toList();
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() / 2));
    }
}
