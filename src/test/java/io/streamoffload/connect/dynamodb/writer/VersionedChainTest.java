package io.streamoffload.connect.dynamodb.writer;

import static io.streamoffload.connect.dynamodb.testutil.Records.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class VersionedChainTest {
    private static WriteOperation write(WriteOperation.Kind kind, long offset) {
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("a"));
        return WriteOperation.of(kind, "tbl", key, key, record("tbl", 0, offset, "a", null),
                CompletableFuture.completedFuture(null), 0);
    }

    private static WriteOperation put(long offset, String version) {
        return write(WriteOperation.Kind.PUT, offset).versioned(AttributeValue.fromN(version));
    }

    @Test
    void theFirstWriteWithTheHighestVersionDecidesWhateverTheKindOrOrder() {
        WriteOperation delete = WriteOperation.delete("tbl", Map.of("pk", AttributeValue.fromS("a")),
                record("tbl", 0, 2, "a", null)).versioned(AttributeValue.fromN("1E+2"));
        assertThat(VersionedChain.winner(List.of(put(1, "99.5"), delete, put(3, "100"),
                write(WriteOperation.Kind.PUT, 4).whereUnversioned()))).containsSame(delete);
    }

    @Test
    void withOnlySnapshotRowsTheLastOneDecides() {
        WriteOperation last = write(WriteOperation.Kind.PUT, 2).whereUnversioned();
        assertThat(VersionedChain.winner(List.of(write(WriteOperation.Kind.PUT, 1).whereUnversioned(), last)))
                .containsSame(last);
    }

    @Test
    void aChainWithAnUpdateAnUnconditionalWriteOrOneWriteGoesInOrder() {
        assertThat(VersionedChain.winner(List.of(put(1, "1"),
                write(WriteOperation.Kind.UPDATE, 2).versioned(AttributeValue.fromN("2"))))).isEmpty();
        assertThat(VersionedChain.winner(List.of(put(1, "1"), write(WriteOperation.Kind.PUT, 2)))).isEmpty();
        assertThat(VersionedChain.winner(List.of(put(1, "1")))).isEmpty();
    }
}
