package io.streamoffload.connect.dynamodb.it;

import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import org.junit.jupiter.api.extension.ExtendWith;

/** The offload scenarios on Kafka, Connect and s3proxy running in this JVM, with dynalite beside it. */
@ExtendWith(InJvmStackExtension.class)
class InJvmOffloadIT extends OffloadScenarios {
    private final SinkTestStack stack;

    InJvmOffloadIT(SinkTestStack stack) {
        this.stack = stack;
    }

    @Override
    protected SinkTestStack stack() {
        return stack;
    }
}
