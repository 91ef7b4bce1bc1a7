package io.streamoffload.connect.dynamodb.it.modes;

import io.streamoffload.connect.dynamodb.it.stack.InJvmStack;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The write-mode scenarios with {@code item.writes.batching=transactions}: versioned writes, replays after an offset
 * reset, partial updates and change events, their writes carried by TransactWriteItems calls, on moto (dynalite has
 * no transactions).
 */
@ExtendWith(InJvmStackExtension.class)
class InJvmTransactionalWriteModesIT extends WriteModeScenarios {
    private final SinkTestStack stack;

    InJvmTransactionalWriteModesIT(SinkTestStack stack) {
        this.stack = stack.withDynamoDbEndpoint(((InJvmStack) stack).moto().endpoint());
    }

    @Override
    protected SinkTestStack stack() {
        return stack;
    }

    @Override
    protected Map<String, String> baseConfig(String topics) {
        Map<String, String> config = super.baseConfig(topics);
        config.put("item.writes.batching", "transactions");
        return config;
    }
}
