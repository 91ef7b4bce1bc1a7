package io.streamoffload.connect.dynamodb.lifecycle;

import io.streamoffload.connect.dynamodb.errors.ErrorClassifier;
import io.streamoffload.connect.dynamodb.errors.PermissionHint;
import io.streamoffload.connect.dynamodb.offload.store.GcMarks;
import io.streamoffload.connect.dynamodb.read.PointerLocator;
import io.streamoffload.connect.dynamodb.util.Pools;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Reference-aware mark and sweep of the offload bucket, safe while connectors keep writing (docs/lifecycle-tool.md,
 * "Garbage collection"). One run: scan every table that can name objects; list the objects; remove the marks of objects named
 * again; delete objects whose mark is older than the grace and that are still unnamed, each batch within half of
 * {@code offload.gc.mark.wait.ms} of seeing its marks (a connector reusing a marked object removes the mark and waits
 * the whole of it); mark unnamed objects older than the grace. Deleting an object therefore takes two runs at least
 * a grace apart. Runs must not overlap.
 */
public final class GarbageCollector {
    private static final int BATCH = 1_000;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final String deadLetterPrefix;
    private final List<TableReader> tables;
    private final PointerLocator locator;
    private final Duration grace;
    private final Duration markWait;
    private final Clock clock;

    /** @param deadLetterPrefix where the connector parks dead letters: named by no item, and never collected */
    public GarbageCollector(S3Client s3, String bucket, String prefix, String deadLetterPrefix, List<TableReader> tables,
                            PointerLocator locator, Duration grace, Duration markWait, Clock clock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.deadLetterPrefix = deadLetterPrefix;
        this.tables = tables;
        this.locator = locator;
        this.grace = grace;
        this.markWait = markWait;
        this.clock = clock;
    }

    /** @param delete false for a dry run that changes nothing */
    public GcReport run(boolean delete, int segments, double maxReadUnitsPerSecond, LongConsumer progress)
            throws InterruptedException {
        long scanStart = clock.millis();
        Set<String> referenced = ConcurrentHashMap.newKeySet();
        long items = 0;
        for (TableReader table : tables) {
            items += table.scan(segments, maxReadUnitsPerSecond, true, item -> {
                for (PointerLocator.Located located : locator.locate(item)) {
                    if (located.bucket().equals(bucket)) {
                        referenced.add(located.key());
                    }
                }
                progress.accept(1);
            });
        }
        Map<String, S3Object> unreferenced = new HashMap<>();
        long listed = 0;
        long listedBytes = 0;
        for (S3Object object : s3.listObjectsV2Paginator(l -> l.bucket(bucket).prefix(prefix)).contents()) {
            if (GcMarks.isMark(object.key())) {
                continue;
            }
            if (object.key().startsWith(deadLetterPrefix)) {
                continue; // counted below
            }
            listed++;
            listedBytes += object.size();
            if (!referenced.contains(object.key())) {
                unreferenced.put(object.key(), object);
            }
        }

        long deadLettersKept = s3.listObjectsV2Paginator(l -> l.bucket(bucket).prefix(deadLetterPrefix)).contents()
                .stream().count();

        Tally tally = new Tally();
        List<Marked> ripe = new ArrayList<>();
        Map<String, Boolean> marked = new HashMap<>();
        for (S3Object mark : s3.listObjectsV2Paginator(l -> l.bucket(bucket).prefix(GcMarks.PREFIX + prefix)).contents()) {
            String key = GcMarks.objectKey(mark.key());
            marked.put(key, true);
            S3Object object = unreferenced.get(key);
            Optional<Long> markedAt = markedAt(mark.key());
            if (markedAt.isEmpty()) {
                continue; // removed by a connector just now
            }
            if (object == null) {
                // named again, or gone (a deletion whose outcome an earlier run did not learn): the mark must not
                // outlive the reason for it
                if (referenced.contains(key)) {
                    tally.rescued++;
                } else {
                    tally.staleMarks++;
                }
                if (delete) {
                    s3.deleteObject(d -> d.bucket(bucket).key(mark.key()));
                }
            } else if (markedAt.get() + grace.toMillis() <= scanStart) {
                ripe.add(new Marked(object, markedAt.get()));
            } else {
                tally.pending++;
            }
        }
        if (delete) {
            sweep(ripe, segments * 2, tally);
        } else {
            ripe.forEach(candidate -> tally.deleted(candidate.object()));
        }
        long newestToMark = scanStart - grace.toMillis();
        for (S3Object object : unreferenced.values()) {
            if (!marked.containsKey(object.key()) && object.lastModified().toEpochMilli() <= newestToMark) {
                tally.toMark++;
                tally.toMarkBytes += object.size();
                if (delete) {
                    long now = clock.millis();
                    s3.putObject(p -> p.bucket(bucket).key(GcMarks.markKey(object.key()))
                            .metadata(Map.of(GcMarks.MARKED_AT, Long.toString(now))), RequestBody.empty());
                }
            }
        }
        return new GcReport(tables.stream().map(TableReader::table).toList(), bucket, prefix, !delete, items,
                referenced.size(), listed, listedBytes, tally.toMark, tally.toMarkBytes, tally.toDelete,
                tally.toDeleteBytes, tally.rescued, tally.staleMarks, tally.pending, tally.abandoned, deadLettersKept,
                List.copyOf(tally.deletedKeys), tally.refused, tally.refusal);
    }

    private record Marked(S3Object object, long markedAt) {
    }

    private static final class Tally {
        long toMark;
        long toMarkBytes;
        long toDelete;
        long toDeleteBytes;
        long rescued;
        long staleMarks;
        long pending;
        long abandoned;
        long refused;
        /** What S3 refused first, and what to grant; null while nothing was refused. */
        String refusal;
        final List<String> deletedKeys = new ArrayList<>();

        void deleted(S3Object object) {
            toDelete++;
            toDeleteBytes += object.size();
            if (deletedKeys.size() < GcReport.LISTED_KEYS) {
                deletedKeys.add(object.key());
            }
        }
    }

    /**
     * Deletes ripe objects whose marks are still there, in batches of up to 1,000. A connector that removes a mark
     * waits {@code markWait} before trusting the object, so a batch's deletion must be over within half of it from the
     * moment its first mark is re-read: marks are re-read {@code parallelism} at a time for a quarter of that, and a
     * batch that cannot be sent with at least another quarter left is left for the next run.
     */
    private void sweep(List<Marked> ripe, int parallelism, Tally tally) throws InterruptedException {
        long budgetNanos = markWait.toNanos() / 2;
        ExecutorService heads = Pools.fixed("gc-mark-reader", parallelism);
        try {
            int next = 0;
            while (next < ripe.size() && tally.refusal == null) {
                long start = System.nanoTime();
                List<Marked> confirmed = new ArrayList<>();
                while (next < ripe.size() && confirmed.size() + parallelism <= BATCH
                        && System.nanoTime() - start < budgetNanos / 2) {
                    List<Marked> chunk = ripe.subList(next, Math.min(ripe.size(), next + parallelism));
                    next += chunk.size();
                    confirmed.addAll(stillMarked(chunk, heads));
                }
                long left = budgetNanos - (System.nanoTime() - start);
                if (confirmed.isEmpty()) {
                    continue;
                }
                if (left < budgetNanos / 4) {
                    tally.abandoned += confirmed.size();
                    continue;
                }
                deleteConfirmed(confirmed, Duration.ofNanos(left), tally);
            }
        } finally {
            heads.shutdownNow();
        }
    }

    private List<Marked> stillMarked(List<Marked> chunk, ExecutorService heads) throws InterruptedException {
        List<Future<Optional<Long>>> reads = new ArrayList<>();
        for (Marked marked : chunk) {
            reads.add(heads.submit(() -> markedAt(GcMarks.markKey(marked.object().key()))));
        }
        List<Marked> still = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
            try {
                Optional<Long> markedAt = reads.get(i).get();
                if (markedAt.isPresent() && markedAt.get() == chunk.get(i).markedAt()) {
                    still.add(chunk.get(i));
                }
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
            }
        }
        return still;
    }

    private void deleteConfirmed(List<Marked> confirmed, Duration timeout, Tally tally) {
        DeleteObjectsResponse response;
        try {
            response = s3.deleteObjects(d -> d.bucket(bucket)
                    .delete(del -> del.objects(confirmed.stream()
                            .map(m -> ObjectIdentifier.builder().key(m.object().key()).build()).toList()))
                    .overrideConfiguration(o -> o.apiCallTimeout(timeout)));
        } catch (SdkException e) {
            if (e instanceof AwsServiceException && ErrorClassifier.classify(e) == ErrorClassifier.Disposition.FATAL) {
                // refused (access denied, no such bucket): every later batch would be too
                tally.refused += confirmed.size();
                tally.refusal = "S3 refused to delete " + confirmed.size() + " key(s): " + ErrorClassifier.describe(e);
                return;
            }
            // too late or failed, with an outcome unknown: the marks stay, and the next run deletes what is left or
            // removes the marks of what is gone
            tally.abandoned += confirmed.size();
            return;
        }
        Set<String> failed = new HashSet<>();
        response.errors().forEach(error -> failed.add(error.key()));
        List<Marked> deleted = confirmed.stream().filter(m -> !failed.contains(m.object().key())).toList();
        // S3 refuses each key of a multi-object delete on its own, inside a successful answer: a missing permission
        // would otherwise pass for deletions left for the next run, run after run
        List<S3Error> refused = new ArrayList<>(refusals(response));
        tally.abandoned += failed.size() - refused.size();
        deleted.forEach(marked -> tally.deleted(marked.object()));
        if (!deleted.isEmpty()) {
            // the marks of deleted objects: one refused stays, and the next run removes it as stale
            refused.addAll(refusals(s3.deleteObjects(d -> d.bucket(bucket).delete(del -> del.objects(deleted.stream()
                    .map(m -> ObjectIdentifier.builder().key(GcMarks.markKey(m.object().key())).build()).toList())))));
        }
        if (!refused.isEmpty()) {
            S3Error first = refused.get(0);
            tally.refused += refused.size();
            tally.refusal = "S3 refused to delete " + refused.size() + " key(s), s3://" + bucket + "/" + first.key()
                    + " first: " + first.code() + ": " + first.message() + ". "
                    + PermissionHint.forAction("s3:DeleteObject", "arn:aws:s3:::" + bucket + "/" + first.key());
        }
    }

    /** A multi-object delete's per-key errors that no later run can get past: access denied. */
    private static List<S3Error> refusals(DeleteObjectsResponse response) {
        return response.errors().stream().filter(error -> ErrorClassifier.isAccessDenied(error.code())).toList();
    }

    private Optional<Long> markedAt(String markKey) {
        try {
            HeadObjectResponse head = s3.headObject(h -> h.bucket(bucket).key(markKey));
            String value = head.metadata().get(GcMarks.MARKED_AT);
            return Optional.of(value == null ? 0L : Long.parseLong(value));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
