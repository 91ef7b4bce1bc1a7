package io.streamoffload.connect.dynamodb.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.Moto;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import io.streamoffload.connect.dynamodb.offload.Pointer;
import io.streamoffload.connect.dynamodb.offload.store.GcMarks;
import io.streamoffload.connect.dynamodb.tool.OffloadTool;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Properties;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code config/iam-policy-sink.json}, as shipped, against a moto that enforces IAM (a moto of its own, started for
 * these scenarios): a user holding exactly the policy, its placeholders filled in as docs/security.md says, runs the
 * connector in a real Connect worker in each mode the policy covers; and for every statement, a user holding the
 * policy without it runs the scenario that needs it, and the task fails at once with a message naming the action and
 * the statement that grants it. moto matches DynamoDB resources only as "*", so the DynamoDB statements' resources
 * become "*" here: what the table ARNs restrict rests on AWS's documentation alone.
 */
@ExtendWith(InJvmStackExtension.class)
class IamPolicyIT extends ConnectorTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SINK_POLICY = Path.of("config", "iam-policy-sink.json");
    private static final Path OFFLOAD_POLICY = Path.of("config", "iam-policy-sink-offload.json");
    private static final Path TOOL_POLICY = Path.of("config", "iam-policy-offload-tool.json");
    /** The offload bucket (BUCKET in the policy) and the fixed start of the default key template (KEY_PREFIX). */
    private static final String BUCKET = "iam-offload";
    private static final String KEY_PREFIX = "offload/";
    private static final String ACCOUNT = "123456789012";
    /** The tables' names start with it: TABLE_NAME_OR_PREFIX in the policy. */
    private static final String PREFIX = "iam";
    private static final List<String> STATEMENTS = List.of("CheckAndWriteTables",
            "WriteItemsOneByOneOnlyWithUpdatesVersionsOrChangeEvents", "ReadItemsOnlyWithDebeziumChangeEvents",
            "CreateTablesOnlyWithTableAutoCreate");
    private static final List<String> OFFLOAD_STATEMENTS = List.of("StoreOffloadedObjectsAndCheckDedupeHits",
            "ListTheBucketSoThatAMissingKeyAnswers404", "ClearGarbageCollectionMarksOnReuse");
    /** The users: the test's own (everything), each policy, and each policy without each statement tried. */
    private static final int USERS = 4 + STATEMENTS.size() + OFFLOAD_STATEMENTS.size();

    private static Moto iamMoto;
    private static final Map<String, AwsBasicCredentials> users = new LinkedHashMap<>();

    private final SinkTestStack stack;

    IamPolicyIT(SinkTestStack stack) {
        // moto's IAM-enforcing DynamoDB, signed as the test's own user (created before any instance, in createUsers)
        this.stack = stack.withDynamoDb(iamMoto.endpoint(), "us-east-1", users.get("admin").accessKeyId(),
                users.get("admin").secretAccessKey());
    }

    @Override
    protected SinkTestStack stack() {
        return stack;
    }

    @BeforeAll
    static void createUsers() throws IOException {
        // each user is three calls: CreateUser, PutUserPolicy, CreateAccessKey; every call after them is checked
        iamMoto = Moto.enforcingIamAfter(3 * USERS);
        try (IamClient iam = IamClient.builder().endpointOverride(iamMoto.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("setup", "setup")))
                .build()) {
            users.put("admin", user(iam, "admin", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                    + "\"Action\":[\"dynamodb:*\",\"s3:*\"],\"Resource\":\"*\"}]}"));
            users.put("sink", user(iam, "sink", policy(SINK_POLICY, null)));
            for (int i = 0; i < STATEMENTS.size(); i++) {
                users.put(STATEMENTS.get(i), user(iam, "sink-without-" + i, policy(SINK_POLICY, STATEMENTS.get(i))));
            }
            users.put("offload", user(iam, "offload", policy(OFFLOAD_POLICY, null)));
            users.put("tool", user(iam, "tool", policy(TOOL_POLICY, null)));
            // from here on every call is checked: the bucket is the test's own user's
            for (int i = 0; i < OFFLOAD_STATEMENTS.size(); i++) {
                users.put(OFFLOAD_STATEMENTS.get(i), user(iam, "offload-without-" + i,
                        policy(OFFLOAD_POLICY, OFFLOAD_STATEMENTS.get(i))));
            }
        }
        try (S3Client s3 = adminS3()) {
            s3.createBucket(b -> b.bucket(BUCKET));
        }
    }

    private static S3Client adminS3() {
        return S3Client.builder().endpointOverride(iamMoto.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(users.get("admin"))).build();
    }

    @AfterAll
    static void stopMoto() throws InterruptedException {
        if (iamMoto != null) {
            iamMoto.close();
        }
    }

    private static AwsBasicCredentials user(IamClient iam, String name, String policy) {
        iam.createUser(r -> r.userName(name));
        iam.putUserPolicy(r -> r.userName(name).policyName(name).policyDocument(policy));
        AccessKey key = iam.createAccessKey(r -> r.userName(name)).accessKey();
        return AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
    }

    /**
     * A shipped policy with its placeholders filled in as docs/security.md tells a user (the region, the account, the
     * tables' prefix, the bucket and the key prefix), without the statement {@code without} when it is not null;
     * DynamoDB resources as "*", S3 resources as shipped.
     */
    private static String policy(Path file, String without) throws IOException {
        String shipped = Files.readString(file).replace("REGION", "us-east-1").replace("ACCOUNT_ID", ACCOUNT)
                .replace("TABLE_NAME_OR_PREFIX", PREFIX).replace("BUCKET", BUCKET).replace("KEY_PREFIX", KEY_PREFIX);
        ObjectNode policy = (ObjectNode) JSON.readTree(shipped);
        ArrayNode kept = JSON.createArrayNode();
        for (JsonNode statement : policy.get("Statement")) {
            if (!statement.get("Sid").asText().equals(without)) {
                if (statement.get("Resource").asText().startsWith("arn:aws:dynamodb:")) {
                    ((ObjectNode) statement).put("Resource", "*");
                }
                kept.add(statement);
            }
        }
        assertThat(kept.size()).as("the statement left out is in the policy")
                .isEqualTo(policy.get("Statement").size() - (without == null ? 0 : 1));
        policy.set("Statement", kept);
        return JSON.writeValueAsString(policy);
    }

    /** The connector's settings for a scenario, signed as {@code user}. */
    private Map<String, String> configAs(String user, String topic) {
        Map<String, String> config = baseConfig(topic);
        config.put("aws.access.key.id", users.get(user).accessKeyId());
        config.put("aws.secret.access.key", users.get(user).secretAccessKey());
        config.put("table.name.format", PREFIX + "-${topic}");
        config.put("table.auto.create", "false");
        return config;
    }

    private String topicWithTable() {
        String topic = unique("t");
        kafka.createTopic(topic, 1);
        createTable(PREFIX + "-" + topic, "pk");
        return topic;
    }

    private void produce(String topic, int n) {
        for (int i = 0; i < n; i++) {
            kafka.produce(topic, "k" + i, "{\"n\":" + i + ",\"body\":\"row " + i + "\"}");
        }
        kafka.flush();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"put", "update", "versioned"})
    void theSinkPolicyIsEnoughForEveryWriteMode(String mode) {
        String topic = topicWithTable();
        Map<String, String> config = configAs("sink", topic);
        switch (mode) {
            case "update" -> config.put("write.mode", "update");
            case "versioned" -> config.put("write.version.source", "kafka.offset");
            default -> { }
        }
        startConnector(unique("iam-" + mode), config);
        produce(topic, 20);
        for (int i = 0; i < 20; i++) {
            assertThat(awaitItem(PREFIX + "-" + topic, pk("k" + i))).containsEntry("n", AttributeValue.fromN("" + i));
        }
        assertThat(taskState()).isEqualTo("RUNNING");
    }

    @Test
    void theSinkPolicyIsEnoughToCreateTablesWithATimeToLive() {
        String topic = unique("t");
        kafka.createTopic(topic, 1);
        Map<String, String> config = configAs("sink", topic);
        config.put("table.auto.create", "true");
        config.put("ttl.attribute", "expires");
        config.put("ttl.seconds", "3600");
        startConnector(unique("iam-create"), config);
        produce(topic, 5);
        String table = PREFIX + "-" + topic;
        assertThat(awaitItem(table, pk("k4"))).containsKey("expires");
        assertThat(dynamo.describeTimeToLive(r -> r.tableName(table)).timeToLiveDescription().timeToLiveStatus())
                .isIn(TimeToLiveStatus.ENABLED, TimeToLiveStatus.ENABLING);
        assertThat(taskState()).isEqualTo("RUNNING");
    }

    @Test
    void theSinkPolicyIsEnoughForChangeEventsThatReadTheirItem() {
        String topic = topicWithTable();
        Map<String, String> config = configAs("sink", topic);
        changeEventsLackingAColumn(config, topic);
        Map<String, AttributeValue> item = awaitItem(PREFIX + "-" + topic, pk("k1"));
        assertThat(item.get("_unavailable_columns").ss()).containsExactly("body");
        assertThat(taskState()).isEqualTo("RUNNING");
    }

    /**
     * A change that could not carry a column, to an item that does not exist: its update's condition fails, and a
     * GetItem tells a missing item from a newer one before the item is created without the column.
     */
    private void changeEventsLackingAColumn(Map<String, String> config, String topic) {
        config.put("cdc.format", "debezium");
        config.put("write.version.source", "record.value");
        config.put("write.version.field", "source.lsn");
        startConnector(unique("iam-cdc"), config);
        kafka.produce(topic, "k1", "{\"op\":\"u\",\"before\":null,\"after\":{\"n\":1,"
                + "\"body\":\"__debezium_unavailable_value\"},\"source\":{\"lsn\":7}}");
        kafka.flush();
    }

    @ParameterizedTest(name = "without {0}")
    @ValueSource(strings = {"CheckAndWriteTables", "WriteItemsOneByOneOnlyWithUpdatesVersionsOrChangeEvents",
            "ReadItemsOnlyWithDebeziumChangeEvents", "CreateTablesOnlyWithTableAutoCreate"})
    void withoutAStatementTheTaskStopsNamingTheActionAndTheStatement(String statement) {
        String topic = topicWithTable();
        Map<String, String> config = configAs(statement, topic);
        String action;
        switch (statement) {
            case "CheckAndWriteTables" -> {
                action = "dynamodb:DescribeTable";
                connect.putConnector(connectorName = unique("iam-no-check"), config);
            }
            case "WriteItemsOneByOneOnlyWithUpdatesVersionsOrChangeEvents" -> {
                action = "dynamodb:PutItem";
                config.put("write.version.source", "kafka.offset");
                startConnector(unique("iam-no-items"), config);
                produce(topic, 3);
            }
            case "ReadItemsOnlyWithDebeziumChangeEvents" -> {
                action = "dynamodb:GetItem";
                changeEventsLackingAColumn(config, topic);
            }
            default -> {
                action = "dynamodb:CreateTable";
                String fresh = unique("t");
                kafka.createTopic(fresh, 1);
                config.put("topics", fresh);
                config.put("table.auto.create", "true");
                connect.putConnector(connectorName = unique("iam-no-create"), config);
            }
        }
        // a table that cannot be checked or created stops the connector at its start, before the first record
        boolean atStart = statement.equals("CheckAndWriteTables") || statement.equals("CreateTablesOnlyWithTableAutoCreate");
        String trace = atStart ? awaitConnectorFailed() : awaitTaskFailed();
        String reason = trace.lines().filter(line -> line.contains("Grant ")).findFirst().orElse(trace);
        System.out.println("[iam] without " + statement + ": " + reason);
        assertThat(reason).contains("Grant " + action + ": ")
                .contains("statement '" + statement + "' of config/iam-policy-sink.json");
        assertThat(trace).as("no retrying into a budget for a refusal no retry can fix")
                .doesNotContain("not yet durable");
    }

    /** Offload of {@code body} to the bucket of the offload policy, signed as {@code user}. */
    private Map<String, String> offloadConfigAs(String user, String topic) {
        Map<String, String> config = configAs(user, topic);
        config.put("s3.endpoint.url", iamMoto.endpoint().toString());
        config.put("s3.path.style.access", "true");
        config.put("offload.s3.bucket", BUCKET);
        config.put("offload.fields", "body");
        config.put("offload.gc.mark.wait.ms", "200");
        return config;
    }

    /** The objects the items of a topic's table name for keys k0..k2, once written. */
    private List<String> objectKeys(String topic) {
        return java.util.stream.IntStream.range(0, 3).mapToObj(i -> Pointer.fromAttribute(
                awaitItem(PREFIX + "-" + topic, pk("k" + i)).get("body")).orElseThrow().key()).toList();
    }

    /** A connector as {@code user} writes k0..k2 with the bodies every such run writes; returns its topic. */
    private String offloadRun(String user) {
        String topic = topicWithTable();
        startConnector(unique("iam-offload"), offloadConfigAs(user, topic));
        for (int i = 0; i < 3; i++) {
            kafka.produce(topic, "k" + i, "{\"n\":" + i + ",\"body\":\"the same body " + i + "\"}");
        }
        kafka.flush();
        return topic;
    }

    @Test
    void theOffloadPolicyIsEnoughToStoreObjectsNameThemAgainAndClearGcMarks() throws Exception {
        List<String> keys = objectKeys(offloadRun("offload"));
        connect.deleteConnector(connectorName);
        String mark = GcMarks.markKey(keys.get(1));
        try (S3Client s3 = adminS3()) {
            // a collector found the object unreferenced meanwhile, and marked it
            s3.putObject(b -> b.bucket(BUCKET).key(mark), RequestBody.empty());
            // a second connector's task, without the first one's cache, names the same objects again: a conditional
            // PUT finds each, the mark is cleared, a HEAD confirms the content
            String again = offloadRun("offload");
            assertThat(objectKeys(again)).isEqualTo(keys);
            await().atMost(TIMEOUT).until(() -> !exists(s3, mark));
            assertThat(taskState()).isEqualTo("RUNNING");
        }
    }

    private static boolean exists(S3Client s3, String key) {
        try {
            s3.headObject(h -> h.bucket(BUCKET).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    @ParameterizedTest(name = "without {0}")
    @ValueSource(strings = {"StoreOffloadedObjectsAndCheckDedupeHits", "ClearGarbageCollectionMarksOnReuse"})
    void withoutAnOffloadStatementTheTaskStopsNamingTheActionAndTheStatement(String statement) {
        String expected;
        if (statement.equals("StoreOffloadedObjectsAndCheckDedupeHits")) {
            expected = "Grant s3:PutObject";
        } else {
            // the objects exist already: naming them again looks for a garbage-collection mark
            objectKeys(offloadRun("offload"));
            connect.deleteConnector(connectorName);
            expected = "Grant s3:GetObject on arn:aws:s3:::" + BUCKET + "/" + GcMarks.PREFIX;
        }
        offloadRun(statement);
        String trace = awaitTaskFailed();
        String reason = trace.lines().filter(line -> line.contains("Grant ")).findFirst().orElse(trace);
        System.out.println("[iam] without " + statement + ": " + reason);
        assertThat(reason).contains(expected).contains("statement '" + statement + "' of config/iam-policy-sink-offload.json");
    }

    /**
     * Without s3:ListBucket, S3 answers the HEAD of a missing key with 403 instead of 404, and a dedupe hit's look
     * for a garbage-collection mark (usually missing) would stop the task. moto answers 404 all the same, so this
     * statement's need rests on AWS's documentation: the scenario runs, and says what moto did.
     */
    @Test
    void withoutListBucketMotoStillAnswersAMissingKeyWith404() {
        objectKeys(offloadRun("offload"));
        connect.deleteConnector(connectorName);
        String topic = offloadRun("ListTheBucketSoThatAMissingKeyAnswers404");
        assertThat(objectKeys(topic)).hasSize(3);
        assertThat(taskState()).isEqualTo("RUNNING");
    }

    /**
     * {@code dynamodb-offload} as a user holding exactly iam-policy-offload-tool.json, on what the connector wrote:
     * verify, and export hydrated, each exits 0. Not gc nor dead-letters: they list keys under a prefix holding a
     * "/", and moto's signature check (on only with IAM enforcement) refuses every such ListObjectsV2 with
     * SignatureDoesNotMatch, whoever signs it.
     */
    @Test
    void theToolPolicyIsEnoughForVerifyAndExport(@TempDir Path dir) throws Exception {
        String topic = offloadRun("offload");
        objectKeys(topic);
        connect.deleteConnector(connectorName);
        connectorName = null;
        String table = PREFIX + "-" + topic;
        Path config = dir.resolve("tool.properties");
        Properties settings = new Properties();
        settings.putAll(offloadConfigAs("tool", topic));
        try (var out = Files.newOutputStream(config)) {
            settings.store(out, null);
        }
        assertThat(tool("verify", "--config", config.toString(), "--table", table, "--json")).startsWith("0 ")
                .contains("\"ok\":true");
        assertThat(tool("export", "--config", config.toString(), "--table", table, "--hydrate", "--output",
                dir.resolve("export.jsonl").toString())).startsWith("0 ");
        assertThat(Files.readAllLines(dir.resolve("export.jsonl"))).hasSize(3)
                .allSatisfy(line -> assertThat(line).contains("the same body"));
    }

    /** Runs the tool in this JVM: its exit code, a space, and what it printed. */
    private static String tool(String command, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = command;
        System.arraycopy(args, 0, all, 1, args.length);
        return tool(all);
    }

    private static String tool(String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = OffloadTool.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        String printed = exit + " " + out + err;
        System.out.println("[iam] dynamodb-offload " + args[0] + ": " + printed.strip());
        return printed;
    }

    private String awaitConnectorFailed() {
        await().atMost(TIMEOUT).until(() -> {
            JsonNode status = connect.status(connectorName);
            return status != null && "FAILED".equals(status.path("connector").path("state").asText());
        });
        return connect.status(connectorName).path("connector").path("trace").asText();
    }
}
