package org.parkinglot.benchmarks.lockbench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Everything the report writers print: the settings, the machine, and one {@link Row} per lock and
 * thread configuration, ordered by configuration, then by the order of {@code --locks}.
 *
 * @param options     the settings of the run
 * @param baseline    the name of the lock the ratio column divides by
 * @param rows        the rows, grouped by configuration
 * @param comparisons the summary: each of this project's locks against its JDK reference, per
 *                    configuration, in row order
 * @param environment facts about the JVM and machine, in print order
 */
public record Report(Options options, String baseline, List<Row> rows, List<Comparison> comparisons,
                     Map<String, String> environment) {

    /**
     * Checks and freezes the components.
     *
     * @throws NullPointerException if a component is null
     */
    public Report {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(baseline, "baseline");
        rows = List.copyOf(rows);
        comparisons = List.copyOf(comparisons);
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    }

    /**
     * Builds the report from raw results.
     *
     * @param options    the settings
     * @param results    per lock, per configuration, the timed runs
     * @param footprints per lock name, bytes per lock if measured
     * @return the report with rows in print order and ratios filled in
     */
    public static Report build(Options options, Map<String, Map<ThreadConfig, List<RunResult>>> results,
                               Map<String, OptionalLong> footprints) {
        String baseline = Competitors.baseline(options.mode());
        String fairBaseline = fairBaseline(options.mode());
        List<Row> rows = new ArrayList<>();
        List<Comparison> comparisons = new ArrayList<>();
        for (ThreadConfig config : options.configs()) {
            Map<String, Row> group = new LinkedHashMap<>();
            for (Competitor c : options.locks()) {
                List<RunResult> runs = results.getOrDefault(c.name(), Map.of()).get(config);
                if (runs != null && !runs.isEmpty()) {
                    group.put(c.name(), Row.of(c.name(), config, runs,
                            footprints.getOrDefault(c.name(), OptionalLong.empty())));
                }
            }
            Row base = group.get(baseline);
            for (Row row : group.values()) {
                rows.add(base == null ? row : row.withRatioTo(base));
            }
            for (Competitor c : options.locks()) {
                Row row = group.get(c.name());
                if (row == null || Origin.of(c) != Origin.PROJECT) {
                    continue;
                }
                Row reference = Origin.isFair(c.name()) && group.containsKey(fairBaseline) ? group.get(fairBaseline) : base;
                if (reference != null && reference.opsPerSecond() > 0) {
                    comparisons.add(Comparison.of(row, reference));
                }
            }
        }
        return new Report(options, baseline, rows, comparisons, currentEnvironment());
    }

    /**
     * Returns the name of the fair counterpart of a mode's baseline, the reference of fair locks in the
     * summary.
     *
     * @param mode the mode
     * @return for example {@code ReentrantLock-fair}
     */
    static String fairBaseline(Mode mode) {
        return Competitors.baseline(mode) + "-fair";
    }

    /**
     * Describes this JVM and machine.
     *
     * @return java version, VM, CPUs, OS and the time, in print order
     */
    public static Map<String, String> currentEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("javaVersion", System.getProperty("java.version", "?"));
        env.put("vm", System.getProperty("java.vm.name", "?") + " " + System.getProperty("java.vm.version", ""));
        env.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        env.put("os", System.getProperty("os.name", "?") + " " + System.getProperty("os.arch", ""));
        env.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return env;
    }

    /**
     * Tells whether a row is the baseline of its group.
     *
     * @param row a row of this report
     * @return true if it is the baseline lock's
     */
    public boolean isBaseline(Row row) {
        return row.lock().equals(baseline);
    }

    /**
     * Describes the settings in one line, for the table's heading and the chart's title.
     *
     * @return for example {@code mutex, work 20 inside / 40xT between, 1.0 s x 3 runs, a fresh JVM per lock and run}
     */
    public String settingsLine() {
        return options.mode().label() + ", work " + options.workInside() + " inside / " + options.workBetweenText()
                + " between, " + Fmt.seconds(options.seconds()) + " s x " + options.iterations()
                + (options.iterations() == 1 ? " run" : " runs") + ", "
                + (options.fork() ? "a fresh JVM per lock and run" : "one JVM for all locks");
    }
}
