package io.streamoffload.connect.dynamodb.lifecycle;

import io.streamoffload.connect.dynamodb.errors.ErrorClassifier;
import io.streamoffload.connect.dynamodb.read.OffloadIntegrityException;
import io.streamoffload.connect.dynamodb.read.OffloadMismatchException;
import io.streamoffload.connect.dynamodb.read.OffloadedItemReader;
import io.streamoffload.connect.dynamodb.read.PointerLocator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Checks that every pointer in a table resolves: the object exists, decompresses, and has the size and SHA-256 the
 * pointer (or, for bare URIs, the object's metadata) gives. An object named by many items is fetched once; each item
 * naming a bad one is reported.
 */
public final class OffloadVerifier {
    /** How many objects' outcomes are remembered so that items sharing content do not fetch it again. */
    private static final int REMEMBERED_OBJECTS = 100_000;

    private final TableReader table;
    private final OffloadedItemReader reader;
    private final PointerLocator locator;
    private final Map<String, Optional<Finding>> checked = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<Finding>> eldest) {
            return size() > REMEMBERED_OBJECTS;
        }
    };

    public OffloadVerifier(TableReader table, OffloadedItemReader reader, PointerLocator locator) {
        this.table = table;
        this.reader = reader;
        this.locator = locator;
    }

    private record Finding(VerifyReport.Kind kind, String reason) {
    }

    /** Scans the table and checks every pointer; {@code progress} hears of each item read. */
    public VerifyReport verify(int segments, double maxReadUnitsPerSecond, LongConsumer progress)
            throws InterruptedException {
        VerifyReport.Builder report = new VerifyReport.Builder(table.table());
        table.scan(segments, maxReadUnitsPerSecond, false, item -> {
            for (PointerLocator.Located located : locator.locate(item)) {
                Checked checked = check(located);
                checked.finding().ifPresent(finding -> report.problem(new VerifyReport.Problem(finding.kind(),
                        table.describeKey(item), located.path(), located.uri(), finding.reason())));
                report.pointer(checked.fetched());
            }
            report.item();
            progress.accept(1);
        });
        return report.build();
    }

    private record Checked(Optional<Finding> finding, boolean fetched) {
    }

    private Checked check(PointerLocator.Located located) {
        synchronized (this) {
            Optional<Finding> known = checked.get(located.uri());
            if (known != null) {
                return new Checked(known, false);
            }
        }
        // two segments may fetch the same object at once: harmless, and counted as two fetches
        Optional<Finding> finding = fetchAndCheck(located);
        synchronized (this) {
            checked.put(located.uri(), finding);
        }
        return new Checked(finding, true);
    }

    private Optional<Finding> fetchAndCheck(PointerLocator.Located located) {
        try {
            if (located.pointer().isPresent()) {
                reader.readVerified(located.pointer().get());
            } else {
                reader.readVerifiedUri(located.uri());
            }
            return Optional.empty();
        } catch (NoSuchKeyException e) {
            return Optional.of(new Finding(VerifyReport.Kind.DANGLING, "no such object"));
        } catch (NoSuchBucketException e) {
            return Optional.of(new Finding(VerifyReport.Kind.DANGLING, "bucket " + located.bucket() + " does not exist"));
        } catch (OffloadMismatchException e) {
            return Optional.of(new Finding(VerifyReport.Kind.MISMATCHED, e.getMessage()));
        } catch (OffloadIntegrityException e) {
            return Optional.of(new Finding(VerifyReport.Kind.UNREADABLE, e.getMessage()));
        } catch (S3Exception e) {
            if (ErrorClassifier.isAccessDenied(e)) {
                // a permission missing says nothing of the objects: stop, and say what to grant (an archived
                // object's 403, InvalidObjectState, is a finding like any unreadable one)
                throw e;
            }
            VerifyReport.Kind kind = e.statusCode() == 404 ? VerifyReport.Kind.DANGLING : VerifyReport.Kind.UNREADABLE;
            return Optional.of(new Finding(kind, ErrorClassifier.describe(e)));
        }
    }
}
