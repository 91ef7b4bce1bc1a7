package io.streamoffload.connect.dynamodb.tool;

import io.streamoffload.connect.dynamodb.lifecycle.ItemExporter;
import io.streamoffload.connect.dynamodb.lifecycle.ItemJson;
import io.streamoffload.connect.dynamodb.lifecycle.TableReader;
import io.streamoffload.connect.dynamodb.read.OffloadedItemReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a table's items as JSON lines or CSV, pointers as URIs or hydrated to their content. "
                + "The summary goes to stderr so that stdout carries only the items.")
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--table", required = true, description = "The table to read.")
    String table;

    @Option(names = "--format", defaultValue = "jsonl",
            description = "jsonl (one JSON object per line) or csv (one column per top-level attribute, nested values "
                    + "as JSON). Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--hydrate", description = "Replace each pointer with the content it stands for, verified.")
    boolean hydrate;

    @Option(names = "--output", paramLabel = "FILE", description = "Write here instead of stdout.")
    Path output;

    @Option(names = "--key", paramLabel = "NAME=VALUE[,NAME=VALUE]",
            description = "Read this one item with GetItem instead of scanning the table.")
    String key;

    @Option(names = "--columns", split = ",", paramLabel = "NAME",
            description = "CSV columns; without them a first scan finds every attribute name (the table is read twice).")
    List<String> columns = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        common.validate();
        ItemExporter.Format exportFormat = parseFormat();
        ToolConfig config = common.load(table);
        int connections = common.segments * 2;
        try (DynamoDbClient dynamoDb = config.dynamoDb(connections); S3Client s3 = config.s3(connections);
             OffloadedItemReader reader = config.reader(s3);
             // stdout belongs to the caller: flushed, never closed
             Writer file = output == null ? null : Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            Writer out = file == null ? spec.commandLine().getOut() : file;
            TableReader tableReader = new TableReader(dynamoDb, table);
            ItemExporter exporter = new ItemExporter(tableReader, config.locator(),
                    hydrate ? Optional.of(reader) : Optional.empty());
            long items;
            if (key != null) {
                Map<String, AttributeValue> itemKey;
                try {
                    itemKey = tableReader.parseKey(key);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--key: " + e.getMessage(), e);
                }
                items = exporter.exportOne(itemKey, exportFormat, columns, out) ? 1 : 0;
            } else {
                try (Progress progress = Progress.start("export " + table, tableReader.approximateItemCount(),
                        common.json || output == null)) {
                    items = exporter.exportAll(exportFormat, columns, common.segments, common.maxRcu, out, progress);
                }
            }
            out.flush();
            summarize(items);
            return key != null && items == 0 ? OffloadTool.FOUND_PROBLEMS : OffloadTool.OK;
        }
    }

    private ItemExporter.Format parseFormat() {
        return switch (format) {
            case "jsonl" -> ItemExporter.Format.JSONL;
            case "csv" -> ItemExporter.Format.CSV;
            default -> throw new IllegalArgumentException("--format is jsonl or csv, not '" + format + "'");
        };
    }

    private void summarize(long items) {
        PrintWriter err = spec.commandLine().getErr();
        if (common.json) {
            err.println(ItemJson.MAPPER.createObjectNode().put("table", table).put("items", items)
                    .put("format", format).put("hydrated", hydrate)
                    .put("output", output == null ? "stdout" : output.toString()));
        } else if (key != null && items == 0) {
            err.printf("%s: no item with key %s%n", table, key);
        } else {
            err.printf("%s: %,d items exported as %s%s to %s%n", table, items, format, hydrate ? " (hydrated)" : "",
                    output == null ? "stdout" : output);
        }
    }
}
