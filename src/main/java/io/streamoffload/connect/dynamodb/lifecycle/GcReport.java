package io.streamoffload.connect.dynamodb.lifecycle;

import java.util.List;

/**
 * What one {@code gc} run found and did. Counts and bytes of objects: {@code toMark} were unreferenced for longer
 * than the grace and got (or, in a dry run, would get) a mark; {@code toDelete} were marked at least a grace ago and are
 * still unreferenced, so they were (or would be) deleted; {@code rescued} were marked but are named again, so their mark
 * was removed; {@code staleMarks} are marks whose object is gone (a deletion whose outcome an earlier run could not
 * learn), removed too; {@code abandonedDeletes} were ripe but left for the next run, because their deletion could not be
 * sent in time or failed; {@code pending} are marked and wait out their grace; {@code parkedDeadLettersKept} are the
 * connector's parked dead letters under the prefix listed, which are named by no item and never collected. {@code deletedKeys} lists the first keys deleted
 * (or that a dry run would delete). {@code refusedDeletes} were ripe but S3 refused to delete them for lack of
 * permission, which no later run can get past: {@code refusal} then says what to grant (null when nothing was refused),
 * and the run's sweep stopped at the first refusal.
 */
public record GcReport(List<String> tables, String bucket, String prefix, boolean dryRun, long items,
                       long referencedObjects, long objectsListed, long bytesListed,
                       long toMark, long toMarkBytes, long toDelete, long toDeleteBytes, long rescued, long staleMarks, long pending,
                       long abandonedDeletes, long parkedDeadLettersKept, List<String> deletedKeys,
                       long refusedDeletes, String refusal) {
    public static final int LISTED_KEYS = 1_000;
}
