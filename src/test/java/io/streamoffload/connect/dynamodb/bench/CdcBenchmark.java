package io.streamoffload.connect.dynamodb.bench;

import static org.awaitility.Awaitility.await;

import io.streamoffload.connect.dynamodb.it.cdc.DebeziumPipeline;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStack;
import io.streamoffload.connect.dynamodb.it.stack.Postgres;
import io.streamoffload.connect.dynamodb.it.stack.WorkerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * How far behind a real database the items are: PostgreSQL (the machine's package), Debezium's PostgreSQL connector in
 * one worker JVM and this sink in another (so that each one's CPU is read from the OS for its process alone), dynalite
 * as DynamoDB and s3proxy as S3. A table of 2,000 rows, a fifth of them with a large body (20-40 KB, stored out of
 * line by PostgreSQL), is changed at a steady rate by a load generator: nine changes in ten set a small column (with
 * the default replica identity, Debezium then sends a placeholder for the body), one in ten a new body. Each change
 * sets a sequence column; a prober reads the changed rows' items (BatchGetItem, all of them every 20 ms) and takes the lag of a
 * change as the time from its COMMIT returning to the load generator (the transaction's commit, Debezium's
 * source.ts_ms, within a millisecond on loopback) until an item holds its sequence number or a later one. Run for the
 * default replica identity and for FULL, at each offered rate, after 20 s of each at the highest rate to warm up.
 *
 * <p>Run (after {@code mvn -DskipTests package}): {@code mvn -q test-compile exec:java
 * -Dexec.mainClass=io.streamoffload.connect.dynamodb.bench.CdcBenchmark -Dexec.args="--rates 50,100,200 --seconds 30 --source-poll-ms 500"};
 * {@link PipelineBenchmark} runs it too, at its end.
 */
public final class CdcBenchmark {
    private static final int ROWS = 2_000;
    private static final String PREFIX = "cdcbench";
    private static final List<String> IDENTITIES = List.of("DEFAULT", "FULL");

    /** The figures of one run: one replica identity at one offered rate. */
    /**
     * The figures of one run: one replica identity at one offered rate.
     *
     * @param lagEndP50Ms the median lag of the last tenth of the changes: far above the whole run's, the pipeline fell
     *                    behind the offered rate
     * @param kafkaP50Ms  of the lag, the part until Debezium's event was in Kafka (its record's timestamp)
     * @param sinkP50Ms   of the lag, the part from Kafka to the item
     * @param sinkCpuMsPerChange     the sink worker's CPU per change, above what it spends idle
     * @param debeziumCpuMsPerChange the same of Debezium's worker
     */
    record Result(String identity, int offeredPerSecond, double changesPerSecond, int changes, double lagP50Ms,
                  double lagP99Ms, double lagMaxMs, double lagEndP50Ms, double kafkaP50Ms, double kafkaP99Ms,
                  double sinkP50Ms, double sinkP99Ms, double sinkCpuMsPerChange, double debeziumCpuMsPerChange) {
        String line() {
            return String.format(Locale.ROOT, "  %-8s %9d %10.1f %7d %8.0f %8.0f %8.0f %8.0f %10.0f %10.0f %9.0f %9.0f"
                            + " %12.3f %12.3f", identity, offeredPerSecond, changesPerSecond, changes, lagP50Ms, lagP99Ms,
                    lagMaxMs, lagEndP50Ms, kafkaP50Ms, kafkaP99Ms, sinkP50Ms, sinkP99Ms, sinkCpuMsPerChange,
                    debeziumCpuMsPerChange);
        }

        static String header() {
            return "                                         lag from commit to item, ms     of it: to Kafka    "
                    + "Kafka to item    CPU ms per change\n"
                    + "  identity  offered/s  changes/s changes      p50      p99      max  end p50        p50"
                    + "        p99       p50       p99         sink     Debezium";
        }
    }

    private final InJvmStack stack;
    private final Path dir;
    private final int sourcePollMs;
    private final Random random = new Random(27);
    private Postgres postgres;
    private Connection db;
    private WorkerProcess source;
    private WorkerProcess sink;
    private DynamoDbClient dynamo;
    private long sequence;

    /** @param sourcePollMs Debezium's poll.interval.ms: how long it gathers changes into a batch (its default 500) */
    CdcBenchmark(InJvmStack stack, Path dir, int sourcePollMs) {
        this.stack = stack;
        this.dir = dir;
        this.sourcePollMs = sourcePollMs;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> named = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            named.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        List<Integer> rates = List.of(named.getOrDefault("rates", "50,100,200").split(",")).stream()
                .map(Integer::parseInt).toList();
        int seconds = Integer.parseInt(named.getOrDefault("seconds", "30"));
        int sourcePollMs = Integer.parseInt(named.getOrDefault("source-poll-ms", "500"));
        try (InJvmStack stack = InJvmStack.start()) {
            List<Result> results = new CdcBenchmark(stack, Files.createTempDirectory("cdc-benchmark"), sourcePollMs)
                    .run(rates, seconds);
            print(results);
        } catch (Exception | Error e) {
            e.printStackTrace(); // exec:java describes it only after closing the class loader its message may need
            throw e;
        }
        System.exit(0);
    }

    static void print(List<Result> results) {
        System.out.println();
        System.out.println("Change data: PostgreSQL -> Debezium (its own worker) -> this sink (its own worker) -> dynalite");
        System.out.println(Result.header());
        results.forEach(r -> System.out.println(r.line()));
    }

    List<Result> run(List<Integer> rates, int seconds) throws Exception {
        postgres = Postgres.start();
        db = postgres.connect();
        dynamo = stack.newDynamoDbClient();
        String bucket = "cdc-bench-" + System.nanoTime();
        try (S3Client s3 = stack.newS3Client()) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        List<Result> results = new ArrayList<>();
        try {
            createAndFill();
            source = WorkerProcess.start(WorkerProcess.classpath("connect-4"), stack.bootstrapServers(), dir.resolve("source"),
                    DebeziumPipeline.workerProps(), List.of(source()), List.of(DebeziumPipeline.pluginPath()),
                    "cdc-benchmark-source", "1g", List.of());
            sink = WorkerProcess.start(WorkerProcess.classpath("connect-4"), stack.bootstrapServers(), dir.resolve("sink"),
                    DebeziumPipeline.workerProps(), List.of(sink(bucket)), List.of(), "cdc-benchmark-sink", "1g", List.of());
            for (String identity : IDENTITIES) {
                String items = itemTable(identity);
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> itemCount(items) == ROWS); // the snapshot
            }
            // both workers' JIT warms up on both tables at the highest rate before anything is measured
            for (String identity : IDENTITIES) {
                measure(identity, rates.stream().max(Integer::compare).orElseThrow(), 20);
            }
            for (String identity : IDENTITIES) {
                for (int rate : rates) {
                    results.add(measure(identity, rate, seconds));
                    print(results.subList(results.size() - 1, results.size()));
                }
            }
        } finally {
            if (sink != null) {
                sink.close();
            }
            if (source != null) {
                source.close();
            }
            dynamo.close();
            db.close();
            postgres.close();
        }
        return results;
    }

    private static String table(String identity) {
        return "bench_" + identity.toLowerCase(Locale.ROOT);
    }

    private static String itemTable(String identity) {
        return DebeziumPipeline.topic(PREFIX, table(identity));
    }

    private void createAndFill() throws Exception {
        try (Statement s = db.createStatement()) {
            for (String identity : IDENTITIES) {
                s.execute("CREATE TABLE " + table(identity) + " (id bigint PRIMARY KEY, title text, seq bigint, "
                        + "counter bigint, body text, updated_at timestamptz)");
                s.execute("ALTER TABLE " + table(identity) + " REPLICA IDENTITY " + identity);
                try (PreparedStatement insert = db.prepareStatement("INSERT INTO " + table(identity)
                        + " VALUES (?, ?, 0, 0, ?, now())")) {
                    for (int id = 0; id < ROWS; id++) {
                        insert.setLong(1, id);
                        insert.setString(2, "title " + id);
                        insert.setString(3, body(id));
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
        }
    }

    /** A fifth of the rows hold a large body, random so that PostgreSQL stores it out of line. */
    private String body(long id) {
        if (id % 5 != 0) {
            return "short body " + id;
        }
        char[] text = new char[20_000 + random.nextInt(20_000)];
        for (int i = 0; i < text.length; i++) {
            text[i] = (char) ('a' + random.nextInt(26));
        }
        return new String(text);
    }

    private Map<String, String> source() throws Exception {
        Map<String, String> source = DebeziumPipeline.source(postgres, PREFIX, List.of(table("DEFAULT"), table("FULL")));
        source.remove("signal.data.collection");
        source.put("poll.interval.ms", Integer.toString(sourcePollMs));
        return source;
    }

    private Map<String, String> sink(String bucket) throws Exception {
        Map<String, String> sink = DebeziumPipeline.sink(stack, bucket, List.of(itemTable("DEFAULT"), itemTable("FULL")));
        sink.put("table.name.format", "${topic}");
        return sink;
    }

    private int itemCount(String table) {
        try {
            return dynamo.scanPaginator(r -> r.tableName(table).select("COUNT")).stream().mapToInt(p -> p.count()).sum();
        } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException e) {
            return -1;
        }
    }

    /** A change the prober waits to see: a row's id, the sequence number the change set, when its commit returned. */
    private record Probe(long id, long seq, long committedNanos) {
    }

    /** How much CPU a worker spends per second with nothing to do, over a few seconds. */
    private static double idleCpuNanosPerSecond(WorkerProcess worker) throws Exception {
        long cpu0 = worker.cpuNanos();
        long t0 = System.nanoTime();
        Thread.sleep(5_000);
        return (worker.cpuNanos() - cpu0) / ((System.nanoTime() - t0) / 1e9);
    }

    private Result measure(String identity, int rate, int seconds) throws Exception {
        String table = table(identity);
        ConcurrentLinkedQueue<Probe> probes = new ConcurrentLinkedQueue<>();
        Map<Long, Long> lagsNanos = new ConcurrentHashMap<>(); // by sequence number
        AtomicBoolean loading = new AtomicBoolean(true);
        Thread prober = new Thread(() -> probe(itemTable(identity), probes, lagsNanos, loading), "cdc-prober");
        double sinkIdle = idleCpuNanosPerSecond(sink);
        double sourceIdle = idleCpuNanosPerSecond(source);
        Map<Long, Long> committedMillis = new ConcurrentHashMap<>();
        long fromOffset = KafkaTimes.endOffset(stack.bootstrapServers(), itemTable(identity));
        long sinkCpu0 = sink.cpuNanos();
        long sourceCpu0 = source.cpuNanos();
        long start = System.nanoTime();
        prober.start();
        int changes = 0;
        try (PreparedStatement small = db.prepareStatement("UPDATE " + table
                + " SET title = ?, seq = ?, counter = counter + 1, updated_at = now() WHERE id = ?");
             PreparedStatement large = db.prepareStatement("UPDATE " + table + " SET body = ?, seq = ? WHERE id = ?")) {
            long interval = 1_000_000_000L / rate;
            long end = start + seconds * 1_000_000_000L;
            for (long next = start; next < end; next += interval) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                long id = random.nextInt(ROWS);
                long seq = ++sequence;
                PreparedStatement update = changes % 10 == 9 ? large : small;
                update.setString(1, update == large ? body(id) : "title " + seq);
                update.setLong(2, seq);
                update.setLong(3, id);
                update.executeUpdate();
                probes.add(new Probe(id, seq, System.nanoTime()));
                committedMillis.put(seq, System.currentTimeMillis());
                changes++;
            }
        }
        double loadSeconds = (System.nanoTime() - start) / 1e9;
        loading.set(false);
        prober.join();
        double measuredSeconds = (System.nanoTime() - start) / 1e9;
        double sinkCpuMs = (sink.cpuNanos() - sinkCpu0 - sinkIdle * measuredSeconds) / 1e6;
        double sourceCpuMs = (source.cpuNanos() - sourceCpu0 - sourceIdle * measuredSeconds) / 1e6;
        // where each change's lag went: until its event was in Kafka, and from there to the item
        List<Long> toKafka = new ArrayList<>();
        List<Long> toItem = new ArrayList<>();
        KafkaTimes.bySequence(stack.bootstrapServers(), itemTable(identity), fromOffset).forEach((seq, inKafka) -> {
            Long committed = committedMillis.get(seq);
            Long lag = lagsNanos.get(seq);
            if (committed != null && lag != null) {
                long kafkaNanos = (inKafka - committed) * 1_000_000L;
                toKafka.add(kafkaNanos);
                toItem.add(lag - kafkaNanos);
            }
        });
        Collections.sort(toKafka);
        Collections.sort(toItem);
        List<Long> lags = new ArrayList<>(lagsNanos.values());
        Collections.sort(lags);
        long lastTenth = sequence - changes / 10;
        List<Long> endLags = new ArrayList<>(lagsNanos.entrySet().stream().filter(e -> e.getKey() > lastTenth)
                .map(Map.Entry::getValue).sorted().toList());
        // a stall shows as a run of high lags: the worst lag of each 5 seconds of changes
        int perWindow = Math.max(1, rate * 5);
        StringBuilder windows = new StringBuilder();
        for (long from = sequence - changes + 1; from <= sequence; from += perWindow) {
            long start0 = from;
            long worst = lagsNanos.entrySet().stream().filter(e -> e.getKey() >= start0 && e.getKey() < start0 + perWindow)
                    .mapToLong(Map.Entry::getValue).max().orElse(-1);
            windows.append(windows.isEmpty() ? "" : " ").append(worst < 0 ? "-" : Long.toString(worst / 1_000_000));
        }
        System.out.printf("  %s at %d/s: worst lag of each 5 s of changes, ms: %s%n", identity, rate, windows);
        if (lags.size() < changes) {
            System.out.printf("  (%d of %d changes were not seen in their items within a minute of the load's end)%n",
                    changes - lags.size(), changes);
        }
        return new Result(identity, rate, changes / loadSeconds, changes, percentile(lags, 0.50),
                percentile(lags, 0.99), lags.isEmpty() ? Double.NaN : lags.get(lags.size() - 1) / 1e6,
                percentile(endLags, 0.50), percentile(toKafka, 0.50), percentile(toKafka, 0.99),
                percentile(toItem, 0.50), percentile(toItem, 0.99), sinkCpuMs / changes, sourceCpuMs / changes);
    }

    /**
     * Reads the items of the changes committed so far, every 20 ms, until each holds its change (or a later one); after
     * the load, until all do or a minute has passed.
     */
    private void probe(String table, ConcurrentLinkedQueue<Probe> committed, Map<Long, Long> lags, AtomicBoolean loading) {
        Map<Long, List<Probe>> waiting = new ConcurrentHashMap<>();
        long giveUp = Long.MAX_VALUE;
        while (true) {
            for (Probe probe = committed.poll(); probe != null; probe = committed.poll()) {
                waiting.computeIfAbsent(probe.id(), id -> new ArrayList<>()).add(probe);
            }
            if (!loading.get() && giveUp == Long.MAX_VALUE) {
                giveUp = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            }
            if (waiting.isEmpty() && !loading.get() || System.nanoTime() > giveUp) {
                return;
            }
            // every row waited for, 100 keys per call (BatchGetItem's limit): none waits behind the others
            List<Long> all = new ArrayList<>(waiting.keySet());
            for (int from = 0; from < all.size(); from += 100) {
                List<Map<String, AttributeValue>> keys = all.subList(from, Math.min(all.size(), from + 100)).stream()
                        .map(id -> Map.of("id", AttributeValue.fromN(Long.toString(id)))).toList();
                var response = dynamo.batchGetItem(r -> r.requestItems(Map.of(table, KeysAndAttributes.builder()
                        .keys(keys).consistentRead(true).projectionExpression("id, seq").build())));
                long now = System.nanoTime();
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(table, List.of())) {
                    long id = Long.parseLong(item.get("id").n());
                    long seq = item.containsKey("seq") ? Long.parseLong(item.get("seq").n()) : -1;
                    List<Probe> pending = waiting.get(id);
                    pending.removeIf(p -> {
                        boolean seen = p.seq() <= seq;
                        if (seen) {
                            lags.put(p.seq(), now - p.committedNanos());
                        }
                        return seen;
                    });
                    if (pending.isEmpty()) {
                        waiting.remove(id);
                    }
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }
}
