package io.streamoffload.connect.dynamodb;

import io.streamoffload.connect.dynamodb.aws.AwsClientFactory;
import io.streamoffload.connect.dynamodb.aws.ThreadedDynamoDbAsyncClient;
import io.streamoffload.connect.dynamodb.config.WriteSettings;
import io.streamoffload.connect.dynamodb.errors.AlreadyReported;
import io.streamoffload.connect.dynamodb.errors.BadRecordReporter;
import io.streamoffload.connect.dynamodb.errors.ContentFreeText;
import io.streamoffload.connect.dynamodb.errors.DeadLetterParking;
import io.streamoffload.connect.dynamodb.errors.ErrorClassifier;
import io.streamoffload.connect.dynamodb.mapping.MappingException;
import io.streamoffload.connect.dynamodb.mapping.RecordMapper;
import io.streamoffload.connect.dynamodb.mapping.UnwritableTopicException;
import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import io.streamoffload.connect.dynamodb.offload.OffloadSettings;
import io.streamoffload.connect.dynamodb.offload.Offloader;
import io.streamoffload.connect.dynamodb.offload.store.S3ObjectStore;
import io.streamoffload.connect.dynamodb.retry.RetryPolicy;
import io.streamoffload.connect.dynamodb.retry.Sleeper;
import io.streamoffload.connect.dynamodb.table.TableManager;
import io.streamoffload.connect.dynamodb.writer.BatchPlanner;
import io.streamoffload.connect.dynamodb.writer.BatchWriter;
import io.streamoffload.connect.dynamodb.writer.DynamoDbWriter;
import io.streamoffload.connect.dynamodb.writer.ItemWriter;
import io.streamoffload.connect.dynamodb.writer.MixedWriter;
import io.streamoffload.connect.dynamodb.writer.Redeliveries;
import io.streamoffload.connect.dynamodb.writer.WriteRounds;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The orchestrator of one task: maps each batch of records to DynamoDB writes (reporting bad records), makes sure their
 * tables exist, and hands the writes to {@link WriteRounds}, which runs them as one round while Kafka Connect polls and
 * converts the next batch, through the writer ({@link BatchWriter}, or {@link ItemWriter} for updates and versioned
 * writes). A round whose writes are not all durable within the retry budget makes the next {@code put} hand its batch
 * back for redelivery ({@link Redeliveries}); {@code preCommit} waits for the round in flight and commits no offset at
 * or beyond a write that is not durable.
 */
public class DynamoDbSinkTask extends SinkTask {
    private static final Logger log = LoggerFactory.getLogger(DynamoDbSinkTask.class);

    private DynamoDbSinkConfig config;
    private DynamoDbClient client;
    /** The asynchronous client of single-item calls, or null when they go a thread each through {@link #client}. */
    private DynamoDbAsyncClient itemClient;
    private S3Client s3;
    private S3ObjectStore objectStore;
    private RecordMapper mapper;
    private TableManager tables;
    private DynamoDbWriter writer;
    private BadRecordReporter badRecords;
    private SinkTaskMetrics metrics;
    private WriteRounds rounds;
    private Redeliveries redeliveries;
    private final AlreadyReported reportedInHandedBackPut = new AlreadyReported();

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
        WriteSettings writes = config.writeSettings();
        if (writes.singleItemWrites() || writes.unavailable().isPresent()) {
            itemClient = AwsClientFactory.dynamoDbAsync(config.dynamoDbConnection(), config.maxConcurrentItemWrites(),
                    config.itemWritesHttpClient()).orElse(null);
        }
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
        if (metrics == null) {
            metrics = new SinkTaskMetrics();
        }
        RetryPolicy retry = config.retryPolicy(clock, sleeper);
        Optional<Offloader> offloader = config.offload().map(settings -> {
            objectStore = new S3ObjectStore(s3, settings, retry, metrics);
            return new Offloader(settings, objectStore, metrics);
        });
        badRecords.attach(metrics, config.offload().map(settings -> new DeadLetterParking(objectStore, settings)));
        mapper = new RecordMapper(config, clock, offloader);
        tables = TableManager.forConfig(client, config, retry);
        WriteSettings modes = config.writeSettings();
        writer = writerFor(modes, retry);
        redeliveries = new Redeliveries(config.maxRedeliveries(), config.backoffMax(), millis -> context.timeout(millis), metrics);
        rounds = new WriteRounds(writer, new WriteRounds.Records() {
            @Override
            public Optional<WriteOperation> remap(SinkRecord record) {
                return mapOrReport(record);
            }

            @Override
            public void reportRefused(SinkRecord record, String reason) {
                reportBad(record, reason);
            }
        }, redeliveries, retry, config.offload().map(OffloadSettings::dedupeTtl),
                config.maxPipelinedBytes());
        log.info("DynamoDB sink task started: tables {}, keys {}, offload {}, writes {}", config.tableNameFormat(),
                config.keys(),
                config.offload().map(o -> "to s3://" + o.bucket() + " (" + o.codec().configValue() + ")").orElse("off"),
                modes.describe());
    }

    /**
     * Batches for whole puts and deletes, single-item calls for what a batch cannot carry; with change events applied
     * as puts, both: a change that could not carry some columns, or moves a row to a new key, goes on its own.
     */
    private DynamoDbWriter writerFor(WriteSettings modes, RetryPolicy retry) {
        if (modes.singleItemWrites()) {
            return itemWriter(modes, retry);
        }
        BatchWriter batches = new BatchWriter(client, new BatchPlanner(config.batchSize()), config.maxConcurrentBatches(),
                retry, metrics);
        return modes.unavailable().isPresent() ? new MixedWriter(batches, itemWriter(modes, retry)) : batches;
    }

    private ItemWriter itemWriter(WriteSettings modes, RetryPolicy retry) {
        if (itemClient == null) {
            itemClient = new ThreadedDynamoDbAsyncClient(client, config.maxConcurrentItemWrites());
        }
        return new ItemWriter(itemClient, modes, config.itemWritesBatching(), config.maxConcurrentItemWrites(), retry,
                metrics);
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        rounds.throwIfFailed();
        List<WriteOperation> writes = new ArrayList<>(records.size());
        for (SinkRecord record : records) {
            if (!reportedInHandedBackPut.contains(record)) {
                mapOrReport(record).ifPresent(writes::add);
            }
        }
        try {
            ensureTables(writes);
            rounds.end();
            Optional<WriteRounds.Unfinished> unfinished = rounds.takeUnfinished();
            if (unfinished.isPresent()) {
                // this batch was mapped (its uploads may have begun: an object no item names is harmless, and gc
                // removes it) but none of it is sent: Kafka Connect hands it back after a pause, and the writes left
                // behind go first then
                throw redeliveries.next(unfinished.get().reason(), unfinished.get().madeProgress());
            }
            rounds.start(writes);
        } finally {
            // whatever happens to the writes, the bad records reported so far must be durable in the DLQ
            badRecords.awaitReported();
        }
        reportedInHandedBackPut.clear();
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

    private void reportBad(SinkRecord record, String reason) {
        metrics.badRecord();
        badRecords.report(record, reason);
        reportedInHandedBackPut.add(record);
    }

    private void ensureTables(List<WriteOperation> writes) {
        Set<String> names = new LinkedHashSet<>();
        writes.forEach(w -> names.add(w.table()));
        for (String table : names) {
            try {
                tables.ensure(table);
            } catch (ConnectException e) {
                if (e.getCause() != null && ErrorClassifier.classify(e.getCause()) == ErrorClassifier.Disposition.RETRY) {
                    throw redeliveries.next(e.getMessage(), false);
                }
                throw e;
            }
        }
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
            rounds.end();
        } catch (ConnectException e) {
            return Map.of(); // put() fails the task with it next
        } finally {
            badRecords.awaitReported();
        }
        return rounds.durable(currentOffsets);
    }

    /**
     * The writes in flight end before the partitions go, so that none lands after the next owner's. Writes left behind
     * for these partitions are dropped: their offsets were not committed, and the next owner writes them again.
     */
    @Override
    public void close(Collection<TopicPartition> partitions) {
        try {
            rounds.end();
        } catch (ConnectException e) {
            log.debug("The last round failed; put() reports it: {}", e.getMessage());
        }
        rounds.drop(partitions);
        reportedInHandedBackPut.forget(partitions);
    }

    @Override
    public void stop() {
        if (rounds != null) {
            try {
                rounds.end();
            } catch (RuntimeException e) {
                log.debug("The last round failed while stopping: {}", e.getMessage());
            }
            rounds.close();
        }
        log.info("DynamoDB sink task stopping: {}", metrics);
        if (writer != null) {
            writer.close();
        }
        if (objectStore != null) {
            objectStore.close();
        }
        if (itemClient != null) {
            itemClient.close();
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
