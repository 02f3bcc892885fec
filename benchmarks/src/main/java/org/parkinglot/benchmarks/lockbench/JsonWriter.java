package org.parkinglot.benchmarks.lockbench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Report} as {@code results.json}: the settings, the machine, and per row the
 * unrounded values behind every table column plus the raw per-thread counts of every run.
 *
 * <p>Field names per result: {@code lock}, {@code writers}, {@code readers}, {@code threads},
 * {@code opsPerSecond}, {@code writeOpsPerSecond}, {@code readOpsPerSecond}, {@code ratioToBaseline}
 * (null if the baseline did not run), {@code writerPerThreadKHz} and {@code readerPerThreadKHz}
 * (objects with {@code average}, {@code median}, {@code stddev}, {@code samples}; null if no such
 * threads), {@code maxWaitNanos}, {@code bytesPerLock} (null if JOL could not measure), and
 * {@code runs} (per run: {@code elapsedNanos}, {@code writerIterations}, {@code readerIterations},
 * {@code maxWaitNanos}, arrays per thread).
 */
public final class JsonWriter {

    /** The file name inside the output directory. */
    public static final String FILE_NAME = "results.json";

    private JsonWriter() {
    }

    /**
     * Builds the JSON tree of a report.
     *
     * @param report the report
     * @return nested maps and lists, as {@link Json#write(Object)} takes
     */
    public static Map<String, Object> tree(Report report) {
        Options o = report.options();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("tool", "lockbench");
        root.put("formatVersion", 1);
        root.put("mode", o.mode().label());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("locks", o.locks().stream().map(Competitor::name).toList());
        settings.put("threadConfigs", o.configs().stream().map(c -> c.label(o.mode())).toList());
        settings.put("workInside", o.workInside());
        settings.put("workBetween", o.workBetween());
        settings.put("seconds", o.seconds());
        settings.put("iterations", o.iterations());
        settings.put("warmupSeconds", o.warmupSeconds());
        settings.put("forkPerLock", o.fork());
        root.put("settings", settings);
        root.put("environment", new LinkedHashMap<>(report.environment()));
        root.put("baseline", report.baseline());
        List<Object> results = new ArrayList<>();
        for (Row r : report.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lock", r.lock());
            m.put("writers", r.config().writers());
            m.put("readers", r.config().readers());
            m.put("threads", r.config().threads());
            m.put("opsPerSecond", r.opsPerSecond());
            m.put("writeOpsPerSecond", r.writeOpsPerSecond());
            m.put("readOpsPerSecond", r.readOpsPerSecond());
            m.put("ratioToBaseline", r.ratio().isPresent() ? r.ratio().getAsDouble() : null);
            m.put("writerPerThreadKHz", stats(r.writers()));
            m.put("readerPerThreadKHz", stats(r.readers()));
            m.put("maxWaitNanos", r.maxWaitNanos());
            m.put("bytesPerLock", r.bytesPerLock().isPresent() ? r.bytesPerLock().getAsLong() : null);
            List<Object> runs = new ArrayList<>();
            for (RunResult run : r.runs()) {
                Map<String, Object> rm = new LinkedHashMap<>();
                rm.put("elapsedNanos", run.elapsedNanos());
                rm.put("writerIterations", longs(run.writerIterations()));
                rm.put("readerIterations", longs(run.readerIterations()));
                rm.put("maxWaitNanos", longs(run.maxWaitNanos()));
                runs.add(rm);
            }
            m.put("runs", runs);
            results.add(m);
        }
        root.put("results", results);
        return root;
    }

    private static Map<String, Object> stats(Stats s) {
        if (s == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("average", s.averageKHz());
        m.put("median", s.medianKHz());
        m.put("stddev", s.stddevKHz());
        m.put("samples", s.samples());
        return m;
    }

    private static List<Long> longs(long[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    /**
     * Writes {@code results.json} into a directory, creating the directory if needed.
     *
     * @param report the report
     * @param dir    the output directory
     * @return the file written
     * @throws IOException if writing fails
     */
    public static Path write(Report report, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE_NAME);
        Files.writeString(file, Json.write(tree(report)), StandardCharsets.UTF_8);
        return file;
    }
}
