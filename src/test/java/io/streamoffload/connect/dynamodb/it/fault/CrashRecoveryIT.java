package io.streamoffload.connect.dynamodb.it.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamoffload.connect.dynamodb.it.stack.FaultProxy.AwsError;
import io.streamoffload.connect.dynamodb.it.stack.FaultProxy.Fault;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import io.streamoffload.connect.dynamodb.it.stack.WorkerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Scenario 9 of the fault suite: a worker JVM killed (SIGKILL) between the S3 upload and the DynamoDB write, and
 * between the write and the offset commit. The worker started in its place redelivers from the last commit; every
 * record ends as it must, and S3 holds the same objects as before the crash, none written twice.
 */
@ExtendWith(InJvmStackExtension.class)
class CrashRecoveryIT extends FaultScenarioBase {
    private final SinkTestStack stack;

    CrashRecoveryIT(SinkTestStack stack) {
        this.stack = stack;
    }

    @Override
    protected SinkTestStack stack() {
        return stack;
    }

    /**
     * A killed worker's consumer stays in the group until its session times out (45 s by default), and its successor
     * waits for that before it gets the partitions: the shortest session the broker allows keeps the wait short.
     */
    private static Map<String, String> workerProps(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(extra);
        props.put("consumer.session.timeout.ms", "6000");
        props.put("consumer.heartbeat.interval.ms", "1000");
        return props;
    }

    private Map<String, String> connectorProps(String name) {
        Map<String, String> connector = new HashMap<>(faultConfig());
        connector.put("name", name);
        connector.remove("retry.max.redeliveries");
        return connector;
    }

    /** Each object's key with its ETag and modification time: what changes if an object is written again. */
    private Map<String, String> objectVersions() {
        return s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream()
                .collect(Collectors.toMap(S3Object::key, o -> o.eTag() + "@" + o.lastModified()));
    }

    @Test
    void killedBetweenTheUploadsAndTheDynamoDbWrite(@TempDir Path dir) throws Exception {
        AtomicBoolean dynamoDbDown = new AtomicBoolean(true);
        dynamoProxy.script(r -> dynamoDbDown.get() && r.operation().equals("BatchWriteItem")
                ? Fault.error(AwsError.internalServerError()) : Fault.FORWARD);
        String name = unique("crash-upload");
        connectorName = null; // not a REST connector: the worker owns it
        try (WorkerProcess first = WorkerProcess.start(WorkerProcess.classpath("connect-4"), stack.bootstrapServers(), dir,
                workerProps(Map.of()), connectorProps(name), "crash-recovery", "256m")) {
            produceMix(0, 120);
            // every object is in S3, no item is in DynamoDB: the worker is between the two
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
                first.assertAlive();
                return objectVersions().size() == 41 && dynamoProxy.count("BatchWriteItem", "InternalServerError") > 0;
            });
            first.kill();
        }
        Map<String, String> before = objectVersions();
        assertThat(dynamo.scan(r -> r.tableName(topic)).count()).isZero();

        dynamoDbDown.set(false);
        try (WorkerProcess second = WorkerProcess.start(WorkerProcess.classpath("connect-4"), stack.bootstrapServers(), dir,
                workerProps(Map.of()), connectorProps(name), "crash-recovery", "256m")) {
            awaitReconciled();
            second.assertAlive();
        }
        assertThat(objectVersions()).as("the same objects, none written again").isEqualTo(before);
        assertThat(s3Proxy.count("HeadObject", "forward"))
                .as("the new worker's conditional uploads were refused as already there, then checked").isPositive();
    }

    @Test
    void killedBetweenTheDynamoDbWriteAndTheOffsetCommit(@TempDir Path dir) throws Exception {
        String name = unique("crash-commit");
        connectorName = null;
        // commits only on a clean stop, which a crash never reaches
        Map<String, String> neverCommits = Map.of("offset.flush.interval.ms", "3600000");
        try (WorkerProcess first = WorkerProcess.start(WorkerProcess.classpath("connect-4"), stack.bootstrapServers(), dir,
                workerProps(neverCommits), connectorProps(name), "crash-recovery", "256m")) {
            produceMix(0, 120);
            awaitReconciled();
            assertThat(committedOffset(name)).as("nothing committed yet").isEqualTo(-1);
            first.kill();
        }
        Map<String, String> before = objectVersions();
        long writesBefore = dynamoProxy.count("BatchWriteItem", "forward");

        try (WorkerProcess second = WorkerProcess.start(WorkerProcess.classpath("connect-4"), stack.bootstrapServers(), dir,
                workerProps(Map.of()), connectorProps(name), "crash-recovery", "256m")) {
            // the records since the last commit (all of them) are delivered and written again
            await().atMost(TIMEOUT).until(() -> committedOffset(name) == ledger.size());
            assertThat(dynamoProxy.count("BatchWriteItem", "forward")).isGreaterThan(writesBefore);
            awaitReconciled();
            second.assertAlive();
        }
        assertThat(objectVersions()).as("the same objects, none written again").isEqualTo(before);
        assertThat(s3Proxy.count("HeadObject", "forward")).isPositive();
    }
}
