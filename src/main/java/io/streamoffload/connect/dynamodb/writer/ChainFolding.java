package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.mapping.DynamoDbLimits;
import io.streamoffload.connect.dynamodb.mapping.ItemSize;
import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Folds the writes to one key in a round into as few as leave the item the same, so that a hot row's changes cost
 * fewer calls, and so that a change that could not carry some columns never loses them to a whole row before it.
 * The chain is cut into segments: in each, every write stands for all before it, so only the last needs sending, and
 * if DynamoDB refuses it the one before it is sent instead (the refused record then being as if it had never been),
 * followed, for a fold, by the record's own write alone, so that a record is refused only for what it holds itself.
 * A write stands for those before it when it replaces the whole item unconditionally, or when it is a change folded
 * into the write before it: with change events, an update (a partial change, or an update-mode row) over the preceding
 * put or update becomes one write holding both, under the later version. Debezium sends the changes of a row in commit
 * order, so the later one is always the newer: folding never needs a version in between.
 */
final class ChainFolding {
    private ChainFolding() {
    }

    /**
     * One write of a chain and the write that stands for it and those before it in its segment: itself, or the fold of
     * it into the one before.
     */
    record Step(WriteOperation original, WriteOperation effective) {
        boolean folded() {
            return effective != original;
        }
    }

    /**
     * @param changes whether the writes come from change events, whose updates may fold
     * @param putMode whether a row is written as a whole put (a folded change holding every column becomes one)
     * @return the chain's segments in order, each holding its steps in record order
     */
    static List<List<Step>> steps(List<WriteOperation> chain, boolean changes, boolean putMode) {
        List<List<Step>> segments = new ArrayList<>();
        List<Step> current = null;
        for (WriteOperation write : chain) {
            WriteOperation last = current == null ? null : current.get(current.size() - 1).effective();
            WriteOperation standing = last == null ? null : standingFor(last, write, changes, putMode);
            if (standing == null) {
                current = new ArrayList<>(2);
                segments.add(current);
                current.add(new Step(write, write));
            } else {
                current.add(new Step(write, standing));
            }
        }
        return segments;
    }

    /** The segments' writes as they would be sent: each standing for those before it in its segment. */
    static List<List<WriteOperation>> segments(List<WriteOperation> chain, boolean changes, boolean putMode) {
        return steps(chain, changes, putMode).stream()
                .map(segment -> segment.stream().map(Step::effective).toList()).toList();
    }

    /** The write that stands for {@code last} and {@code next} together, or null when both must be sent. */
    private static WriteOperation standingFor(WriteOperation last, WriteOperation next, boolean changes, boolean putMode) {
        if (last.movedTo() != null) {
            return null; // a moved row's item must reach its new key before anything else happens to it
        }
        if (next.isBatchable()) {
            return next; // an unconditional put or delete leaves the item as if nothing had come before
        }
        if (!changes || next.kind() != WriteOperation.Kind.UPDATE || next.ifUnversioned() || last.isDelete()
                || last.ifUnversioned() || !newer(last.version(), next.version())) {
            return null;
        }
        Map<String, AttributeValue> item = new LinkedHashMap<>(last.item());
        item.putAll(next.item());
        if (ItemSize.of(item) > DynamoDbLimits.MAX_ITEM_BYTES) {
            return null;
        }
        Set<String> missing = new HashSet<>(last.unavailable());
        missing.retainAll(next.unavailable());
        if (last.kind() == WriteOperation.Kind.PUT) {
            missing.clear(); // a whole row holds every column
        }
        WriteOperation.Kind kind = missing.isEmpty() && putMode ? WriteOperation.Kind.PUT : WriteOperation.Kind.UPDATE;
        WriteOperation folded = WriteOperation.of(kind, next.table(), next.key(), item, next.record(),
                CompletableFuture.allOf(last.stored(), next.stored()), last.offloadedBytes() + next.offloadedBytes());
        if (!missing.isEmpty()) {
            folded = folded.leaving(missing);
        }
        return next.version() == null ? folded : folded.versioned(next.version());
    }

    private static boolean newer(AttributeValue earlier, AttributeValue later) {
        if (earlier == null || later == null) {
            return earlier == null && later == null;
        }
        return new BigDecimal(earlier.n()).compareTo(new BigDecimal(later.n())) < 0;
    }
}
