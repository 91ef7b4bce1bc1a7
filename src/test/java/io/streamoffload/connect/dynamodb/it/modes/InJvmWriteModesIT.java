package io.streamoffload.connect.dynamodb.it.modes;

import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import org.junit.jupiter.api.extension.ExtendWith;

/** The write-mode scenarios on Kafka, Connect and s3proxy running in this JVM, with dynalite beside it. */
@ExtendWith(InJvmStackExtension.class)
class InJvmWriteModesIT extends WriteModeScenarios {
    private final SinkTestStack stack;

    InJvmWriteModesIT(SinkTestStack stack) {
        this.stack = stack;
    }

    @Override
    protected SinkTestStack stack() {
        return stack;
    }
}
