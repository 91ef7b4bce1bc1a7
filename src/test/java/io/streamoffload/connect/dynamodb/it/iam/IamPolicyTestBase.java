package io.streamoffload.connect.dynamodb.it.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamoffload.connect.dynamodb.it.ConnectorTestBase;
import io.streamoffload.connect.dynamodb.it.stack.Moto;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import io.streamoffload.connect.dynamodb.offload.Pointer;
import io.streamoffload.connect.dynamodb.tool.OffloadTool;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Scenarios under the IAM policies of {@code config/}, against a moto of their own that enforces IAM (moto's
 * {@code INITIAL_NO_AUTH_ACTION_COUNT}: the first calls create users, roles and their policies, every later call is
 * checked against the caller's). A user holds exactly a shipped policy, its placeholders filled in as
 * docs/security.md tells a user (region, account, the tables' prefix, the bucket and the key prefix), or the policy
 * without one of its statements; the connector runs in a real Connect worker signed as that user, the lifecycle tool in
 * this JVM. moto matches DynamoDB resources only as "*", so the DynamoDB statements' resources become "*": what the
 * table ARNs restrict rests on AWS's documentation alone. S3 resources stay as shipped.
 */
abstract class IamPolicyTestBase extends ConnectorTestBase {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path SINK_POLICY = Path.of("config", "iam-policy-sink.json");
    static final Path OFFLOAD_POLICY = Path.of("config", "iam-policy-sink-offload.json");
    static final Path KMS_POLICY = Path.of("config", "iam-policy-sink-offload-kms.json");
    static final Path TOOL_POLICY = Path.of("config", "iam-policy-offload-tool.json");
    static final Path TRUST_POLICY = Path.of("config", "iam-trust-policy-assume-role.json");
    static final String REGION = "us-east-1";
    /** The offload bucket (BUCKET in the policies) and the fixed start of the default key template (KEY_PREFIX). */
    static final String BUCKET = "iam-offload";
    static final String KEY_PREFIX = "offload/";
    /** moto's account. */
    static final String ACCOUNT = "123456789012";
    /** The tables' names start with it: TABLE_NAME_OR_PREFIX in the policies. */
    static final String PREFIX = "iam";
    /** Where the connector parks dead letters (offload.dead.letter.prefix's default). */
    static final String PARKED = "_dynamodb-offload/dead-letters/";
    /** Not JSON, and over the dead letter queue producer's 1 MB: parked in S3. */
    static final String OVERSIZED_BAD_VALUE = "{\"s\":\"" + "x".repeat(1_500_000) + "\", oops}";
    private static final String ADMIN_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"dynamodb:*\",\"s3:*\",\"kms:*\",\"iam:*\",\"sts:*\"],\"Resource\":\"*\"}]}";

    static Moto iamMoto;
    /** Each user's keys by its IAM user name; "admin" is the test's own, allowed everything. */
    static final Map<String, AwsBasicCredentials> users = new LinkedHashMap<>();

    private final SinkTestStack stack;

    IamPolicyTestBase(SinkTestStack stack) {
        // the IAM-enforcing moto's DynamoDB, signed as the test's own user
        this.stack = stack.withDynamoDb(iamMoto.endpoint(), REGION, users.get("admin").accessKeyId(),
                users.get("admin").secretAccessKey());
    }

    @Override
    protected SinkTestStack stack() {
        return stack;
    }

    /**
     * Starts the class's moto: creates the users, each holding its one policy, then what {@code more} sets up in
     * {@code moreCalls} IAM calls (roles), then the offload bucket as the test's own user, the first call checked.
     */
    static void startMoto(Map<String, String> policies, int moreCalls, Consumer<IamClient> more) {
        policies.keySet().forEach(name -> assertThat(name).as("an IAM user name").hasSizeLessThanOrEqualTo(64)
                .matches("[\\w+=,.@-]+"));
        Map<String, String> all = new LinkedHashMap<>();
        all.put("admin", ADMIN_POLICY);
        all.putAll(policies);
        // a user is three calls: CreateUser, PutUserPolicy, CreateAccessKey
        iamMoto = Moto.enforcingIamAfter(3 * all.size() + moreCalls);
        users.clear();
        try (IamClient iam = iam(AwsBasicCredentials.create("setup", "setup"))) {
            all.forEach((name, policy) -> users.put(name, user(iam, name, policy)));
            more.accept(iam);
        }
        try (S3Client s3 = adminS3()) {
            s3.createBucket(b -> b.bucket(BUCKET));
        }
    }

    static IamClient iam(AwsBasicCredentials credentials) {
        return IamClient.builder().endpointOverride(iamMoto.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(credentials)).build();
    }

    static S3Client adminS3() {
        return S3Client.builder().endpointOverride(iamMoto.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(users.get("admin"))).build();
    }

    @AfterAll
    static void stopMoto() throws InterruptedException {
        if (iamMoto != null) {
            iamMoto.close();
            iamMoto = null;
        }
    }

    static String userArn(String name) {
        return "arn:aws:iam::" + ACCOUNT + ":user/" + name;
    }

    private static AwsBasicCredentials user(IamClient iam, String name, String policy) {
        iam.createUser(r -> r.userName(name));
        iam.putUserPolicy(r -> r.userName(name).policyName(name).policyDocument(policy));
        AccessKey key = iam.createAccessKey(r -> r.userName(name)).accessKey();
        return AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
    }

    /**
     * Users for a shipped policy: {@code user} holding it whole, and one per statement, named after it, holding the
     * policy without that statement.
     */
    static Map<String, String> wholeAndWithoutEach(String user, Path file, List<String> statements) {
        Map<String, String> policies = new LinkedHashMap<>();
        policies.put(user, policy(file));
        statements.forEach(statement -> policies.put(statement, policy(file, statement, Map.of())));
        return policies;
    }

    /** The shipped policy as a user fills it in, whole. */
    static String policy(Path file) {
        return policy(file, null, Map.of());
    }

    /**
     * A shipped policy with its placeholders filled in as docs/security.md tells a user (the region, the account, the
     * tables' prefix, the bucket, the key prefix, and {@code more}), without the statement {@code without} when it is
     * not null; DynamoDB resources as "*", S3 resources as shipped.
     */
    static String policy(Path file, String without, Map<String, String> more) {
        try {
            String shipped = Files.readString(file);
            for (Map.Entry<String, String> placeholder : more.entrySet()) {
                shipped = shipped.replace(placeholder.getKey(), placeholder.getValue());
            }
            shipped = shipped.replace("REGION", REGION).replace("ACCOUNT_ID", ACCOUNT)
                    .replace("TABLE_NAME_OR_PREFIX", PREFIX).replace("BUCKET", BUCKET).replace("KEY_PREFIX", KEY_PREFIX);
            ObjectNode policy = (ObjectNode) JSON.readTree(shipped);
            ArrayNode kept = JSON.createArrayNode();
            for (JsonNode statement : policy.get("Statement")) {
                if (!statement.get("Sid").asText().equals(without)) {
                    if (statement.path("Resource").asText().startsWith("arn:aws:dynamodb:")) {
                        ((ObjectNode) statement).put("Resource", "*");
                    }
                    kept.add(statement);
                }
            }
            assertThat(kept.size()).as("the statement left out is in the policy")
                    .isEqualTo(policy.get("Statement").size() - (without == null ? 0 : 1));
            policy.set("Statement", kept);
            return JSON.writeValueAsString(policy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The connector's settings for a scenario, signed as {@code user}, writing to existing tables. */
    Map<String, String> configAs(String user, String topic) {
        Map<String, String> config = baseConfig(topic);
        config.put("aws.access.key.id", users.get(user).accessKeyId());
        config.put("aws.secret.access.key", users.get(user).secretAccessKey());
        config.put("table.name.format", PREFIX + "-${topic}");
        config.put("table.auto.create", "false");
        return config;
    }

    /** Offload of {@code body} to the policies' bucket, signed as {@code user}. */
    Map<String, String> offloadConfigAs(String user, String topic) {
        Map<String, String> config = configAs(user, topic);
        config.put("s3.endpoint.url", iamMoto.endpoint().toString());
        config.put("s3.path.style.access", "true");
        config.put("offload.s3.bucket", BUCKET);
        config.put("offload.fields", "body");
        config.put("offload.gc.mark.wait.ms", "200");
        return config;
    }

    String topicWithTable() {
        String topic = unique("t");
        kafka.createTopic(topic, 1);
        createTable(PREFIX + "-" + topic, "pk");
        return topic;
    }

    static String table(String topic) {
        return PREFIX + "-" + topic;
    }

    void produce(String topic, int n) {
        for (int i = 0; i < n; i++) {
            kafka.produce(topic, "k" + i, "{\"n\":" + i + ",\"body\":\"row " + i + "\"}");
        }
        kafka.flush();
    }

    /** A connector as {@code user} offloads k0..k2 with the bodies every such run writes; returns its topic. */
    String offloadRun(String user) {
        return offloadRun(user, Map.of(), "the same body ");
    }

    /** As {@link #offloadRun(String)}, with more settings, and bodies starting with {@code body}. */
    String offloadRun(String user, Map<String, String> settings, String body) {
        String topic = topicWithTable();
        Map<String, String> config = offloadConfigAs(user, topic);
        config.putAll(settings);
        startConnector(unique("iam-offload"), config);
        for (int i = 0; i < 3; i++) {
            kafka.produce(topic, "k" + i, "{\"n\":" + i + ",\"body\":\"" + body + i + "\"}");
        }
        kafka.flush();
        return topic;
    }

    /** A record that is not JSON and is over the DLQ producer's 1 MB: parked in S3, named by a small dead letter. */
    String parkingRun(String user) {
        String topic = topicWithTable();
        String dlq = topic + "-dlq";
        kafka.createTopic(dlq, 1);
        Map<String, String> config = offloadConfigAs(user, topic);
        config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.string.format", "json");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", dlq);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        startConnector(unique("iam-park"), config);
        kafka.produce(topic, "k0", "{\"n\":0,\"body\":\"before\"}");
        kafka.produce(topic, "bad", OVERSIZED_BAD_VALUE);
        kafka.produce(topic, "k1", "{\"n\":1,\"body\":\"after\"}");
        kafka.flush();
        return topic;
    }

    /** The objects the items of a topic's table name for keys k0..k2, once written. */
    List<String> objectKeys(String topic) {
        return IntStream.range(0, 3).mapToObj(i -> Pointer.fromAttribute(
                awaitItem(table(topic), pk("k" + i)).get("body")).orElseThrow().key()).toList();
    }

    static boolean exists(S3Client s3, String key) {
        try {
            s3.headObject(h -> h.bucket(BUCKET).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    /** The line of a failure's trace that says what to grant (the whole trace when none does), printed for the log. */
    static String grantLine(String label, String trace) {
        String reason = trace.lines().filter(line -> line.contains("Grant ")).findFirst().orElse(trace);
        System.out.println("[iam] " + label + ": " + reason);
        return reason;
    }

    String awaitConnectorFailed() {
        await().atMost(TIMEOUT).until(() -> {
            JsonNode status = connect.status(connectorName);
            return status != null && "FAILED".equals(status.path("connector").path("state").asText());
        });
        return connect.status(connectorName).path("connector").path("trace").asText();
    }

    /** The tool's settings file: the connector's settings as {@code user}. */
    Path toolConfig(Path dir, String user, String topic) throws IOException {
        Path config = dir.resolve(user + ".properties");
        Properties settings = new Properties();
        settings.putAll(offloadConfigAs(user, topic));
        try (var out = Files.newOutputStream(config)) {
            settings.store(out, null);
        }
        return config;
    }

    /** Runs the tool in this JVM: its exit code, a space, and what it printed. */
    static String tool(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = OffloadTool.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        String printed = exit + " " + out + err;
        System.out.println("[iam] dynamodb-offload " + args[0] + ": " + printed.strip());
        return printed;
    }
}
