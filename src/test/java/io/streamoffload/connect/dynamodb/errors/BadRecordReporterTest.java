package io.streamoffload.connect.dynamodb.errors;

import static io.streamoffload.connect.dynamodb.testutil.Records.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import io.streamoffload.connect.dynamodb.offload.OffloadSettings;
import io.streamoffload.connect.dynamodb.offload.store.S3ObjectStore;
import io.streamoffload.connect.dynamodb.retry.Backoff;
import io.streamoffload.connect.dynamodb.retry.RetryPolicy;
import io.streamoffload.connect.dynamodb.testutil.ConfigBuilder;
import io.streamoffload.connect.dynamodb.testutil.FakeS3;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class BadRecordReporterTest {
    private final List<String> reported = new ArrayList<>();
    private final List<SinkRecord> sent = new ArrayList<>();
    private final ErrantRecordReporter reporter = (record, error) -> {
        reported.add(error.getMessage());
        sent.add(record);
        return CompletableFuture.completedFuture(null);
    };
    private final FakeS3 s3 = new FakeS3();
    private final SinkTaskMetrics metrics = new SinkTaskMetrics();

    private BadRecordReporter parking(OptionalLong limit, S3ObjectStore store, OffloadSettings settings) {
        BadRecordReporter bad = new BadRecordReporter(reporter, limit);
        bad.attach(metrics, Optional.of(new DeadLetterParking(store, settings)));
        return bad;
    }

    private static OffloadSettings settings() {
        return ConfigBuilder.config().with("offload.s3.bucket", "bucket").build().offload().orElseThrow();
    }

    private S3ObjectStore store(OffloadSettings settings, Duration budget) {
        return new S3ObjectStore(s3, settings, new RetryPolicy(new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)),
                budget, Clock.systemUTC(), d -> { }), metrics);
    }

    @Test
    void aBadRecordTooLargeForTheDeadLetterQueueIsParkedInS3AndASmallDeadLetterNamesIt() throws Exception {
        OffloadSettings settings = settings();
        try (S3ObjectStore store = store(settings, Duration.ofSeconds(5))) {
            BadRecordReporter bad = parking(OptionalLong.of(1024 * 1024), store, settings);
            String twoMegabytes = "x".repeat(2 * 1024 * 1024);
            bad.report(record("orders", 0, 9, "k", twoMegabytes), "not valid JSON");
            bad.awaitReported();

            assertThat(reported).singleElement().asString().contains("record orders/0/9: not valid JSON")
                    .contains("parked in S3").contains("s3://bucket/_dynamodb-offload/dead-letters/");
            SinkRecord letter = sent.get(0);
            assertThat(letter.key()).isNull();
            assertThat(letter.value()).isNull();
            assertThat(letter.topic()).isEqualTo("orders");
            assertThat(letter.kafkaPartition()).isZero();
            assertThat(letter.kafkaOffset()).isEqualTo(9);
            // no consumed bytes behind this record (no worker): the converted value is parked as JSON, a JSON string here
            String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(("\"" + twoMegabytes + "\"").getBytes(StandardCharsets.UTF_8)));
            assertThat(letter.headers().lastWithName("dynamodb-offload.parked.value.sha256").value()).isEqualTo(sha);
            assertThat(letter.headers().lastWithName("dynamodb-offload.parked.value.format").value()).isEqualTo("json");
            assertThat(letter.headers().lastWithName("dynamodb-offload.parked.reason").value()).isEqualTo("not valid JSON");
            String key = "_dynamodb-offload/dead-letters/" + sha + ".json.zst";
            assertThat(letter.headers().lastWithName("dynamodb-offload.parked.value.uri").value())
                    .isEqualTo("s3://bucket/" + key);
            assertThat(s3.objects).containsKey("bucket/" + key);
            assertThat(s3.objects.get("bucket/" + key).request().metadata()).containsEntry("source-offset", "9")
                    .containsEntry("dead-letter-part", "value").containsEntry("content-sha256", sha);
            assertThat(metrics.get("DeadLettersParked").longValue()).isEqualTo(1L);
            assertThat(metrics.get("DeadLettersSent").longValue()).isEqualTo(1L);
        }
    }

    /** The topic's or the worker's own limit can be lower than the connector knows: the refusal parks the record. */
    @Test
    void aDeadLetterTheProducerRefusesAsTooLargeIsParkedAfterAll() {
        OffloadSettings settings = settings();
        List<SinkRecord> attempts = new ArrayList<>();
        ErrantRecordReporter refusesLarge = (record, error) -> {
            attempts.add(record);
            return record.value() == null ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(new RecordTooLargeException("too large"));
        };
        try (S3ObjectStore store = store(settings, Duration.ofSeconds(5))) {
            BadRecordReporter bad = new BadRecordReporter(refusesLarge, OptionalLong.of(64L * 1024 * 1024));
            bad.attach(metrics, Optional.of(new DeadLetterParking(store, settings)));
            bad.report(record("orders", 2, 5, "k", "x".repeat(100_000)), "not valid JSON");
            bad.awaitReported();

            assertThat(attempts).hasSize(2);
            assertThat(attempts.get(1).value()).isNull();
            assertThat(attempts.get(1).kafkaOffset()).isEqualTo(5);
            assertThat(attempts.get(1).headers().lastWithName("dynamodb-offload.parked.value.uri")).isNotNull();
            assertThat(metrics.get("DeadLettersParked").longValue()).isEqualTo(1L);
        }
    }

    @Test
    void whenParkingFailsPastTheRetryBudgetTheTaskStopsNamingTheRecord() {
        OffloadSettings settings = settings();
        s3.thenFail(403, "AccessDenied");
        try (S3ObjectStore store = store(settings, Duration.ofMillis(50))) {
            BadRecordReporter bad = parking(OptionalLong.of(1024 * 1024), store, settings);
            assertThatThrownBy(() -> bad.report(record("orders", 1, 4, "k", "x".repeat(2 * 1024 * 1024)), "bad"))
                    .isInstanceOf(ConnectException.class).hasMessageContaining("record orders/1/4: bad")
                    .hasMessageContaining("parking it in S3 failed").hasMessageContaining("AccessDenied");
            assertThat(sent).isEmpty();
        }
    }

    @Test
    void aBadRecordTheDeadLetterQueueProducerWouldDropStopsTheTaskWithWhatToChange() {
        BadRecordReporter bad = new BadRecordReporter(reporter, OptionalLong.of(1024 * 1024));
        String twoMegabytes = "x".repeat(2 * 1024 * 1024);
        assertThatThrownBy(() -> bad.report(record("orders", 0, 9, "k", twoMegabytes), "not valid JSON"))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("record orders/0/9: not valid JSON")
                .hasMessageContaining("2097153 bytes").hasMessageContaining("1048576")
                .hasMessageContaining("producer.override.max.request.size").hasMessageContaining("offload.s3.bucket")
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
