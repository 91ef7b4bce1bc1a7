package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import io.streamoffload.connect.dynamodb.util.Pools;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * Writes a change stream applied as puts without versions: each key's writes by the cheapest calls that leave its item
 * right. A key whose writes (folded by {@link ChainFolding}) are all whole puts and deletes goes in BatchWriteItem
 * calls ({@link BatchWriter}); a key with a change that could not carry some columns, or a primary-key change, goes
 * one item per call ({@link ItemWriter}). Keys are independent, so both run at once.
 */
public final class MixedWriter implements DynamoDbWriter {
    private final BatchWriter batches;
    private final ItemWriter items;
    private final ExecutorService itemRound = Pools.fixed("dynamodb-mixed-writer", 1);

    public MixedWriter(BatchWriter batches, ItemWriter items) {
        this.batches = batches;
        this.items = items;
    }

    @Override
    public WriteOutcome write(List<WriteOperation> operations) {
        List<ChainFolding.Step> batched = new ArrayList<>(operations.size());
        List<WriteOperation> single = new ArrayList<>();
        for (WriteChains.Chain chain : WriteChains.of(operations)) {
            List<ChainFolding.Step> steps = chain.linked() ? List.of()
                    : ChainFolding.steps(chain.writes(), true, true).stream().flatMap(List::stream).toList();
            // the batch writer sends the last write of a key and, if DynamoDB refuses it, the one before: each of
            // them must fit a BatchWriteItem call
            if (!chain.linked() && steps.stream().allMatch(step -> step.effective().isBatchable())) {
                batched.addAll(steps);
            } else {
                single.addAll(chain.writes());
            }
        }
        if (batched.isEmpty()) {
            return items.write(single);
        }
        Future<WriteOutcome> itemOutcome = single.isEmpty() ? null : itemRound.submit(() -> items.write(single));
        WriteOutcome batchOutcome;
        try {
            batchOutcome = refusedFoldsAlone(batched, batches.write(batched.stream().map(ChainFolding.Step::effective)
                    .toList()));
        } finally {
            // the item writes end within the budget too: none is in flight when this returns or throws
            if (itemOutcome != null) {
                awaitQuietly(itemOutcome);
            }
        }
        return itemOutcome == null ? batchOutcome : batchOutcome.and(await(itemOutcome));
    }

    /**
     * A folded write DynamoDB refused stood for several records: the batch writer has sent the one before it, and
     * the record's own change now goes alone, so that it is refused only for what it holds itself (where the key's
     * writes are still pending, it goes with them in the next round).
     */
    private WriteOutcome refusedFoldsAlone(List<ChainFolding.Step> batched, WriteOutcome outcome) {
        Set<WriteOperation> refused = Collections.newSetFromMap(new IdentityHashMap<>());
        outcome.rejected().forEach(rejected -> refused.add(rejected.write()));
        List<ChainFolding.Step> refusedFolds = batched.stream()
                .filter(step -> step.folded() && refused.contains(step.effective())).toList();
        if (refusedFolds.isEmpty()) {
            return outcome;
        }
        Set<List<Object>> pendingKeys = new HashSet<>();
        outcome.pending().forEach(write -> pendingKeys.add(List.of(write.table(), write.key())));
        Set<WriteOperation> folds = Collections.newSetFromMap(new IdentityHashMap<>());
        refusedFolds.forEach(step -> folds.add(step.effective()));
        List<WriteOutcome.Rejected> kept = outcome.rejected().stream()
                .filter(rejected -> !folds.contains(rejected.write())).toList();
        List<WriteOperation> alone = refusedFolds.stream().map(ChainFolding.Step::original)
                .filter(write -> !pendingKeys.contains(List.of(write.table(), write.key()))).toList();
        WriteOutcome rest = new WriteOutcome(outcome.durable(), kept, outcome.pending(), outcome.lastFailure());
        return alone.isEmpty() ? rest : rest.and(items.write(alone));
    }

    private static void awaitQuietly(Future<WriteOutcome> outcome) {
        try {
            await(outcome);
        } catch (RuntimeException e) {
            // thrown again by the caller's own await
        }
    }

    private static WriteOutcome await(Future<WriteOutcome> outcome) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return outcome.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof ConnectException c ? c
                            : new ConnectException("Unexpected failure in the DynamoDB item writer", e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        Pools.shutdown(itemRound, "DynamoDB mixed writer");
        batches.close();
        items.close();
    }
}
