package org.parkinglot.benchmarks.lockbench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Renders a {@link Report} as the plain-text table {@code lockbench} prints on stdout: a heading, one
 * line per lock and thread configuration (a blank line between configurations), and a legend.
 * Columns are separated by at least two spaces; no cell contains two spaces in a row.
 */
public final class TableWriter {

    /** The text between two columns. */
    static final String GAP = "  ";

    /**
     * One column: its heading, alignment and cell text.
     *
     * @param header the heading
     * @param left   whether cells are left-aligned (numbers are right-aligned)
     * @param cell   the cell text of a row
     */
    record Column(String header, boolean left, Function<Row, String> cell) {
    }

    private TableWriter() {
    }

    /**
     * Returns the columns of a mode's table, in print order.
     *
     * @param mode the report's mode
     * @return the columns
     */
    static List<Column> columns(Mode mode) {
        List<Column> cols = new ArrayList<>();
        cols.add(new Column("lock", true, Row::lock));
        if (mode == Mode.MUTEX) {
            cols.add(new Column("threads", false, r -> Integer.toString(r.config().writers())));
        } else {
            cols.add(new Column("writers", false, r -> Integer.toString(r.config().writers())));
            cols.add(new Column("readers", false, r -> Integer.toString(r.config().readers())));
        }
        cols.add(new Column("Mops/s", false, r -> Fmt.mops(r.opsPerSecond())));
        cols.add(new Column("ratio", false, r -> Fmt.ratio(r.ratio())));
        if (mode == Mode.MUTEX) {
            addSpread(cols, "", Row::writers);
        } else {
            cols.add(new Column("writes kHz", false, r -> Fmt.kHz(r.writeOpsPerSecond() / 1000)));
            cols.add(new Column("reads kHz", false, r -> Fmt.kHz(r.readOpsPerSecond() / 1000)));
            addSpread(cols, "W ", Row::writers);
            addSpread(cols, "R ", Row::readers);
        }
        cols.add(new Column("max wait", false, r -> Fmt.nanos(r.maxWaitNanos())));
        cols.add(new Column("bytes", false, r -> Fmt.bytes(r.bytesPerLock())));
        return cols;
    }

    private static void addSpread(List<Column> cols, String prefix, Function<Row, Stats> stats) {
        cols.add(new Column(prefix + "avg kHz", false, r -> spread(stats.apply(r), Stats::averageKHz)));
        cols.add(new Column(prefix + "median kHz", false, r -> spread(stats.apply(r), Stats::medianKHz)));
        cols.add(new Column(prefix + "stddev kHz", false, r -> spread(stats.apply(r), Stats::stddevKHz)));
    }

    private static String spread(Stats s, Function<Stats, Double> field) {
        return s == null ? Fmt.NONE : Fmt.kHz(field.apply(s));
    }

    /**
     * Renders the table alone: heading line, dashes, rows, and blank lines between configurations.
     *
     * @param report the report
     * @return the table text, each line ending with a newline
     */
    public static String table(Report report) {
        List<Column> cols = columns(report.options().mode());
        int[] width = new int[cols.size()];
        for (int c = 0; c < cols.size(); c++) {
            width[c] = cols.get(c).header().length();
            for (Row r : report.rows()) {
                width[c] = Math.max(width[c], cols.get(c).cell().apply(r).length());
            }
        }
        StringBuilder b = new StringBuilder();
        List<String> headers = cols.stream().map(Column::header).toList();
        line(b, cols, width, headers);
        line(b, cols, width, IntStream.range(0, cols.size()).mapToObj(c -> "-".repeat(width[c])).toList());
        ThreadConfig previous = null;
        for (Row r : report.rows()) {
            if (previous != null && !previous.equals(r.config())) {
                b.append('\n');
            }
            previous = r.config();
            line(b, cols, width, cols.stream().map(c -> c.cell().apply(r)).toList());
        }
        return b.toString();
    }

    private static void line(StringBuilder b, List<Column> cols, int[] width, List<String> cells) {
        StringBuilder l = new StringBuilder();
        for (int c = 0; c < cols.size(); c++) {
            if (c > 0) {
                l.append(GAP);
            }
            String text = cells.get(c);
            String pad = " ".repeat(width[c] - text.length());
            l.append(cols.get(c).left() ? text + pad : pad + text);
        }
        b.append(l.toString().stripTrailing()).append('\n');
    }

    /**
     * Renders the whole stdout report: settings, machine, table and legend.
     *
     * @param report the report
     * @return the text, ending with a newline
     */
    public static String render(Report report) {
        StringBuilder b = new StringBuilder();
        b.append("lockbench: ").append(report.settingsLine()).append('\n');
        var env = report.environment();
        b.append("JDK ").append(env.getOrDefault("javaVersion", "?")).append(" (").append(env.getOrDefault("vm", "?"))
                .append("), ").append(env.getOrDefault("cpus", "?")).append(" CPUs, ").append(env.getOrDefault("os", "?"))
                .append('\n').append('\n');
        b.append(table(report)).append('\n');
        String groupWord = report.options().mode() == Mode.MUTEX ? "thread count" : "writers/readers pair";
        b.append("Mops/s: critical sections per second, all threads, in millions (mean of the runs).\n");
        b.append("ratio: Mops/s divided by ").append(report.baseline()).append("'s at the same ").append(groupWord)
                .append(report.rows().stream().anyMatch(report::isBaseline) ? "" : " (n/a: add it to --locks)")
                .append(".\n");
        b.append("avg/median/stddev kHz: each thread's critical sections per second, in thousands, over all\n"
                + "  threads and runs; a stddev close to the average means some threads starved.\n");
        if (report.options().mode() == Mode.RWLOCK) {
            b.append("writes/reads kHz: all writers' (readers') critical sections per second, in thousands;"
                    + " W = writers, R = readers.\n");
        }
        b.append("max wait: the longest single lock acquisition of any thread.\n");
        b.append("bytes: one fresh lock's deep size, measured by JOL (n/a if JOL could not run).\n");
        return b.toString();
    }
}
