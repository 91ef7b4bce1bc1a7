package io.streamoffload.connect.dynamodb.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamoffload.connect.dynamodb.read.OffloadedItemReader;
import io.streamoffload.connect.dynamodb.read.PointerLocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.LongConsumer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Writes items as JSON lines or CSV, streaming: a scan's pages go out as they arrive, so memory does not grow with the
 * table. Pointers are written as their {@code s3://} URI, or hydrated to the content they stand for, verified.
 * CSV has one column per top-level attribute (nested values as JSON text); without a column list a first scan finds
 * the attribute names, so the table is read twice.
 */
public final class ItemExporter {
    public enum Format {
        JSONL, CSV
    }

    private final TableReader table;
    private final PointerLocator locator;
    private final Optional<OffloadedItemReader> hydrator;

    /** @param hydrator present to replace pointers with their content; empty to write their URIs */
    public ItemExporter(TableReader table, PointerLocator locator, Optional<OffloadedItemReader> hydrator) {
        this.table = table;
        this.locator = locator;
        this.hydrator = hydrator;
    }

    /** Every item of the table; returns how many were written. */
    public long exportAll(Format format, List<String> columns, int segments, double maxReadUnitsPerSecond, Writer out,
                          LongConsumer progress) throws InterruptedException {
        List<String> header = format == Format.CSV && columns.isEmpty() ? discoverColumns(segments, maxReadUnitsPerSecond)
                : columns;
        writeHeader(format, header, out);
        return table.scan(segments, maxReadUnitsPerSecond, false, item -> {
            String line = line(format, header, item);
            synchronized (out) {
                write(out, line);
            }
            progress.accept(1);
        });
    }

    /** One item by key; false when there is none. */
    public boolean exportOne(Map<String, AttributeValue> key, Format format, List<String> columns, Writer out) {
        Optional<Map<String, AttributeValue>> item = table.get(key);
        if (item.isEmpty()) {
            return false;
        }
        List<String> header = format == Format.CSV && columns.isEmpty() ? ordered(item.get().keySet()) : columns;
        writeHeader(format, header, out);
        write(out, line(format, header, item.get()));
        return true;
    }

    /** The item as plain JSON, pointers replaced by their URI or their content. */
    public ObjectNode toJson(Map<String, AttributeValue> item) {
        ObjectNode json = ItemJson.of(item);
        for (PointerLocator.Located located : locator.locate(item)) {
            JsonNode replacement = hydrator.isPresent() ? ItemJson.ofContent(hydrate(hydrator.get(), located))
                    : ItemJson.MAPPER.getNodeFactory().textNode(located.uri());
            ObjectNode parent = json;
            for (String name : located.names().subList(0, located.names().size() - 1)) {
                parent = (ObjectNode) parent.get(name);
            }
            parent.set(located.names().get(located.names().size() - 1), replacement);
        }
        return json;
    }

    private static Object hydrate(OffloadedItemReader reader, PointerLocator.Located located) {
        if (located.pointer().isPresent()) {
            return reader.read(located.pointer().get());
        }
        return reader.readUri(located.uri());
    }

    private List<String> discoverColumns(int segments, double maxReadUnitsPerSecond) throws InterruptedException {
        Set<String> names = new ConcurrentSkipListSet<>();
        table.scan(segments, maxReadUnitsPerSecond, false, item -> names.addAll(item.keySet()));
        return ordered(names);
    }

    /** Key attributes first, then the others by name. */
    private List<String> ordered(Collection<String> names) {
        List<String> ordered = new ArrayList<>(table.keyNames());
        Set<String> rest = new TreeSet<>(names);
        rest.removeAll(ordered);
        ordered.addAll(rest);
        return ordered;
    }

    private static void writeHeader(Format format, List<String> columns, Writer out) {
        if (format == Format.CSV) {
            write(out, Csv.row(columns));
        }
    }

    private String line(Format format, List<String> columns, Map<String, AttributeValue> item) {
        ObjectNode json = toJson(item);
        if (format == Format.JSONL) {
            return json.toString() + "\n";
        }
        List<String> cells = new ArrayList<>(columns.size());
        for (String column : columns) {
            cells.add(Csv.cell(json.get(column)));
        }
        return Csv.row(cells);
    }

    private static void write(Writer out, String text) {
        try {
            out.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
