package org.parkinglot.benchmarks.lockbench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Renders a {@link Report} as the plain text {@code lockbench} prints on stdout: a heading, the table
 * (one line per lock and thread configuration, a blank line between configurations), the summary (this
 * project's locks against the JDK's, per configuration: faster, slower or within noise), and a legend.
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
        if (mode.threadsOnly()) {
            cols.add(new Column("threads", false, r -> Integer.toString(r.config().writers())));
        } else {
            cols.add(new Column("writers", false, r -> Integer.toString(r.config().writers())));
            cols.add(new Column("readers", false, r -> Integer.toString(r.config().readers())));
        }
        cols.add(new Column("Mops/s", false, r -> Fmt.mops(r.opsPerSecond())));
        cols.add(new Column("95% CI", true, r -> r.throughput().hasSpread() ? Fmt.spread(r.throughput()) : Fmt.NONE));
        cols.add(new Column("ratio", false, r -> Fmt.ratio(r.ratio())));
        if (mode.threadsOnly()) {
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
        List<List<String>> cells = new ArrayList<>();
        List<Boolean> breaks = new ArrayList<>();
        ThreadConfig previous = null;
        for (Row r : report.rows()) {
            breaks.add(previous != null && !previous.equals(r.config()));
            previous = r.config();
            cells.add(cols.stream().map(c -> c.cell().apply(r)).toList());
        }
        return grid(cols.stream().map(Column::header).toList(), cols.stream().map(Column::left).toList(), cells,
                breaks);
    }

    /**
     * Renders the summary: for each of this project's locks in the report, its reference and, per
     * configuration, the ratio and whether the difference is larger than the noise.
     *
     * @param report the report
     * @return the summary's grid and a closing count, each line ending with a newline; or one line saying
     *         why there is nothing to compare
     */
    public static String summary(Report report) {
        Mode mode = report.options().mode();
        if (report.comparisons().isEmpty()) {
            return "Nothing to compare: the summary needs one of this project's locks and " + report.baseline()
                    + " in --locks.\n";
        }
        List<ThreadConfig> configs = report.options().configs();
        List<String> headers = new ArrayList<>(List.of("lock", "against"));
        List<Boolean> left = new ArrayList<>(List.of(true, true));
        for (ThreadConfig c : configs) {
            headers.add(mode.threadsOnly() ? c.writers() + (c.writers() == 1 ? " thread" : " threads") : c.label(mode));
            left.add(true);
        }
        Map<String, List<String>> lines = new LinkedHashMap<>();
        int[] counts = new int[Interval.Verdict.values().length];
        for (Comparison c : report.comparisons()) {
            List<String> line = lines.computeIfAbsent(c.lock() + "\u0000" + c.against(), k -> {
                List<String> l = new ArrayList<>(List.of(c.lock(), c.against()));
                configs.forEach(x -> l.add(Fmt.NONE));
                return l;
            });
            line.set(2 + configs.indexOf(c.config()), String.format(Locale.ROOT, "%.2fx %s", c.ratio().mean(),
                    c.verdict().word()));
            counts[c.verdict().ordinal()]++;
        }
        List<List<String>> cells = List.copyOf(lines.values());
        StringBuilder b = new StringBuilder();
        b.append(grid(headers, left, cells, cells.stream().map(x -> false).toList()));
        int faster = counts[Interval.Verdict.FASTER.ordinal()];
        int slower = counts[Interval.Verdict.SLOWER.ordinal()];
        int noise = counts[Interval.Verdict.WITHIN_NOISE.ordinal()];
        int unknown = counts[Interval.Verdict.NO_SPREAD.ordinal()];
        b.append(String.format(Locale.ROOT, "%d faster, %d slower, %d within noise", faster, slower, noise));
        if (unknown > 0) {
            b.append(", ").append(unknown).append(" unknown (?: one run has no spread; use --iterations 2 or more)");
        }
        b.append(".\n");
        return b.toString();
    }

    /** Lays out a grid: header, dashes, lines (a blank line before each line marked in {@code breaks}). */
    private static String grid(List<String> headers, List<Boolean> left, List<List<String>> lines, List<Boolean> breaks) {
        int[] width = new int[headers.size()];
        for (int c = 0; c < headers.size(); c++) {
            width[c] = headers.get(c).length();
            for (List<String> l : lines) {
                width[c] = Math.max(width[c], l.get(c).length());
            }
        }
        StringBuilder b = new StringBuilder();
        line(b, left, width, headers);
        line(b, left, width, IntStream.range(0, headers.size()).mapToObj(c -> "-".repeat(width[c])).toList());
        for (int i = 0; i < lines.size(); i++) {
            if (breaks.get(i)) {
                b.append('\n');
            }
            line(b, left, width, lines.get(i));
        }
        return b.toString();
    }

    private static void line(StringBuilder b, List<Boolean> left, int[] width, List<String> cells) {
        StringBuilder l = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                l.append(GAP);
            }
            String text = cells.get(c);
            String pad = " ".repeat(width[c] - text.length());
            l.append(left.get(c) ? text + pad : pad + text);
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
        String groupWord = report.options().mode().threadsOnly() ? "thread count" : "writers/readers pair";
        b.append("Summary: this project's locks against ").append(report.baseline()).append(" (fair ones against ")
                .append(Report.fairBaseline(report.options().mode())).append(" when it ran):\n"
                        + "  faster/slower: the 95% intervals of the two throughputs do not overlap;"
                        + " ~: they overlap (within noise).\n");
        b.append(summary(report)).append('\n');
        b.append("Mops/s: critical sections per second, all threads, in millions (mean of the runs).\n");
        b.append("95% CI: half-width of the mean's 95% confidence interval (Student's t over the runs, each run in\n"
                + "  a fresh JVM unless --in-process), in % of the mean; - with a single run.\n");
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
        if (report.options().mode() == Mode.KEYED) {
            b.append("keyed mode: each critical section locks a random key of ").append(Competitors.KEY_SPACE)
                    .append(" keys.\n");
            b.append("bytes: the whole structure's deep size (keys it keeps included) after every key was locked\n"
                    + "  and unlocked once, measured by JOL (n/a if JOL could not run).\n");
        } else {
            b.append("bytes: one fresh lock's deep size, measured by JOL (n/a if JOL could not run).\n");
        }
        return b.toString();
    }
}
