package org.parkinglot.benchmarks.lockbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Tiny complete runs through the Java entry point, as ./lockbench makes them. */
class LockBenchEndToEndTest {

    @TempDir
    Path dir;

    private record Outcome(int status, String out, String err) {
    }

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = LockBench.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> results(Path out) throws Exception {
        Map<String, Object> root = (Map<String, Object>) MiniJson.parse(Files.readString(out.resolve("results.json")));
        return (List<Map<String, Object>>) root.get("results");
    }

    /**
     * Two locks at 1 and 2 threads, 0.2 s, one iteration, each lock in its own JVM: exit 0, a four-row table,
     * results.json with every run's per-thread counts, and a non-empty chart.
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void twoLocksForked() throws Exception {
        Path out = dir.resolve("forked");
        Outcome o = run("--locks", "RawMutex,ReentrantLock", "--threads", "1:2", "--seconds", "0.2",
                "--iterations", "1", "--warmup", "0", "--out", out.toString());
        assertEquals(LockBench.OK, o.status(), o.err());
        for (String lock : List.of("RawMutex ", "ReentrantLock ")) {
            assertEquals(2, o.out().lines().filter(l -> l.startsWith(lock)).count(), o.out());
        }
        assertTrue(o.out().contains("Wrote " + out.resolve("results.json")), o.out());
        List<Map<String, Object>> results = results(out);
        assertEquals(4, results.size());
        for (Map<String, Object> r : results) {
            int threads = ((Double) r.get("threads")).intValue();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> runs = (List<Map<String, Object>>) r.get("runs");
            assertEquals(1, runs.size());
            List<?> counts = (List<?>) runs.get(0).get("writerIterations");
            assertEquals(threads, counts.size());
            assertTrue(counts.stream().allMatch(c -> (Double) c >= 0));
            assertTrue((Double) runs.get(0).get("elapsedNanos") > 0);
            if (r.get("lock").equals("ReentrantLock") && (Double) r.get("opsPerSecond") > 0) {
                assertEquals(1.0, (Double) r.get("ratioToBaseline"), 1e-12);
            }
        }
        assertTrue(Files.size(out.resolve("throughput.png")) > 0);
    }

    /** rwlock mode in one JVM: every rwlock competitor runs with a writer and a reader, readers' counts recorded. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void rwlockInProcess() throws Exception {
        Path out = dir.resolve("rw");
        Outcome o = run("--mode", "rwlock", "--writers", "1", "--readers", "1", "--seconds", "0.1",
                "--iterations", "1", "--warmup", "0.05", "--in-process", "--no-progress", "--out", out.toString());
        assertEquals(LockBench.OK, o.status(), o.err());
        assertEquals("", o.err());
        List<Map<String, Object>> results = results(out);
        assertEquals(Competitors.all(Mode.RWLOCK).size(), results.size());
        for (Map<String, Object> r : results) {
            @SuppressWarnings("unchecked")
            Map<String, Object> run = ((List<Map<String, Object>>) r.get("runs")).get(0);
            assertEquals(1, ((List<?>) run.get("writerIterations")).size());
            assertEquals(1, ((List<?>) run.get("readerIterations")).size());
            assertEquals(2, ((List<?>) run.get("maxWaitNanos")).size());
        }
        assertTrue(Files.size(out.resolve("throughput.png")) > 0);
    }

    /**
     * --fairness prints, after the table, one fairness row per lock: threads, longest wait, waits of 1 ms and
     * 2 ms or more, min/max and the per-thread counts of the run (here with the BargingMutex straw man, by name).
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void fairnessTable() throws Exception {
        Outcome o = run("--fairness", "--locks", "RawMutex,BargingMutex", "--threads", "2", "--seconds", "0.1",
                "--iterations", "1", "--warmup", "0", "--in-process", "--no-progress", "--out", dir.toString());
        assertEquals(LockBench.OK, o.status(), o.err());
        assertTrue(o.out().contains("longest wait  waits >=1ms  waits >=2ms  min/max  acquisitions per thread"), o.out());
        for (String lock : List.of("RawMutex", "BargingMutex")) {
            Pattern row = Pattern.compile("(?m)^" + lock + " +2 +\\d+\\.\\d{3} ms +\\d+ +\\d+ +[01]\\.\\d{3}  \\[\\d+, \\d+\\]$");
            assertTrue(row.matcher(o.out()).find(), "no fairness row for " + lock + " in\n" + o.out());
        }
    }
}
