package io.streamoffload.connect.dynamodb.bench;

import static io.streamoffload.connect.dynamodb.testutil.ConfigBuilder.config;

import io.streamoffload.connect.dynamodb.mapping.RecordMapper;
import io.streamoffload.connect.dynamodb.testutil.Records;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.connect.json.JsonConverter;

/**
 * CPU per record of the two ways a JSON record value becomes an item, on one thread, for the benchmark's small
 * records: with JsonConverter, the worker builds a Connect map that the connector then maps; with StringConverter, the
 * connector parses the string into a Jackson tree and maps that. Rounds alternate between the two, so that the
 * machine's noise falls on both alike; the figure is the median round. Run: {@code mvn -q test-compile exec:java
 * -Dexec.mainClass=io.streamoffload.connect.dynamodb.bench.JsonPathBenchmark}.
 */
public final class JsonPathBenchmark {
    private static final int RECORDS = 20_000;
    private static final int ROUNDS = 15;

    private JsonPathBenchmark() {
    }

    public static void main(String[] args) {
        RecordMapper mapper = new RecordMapper(config().build(), Clock.systemUTC());
        JsonConverter json = new JsonConverter();
        json.configure(Map.of("schemas.enable", "false", "converter.type", "value"), false);
        List<byte[]> bytes = new ArrayList<>(RECORDS);
        List<String> strings = new ArrayList<>(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            bytes.add(Workload.SMALL.value(i, RECORDS));
            strings.add(new String(bytes.get(i), StandardCharsets.UTF_8));
        }
        Map<String, Consumer<Integer>> paths = new java.util.LinkedHashMap<>();
        paths.put("JsonConverter, then mapping", i -> mapper.map(Records.record("tbl", 0, i, "k" + i,
                json.toConnectData("tbl", bytes.get(i)).value())));
        paths.put("StringConverter, then mapping", i -> mapper.map(Records.record("tbl", 0, i, "k" + i,
                strings.get(i))));
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        Map<String, List<Double>> micros = new java.util.LinkedHashMap<>();
        for (int round = 0; round < ROUNDS + 3; round++) {
            for (Map.Entry<String, Consumer<Integer>> path : paths.entrySet()) {
                long start = cpu.getCurrentThreadCpuTime();
                for (int i = 0; i < RECORDS; i++) {
                    path.getValue().accept(i);
                }
                if (round >= 3) { // three rounds of warm-up
                    micros.computeIfAbsent(path.getKey(), k -> new ArrayList<>())
                            .add((cpu.getCurrentThreadCpuTime() - start) / 1e3 / RECORDS);
                }
            }
        }
        double converter = median(micros.get("JsonConverter, then mapping"));
        micros.forEach((path, values) -> System.out.printf(Locale.ROOT, "%-34s %6.2f us CPU per record (%.2fx)%n",
                path, median(values), median(values) / converter));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
