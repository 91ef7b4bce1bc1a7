package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.errors.OriginalCoordinates;
import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import io.streamoffload.connect.dynamodb.retry.RetryPolicy;
import io.streamoffload.connect.dynamodb.util.Pools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The rounds of writes of one task. A round is what one {@code put()} mapped, handed to the writer ({@link BatchWriter}
 * or {@link ItemWriter}) to run while Kafka Connect polls and converts the next batch; one round at a time keeps every
 * write to a key behind the earlier ones. The writes a round leaves behind when its retry budget runs out are carried,
 * with every earlier write of the round to the same keys (so that a refused last write can still fall back to the one
 * before), and go first in the next round. Offsets are committed only below the first carried write of each partition.
 */
public final class WriteRounds implements AutoCloseable {
    /** What a round needs from the task: mapping a record again, and reporting a record DynamoDB refused. */
    public interface Records {
        /** The record's write mapped again, or empty when it has become a bad record (reported). */
        Optional<WriteOperation> remap(SinkRecord record);

        /** Reports a write DynamoDB refused; throws {@link ConnectException} where bad records stop the task. */
        void reportRefused(SinkRecord record, String reason);
    }

    /** Why a round left writes behind, and whether it wrote anything at all. */
    public record Unfinished(String reason, boolean madeProgress) {
    }

    /** The writes of one round, as given to the writer, when the oldest of them was mapped, and its outcome to come. */
    private record Round(List<WriteOperation> writes, long mappedAtMillis, Future<WriteOutcome> outcome) {
    }

    private record TableKey(String table, Map<String, AttributeValue> key) {
        static TableKey of(WriteOperation write) {
            return new TableKey(write.table(), write.key());
        }
    }

    private final DynamoDbWriter writer;
    private final Records records;
    private final Redeliveries redeliveries;
    private final RetryPolicy retry;
    /** How long a stored object is trusted without being found again; empty when nothing is offloaded. */
    private final Optional<Duration> dedupeTtl;
    /** Above this many bytes of records, a round ends before put() returns instead of overlapping the next poll. */
    private final long maxPipelinedBytes;
    private final ExecutorService pool = Pools.fixed("dynamodb-sink-round", 1);
    /** The round in flight, or null. */
    private Round inFlight;
    /** Writes of ended rounds that are not yet durable, oldest first: they go out before anything newer. */
    private List<WriteOperation> carried = new ArrayList<>();
    /** When the oldest carried write was mapped, i.e. when its objects were last found stored. */
    private long carriedMappedAtMillis;
    /** Why the last round left writes behind, until the task has asked for redelivery because of it. */
    private Unfinished unfinished;
    /** A failure of a round that cannot succeed by retrying, thrown again by every later call. */
    private ConnectException fatal;

    public WriteRounds(DynamoDbWriter writer, Records records, Redeliveries redeliveries, RetryPolicy retry,
                       Optional<Duration> dedupeTtl, long maxPipelinedBytes) {
        this.writer = writer;
        this.records = records;
        this.redeliveries = redeliveries;
        this.retry = retry;
        this.dedupeTtl = dedupeTtl;
        this.maxPipelinedBytes = maxPipelinedBytes;
    }

    /** Throws the failure of an earlier round that no retry can fix, if there was one. */
    public void throwIfFailed() {
        if (fatal != null) {
            throw fatal;
        }
    }

    /** Why the last round left writes behind, once: the task asks Kafka Connect for a redelivery because of it. */
    public Optional<Unfinished> takeUnfinished() {
        Optional<Unfinished> reason = Optional.ofNullable(unfinished);
        unfinished = null;
        return reason;
    }

    /** Sends the writes left behind by earlier rounds, then these, as the round in flight. */
    public void start(List<WriteOperation> writes) {
        List<WriteOperation> round = writes;
        long now = retry.clock().millis();
        long mappedAt = now;
        if (!carried.isEmpty()) {
            round = new ArrayList<>(carried.size() + writes.size());
            // a garbage collector may delete objects nobody named for longer than its grace: writes that waited past
            // the dedupe trust period find their objects again (re-uploading them if need be) before naming them
            boolean stale = dedupeTtl.isPresent() && now - carriedMappedAtMillis >= dedupeTtl.get().toMillis();
            mappedAt = stale ? now : carriedMappedAtMillis;
            for (WriteOperation write : carried) {
                if (stale || write.stored().isCompletedExceptionally()) {
                    // its upload gave up, or is too old to trust: mapping it again uploads again if need be
                    records.remap(write.record()).ifPresent(round::add);
                } else {
                    round.add(write);
                }
            }
            round.addAll(writes);
            carried = new ArrayList<>();
        }
        if (round.isEmpty()) {
            return;
        }
        List<WriteOperation> sent = round;
        inFlight = new Round(sent, mappedAt, pool.submit(() -> writer.write(sent)));
        long held = 0;
        for (WriteOperation write : sent) {
            held += write.bytes() + write.offloadedBytes();
        }
        if (held > maxPipelinedBytes) {
            // the round keeps its records alive: with large ones, a second poll's worth on top could exhaust the heap
            end();
        }
    }

    /**
     * Waits for the round in flight to end, reports the records DynamoDB refused, and keeps the writes that are not
     * durable for the next round. A round that left nothing behind resets the count of redeliveries in a row.
     */
    public void end() {
        Round round = inFlight;
        if (round == null) {
            return;
        }
        inFlight = null;
        WriteOutcome outcome;
        try {
            outcome = awaitUninterruptibly(round.outcome());
        } catch (ExecutionException e) {
            fatal = e.getCause() instanceof ConnectException c ? c
                    : new ConnectException("Unexpected failure in a DynamoDB write round", e.getCause());
            throw fatal;
        }
        if (outcome.hasPending()) {
            carry(round.writes(), outcome);
            carriedMappedAtMillis = round.mappedAtMillis();
            unfinished = new Unfinished(outcome.pending().size() + " writes are not yet durable (e.g. "
                    + OriginalCoordinates.describe(outcome.pending().get(0).record()) + ") after retrying for "
                    + retry.budget().toMillis() + " ms: " + outcome.lastFailure(), !outcome.durable().isEmpty());
        } else {
            redeliveries.reset();
        }
        try {
            for (WriteOutcome.Rejected rejected : outcome.rejected()) {
                records.reportRefused(rejected.write().record(), rejected.reason());
            }
        } catch (ConnectException e) {
            fatal = e; // no dead letter queue: the task stops, and the record's offset is never committed
            throw e;
        }
    }

    /**
     * Keeps every write of the round to a key left behind, not only the last: if DynamoDB refuses the last one later,
     * the one before it is what the item must hold. Where a primary-key change links two keys, only the writes from the
     * first one left behind on: the move before it must not be sent again after the new key's item was written. A
     * write DynamoDB refused (by its record: a folded write stands for the record's) is reported, not sent again.
     */
    private void carry(List<WriteOperation> writes, WriteOutcome outcome) {
        Set<TableKey> pendingKeys = new HashSet<>();
        Set<SinkRecord> pendingRecords = Collections.newSetFromMap(new IdentityHashMap<>());
        outcome.pending().forEach(write -> {
            pendingKeys.add(TableKey.of(write));
            pendingRecords.add(write.record());
        });
        Set<SinkRecord> refused = Collections.newSetFromMap(new IdentityHashMap<>());
        outcome.rejected().forEach(rejected -> refused.add(rejected.write().record()));
        for (WriteChains.Chain chain : WriteChains.of(writes)) {
            List<WriteOperation> kept = chain.writes();
            if (chain.linked()) {
                int first = 0;
                while (first < kept.size() && !pendingRecords.contains(kept.get(first).record())) {
                    first++;
                }
                kept = kept.subList(first, kept.size());
            } else if (!pendingKeys.contains(TableKey.of(kept.get(0)))) {
                continue;
            }
            kept.stream().filter(write -> !refused.contains(write.record())).forEach(carried::add);
        }
    }

    /** Every round ends within its retry budget, so waiting through an interrupt is bounded. */
    private static WriteOutcome awaitUninterruptibly(Future<WriteOutcome> round) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return round.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * What of the offsets Kafka Connect delivered can be committed: all, except from the first carried write in each
     * partition; nothing when a carried write's partition is not among them (it cannot be placed).
     */
    public Map<TopicPartition, OffsetAndMetadata> durable(Map<TopicPartition, OffsetAndMetadata> delivered) {
        Map<TopicPartition, OffsetAndMetadata> durable = new HashMap<>(delivered);
        for (WriteOperation write : carried) {
            TopicPartition partition = OriginalCoordinates.topicPartition(write.record());
            if (!delivered.containsKey(partition)) {
                return Map.of();
            }
            long offset = OriginalCoordinates.offset(write.record());
            if (offset < durable.get(partition).offset()) {
                durable.put(partition, new OffsetAndMetadata(offset));
            }
        }
        return durable;
    }

    /** Drops the carried writes of partitions the task no longer owns: their next owner writes them again. */
    public void drop(Collection<TopicPartition> partitions) {
        Set<TopicPartition> closed = new HashSet<>(partitions);
        carried.removeIf(write -> closed.contains(OriginalCoordinates.topicPartition(write.record())));
        if (carried.isEmpty()) {
            unfinished = null; // nothing left behind here to ask a redelivery for
        }
    }

    /** Stops the round thread; the round in flight, if any, must have been ended first. */
    @Override
    public void close() {
        Pools.shutdown(pool, "DynamoDB write round");
    }
}
