package io.streamoffload.connect.dynamodb.it.iam;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * {@code config/iam-policy-sink.json} under IAM enforcement: a user holding exactly the policy runs the connector in
 * each mode the policy covers, and for every statement, a user holding the policy without it runs the scenario that
 * needs it and the connector or its task fails at once with a message naming the action and the statement that grants
 * it. Also the same policy held by a role the connector assumes through STS, the role trusting the worker's user
 * through {@code config/iam-trust-policy-assume-role.json} with an external id (moto checks a trust policy's principal
 * and its sts:ExternalId condition).
 */
@ExtendWith(InJvmStackExtension.class)
class SinkPolicyIT extends IamPolicyTestBase {
    private static final List<String> STATEMENTS = List.of("CheckAndWriteTables",
            "WriteItemsOneByOneOnlyWithUpdatesVersionsOrChangeEvents", "ReadItemsOnlyWithDebeziumChangeEvents",
            "CreateTablesOnlyWithTableAutoCreate");
    private static final String ROLE = "iam-sink-role";
    private static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/" + ROLE;
    private static final String EXTERNAL_ID = "connect-prod-7f3a";

    SinkPolicyIT(SinkTestStack stack) {
        super(stack);
    }

    @BeforeAll
    static void createUsers() {
        Map<String, String> policies = wholeAndWithoutEach("sink", SINK_POLICY, STATEMENTS);
        // the worker's own identity: it may ask STS for the role (the role's trust policy decides whether it gets it)
        policies.put("worker", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"sts:AssumeRole\",\"Resource\":\"" + ROLE_ARN + "\"}]}");
        // a worker whose own policy does not let it ask for the role (the trust policy names it all the same)
        policies.put("worker-without-assume-role", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                + "\"Allow\",\"Action\":\"sts:GetCallerIdentity\",\"Resource\":\"*\"}]}");
        // a role: CreateRole with the shipped trust policy, PutRolePolicy with the shipped sink policy
        startMoto(policies, 2, iam -> {
            iam.createRole(r -> r.roleName(ROLE).assumeRolePolicyDocument(policy(TRUST_POLICY, null,
                    Map.of("CONNECT_WORKER_PRINCIPAL_ARN", userArn("worker"), "EXTERNAL_ID", EXTERNAL_ID))));
            iam.putRolePolicy(r -> r.roleName(ROLE).policyName("sink").policyDocument(policy(SINK_POLICY)));
        });
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
        assertEveryRowWritten(topic, 20);
    }

    /** Produces rows k0..k{n-1}, then finds each in its item, the task running. */
    private void assertEveryRowWritten(String topic, int n) {
        produce(topic, n);
        for (int i = 0; i < n; i++) {
            assertThat(awaitItem(table(topic), pk("k" + i))).containsEntry("n", AttributeValue.fromN("" + i));
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
        assertThat(awaitItem(table(topic), pk("k4"))).containsKey("expires");
        assertThat(dynamo.describeTimeToLive(r -> r.tableName(table(topic))).timeToLiveDescription().timeToLiveStatus())
                .isIn(TimeToLiveStatus.ENABLED, TimeToLiveStatus.ENABLING);
        assertThat(taskState()).isEqualTo("RUNNING");
    }

    @Test
    void theSinkPolicyIsEnoughForChangeEventsThatReadTheirItem() {
        String topic = topicWithTable();
        changeEventsLackingAColumn(configAs("sink", topic), topic);
        Map<String, AttributeValue> item = awaitItem(table(topic), pk("k1"));
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
        assertThat(grantLine("without " + statement, trace)).contains("Grant " + action + ": ")
                .contains("statement '" + statement + "' of config/iam-policy-sink.json");
        assertThat(trace).as("no retrying into a budget for a refusal no retry can fix")
                .doesNotContain("not yet durable");
    }

    /** The connector's settings signed as the worker's user, which assumes the role that holds the sink policy. */
    private Map<String, String> asTheRole(String topic, String externalId) {
        return asTheRole("worker", topic, externalId);
    }

    private Map<String, String> asTheRole(String worker, String topic, String externalId) {
        Map<String, String> config = configAs(worker, topic);
        config.put("aws.assume.role.arn", ROLE_ARN);
        config.put("aws.assume.role.external.id", externalId);
        config.put("aws.sts.endpoint.url", iamMoto.endpoint().toString());
        config.put("write.version.source", "kafka.offset");
        return config;
    }

    @Test
    void theSinkPolicyHeldByARoleTheTrustPolicyLetsTheWorkerAssume() {
        String topic = topicWithTable();
        startConnector(unique("iam-role"), asTheRole(topic, EXTERNAL_ID));
        assertEveryRowWritten(topic, 10);
    }

    /**
     * The worker's user may call sts:AssumeRole, but the trust policy's condition wants another external id: STS
     * refuses, and the connector stops at its start naming the trust policy's statement.
     */
    @Test
    void aWrongExternalIdStopsTheConnectorAtStartNamingTheTrustPolicy() {
        String topic = topicWithTable();
        connect.putConnector(connectorName = unique("iam-role-wrong-id"), asTheRole(topic, "not-" + EXTERNAL_ID));
        String trace = awaitConnectorFailed();
        assertThat(grantLine("wrong external id", trace)).contains("Grant sts:AssumeRole")
                .contains("statement 'LetTheConnectWorkersIdentityAssumeThisRole' of "
                        + "config/iam-trust-policy-assume-role.json")
                .contains("external.id");
        assertThat(trace).doesNotContain("not-" + EXTERNAL_ID).doesNotContain(EXTERNAL_ID);
    }

    /**
     * The worker's own policy does not allow sts:AssumeRole: moto refuses, as AWS does when the role is in another
     * account (in the same one, a trust policy naming the user is enough on AWS).
     */
    @Test
    void aWorkerNotAllowedToAssumeTheRoleStopsTheConnectorAtStart() {
        String topic = topicWithTable();
        connect.putConnector(connectorName = unique("iam-role-not-allowed"),
                asTheRole("worker-without-assume-role", topic, EXTERNAL_ID));
        assertThat(grantLine("worker without sts:AssumeRole", awaitConnectorFailed())).contains("Grant sts:AssumeRole")
                .contains("this identity's own policy must allow sts:AssumeRole on the role");
    }
}
