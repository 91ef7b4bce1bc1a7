package io.streamoffload.connect.dynamodb.it.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamoffload.connect.dynamodb.it.ConnectorTestBase;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStack;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real change-data pipeline: PostgreSQL (from the machine's packages), Debezium's PostgreSQL connector installed as a
 * plugin from Maven Central, and this sink, both in one standalone Kafka Connect worker of its own JVM, configured from
 * the examples in {@code config/}. Two tables, one at the default replica identity and one at FULL, go through the
 * same statements: a snapshot, updates that leave large columns alone, updates of large columns, deletes, primary-key
 * changes, several updates of a row in one transaction, a many-row update, a delete and re-insert in one transaction,
 * and the worker killed (SIGKILL) mid-stream and restarted. Four sinks apply both topics (versioned puts, versioned
 * updates, plain puts, and versioned puts carried by TransactWriteItems calls into moto, as dynalite has no
 * transactions), and every item of the eight tables is compared with its row, column by column, its offloaded
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
    private DynamoDbClient moto;
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
        moto = stack.newDynamoDbClient(motoEndpoint());
    }

    private java.net.URI motoEndpoint() {
        return ((InJvmStack) stack).moto().endpoint();
    }

    @AfterEach
    void stopPostgres() throws Exception {
        moto.close();
        reader.close();
        s3.close();
        db.close();
        postgres.close();
    }

    /**
     * The worker's connectors: Debezium from its example, and the sink from its example in three write modes, the first
     * of them again through transactions.
     */
    private List<Map<String, String>> connectors() throws IOException {
        Map<String, String> source = DebeziumPipeline.source(postgres, PREFIX,
                List.of(DocumentTables.DEFAULT, DocumentTables.FULL, DocumentTables.SIGNALS));
        source.put("name", "postgres-source");
        source.put("slot.name", "dynamodb_sink_it");
        source.put("publication.name", "dynamodb_sink_it");
        source.put("signal.data.collection", "public." + DocumentTables.SIGNALS);
        List<Map<String, String>> connectors = new ArrayList<>(List.of(source));
        connectors.add(sink("versioned-puts", "v-", Map.of()));
        connectors.add(sink("versioned-updates", "u-", Map.of("write.mode", "update")));
        connectors.add(sink("plain-puts", "p-", Map.of("write.version.source", "", "write.version.field", "")));
        connectors.add(sink("versioned-puts-in-transactions", "t-", Map.of("item.writes.batching", "transactions",
                "dynamodb.endpoint.url", motoEndpoint().toString())));
        return connectors;
    }

    private Map<String, String> sink(String name, String tablePrefix, Map<String, String> mode) throws IOException {
        List<String> topics = List.of(DebeziumPipeline.topic(PREFIX, DocumentTables.DEFAULT),
                DebeziumPipeline.topic(PREFIX, DocumentTables.FULL));
        Map<String, String> sink = DebeziumPipeline.sink(stack, bucket, topics);
        sink.put("name", name);
        sink.put("tasks.max", "1");
        sink.put("table.name.format", tablePrefix + "${topic}");
        sink.put("offload.threshold.bytes", "8192");
        sink.put("errors.deadletterqueue.topic.name", dlq);
        sink.put("retry.backoff.max.ms", "500");
        sink.putAll(mode);
        topics.forEach(topic -> sinkTables.add(tablePrefix + topic));
        return sink;
    }

    private WorkerProcess startWorker(Path dir, List<Map<String, String>> connectors) throws IOException {
        Map<String, String> worker = DebeziumPipeline.workerProps();
        // a killed worker's consumers leave their groups after this, not the default 45 s
        worker.put("consumer.session.timeout.ms", "6000");
        worker.put("consumer.heartbeat.interval.ms", "1000");
        return WorkerProcess.start(WorkerProcess.classpath("connect-4"), stack.bootstrapServers(), dir, worker, connectors,
                List.of(DebeziumPipeline.pluginPath()), "postgres-cdc-" + ProcessHandle.current().pid(), "1g", List.of());
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
            // what Debezium really sent for the default replica identity: the placeholder in each column type's form
            assertThat(placeholderForms(DebeziumPipeline.topic(PREFIX, DocumentTables.DEFAULT))).containsOnly(
                    Map.entry("body", "text"), Map.entry("meta", "text"), Map.entry("attachment", "its bytes"),
                    Map.entry("tags", "a one-element array"), Map.entry("scores", "an array of its bytes"));
            assertThat(placeholderForms(DebeziumPipeline.topic(PREFIX, DocumentTables.FULL))).isEmpty();

            // a SIGKILL mid-stream: the sinks are part way through a backlog of changes; more come while the worker is
            // down, and after it is back
            String defaultTopic = DebeziumPipeline.topic(PREFIX, DocumentTables.DEFAULT);
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

    /** The columns whose value was Debezium's placeholder in some change event of a topic, and the form it took. */
    private Map<String, String> placeholderForms(String topic) throws IOException {
        byte[] bytes = RowsAndItems.PLACEHOLDER.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        JsonNode asBytes = JSON.getNodeFactory().textNode(java.util.Base64.getEncoder().encodeToString(bytes));
        JsonNode byteArray = JSON.valueToTree(RowsAndItems.PLACEHOLDER.chars().boxed().toList());
        Map<String, String> forms = new java.util.TreeMap<>();
        for (var record : kafka.consume(topic, Integer.MAX_VALUE, Duration.ofSeconds(5))) {
            JsonNode after = record.value() == null ? null : JSON.readTree(record.value()).path("payload").path("after");
            if (after == null || !after.isObject()) {
                continue;
            }
            after.fields().forEachRemaining(column -> {
                JsonNode value = column.getValue();
                String form = value.isTextual() && value.textValue().equals(RowsAndItems.PLACEHOLDER) ? "text"
                        : value.equals(asBytes) ? "its bytes"
                        : value.isArray() && value.size() == 1 && RowsAndItems.PLACEHOLDER.equals(value.get(0).textValue())
                        ? "a one-element array" : value.equals(byteArray) ? "an array of its bytes" : null;
                if (form != null) {
                    forms.put(column.getKey(), form);
                }
            });
        }
        return forms;
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

    /** Waits until the items of all eight tables equal their rows; on timeout, fails with the differences. */
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
            differences.addAll(RowsAndItems.differences(tables.rows(source), table.startsWith("t-") ? moto : dynamo,
                    table, reader,
                    table.startsWith("u-")));
        }
        return differences;
    }

    private static Map<String, AttributeValue> id(long id) {
        return Map.of("id", AttributeValue.fromN(Long.toString(id)));
    }
}
