package io.streamoffload.connect.dynamodb.tool;

import io.streamoffload.connect.dynamodb.lifecycle.GarbageCollector;
import io.streamoffload.connect.dynamodb.lifecycle.GcReport;
import io.streamoffload.connect.dynamodb.lifecycle.ItemJson;
import io.streamoffload.connect.dynamodb.lifecycle.TableReader;
import io.streamoffload.connect.dynamodb.offload.OffloadSettings;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

@Command(name = "gc", mixinStandardHelpOptions = true,
        description = "Reference-aware garbage collection of offloaded objects, safe while connectors write: marks "
                + "objects no item has named for longer than the grace, and deletes those still unnamed a grace later. "
                + "A dry run unless --delete. Run it regularly (e.g. daily), never two at once.")
final class GcCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--table", required = true, split = ",", paramLabel = "TABLE",
            description = "Every table whose items can name objects in the bucket, comma-separated.")
    List<String> tables = new ArrayList<>();

    @Option(names = "--prefix", description = "Only objects under this key prefix (default: the literal start of "
            + "offload.key.template).")
    String prefix;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "7d",
            description = "How long an object must be unnamed before it is marked, and marked before it is deleted: "
                    + "30s, 10m, 24h, 7d (default: ${DEFAULT-VALUE}). At least 2 x offload.dedupe.ttl.ms + "
                    + "retry.budget.ms + offload.gc.mark.wait.ms of the connector's config.")
    String grace;

    @Option(names = "--delete", description = "Write marks and delete; without it nothing is changed.")
    boolean delete;

    @Override
    public Integer call() throws Exception {
        common.validate();
        Duration graceDuration = parseDuration(grace);
        ToolConfig config = common.load(tables.get(0));
        OffloadSettings offload = config.offload().orElseThrow(() -> new IllegalArgumentException(
                "the connector's config has no offload.s3.bucket: there is nothing to collect"));
        Duration least = config.gcMinimumGrace();
        if (graceDuration.compareTo(least) < 0) {
            throw new IllegalArgumentException("--grace " + grace + " is shorter than this connector allows ("
                    + least.toMillis() + " ms: 2 x offload.dedupe.ttl.ms + retry.budget.ms + offload.gc.mark.wait.ms); "
                    + "an object could be deleted while a write naming it is on its way");
        }
        String keyPrefix = prefix != null ? prefix : offload.keyTemplate().literalPrefix();
        int connections = common.segments * 2;
        try (DynamoDbClient dynamoDb = config.dynamoDb(connections); S3Client s3 = config.s3(connections)) {
            List<TableReader> readers = new ArrayList<>();
            long expected = 0;
            for (String table : tables) {
                TableReader reader = new TableReader(dynamoDb, table);
                readers.add(reader);
                expected += reader.approximateItemCount();
            }
            GcReport report;
            try (Progress progress = Progress.start("gc " + String.join(",", tables), expected, common.json)) {
                report = new GarbageCollector(s3, offload.bucket(), keyPrefix, offload.deadLetterPrefix(), readers, config.locator(), graceDuration,
                        offload.gcMarkWait(), Clock.systemUTC()).run(delete, common.segments, common.maxRcu, progress);
            }
            print(report, spec.commandLine().getOut());
            if (report.refusal() != null) {
                // what was done is reported above; what no later run can do without a grant ends the run in failure
                spec.commandLine().getErr().println("dynamodb-offload: " + report.refusal());
                return OffloadTool.FAILED;
            }
            return OffloadTool.OK;
        }
    }

    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(text.trim());
            }
            long amount = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--grace takes a duration like 30s, 10m, 24h, 7d or PT10M, not '" + text + "'");
        }
    }

    private void print(GcReport report, PrintWriter out) {
        if (common.json) {
            out.println(ItemJson.MAPPER.valueToTree(report));
            return;
        }
        String verb = report.dryRun() ? "would delete" : "deleted";
        report.deletedKeys().forEach(key -> out.printf("%s s3://%s/%s%n", verb, report.bucket(), key));
        out.printf("%s: %,d items name %,d objects; s3://%s/%s holds %,d objects (%,d bytes)%n",
                String.join(",", report.tables()), report.items(), report.referencedObjects(), report.bucket(),
                report.prefix(), report.objectsListed(), report.bytesListed());
        out.printf("%s %,d objects (%,d bytes); %s %,d unnamed objects (%,d bytes); %,d marks waiting out the grace, "
                        + "%,d removed because their objects are named again%s%s%n", verb, report.toDelete(),
                report.toDeleteBytes(), report.dryRun() ? "would mark" : "marked", report.toMark(), report.toMarkBytes(),
                report.pending(), report.rescued(),
                report.staleMarks() > 0 ? String.format(", %,d because their objects are gone", report.staleMarks()) : "",
                report.abandonedDeletes() > 0
                        ? String.format("; %,d deletions left for the next run", report.abandonedDeletes()) : "");
        if (report.refusedDeletes() > 0) {
            out.printf("refused: %,d keys S3 would not delete for lack of permission (see below)%n", report.refusedDeletes());
        }
        if (report.parkedDeadLettersKept() > 0) {
            out.printf("left in place: %,d parked dead letters (never collected; dynamodb-offload dead-letters lists them)%n",
                    report.parkedDeadLettersKept());
        }
        if (report.dryRun()) {
            out.println("(dry run: nothing changed; --delete marks and deletes)");
        }
    }
}
