package io.streamoffload.connect.dynamodb.it.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamoffload.connect.dynamodb.it.stack.FaultProxy.AwsError;
import io.streamoffload.connect.dynamodb.it.stack.FaultProxy.Fault;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStack;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.RecordingSts;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import io.streamoffload.connect.dynamodb.offload.Pointer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The fault suite: DynamoDB and S3 misbehave the ways AWS does, through {@link io.streamoffload.connect.dynamodb.it.stack.FaultProxy}
 * on loopback, while a real Connect worker writes; every scenario ends with the test's own reconciliation of what was
 * produced against DynamoDB, S3 and the dead letter queue.
 */
@ExtendWith(InJvmStackExtension.class)
class FaultSuiteIT extends FaultScenarioBase {
    private final InJvmStack stack;

    FaultSuiteIT(InJvmStack stack) {
        this.stack = stack;
    }

    @Override
    protected SinkTestStack stack() {
        return stack;
    }

    @Test
    void tenPercentOfDynamoDbCallsAreThrottled() {
        AtomicInteger calls = new AtomicInteger();
        dynamoProxy.script(r -> {
            if (!r.operation().equals("BatchWriteItem")) {
                return Fault.FORWARD;
            }
            int n = calls.incrementAndGet();
            return n % 10 != 0 ? Fault.FORWARD
                    : Fault.error(n % 20 == 0 ? AwsError.provisionedThroughputExceeded() : AwsError.throttling());
        });
        startConnector(unique("throttled"), faultConfig());
        produceMix(0, 2000);

        awaitReconciled();
        assertThat(dynamoProxy.count("BatchWriteItem", "ProvisionedThroughputExceededException")
                + dynamoProxy.count("BatchWriteItem", "ThrottlingException")).isPositive();
        assertThat(taskState()).isEqualTo("RUNNING");
    }

    @Test
    void everyBatchComesBackWithSomeUnprocessedItems() {
        dynamoProxy.script(r -> r.operation().equals("BatchWriteItem") ? Fault.unprocessed(3) : Fault.FORWARD);
        startConnector(unique("unprocessed"), faultConfig());
        produceMix(0, 400);

        awaitReconciled();
        assertThat(dynamoProxy.count("BatchWriteItem", "unprocessed")).isGreaterThan(10);
    }

    @Test
    void throttledPastTheRetryBudgetThenRecoveringCommitsNoOffsetPastUnwrittenRecords() throws Exception {
        AtomicBoolean throttled = new AtomicBoolean(true);
        dynamoProxy.script(r -> throttled.get() && r.operation().equals("BatchWriteItem")
                ? Fault.error(AwsError.provisionedThroughputExceeded()) : Fault.FORWARD);
        Map<String, String> config = faultConfig();
        config.put("retry.budget.ms", "300");
        startConnector(unique("budget"), config);
        produceMix(0, 200);

        // several budgets spent and redeliveries asked for; meanwhile nothing is written, so nothing may be committed,
        // over several of the worker's 1 s commit intervals
        await().atMost(TIMEOUT).until(() -> dynamoProxy.count("BatchWriteItem", "ProvisionedThroughputExceededException") > 10);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> committedOffset() <= 0 && taskState().equals("RUNNING"));
        throttled.set(false);

        awaitReconciled();
        await().atMost(TIMEOUT).until(() -> committedOffset() == ledger.size());
    }

    @Test
    void throttlingThatNeverStopsFailsTheTaskAfterItsBoundedRoundsWithTheReason() {
        AtomicBoolean throttled = new AtomicBoolean(true);
        dynamoProxy.script(r -> throttled.get() && r.operation().equals("BatchWriteItem")
                ? Fault.error(AwsError.throttling()) : Fault.FORWARD);
        Map<String, String> config = faultConfig();
        config.put("retry.budget.ms", "200");
        config.put("retry.max.redeliveries", "2");
        startConnector(unique("forever"), config);
        produceMix(0, 50);

        assertThat(awaitTaskFailed()).contains("Giving up after 2 redeliveries in a row")
                .contains("ThrottlingException").contains("retry.max.redeliveries");

        throttled.set(false);
        connect.restartTask(connectorName, 0);
        awaitReconciled();
    }

    @Test
    void s3SlowDownServerErrorsResetsAndBlackHolesNeverLeaveAPointerToAMissingObject() throws Exception {
        AtomicInteger puts = new AtomicInteger();
        s3Proxy.script(r -> {
            if (!r.operation().equals("PutObject")) {
                return Fault.FORWARD;
            }
            int n = puts.getAndIncrement();
            return switch (n % 6) {
                case 0 -> Fault.error(AwsError.slowDown());
                case 1 -> Fault.error(AwsError.s3InternalError());
                case 2 -> Fault.reset();
                case 3 -> n < 20 ? Fault.blackHole() : Fault.FORWARD; // each costs an attempt timeout
                case 4 -> Fault.forwardThenReset();                    // stored, but the answer is lost
                default -> Fault.FORWARD;
            };
        });
        startConnector(unique("s3faults"), faultConfig());

        List<String> dangling = new java.util.concurrent.CopyOnWriteArrayList<>();
        var watcher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        watcher.scheduleWithFixedDelay(() -> dangling.addAll(danglingPointers()), 0, 100,
                java.util.concurrent.TimeUnit.MILLISECONDS);
        try {
            produceMix(0, 300);
            awaitReconciled();
        } finally {
            watcher.shutdown();
            watcher.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(dangling).as("items naming objects that were not in S3").isEmpty();
        assertThat(s3Proxy.counts()).containsKeys("PutObject:SlowDown", "PutObject:InternalError", "PutObject:reset",
                "PutObject:black_hole", "PutObject:forward_then_reset");
    }

    /** Every pointer of every item, checked against S3 directly (not through the proxy). */
    private List<String> danglingPointers() {
        List<String> missing = new ArrayList<>();
        for (Map<String, AttributeValue> item : dynamo.scan(r -> r.tableName(topic).consistentRead(true)).items()) {
            for (Pointer pointer : io.streamoffload.connect.dynamodb.read.OffloadedItemReader.pointers(item)) {
                try {
                    s3.headObject(h -> h.bucket(pointer.bucket()).key(pointer.key()));
                } catch (NoSuchKeyException e) {
                    missing.add(item.get("pk").s() + " -> " + pointer.uri());
                } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                    if (e.statusCode() == 404) {
                        missing.add(item.get("pk").s() + " -> " + pointer.uri());
                    }
                }
            }
        }
        return missing;
    }

    /**
     * DynamoDB's clock runs 10 minutes ahead of the connector's and S3's 10 minutes behind (the SDK learns each offset
     * from the first refused answer, and the retry succeeds), STS (moto's) fails the first time it is asked for the
     * role's credentials, and some writes collide with writes in another Region of a multi-Region table.
     */
    @Test
    void clockSkewAFailedCredentialsFetchAndReplicatedWriteConflictsAreRiddenOut() throws Exception {
        try (RecordingSts sts = new RecordingSts(stack.moto().endpoint())) {
            sts.failNext(1);
            dynamoProxy.serverClockOffset(Duration.ofMinutes(10));
            s3Proxy.serverClockOffset(Duration.ofMinutes(-10));
            AtomicInteger calls = new AtomicInteger();
            List<String> dynamoDbSigners = Collections.synchronizedList(new ArrayList<>());
            dynamoProxy.script(r -> {
                dynamoDbSigners.add(r.signedWithAccessKeyId() + " " + r.header("x-amz-security-token"));
                return r.operation().equals("BatchWriteItem") && calls.incrementAndGet() % 4 == 0
                        ? Fault.error(AwsError.replicatedWriteConflict()) : Fault.FORWARD;
            });
            Map<String, String> config = faultConfig();
            // DynamoDB assumes a role: STS is called with these base credentials, and every DynamoDB request must carry
            // the access key and session token STS issued (checked at the proxy below)
            config.put("dynamodb.credentials.provider", "static");
            config.put("dynamodb.access.key.id", "AKIABASECREDENTIALS1");
            config.put("dynamodb.secret.access.key", "base-secret-for-sts-only");
            config.put("dynamodb.assume.role.arn", "arn:aws:iam::123456789012:role/connector");
            config.put("dynamodb.assume.role.external.id", "external-id-1");
            config.put("aws.sts.endpoint.url", sts.uri().toString());
            startConnector(unique("skew"), config);
            produceMix(0, 300);

            awaitReconciled();
            assertThat(dynamoProxy.counts().keySet()).anyMatch(k -> k.endsWith(":InvalidSignatureException"));
            assertThat(s3Proxy.counts().keySet()).anyMatch(k -> k.endsWith(":RequestTimeTooSkewed"));
            assertThat(dynamoProxy.count("BatchWriteItem", "ReplicatedWriteConflictException")).isPositive();
            assertThat(sts.calls()).hasSizeGreaterThanOrEqualTo(2).allSatisfy(call -> {
                assertThat(call.signedWithAccessKeyId()).isEqualTo("AKIABASECREDENTIALS1");
                assertThat(call.parameters()).containsEntry("Action", "AssumeRole")
                        .containsEntry("RoleArn", "arn:aws:iam::123456789012:role/connector")
                        .containsEntry("ExternalId", "external-id-1")
                        .containsEntry("RoleSessionName", "kafka-connect-dynamodb-sink")
                        .containsEntry("DurationSeconds", "3600");
            });
            List<String> issued = sts.issued().stream().map(c -> c.accessKeyId() + " " + c.sessionToken()).toList();
            assertThat(issued).isNotEmpty();
            synchronized (dynamoDbSigners) {
                assertThat(dynamoDbSigners).as("DynamoDB requests signed with the key and token STS issued for the role")
                        .isNotEmpty().allMatch(issued::contains);
            }
        } finally {
            // the SDK shares its last learned offset with clients created later in this JVM
            software.amazon.awssdk.core.SdkGlobalTime.setGlobalTimeOffset(0);
        }
    }

    @Test
    void aTableSwitchedToUpdatingMidStreamKeepsTakingWrites() {
        startConnector(unique("updating"), faultConfig());
        produceMix(0, 150);
        awaitReconciled();

        // from now on DynamoDB reports the table as UPDATING (a GSI, a replica or capacity being added)
        dynamoProxy.script(r -> r.operation().equals("DescribeTable")
                ? Fault.rewrite(body -> body.replace("\"TableStatus\":\"ACTIVE\"", "\"TableStatus\":\"UPDATING\""))
                : Fault.FORWARD);
        connect.restartTask(connectorName, 0); // a restarted task checks its table again
        produceMix(150, 150);

        awaitReconciled();
        assertThat(dynamoProxy.count("DescribeTable", "rewrite")).isPositive();
        assertThat(taskState()).isEqualTo("RUNNING");
    }
}
