package io.streamoffload.connect.dynamodb.bench;

import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import io.streamoffload.connect.dynamodb.offload.Fingerprint;
import io.streamoffload.connect.dynamodb.offload.codec.Codec;
import io.streamoffload.connect.dynamodb.offload.format.Formats;
import io.streamoffload.connect.dynamodb.testutil.FakeDynamoDb;
import io.streamoffload.connect.dynamodb.testutil.Records;
import io.streamoffload.connect.dynamodb.writer.Backoff;
import io.streamoffload.connect.dynamodb.writer.BatchPlanner;
import io.streamoffload.connect.dynamodb.writer.BatchWriter;
import io.streamoffload.connect.dynamodb.writer.Sleeper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Prints figures for the two costs that set the connector's speed, as ratios measured in one run (the machine is
 * shared and noisy):
 * <ol>
 *   <li>write throughput against a DynamoDB stand-in that takes a fixed time per call (a network round trip), for one
 *   request per call versus batches of 25, and for 1, 4 and 8 batches in flight;</li>
 *   <li>offload cost per codec on HTML pages: serialize + SHA-256 + compress, in MB/s, and the stored size.</li>
 * </ol>
 * Run: {@code mvn -q test-compile exec:java -Dexec.mainClass=io.streamoffload.connect.dynamodb.bench.WriteBenchmark}
 */
public final class WriteBenchmark {
    private static final int RECORDS = 2_000;
    private static final long CALL_LATENCY_MS = 10;

    private WriteBenchmark() {
    }

    public static void main(String[] args) {
        System.out.printf("Write throughput, %d records of ~1 KB, stand-in DynamoDB with %d ms per call%n", RECORDS,
                CALL_LATENCY_MS);
        double baseline = writesPerSecond(1, 1);
        System.out.printf("  %-34s %8.0f records/s  (x%.1f)%n", "1 request per call, 1 in flight", baseline, 1.0);
        for (int concurrency : new int[] {1, 4, 8}) {
            double rate = writesPerSecond(25, concurrency);
            System.out.printf("  %-34s %8.0f records/s  (x%.1f)%n", "batches of 25, " + concurrency + " in flight", rate,
                    rate / baseline);
        }

        System.out.println();
        System.out.println("Offload cost on 20 HTML pages of 1 MB (serialize + SHA-256 + compress), one thread");
        List<String> pages = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pages.add(html(i, 1024 * 1024));
        }
        long rawBytes = pages.stream().mapToLong(p -> p.getBytes(StandardCharsets.UTF_8).length).sum();
        double noneRate = 0;
        for (Codec codec : List.of(Codec.NONE, Codec.ZSTD, Codec.GZIP)) {
            offload(pages, codec); // warm-up
            long start = System.nanoTime();
            long stored = offload(pages, codec);
            double seconds = (System.nanoTime() - start) / 1e9;
            double rate = rawBytes / 1e6 / seconds;
            if (codec == Codec.NONE) {
                noneRate = rate;
            }
            System.out.printf("  %-5s %7.1f MB/s (x%.2f of none)  stored %5.1f%% of %d MB%n", codec.configValue(), rate,
                    rate / noneRate, 100.0 * stored / rawBytes, rawBytes / (1024 * 1024));
        }
    }

    private static double writesPerSecond(int batchSize, int concurrency) {
        FakeDynamoDb dynamo = new FakeDynamoDb().withLatency(CALL_LATENCY_MS);
        int records = batchSize == 1 ? RECORDS / 10 : RECORDS;
        List<WriteOperation> writes = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("k" + i));
            writes.add(WriteOperation.put("bench", key, Map.of("pk", key.get("pk"), "body", AttributeValue.fromS("x".repeat(1000))),
                    Records.record("bench", 0, i, "k" + i, null)));
        }
        try (BatchWriter writer = new BatchWriter(dynamo, new BatchPlanner(batchSize),
                new Backoff(Duration.ofMillis(10), Duration.ofMillis(100)), Duration.ofMinutes(1), concurrency,
                Clock.systemUTC(), Sleeper.THREAD, new SinkTaskMetrics())) {
            long start = System.nanoTime();
            writer.write(writes);
            return records / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static long offload(List<String> pages, Codec codec) {
        long stored = 0;
        for (String page : pages) {
            byte[] content = Formats.forName("text").serialize(page, null);
            Fingerprint.hex(content);
            stored += codec.compress(content).length;
        }
        return stored;
    }

    private static String html(long seed, int bytes) {
        Random random = new Random(seed);
        String[] words = {"kafka", "dynamo", "offload", "pointer", "stream", "crawler", "page", "item", "batch", "key"};
        StringBuilder out = new StringBuilder(bytes + 100).append("<html><body>");
        while (out.length() < bytes) {
            out.append("<p class=\"c").append(random.nextInt(50)).append("\">");
            for (int i = 0; i < 12; i++) {
                out.append(words[random.nextInt(words.length)]).append(' ');
            }
            out.append(random.nextInt(1_000_000)).append("</p>\n");
        }
        return out.append("</body></html>").toString();
    }
}
