package io.streamoffload.connect.dynamodb.it.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamoffload.connect.dynamodb.offload.store.GcMarks;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code config/iam-policy-offload-tool.json} under IAM enforcement: as a user holding exactly the policy,
 * {@code dynamodb-offload} verifies, exports hydrated, collects garbage (dry run, then marks and deletes an unnamed
 * object over two runs) and lists and writes out a parked dead letter, each exiting 0. For each statement, the command
 * that needs it, run as a user without it, exits 3 with one line naming the action, the resource and the statement.
 */
@ExtendWith(InJvmStackExtension.class)
class ToolPolicyIT extends IamPolicyTestBase {
    private static final List<String> STATEMENTS = List.of("ReadTablesForVerifyExportAndGc",
            "ListTheOffloadBucketForGc", "ReadObjectsForVerifyAndExportHydrate", "ListAndWriteOutParkedDeadLetters",
            "DeleteUnnamedObjectsOnlyWithGcDelete", "ReadGcMarksInEveryGcRun", "WriteAndRemoveGcMarksOnlyWithGcDelete");
    /**
     * gc's grace shortened for a test: at least 2 x dedupe TTL + retry budget + mark wait (2.3 s); a mark wait of 2 s
     * gives each batch of deletions 1 s from re-reading its marks, ample on loopback.
     */
    private static final String[] SHORT_GRACE = {"--grace", "3s", "--set", "offload.dedupe.ttl.ms=100", "--set",
            "retry.budget.ms=100", "--set", "offload.gc.mark.wait.ms=2000"};

    ToolPolicyIT(SinkTestStack stack) {
        super(stack);
    }

    @BeforeAll
    static void createUsers() {
        Map<String, String> policies = new LinkedHashMap<>(Map.of("offload", policy(OFFLOAD_POLICY)));
        policies.putAll(wholeAndWithoutEach("tool", TOOL_POLICY, STATEMENTS));
        startMoto(policies, 0, iam -> { });
    }

    private static String[] gc(Path config, String table, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("gc", "--config", config.toString(), "--table", table));
        args.addAll(List.of(SHORT_GRACE));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    /** An object no item names, under a key prefix of its own, put as the test's own user; returns its key. */
    private static String unnamedObject(S3Client s3) {
        String key = KEY_PREFIX + unique("unnamed") + "/object.bin";
        s3.putObject(p -> p.bucket(BUCKET).key(key), RequestBody.fromString("nobody names me"));
        return key;
    }

    /** A garbage collector's mark on {@code key}, placed an hour ago: ripe for deletion at the next --delete run. */
    private static void markedAnHourAgo(S3Client s3, String key) {
        s3.putObject(p -> p.bucket(BUCKET).key(GcMarks.markKey(key)).metadata(Map.of(GcMarks.MARKED_AT,
                Long.toString(Instant.now().minusSeconds(3600).toEpochMilli()))), RequestBody.empty());
    }

    private static void awaitOlderThanTheGrace(S3Client s3, String key) {
        await().atMost(TIMEOUT).until(() -> s3.headObject(h -> h.bucket(BUCKET).key(key)).lastModified()
                .isBefore(Instant.now().minusSeconds(4)));
    }

    @Test
    void theToolPolicyIsEnoughForEveryCommand(@TempDir Path dir) throws Exception {
        String topic = parkingRun("offload");
        Header parked = kafka.consume(topic + "-dlq", 1, TIMEOUT).get(0).headers()
                .lastHeader("dynamodb-offload.parked.value.uri");
        awaitItem(table(topic), pk("k1"));
        connect.deleteConnector(connectorName);
        connectorName = null;
        Path config = toolConfig(dir, "tool", topic);
        String table = table(topic);

        assertThat(tool("verify", "--config", config.toString(), "--table", table, "--json")).startsWith("0 ")
                .contains("\"ok\":true");
        assertThat(tool("export", "--config", config.toString(), "--table", table, "--hydrate", "--output",
                dir.resolve("export.jsonl").toString())).startsWith("0 ");
        assertThat(Files.readAllLines(dir.resolve("export.jsonl"))).hasSize(2)
                .anySatisfy(line -> assertThat(line).contains("\"body\":\"after\""));

        try (S3Client s3 = adminS3()) {
            String unnamed = unnamedObject(s3);
            awaitOlderThanTheGrace(s3, unnamed);
            assertThat(tool(gc(config, table))).startsWith("0 ").contains("dry run");
            assertThat(exists(s3, GcMarks.markKey(unnamed))).as("a dry run marks nothing").isFalse();
            assertThat(tool(gc(config, table, "--delete"))).startsWith("0 ");
            assertThat(exists(s3, GcMarks.markKey(unnamed))).as("marked by the first run").isTrue();
            awaitOlderThanTheGrace(s3, GcMarks.markKey(unnamed));
            assertThat(tool(gc(config, table, "--delete"))).startsWith("0 ").contains("deleted s3://" + BUCKET + "/" + unnamed);
            assertThat(exists(s3, unnamed)).as("deleted by the second run").isFalse();
            assertThat(exists(s3, GcMarks.markKey(unnamed))).as("its mark with it").isFalse();
        }
        assertThat(tool("verify", "--config", config.toString(), "--table", table)).as("named objects kept")
                .startsWith("0 ");

        assertThat(tool("dead-letters", "--config", config.toString())).startsWith("0 ").contains(topic + "/0/1");
        String uri = new String(parked.value(), StandardCharsets.UTF_8);
        Path out = dir.resolve("bad.json");
        assertThat(tool("dead-letters", "--config", config.toString(), "--write-out", uri, "--to", out.toString()))
                .startsWith("0 ");
        assertThat(Files.readString(out)).isEqualTo(OVERSIZED_BAD_VALUE);
    }

    @ParameterizedTest(name = "without {0}")
    @ValueSource(strings = {"ReadTablesForVerifyExportAndGc", "ListTheOffloadBucketForGc",
            "ReadObjectsForVerifyAndExportHydrate", "ListAndWriteOutParkedDeadLetters",
            "DeleteUnnamedObjectsOnlyWithGcDelete", "ReadGcMarksInEveryGcRun", "WriteAndRemoveGcMarksOnlyWithGcDelete"})
    void withoutAStatementTheToolExitsNamingTheActionAndTheStatement(String statement, @TempDir Path dir)
            throws Exception {
        // what the command reads first: parked dead letters, objects items name, or an empty table
        String topic = switch (statement) {
            case "ListAndWriteOutParkedDeadLetters" -> parkingRun("offload");
            case "ReadObjectsForVerifyAndExportHydrate" -> offloadRun("offload");
            default -> topicWithTable();
        };
        if (connectorName != null) {
            if (statement.equals("ListAndWriteOutParkedDeadLetters")) {
                assertThat(kafka.consume(topic + "-dlq", 1, TIMEOUT)).as("parked").hasSize(1);
            } else {
                objectKeys(topic);
            }
            connect.deleteConnector(connectorName);
            connectorName = null;
        }
        Path config = toolConfig(dir, statement, topic);
        String table = table(topic);
        String[] command;
        String expected;
        try (S3Client s3 = adminS3()) {
            String unnamed = unnamedObject(s3);
            String only = unnamed.substring(0, unnamed.lastIndexOf('/') + 1);
            switch (statement) {
                case "ReadTablesForVerifyExportAndGc" -> {
                    command = new String[] {"verify", "--config", config.toString(), "--table", table};
                    expected = "Grant dynamodb:DescribeTable";
                }
                case "ListTheOffloadBucketForGc" -> {
                    command = gc(config, table);
                    expected = "Grant s3:ListBucket on arn:aws:s3:::" + BUCKET + ":";
                }
                case "ReadObjectsForVerifyAndExportHydrate" -> {
                    command = new String[] {"verify", "--config", config.toString(), "--table", table};
                    expected = "Grant s3:GetObject on arn:aws:s3:::" + BUCKET + "/" + KEY_PREFIX;
                }
                case "ListAndWriteOutParkedDeadLetters" -> {
                    command = new String[] {"dead-letters", "--config", config.toString()};
                    expected = "Grant s3:GetObject on arn:aws:s3:::" + BUCKET + "/" + PARKED;
                }
                case "DeleteUnnamedObjectsOnlyWithGcDelete" -> {
                    markedAnHourAgo(s3, unnamed);
                    command = gc(config, table, "--delete", "--prefix", only);
                    expected = "Grant s3:DeleteObject on arn:aws:s3:::" + BUCKET + "/" + unnamed;
                }
                case "ReadGcMarksInEveryGcRun" -> {
                    markedAnHourAgo(s3, unnamed);
                    command = gc(config, table, "--prefix", only);
                    expected = "Grant s3:GetObject on arn:aws:s3:::" + BUCKET + "/" + GcMarks.markKey(unnamed);
                }
                default -> {
                    awaitOlderThanTheGrace(s3, unnamed);
                    command = gc(config, table, "--delete", "--prefix", only);
                    expected = "Grant s3:PutObject on arn:aws:s3:::" + BUCKET + "/" + GcMarks.markKey(unnamed);
                }
            }
        }
        String printed = tool(command);
        assertThat(printed).startsWith("3 ");
        assertThat(grantLine("tool without " + statement, printed)).contains(expected)
                .contains("statement '" + statement + "' of config/iam-policy-offload-tool.json");
        assertThat(printed).as("one message, no stack trace").doesNotContain("\tat ");
    }
}
