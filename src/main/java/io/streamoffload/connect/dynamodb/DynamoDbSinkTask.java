package io.streamoffload.connect.dynamodb;

import io.streamoffload.connect.dynamodb.aws.AwsClientFactory;
import io.streamoffload.connect.dynamodb.config.WriteSettings;
import io.streamoffload.connect.dynamodb.errors.BadRecordReporter;
import io.streamoffload.connect.dynamodb.errors.ContentFreeText;
import io.streamoffload.connect.dynamodb.errors.ErrorClassifier;
import io.streamoffload.connect.dynamodb.errors.TransientRetry;
import io.streamoffload.connect.dynamodb.errors.OriginalCoordinates;
import io.streamoffload.connect.dynamodb.errors.RecordCoordinates;
import io.streamoffload.connect.dynamodb.mapping.MappingException;
import io.streamoffload.connect.dynamodb.mapping.RecordMapper;
import io.streamoffload.connect.dynamodb.mapping.UnwritableTopicException;
import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import io.streamoffload.connect.dynamodb.offload.Offloader;
import io.streamoffload.connect.dynamodb.offload.store.S3ObjectStore;
import io.streamoffload.connect.dynamodb.table.TableManager;
import io.streamoffload.connect.dynamodb.writer.Backoff;
import io.streamoffload.connect.dynamodb.writer.BatchPlanner;
import io.streamoffload.connect.dynamodb.writer.BatchWriter;
import io.streamoffload.connect.dynamodb.writer.DynamoDbWriter;
import io.streamoffload.connect.dynamodb.writer.ItemWriter;
import io.streamoffload.connect.dynamodb.writer.Sleeper;
import io.streamoffload.connect.dynamodb.writer.WriteOutcome;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import io.streamoffload.connect.dynamodb.util.Pools;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Maps each batch of records to DynamoDB writes and hands them to the writer ({@link BatchWriter}, or {@link ItemWriter}
 * for updates and versioned writes) as one round, which runs
 * while Kafka Connect polls and converts the next batch: {@code put} maps its records (starting their S3 uploads), waits
 * for the previous round to end, then starts its own and returns. One round at a time keeps every write to a key behind
 * the earlier ones. Writes of a round still not durable when its retry budget runs out are kept and sent again first,
 * after the next {@code put} has asked Kafka Connect to pause and redeliver its batch, a bounded number of times in a
 * row. {@code preCommit} waits for the round in flight and commits no offset at or beyond a write that is not durable.
 */
public class DynamoDbSinkTask extends SinkTask {
    private static final Logger log = LoggerFactory.getLogger(DynamoDbSinkTask.class);

    private DynamoDbSinkConfig config;
    private DynamoDbClient client;
    private S3Client s3;
    private S3ObjectStore objectStore;
    private RecordMapper mapper;
    private TableManager tables;
    private DynamoDbWriter writer;
    private BadRecordReporter badRecords;
    private SinkTaskMetrics metrics;
    private ExecutorService rounds;
    /** The round in flight, or null. */
    private Round inFlight;
    /** Writes of ended rounds that are not yet durable, oldest first: they go out before anything newer. */
    private List<WriteOperation> carried = new ArrayList<>();
    /** Why the last round left writes behind, until a put() has asked for redelivery because of it. */
    private String unfinishedRound;
    private boolean unfinishedRoundMadeProgress;
    /** A failure of a round that cannot succeed by retrying, thrown by the next put(). */
    private ConnectException fatal;
    /**
     * Records already reported as bad in a put() that was handed back for redelivery, by partition and offset, so
     * that they are not reported twice.
     */
    private final Map<TopicPartition, Set<Long>> reportedInFailedRound = new HashMap<>();
    private int redeliveriesInARow;
    /** Above this many bytes of records, a round ends before put() returns instead of overlapping the next poll. */
    private long maxPipelinedBytes;

    /** The writes of one round, as given to the writer, when the oldest of them was mapped, and its outcome to come. */
    private record Round(List<WriteOperation> writes, long mappedAtMillis, Future<WriteOutcome> outcome) {
    }

    /** When the oldest carried write was mapped, i.e. when its objects were last found stored. */
    private long carriedMappedAtMillis;
    private Clock clock;

    private record TableKey(String table, Map<String, AttributeValue> key) {
        static TableKey of(WriteOperation write) {
            return new TableKey(write.table(), write.key());
        }
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new DynamoDbSinkConfig(props);
        metrics = new SinkTaskMetrics().register(props.getOrDefault("name", "dynamodb-sink"),
                props.getOrDefault(DynamoDbSinkConnector.TASK_ID, "0"));
        registerWithTheWorker(metrics);
        client = AwsClientFactory.dynamoDb(config.dynamoDbConnection(), config.maxConcurrentDynamoDbCalls());
        S3Client s3Client = config.offload()
                .map(o -> AwsClientFactory.s3(config.s3Connection(), o.maxConcurrentUploads()))
                .orElse(null);
        start(config, client, s3Client, BadRecordReporter.from(context, props), Clock.systemUTC(), Sleeper.THREAD);
    }

    /** Workers before Kafka 4.1 have no plugin metrics: the MBean alone serves them. */
    private void registerWithTheWorker(SinkTaskMetrics metrics) {
        try {
            if (context != null && context.pluginMetrics() != null) {
                metrics.register(context.pluginMetrics());
            }
        } catch (LinkageError | UnsupportedOperationException e) {
            log.debug("This worker has no plugin metrics (Kafka 4.1+): {}", e.toString());
        }
    }

    /** Starts with given collaborators; tests use it to inject fakes. {@code s3} is null when offload is off. */
    void start(DynamoDbSinkConfig config, DynamoDbClient client, S3Client s3, BadRecordReporter badRecords, Clock clock,
               Sleeper sleeper) {
        this.config = config;
        this.client = client;
        this.s3 = s3;
        this.badRecords = badRecords;
        this.clock = clock;
        if (metrics == null) {
            metrics = new SinkTaskMetrics();
        }
        Backoff backoff = config.backoff();
        Optional<Offloader> offloader = config.offload().map(settings -> {
            objectStore = new S3ObjectStore(s3, settings, backoff, config.retryBudget(), clock, sleeper, metrics);
            return new Offloader(settings, objectStore, metrics);
        });
        mapper = new RecordMapper(config, clock, offloader);
        tables = new TableManager(client, config.keys(), config.tableAutoCreate(), config.ttlAttribute(),
                config.tableActiveTimeout(), new TransientRetry(backoff, config.retryBudget(), clock, sleeper));
        rounds = Pools.fixed("dynamodb-sink-round", 1);
        maxPipelinedBytes = config.offload().map(o -> (long) o.maxBufferedBytes()).orElse(32L * 1024 * 1024);
        WriteSettings modes = config.writeSettings();
        writer = modes.singleItemWrites()
                ? new ItemWriter(client, modes.version().map(WriteSettings.Version::attribute), modes.removeNulls(),
                        backoff, config.retryBudget(), config.maxConcurrentItemWrites(), clock, sleeper, metrics)
                : new BatchWriter(client, new BatchPlanner(config.batchSize()), backoff, config.retryBudget(),
                        config.maxConcurrentBatches(), clock, sleeper, metrics);
        log.info("DynamoDB sink task started: tables {}, keys {}, offload {}, writes {}", config.tableNameFormat(),
                config.keys(),
                config.offload().map(o -> "to s3://" + o.bucket() + " (" + o.codec().configValue() + ")").orElse("off"),
                modes.describe());
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (fatal != null) {
            throw fatal;
        }
        List<WriteOperation> writes = new ArrayList<>(records.size());
        for (SinkRecord record : records) {
            if (!reportedInFailedRound.getOrDefault(partitionOf(record), Set.of()).contains(OriginalCoordinates.offset(record))) {
                mapOrReport(record).ifPresent(writes::add);
            }
        }
        try {
            ensureTables(writes);
            endRound();
            if (unfinishedRound != null) {
                // nothing of this batch was sent: Kafka Connect hands it back after a pause, and the writes left
                // behind go first then
                String reason = unfinishedRound;
                unfinishedRound = null;
                throw countRedelivery(reason, unfinishedRoundMadeProgress);
            }
            startRound(writes);
        } finally {
            // whatever happens to the writes, the bad records reported so far must be durable in the DLQ
            badRecords.awaitReported();
        }
        reportedInFailedRound.clear();
    }

    /** The record's write, or empty when it is an ignored tombstone or a bad record (reported here). */
    private Optional<WriteOperation> mapOrReport(SinkRecord record) {
        try {
            Optional<WriteOperation> write = mapper.map(record);
            if (write.isEmpty()) {
                metrics.tombstoneIgnored();
            }
            return write;
        } catch (MappingException e) {
            reportBad(record, e.getMessage());
        } catch (UnwritableTopicException e) {
            throw e; // the configuration cannot serve this record's topic: not a fact about the record
        } catch (RuntimeException | StackOverflowError e) {
            // whatever a converter, parser or custom serializer throws is about this one record
            reportBad(record, "the record could not be mapped to a DynamoDB item: " + ContentFreeText.failure(e));
        }
        return Optional.empty();
    }

    /** Sends the writes left behind by earlier rounds, then these, as the round in flight. */
    private void startRound(List<WriteOperation> writes) {
        List<WriteOperation> round = writes;
        long now = clock.millis();
        long mappedAt = now;
        if (!carried.isEmpty()) {
            round = new ArrayList<>(carried.size() + writes.size());
            // a garbage collector may delete objects nobody named for longer than its grace: writes that waited past
            // the dedupe trust period find their objects again (re-uploading them if need be) before naming them
            boolean stale = objectStore != null
                    && now - carriedMappedAtMillis >= config.offload().orElseThrow().dedupeTtl().toMillis();
            mappedAt = stale ? now : carriedMappedAtMillis;
            for (WriteOperation write : carried) {
                if (stale || write.stored().isCompletedExceptionally()) {
                    // its upload gave up, or is too old to trust: mapping it again uploads again if need be
                    mapOrReport(write.record()).ifPresent(round::add);
                } else {
                    round.add(write);
                }
            }
            round.addAll(writes);
            carried = new ArrayList<>();
        }
        if (round.isEmpty()) {
            return;
        }
        List<WriteOperation> sent = round;
        inFlight = new Round(sent, mappedAt, rounds.submit(() -> writer.write(sent)));
        long held = 0;
        for (WriteOperation write : sent) {
            held += write.bytes() + write.offloadedBytes();
        }
        if (held > maxPipelinedBytes) {
            // the round keeps its records alive: with large ones, a second poll's worth on top could exhaust the heap
            endRound();
        }
    }

    /**
     * Waits for the round in flight to end, reports the records DynamoDB refused, and keeps the writes that are not
     * durable for the next round. A round that wrote nothing at all counts towards the redelivery limit.
     */
    private void endRound() {
        Round round = inFlight;
        if (round == null) {
            return;
        }
        inFlight = null;
        WriteOutcome outcome;
        try {
            outcome = awaitUninterruptibly(round.outcome());
        } catch (ExecutionException e) {
            fatal = e.getCause() instanceof ConnectException c ? c
                    : new ConnectException("Unexpected failure in a DynamoDB write round", e.getCause());
            throw fatal;
        }
        if (outcome.hasPending()) {
            // every write of the round to a key left behind, not only the last: if DynamoDB refuses the last one
            // later, the one before it is what the item must hold
            Set<TableKey> pendingKeys = new HashSet<>();
            outcome.pending().forEach(write -> pendingKeys.add(TableKey.of(write)));
            // a write DynamoDB refused is reported below, not sent again
            Set<WriteOperation> refused = Collections.newSetFromMap(new IdentityHashMap<>());
            outcome.rejected().forEach(rejected -> refused.add(rejected.write()));
            round.writes().stream().filter(write -> pendingKeys.contains(TableKey.of(write)) && !refused.contains(write))
                    .forEach(carried::add);
            carriedMappedAtMillis = round.mappedAtMillis();
            unfinishedRound = outcome.pending().size() + " writes are not yet durable (e.g. "
                    + RecordCoordinates.of(outcome.pending().get(0).record()) + ") after retrying for "
                    + config.retryBudget().toMillis() + " ms: " + outcome.lastFailure();
            unfinishedRoundMadeProgress = !outcome.durable().isEmpty();
        } else {
            redeliveriesInARow = 0;
        }
        try {
            for (WriteOutcome.Rejected rejected : outcome.rejected()) {
                reportBad(rejected.write().record(), rejected.reason());
            }
        } catch (ConnectException e) {
            fatal = e; // no dead letter queue: the task stops, and the record's offset is never committed
            throw e;
        }
    }

    /** Every round ends within its retry budget, so waiting through an interrupt is bounded. */
    private static WriteOutcome awaitUninterruptibly(Future<WriteOutcome> round) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return round.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void reportBad(SinkRecord record, String reason) {
        metrics.badRecord();
        badRecords.report(record, reason);
        reportedInFailedRound.computeIfAbsent(partitionOf(record), p -> new HashSet<>()).add(OriginalCoordinates.offset(record));
    }

    private static TopicPartition partitionOf(SinkRecord record) {
        return new TopicPartition(OriginalCoordinates.topic(record), OriginalCoordinates.partition(record));
    }

    private void ensureTables(List<WriteOperation> writes) {
        Set<String> names = new LinkedHashSet<>();
        writes.forEach(w -> names.add(w.table()));
        for (String table : names) {
            try {
                tables.ensure(table);
            } catch (ConnectException e) {
                if (e.getCause() != null && ErrorClassifier.classify(e.getCause()) == ErrorClassifier.Disposition.RETRY) {
                    throw countRedelivery(e.getMessage(), false);
                }
                throw e;
            }
        }
    }

    /**
     * @param progress whether anything was written in the round; since only what is not durable is sent again, each
     *                 such round leaves less to write, and only rounds without progress count towards the limit
     */
    private RuntimeException countRedelivery(String reason, boolean progress) {
        if (!progress) {
            redeliveriesInARow++;
        }
        metrics.redelivery();
        if (redeliveriesInARow > config.maxRedeliveries()) {
            return new ConnectException("Giving up after " + config.maxRedeliveries() + " redeliveries in a row: "
                    + reason + ". Raise the table's write capacity, or retry.budget.ms / retry.max.redeliveries");
        }
        log.warn("{}; asking Kafka Connect to redeliver (attempt {} of {})", reason, redeliveriesInARow,
                config.maxRedeliveries());
        context.timeout(config.backoffMax().toMillis());
        return new RetriableException(reason);
    }

    /**
     * Waits for the round in flight, then commits what Kafka Connect delivered except from the first write that is
     * not yet durable in each partition. The offsets come from the worker, not the records, so that this works on
     * workers without {@code SinkRecord.original*()} (before Kafka 3.6) even when a transform renames topics; if a
     * write left behind cannot be placed in a partition the worker knows, nothing is committed.
     */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        try {
            endRound();
        } catch (ConnectException e) {
            return Map.of(); // put() fails the task with it next
        } finally {
            badRecords.awaitReported();
        }
        Map<TopicPartition, OffsetAndMetadata> durable = new HashMap<>(currentOffsets);
        for (WriteOperation write : carried) {
            TopicPartition partition = partitionOf(write.record());
            if (!currentOffsets.containsKey(partition)) {
                return Map.of();
            }
            long offset = OriginalCoordinates.offset(write.record());
            if (offset < durable.get(partition).offset()) {
                durable.put(partition, new OffsetAndMetadata(offset));
            }
        }
        return durable;
    }

    /**
     * The writes in flight end before the partitions go, so that none lands after the next owner's. Writes left behind
     * for these partitions are dropped: their offsets were not committed, and the next owner writes them again.
     */
    @Override
    public void close(Collection<TopicPartition> partitions) {
        try {
            endRound();
        } catch (ConnectException e) {
            log.debug("The last round failed; put() reports it: {}", e.getMessage());
        }
        Set<TopicPartition> closed = new HashSet<>(partitions);
        carried.removeIf(write -> closed.contains(partitionOf(write.record())));
        if (carried.isEmpty()) {
            unfinishedRound = null; // nothing left behind here to ask a redelivery for
        }
        partitions.forEach(reportedInFailedRound::remove);
    }

    @Override
    public void stop() {
        try {
            endRound();
        } catch (RuntimeException e) {
            log.debug("The last round failed while stopping: {}", e.getMessage());
        }
        if (rounds != null) {
            Pools.shutdown(rounds, "DynamoDB write round");
        }
        log.info("DynamoDB sink task stopping: {}", metrics);
        if (writer != null) {
            writer.close();
        }
        if (objectStore != null) {
            objectStore.close();
        }
        if (client != null) {
            client.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }
}
