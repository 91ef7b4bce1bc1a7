package io.streamoffload.connect.dynamodb.tool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamoffload.connect.dynamodb.lifecycle.ItemJson;
import io.streamoffload.connect.dynamodb.lifecycle.OffloadVerifier;
import io.streamoffload.connect.dynamodb.lifecycle.TableReader;
import io.streamoffload.connect.dynamodb.lifecycle.VerifyReport;
import io.streamoffload.connect.dynamodb.read.OffloadedItemReader;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check that every pointer in a table resolves, decompresses, and matches its SHA-256 and size. "
                + "Exit code 1 when any pointer is dangling, mismatched or unreadable.")
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--table", required = true, description = "The table to scan.")
    String table;

    @Override
    public Integer call() throws Exception {
        common.validate();
        ToolConfig config = common.load(table);
        int connections = common.segments * 2;
        try (DynamoDbClient dynamoDb = config.dynamoDb(connections); S3Client s3 = config.s3(connections);
             OffloadedItemReader reader = config.reader(s3)) {
            TableReader tableReader = new TableReader(dynamoDb, table);
            VerifyReport report;
            try (Progress progress = Progress.start("verify " + table, tableReader.approximateItemCount(), common.json)) {
                report = new OffloadVerifier(tableReader, reader, config.locator())
                        .verify(common.segments, common.maxRcu, progress);
            }
            print(report, spec.commandLine().getOut());
            return report.ok() ? OffloadTool.OK : OffloadTool.FOUND_PROBLEMS;
        }
    }

    private void print(VerifyReport report, PrintWriter out) {
        if (common.json) {
            ObjectNode json = ItemJson.MAPPER.valueToTree(report);
            json.put("ok", report.ok());
            out.println(json);
            return;
        }
        for (VerifyReport.Problem problem : report.problems()) {
            out.printf("%-10s %s  %s  %s: %s%n", problem.kind(), problem.itemKey(), problem.path(), problem.uri(),
                    problem.reason());
        }
        if (report.problemCount() > report.problems().size()) {
            out.printf("(%d more problems not listed)%n", report.problemCount() - report.problems().size());
        }
        out.printf("%s: %,d items, %,d pointers, %,d objects fetched: %s%n", report.table(), report.items(),
                report.pointers(), report.objectsFetched(), report.ok() ? "all pointers verify"
                        : String.format("%,d dangling, %,d mismatched, %,d unreadable",
                        report.problemCounts().get(VerifyReport.Kind.DANGLING),
                        report.problemCounts().get(VerifyReport.Kind.MISMATCHED),
                        report.problemCounts().get(VerifyReport.Kind.UNREADABLE)));
    }
}
