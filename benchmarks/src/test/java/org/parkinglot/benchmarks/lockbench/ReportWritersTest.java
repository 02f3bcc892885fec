package org.parkinglot.benchmarks.lockbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report writers, on made-up results with known answers: the table's numbers and layout, the JSON
 * file (parseable, and holding the table's numbers unrounded), and the chart file.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReportWritersTest {

    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    private static RunResult run(long elapsed, long[] writers, long[] readers, long... waits) {
        return new RunResult(elapsed, writers, readers, waits);
    }

    /** Two locks, one and two threads; ReentrantLock is the baseline. RawMutex has two runs. */
    static Report mutexReport() throws UsageException {
        Options o = Options.parse("--locks", "RawMutex,ReentrantLock", "--threads", "1,2");
        ThreadConfig one = ThreadConfig.mutex(1);
        ThreadConfig two = ThreadConfig.mutex(2);
        Map<String, Map<ThreadConfig, List<RunResult>>> results = new LinkedHashMap<>();
        results.put("RawMutex", Map.of(
                one, List.of(run(SECOND, new long[] {3_000_000}, new long[0], 900)),
                two, List.of(run(SECOND, new long[] {1_000_000, 3_000_000}, new long[0], 1_500, 2_000_000),
                        run(2 * SECOND, new long[] {4_000_000, 4_000_000}, new long[0], 12_345, 7))));
        results.put("ReentrantLock", Map.of(
                one, List.of(run(SECOND, new long[] {2_000_000}, new long[0], 1_000)),
                two, List.of(run(SECOND, new long[] {1_000_000, 1_000_000}, new long[0], 3_000_000_000L, 5))));
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

    /** The mutex table has the known numbers: throughput, ratio to ReentrantLock, per-thread spread, max wait, bytes. */
    @Test
    void mutexTableNumbers() throws UsageException {
        String table = TableWriter.table(mutexReport());
        List<List<String>> c = cells(table);
        assertEquals(List.of("lock", "threads", "Mops/s", "ratio", "avg kHz", "median kHz", "stddev kHz", "max wait",
                "bytes"), c.get(0));
        assertEquals(List.of("RawMutex", "1", "3.000", "1.50", "3000.0", "3000.0", "0.0", "900 ns", "16"),
                rowOf(c, "RawMutex", "1"));
        // Two runs: 4.0 Mops/s (1 s) and 4.0 Mops/s (2 s); per-thread rates 1000, 3000, 2000, 2000 kHz.
        assertEquals(List.of("RawMutex", "2", "4.000", "2.00", "2000.0", "2000.0", "707.1", "2.00 ms", "16"),
                rowOf(c, "RawMutex", "2"));
        assertEquals(List.of("ReentrantLock", "2", "2.000", "1.00", "1000.0", "1000.0", "0.0", "3.00 s", "n/a"),
                rowOf(c, "ReentrantLock", "2"));
        assertEquals(6, c.size(), "header, dashes and four rows");
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
        assertEquals("n/a", cells(TableWriter.table(r)).get(2).get(3));
        assertTrue(TableWriter.render(r).contains("n/a: add it to --locks"));
    }

    /** The rwlock table shows writers and readers, their totals and both spreads ('-' where a kind has no threads). */
    @Test
    void rwlockTableNumbers() throws UsageException {
        List<List<String>> c = cells(TableWriter.table(rwlockReport()));
        assertEquals(List.of("lock", "writers", "readers", "Mops/s", "ratio", "writes kHz", "reads kHz", "W avg kHz",
                "W median kHz", "W stddev kHz", "R avg kHz", "R median kHz", "R stddev kHz", "max wait", "bytes"), c.get(0));
        assertEquals(List.of("StampedLock", "1", "2", "0.900", "1.80", "100.0", "800.0", "100.0", "100.0", "0.0",
                "400.0", "400.0", "200.0", "30 ns", "n/a"), c.stream().filter(r -> r.get(0).equals("StampedLock")
                && r.get(2).equals("2")).findFirst().orElseThrow());
        assertEquals(List.of("StampedLock", "1", "0", "0.500", "0.50", "500.0", "0.0", "500.0", "500.0", "0.0",
                "-", "-", "-", "10 ns", "n/a"), c.stream().filter(r -> r.get(0).equals("StampedLock")
                && r.get(2).equals("0")).findFirst().orElseThrow());
    }

    /** results.json is valid JSON whose values, formatted as the table formats them, are the table's cells. */
    @Test
    void jsonMatchesTable() throws Exception {
        Report report = mutexReport();
        Path file = JsonWriter.write(report, dir.resolve("nested/out"));
        assertEquals(dir.resolve("nested/out/results.json"), file);
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) MiniJson.parse(Files.readString(file));
        assertEquals("lockbench", root.get("tool"));
        assertEquals("mutex", root.get("mode"));
        assertEquals("ReentrantLock", root.get("baseline"));
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = (Map<String, Object>) root.get("settings");
        assertEquals(List.of("RawMutex", "ReentrantLock"), settings.get("locks"));
        List<List<String>> table = cells(TableWriter.table(report));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) root.get("results");
        assertEquals(report.rows().size(), results.size());
        for (Map<String, Object> r : results) {
            String threads = Long.toString(((Double) r.get("threads")).longValue());
            List<String> row = rowOf(table, (String) r.get("lock"), threads);
            assertEquals(row.get(2), Fmt.mops((Double) r.get("opsPerSecond")));
            assertEquals(row.get(3), String.format(java.util.Locale.ROOT, "%.2f", (Double) r.get("ratioToBaseline")));
            @SuppressWarnings("unchecked")
            Map<String, Object> spread = (Map<String, Object>) r.get("writerPerThreadKHz");
            assertEquals(row.get(4), Fmt.kHz((Double) spread.get("average")));
            assertEquals(row.get(5), Fmt.kHz((Double) spread.get("median")));
            assertEquals(row.get(6), Fmt.kHz((Double) spread.get("stddev")));
            assertNull(r.get("readerPerThreadKHz"));
            assertEquals(row.get(7), Fmt.nanos(((Double) r.get("maxWaitNanos")).longValue()));
            Object bytes = r.get("bytesPerLock");
            assertEquals(row.get(8), bytes == null ? "n/a" : Long.toString(((Double) bytes).longValue()));
        }
        // Raw per-thread counts survive: RawMutex at 2 threads, second run.
        Map<String, Object> raw2 = results.stream().filter(r -> r.get("lock").equals("RawMutex")
                && r.get("threads").equals(2.0)).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> second = ((List<Map<String, Object>>) raw2.get("runs")).get(1);
        assertEquals(2e9, second.get("elapsedNanos"));
        assertEquals(List.of(4e6, 4e6), second.get("writerIterations"));
        assertEquals(List.of(), second.get("readerIterations"));
        assertEquals(List.of(12345.0, 7.0), second.get("maxWaitNanos"));
    }

    /** The JSON serializer escapes strings, writes non-finite numbers as null, and its output parses back to the same tree. */
    @Test
    void jsonRoundTrip() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("text", "quote \" backslash \\ newline \n tab \t bell \u0007 é");
        tree.put("nan", Double.NaN);
        tree.put("big", 1.5e300);
        tree.put("list", List.of(1L, 2.5, -3L));
        tree.put("nested", List.of(Map.of("k", true), List.of()));
        tree.put("empty", Map.of());
        tree.put("none", null);
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) MiniJson.parse(Json.write(tree));
        assertEquals(tree.get("text"), back.get("text"));
        assertNull(back.get("nan"));
        assertTrue(back.containsKey("nan"));
        assertEquals(1.5e300, back.get("big"));
        assertEquals(List.of(1.0, 2.5, -3.0), back.get("list"));
        assertEquals(List.of(Map.of("k", true), List.of()), back.get("nested"));
        assertEquals(Map.of(), back.get("empty"));
        assertNull(back.get("none"));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of("x", new Object())));
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
        assertTrue(text.startsWith("lockbench: mutex, work 1 inside / 0 between, 1.0 s x 2 runs"), text);
        assertTrue(text.contains(TableWriter.table(report)));
        for (String word : List.of("Mops/s:", "ratio:", "avg/median/stddev kHz:", "max wait:", "bytes:")) {
            assertTrue(text.contains(word), word);
        }
    }
}
