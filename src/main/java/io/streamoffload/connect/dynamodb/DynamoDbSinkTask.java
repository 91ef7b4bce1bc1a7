package io.streamoffload.connect.dynamodb;

import io.streamoffload.connect.dynamodb.aws.AwsClientFactory;
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
import io.streamoffload.connect.dynamodb.writer.Sleeper;
import io.streamoffload.connect.dynamodb.writer.WriteOutcome;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * Maps each batch of records to DynamoDB writes and hands them to the {@link BatchWriter}. {@code put} returns
 * only when every write is durable or its record has been reported as bad; otherwise it asks Kafka Connect to
 * redeliver the batch, a bounded number of times in a row. Since {@code put} is synchronous, the offsets Kafka Connect
 * has seen delivered are exactly the durable ones.
 */
public class DynamoDbSinkTask extends SinkTask {
    private static final Logger log = LoggerFactory.getLogger(DynamoDbSinkTask.class);

    private DynamoDbSinkConfig config;
    private DynamoDbClient client;
    private S3Client s3;
    private S3ObjectStore objectStore;
    private RecordMapper mapper;
    private TableManager tables;
    private BatchWriter writer;
    private BadRecordReporter badRecords;
    private SinkTaskMetrics metrics;
    /**
     * Records already reported as bad in a round that was handed back for redelivery, by partition and offset, so
     * that they are not reported twice.
     */
    private final Map<TopicPartition, Set<Long>> reportedInFailedRound = new HashMap<>();
    /**
     * Keys written in a round that was handed back for redelivery. Connect redelivers the same records in the same
     * order, and only the last write per key was sent, so every write to such a key in the batch is applied or
     * superseded: skipping them all (never only some, which could let an older write win) makes each redelivery send
     * less, so a round that writes anything is progress and the rounds end.
     */
    private final Set<TableKey> writtenInFailedRound = new HashSet<>();
    private int redeliveriesInARow;

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
        client = AwsClientFactory.dynamoDb(config.dynamoDbConnection(), config.maxConcurrentBatches());
        S3Client s3Client = config.offload()
                .map(o -> AwsClientFactory.s3(config.s3Connection(), o.maxConcurrentUploads()))
                .orElse(null);
        start(config, client, s3Client, BadRecordReporter.from(context, props), Clock.systemUTC(), Sleeper.THREAD);
    }

    /** Starts with given collaborators; tests use it to inject fakes. {@code s3} is null when offload is off. */
    void start(DynamoDbSinkConfig config, DynamoDbClient client, S3Client s3, BadRecordReporter badRecords, Clock clock,
               Sleeper sleeper) {
        this.config = config;
        this.client = client;
        this.s3 = s3;
        this.badRecords = badRecords;
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
        writer = new BatchWriter(client, new BatchPlanner(config.batchSize()),
                backoff, config.retryBudget(),
                config.maxConcurrentBatches(), clock, sleeper, metrics);
        log.info("DynamoDB sink task started: tables {}, keys {}, offload {}", config.tableNameFormat(), config.keys(),
                config.offload().map(o -> "to s3://" + o.bucket() + " (" + o.codec().configValue() + ")").orElse("off"));
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        List<WriteOperation> writes = new ArrayList<>(records.size());
        for (SinkRecord record : records) {
            if (reportedInFailedRound.getOrDefault(partitionOf(record), Set.of()).contains(OriginalCoordinates.offset(record))) {
                continue;
            }
            try {
                Optional<WriteOperation> write = mapper.map(record);
                if (write.isPresent()) {
                    if (writtenInFailedRound.isEmpty() || !writtenInFailedRound.contains(TableKey.of(write.get()))) {
                        writes.add(write.get());
                    }
                } else {
                    metrics.tombstoneIgnored();
                }
            } catch (MappingException e) {
                reportBad(record, e.getMessage());
            } catch (UnwritableTopicException e) {
                throw e; // the configuration cannot serve this record's topic: not a fact about the record
            } catch (RuntimeException | StackOverflowError e) {
                // whatever a converter, parser or custom serializer throws is about this one record
                reportBad(record, "the record could not be mapped to a DynamoDB item: " + ContentFreeText.failure(e));
            }
        }
        WriteOutcome outcome;
        try {
            ensureTables(writes);
            outcome = writer.write(writes);
            for (WriteOutcome.Rejected rejected : outcome.rejected()) {
                reportBad(rejected.write().record(), rejected.reason());
            }
        } finally {
            // whatever happens to the writes, the bad records reported so far must be durable in the DLQ
            badRecords.awaitReported();
        }
        if (outcome.hasPending()) {
            redeliver(records, outcome);
        }
        redeliveriesInARow = 0;
        writtenInFailedRound.clear();
        reportedInFailedRound.clear();
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

    private void redeliver(Collection<SinkRecord> records, WriteOutcome outcome) {
        String example = RecordCoordinates.of(outcome.pending().get(0).record());
        outcome.durable().forEach(write -> writtenInFailedRound.add(TableKey.of(write)));
        throw countRedelivery(outcome.pending().size() + " of " + records.size() + " records are not yet written "
                + "(e.g. " + example + ") after retrying for " + config.retryBudget().toMillis() + " ms: "
                + outcome.lastFailure(), !outcome.durable().isEmpty());
    }

    /**
     * @param progress whether anything was written in this round; since written keys are not sent again, each such
     *                 round leaves less to write, and only rounds without progress count towards the limit
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
     * Kafka Connect advances {@code currentOffsets} only when {@code put} returns, by the partitions and offsets it
     * consumed, and {@code put} returns only when all it was given is durable or reported: these are the durable
     * offsets. Taking them from the worker, not from the records, works on workers without
     * {@code SinkRecord.original*()} (before Kafka 3.6) even when a transform renames topics.
     */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        return new HashMap<>(currentOffsets);
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        partitions.forEach(reportedInFailedRound::remove);
        // the batch Connect redelivers loses these partitions' records: write all the rest again, never a part of a key's
        writtenInFailedRound.clear();
    }

    @Override
    public void stop() {
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
