package io.streamoffload.connect.dynamodb.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What one single-item call costs the client, per HTTP client: the connector's very requests (versioned PutItems of
 * the small records, from {@link ConnectorItemRequests}) sent to {@link MiniDynamoDb} over loopback by the plain SDK
 * with the Apache 5 client (the connector's, a thread per call in flight), the CRT sync client (the same threads), and
 * the async client on CRT (no thread per call: a semaphore bounds the calls in flight). Each client runs in a JVM of its
 * own, so that its CPU (from the OS) and the bytes its threads allocated are its alone; the endpoint runs here.
 *
 * <p>Run: {@code mvn -q test-compile exec:java -Dexec.mainClass=io.streamoffload.connect.dynamodb.bench.ItemCallBenchmark
 * -Dexec.args="--calls 20000 --in-flight 32 --latency 5"}.
 */
public final class ItemCallBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> CLIENTS = List.of("apache5", "crt", "crt-async", "crt-async-threads", "netty-async",
            "netty-async-threads");

    private ItemCallBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("client")) {
            client(args[1], URI.create(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]), args[5]);
            return;
        }
        Map<String, String> named = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            named.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int calls = Integer.parseInt(named.getOrDefault("calls", "20000"));
        int inFlight = Integer.parseInt(named.getOrDefault("in-flight", "32"));
        int repeats = Integer.parseInt(named.getOrDefault("repeats", "3"));
        long latency = Long.parseLong(named.getOrDefault("latency", "5"));
        // versioned PutItems (the default), or update mode's UpdateItems of the same records
        String writes = named.getOrDefault("writes", "put");
        List<String> clients = named.containsKey("clients") ? List.of(named.get("clients").split(",")) : CLIENTS;
        try (MiniDynamoDb endpoint = new MiniDynamoDb(latency, 0, "pk")) {
            System.out.printf(Locale.ROOT, "Single-item calls: %d %s, %d in flight, %d ms per call at "
                    + "the endpoint; median of %d runs per client%n", calls, writes.equals("update") ? "UpdateItems"
                    : "versioned PutItems", inFlight, latency, repeats);
            System.out.printf("  %-11s %10s %14s %16s%n", "client", "calls/s", "CPU us/call", "KB alloc/call");
            // the clients take turns, so that the machine's drift over the run falls on each of them alike
            Map<String, List<JsonNode>> runs = new LinkedHashMap<>();
            for (int r = 0; r < repeats; r++) {
                for (String client : clients) {
                    runs.computeIfAbsent(client, c -> new ArrayList<>()).add(runClient(client, endpoint.uri(), calls,
                            inFlight, writes));
                }
            }
            runs.forEach((client, clientRuns) -> {
                clientRuns.sort(java.util.Comparator.comparingDouble(n -> n.get("cpuNanos").asDouble()));
                JsonNode median = clientRuns.get(clientRuns.size() / 2);
                double n = median.get("calls").asDouble();
                System.out.printf(Locale.ROOT, "  %-11s %10.0f %14.1f %16.1f%n", client,
                        n / (median.get("wallNanos").asDouble() / 1e9), median.get("cpuNanos").asDouble() / 1e3 / n,
                        median.get("allocatedBytes").asDouble() / 1024 / n);
            });
        }
        System.exit(0);
    }

    private static JsonNode runClient(String client, URI endpoint, int calls, int inFlight, String writes)
            throws Exception {
        Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", classpath(), ItemCallBenchmark.class.getName(), "client", client, endpoint.toString(),
                Integer.toString(calls), Integer.toString(inFlight), writes))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0 || !output.contains("RESULT ")) {
            throw new IllegalStateException(client + " failed: " + output);
        }
        return JSON.readTree(output.substring(output.lastIndexOf("RESULT ") + 7).trim());
    }

    /** exec:java runs this in Maven's JVM, with the test classpath in a class loader of its own. */
    private static String classpath() {
        if (ItemCallBenchmark.class.getClassLoader() instanceof java.net.URLClassLoader loader) {
            StringBuilder path = new StringBuilder();
            for (var url : loader.getURLs()) {
                try {
                    path.append(path.isEmpty() ? "" : java.io.File.pathSeparator).append(Path.of(url.toURI()));
                } catch (java.net.URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
            }
            return path.toString();
        }
        return System.getProperty("java.class.path");
    }

    /** In the client's JVM: the requests, a warm-up pass, then the measured pass. */
    private static void client(String client, URI endpoint, int calls, int inFlight, String writes) throws Exception {
        List<SdkRequest> requests = requests(calls, writes);
        Sender sender = sender(client, endpoint, inFlight);
        sender.sendAll(requests);
        sender.sendAll(requests);
        long allocated0 = allocatedBytes();
        long cpu0 = BenchClient.processCpuNanos();
        long t0 = System.nanoTime();
        sender.sendAll(requests);
        long wall = System.nanoTime() - t0;
        long cpu = BenchClient.processCpuNanos() - cpu0;
        long allocated = allocatedBytes() - allocated0;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("calls", requests.size());
        result.put("wallNanos", wall);
        result.put("cpuNanos", cpu);
        result.put("allocatedBytes", allocated);
        System.out.println("RESULT " + JSON.writeValueAsString(result));
        System.exit(0);
    }

    /** The connector's versioned PutItems of the small records, or its UpdateItems of them in update mode. */
    static List<SdkRequest> requests(int n, String writes) {
        Map<String, String> props = new HashMap<>();
        props.put("aws.region", "us-east-1");
        props.put("table.name.format", "bench");
        if (writes.equals("update")) {
            props.put("write.mode", "update");
        } else {
            props.put("write.version.source", "kafka.offset");
        }
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "false", "converter.type", "value"), false);
        List<SinkRecord> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            SchemaAndValue value = converter.toConnectData("bench", Workload.SMALL.value(i, n));
            records.add(new SinkRecord("bench", 0, org.apache.kafka.connect.data.Schema.STRING_SCHEMA, "k" + i,
                    value.schema(), value.value(), i));
        }
        return ConnectorItemRequests.of(props, records);
    }

    /** Bytes allocated so far by every live thread of this JVM. */
    private static long allocatedBytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long allocated : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            sum += Math.max(0, allocated);
        }
        return sum;
    }

    private interface Sender {
        void sendAll(List<SdkRequest> requests) throws Exception;
    }

    private static Sender sender(String client, URI endpoint, int inFlight) {
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH",
                "bench-secret"));
        return switch (client) {
            case "apache5" -> threads(DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                    .credentialsProvider(credentials).httpClientBuilder(Apache5HttpClient.builder()
                            .maxConnections(inFlight)).build(), inFlight);
            case "crt" -> threads(DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                    .credentialsProvider(credentials).httpClientBuilder(AwsCrtHttpClient.builder()
                            .maxConcurrency(inFlight)).build(), inFlight);
            case "crt-async" -> async(DynamoDbAsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                    .credentialsProvider(credentials).httpClientBuilder(AwsCrtAsyncHttpClient.builder()
                            .maxConcurrency(inFlight)).build(), inFlight);
            case "netty-async" -> async(DynamoDbAsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                    .credentialsProvider(credentials).httpClientBuilder(NettyNioAsyncHttpClient.builder()
                            .maxConcurrency(inFlight)).build(), inFlight);
            case "crt-async-threads" -> blockingThreads(DynamoDbAsyncClient.builder().endpointOverride(endpoint)
                    .region(Region.US_EAST_1).credentialsProvider(credentials).httpClientBuilder(AwsCrtAsyncHttpClient
                            .builder().maxConcurrency(inFlight)).build(), inFlight);
            case "netty-async-threads" -> blockingThreads(DynamoDbAsyncClient.builder().endpointOverride(endpoint)
                    .region(Region.US_EAST_1).credentialsProvider(credentials).httpClientBuilder(NettyNioAsyncHttpClient
                            .builder().maxConcurrency(inFlight)).build(), inFlight);
            default -> throw new IllegalArgumentException("no client " + client);
        };
    }

    /** A thread per call in flight, each sending its share, as the connector's item writer did. */
    private static Sender threads(DynamoDbClient dynamo, int inFlight) {
        return threads(inFlight, request -> ConnectorItemRequests.send(dynamo, request));
    }

    /** The async client, but a thread per call in flight waiting for its answer: which of the two saves the CPU. */
    private static Sender blockingThreads(DynamoDbAsyncClient dynamo, int inFlight) {
        return threads(inFlight, request -> ConnectorItemRequests.sendAsync(dynamo, request).join());
    }

    private static Sender threads(int inFlight, java.util.function.Consumer<SdkRequest> send) {
        ExecutorService pool = Executors.newFixedThreadPool(inFlight);
        return requests -> {
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < inFlight; t++) {
                done.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests.size(); i = next.getAndIncrement()) {
                        send.accept(requests.get(i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        };
    }

    /** One thread starting calls, as many in flight as a semaphore allows; answers come on the client's threads. */
    private static Sender async(DynamoDbAsyncClient dynamo, int inFlight) {
        return requests -> ConnectorItemRequests.sendAll(dynamo, requests, inFlight);
    }
}
