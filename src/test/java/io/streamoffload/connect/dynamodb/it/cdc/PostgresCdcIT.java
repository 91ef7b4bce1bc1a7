package io.streamoffload.connect.dynamodb.it.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamoffload.connect.dynamodb.it.ConnectorTestBase;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.Postgres;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import io.streamoffload.connect.dynamodb.it.stack.WorkerProcess;
import io.streamoffload.connect.dynamodb.read.OffloadedItemReader;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real change-data pipeline: PostgreSQL (from the machine's packages), Debezium's PostgreSQL connector installed as a
 * plugin from Maven Central, and this sink, both in one standalone Kafka Connect worker of its own JVM, configured from
 * the examples in {@code config/}. Two tables, one at the default replica identity and one at FULL, go through the
 * same statements: a snapshot, updates that leave large columns alone, updates of large columns, deletes, primary-key
 * changes, several updates of a row in one transaction, a many-row update, a delete and re-insert in one transaction,
 * and the worker killed (SIGKILL) mid-stream and restarted. Three sinks apply both topics (versioned puts, versioned
 * updates, plain puts), and every item of the six tables is compared with its row, column by column, its offloaded
 * columns read back and verified: none missing, none left over, Debezium's placeholder nowhere. Then an item the sink
 * never saw whole is created without its large columns, listed as such, and an incremental snapshot fills it in.
 */
@ExtendWith(InJvmStackExtension.class)
class PostgresCdcIT extends ConnectorTestBase {
    private static final Duration SETTLE = Duration.ofSeconds(180);
    private static final String PREFIX = "pgcdc";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SinkTestStack stack;
    private Postgres postgres;
    private Connection db;
    private DocumentTables tables;
    private S3Client s3;
    private OffloadedItemReader reader;
    private String bucket;
    private String dlq;
    private final List<String> sinkTables = new ArrayList<>();

    PostgresCdcIT(SinkTestStack stack) {
        this.stack = stack;
    }

    @Override
    protected SinkTestStack stack() {
        return stack;
    }

    @BeforeEach
    void startPostgres() throws Exception {
        postgres = Postgres.start();
        db = postgres.connect();
        tables = new DocumentTables(db);
        tables.create();
        s3 = stack.newS3Client();
        reader = new OffloadedItemReader(s3);
        bucket = unique("pgcdc").toLowerCase();
        s3.createBucket(b -> b.bucket(bucket));
        dlq = unique("pgcdc-dlq");
        kafka.createTopic(dlq, 1);
    }

    @AfterEach
    void stopPostgres() throws Exception {
        reader.close();
        s3.close();
        db.close();
        postgres.close();
    }

    /** The worker's connectors: Debezium from its example, and the sink from its example in three write modes. */
    private List<Map<String, String>> connectors() throws IOException {
        Map<String, String> source = example("debezium-postgres-source.json");
        source.put("name", "postgres-source");
        source.put("database.hostname", "127.0.0.1");
        source.put("database.port", Integer.toString(postgres.port()));
        source.put("database.user", "postgres");
        source.put("database.password", "unused-with-trust");
        source.put("database.dbname", "postgres");
        source.put("topic.prefix", PREFIX);
        source.put("slot.name", "dynamodb_sink_it");
        source.put("publication.name", "dynamodb_sink_it");
        source.put("table.include.list", "public." + DocumentTables.DEFAULT + ",public." + DocumentTables.FULL
                + ",public." + DocumentTables.SIGNALS);
        source.put("signal.data.collection", "public." + DocumentTables.SIGNALS);
        source.put("topic.creation.default.replication.factor", "1");
        List<Map<String, String>> connectors = new ArrayList<>(List.of(source));
        connectors.add(sink("versioned-puts", "v-", Map.of()));
        connectors.add(sink("versioned-updates", "u-", Map.of("write.mode", "update")));
        connectors.add(sink("plain-puts", "p-", Map.of("write.version.source", "", "write.version.field", "")));
        return connectors;
    }

    private Map<String, String> sink(String name, String tablePrefix, Map<String, String> mode) throws IOException {
        Map<String, String> sink = example("dynamodb-sink-debezium.json");
        sink.put("name", name);
        sink.put("tasks.max", "1");
        sink.put("topics", PREFIX + ".public." + DocumentTables.DEFAULT + "," + PREFIX + ".public." + DocumentTables.FULL);
        sink.put("table.name.format", tablePrefix + "${topic}");
        sink.putAll(stack.connectionConfig());
        sink.put("s3.path.style.access", "true");
        sink.put("offload.s3.bucket", bucket);
        sink.put("offload.threshold.bytes", "8192");
        sink.put("errors.deadletterqueue.topic.name", dlq);
        sink.put("errors.deadletterqueue.topic.replication.factor", "1");
        sink.put("retry.backoff.max.ms", "500");
        sink.putAll(mode);
        for (String topic : List.of(DocumentTables.DEFAULT, DocumentTables.FULL)) {
            sinkTables.add(tablePrefix + PREFIX + ".public." + topic);
        }
        return sink;
    }

    private static Map<String, String> example(String file) throws IOException {
        JsonNode config = JSON.readTree(Path.of("config", file).toFile()).get("config");
        Map<String, String> props = new LinkedHashMap<>();
        config.fields().forEachRemaining(e -> props.put(e.getKey(), e.getValue().asText()));
        return props;
    }

    private WorkerProcess startWorker(Path dir, List<Map<String, String>> connectors) throws IOException {
        Map<String, String> worker = new HashMap<>();
        worker.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        worker.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        worker.put("value.converter.schemas.enable", "true");
        worker.put("connector.client.config.override.policy", "All");
        // a killed worker's consumers leave their groups after this, not the default 45 s
        worker.put("consumer.session.timeout.ms", "6000");
        worker.put("consumer.heartbeat.interval.ms", "1000");
        return WorkerProcess.start(WorkerProcess.classpath("connect-4"), stack.bootstrapServers(), dir, worker, connectors,
                List.of(Path.of(System.getProperty("debezium.plugin.dir", "target/debezium-plugin/debezium-connector-postgres"))
                        .getParent()), "postgres-cdc-" + ProcessHandle.current().pid(), "1g", List.of());
    }

    @Test
    void everyItemEqualsItsRowThroughSnapshotChangesKeyChangesAndACrash(@TempDir Path dir) throws Exception {
        tables.insert(1, 30, true);
        tables.insert(31, 50, false);
        List<Map<String, String>> connectors = connectors();
        WorkerProcess worker = startWorker(dir, connectors);
        try {
            awaitItemsMatchRows("the snapshot", worker);

            // updates that leave the large columns alone: with the default replica identity each carries placeholders
            tables.onBoth("UPDATE %s SET title = 'retitled ' || id, counter = counter + 1 WHERE id <= 20");
            // updates of large columns: a new large value, a large value made small, a large value removed
            tables.setLarge(2, "body");
            tables.setLarge(4, "attachment");
            tables.onBoth("UPDATE %s SET body = 'now short' WHERE id = 6");
            tables.onBoth("UPDATE %s SET attachment = NULL, tags = NULL WHERE id = 8");
            tables.onBoth("DELETE FROM %s WHERE id IN (3, 33)");
            // primary-key changes: the new key's event lacks the large columns it did not change
            tables.onBoth("UPDATE %s SET id = id + 1000 WHERE id IN (10, 40)");
            tables.onBoth("UPDATE %s SET id = 11000, title = 'moved and retitled' WHERE id = 11");
            // several updates of one row in one transaction, large and small
            tables.transactionOnBoth("UPDATE %s SET title = 'first' WHERE id = 12",
                    "UPDATE %s SET counter = counter + 5 WHERE id = 12",
                    "UPDATE %s SET meta = '{\"notes\": \"replaced\"}' WHERE id = 12",
                    "UPDATE %s SET title = 'last' WHERE id = 12");
            // a many-row update
            tables.onBoth("UPDATE %s SET counter = counter + 10, active = NOT active");
            tables.deleteAndReinsert(14);
            // rows inserted and changed at once: a whole row and a change lacking its large columns, likely one round
            tables.insert(100, 110, true);
            tables.onBoth("UPDATE %s SET title = 'fresh ' || id WHERE id >= 100");
            awaitItemsMatchRows("streaming", worker);

            // a SIGKILL mid-stream: the sinks are part way through a backlog of changes; more come while the worker is
            // down, and after it is back
            String defaultTopic = PREFIX + ".public." + DocumentTables.DEFAULT;
            long before = committedOffset("versioned-puts", defaultTopic);
            change(0, 150);
            await().atMost(SETTLE).until(() -> committedOffset("versioned-puts", defaultTopic) > before + 50);
            worker.kill();
            change(150, 250);
            worker = startWorker(dir, connectors);
            change(250, 350);
            awaitItemsMatchRows("after the crash", worker);

            // an item the sink never saw whole (here: deleted behind its back), then a change lacking large columns
            String lost = "v-" + defaultTopic;
            dynamo.deleteItem(r -> r.tableName(lost).key(id(5)));
            tables.onBoth("UPDATE %s SET title = 'after the item was lost' WHERE id = 5");
            Map<String, AttributeValue> partial = await().atMost(SETTLE).until(() -> getItem(lost, id(5)),
                    item -> item != null && "after the item was lost".equals(item.get("title").s()));
            assertThat(partial.get("_unavailable_columns").ss()).as("the columns the item lacks")
                    .contains("body", "attachment");
            assertThat(partial).doesNotContainKeys(partial.get("_unavailable_columns").ss().toArray(String[]::new));
            assertThat(worker.log()).as("one WARN for the item").containsOnlyOnce("created it without columns");
            // a Debezium incremental snapshot fills it in, though the item holds a newer version than the snapshot row
            tables.incrementalSnapshot(DocumentTables.DEFAULT);
            awaitItemsMatchRows("after an incremental snapshot", worker);
            assertThat(kafka.consume(dlq, 1, Duration.ofSeconds(2))).as("no record dead-lettered").isEmpty();
        } finally {
            worker.close();
        }
    }

    /** Rounds of changes: a small update, now and then a large column replaced, and a many-row update. */
    private void change(int from, int to) throws Exception {
        for (int round = from; round < to; round++) {
            long id = 1 + round % 30;
            tables.onBoth("UPDATE %s SET title = 'load " + round + "', counter = counter + 1 WHERE id = " + id);
            if (round % 7 == 0) {
                tables.setLarge(1 + (round / 7) % 30, round % 2 == 0 ? "body" : "attachment");
            }
            if (round % 25 == 0) {
                tables.onBoth("UPDATE %s SET counter = counter + 1, scores = scores || " + round + " WHERE id > 20");
            }
        }
    }

    /** Waits until the items of all six tables equal their rows; on timeout, fails with the differences. */
    private void awaitItemsMatchRows(String when, WorkerProcess worker) throws Exception {
        AtomicReference<List<String>> last = new AtomicReference<>();
        long started = System.nanoTime();
        try {
            await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).until(() -> {
                worker.assertAlive();
                last.set(differences());
                return last.get().isEmpty();
            });
        } catch (ConditionTimeoutException e) {
            // reported below
        }
        System.out.println("[postgres cdc] " + when + ": " + sinkTables.size() + " tables equal their rows after "
                + (System.nanoTime() - started) / 1_000_000 + " ms" + (last.get().isEmpty() ? ""
                : "; differences: " + last.get().subList(0, Math.min(20, last.get().size()))));
        assertThat(last.get()).as(when + ": every item equals its row").isEmpty();
    }

    private List<String> differences() throws Exception {
        List<String> differences = new ArrayList<>();
        for (String table : sinkTables) {
            String source = table.endsWith(DocumentTables.DEFAULT) ? DocumentTables.DEFAULT : DocumentTables.FULL;
            differences.addAll(RowsAndItems.differences(tables.rows(source), dynamo, table, reader,
                    table.startsWith("u-")));
        }
        return differences;
    }

    private static Map<String, AttributeValue> id(long id) {
        return Map.of("id", AttributeValue.fromN(Long.toString(id)));
    }
}
