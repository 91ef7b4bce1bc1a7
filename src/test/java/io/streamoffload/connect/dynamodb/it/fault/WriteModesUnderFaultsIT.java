package io.streamoffload.connect.dynamodb.it.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamoffload.connect.dynamodb.it.stack.FaultProxy.AwsError;
import io.streamoffload.connect.dynamodb.it.stack.FaultProxy.Fault;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every write mode that goes one item per call, while DynamoDB throttles (2.5% of calls), fails with 500s (about 7%)
 * and drops connections after
 * applying a write (so that its retry meets its own effect): every record still ends as the item its key's last
 * record makes, or deleted, and the objects in S3 are exactly the distinct payloads. In update mode without versions
 * the last record only wins if every key's writes land in record order.
 */
@ExtendWith(InJvmStackExtension.class)
class WriteModesUnderFaultsIT extends FaultScenarioBase {
    private static final Set<String> ITEM_CALLS = Set.of("PutItem", "UpdateItem", "DeleteItem");
    private final SinkTestStack stack;

    WriteModesUnderFaultsIT(SinkTestStack stack) {
        this.stack = stack;
    }

    @Override
    protected SinkTestStack stack() {
        return stack;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"update", "put, versions from kafka.offset", "update, versions from kafka.offset"})
    void nothingIsLostOrAppliedOutOfOrderUnderThrottlingServerErrorsAndDroppedAnswers(String mode) {
        AtomicInteger calls = new AtomicInteger();
        dynamoProxy.script(r -> {
            if (!ITEM_CALLS.contains(r.operation())) {
                return Fault.FORWARD;
            }
            int n = calls.incrementAndGet();
            // throttling as a table near its capacity does, rarely enough for the adaptive concurrency to keep
            // several calls in flight (a fixed share of every call would throttle at any rate, unlike DynamoDB)
            return n % 40 == 0 ? Fault.error(n % 80 == 0 ? AwsError.provisionedThroughputExceeded() : AwsError.throttling())
                    : n % 13 == 0 ? Fault.error(AwsError.internalServerError())
                    : n % 17 == 0 ? Fault.forwardThenReset()
                    : Fault.FORWARD;
        });
        Map<String, String> config = faultConfig();
        config.put("write.mode", mode.startsWith("update") ? "update" : "put");
        if (mode.contains("versions")) {
            config.put("write.version.source", mode.substring(mode.lastIndexOf(' ') + 1));
            ledger.allowAddedAttribute("_version");
        }
        startConnector(unique("modes"), config);
        produceMix(0, 1200);

        awaitReconciled();
        assertThat(dynamoProxy.operations()).as("no BatchWriteItem in this mode").doesNotContain("BatchWriteItem");
        assertThat(dynamoProxy.count("UpdateItem", "ThrottlingException") + dynamoProxy.count("PutItem", "ThrottlingException")
                + dynamoProxy.count("DeleteItem", "ThrottlingException")).isPositive();
        assertThat(taskState()).isEqualTo("RUNNING");
    }
}
