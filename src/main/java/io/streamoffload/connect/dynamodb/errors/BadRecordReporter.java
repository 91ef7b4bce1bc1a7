package io.streamoffload.connect.dynamodb.errors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * the worker has none, stops the task with the record and the reason. Never drops a record silently.
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
    private final List<Future<Void>> inFlight = new ArrayList<>();

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

    public void report(SinkRecord record, String reason) {
        BadRecordException error = new BadRecordException(record, reason);
        if (reporter == null) {
            throw new ConnectException(error.getMessage() + ". To route such records to a dead letter queue "
                    + "instead, set errors.tolerance=all and errors.deadletterqueue.topic.name", error);
        }
        checkFitsTheDeadLetterQueue(record, error);
        log.warn("Reporting bad {}", error.getMessage());
        // With errors.tolerance=none the reporter itself throws, which fails the task with this error as cause
        inFlight.add(reporter.report(record, error));
    }

    /**
     * A record over the dead letter queue producer's max.request.size cannot be written there. With one reporter (the
     * DLQ) Kafka Connect fails the reporter's future, and {@link #awaitReported()} stops the task; with a second one
     * ({@code errors.log.enable}), it drops the record with only a log line and the future succeeds: the record would
     * be lost. Stop before that, saying what to change.
     */
    private void checkFitsTheDeadLetterQueue(SinkRecord record, BadRecordException error) {
        if (deadLetterLimit.isEmpty()) {
            return;
        }
        OptionalLong size = DeadLetterRecordSize.of(record);
        if (size.isPresent() && size.getAsLong() + DLQ_HEADER_ALLOWANCE > deadLetterLimit.getAsLong()) {
            throw new ConnectException(error.getMessage() + ". The record cannot go to the dead letter queue either: it "
                    + "is " + size.getAsLong() + " bytes, and Kafka Connect's dead letter queue producer sends at most "
                    + deadLetterLimit.getAsLong() + " bytes (max.request.size) and would drop it. Set "
                    + DLQ_MAX_REQUEST_SIZE + " above " + (size.getAsLong() + DLQ_HEADER_ALLOWANCE)
                    + " (and the DLQ topic's max.message.bytes), then restart the task", error);
        }
    }

    /** Waits until every reported record is durable in the dead letter queue. */
    public void awaitReported() {
        try {
            for (Future<Void> future : inFlight) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while reporting bad records", e);
        } catch (ExecutionException e) {
            boolean tooLarge = e.getCause() instanceof RecordTooLargeException;
            throw new ConnectException("Could not write a bad record to the dead letter queue"
                    + (tooLarge ? ": it is larger than the DLQ producer's max.request.size; raise "
                    + DLQ_MAX_REQUEST_SIZE + " (and the DLQ topic's max.message.bytes)" : ""), e.getCause());
        } finally {
            inFlight.clear();
        }
    }
}
