package io.streamoffload.connect.dynamodb.errors;

import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records that can never be written to the worker's errant-record reporter (dead letter queue), or, when
 * the worker has none, stops the task with the record and the reason. A record too large for the dead letter queue
 * producer is parked in S3 first, and a small dead letter naming it goes in its place; without an offload bucket to
 * park it in, the task stops saying what to change. Never drops a record silently.
 */
public final class BadRecordReporter {
    private static final Logger log = LoggerFactory.getLogger(BadRecordReporter.class);
    static final String DLQ_TOPIC = "errors.deadletterqueue.topic.name";
    static final String DLQ_MAX_REQUEST_SIZE = "producer.override.max.request.size";
    /** Kafka's default max.request.size, which the dead letter queue producer has unless overridden. */
    static final long DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;
    /** Room for the error headers Kafka Connect adds (message, stack trace, coordinates) and the batch envelope. */
    private static final long DLQ_HEADER_ALLOWANCE = 16 * 1024;

    private final ErrantRecordReporter reporter;
    private final OptionalLong deadLetterLimit;
    private final List<Reported> inFlight = new ArrayList<>();
    private SinkTaskMetrics metrics = new SinkTaskMetrics();
    private Optional<DeadLetterParking> parking = Optional.empty();

    /** A record handed to the reporter, with what to park if the DLQ producer finds it too large after all. */
    private record Reported(SinkRecord record, String reason, boolean parked, Future<Void> future) {
    }

    public BadRecordReporter(ErrantRecordReporter reporter) {
        this(reporter, OptionalLong.empty());
    }

    /** @param deadLetterLimit the most the dead letter queue producer sends in one request, when there is a DLQ topic */
    BadRecordReporter(ErrantRecordReporter reporter, OptionalLong deadLetterLimit) {
        this.reporter = reporter;
        this.deadLetterLimit = deadLetterLimit;
    }

    /**
     * Looks the reporter up defensively: it does not exist before Kafka 2.6 and is null without error handling. With a
     * dead letter queue topic, learns the DLQ producer's request limit from {@code producer.override.max.request.size}.
     */
    public static BadRecordReporter from(SinkTaskContext context, Map<String, String> props) {
        ErrantRecordReporter reporter = null;
        try {
            reporter = context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            log.warn("This Kafka Connect worker has no errant record reporter; bad records will fail the task");
        }
        OptionalLong limit = OptionalLong.empty();
        if (!props.getOrDefault(DLQ_TOPIC, "").isBlank()) {
            try {
                limit = OptionalLong.of(Long.parseLong(props.getOrDefault(DLQ_MAX_REQUEST_SIZE,
                        Long.toString(DEFAULT_MAX_REQUEST_SIZE)).trim()));
            } catch (NumberFormatException e) {
                limit = OptionalLong.of(DEFAULT_MAX_REQUEST_SIZE);
            }
        }
        return new BadRecordReporter(reporter, limit);
    }

    /**
     * Where dead letters are counted and, with offload on, where records too large for the dead letter queue are
     * parked; the task calls this once its S3 store exists.
     */
    public void attach(SinkTaskMetrics metrics, Optional<DeadLetterParking> parking) {
        this.metrics = metrics;
        this.parking = parking;
    }

    public void report(SinkRecord record, String reason) {
        BadRecordException error = new BadRecordException(record, reason);
        if (reporter == null) {
            throw new ConnectException(error.getMessage() + ". To route such records to a dead letter queue "
                    + "instead, set errors.tolerance=all and errors.deadletterqueue.topic.name", error);
        }
        OptionalLong size = tooLargeForTheDeadLetterQueue(record);
        if (size.isPresent()) {
            sendParked(record, reason, size.getAsLong());
            return;
        }
        log.warn("Reporting bad {}", error.getMessage());
        // With errors.tolerance=none the reporter itself throws, which fails the task with this error as cause
        inFlight.add(new Reported(record, reason, false, reporter.report(record, error)));
        metrics.deadLetterSent();
    }

    /**
     * The record's size when it is over the dead letter queue producer's max.request.size. Such a record cannot be
     * written there: with one reporter (the DLQ) Kafka Connect fails the reporter's future; with a second one
     * ({@code errors.log.enable}), it drops the record with only a log line and the future succeeds, and the record
     * would be lost.
     */
    private OptionalLong tooLargeForTheDeadLetterQueue(SinkRecord record) {
        if (deadLetterLimit.isEmpty()) {
            return OptionalLong.empty();
        }
        OptionalLong size = DeadLetterRecordSize.of(record);
        return size.isPresent() && size.getAsLong() + DLQ_HEADER_ALLOWANCE > deadLetterLimit.getAsLong()
                ? size : OptionalLong.empty();
    }

    /**
     * Parks the record in S3, then sends the small dead letter that names it; without an offload bucket, stops the task
     * saying what to change.
     */
    private void sendParked(SinkRecord record, String reason, long size) {
        if (parking.isEmpty()) {
            throw new ConnectException(new BadRecordException(record, reason).getMessage() + ". The record cannot go to "
                    + "the dead letter queue either: it is " + size + " bytes, and Kafka Connect's dead letter queue "
                    + "producer sends at most " + deadLetterLimit.orElse(DEFAULT_MAX_REQUEST_SIZE) + " bytes "
                    + "(max.request.size) and would drop it. Set offload.s3.bucket, so that such records are parked in "
                    + "S3 and a small dead letter names them, or set " + DLQ_MAX_REQUEST_SIZE + " above "
                    + (size + DLQ_HEADER_ALLOWANCE) + " (and the DLQ topic's max.message.bytes); then restart the task");
        }
        DeadLetterParking.Parked parked = parking.get().park(record, reason, size);
        metrics.deadLetterParked();
        BadRecordException error = new BadRecordException(record, reason + "; " + parked.describe());
        log.warn("Reporting bad {}", error.getMessage());
        inFlight.add(new Reported(record, reason, true, reporter.report(parked.deadLetter(), error)));
        metrics.deadLetterSent();
    }

    /**
     * Waits until every reported record is durable in the dead letter queue. One that the DLQ producer refused as too
     * large after all (the topic's or the worker's own limit may be lower than the size estimate allowed for) is
     * parked and its small dead letter sent instead.
     */
    public void awaitReported() {
        try {
            List<Reported> reported = List.copyOf(inFlight);
            inFlight.clear();
            for (Reported r : reported) {
                try {
                    r.future().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof RecordTooLargeException) || r.parked() || parking.isEmpty()) {
                        throw e;
                    }
                    log.info("The dead letter queue refused a bad record as too large; parking it in S3 instead");
                    sendParked(r.record(), r.reason(), DeadLetterRecordSize.of(r.record()).orElse(0));
                }
            }
            for (Reported r : List.copyOf(inFlight)) {
                r.future().get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while reporting bad records", e);
        } catch (ExecutionException e) {
            boolean tooLarge = e.getCause() instanceof RecordTooLargeException;
            throw new ConnectException("Could not write a bad record to the dead letter queue"
                    + (tooLarge ? ": it is larger than the DLQ producer's max.request.size; set offload.s3.bucket so "
                    + "that such records are parked in S3, or raise " + DLQ_MAX_REQUEST_SIZE
                    + " (and the DLQ topic's max.message.bytes)" : ""), e.getCause());
        } finally {
            inFlight.clear();
        }
    }
}
