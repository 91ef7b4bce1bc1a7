package io.streamoffload.connect.dynamodb.it.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamoffload.connect.dynamodb.it.stack.InJvmStack;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The write modes under faults with {@code item.writes.batching=transactions}, on moto (dynalite has no
 * TransactWriteItems): throttled and failed transactions, and transactions applied whose answer is lost, so that
 * their retry meets its own effect (moto ignores ClientRequestToken, so the retry is judged by the writes' conditions
 * alone, the harder case).
 */
@ExtendWith(InJvmStackExtension.class)
class TransactionalWriteModesUnderFaultsIT extends WriteModesUnderFaultsIT {
    TransactionalWriteModesUnderFaultsIT(SinkTestStack stack) {
        super(stack.withDynamoDbEndpoint(((InJvmStack) stack).moto().endpoint()));
    }

    /**
     * moto copes slowly with transactions (a hundred writes on a table of a few hundred items take it hundreds of
     * milliseconds, and it serves one call at a time), so calls get the time DynamoDB would not need.
     */
    @Override
    protected Map<String, String> writeCallsConfig() {
        return Map.of("item.writes.batching", "transactions", "aws.api.call.attempt.timeout.ms", "15000",
                "retry.budget.ms", "15000");
    }

    /** A transaction carries tens of writes: faults come more often per call, so that each run meets every kind. */
    @Override
    protected Cadence faults() {
        return new Cadence(7, 11, 5);
    }

    @Override
    protected void assertWriteCalls() {
        assertThat(dynamoProxy.operations()).contains("TransactWriteItems");
    }
}
