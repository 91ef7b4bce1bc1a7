package io.streamoffload.connect.dynamodb.errors;

import static io.streamoffload.connect.dynamodb.testutil.Records.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.junit.jupiter.api.Test;

class BadRecordReporterTest {
    private final List<String> reported = new ArrayList<>();
    private final ErrantRecordReporter reporter = (record, error) -> {
        reported.add(error.getMessage());
        return CompletableFuture.completedFuture(null);
    };

    @Test
    void aBadRecordTheDeadLetterQueueProducerWouldDropStopsTheTaskWithWhatToChange() {
        BadRecordReporter bad = new BadRecordReporter(reporter, OptionalLong.of(1024 * 1024));
        String twoMegabytes = "x".repeat(2 * 1024 * 1024);
        assertThatThrownBy(() -> bad.report(record("orders", 0, 9, "k", twoMegabytes), "not valid JSON"))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("record orders/0/9: not valid JSON")
                .hasMessageContaining("2097153 bytes").hasMessageContaining("1048576")
                .hasMessageContaining("producer.override.max.request.size")
                .message().doesNotContain(twoMegabytes.substring(0, 100));
        assertThat(reported).isEmpty();

        bad.report(record("orders", 0, 10, "k", "x".repeat(1000)), "not valid JSON");
        assertThat(reported).singleElement().asString().contains("record orders/0/10");
    }

    @Test
    void theLimitComesFromTheConnectorsProducerOverrideWhenThereIsADeadLetterQueueTopic() {
        var context = new io.streamoffload.connect.dynamodb.testutil.FakeSinkTaskContext(reporter);
        BadRecordReporter withOverride = BadRecordReporter.from(context, Map.of(
                "errors.deadletterqueue.topic.name", "dlq", "producer.override.max.request.size", "8388608"));
        withOverride.report(record("orders", 0, 1, "k", "x".repeat(2 * 1024 * 1024)), "bad");
        assertThat(reported).hasSize(1);

        BadRecordReporter logOnly = BadRecordReporter.from(context, Map.of("errors.tolerance", "all"));
        logOnly.report(record("orders", 0, 2, "k", "x".repeat(2 * 1024 * 1024)), "bad");
        assertThat(reported).as("no DLQ topic: nothing is produced, so there is no limit").hasSize(2);
    }
}
