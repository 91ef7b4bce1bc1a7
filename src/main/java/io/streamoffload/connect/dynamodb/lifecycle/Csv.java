package io.streamoffload.connect.dynamodb.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Collectors;

/** RFC 4180 rows: fields quoted when they hold a comma, quote or line break, quotes doubled, CRLF line ends. */
final class Csv {
    private Csv() {
    }

    static String row(List<String> cells) {
        return cells.stream().map(Csv::quote).collect(Collectors.joining(",")) + "\r\n";
    }

    /** A JSON value as one cell: text as itself, numbers in plain notation, absent and null empty, the rest JSON. */
    static String cell(JsonNode value) {
        if (value == null || value.isNull()) {
            return "";
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isNumber()) {
            return value.decimalValue().toPlainString();
        }
        return value.toString();
    }

    private static String quote(String cell) {
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }
}
