package io.streamoffload.connect.dynamodb.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamoffload.connect.dynamodb.it.fault.IamPolicy;
import io.streamoffload.connect.dynamodb.it.stack.FaultProxy.AwsError;
import io.streamoffload.connect.dynamodb.it.stack.FaultProxy;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import io.streamoffload.connect.dynamodb.it.stack.Tables;
import io.streamoffload.connect.dynamodb.offload.Pointer;
import io.streamoffload.connect.dynamodb.offload.store.GcMarks;
import io.streamoffload.connect.dynamodb.read.OffloadedItemReader;
import io.streamoffload.connect.dynamodb.tool.OffloadTool;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@code dynamodb-offload verify} and {@code export} against dynalite and s3proxy, on items the connector mapped. */
@ExtendWith(InJvmStackExtension.class)
class LifecycleToolIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger UNIQUE = new AtomicInteger();
    private final SinkTestStack stack;
    @TempDir
    Path dir;

    LifecycleToolIT(SinkTestStack stack) {
        this.stack = stack;
    }

    private record Result(int exit, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out.isBlank() ? err : out);
            } catch (IOException e) {
                throw new AssertionError("not a JSON summary (exit " + exit + "): " + out + err, e);
            }
        }
    }

    private static Result tool(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = OffloadTool.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(exit, out.toString(), err.toString());
    }

    private Path tableWithPages(String table, String bucket, String pointerFormat, String codec, int pages) throws Exception {
        return OffloadedPages.write(stack, dir, table, bucket, pointerFormat, codec, pages);
    }

    private static String name(String prefix) {
        return prefix + "-" + UNIQUE.incrementAndGet() + "-" + System.nanoTime() % 100_000;
    }

    @Test
    void verifyPassesOnWhatTheConnectorWrote() throws Exception {
        String table = name("verified");
        Path config = tableWithPages(table, table, "map", "zstd", 6);

        Result result = tool("verify", "--config", config.toString(), "--table", table, "--json");

        assertThat(result.exit()).as(result.err()).isZero();
        JsonNode summary = result.json();
        assertThat(summary.get("items").asLong()).isEqualTo(6);
        assertThat(summary.get("pointers").asLong()).isEqualTo(24);
        assertThat(summary.get("ok").asBoolean()).isTrue();
        assertThat(tool("verify", "--config", config.toString(), "--table", table).out())
                .contains(table + ": 6 items, 24 pointers").contains("all pointers verify");
    }

    /** The tool has no retry loop of its own: the SDK's rides out throttled scans, S3 slow-downs and dropped links. */
    @Test
    void verifyRidesOutThrottlingServerErrorsAndDroppedConnections() throws Exception {
        String table = name("flaky");
        Path config = tableWithPages(table, table, "map", "zstd", 6);
        // every scan page and every object refused the first time it is asked for, and served when asked again: which
        // attempt fails does not depend on how the tool's parallel calls interleave
        Set<String> scanned = ConcurrentHashMap.newKeySet();
        Set<String> fetched = ConcurrentHashMap.newKeySet();
        AtomicInteger objects = new AtomicInteger();
        try (FaultProxy dynamoDbProxy = new FaultProxy(stack.dynamoDbEndpoint(), FaultProxy.Service.DYNAMODB);
             FaultProxy s3Proxy = new FaultProxy(stack.s3Endpoint(), FaultProxy.Service.S3)) {
            dynamoDbProxy.script(request -> request.operation().equals("Scan") && scanned.add(request.bodyText())
                    ? FaultProxy.Fault.error(AwsError.provisionedThroughputExceeded()) : FaultProxy.Fault.FORWARD);
            s3Proxy.script(request -> !fetched.add(request.method() + " " + request.target()) ? FaultProxy.Fault.FORWARD
                    : objects.incrementAndGet() % 2 == 0 ? FaultProxy.Fault.error(AwsError.slowDown())
                    : FaultProxy.Fault.reset());

            Result result = tool("verify", "--config", config.toString(), "--table", table, "--json",
                    "--dynamodb-endpoint", dynamoDbProxy.uri().toString(), "--s3-endpoint", s3Proxy.uri().toString());

            assertThat(result.exit()).as(result.out() + result.err()).isZero();
            assertThat(result.json().get("pointers").asLong()).isEqualTo(24);
            assertThat(dynamoDbProxy.count("Scan", AwsError.provisionedThroughputExceeded().code())).isPositive();
            assertThat(s3Proxy.count("GetObject", AwsError.slowDown().code())).isPositive();
            assertThat(s3Proxy.count("GetObject", "reset")).isPositive();
        }
    }

    @Test
    void verifyReportsTamperedDeletedAndBucketlessPointersByItemKey() throws Exception {
        String table = name("broken");
        Path config = tableWithPages(table, table, "map", "gzip", 4);
        try (S3Client s3 = stack.newS3Client(); DynamoDbClient dynamoDb = stack.newDynamoDbClient()) {
            Map<String, AttributeValue> one = item(dynamoDb, table, "url-1");
            Map<String, AttributeValue> two = item(dynamoDb, table, "url-2");
            String tampered = one.get("text").m().get("uri").s().substring(("s3://" + table + "/").length());
            String deleted = two.get("doc").m().get("uri").s().substring(("s3://" + table + "/").length());
            // same length as url-1's text, other content: only the SHA-256 can tell
            s3.putObject(p -> p.bucket(table).key(tampered), RequestBody.fromBytes(
                    io.streamoffload.connect.dynamodb.offload.codec.Codec.GZIP.compress("héllo wörld 9 ".getBytes(StandardCharsets.UTF_8))));
            s3.deleteObject(d -> d.bucket(table).key(deleted));
            // item url-3's blob names a bucket that does not exist
            Map<String, AttributeValue> three = new LinkedHashMap<>(item(dynamoDb, table, "url-3"));
            Map<String, AttributeValue> blob = new LinkedHashMap<>(three.get("blob").m());
            blob.put("uri", AttributeValue.fromS(blob.get("uri").s().replace("s3://" + table + "/", "s3://no-such-bucket-x/")));
            three.put("blob", AttributeValue.fromM(blob));
            dynamoDb.putItem(p -> p.tableName(table).item(three));
        }

        Result result = tool("verify", "--config", config.toString(), "--table", table);

        assertThat(result.exit()).as(result.err()).isEqualTo(1);
        assertThat(result.out())
                .containsPattern("MISMATCHED +pk=url-1  text  s3://" + table + "/\\S+: .*failed its checksum")
                .containsPattern("DANGLING +pk=url-2  doc  s3://" + table + "/\\S+: no such object")
                .containsPattern("DANGLING +pk=url-3  blob  s3://no-such-bucket-x/\\S+: .*(bucket|Bucket)")
                .contains("2 dangling, 1 mismatched, 0 unreadable");
        JsonNode json = tool("verify", "--config", config.toString(), "--table", table, "--json").json();
        assertThat(json.get("problemCounts").get("DANGLING").asLong()).isEqualTo(2);
        assertThat(json.get("ok").asBoolean()).isFalse();
    }

    private static Map<String, AttributeValue> item(DynamoDbClient dynamoDb, String table, String pk) {
        return dynamoDb.getItem(g -> g.tableName(table).key(Map.of("pk", AttributeValue.fromS(pk)))).item();
    }

    @ParameterizedTest
    @ValueSource(strings = {"map", "s3-uri"})
    void exportHydratesEveryFormatBackToTheRecordsValues(String pointerFormat) throws Exception {
        String table = name("export-" + pointerFormat);
        Path config = tableWithPages(table, table, pointerFormat, "gzip", 3);
        Path out = dir.resolve(table + ".jsonl");

        Result result = tool("export", "--config", config.toString(), "--table", table, "--hydrate",
                "--output", out.toString());

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.err()).contains("3 items exported as jsonl (hydrated)");
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(3);
        for (String line : lines) {
            JsonNode item = JSON.readTree(line);
            int i = Integer.parseInt(item.get("pk").asText().substring(4));
            assertThat(item.get("title").asText()).isEqualTo("Page " + i + ", \"quoted\"\nsecond line");
            assertThat(item.get("text").asText()).isEqualTo("héllo wörld " + i + " ".repeat(i % 3));
            assertThat(Base64.getDecoder().decode(item.get("blob").asText())).containsExactly(0, 1, i, 255);
            assertThat(item.get("doc").get("n").asDouble()).isEqualTo(i);
            assertThat(item.get("doc").get("half").asDouble()).isEqualTo(0.5);
            JsonNode meta = item.get("meta");
            assertThat(meta.get("tags").toString()).isEqualTo("[\"a,b\",\"c\\\"d\"]");
        }

        List<String> plain = Files.readAllLines(exportTo(config, table, "jsonl"), StandardCharsets.UTF_8);
        JsonNode first = JSON.readTree(plain.get(0));
        assertThat(first.get("text").asText()).startsWith("s3://" + table + "/");
    }

    private Path exportTo(Path config, String table, String format, String... more) {
        Path out = dir.resolve(table + "-" + UNIQUE.incrementAndGet() + "." + format);
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("export", "--config", config.toString(),
                "--table", table, "--format", format, "--output", out.toString()), java.util.stream.Stream.of(more))
                .toArray(String[]::new);
        Result result = tool(args);
        assertThat(result.exit()).as(result.err()).isZero();
        return out;
    }

    @Test
    void csvOpensInPythonsCsvModuleToTheSameValues() throws Exception {
        String table = name("csv");
        Path config = tableWithPages(table, table, "map", "zstd", 3);
        Path csv = exportTo(config, table, "csv", "--hydrate");
        Path jsonl = exportTo(config, table, "jsonl", "--hydrate");

        Path script = dir.resolve("csv_to_json.py");
        Files.writeString(script, "import csv, json, sys\n"
                + "with open(sys.argv[1], newline='', encoding='utf-8') as f:\n"
                + "    print(json.dumps(list(csv.DictReader(f))))\n");
        Process python = new ProcessBuilder("python3", script.toString(), csv.toString()).redirectErrorStream(true).start();
        String parsed = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor()).as(parsed).isZero();

        JsonNode rows = JSON.readTree(parsed);
        assertThat(rows).hasSize(3);
        Map<String, JsonNode> byKey = new LinkedHashMap<>();
        for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
            JsonNode item = JSON.readTree(line);
            byKey.put(item.get("pk").asText(), item);
        }
        for (JsonNode row : rows) {
            JsonNode item = byKey.get(row.get("pk").asText());
            assertThat(row.get("title").asText()).isEqualTo(item.get("title").asText());
            assertThat(row.get("text").asText()).isEqualTo(item.get("text").asText());
            assertThat(row.get("blob").asText()).isEqualTo(item.get("blob").asText());
            assertThat(JSON.readTree(row.get("doc").asText())).isEqualTo(item.get("doc"));
            assertThat(JSON.readTree(row.get("meta").asText())).isEqualTo(item.get("meta"));
        }
    }

    @Test
    void exportOfOneKeyReadsThatItemOnly() throws Exception {
        String table = name("one-key");
        Path config = tableWithPages(table, table, "map", "zstd", 3);

        Result found = tool("export", "--config", config.toString(), "--table", table, "--key", "pk=url-2", "--hydrate");
        Result missing = tool("export", "--config", config.toString(), "--table", table, "--key", "pk=url-9");

        assertThat(found.exit()).as(found.err()).isZero();
        assertThat(found.out().lines()).hasSize(1);
        assertThat(JSON.readTree(found.out()).get("text").asText()).isEqualTo("héllo wörld 2  ");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("no item with key pk=url-9");
    }

    @Test
    void badArgumentsGetAClearMessageAndExitCode() throws Exception {
        String table = name("args");
        Path config = tableWithPages(table, table, "map", "zstd", 1);

        assertThat(tool()).satisfies(r -> assertThat(r.exit()).isEqualTo(2))
                .satisfies(r -> assertThat(r.err()).contains("name a command: verify, export, gc or dead-letters"));
        assertThat(tool("verify", "--config", config.toString())).satisfies(r -> assertThat(r.exit()).isEqualTo(2))
                .satisfies(r -> assertThat(r.err()).contains("Missing required option: '--table=<table>'"));
        assertThat(tool("export", "--config", config.toString(), "--table", table, "--format", "xml"))
                .satisfies(r -> assertThat(r.exit()).isEqualTo(2))
                .satisfies(r -> assertThat(r.err()).contains("--format is jsonl or csv, not 'xml'"));
        assertThat(tool("export", "--config", config.toString(), "--table", table, "--key", "id=1"))
                .satisfies(r -> assertThat(r.exit()).isEqualTo(2))
                .satisfies(r -> assertThat(r.err()).contains("--key: the key must name exactly the key attributes of " + table + ": [pk]"));
        assertThat(tool("verify", "--config", config.toString(), "--table", table, "--segments", "0"))
                .satisfies(r -> assertThat(r.exit()).isEqualTo(2))
                .satisfies(r -> assertThat(r.err()).contains("--segments must be between 1 and 1000"));
        assertThat(tool("verify", "--config", dir.resolve("missing.json").toString(), "--table", table))
                .satisfies(r -> assertThat(r.exit()).isEqualTo(2))
                .satisfies(r -> assertThat(r.err()).contains("missing.json").contains("no such readable file"));
        assertThat(tool("verify", "--config", config.toString(), "--set", "offload.codec=lz4", "--table", table))
                .satisfies(r -> assertThat(r.exit()).isEqualTo(2))
                .satisfies(r -> assertThat(r.err()).contains("bad connector setting").contains("offload.codec"));
        assertThat(tool("verify", "--config", config.toString(), "--table", "no_such_table"))
                .satisfies(r -> assertThat(r.exit()).isEqualTo(3))
                .satisfies(r -> assertThat(r.err()).contains("ResourceNotFoundException"));
        String secret = stack.connectionConfig().get("aws.secret.access.key");
        assertThat(tool("verify", "--config", config.toString(), "--table", "no_such_table").err()).doesNotContain(secret);
    }

    /**
     * One item deleted (its four objects unnamed), another deleted but copied to a second table first (its objects
     * still named there): a grace after the uploads, gc marks the unnamed four; a grace after that it deletes them.
     * Dry runs in between report the same and change nothing.
     */
    @Test
    void gcMarksUnnamedObjectsDeletesThemAGraceLaterAndDryRunsChangeNothing() throws Exception {
        String table = name("gc");
        String copy = table + "-copy";
        Path config = tableWithPages(table, table, "map", "zstd", 3);
        // the tool's calls go through proxies that record them, for the IAM policy check at the end
        try (S3Client s3 = stack.newS3Client(); DynamoDbClient dynamoDb = stack.newDynamoDbClient();
             FaultProxy dynamoDbProxy = new FaultProxy(stack.dynamoDbEndpoint(), FaultProxy.Service.DYNAMODB);
             FaultProxy s3Proxy = new FaultProxy(stack.s3Endpoint(), FaultProxy.Service.S3)) {
            Tables.createKeyedByString(dynamoDb, copy, "pk");
            Map<String, AttributeValue> one = item(dynamoDb, table, "url-1");
            dynamoDb.putItem(p -> p.tableName(copy).item(one));
            Set<String> unnamed = OffloadedItemReader.pointers(item(dynamoDb, table, "url-0")).stream()
                    .map(Pointer::key).collect(Collectors.toSet());
            for (String pk : List.of("url-0", "url-1")) {
                dynamoDb.deleteItem(d -> d.tableName(table).key(Map.of("pk", AttributeValue.fromS(pk))));
            }

            String[] gc = {"gc", "--config", config.toString(), "--table", table + "," + copy, "--grace", "4s",
                    "--set", "offload.dedupe.ttl.ms=100", "--set", "offload.gc.mark.wait.ms=3000",
                    "--set", "retry.budget.ms=500", "--json", "--dynamodb-endpoint", dynamoDbProxy.uri().toString(),
                    "--s3-endpoint", s3Proxy.uri().toString()};
            String[] delete = Stream.concat(Arrays.stream(gc), Stream.of("--delete")).toArray(String[]::new);
            Set<String> atStart = keys(s3, table);
            assertThat(unnamed).hasSize(4);

            // a grace after the uploads: a dry run would mark the four, and changes nothing
            await().atMost(Duration.ofSeconds(20)).until(() -> tool(gc).json().get("toMark").asLong() == 4);
            Result dryRun = tool(gc);
            assertThat(dryRun.exit()).as(dryRun.err()).isZero();
            assertThat(dryRun.json().get("dryRun").asBoolean()).isTrue();
            assertThat(dryRun.json().get("toDelete").asLong()).isZero();
            assertThat(dryRun.json().get("referencedObjects").asLong()).isEqualTo(8);
            assertThat(keys(s3, table)).isEqualTo(atStart);

            JsonNode marking = tool(delete).json();
            assertThat(marking.get("toMark").asLong()).isEqualTo(4);
            assertThat(marking.get("toDelete").asLong()).isZero();
            Set<String> marked = keys(s3, table);
            assertThat(marked).hasSize(atStart.size() + 4).containsAll(atStart);

            // a grace after marking: a dry run would delete exactly the four, and changes nothing
            await().atMost(Duration.ofSeconds(20)).until(() -> tool(gc).json().get("toDelete").asLong() == 4);
            assertThat(tool(gc).json().get("deletedKeys")).extracting(JsonNode::asText)
                    .containsExactlyInAnyOrderElementsOf(unnamed);
            assertThat(keys(s3, table)).isEqualTo(marked);
            String[] human = Arrays.stream(gc).filter(a -> !a.equals("--json")).toArray(String[]::new);
            assertThat(tool(human).out()).contains("would delete 4 objects").contains("(dry run: nothing changed");

            Result deleting = tool(delete);
            assertThat(deleting.json().get("toDelete").asLong()).as(deleting.out()).isEqualTo(4);
            assertThat(keys(s3, table)).isEqualTo(atStart.stream().filter(k -> !unnamed.contains(k))
                    .collect(Collectors.toSet()));
            assertThat(tool(delete).json().get("toDelete").asLong()).isZero();

            for (String t : List.of(table, copy)) {
                Result verify = tool("verify", "--config", config.toString(), "--table", t, "--dynamodb-endpoint",
                        dynamoDbProxy.uri().toString(), "--s3-endpoint", s3Proxy.uri().toString());
                assertThat(verify.exit()).as(verify.out()).isZero();
            }
            Set<String> allowed = IamPolicy.actions(IamPolicy.OFFLOAD_TOOL);
            assertThat(s3Proxy.operations()).contains("DeleteObjects", "PutObject", "ListObjectsV2");
            dynamoDbProxy.operations().forEach(op -> assertThat(allowed).as("the tool's IAM policy in config/ allows "
                    + "what it calls").contains(IamPolicy.actionFor("dynamodb", op)));
            s3Proxy.operations().forEach(op -> assertThat(allowed).as("the tool's IAM policy in config/ allows what it "
                    + "calls").contains(IamPolicy.actionFor("s3", op)));
        }
    }

    /**
     * Between a run's listing of the marks and its sweep, a connector removes one mark (it reuses that object) and
     * another mark is renewed: neither object may be deleted, the others are.
     */
    @Test
    void gcDeletesNothingWhoseMarkWasRemovedOrRenewedDuringTheRun() throws Exception {
        String table = name("gc-marks");
        Path config = tableWithPages(table, table, "map", "zstd", 2);
        try (S3Client s3 = stack.newS3Client(); DynamoDbClient dynamoDb = stack.newDynamoDbClient();
             FaultProxy s3Proxy = new FaultProxy(stack.s3Endpoint(), FaultProxy.Service.S3)) {
            String reused = OffloadedItemReader.pointers(item(dynamoDb, table, "url-0")).get(0).key();
            String renewed = OffloadedItemReader.pointers(item(dynamoDb, table, "url-1")).get(0).key();
            for (String pk : List.of("url-0", "url-1")) {
                dynamoDb.deleteItem(d -> d.tableName(table).key(Map.of("pk", AttributeValue.fromS(pk))));
            }
            String[] gc = {"gc", "--config", config.toString(), "--table", table, "--grace", "4s",
                    "--set", "offload.dedupe.ttl.ms=100", "--set", "offload.gc.mark.wait.ms=3000",
                    "--set", "retry.budget.ms=500", "--json", "--s3-endpoint", s3Proxy.uri().toString()};
            String[] delete = Stream.concat(Arrays.stream(gc), Stream.of("--delete")).toArray(String[]::new);
            await().atMost(Duration.ofSeconds(20)).until(() -> tool(delete).json().get("toMark").asLong() == 8);
            await().atMost(Duration.ofSeconds(20)).until(() -> tool(gc).json().get("toDelete").asLong() == 8);

            // the second HEAD of a mark in a run is the sweep's re-read: just before it, the mark changes
            Map<String, AtomicInteger> heads = new java.util.concurrent.ConcurrentHashMap<>();
            s3Proxy.script(request -> {
                for (String key : List.of(reused, renewed)) {
                    if (request.method().equals("HEAD") && request.target().contains(GcMarks.markKey(key))
                            && heads.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() == 2) {
                        if (key.equals(reused)) {
                            s3.deleteObject(d -> d.bucket(table).key(GcMarks.markKey(key)));
                        } else {
                            s3.putObject(put -> put.bucket(table).key(GcMarks.markKey(key)).metadata(
                                    Map.of(GcMarks.MARKED_AT, Long.toString(System.currentTimeMillis()))),
                                    RequestBody.empty());
                        }
                    }
                }
                return FaultProxy.Fault.FORWARD;
            });
            Result sweep = tool(delete);

            assertThat(sweep.json().get("toDelete").asLong()).as(sweep.out()).isEqualTo(6);
            assertThat(heads).containsOnlyKeys(reused, renewed);
            assertThat(keys(s3, table)).contains(reused, renewed, GcMarks.markKey(renewed))
                    .filteredOn(key -> !GcMarks.isMark(key)).hasSize(2);
        }
    }

    /** Every key in the bucket, garbage-collection marks included. */
    private static Set<String> keys(S3Client s3, String bucket) {
        return s3.listObjectsV2Paginator(l -> l.bucket(bucket)).contents().stream().map(S3Object::key)
                .collect(Collectors.toSet());
    }

    @Test
    void gcRejectsBadArgumentsWithAClearMessage() throws Exception {
        String table = name("gc-args");
        Path config = tableWithPages(table, table, "map", "zstd", 1);
        Path noOffload = dir.resolve("plain.json");
        Map<String, String> plain = new LinkedHashMap<>(stack.connectionConfig());
        plain.put("table.name.format", "${topic}");
        Files.writeString(noOffload, JSON.writeValueAsString(plain));

        assertThat(tool("gc", "--config", config.toString(), "--table", table, "--grace", "soon"))
                .satisfies(r -> assertThat(r.exit()).isEqualTo(2))
                .satisfies(r -> assertThat(r.err()).contains("--grace takes a duration like 30s, 10m, 24h, 7d or PT10M, not 'soon'"));
        assertThat(tool("gc", "--config", config.toString(), "--table", table, "--grace", "1h"))
                .satisfies(r -> assertThat(r.exit()).isEqualTo(2))
                .satisfies(r -> assertThat(r.err()).contains("--grace 1h is shorter than this connector allows (7260000 ms"));
        assertThat(tool("gc", "--config", noOffload.toString(), "--table", table))
                .satisfies(r -> assertThat(r.exit()).isEqualTo(2))
                .satisfies(r -> assertThat(r.err()).contains("no offload.s3.bucket: there is nothing to collect"));
        assertThat(tool("gc", "--config", config.toString()))
                .satisfies(r -> assertThat(r.exit()).isEqualTo(2))
                .satisfies(r -> assertThat(r.err()).contains("Missing required option: '--table=TABLE'"));
        assertThat(tool("gc", "--config", dir.resolve("missing.json").toString(), "--table", table))
                .satisfies(r -> assertThat(r.exit()).isEqualTo(2))
                .satisfies(r -> assertThat(r.err()).contains("missing.json: no such readable file"));
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"config\": {\"aws.region\": }");
        assertThat(tool("gc", "--config", broken.toString(), "--table", table))
                .satisfies(r -> assertThat(r.exit()).isEqualTo(2))
                .satisfies(r -> assertThat(r.err()).contains("broken.json is not valid JSON (line 1, column"));
        assertThat(tool("gc", "--help").out()).contains("--grace=DURATION").contains("--delete");
    }
}
