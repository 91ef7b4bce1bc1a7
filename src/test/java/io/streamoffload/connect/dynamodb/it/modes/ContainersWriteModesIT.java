package io.streamoffload.connect.dynamodb.it.modes;

import io.streamoffload.connect.dynamodb.it.stack.ContainerStack;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The write-mode scenarios against Kafka and LocalStack containers; skipped without a Docker engine. */
@Testcontainers(disabledWithoutDocker = true)
class ContainersWriteModesIT extends WriteModeScenarios {
    @Override
    protected SinkTestStack stack() {
        return ContainerStack.shared();
    }
}
