package io.streamoffload.connect.dynamodb.it;

import io.streamoffload.connect.dynamodb.it.stack.ContainerStack;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The offload scenarios against Kafka and LocalStack (DynamoDB + S3) containers with an in-JVM Connect worker.
 * Skipped where there is no Docker engine (as on the project's build machines); {@link InJvmOffloadIT} runs the same
 * scenarios everywhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainersOffloadIT extends OffloadScenarios {
    @Override
    protected SinkTestStack stack() {
        return ContainerStack.shared();
    }
}
