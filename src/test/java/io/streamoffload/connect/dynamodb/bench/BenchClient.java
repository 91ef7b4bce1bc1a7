package io.streamoffload.connect.dynamodb.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamoffload.connect.dynamodb.DynamoDbSinkConfig;
import io.streamoffload.connect.dynamodb.DynamoDbSinkTask;
import io.streamoffload.connect.dynamodb.mapping.RecordMapper;
import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import io.streamoffload.connect.dynamodb.offload.Fingerprint;
import io.streamoffload.connect.dynamodb.offload.OffloadSettings;
import io.streamoffload.connect.dynamodb.offload.Offloader;
import io.streamoffload.connect.dynamodb.offload.Pointer;
import io.streamoffload.connect.dynamodb.offload.codec.Codec;
import io.streamoffload.connect.dynamodb.offload.store.S3ObjectStore;
import io.streamoffload.connect.dynamodb.retry.Sleeper;
import io.streamoffload.connect.dynamodb.testutil.FakeS3;
import io.streamoffload.connect.dynamodb.testutil.FakeSinkTaskContext;
import java.io.FileInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * One measured run of everything but the Connect worker, in a JVM of its own so that its CPU time (from the OS) and
 * heap are its alone: the {@code SinkTask} driven directly, the ceiling (the plain SDK writing the connector's final
 * items and objects), the hand-written pipeline (what a user would write instead of a connector), the naive writer (one
 * PutItem per record, an uncompressed PutObject per large field), the offload path on its own, and the CPU floor of offloading (SHA-256 and compression alone). Each warms up on a part of the
 * records first. Prints one line {@code RESULT {json}}.
 *
 * <p>Arguments: mode workload records connector-properties-file warm-up-bucket
 */
public final class BenchClient {
    private static final String VERSION = "_version";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper TREE = new ObjectMapper();

    private final Workload workload;
    private final int records;
    private final Map<String, String> props;
    private final String warmBucket;
    private final int tasks;
    private final int concurrency;
    /** Single-item calls in flight per task, as the connector's max.concurrent.item.writes. */
    private final int itemWrites;
    private long s3Puts;
    private long s3Bytes;

    private BenchClient(Workload workload, int records, Map<String, String> props, String warmBucket) {
        this.workload = workload;
        this.records = records;
        this.props = props;
        this.warmBucket = warmBucket;
        this.tasks = Integer.parseInt(props.getOrDefault("tasks.max", "1"));
        this.concurrency = tasks * Integer.parseInt(props.getOrDefault("max.concurrent.batches", "4"));
        this.itemWrites = Integer.parseInt(props.getOrDefault("max.concurrent.item.writes", "32"));
    }

    public static void main(String[] args) throws Exception {
        Properties file = new Properties();
        try (InputStream in = new FileInputStream(args[3])) {
            file.load(in);
        }
        Map<String, String> props = new HashMap<>();
        file.forEach((k, v) -> props.put((String) k, (String) v));
        BenchClient client = new BenchClient(Workload.of(args[1]), Integer.parseInt(args[2]), props, args[4]);
        Map<String, Object> result = client.run(args[0]);
        System.out.println("RESULT " + JSON.writeValueAsString(result));
        System.exit(0);
    }

    /** Prepares a run over records [0, n) into the given bucket, and returns the part to measure. */
    private interface Measured {
        Timed prepare(int n, String bucket) throws Exception;
    }

    private interface Timed {
        void run() throws Exception;
    }

    private Map<String, Object> run(String mode) throws Exception {
        String bucket = props.get("offload.s3.bucket");
        Measured measured = switch (mode) {
            case "task" -> this::runTasks;
            case "ceiling" -> ceiling();
            case "naive" -> naive();
            case "offload" -> offloadOnly();
            case "floor" -> floor();
            case "handwritten" -> handWritten(false);
            case "handwritten-versioned" -> handWritten(true);
            case "item-ceiling" -> itemCeiling();
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        };
        // the CPU-only drivers warm up three times on all the records: with 50 records of 2 MB a fifth would leave
        // the JIT cold, and one pass leaves the offload path (far more code than the floor) still compiling
        // the item ceiling too: a call per record is far more SDK code per record than a batch, and the connector it
        // is compared with runs in a worker warmed up on every mode
        boolean warmThrice = mode.equals("offload") || mode.equals("floor") || mode.equals("item-ceiling");
        for (int warm = 0; warm < (warmThrice ? 3 : 1); warm++) {
            measured.prepare(warmThrice ? records : Math.min(records, Math.max(records / 5, 1)), warmBucket).run();
        }
        // the CPU-only drivers are short: the median of five runs rides out the noise of a shared machine
        int runs = mode.equals("offload") || mode.equals("floor") ? 5 : 1;
        List<long[]> measurements = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            Timed timed = measured.prepare(records, bucket);
            System.gc();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            s3Puts = 0;
            s3Bytes = 0;
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            timed.run();
            measurements.add(new long[] {System.nanoTime() - t0, processCpuNanos() - cpu0});
        }
        measurements.sort(java.util.Comparator.comparingLong(m -> m[1]));
        long wall = measurements.get(runs / 2)[0];
        long cpu = measurements.get(runs / 2)[1];
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("records", records);
        result.put("wallNanos", wall);
        result.put("cpuNanos", cpu);
        result.put("peakHeapBytes", peakHeap());
        // the tasks count their uploads in their own metrics, which stop with them
        result.put("s3Puts", mode.equals("task") ? -1 : s3Puts);
        result.put("s3Bytes", s3Bytes);
        return result;
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The sum of the heap pools' peaks: an upper bound of the heap in use at once. */
    static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    private JsonConverter converter() {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", Boolean.toString(workload.withSchemas()),
                "converter.type", "value"), false);
        return converter;
    }

    private SinkRecord record(JsonConverter converter, String topic, int i, byte[] bytes) {
        if (workload.stringValues()) {
            return new SinkRecord(topic, i % tasks, Schema.STRING_SCHEMA, "k" + i, Schema.STRING_SCHEMA,
                    new String(bytes, StandardCharsets.UTF_8), i / tasks);
        }
        SchemaAndValue value = converter.toConnectData(topic, bytes);
        return new SinkRecord(topic, i % tasks, Schema.STRING_SCHEMA, "k" + i, value.schema(), value.value(), i / tasks);
    }

    private List<byte[]> values(int n) {
        List<byte[]> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(workload.value(i, records));
        }
        return values;
    }

    /**
     * The connector's tasks, each on its own thread, converting the records of its partition as the worker does and
     * putting them in polls of 500.
     */
    private Timed runTasks(int n, String bucket) {
        List<byte[]> values = values(n);
        return () -> runTasks(values, bucket);
    }

    private void runTasks(List<byte[]> values, String bucket) throws Exception {
        int n = values.size();
        ExecutorService threads = Executors.newFixedThreadPool(tasks);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            int task = t;
            done.add(threads.submit(() -> {
                Map<String, String> taskProps = new HashMap<>(props);
                taskProps.put("offload.s3.bucket", bucket);
                taskProps.put("task.id", Integer.toString(task));
                DynamoDbSinkTask sinkTask = new DynamoDbSinkTask();
                sinkTask.initialize(new FakeSinkTaskContext(null));
                sinkTask.start(taskProps);
                JsonConverter converter = converter();
                String topic = props.get("topics");
                List<SinkRecord> poll = new ArrayList<>(500);
                for (int i = task; i < n; i += tasks) {
                    poll.add(record(converter, topic, i, values.get(i)));
                    if (poll.size() == 500) {
                        sinkTask.put(poll);
                        poll = new ArrayList<>(500);
                    }
                }
                sinkTask.put(poll);
                sinkTask.stop();
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        threads.shutdown();
    }

    /** The items and objects exactly as the connector writes them, computed before the clock starts. */
    private record Prepared(List<Map<String, AttributeValue>> items, Map<String, FakeS3.StoredObject> objects,
                            List<List<String>> objectsOfItem) {
    }

    private Prepared prepare(int n, String bucket, Map<String, String> overrides) {
        Map<String, String> mapperProps = new HashMap<>(props);
        mapperProps.put("offload.s3.bucket", bucket);
        mapperProps.putAll(overrides);
        DynamoDbSinkConfig config = new DynamoDbSinkConfig(mapperProps);
        FakeS3 captured = new FakeS3();
        SinkTaskMetrics metrics = new SinkTaskMetrics();
        Optional<S3ObjectStore> store = config.offload().map(settings -> new S3ObjectStore(captured, settings,
                config.retryPolicy(Clock.systemUTC(), Sleeper.THREAD), metrics));
        RecordMapper mapper = new RecordMapper(config, Clock.systemUTC(),
                config.offload().map(settings -> new Offloader(settings, store.get(), metrics)));
        JsonConverter converter = converter();
        List<Map<String, AttributeValue>> items = new ArrayList<>(n);
        List<List<String>> objectsOfItem = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            WriteOperation write = mapper.map(record(converter, props.get("topics"), i, workload.value(i, records)))
                    .orElseThrow();
            write.stored().join();
            items.add(write.item());
            List<String> keys = new ArrayList<>();
            write.item().values().forEach(v -> Pointer.fromAttribute(v).ifPresent(p -> keys.add(p.key())));
            objectsOfItem.add(keys);
        }
        store.ifPresent(S3ObjectStore::close);
        return new Prepared(items, captured.objects, objectsOfItem);
    }

    private DynamoDbClient dynamoDb() {
        return DynamoDbClient.builder().endpointOverride(URI.create(props.get("dynamodb.endpoint.url")))
                .region(Region.of(props.get("aws.region")))
                .credentialsProvider(credentials())
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(Math.max(concurrency, tasks * itemWrites)))
                .build();
    }

    private S3Client s3() {
        return S3Client.builder().endpointOverride(URI.create(props.get("s3.endpoint.url")))
                .region(Region.of(props.get("aws.region")))
                .credentialsProvider(credentials())
                .forcePathStyle(true)
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(concurrency))
                .build();
    }

    private StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(props.get("aws.access.key.id"),
                props.get("aws.secret.access.key")));
    }

    /**
     * The plain SDK at the connector's concurrency: every distinct object with the connector's own request, then the
     * connector's final items in BatchWriteItem calls of 25, resending UnprocessedItems.
     */
    private Measured ceiling() {
        DynamoDbClient dynamoDb = dynamoDb();
        S3Client s3 = s3();
        String table = props.get("table.name.format");
        return (n, bucket) -> {
            Prepared prepared = prepare(n, bucket, Map.of());
            return () -> ceiling(dynamoDb, s3, table, prepared);
        };
    }

    private void ceiling(DynamoDbClient dynamoDb, S3Client s3, String table, Prepared prepared) throws Exception {
        if (!prepared.objects().isEmpty()) {
            parallel(new ArrayList<>(prepared.objects().values()), concurrency, object -> {
                s3.putObject(object.request(), RequestBody.fromBytes(object.bytes()));
                countPut(object.bytes().length);
            });
        }
        List<List<Map<String, AttributeValue>>> batches = new ArrayList<>();
        for (int i = 0; i < prepared.items().size(); i += 25) {
            batches.add(prepared.items().subList(i, Math.min(i + 25, prepared.items().size())));
        }
        parallel(batches, concurrency, batch -> {
            List<WriteRequest> writes = new ArrayList<>(batch.size());
            batch.forEach(item -> writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build()));
            Map<String, List<WriteRequest>> pending = Map.of(table, writes);
            while (!pending.isEmpty()) {
                Map<String, List<WriteRequest>> request = pending;
                BatchWriteItemResponse response = dynamoDb.batchWriteItem(r -> r.requestItems(request));
                pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
            }
        });
    }

    /**
     * The single-item ceiling: the plain SDK sending the connector's very same single-item requests (its mapper and
     * item writer run against a recording client before the clock starts), as many in flight as its tasks keep
     * (tasks x max.concurrent.item.writes), on the async client over the connector's HTTP client and no thread per call.
     */
    private Measured itemCeiling() {
        int inFlight = tasks * itemWrites;
        DynamoDbAsyncClient dynamoDb = DynamoDbAsyncClient.builder()
                .endpointOverride(URI.create(props.get("dynamodb.endpoint.url"))).region(Region.of(props.get("aws.region")))
                .credentialsProvider(credentials())
                .httpClientBuilder("crt".equals(props.get("item.writes.http.client"))
                        ? AwsCrtAsyncHttpClient.builder().maxConcurrency(inFlight)
                        : software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient.builder().maxConcurrency(inFlight))
                .build();
        return (n, bucket) -> {
            JsonConverter converter = converter();
            List<SinkRecord> records = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                records.add(record(converter, props.get("topics"), i, workload.value(i, this.records)));
            }
            Map<String, String> connector = new HashMap<>(props);
            connector.remove("offload.s3.bucket"); // small records: nothing to offload
            List<software.amazon.awssdk.core.SdkRequest> requests = ConnectorItemRequests.of(connector, records);
            return () -> ConnectorItemRequests.sendAll(dynamoDb, requests, inFlight);
        };
    }

    /**
     * What a user would write instead of a connector, the plain way: per task a {@code KafkaConsumer} on its partition,
     * the worker's converter, a straightforward mapping to attribute values, each large field hashed (SHA-256),
     * compressed (zstd) and PUT to S3 before its item, and the items in {@code BatchWriteItem} calls of 25 with the
     * connector's calls in flight, resending {@code UnprocessedItems}; offsets committed after each poll's writes.
     * Versioned, what a user would write for writes that must not go back in time: each item a {@code PutItem} with
     * the record's offset as its version and the condition that the stored version is older, as many calls in flight
     * per task as the connector's {@code max.concurrent.item.writes}, a failed condition taken as superseded.
     */
    private Measured handWritten(boolean versioned) {
        DynamoDbClient dynamoDb = dynamoDb();
        S3Client s3 = s3();
        return (n, bucket) -> () -> {
            ExecutorService threads = Executors.newFixedThreadPool(tasks);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                int partition = t;
                done.add(threads.submit(() -> {
                    new HandWrittenPipeline(partition, (n - partition + tasks - 1) / tasks, bucket, dynamoDb, s3,
                            versioned).run();
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            threads.shutdown();
        };
    }

    /** One task's worth of the hand-written pipeline. */
    private final class HandWrittenPipeline {
        private final int partition;
        private final long records;
        private final String bucket;
        private final DynamoDbClient dynamoDb;
        private final S3Client s3;
        private final long threshold = Long.parseLong(props.getOrDefault("offload.threshold.bytes", "65536"));
        private final String table = props.get("table.name.format");
        private final JsonConverter converter = converter();
        private final boolean versioned;
        private final ExecutorService calls;

        HandWrittenPipeline(int partition, long records, String bucket, DynamoDbClient dynamoDb, S3Client s3,
                            boolean versioned) {
            this.partition = partition;
            this.records = records;
            this.bucket = bucket;
            this.dynamoDb = dynamoDb;
            this.s3 = s3;
            this.versioned = versioned;
            this.calls = Executors.newFixedThreadPool(versioned ? itemWrites : concurrency / tasks);
        }

        void run() throws Exception {
            Map<String, Object> config = new HashMap<>();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, props.get("bench.bootstrap.servers"));
            config.put(ConsumerConfig.GROUP_ID_CONFIG, "hand-written-" + java.util.UUID.randomUUID());
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024));
            TopicPartition topicPartition = new TopicPartition(props.get("topics"), partition);
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer.assign(List.of(topicPartition));
                consumer.seekToBeginning(List.of(topicPartition));
                long consumed = 0;
                while (consumed < records) {
                    List<Map<String, AttributeValue>> items = new ArrayList<>();
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(java.time.Duration.ofMillis(100))) {
                        if (consumed++ < records) {
                            items.add(item(record));
                        }
                    }
                    if (versioned) {
                        writeEachIfNewer(items);
                    } else {
                        write(items);
                    }
                    consumer.commitSync();
                }
            } finally {
                calls.shutdown();
            }
        }

        private Map<String, AttributeValue> item(ConsumerRecord<byte[], byte[]> record) throws Exception {
            // with StringConverter, the JSON is the user's to parse: into a map, the usual way
            Object value = workload.stringValues() ? TREE.readValue(record.value(), Map.class)
                    : converter.toConnectData(record.topic(), record.value()).value();
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("pk", AttributeValue.fromS(new String(record.key(), StandardCharsets.UTF_8)));
            if (versioned) {
                item.put(VERSION, AttributeValue.fromN(Long.toString(record.offset())));
            }
            if (value instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> field : map.entrySet()) {
                    item.put(field.getKey().toString(), field(field.getValue()));
                }
            } else if (value instanceof org.apache.kafka.connect.data.Struct struct) {
                for (org.apache.kafka.connect.data.Field field : struct.schema().fields()) {
                    item.put(field.name(), field(struct.get(field)));
                }
            }
            return item;
        }

        /** A top-level field: to S3 first when it is large, else as it is. */
        private AttributeValue field(Object value) throws Exception {
            byte[] bytes = value instanceof String text && text.length() >= threshold / 4
                    ? text.getBytes(StandardCharsets.UTF_8) : value instanceof byte[] raw ? raw : null;
            if (bytes == null || bytes.length < threshold) {
                return attribute(value);
            }
            String sha256 = Fingerprint.hex(bytes);
            byte[] compressed = com.github.luben.zstd.Zstd.compress(bytes, 3);
            s3.putObject(PutObjectRequest.builder().bucket(bucket).key(sha256 + ".zst").build(),
                    RequestBody.fromBytes(compressed));
            countPut(compressed.length);
            return AttributeValue.fromM(Map.of("s3", AttributeValue.fromS("s3://" + bucket + "/" + sha256 + ".zst"),
                    "sha256", AttributeValue.fromS(sha256)));
        }

        private AttributeValue attribute(Object value) {
            if (value == null) {
                return AttributeValue.fromNul(true);
            } else if (value instanceof String text) {
                return AttributeValue.fromS(text);
            } else if (value instanceof Number number) {
                return AttributeValue.fromN(number.toString());
            } else if (value instanceof Boolean bool) {
                return AttributeValue.fromBool(bool);
            } else if (value instanceof byte[] bytes) {
                return AttributeValue.fromB(software.amazon.awssdk.core.SdkBytes.fromByteArray(bytes));
            } else if (value instanceof List<?> list) {
                List<AttributeValue> values = new ArrayList<>(list.size());
                list.forEach(v -> values.add(attribute(v)));
                return AttributeValue.fromL(values);
            } else if (value instanceof Map<?, ?> map) {
                Map<String, AttributeValue> values = new HashMap<>();
                map.forEach((k, v) -> values.put(k.toString(), attribute(v)));
                return AttributeValue.fromM(values);
            }
            return AttributeValue.fromS(value.toString());
        }

        private void writeEachIfNewer(List<Map<String, AttributeValue>> items) throws Exception {
            List<Future<?>> sent = new ArrayList<>(items.size());
            for (Map<String, AttributeValue> item : items) {
                sent.add(calls.submit(() -> {
                    try {
                        dynamoDb.putItem(r -> r.tableName(table).item(item)
                                .conditionExpression("attribute_not_exists(#v) OR #v < :v")
                                .expressionAttributeNames(Map.of("#v", VERSION))
                                .expressionAttributeValues(Map.of(":v", item.get(VERSION))));
                    } catch (ConditionalCheckFailedException superseded) {
                        // a newer version is stored: nothing to do
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        }

        private void write(List<Map<String, AttributeValue>> items) throws Exception {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < items.size(); i += 25) {
                List<WriteRequest> writes = new ArrayList<>(25);
                items.subList(i, Math.min(i + 25, items.size())).forEach(item -> writes.add(
                        WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build()));
                sent.add(calls.submit(() -> {
                    Map<String, List<WriteRequest>> pending = Map.of(table, writes);
                    while (!pending.isEmpty()) {
                        Map<String, List<WriteRequest>> request = pending;
                        BatchWriteItemResponse response = dynamoDb.batchWriteItem(r -> r.requestItems(request));
                        pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        }
    }

    /**
     * The getting-started way: one thread, per record an uncompressed PutObject per large field (no dedupe) and then
     * one PutItem.
     */
    private Measured naive() {
        DynamoDbClient dynamoDb = dynamoDb();
        S3Client s3 = s3();
        String table = props.get("table.name.format");
        return (n, bucket) -> {
            Prepared prepared = prepare(n, bucket, Map.of("offload.codec", "none"));
            return () -> {
            for (int i = 0; i < n; i++) {
                for (String key : prepared.objectsOfItem().get(i)) {
                    FakeS3.StoredObject object = prepared.objects().get(bucket + "/" + key);
                    s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key)
                            .contentType(object.request().contentType()).build(), RequestBody.fromBytes(object.bytes()));
                    countPut(object.bytes().length);
                }
                Map<String, AttributeValue> item = prepared.items().get(i);
                dynamoDb.putItem(r -> r.tableName(table).item(item));
            }
            };
        };
    }

    /**
     * The connector's mapping and offload (serialize, hash, compress, hand to an S3 client that reads the bytes and
     * keeps none) on one thread, records already converted: what offloading costs the connector besides the network.
     */
    private Measured offloadOnly() {
        return (n, bucket) -> {
            List<SinkRecord> converted = convertAll(n);
            Map<String, String> mapperProps = new HashMap<>(props);
            mapperProps.put("offload.s3.bucket", bucket);
            mapperProps.put("offload.max.concurrent.uploads", "1");
            DynamoDbSinkConfig config = new DynamoDbSinkConfig(mapperProps);
            OffloadSettings settings = config.offload().orElseThrow();
            SinkTaskMetrics metrics = new SinkTaskMetrics();
            S3ObjectStore store = new S3ObjectStore(new DiscardingS3(), settings,
                    config.retryPolicy(Clock.systemUTC(), Sleeper.THREAD), metrics);
            RecordMapper mapper = new RecordMapper(config, Clock.systemUTC(), Optional.of(new Offloader(settings, store, metrics)));
            return () -> {
                for (SinkRecord record : converted) {
                    mapper.map(record).orElseThrow().stored().join();
                }
                store.close();
            };
        };
    }

    /** SHA-256 of every large field and compression of each distinct one, on one thread: nothing else. */
    private Measured floor() {
        return (n, bucket) -> {
            List<SinkRecord> converted = convertAll(n);
            DynamoDbSinkConfig config = new DynamoDbSinkConfig(props);
            OffloadSettings settings = config.offload().orElseThrow();
            List<Object> fields = new ArrayList<>();
            for (SinkRecord record : converted) {
                fields.addAll(largeFields(record.value(), settings.thresholdBytes()));
            }
            return () -> {
                Set<String> seen = new HashSet<>();
                // one compression context for the whole run, as the connector keeps one per upload thread
                try (Codec.Compressor compressor = settings.codec().newCompressor()) {
                    for (Object field : fields) {
                        byte[] bytes = field instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) field;
                        if (seen.add(Fingerprint.hex(bytes))) {
                            compressor.compress(bytes);
                        }
                    }
                }
            };
        };
    }

    private List<SinkRecord> convertAll(int n) {
        JsonConverter converter = converter();
        List<SinkRecord> converted = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            converted.add(record(converter, props.get("topics"), i, workload.value(i, records)));
        }
        return converted;
    }

    private static List<Object> largeFields(Object value, long threshold) {
        List<Object> large = new ArrayList<>();
        Iterable<?> values = value instanceof Map<?, ?> map ? map.values()
                : value instanceof org.apache.kafka.connect.data.Struct struct
                ? struct.schema().fields().stream().map(struct::get).toList() : List.of();
        for (Object v : values) {
            if (v instanceof String s && s.length() >= threshold / 4 && s.getBytes(StandardCharsets.UTF_8).length >= threshold
                    || v instanceof byte[] b && b.length >= threshold) {
                large.add(v);
            }
        }
        return large;
    }

    private synchronized void countPut(long bytes) {
        s3Puts++;
        s3Bytes += bytes;
    }

    private interface Job<T> {
        void run(T item) throws Exception;
    }

    private static <T> void parallel(List<T> items, int threads, Job<T> job) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            LongAdder next = new LongAdder();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    while (true) {
                        int i;
                        synchronized (next) {
                            i = next.intValue();
                            next.increment();
                        }
                        if (i >= items.size()) {
                            return null;
                        }
                        job.run(items.get(i));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
