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
public class WriteModesUnderFaultsIT extends FaultScenarioBase {
    private static final Set<String> ITEM_CALLS = Set.of("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems");
    private final SinkTestStack stack;

    public WriteModesUnderFaultsIT(SinkTestStack stack) {
        this.stack = stack;
    }

    @Override
    protected SinkTestStack stack() {
        return stack;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"update", "put, versions from kafka.offset", "update, versions from kafka.offset",
            "debezium, versions from source.lsn"})
    void nothingIsLostOrAppliedOutOfOrderUnderThrottlingServerErrorsAndDroppedAnswers(String mode) {
        injectFaults();
        Map<String, String> config = faultConfig();
        config.putAll(writeCallsConfig());
        config.put("write.mode", mode.startsWith("update") ? "update" : "put");
        if (mode.startsWith("debezium")) {
            config.put("cdc.format", "debezium");
            config.put("write.version.source", "record.value");
            config.put("write.version.field", "source.lsn");
            ledger.allowAddedAttribute("_version");
            startConnector(unique("modes"), config);
            produceChangeEvents(1200);
        } else {
            if (mode.contains("versions")) {
                config.put("write.version.source", "kafka.offset");
                ledger.allowAddedAttribute("_version");
            }
            startConnector(unique("modes"), config);
            produceMix(0, 1200);
        }

        awaitReconciled();
        assertThat(dynamoProxy.operations()).as("no BatchWriteItem in this mode").doesNotContain("BatchWriteItem");
        assertThat(ITEM_CALLS.stream().mapToLong(call -> dynamoProxy.count(call, "ThrottlingException")).sum())
                .isPositive();
        assertThat(taskState()).isEqualTo("RUNNING");
        assertWriteCalls();
    }

    /** How single-item writes travel in this run: each its own call. */
    protected Map<String, String> writeCallsConfig() {
        return Map.of();
    }

    protected void assertWriteCalls() {
        assertThat(dynamoProxy.operations()).doesNotContain("TransactWriteItems");
    }

    /**
     * What {@link #produceMix} produces, as Debezium change events: creates and updates whose 'after' is the row the
     * item must hold, and for every seventh record a delete event followed by its tombstone; the LSN grows.
     */
    private void produceChangeEvents(int n) {
        for (int i = 0; i < n; i++) {
            String key = "k-" + (i % 251);
            String row = "{\"n\":" + i + ",\"body\":\"payload " + (i % 41) + " " + "x".repeat(300)
                    + "\",\"tags\":[\"a\",\"b\"],\"price\":-1.5}";
            String source = ",\"source\":{\"connector\":\"postgresql\",\"lsn\":" + (1000 + i) + "},\"ts_ms\":" + i + "}";
            if (i % 7 == 6) {
                ledger.delete(key, "{\"op\":\"d\",\"before\":{\"n\":0},\"after\":null" + source);
                ledger.ignoredTombstone(key);
            } else {
                ledger.put(key, "{\"op\":\"" + (i < 251 ? "c" : "u") + "\",\"before\":null,\"after\":" + row + source, row);
            }
        }
        ledger.flush();
    }

    /**
     * Every how many write calls DynamoDB throttles (every other one of those with ProvisionedThroughputExceeded),
     * fails with a 500, and drops the connection after applying the call.
     */
    protected record Cadence(int throttle, int serverError, int reset) {
    }

    protected Cadence faults() {
        return new Cadence(40, 13, 17);
    }

    private void injectFaults() {
        Cadence every = faults();
        AtomicInteger calls = new AtomicInteger();
        dynamoProxy.script(r -> {
            if (!ITEM_CALLS.contains(r.operation())) {
                return Fault.FORWARD;
            }
            int n = calls.incrementAndGet();
            // throttling as a table near its capacity does, rarely enough for the adaptive concurrency to keep
            // several calls in flight (a fixed share of every call would throttle at any rate, unlike DynamoDB)
            return n % every.throttle() == 0 ? Fault.error(n % (2 * every.throttle()) == 0
                    ? AwsError.provisionedThroughputExceeded() : AwsError.throttling())
                    : n % every.serverError() == 0 ? Fault.error(AwsError.internalServerError())
                    : n % every.reset() == 0 ? Fault.forwardThenReset()
                    : Fault.FORWARD;
        });
    }
}
