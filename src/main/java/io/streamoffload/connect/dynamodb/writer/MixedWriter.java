package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import io.streamoffload.connect.dynamodb.util.Pools;
import java.util.ArrayList;
import java.util.List;
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
        List<WriteOperation> batched = new ArrayList<>(operations.size());
        List<WriteOperation> single = new ArrayList<>();
        for (WriteChains.Chain chain : WriteChains.of(operations)) {
            List<WriteOperation> folded = chain.linked() ? chain.writes()
                    : ChainFolding.segments(chain.writes(), true, true).stream().flatMap(List::stream).toList();
            // the batch writer sends the last write of a key and, if DynamoDB refuses it, the one before: each of
            // them must fit a BatchWriteItem call
            if (folded.stream().allMatch(WriteOperation::isBatchable)) {
                batched.addAll(folded);
            } else {
                single.addAll(chain.writes());
            }
        }
        if (single.isEmpty()) {
            return batches.write(batched);
        }
        if (batched.isEmpty()) {
            return items.write(single);
        }
        Future<WriteOutcome> itemOutcome = itemRound.submit(() -> items.write(single));
        WriteOutcome batchOutcome;
        try {
            batchOutcome = batches.write(batched);
        } finally {
            // the item writes end within the budget too: none is in flight when this returns or throws
            awaitQuietly(itemOutcome);
        }
        return batchOutcome.and(await(itemOutcome));
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
