package io.streamoffload.connect.dynamodb.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's picture, as SVG written by the benchmark itself from its own rows: for each workload at one
 * backend, the records/s of the connector, the hand-written pipeline and the ceiling, each as a share of the ceiling's
 * (so that workloads of very different speeds sit on one scale), with the figure written beside each bar.
 */
final class BenchmarkChart {
    private static final List<String> DRIVERS = List.of(PipelineBenchmark.CONNECTOR, PipelineBenchmark.HAND_WRITTEN,
            PipelineBenchmark.CEILING);
    private static final List<String> COLOURS = List.of("#1f77b4", "#ff7f0e", "#9e9e9e");
    private static final int LABEL_WIDTH = 130;
    private static final int BAR_AREA = 420;
    private static final int BAR_HEIGHT = 14;
    private static final int GROUP_GAP = 14;

    private BenchmarkChart() {
    }

    /** One bar: a driver's records/s, and the ceiling's in the same group. */
    record Bar(String driver, double recordsPerSecond, double ceiling) {
    }

    static String svg(String title, Map<String, List<Bar>> groups) {
        int height = 60 + groups.size() * (DRIVERS.size() * BAR_HEIGHT + GROUP_GAP) + 40;
        int width = LABEL_WIDTH + BAR_AREA + 170;
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" "
                        + "font-size=\"12\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
                        + "<text x=\"10\" y=\"22\" font-size=\"14\" font-weight=\"bold\">%s</text>\n", width, height,
                escape(title)));
        int y = 44;
        for (Map.Entry<String, List<Bar>> group : groups.entrySet()) {
            svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">%s</text>\n",
                    y + DRIVERS.size() * BAR_HEIGHT / 2 + 4, escape(group.getKey())));
            for (int d = 0; d < DRIVERS.size(); d++) {
                String driver = DRIVERS.get(d);
                int row = y + d * BAR_HEIGHT;
                for (Bar bar : group.getValue()) {
                    if (!bar.driver().equals(driver)) {
                        continue;
                    }
                    double share = bar.recordsPerSecond() / bar.ceiling();
                    int length = (int) Math.round(Math.min(share, 1.6) / 1.6 * BAR_AREA);
                    svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                            + "fill=\"%s\"/>\n", LABEL_WIDTH, row, Math.max(1, length), BAR_HEIGHT - 2, COLOURS.get(d)));
                    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%.2fx (%,.0f records/s)</text>\n",
                            LABEL_WIDTH + length + 5, row + BAR_HEIGHT - 4, share, bar.recordsPerSecond()));
                }
            }
            y += DRIVERS.size() * BAR_HEIGHT + GROUP_GAP;
        }
        int ceilingX = LABEL_WIDTH + (int) Math.round(BAR_AREA / 1.6);
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"36\" x2=\"%d\" y2=\"%d\" stroke=\"#555\" "
                + "stroke-dasharray=\"3,3\"/>\n", ceilingX, ceilingX, y - GROUP_GAP + 4));
        for (int d = 0; d < DRIVERS.size(); d++) {
            int x = 10 + d * 200;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>\n", x, y + 8, COLOURS.get(d), x + 16, y + 18,
                    escape(DRIVERS.get(d))));
        }
        return svg.append("</svg>\n").toString();
    }

    /** The groups of the chart: each workload's rows at {@code backend}, medians over repeats. */
    static Map<String, List<Bar>> groups(List<PipelineBenchmark.Row> rows, String backend) {
        Map<String, List<Bar>> groups = new LinkedHashMap<>();
        Map<String, List<PipelineBenchmark.Row>> byWorkload = new LinkedHashMap<>();
        rows.stream().filter(r -> r.backend().equals(backend))
                .forEach(r -> byWorkload.computeIfAbsent(r.workload(), k -> new ArrayList<>()).add(r));
        byWorkload.forEach((workload, workloadRows) -> {
            double ceiling = median(workloadRows, PipelineBenchmark.CEILING);
            if (Double.isNaN(ceiling)) {
                return;
            }
            List<Bar> bars = new ArrayList<>();
            for (String driver : DRIVERS) {
                double rate = median(workloadRows, driver);
                if (!Double.isNaN(rate)) {
                    bars.add(new Bar(driver, rate, ceiling));
                }
            }
            groups.put(workload, bars);
        });
        return groups;
    }

    private static double median(List<PipelineBenchmark.Row> rows, String driver) {
        List<Double> rates = rows.stream().filter(r -> r.driver().equals(driver))
                .map(PipelineBenchmark.Row::recordsPerSecond).sorted().toList();
        return rates.isEmpty() ? Double.NaN : rates.get(rates.size() / 2);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
