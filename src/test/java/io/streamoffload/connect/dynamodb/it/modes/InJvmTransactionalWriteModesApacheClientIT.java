package io.streamoffload.connect.dynamodb.it.modes;

import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The write-mode scenarios in transactions again, on {@code item.writes.http.client=apache}: its single-item calls go
 * through the connector's threaded adapter of the synchronous client, which must carry TransactWriteItems too.
 */
@ExtendWith(InJvmStackExtension.class)
class InJvmTransactionalWriteModesApacheClientIT extends InJvmTransactionalWriteModesIT {
    InJvmTransactionalWriteModesApacheClientIT(SinkTestStack stack) {
        super(stack);
    }

    @Override
    protected Map<String, String> baseConfig(String topics) {
        Map<String, String> config = super.baseConfig(topics);
        config.put("item.writes.http.client", "apache");
        return config;
    }
}
