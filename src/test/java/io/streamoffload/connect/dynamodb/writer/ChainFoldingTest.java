package io.streamoffload.connect.dynamodb.writer;

import static io.streamoffload.connect.dynamodb.testutil.Records.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ChainFoldingTest {
    private static final Map<String, AttributeValue> KEY = Map.of("pk", AttributeValue.fromS("a"));

    private static WriteOperation write(WriteOperation.Kind kind, long offset, Map<String, String> attributes) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(KEY);
        attributes.forEach((name, value) -> item.put(name, AttributeValue.fromS(value)));
        return WriteOperation.of(kind, "tbl", KEY, item, record("tbl", 0, offset, "a", null),
                CompletableFuture.completedFuture(null), 0);
    }

    private static WriteOperation put(long offset, Map<String, String> attributes) {
        return write(WriteOperation.Kind.PUT, offset, attributes);
    }

    /** A change that could not carry {@code missing}. */
    private static WriteOperation partial(long offset, Map<String, String> attributes, String... missing) {
        return write(WriteOperation.Kind.UPDATE, offset, attributes).leaving(Set.of(missing));
    }

    private static AttributeValue n(long n) {
        return AttributeValue.fromN(Long.toString(n));
    }

    @Test
    void aChangeLackingColumnsAfterAWholeRowBecomesOneWholeRowHoldingBoth() {
        WriteOperation whole = put(1, Map.of("title", "old", "body", "the large body"));
        WriteOperation change = partial(2, Map.of("title", "new"), "body");
        List<List<WriteOperation>> segments = ChainFolding.segments(List.of(whole, change), true, true);

        assertThat(segments).singleElement().satisfies(segment -> {
            assertThat(segment).hasSize(2).first().isSameAs(whole);
            WriteOperation folded = segment.get(1);
            assertThat(folded.kind()).isEqualTo(WriteOperation.Kind.PUT);
            assertThat(folded.isPartial()).isFalse();
            assertThat(folded.item()).containsEntry("title", AttributeValue.fromS("new"))
                    .containsEntry("body", AttributeValue.fromS("the large body"));
            assertThat(folded.record()).isSameAs(change.record());
        });
    }

    @Test
    void twoChangesLackingDifferentColumnsLackOnlyWhatBothLack() {
        WriteOperation first = partial(1, Map.of("title", "t1", "body", "b1"), "blob", "meta");
        WriteOperation second = partial(2, Map.of("title", "t2", "blob", "x2"), "body", "meta");
        WriteOperation folded = ChainFolding.segments(List.of(first, second), true, true).get(0).get(1);
        assertThat(folded.kind()).isEqualTo(WriteOperation.Kind.UPDATE);
        assertThat(folded.unavailable()).containsExactly("meta");
        assertThat(folded.item()).containsEntry("title", AttributeValue.fromS("t2"))
                .containsEntry("body", AttributeValue.fromS("b1")).containsEntry("blob", AttributeValue.fromS("x2"));

        WriteOperation all = ChainFolding.segments(List.of(partial(1, Map.of("a", "1"), "b"),
                partial(2, Map.of("b", "2"), "a")), true, true).get(0).get(1);
        assertThat(all.kind()).as("every column known: a whole row in put mode").isEqualTo(WriteOperation.Kind.PUT);
        assertThat(ChainFolding.segments(List.of(partial(1, Map.of("a", "1"), "b"),
                partial(2, Map.of("b", "2"), "a")), true, false).get(0).get(1).kind())
                .as("in update mode, an update").isEqualTo(WriteOperation.Kind.UPDATE);
    }

    @Test
    void versionsFoldOnlyUpwardsAndSnapshotRowsDeletesAndMovesNeverFold() {
        WriteOperation v1 = put(1, Map.of("body", "b")).versioned(n(10));
        WriteOperation v2 = partial(2, Map.of("title", "t"), "body").versioned(n(20));
        assertThat(ChainFolding.segments(List.of(v1, v2), true, true)).hasSize(1);
        assertThat(ChainFolding.segments(List.of(v1, partial(2, Map.of("title", "t"), "body").versioned(n(10))), true,
                true)).as("an equal version: both must be tried").hasSize(2);
        assertThat(ChainFolding.segments(List.of(put(1, Map.of("body", "b")).whereUnversioned(),
                partial(2, Map.of("title", "t"), "body").versioned(n(5))), true, true))
                .as("a snapshot row may be older than the stored item").hasSize(2);
        WriteOperation delete = WriteOperation.delete("tbl", KEY, record("tbl", 0, 1, "a", null));
        assertThat(ChainFolding.segments(List.of(delete, partial(2, Map.of("title", "t"), "body")), true, true))
                .as("a change after a delete finds no item").hasSize(2);
        WriteOperation move = delete.movingTo(Map.of("pk", AttributeValue.fromS("b")));
        assertThat(ChainFolding.segments(List.of(move, put(2, Map.of("title", "t"))), true, true))
                .as("a moved item must reach its new key").hasSize(2);
        assertThat(ChainFolding.segments(List.of(v1, v2), false, true)).as("not change events: no folding").hasSize(2);
    }

    @Test
    void aWholeUnconditionalWriteStandsForEverythingBeforeItAndAFoldTooLargeIsNotMade() {
        List<List<WriteOperation>> segments = ChainFolding.segments(List.of(partial(1, Map.of("t", "x"), "body"),
                put(2, Map.of("t", "y"))), true, true);
        assertThat(segments).singleElement().satisfies(segment -> assertThat(segment.get(1).kind())
                .isEqualTo(WriteOperation.Kind.PUT));

        String half = "x".repeat(250_000);
        assertThat(ChainFolding.segments(List.of(put(1, Map.of("a", half)), partial(2, Map.of("b", half), "c")), true,
                true)).as("over 400 KB together").hasSize(2);
    }
}
