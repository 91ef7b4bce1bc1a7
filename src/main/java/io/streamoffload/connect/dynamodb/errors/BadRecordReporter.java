package io.streamoffload.connect.dynamodb.errors;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
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

    private final ErrantRecordReporter reporter;
    private final List<Future<Void>> inFlight = new ArrayList<>();

    public BadRecordReporter(ErrantRecordReporter reporter) {
        this.reporter = reporter;
    }

    /** Looks the reporter up defensively: it does not exist before Kafka 2.6 and is null without error handling. */
    public static BadRecordReporter from(SinkTaskContext context) {
        ErrantRecordReporter reporter = null;
        try {
            reporter = context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            log.warn("This Kafka Connect worker has no errant record reporter; bad records will fail the task");
        }
        return new BadRecordReporter(reporter);
    }

    public void report(SinkRecord record, String reason) {
        BadRecordException error = new BadRecordException(record, reason);
        if (reporter == null) {
            throw new ConnectException(error.getMessage() + ". To route such records to a dead letter queue "
                    + "instead, set errors.tolerance=all and errors.deadletterqueue.topic.name", error);
        }
        log.warn("Reporting bad {}", error.getMessage());
        // With errors.tolerance=none the reporter itself throws, which fails the task with this error as cause
        inFlight.add(reporter.report(record, error));
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
            throw new ConnectException("Could not write a bad record to the dead letter queue", e.getCause());
        } finally {
            inFlight.clear();
        }
    }
}
