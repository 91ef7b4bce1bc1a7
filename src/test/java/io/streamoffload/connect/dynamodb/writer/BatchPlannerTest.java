package io.streamoffload.connect.dynamodb.writer;

import static io.streamoffload.connect.dynamodb.testutil.Records.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import io.streamoffload.connect.dynamodb.writer.BatchPlanner.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class BatchPlannerTest {

    static WriteOperation put(String table, String pk, String value, long offset) {
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS(pk));
        return WriteOperation.put(table, key, Map.of("pk", AttributeValue.fromS(pk), "v", AttributeValue.fromS(value)),
                record(table, 0, offset, pk, value));
    }

    static WriteOperation delete(String table, String pk, long offset) {
        return WriteOperation.delete(table, Map.of("pk", AttributeValue.fromS(pk)), record(table, 0, offset, pk, null));
    }

    @Test
    void lastWritePerKeyWinsSoATombstoneAfterAPutBecomesADelete() {
        List<Batch> batches = new BatchPlanner(25).plan(List.of(
                put("t", "a", "1", 0), put("t", "b", "1", 1), put("t", "a", "2", 2), delete("t", "b", 3)));
        assertThat(batches).hasSize(1);
        List<WriteOperation> writes = batches.get(0).writes();
        assertThat(writes).hasSize(2);
        assertThat(writes.get(0).item().get("v").s()).isEqualTo("2");
        assertThat(writes.get(1).isDelete()).isTrue();
    }

    @Test
    void batchesHoldAtMostTheConfiguredNumberOfRequestsPerTable() {
        List<WriteOperation> ops = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ops.add(put(i % 2 == 0 ? "even" : "odd", "k" + i, "v", i));
        }
        List<Batch> batches = new BatchPlanner(25).plan(ops);
        assertThat(batches).extracting(b -> b.table() + ":" + b.writes().size())
                .containsExactly("even:25", "even:5", "odd:25", "odd:5");
    }

    @Test
    void batchesAreCutBeforeTheByteLimit() {
        List<WriteOperation> ops = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ops.add(put("t", "k" + i, "x".repeat(1000), i));
        }
        long perWrite = WireSize.of(ops.get(0));
        List<Batch> batches = new BatchPlanner(25, 300 + perWrite * 3).plan(ops);
        assertThat(batches).extracting(b -> b.writes().size()).containsExactly(3, 3, 3, 1);
    }

    @Test
    void batchesAreCutByTheirSizeOnTheWireNotTheStoredSize() {
        // 300 KB stored per item, but each -1.5 travels as {"N":"-1.5"}: about 840 KB per item on the wire
        List<AttributeValue> numbers = java.util.Collections.nCopies(60_000, AttributeValue.fromN("-1.5"));
        List<WriteOperation> ops = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("k" + i));
            ops.add(WriteOperation.put("t", key, Map.of("pk", key.get("pk"), "l", AttributeValue.fromL(numbers)),
                    record("t", 0, i, "k" + i, null)));
        }
        assertThat(ops.get(0).bytes()).isLessThan(400 * 1024);
        List<Batch> batches = new BatchPlanner(25).plan(ops);
        // the count, not the list: printing 21 MB of writes in a failure message would exhaust the heap
        assertThat(batches.size()).as("calls").isGreaterThan(1);
        for (Batch batch : batches) {
            assertThat(SdkWireSize.batchWriteItemBody(batch.table(), batch.writes()))
                    .as("the marshalled request stays within DynamoDB's 16 MB").isLessThanOrEqualTo(16L * 1024 * 1024);
        }
    }
}
