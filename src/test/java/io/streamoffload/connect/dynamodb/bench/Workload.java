package io.streamoffload.connect.dynamodb.bench;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The benchmark's records, the same bytes in every process for the same index: each process generates them instead of
 * shipping them around, so that only the system under test touches them while it is measured.
 */
public enum Workload {
    /** About 1 KB of JSON: a few scalars, a list and a sentence of text. */
    SMALL(20_000, "small"),
    /** The same records read with StringConverter: the connector parses the JSON itself, straight to attributes. */
    SMALL_STRING(20_000, "small-string"),
    /** A crawled page: URL, status and 100-500 KB of HTML, offloaded above the 64 KB threshold. */
    HTML(600, "html"),
    /** Like HTML, with the second half of the records repeating the pages of the first. */
    HTML_REPEATED(600, "html-repeated"),
    /** A 2 MB binary field (bytes in a JSON record with schemas), incompressible. */
    BINARY(50, "binary-2mb"),
    /** 95% small, 4.5% HTML, 0.5% 2 MB binary, as records with schemas. */
    MIX(4_000, "mix"),
    /** The small records as Debezium change events ('after' the record, the LSN growing): for the write modes only. */
    SMALL_DEBEZIUM(20_000, "small-debezium");

    private static final String[] WORDS = ("the quick brown fox jumps over lazy dog lorem ipsum dolor sit amet "
            + "consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua enim ad "
            + "minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo consequat").split(" ");

    public final int defaultRecords;
    public final String label;

    Workload(int defaultRecords, String label) {
        this.defaultRecords = defaultRecords;
        this.label = label;
    }

    public static Workload of(String label) {
        for (Workload w : values()) {
            if (w.label.equals(label)) {
                return w;
            }
        }
        throw new IllegalArgumentException("no workload " + label);
    }

    public byte[] key(int i) {
        return ("k" + i).getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether the JSON carries a Connect schema envelope (needed for a bytes field). */
    public boolean withSchemas() {
        return this == BINARY || this == MIX;
    }

    /** Whether the worker hands the values over as strings (StringConverter) rather than as Connect data. */
    public boolean stringValues() {
        return this == SMALL_STRING;
    }

    /** The value converter settings that read {@link #value}. */
    public Map<String, String> converterConfig() {
        return stringValues() ? Map.of("value.converter", "org.apache.kafka.connect.storage.StringConverter")
                : Map.of("value.converter", "org.apache.kafka.connect.json.JsonConverter",
                        "value.converter.schemas.enable", Boolean.toString(withSchemas()));
    }

    /** Connector settings on top of the connection: offload on, fields of 64 KB or more go to S3. */
    public Map<String, String> offloadConfig() {
        return Map.of("offload.threshold.bytes", Integer.toString(64 * 1024));
    }

    /** Record {@code i} of a run of {@code records}. */
    public byte[] value(int i, int records) {
        return switch (this) {
            case SMALL, SMALL_STRING -> small(i).getBytes(StandardCharsets.UTF_8);
            case HTML -> html(i, i).getBytes(StandardCharsets.UTF_8);
            case HTML_REPEATED -> html(i, i % Math.max(1, records / 2)).getBytes(StandardCharsets.UTF_8);
            case BINARY -> binary(i).getBytes(StandardCharsets.US_ASCII);
            case MIX -> mix(i).getBytes(StandardCharsets.UTF_8);
            case SMALL_DEBEZIUM -> ("{\"op\":\"u\",\"before\":null,\"after\":" + small(i)
                    + ",\"source\":{\"connector\":\"postgresql\",\"lsn\":" + (1000 + i) + "},\"ts_ms\":" + i + "}")
                    .getBytes(StandardCharsets.UTF_8);
        };
    }

    private static String small(int i) {
        SplittableRandom random = new SplittableRandom(i);
        StringBuilder text = words(random, 110);
        return "{\"id\":" + i + ",\"name\":\"user-" + i + "\",\"active\":" + (i % 2 == 0) + ",\"price\":"
                + random.nextInt(100_000) / 100.0 + ",\"tags\":[\"a" + random.nextInt(10) + "\",\"b"
                + random.nextInt(10) + "\",\"c" + random.nextInt(10) + "\"],\"address\":{\"city\":\"city-"
                + random.nextInt(1000) + "\",\"zip\":\"" + (10_000 + random.nextInt(89_999)) + "\"},\"text\":\""
                + text + "\"}";
    }

    /** Page {@code page}'s HTML (100-500 KB), in the record of index {@code i}. */
    private static String html(int i, int page) {
        SplittableRandom random = new SplittableRandom(1_000_003L * page);
        int size = 100 * 1024 + random.nextInt(400 * 1024);
        StringBuilder html = new StringBuilder(size + 200).append("<html><head><title>page ").append(page)
                .append("</title></head><body>");
        while (html.length() < size) {
            html.append("<p class=\\\"c").append(random.nextInt(20)).append("\\\">");
            html.append(words(random, 40)).append("</p>");
        }
        html.append("</body></html>");
        return "{\"url\":\"https://example.com/page/" + page + "\",\"status\":200,\"fetched\":" + i
                + ",\"html\":\"" + html + "\"}";
    }

    private static final String BINARY_SCHEMA = "{\"type\":\"struct\",\"fields\":[{\"field\":\"id\",\"type\":\"int32\"},"
            + "{\"field\":\"name\",\"type\":\"string\"},{\"field\":\"blob\",\"type\":\"bytes\"}]}";

    private static String binary(int i) {
        byte[] blob = new byte[2 * 1024 * 1024];
        new SplittableRandom(7_000_001L * i).nextBytes(blob);
        return "{\"schema\":" + BINARY_SCHEMA + ",\"payload\":{\"id\":" + i + ",\"name\":\"blob-" + i + "\",\"blob\":\""
                + Base64.getEncoder().encodeToString(blob) + "\"}}";
    }

    private static final String MIX_SCHEMA = "{\"type\":\"struct\",\"fields\":[{\"field\":\"id\",\"type\":\"int32\"},"
            + "{\"field\":\"text\",\"type\":\"string\"},{\"field\":\"blob\",\"type\":\"bytes\",\"optional\":true}]}";

    private static String mix(int i) {
        SplittableRandom random = new SplittableRandom(31L * i);
        int kind = random.nextInt(1000);
        String text;
        String blob = "null";
        if (kind < 5) {
            byte[] bytes = new byte[2 * 1024 * 1024];
            random.nextBytes(bytes);
            blob = "\"" + Base64.getEncoder().encodeToString(bytes) + "\"";
            text = "binary";
        } else if (kind < 50) {
            String page = html(i, i);
            text = page.substring(page.indexOf("\"html\":\"") + 8, page.length() - 2);
        } else {
            text = words(random, 140).toString();
        }
        return "{\"schema\":" + MIX_SCHEMA + ",\"payload\":{\"id\":" + i + ",\"text\":\"" + text + "\",\"blob\":" + blob
                + "}}";
    }

    private static StringBuilder words(SplittableRandom random, int n) {
        StringBuilder text = new StringBuilder(n * 7);
        for (int w = 0; w < n; w++) {
            text.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text;
    }
}
