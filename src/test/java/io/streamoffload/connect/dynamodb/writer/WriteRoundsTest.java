package io.streamoffload.connect.dynamodb.writer;

import static io.streamoffload.connect.dynamodb.testutil.Records.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import io.streamoffload.connect.dynamodb.retry.Backoff;
import io.streamoffload.connect.dynamodb.retry.RetryPolicy;
import io.streamoffload.connect.dynamodb.testutil.FakeTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** What a round leaves behind goes first in the next one: which writes are carried, and which must not be. */
class WriteRoundsTest {
    private final List<List<WriteOperation>> rounds = new ArrayList<>();
    private final List<String> refused = new ArrayList<>();
    private Function<List<WriteOperation>, WriteOutcome> answer;
    private final WriteRounds writeRounds = new WriteRounds(new DynamoDbWriter() {
        @Override
        public WriteOutcome write(List<WriteOperation> operations) {
            rounds.add(operations);
            return answer.apply(operations);
        }

        @Override
        public void close() {
        }
    }, new WriteRounds.Records() {
        @Override
        public Optional<WriteOperation> remap(SinkRecord record) {
            throw new AssertionError("nothing is mapped again here");
        }

        @Override
        public void reportRefused(SinkRecord record, String reason) {
            refused.add(record.kafkaOffset() + ": " + reason);
        }
    }, new Redeliveries(5, Duration.ofMillis(1), millis -> { }, new SinkTaskMetrics()),
            new RetryPolicy(new Backoff(Duration.ofMillis(1), Duration.ofMillis(1)), Duration.ZERO, new FakeTime(),
                    d -> { }), Optional.empty(), Long.MAX_VALUE);

    @AfterEach
    void close() {
        writeRounds.close();
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", AttributeValue.fromS(pk));
    }

    private static WriteOperation put(String pk, long offset) {
        return WriteOperation.put("tbl", key(pk), key(pk), record("tbl", 0, offset, pk, null));
    }

    private static WriteOperation partial(String pk, long offset) {
        return WriteOperation.of(WriteOperation.Kind.UPDATE, "tbl", key(pk), key(pk), record("tbl", 0, offset, pk, null),
                CompletableFuture.completedFuture(null), 0).leaving(Set.of("body"));
    }

    private List<Long> carriedInto(List<WriteOperation> next) {
        answer = writes -> new WriteOutcome(writes, List.of(), List.of(), "");
        writeRounds.start(next);
        writeRounds.end();
        return rounds.get(rounds.size() - 1).stream().map(w -> w.record().kafkaOffset()).toList();
    }

    @Test
    void everyWriteOfTheRoundToAKeyLeftBehindIsCarriedSoThatARefusalCanFallBack() {
        WriteOperation first = put("a", 1);
        WriteOperation second = put("a", 2);
        answer = writes -> new WriteOutcome(List.of(first), List.of(), List.of(second), "throttled");
        writeRounds.start(List.of(first, second, put("b", 3)));
        writeRounds.end();
        assertThat(carriedInto(List.of(put("c", 4)))).containsExactly(1L, 2L, 4L);
    }

    @Test
    void aKeyChangeIsNotSentAgainWhenTheNewKeysChangeIsLeftBehind() {
        // delete of the new key, the move of the old one to it, then the new key's change: only that one is pending
        WriteOperation deleteNew = WriteOperation.delete("tbl", key("new"), record("tbl", 0, 1, "new", null));
        WriteOperation move = WriteOperation.delete("tbl", key("old"), record("tbl", 0, 2, "old", null))
                .movingTo(key("new"));
        WriteOperation change = partial("new", 3);
        answer = writes -> new WriteOutcome(List.of(deleteNew, move), List.of(), List.of(change), "throttled");
        writeRounds.start(List.of(deleteNew, move, change));
        writeRounds.end();
        assertThat(carriedInto(List.of())).as("sending the delete again would remove the moved item")
                .containsExactly(3L);
    }

    @Test
    void aRecordDynamoDbRefusedIsNotCarriedEvenWhenAFoldedWriteStoodForIt() {
        WriteOperation whole = put("a", 1);
        WriteOperation change = partial("a", 2);
        WriteOperation folded = WriteOperation.put("tbl", key("a"), key("a"), change.record()); // stands for both
        WriteOperation later = put("a", 3);
        answer = writes -> new WriteOutcome(List.of(), List.of(new WriteOutcome.Rejected(folded, "refused")),
                List.of(later), "throttled");
        writeRounds.start(List.of(whole, change, later));
        writeRounds.end();
        assertThat(refused).containsExactly("2: refused");
        assertThat(carriedInto(List.of())).containsExactly(1L, 3L);
    }
}
