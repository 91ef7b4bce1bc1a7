package io.streamoffload.connect.dynamodb.it;

import io.streamoffload.connect.dynamodb.it.stack.ContainerStack;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.localstack.LocalStackContainer;

/** The offload scenarios on Kafka and LocalStack containers; skipped without a Docker engine (see InJvmOffloadIT). */
@Testcontainers(disabledWithoutDocker = true)
class ContainersOffloadIT extends OffloadScenarios {
    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.0")
            .withEnv("KAFKA_MESSAGE_MAX_BYTES", Integer.toString(16 * 1024 * 1024));
    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer("localstack/localstack:4.4")
            .withServices("dynamodb", "s3");

    private static ContainerStack stack;

    @BeforeAll
    static void startWorker() {
        stack = new ContainerStack(KAFKA, LOCALSTACK);
    }

    @AfterAll
    static void stopWorker() {
        if (stack != null) {
            stack.close();
        }
    }

    @Override
    protected SinkTestStack stack() {
        return stack;
    }
}
