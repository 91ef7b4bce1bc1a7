package io.streamoffload.connect.dynamodb.it.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamoffload.connect.dynamodb.it.stack.Dynalite;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * DynamoDB itself goes down hard while records are being written: a dynalite of this scenario's own, keeping its tables
 * in LevelDB, is killed (SIGKILL) with batches in flight, so that calls are cut and the next ones meet refused
 * connections, and comes back on the same endpoint with its data. The task keeps running, and once DynamoDB is back
 * every record has its outcome: those being written at the kill, those produced during the outage, and those written
 * and committed before it (never redelivered, so there only if DynamoDB kept them).
 */
@ExtendWith(InJvmStackExtension.class)
class DynamoDbRestartIT extends FaultScenarioBase {
    private static final int BEFORE = 300;
    private static final int AT_THE_KILL = 3000;
    private static final int DURING = 200;
    private final Path data;
    private final SinkTestStack stack;
    private Dynalite dynamoDb;

    DynamoDbRestartIT(SinkTestStack shared) throws IOException {
        data = Files.createDirectories(Path.of("target", "test-servers")).resolve("dynalite-restart-" + System.nanoTime());
        dynamoDb = Dynalite.persistent(data);
        stack = shared.withDynamoDbEndpoint(dynamoDb.endpoint());
    }

    @Override
    protected SinkTestStack stack() {
        return stack;
    }

    @AfterEach
    void stopDynamoDb() throws Exception {
        dynamoDb.close();
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
    }

    @Test
    void aDynamoDbKilledWithWritesInFlightAndStartedAgainLosesNothing() throws Exception {
        Map<String, String> config = faultConfig();
        config.put("dynamodb.endpoint.url", dynamoDb.endpoint().toString()); // refused connections, not a proxy's resets
        // small calls one at a time: writing the records takes seconds, so the kill finds calls in flight
        config.put("batch.size", "5");
        config.put("max.concurrent.batches", "1");
        startConnector(unique("restart"), config);
        produce("before-", BEFORE);
        awaitReconciled();
        await().atMost(TIMEOUT).until(() -> committedOffset() == BEFORE);

        produce("at-the-kill-", AT_THE_KILL);
        long itemsAtTheKill = await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20))
                .until(this::items, n -> n >= BEFORE + 100);
        dynamoDb.kill();
        assertThat(itemsAtTheKill).as("killed while the records were being written")
                .isLessThan(BEFORE + AT_THE_KILL);

        long retriedBefore = failedCallsRetried();
        produce("during-", DURING);
        await().atMost(TIMEOUT).ignoreExceptions().until(() -> failedCallsRetried() >= retriedBefore + 5);
        assertThat(taskState()).as("the task rides out DynamoDB being down").isEqualTo("RUNNING");

        dynamoDb = dynamoDb.restart();
        Ledger.Report report = awaitReconciled();
        assertThat(report.written()).as("every record written").isEqualTo(BEFORE + AT_THE_KILL + DURING);
        assertThat(taskState()).isEqualTo("RUNNING");
        System.out.println("[fault suite] DynamoDB killed with " + itemsAtTheKill + " of " + (BEFORE + AT_THE_KILL)
                + " items written; the task retried " + (failedCallsRetried() - retriedBefore) + " calls after it");
    }

    /** Records to keys of their own, so that each one's item shows whether it was kept. */
    private void produce(String prefix, int n) {
        for (int i = 0; i < n; i++) {
            ledger.put(prefix + i, "{\"n\":" + i + ",\"body\":\"payload " + (i % 41) + " " + "x".repeat(300) + "\"}");
        }
        ledger.flush();
    }

    private long items() {
        return dynamo.scanPaginator(r -> r.tableName(topic).select(Select.COUNT)).stream().mapToLong(ScanResponse::count).sum();
    }

    private long failedCallsRetried() throws Exception {
        ObjectName name = new ObjectName(SinkTaskMetrics.DOMAIN + ":type=sink-task-metrics,connector="
                + ObjectName.quote(connectorName) + ",task=" + ObjectName.quote("0"));
        return (Long) ManagementFactory.getPlatformMBeanServer().getAttribute(name, "FailedCallsRetried");
    }
}
