package io.streamoffload.connect.dynamodb.it.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamoffload.connect.dynamodb.it.stack.InJvmStack;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import java.util.Map;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 8 of the fault suite: a Connect cluster of two workers running four tasks, one worker stopped while records
 * flow, then the connector restarted with its tasks, then one task restarted alone.
 */
@ExtendWith(InJvmStackExtension.class)
class WorkerFailoverIT extends FaultScenarioBase {
    private static final int TASKS = 4;
    private final InJvmStack stack;

    WorkerFailoverIT(InJvmStack stack) {
        this.stack = stack;
    }

    @Override
    protected SinkTestStack stack() {
        return stack;
    }

    @Override
    protected int partitions() {
        return 8;
    }

    @Test
    void aWorkerStoppedMidStreamAndConnectorAndTaskRestartsLoseNothing() {
        WorkerHandle second = stack.connectCluster().addWorker();
        boolean removed = false;
        try {
            await().atMost(TIMEOUT).until(() -> stack.connectCluster().healthyWorkers().size() == 2);
            Map<String, String> config = faultConfig();
            config.put("tasks.max", Integer.toString(TASKS));
            startConnector(unique("failover"), config);
            await().atMost(TIMEOUT).until(() -> connect.allRunning(connectorName, TASKS)
                    && connect.taskWorkers(connectorName).size() == 2);

            dynamoProxy.latency(java.time.Duration.ofMillis(30));
            produceMix(0, 800);
            // stop the second worker while its tasks are writing
            await().atMost(TIMEOUT).until(() -> dynamoProxy.count("BatchWriteItem", "forward") >= 4);
            long writesAtStop = dynamoProxy.count("BatchWriteItem", "forward");
            stack.connectCluster().removeWorker(second);
            removed = true;
            produceMix(800, 800);
            await().atMost(TIMEOUT).until(() -> connect.allRunning(connectorName, TASKS)
                    && connect.taskWorkers(connectorName).size() == 1);

            connect.restartConnectorAndTasks(connectorName);
            produceMix(1600, 400);
            connect.restartTask(connectorName, 1);
            produceMix(2000, 400);

            awaitReconciled();
            assertThat(dynamoProxy.count("BatchWriteItem", "forward")).as("writes went on after the worker stopped")
                    .isGreaterThan(writesAtStop);
            await().atMost(TIMEOUT).until(() -> connect.allRunning(connectorName, TASKS));
        } finally {
            if (!removed) {
                stack.connectCluster().removeWorker(second);
            }
        }
    }
}
