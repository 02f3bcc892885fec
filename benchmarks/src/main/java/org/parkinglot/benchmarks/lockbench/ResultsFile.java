package org.parkinglot.benchmarks.lockbench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a {@link Report} as {@code results.json} with Jackson: the settings, the machine, per row the
 * unrounded values behind every table column plus the raw per-thread counts of every run, and the
 * summary's comparisons. The field names are documented in {@code benchmarks/LOCKBENCH.md} ("Output
 * files"); a value that is not a finite number (an unbounded ratio interval) is written as {@code null}.
 */
public final class ResultsFile {

    /** The file name inside the output directory. */
    public static final String FILE_NAME = "results.json";
    /** The version of the layout; 2 added intervals, origins, rounds and the summary. */
    public static final int FORMAT_VERSION = 2;

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsFile() {
    }

    /**
     * Builds the JSON tree of a report.
     *
     * @param report the report
     * @return the root object
     */
    public static ObjectNode tree(Report report) {
        Options o = report.options();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("tool", "lockbench");
        root.put("formatVersion", FORMAT_VERSION);
        root.put("mode", o.mode().label());
        ObjectNode settings = root.putObject("settings");
        ArrayNode locks = settings.putArray("locks");
        o.locks().forEach(c -> locks.add(c.name()));
        ArrayNode configs = settings.putArray("threadConfigs");
        o.configs().forEach(c -> configs.add(c.label(o.mode())));
        settings.put("workInside", o.workInside());
        settings.put("workBetween", o.workBetween());
        settings.put("workBetweenPerThread", o.betweenPerThread());
        settings.put("seconds", o.seconds());
        settings.put("iterations", o.iterations());
        settings.put("warmupSeconds", o.warmupSeconds());
        settings.put("freshJvmPerRun", o.fork());
        settings.put("confidence", Interval.CONFIDENCE);
        ObjectNode env = root.putObject("environment");
        report.environment().forEach(env::put);
        root.put("baseline", report.baseline());
        root.put("fairBaseline", Report.fairBaseline(o.mode()));

        ArrayNode results = root.putArray("results");
        for (Row r : report.rows()) {
            ObjectNode m = results.addObject();
            m.put("lock", r.lock());
            Competitor c = Competitors.find(o.mode(), r.lock()).orElse(null);
            m.put("origin", c == null ? null : word(Origin.of(c)));
            m.put("fair", Origin.isFair(r.lock()));
            configFields(m, r.config());
            m.put("workBetweenUnits", o.workBetweenFor(r.config()));
            number(m, "opsPerSecond", r.opsPerSecond());
            interval(m, "opsPerSecondInterval", r.throughput());
            number(m, "writeOpsPerSecond", r.writeOpsPerSecond());
            number(m, "readOpsPerSecond", r.readOpsPerSecond());
            if (r.ratio() == null) {
                m.putNull("ratioToBaseline");
                m.putNull("ratioInterval");
            } else {
                number(m, "ratioToBaseline", r.ratio().mean());
                interval(m, "ratioInterval", r.ratio());
            }
            stats(m, "writerPerThreadKHz", r.writers());
            stats(m, "readerPerThreadKHz", r.readers());
            m.put("maxWaitNanos", r.maxWaitNanos());
            if (r.bytesPerLock().isPresent()) {
                m.put("bytesPerLock", r.bytesPerLock().getAsLong());
            } else {
                m.putNull("bytesPerLock");
            }
            ArrayNode runs = m.putArray("runs");
            for (RunResult run : r.runs()) {
                ObjectNode rm = runs.addObject();
                rm.put("elapsedNanos", run.elapsedNanos());
                number(rm, "opsPerSecond", run.opsPerSecond());
                longs(rm.putArray("writerIterations"), run.writerIterations());
                longs(rm.putArray("readerIterations"), run.readerIterations());
                longs(rm.putArray("maxWaitNanos"), run.maxWaitNanos());
            }
        }

        ArrayNode summary = root.putArray("summary");
        for (Comparison c : report.comparisons()) {
            ObjectNode m = summary.addObject();
            m.put("lock", c.lock());
            m.put("against", c.against());
            configFields(m, c.config());
            number(m, "ratio", c.ratio().mean());
            interval(m, "ratioInterval", c.ratio());
            m.put("verdict", c.verdict().json());
        }
        return root;
    }

    private static String word(Origin origin) {
        return origin.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static void configFields(ObjectNode m, ThreadConfig config) {
        m.put("writers", config.writers());
        m.put("readers", config.readers());
        m.put("threads", config.threads());
    }

    private static void number(ObjectNode m, String key, double value) {
        if (Double.isFinite(value)) {
            m.put(key, value);
        } else {
            m.putNull(key);
        }
    }

    private static void interval(ObjectNode m, String key, Interval interval) {
        ObjectNode i = m.putObject(key);
        number(i, "low", interval.low());
        number(i, "high", interval.high());
        i.put("runs", interval.runs());
    }

    private static void stats(ObjectNode m, String key, Stats s) {
        if (s == null) {
            m.putNull(key);
            return;
        }
        ObjectNode o = m.putObject(key);
        number(o, "average", s.averageKHz());
        number(o, "median", s.medianKHz());
        number(o, "stddev", s.stddevKHz());
        o.put("samples", s.samples());
    }

    private static void longs(ArrayNode array, long[] values) {
        for (long v : values) {
            array.add(v);
        }
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
        Files.writeString(file, MAPPER.writeValueAsString(tree(report)) + "\n", StandardCharsets.UTF_8);
        return file;
    }
}
