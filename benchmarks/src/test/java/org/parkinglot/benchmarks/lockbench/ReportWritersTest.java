package org.parkinglot.benchmarks.lockbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report writers, on made-up results with known answers: the intervals, the table's numbers and
 * layout, the summary's verdicts, the JSON file (parsed with Jackson, holding the table's numbers
 * unrounded), and the chart file.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReportWritersTest {

    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    private static RunResult run(long elapsed, long[] writers, long[] readers, long... waits) {
        return new RunResult(elapsed, writers, readers, waits);
    }

    private static RunResult run(long[] writers, long... waits) {
        return run(SECOND, writers, new long[0], waits);
    }

    /**
     * Two locks, one and two threads, three runs asked for; ReentrantLock is the baseline. At one thread
     * both have three runs (3.0, 3.2, 3.1 against 2.0, 2.1, 1.9 Mops/s: RawMutex is faster beyond the
     * noise); at two threads two runs each, far apart for ReentrantLock (within noise).
     */
    static Report mutexReport() throws UsageException {
        Options o = Options.parse("--locks", "RawMutex,ReentrantLock", "--threads", "1,2", "--iterations", "3");
        ThreadConfig one = ThreadConfig.mutex(1);
        ThreadConfig two = ThreadConfig.mutex(2);
        Map<String, Map<ThreadConfig, List<RunResult>>> results = new LinkedHashMap<>();
        results.put("RawMutex", Map.of(
                one, List.of(run(new long[] {3_000_000}, 900), run(new long[] {3_200_000}, 800),
                        run(new long[] {3_100_000}, 700)),
                two, List.of(run(SECOND, new long[] {1_000_000, 3_000_000}, new long[0], 1_500, 2_000_000),
                        run(2 * SECOND, new long[] {4_000_000, 5_000_000}, new long[0], 12_345, 7))));
        results.put("ReentrantLock", Map.of(
                one, List.of(run(new long[] {2_000_000}, 1_000), run(new long[] {2_100_000}, 1_000),
                        run(new long[] {1_900_000}, 1_000)),
                two, List.of(run(new long[] {1_000_000, 1_000_000}, 3_000_000_000L, 5),
                        run(new long[] {2_000_000, 3_000_000}, 1, 1))));
        Map<String, OptionalLong> sizes = Map.of("RawMutex", OptionalLong.of(16), "ReentrantLock", OptionalLong.empty());
        return Report.build(o, results, sizes);
    }

    static Report rwlockReport() throws UsageException {
        Options o = Options.parse("--mode", "rwlock", "--locks", "StampedLock,ReentrantReadWriteLock",
                "--writers", "1", "--readers", "0,2");
        ThreadConfig w = new ThreadConfig(1, 0);
        ThreadConfig wr = new ThreadConfig(1, 2);
        Map<String, Map<ThreadConfig, List<RunResult>>> results = new LinkedHashMap<>();
        results.put("StampedLock", Map.of(
                w, List.of(run(SECOND, new long[] {500_000}, new long[0], 10)),
                wr, List.of(run(SECOND, new long[] {100_000}, new long[] {600_000, 200_000}, 10, 20, 30))));
        results.put("ReentrantReadWriteLock", Map.of(
                w, List.of(run(SECOND, new long[] {1_000_000}, new long[0], 10)),
                wr, List.of(run(SECOND, new long[] {300_000}, new long[] {100_000, 100_000}, 40, 50, 60))));
        return Report.build(o, results, Map.of());
    }

    /** Splits the table into rows of cells (columns are two or more spaces apart); blank lines dropped. */
    private static List<List<String>> cells(String table) {
        List<List<String>> rows = new ArrayList<>();
        for (String line : table.split("\n")) {
            if (!line.isBlank()) {
                rows.add(Arrays.asList(line.strip().split(" {2,}")));
            }
        }
        return rows;
    }

    private static List<String> rowOf(List<List<String>> cells, String lock, String threads) {
        return cells.stream().filter(r -> r.get(0).equals(lock) && r.get(1).equals(threads)).findFirst().orElseThrow();
    }

    /** Stats follow parking_lot: mean, median (middle pair averaged), population standard deviation, in kHz. */
    @Test
    void stats() {
        Stats s = Stats.of(new double[] {4000, 1000, 3000, 2000});
        assertEquals(2.5, s.averageKHz(), 1e-12);
        assertEquals(2.5, s.medianKHz(), 1e-12);
        assertEquals(Math.sqrt(1.25), s.stddevKHz(), 1e-12);
        assertEquals(4, s.samples());
        assertEquals(3.0, Stats.of(new double[] {9000, 3000, 1000}).medianKHz(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Stats.of(new double[0]));
    }

    /** The interval is mean +- t * s / sqrt(n) with Student's t at 95%; a single run has no spread. */
    @Test
    void intervals() {
        Interval i = Interval.of(new double[] {3.0, 3.2, 3.1});
        assertEquals(3.1, i.mean(), 1e-12);
        assertEquals(3.1 - 4.303 * 0.1 / Math.sqrt(3), i.low(), 1e-9);
        assertEquals(3.1 + 4.303 * 0.1 / Math.sqrt(3), i.high(), 1e-9);
        assertEquals(3, i.runs());
        assertTrue(i.hasSpread());
        Interval single = Interval.of(new double[] {7});
        assertEquals(7, single.low());
        assertEquals(7, single.high());
        assertFalse(single.hasSpread());
        assertEquals(12.706, Interval.t95(1));
        assertEquals(2.042, Interval.t95(30));
        assertEquals(1.98, Interval.t95(120), 0.002);
        assertThrows(IllegalArgumentException.class, () -> Interval.of(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> Interval.t95(0));
    }

    /** Intervals that do not overlap are a difference; overlapping ones are noise; the ratio's range excludes 1 exactly then. */
    @Test
    void verdicts() {
        Interval fast = new Interval(10, 9, 11, 3);
        Interval slow = new Interval(5, 4, 6, 3);
        Interval wide = new Interval(8, 3, 13, 3);
        assertEquals(Interval.Verdict.FASTER, fast.compareTo(slow));
        assertEquals(Interval.Verdict.SLOWER, slow.compareTo(fast));
        assertEquals(Interval.Verdict.WITHIN_NOISE, wide.compareTo(fast));
        assertEquals(Interval.Verdict.WITHIN_NOISE, new Interval(6, 5, 7, 2).compareTo(new Interval(8, 7, 9, 2)),
                "touching ends overlap");
        assertEquals(Interval.Verdict.NO_SPREAD, new Interval(10, 10, 10, 1).compareTo(slow));
        Interval r = fast.ratioTo(slow);
        assertEquals(2.0, r.mean(), 1e-12);
        assertEquals(9.0 / 6, r.low(), 1e-12);
        assertEquals(11.0 / 4, r.high(), 1e-12);
        assertTrue(r.low() > 1);
        Interval noise = wide.ratioTo(fast);
        assertTrue(noise.low() < 1 && noise.high() > 1);
        assertEquals(Double.POSITIVE_INFINITY, fast.ratioTo(new Interval(1, -1, 3, 3)).high());
        assertEquals("within noise", Interval.Verdict.WITHIN_NOISE.json());
    }

    /** The origin comes from the lock's class: this project's package, a peer, or a straw man; fairness from the name. */
    @Test
    void origins() {
        assertEquals(Origin.PROJECT, Origin.of(Competitors.find(Mode.MUTEX, "RawMutex").orElseThrow()));
        assertEquals(Origin.PROJECT, Origin.of(Competitors.find(Mode.MUTEX, "ReentrantMutex-fair").orElseThrow()));
        assertEquals(Origin.PEER, Origin.of(Competitors.find(Mode.MUTEX, "ReentrantLock").orElseThrow()));
        assertEquals(Origin.PEER, Origin.of(Competitors.find(Mode.MUTEX, "synchronized").orElseThrow()));
        assertEquals(Origin.PEER, Origin.of(Competitors.find(Mode.MUTEX, "Striped").orElseThrow()));
        assertEquals(Origin.STRAW_MAN, Origin.of(Competitors.find(Mode.MUTEX, "SpinLock").orElseThrow()));
        assertTrue(Origin.isFair("RawFairMutex") && Origin.isFair("ReentrantLock-fair"));
        assertFalse(Origin.isFair("RawMutex") || Origin.isFair("ReentrantLock"));
    }

    /** Durations print in the largest unit that keeps them at least 1, with three significant digits. */
    @Test
    void durations() {
        assertEquals("850 ns", Fmt.nanos(850));
        assertEquals("1.50 us", Fmt.nanos(1_500));
        assertEquals("12.3 us", Fmt.nanos(12_345));
        assertEquals("2.00 ms", Fmt.nanos(2_000_000));
        assertEquals("3.00 s", Fmt.nanos(3_000_000_000L));
        assertEquals("1m05s", Fmt.clock(64.2));
        assertEquals("0.25", Fmt.seconds(0.25));
        assertEquals("1.0", Fmt.seconds(1));
    }

    /** The mutex table has the known numbers: throughput and its spread, ratio to ReentrantLock, per-thread spread, max wait, bytes. */
    @Test
    void mutexTableNumbers() throws UsageException {
        String table = TableWriter.table(mutexReport());
        List<List<String>> c = cells(table);
        assertEquals(List.of("lock", "threads", "Mops/s", "95% CI", "ratio", "avg kHz", "median kHz", "stddev kHz",
                "max wait", "bytes"), c.get(0));
        String pm = Fmt.PLUS_MINUS;
        // 3.0, 3.2, 3.1 Mops/s: mean 3.1, s 0.1, half-width 4.303 * 0.1 / sqrt(3) = 0.248 (8.0%).
        assertEquals(List.of("RawMutex", "1", "3.100", pm + "8.0%", "1.55", "3100.0", "3100.0", "81.6", "900 ns", "16"),
                rowOf(c, "RawMutex", "1"));
        assertEquals(List.of("ReentrantLock", "1", "2.000", pm + "12%", "1.00", "2000.0", "2000.0", "81.6", "1.00 us",
                "n/a"), rowOf(c, "ReentrantLock", "1"));
        // Two runs: 4.0 Mops/s (1 s) and 4.5 Mops/s (2 s); per-thread rates 1000, 3000, 2000, 2500 kHz.
        assertEquals(List.of("RawMutex", "2", "4.250", pm + "75%", "1.21", "2125.0", "2250.0", "739.5", "2.00 ms", "16"),
                rowOf(c, "RawMutex", "2"));
        assertEquals(List.of("ReentrantLock", "2", "3.500", pm + "545%", "1.00", "1750.0", "1500.0", "829.2", "3.00 s",
                "n/a"), rowOf(c, "ReentrantLock", "2"));
        assertEquals(6, c.size(), "header, dashes and four rows");
    }

    /** A single run has no interval: the spread column shows '-' and the summary says the verdict is unknown. */
    @Test
    void singleRun() throws UsageException {
        Options o = Options.parse("--locks", "RawMutex,ReentrantLock", "--threads", "1", "--iterations", "1");
        ThreadConfig one = ThreadConfig.mutex(1);
        Report r = Report.build(o, Map.of("RawMutex", Map.of(one, List.of(run(new long[] {5}, 1))),
                "ReentrantLock", Map.of(one, List.of(run(new long[] {4}, 1)))), Map.of());
        assertEquals("-", cells(TableWriter.table(r)).get(2).get(3));
        assertEquals(List.of(Interval.Verdict.NO_SPREAD), r.comparisons().stream().map(Comparison::verdict).toList());
        assertTrue(TableWriter.summary(r).contains("1.25x ?"), TableWriter.summary(r));
        assertTrue(TableWriter.summary(r).contains("1 unknown"), TableWriter.summary(r));
    }

    /**
     * The summary compares each of this project's locks with ReentrantLock per thread count: faster where
     * the intervals do not overlap, ~ where they do; peers are not compared.
     */
    @Test
    void summaryVerdicts() throws UsageException {
        Report report = mutexReport();
        assertEquals(2, report.comparisons().size());
        Comparison one = report.comparisons().get(0);
        assertEquals("RawMutex", one.lock());
        assertEquals("ReentrantLock", one.against());
        assertEquals(Interval.Verdict.FASTER, one.verdict());
        assertEquals(1.55, one.ratio().mean(), 1e-12);
        assertTrue(one.ratio().low() > 1, one.ratio().toString());
        assertEquals(Interval.Verdict.WITHIN_NOISE, report.comparisons().get(1).verdict());
        List<List<String>> c = cells(TableWriter.summary(report));
        assertEquals(List.of("lock", "against", "1 thread", "2 threads"), c.get(0));
        assertEquals(List.of("RawMutex", "ReentrantLock", "1.55x faster", "1.21x ~"), c.get(2));
        assertEquals(List.of("1 faster, 0 slower, 1 within noise."), c.get(3));
    }

    /** A fair lock of this project is compared with the fair ReentrantLock when that ran, with ReentrantLock otherwise. */
    @Test
    void fairLocksAgainstFairBaseline() throws UsageException {
        ThreadConfig one = ThreadConfig.mutex(1);
        Map<ThreadConfig, List<RunResult>> runs = Map.of(one, List.of(run(new long[] {5}, 1), run(new long[] {6}, 1)));
        Options all = Options.parse("--locks", "RawFairMutex,ReentrantLock,ReentrantLock-fair", "--threads", "1");
        Report r = Report.build(all, Map.of("RawFairMutex", runs, "ReentrantLock", runs, "ReentrantLock-fair", runs),
                Map.of());
        assertEquals(List.of("ReentrantLock-fair"), r.comparisons().stream().map(Comparison::against).toList());
        Options unfairOnly = Options.parse("--locks", "RawFairMutex,ReentrantLock", "--threads", "1");
        r = Report.build(unfairOnly, Map.of("RawFairMutex", runs, "ReentrantLock", runs), Map.of());
        assertEquals(List.of("ReentrantLock"), r.comparisons().stream().map(Comparison::against).toList());
        Options noBaseline = Options.parse("--locks", "RawFairMutex", "--threads", "1");
        r = Report.build(noBaseline, Map.of("RawFairMutex", runs), Map.of());
        assertTrue(r.comparisons().isEmpty());
        assertTrue(TableWriter.summary(r).startsWith("Nothing to compare"), TableWriter.summary(r));
    }

    /** The table is grouped by thread count (a blank line between groups), in --locks order, and its columns line up. */
    @Test
    void mutexTableLayout() throws UsageException {
        String[] lines = TableWriter.table(mutexReport()).split("\n", -1);
        assertEquals("", lines[4], "blank line between the 1-thread and 2-thread groups");
        assertTrue(lines[2].startsWith("RawMutex ") && lines[3].startsWith("ReentrantLock "));
        assertTrue(lines[5].startsWith("RawMutex ") && lines[6].startsWith("ReentrantLock "));
        int width = lines[0].length();
        for (int i : new int[] {1, 2, 3, 5, 6}) {
            assertEquals(width, lines[i].length(), "line " + i + " has the header's width: " + lines[i]);
        }
        assertTrue(lines[1].matches("[- ]+"));
    }

    /** Without the baseline in --locks every ratio is n/a and the legend says how to get one. */
    @Test
    void ratioWithoutBaseline() throws UsageException {
        Options o = Options.parse("--locks", "RawMutex", "--threads", "1");
        Report r = Report.build(o, Map.of("RawMutex", Map.of(ThreadConfig.mutex(1),
                List.of(run(SECOND, new long[] {5}, new long[0], 1)))), Map.of());
        assertEquals("n/a", cells(TableWriter.table(r)).get(2).get(4));
        assertTrue(TableWriter.render(r).contains("n/a: add it to --locks"));
    }

    /** The rwlock table shows writers and readers, their totals and both spreads ('-' where a kind has no threads). */
    @Test
    void rwlockTableNumbers() throws UsageException {
        List<List<String>> c = cells(TableWriter.table(rwlockReport()));
        assertEquals(List.of("lock", "writers", "readers", "Mops/s", "95% CI", "ratio", "writes kHz", "reads kHz", "W avg kHz",
                "W median kHz", "W stddev kHz", "R avg kHz", "R median kHz", "R stddev kHz", "max wait", "bytes"), c.get(0));
        assertEquals(List.of("StampedLock", "1", "2", "0.900", "-", "1.80", "100.0", "800.0", "100.0", "100.0", "0.0",
                "400.0", "400.0", "200.0", "30 ns", "n/a"), c.stream().filter(r -> r.get(0).equals("StampedLock")
                && r.get(2).equals("2")).findFirst().orElseThrow());
        assertEquals(List.of("StampedLock", "1", "0", "0.500", "-", "0.50", "500.0", "0.0", "500.0", "500.0", "0.0",
                "-", "-", "-", "10 ns", "n/a"), c.stream().filter(r -> r.get(0).equals("StampedLock")
                && r.get(2).equals("0")).findFirst().orElseThrow());
    }

    /** results.json, read back with Jackson, holds values that, formatted as the table formats them, are the table's cells. */
    @Test
    void jsonMatchesTable() throws Exception {
        Report report = mutexReport();
        Path file = ResultsFile.write(report, dir.resolve("nested/out"));
        assertEquals(dir.resolve("nested/out/results.json"), file);
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        assertEquals("lockbench", root.get("tool").asText());
        assertEquals(ResultsFile.FORMAT_VERSION, root.get("formatVersion").asInt());
        assertEquals("mutex", root.get("mode").asText());
        assertEquals("ReentrantLock", root.get("baseline").asText());
        assertEquals("ReentrantLock-fair", root.get("fairBaseline").asText());
        JsonNode settings = root.get("settings");
        assertEquals(List.of("RawMutex", "ReentrantLock"), texts(settings.get("locks")));
        assertEquals(20, settings.get("workInside").asInt());
        assertEquals(40, settings.get("workBetween").asInt());
        assertTrue(settings.get("workBetweenPerThread").asBoolean());
        assertEquals(0.95, settings.get("confidence").asDouble());
        List<List<String>> table = cells(TableWriter.table(report));
        JsonNode results = root.get("results");
        assertEquals(report.rows().size(), results.size());
        for (JsonNode r : results) {
            List<String> row = rowOf(table, r.get("lock").asText(), r.get("threads").asText());
            assertEquals(r.get("lock").asText().equals("RawMutex") ? "project" : "peer", r.get("origin").asText());
            assertFalse(r.get("fair").asBoolean());
            assertEquals(40 * r.get("threads").asInt(), r.get("workBetweenUnits").asInt());
            assertEquals(row.get(2), Fmt.mops(r.get("opsPerSecond").asDouble()));
            JsonNode ci = r.get("opsPerSecondInterval");
            assertEquals(row.get(3), Fmt.spread(new Interval(r.get("opsPerSecond").asDouble(), ci.get("low").asDouble(),
                    ci.get("high").asDouble(), ci.get("runs").asInt())));
            assertEquals(row.get(4), String.format(java.util.Locale.ROOT, "%.2f", r.get("ratioToBaseline").asDouble()));
            assertTrue(r.get("ratioInterval").get("low").asDouble() <= r.get("ratioToBaseline").asDouble());
            JsonNode spread = r.get("writerPerThreadKHz");
            assertEquals(row.get(5), Fmt.kHz(spread.get("average").asDouble()));
            assertEquals(row.get(6), Fmt.kHz(spread.get("median").asDouble()));
            assertEquals(row.get(7), Fmt.kHz(spread.get("stddev").asDouble()));
            assertTrue(r.get("readerPerThreadKHz").isNull());
            assertEquals(row.get(8), Fmt.nanos(r.get("maxWaitNanos").asLong()));
            JsonNode bytes = r.get("bytesPerLock");
            assertEquals(row.get(9), bytes.isNull() ? "n/a" : bytes.asText());
        }
        // Raw per-thread counts survive: RawMutex at 2 threads, second run.
        JsonNode raw2 = StreamSupport.stream(results.spliterator(), false).filter(r -> r.get("lock").asText()
                .equals("RawMutex") && r.get("threads").asInt() == 2).findFirst().orElseThrow();
        JsonNode second = raw2.get("runs").get(1);
        assertEquals(2_000_000_000L, second.get("elapsedNanos").asLong());
        assertEquals(4.5e6, second.get("opsPerSecond").asDouble(), 1e-6);
        assertEquals(List.of(4_000_000L, 5_000_000L), longs(second.get("writerIterations")));
        assertEquals(List.of(), longs(second.get("readerIterations")));
        assertEquals(List.of(12_345L, 7L), longs(second.get("maxWaitNanos")));
        // The summary, one object per comparison.
        JsonNode summary = root.get("summary");
        assertEquals(2, summary.size());
        assertEquals("RawMutex", summary.get(0).get("lock").asText());
        assertEquals("ReentrantLock", summary.get(0).get("against").asText());
        assertEquals(1, summary.get(0).get("threads").asInt());
        assertEquals(1.55, summary.get(0).get("ratio").asDouble(), 1e-12);
        assertEquals("faster", summary.get(0).get("verdict").asText());
        assertEquals("within noise", summary.get(1).get("verdict").asText());
    }

    /** An unbounded ratio interval (the baseline's interval reaching zero) is written as null, never as NaN or Infinity. */
    @Test
    void jsonWritesNonFiniteAsNull() throws Exception {
        Options o = Options.parse("--locks", "RawMutex,ReentrantLock", "--threads", "1");
        ThreadConfig one = ThreadConfig.mutex(1);
        Report r = Report.build(o, Map.of("RawMutex", Map.of(one, List.of(run(new long[] {5}, 1), run(new long[] {6}, 1))),
                "ReentrantLock", Map.of(one, List.of(run(new long[] {1}, 1), run(new long[] {9}, 1)))), Map.of());
        String text = Files.readString(ResultsFile.write(r, dir));
        assertFalse(text.contains("NaN") || text.contains("Infinity"), text);
        JsonNode row = new ObjectMapper().readTree(text).get("results").get(0);
        assertTrue(row.get("ratioInterval").get("high").isNull(), row.toString());
        assertTrue(row.get("ratioInterval").get("low").isNumber(), row.toString());
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static List<Long> longs(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asLong).toList();
    }

    /** The chart is written as a non-empty PNG of the documented size, in both modes. */
    @Test
    void chartFiles() throws UsageException, IOException {
        for (Report report : List.of(mutexReport(), rwlockReport())) {
            Path out = dir.resolve(report.options().mode().label());
            Path file = ChartWriter.write(report, out);
            assertEquals(out.resolve("throughput.png"), file);
            byte[] bytes = Files.readAllBytes(file);
            assertTrue(bytes.length > 1000, "PNG has " + bytes.length + " bytes");
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(bytes, 4));
            BufferedImage image = ImageIO.read(file.toFile());
            assertNotNull(image);
            assertEquals(ChartWriter.WIDTH, image.getWidth());
            assertEquals(ChartWriter.HEIGHT, image.getHeight());
        }
    }

    /** The stdout report names the settings and the machine, then the table, then a legend of every column. */
    @Test
    void renderedReport() throws UsageException {
        Report report = mutexReport();
        String text = TableWriter.render(report);
        assertTrue(text.startsWith("lockbench: mutex, work 20 inside / 40xT between, 1.0 s x 3 runs"), text);
        assertTrue(text.contains(TableWriter.table(report)));
        assertTrue(text.contains(TableWriter.summary(report)));
        assertTrue(text.indexOf("Summary:") > text.indexOf(TableWriter.table(report)));
        for (String word : List.of("Mops/s:", "95% CI:", "ratio:", "avg/median/stddev kHz:", "max wait:", "bytes:")) {
            assertTrue(text.contains(word), word);
        }
    }
}
