package org.parkinglot.benchmarks.lockbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    private static List<JsonNode> results(Path out) throws Exception {
        JsonNode root = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        List<JsonNode> rows = new ArrayList<>();
        root.get("results").forEach(rows::add);
        return rows;
    }

    /**
     * Two locks at 1 and 2 threads, 0.2 s, two rounds, each lock in a fresh JVM per round: exit 0, a
     * four-row table and the summary, results.json with both runs' per-thread counts, and a non-empty chart.
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void twoLocksForked() throws Exception {
        Path out = dir.resolve("forked");
        Outcome o = run("--locks", "RawMutex,ReentrantLock", "--threads", "1:2", "--seconds", "0.2",
                "--iterations", "2", "--warmup", "0", "--out", out.toString());
        assertEquals(LockBench.OK, o.status(), o.err());
        for (String lock : List.of("RawMutex", "ReentrantLock")) {
            assertEquals(2, o.out().lines().filter(l -> l.matches(lock + " +[0-9].*")).count(), o.out());
        }
        assertTrue(o.out().lines().anyMatch(l -> l.matches("RawMutex +ReentrantLock +[0-9.]+x \\S+ +[0-9.]+x \\S+")),
                o.out());
        assertTrue(o.out().contains("Wrote " + out.resolve("results.json")), o.out());
        List<JsonNode> results = results(out);
        assertEquals(4, results.size());
        for (JsonNode r : results) {
            int threads = r.get("threads").asInt();
            JsonNode runs = r.get("runs");
            assertEquals(2, runs.size());
            for (JsonNode run : runs) {
                JsonNode counts = run.get("writerIterations");
                assertEquals(threads, counts.size());
                counts.forEach(c -> assertTrue(c.asLong() >= 0));
                assertTrue(run.get("elapsedNanos").asLong() > 0);
            }
            assertEquals(2, r.get("opsPerSecondInterval").get("runs").asInt());
            if (r.get("lock").asText().equals("ReentrantLock") && r.get("opsPerSecond").asDouble() > 0) {
                assertEquals(1.0, r.get("ratioToBaseline").asDouble(), 1e-12);
            }
        }
        JsonNode root = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals(2, root.get("summary").size(), "RawMutex against ReentrantLock at 1 and 2 threads");
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
        List<JsonNode> results = results(out);
        assertEquals(Competitors.all(Mode.RWLOCK).size(), results.size());
        for (JsonNode r : results) {
            JsonNode run = r.get("runs").get(0);
            assertEquals(1, run.get("writerIterations").size());
            assertEquals(1, run.get("readerIterations").size());
            assertEquals(2, run.get("maxWaitNanos").size());
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
