package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * Which write of a chain (the writes to one key in one round, in record order) decides the item, when every one of
 * them replaces the whole item under a version condition: versioned puts and deletes, and snapshot rows applied only
 * where no version is stored. Sent in order, each would apply only over an older version, so the item ends as the first
 * write holding the highest version leaves it (or, with no versions at all, the last snapshot row); every other write
 * would be superseded. Sending that one alone is what put mode does with the last write per key, and saves a call per
 * superseded write, which a change stream of hot rows makes most of its writes.
 */
final class VersionedChain {
    private VersionedChain() {
    }

    /**
     * The write that decides the item, or empty when the chain must go in order: a single write, or one holding an
     * update (partial, so the writes before it matter) or an unconditional write.
     */
    static Optional<WriteOperation> winner(List<WriteOperation> chain) {
        if (chain.size() < 2) {
            return Optional.empty();
        }
        WriteOperation winner = null;
        BigDecimal highest = null;
        WriteOperation lastSnapshot = null;
        for (WriteOperation write : chain) {
            if (write.kind() == WriteOperation.Kind.UPDATE || !write.isConditional()) {
                return Optional.empty();
            }
            if (write.version() == null) {
                lastSnapshot = write;
                continue;
            }
            BigDecimal version = new BigDecimal(write.version().n());
            if (highest == null || version.compareTo(highest) > 0) {
                highest = version;
                winner = write;
            }
        }
        return Optional.of(winner != null ? winner : lastSnapshot);
    }
}
