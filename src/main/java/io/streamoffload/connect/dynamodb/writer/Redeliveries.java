package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import java.time.Duration;
import java.util.function.LongConsumer;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batches a task hands back to Kafka Connect for redelivery, when its writes could not be made durable within the
 * retry budget or a table could not be checked: each asks Connect to pause first, and after {@code
 * retry.max.redeliveries} in a row that wrote nothing, the task gives up with what kept failing.
 */
public final class Redeliveries {
    private static final Logger log = LoggerFactory.getLogger(Redeliveries.class);

    private final int max;
    private final Duration pause;
    private final LongConsumer askForPause;
    private final SinkTaskMetrics metrics;
    private int inARow;

    /**
     * @param askForPause asks Kafka Connect to wait this many milliseconds before redelivering ({@code context.timeout})
     */
    public Redeliveries(int max, Duration pause, LongConsumer askForPause, SinkTaskMetrics metrics) {
        this.max = max;
        this.pause = pause;
        this.askForPause = askForPause;
        this.metrics = metrics;
    }

    /**
     * The exception that hands the batch back: a {@link RetriableException}, or a {@link ConnectException} once the
     * bound is passed.
     *
     * @param progress whether anything was written in the round; since only what is not durable is sent again, each
     *                 such round leaves less to write, and only rounds without progress count towards the bound
     */
    public RuntimeException next(String reason, boolean progress) {
        if (!progress) {
            inARow++;
        }
        metrics.redelivery();
        if (inARow > max) {
            return new ConnectException("Giving up after " + max + " redeliveries in a row: "
                    + reason + ". Raise the table's write capacity, or retry.budget.ms / retry.max.redeliveries");
        }
        log.warn("{}; asking Kafka Connect to redeliver (attempt {} of {})", reason, inARow, max);
        askForPause.accept(pause.toMillis());
        return new RetriableException(reason);
    }

    /** A round that left nothing behind: the count starts again. */
    public void reset() {
        inARow = 0;
    }
}
