package org.parkinglot.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AlternatingIterations} and its two benchmarks: the A-B-B-A schedule, that each iteration
 * really works on its own competitor's lock, the command line, the cycle statistics, and a tiny
 * in-process run. Speed is not asserted.
 */
class AlternatingIterationsTest {

    @Test
    void scheduleIsABBARepeated() {
        boolean[] expected = {true, false, false, true, true, false, false, true, true, false};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], AlternatingIterations.isA(i), "iteration " + i);
        }
    }

    /** Each iteration's increments land in the counter of that iteration's competitor, and only there. */
    @Test
    void mutexAlternationWorksOnAThenBThenBThenA() {
        MutexAlternation state = new MutexAlternation();
        state.a = LockType.RAW_MUTEX;
        state.b = LockType.REENTRANT_LOCK;
        state.setUp();
        assertTrue(state.counterA instanceof LockedCounter.RawMutexCounter);
        assertTrue(state.counterB instanceof LockedCounter.ReentrantLockCounter);
        int[] opsPerIteration = {1, 10, 100, 1000};
        for (int ops : opsPerIteration) {
            state.nextIteration();
            for (int k = 0; k < ops; k++) {
                state.contended();
            }
        }
        assertEquals(1 + 1000, state.counterA.count);
        assertEquals(10 + 100, state.counterB.count);
        state.nextIteration();
        assertSame(state.counterA, state.active, "the fifth iteration starts the next cycle with A");
    }

    @Test
    void rwLockAlternationWorksOnAThenBThenBThenA() {
        RwLockAlternation state = new RwLockAlternation();
        state.a = LockType.RAW_RW_LOCK;
        state.b = LockType.STAMPED_LOCK;
        state.setUp();
        RwLockBenchmark.Ops writesOnly = new RwLockBenchmark.Ops();
        writesOnly.readPercent = 0;
        writesOnly.init(12345);
        int[] writesPerIteration = {3, 5, 7, 11};
        for (int writes : writesPerIteration) {
            state.nextIteration();
            for (int k = 0; k < writes; k++) {
                assertEquals(0L, state.mix(writesOnly));
            }
        }
        assertEquals(3 + 11, state.pairA.first);
        assertEquals(5 + 7, state.pairB.first);
    }

    @Test
    void parsesEveryOptionAndHasDefaults() {
        AlternatingIterations.Settings s = AlternatingIterations.parse(new String[] {
            "RwLockAlternation.mix", "RAW_RW_LOCK", "REENTRANT_RW_LOCK", "--threads", "4,8", "--forks", "5",
            "--cycles", "12", "--warmup-cycles", "3", "--millis", "250", "--param", "readPercent=95,50",
            "--jvm-arg", "-Dx=1", "--jvm-arg", "-Xmx1g", "--json", "out.json"});
        assertEquals("RwLockAlternation.mix", s.benchmark());
        assertEquals("RAW_RW_LOCK", s.a());
        assertEquals("REENTRANT_RW_LOCK", s.b());
        assertArrayEquals(new int[] {4, 8}, s.threads());
        assertEquals(5, s.forks());
        assertEquals(12, s.cycles());
        assertEquals(3, s.warmupCycles());
        assertEquals(250, s.millis());
        assertEquals(Map.of("readPercent", List.of("95", "50")), s.params());
        assertEquals(List.of("-Dx=1", "-Xmx1g"), s.jvmArgs());
        assertEquals(Path.of("out.json"), s.json());

        AlternatingIterations.Settings d = AlternatingIterations.parse(
                new String[] {"MutexAlternation.contended", "RAW_MUTEX", "REENTRANT_LOCK"});
        assertArrayEquals(new int[] {2, 4, 8}, d.threads());
        assertEquals(3, d.forks());
        assertEquals(10, d.cycles());
        assertEquals(4, d.warmupCycles());
        assertEquals(200, d.millis());
        assertEquals(List.of(), d.jvmArgs());
        assertFalse(d.balanced());
        assertNull(d.json());

        AlternatingIterations.Settings balanced = AlternatingIterations.parse(
                new String[] {"MutexAlternation.contended", "RAW_MUTEX", "REENTRANT_LOCK", "--order", "balanced"});
        assertTrue(balanced.balanced());
        assertEquals(4, balanced.forks(), "balanced runs default to 4 forks, 2 per order");
        assertFalse(AlternatingIterations.parse(new String[] {"M.c", "A", "B", "--order", "ab"}).balanced());
    }

    @Test
    void rejectsMalformedCommandLines() {
        String[][] bad = {
            {"MutexAlternation.contended", "RAW_MUTEX"},
            {"M.c", "A", "B", "--forks"},
            {"M.c", "A", "B", "--forks", "0"},
            {"M.c", "A", "B", "--cycles", "0"},
            {"M.c", "A", "B", "--millis", "x"},
            {"M.c", "A", "B", "--threads", "0"},
            {"M.c", "A", "B", "--param", "a=RAW_MUTEX"},
            {"M.c", "A", "B", "--param", "swapped=true"},
            {"M.c", "A", "B", "--forks", "2,4"},
            {"M.c", "A", "B", "--param", "novalue="},
            {"M.c", "A", "B", "--bogus", "1"},
            {"M.c", "A", "B", "--order", "ba"},
            {"M.c", "A", "B", "--order", "balanced", "--forks", "3"},
        };
        for (String[] args : bad) {
            assertThrows(IllegalArgumentException.class, () -> AlternatingIterations.parse(args), String.join(" ", args));
        }
    }

    @Test
    void cycleRatioComparesTheSumsOfEachCompetitorsTwoIterations() {
        // cycle 1: A 4 and 8, B 6 and 6 -> 12 / 12 = 1; cycle 2: A 2 and 2, B 1 and 1 -> 2
        double[] ratios = AlternatingIterations.cycleRatios(new double[] {4, 6, 6, 8, 2, 1, 1, 2});
        assertArrayEquals(new double[] {1.0, 2.0}, ratios, 1e-12);
        // a linear trend inside a cycle cancels: A at 10 and 13, B at 11 and 12 (the same lock) -> 1
        assertEquals(1.0, AlternatingIterations.cycleRatios(new double[] {10, 11, 12, 13})[0], 1e-12);
        assertThrows(IllegalArgumentException.class, () -> AlternatingIterations.cycleRatios(new double[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> AlternatingIterations.cycleRatios(new double[] {1, 0, 1, 1}));
    }

    /** A swapped fork ran B in iterations 1 and 4: its cycles count as (A2 + A3) / (B1 + B4). */
    @Test
    void balancedComparisonReportsEveryForkAsAOverB() {
        // as given: A 4 and 4, B 2 and 2 -> 2; swapped: B 2 and 2 in A's place, A 4 and 4 in B's -> 2 as well
        AlternatingIterations.Comparison c = comparison("RAW_MUTEX", "REENTRANT_LOCK", new double[] {4, 2, 2, 4},
                new double[] {2, 4, 4, 2});
        assertArrayEquals(new double[] {2.0}, c.ratios()[0], 1e-12);
        assertArrayEquals(new double[] {2.0}, c.ratios()[1], 1e-12);
        assertEquals(2.0, c.ratio(), 1e-12);
        assertEquals(List.of(false, true), c.forks().stream().map(AlternatingIterations.Fork::swapped).toList());
        // a bias towards whoever runs first (+10% in iterations 1 and 4) cancels across the two orders
        assertEquals(1.0, comparison("X", "Y", new double[] {11, 10, 10, 11}, new double[] {11, 10, 10, 11}).ratio(),
                1e-12);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        c.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String report = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("fork 1: RAW_MUTEX 4.000, REENTRANT_LOCK 2.000, ratio 2.000x"), report);
        assertTrue(report.contains("fork 2 (REENTRANT_LOCK first): RAW_MUTEX 4.000, REENTRANT_LOCK 2.000, ratio 2.000x"),
                report);
        assertTrue(report.contains("RAW_MUTEX / REENTRANT_LOCK: 2.000x"), report);
    }

    /** A comparison of one fork as given and one swapped. */
    private static AlternatingIterations.Comparison comparison(String a, String b, double[] asGiven, double[] swapped) {
        return new AlternatingIterations.Comparison(Map.of(), a, b, List.of(AlternatingIterations.Fork.of(asGiven, false),
                AlternatingIterations.Fork.of(swapped, true)));
    }

    @Test
    void bootstrapOverForksWidensWhenForksDisagree() {
        double[][] agreeing = {{1.00, 1.02, 0.98, 1.01}, {1.01, 0.99, 1.00, 1.02}, {0.99, 1.01, 1.00, 1.00}};
        double[][] disagreeing = {{0.90, 0.91, 0.89, 0.90}, {1.00, 1.01, 0.99, 1.00}, {1.10, 1.11, 1.09, 1.10}};
        double[] narrow = AlternatingIterations.bootstrapOverForksAndCycles(agreeing, 10_000, new SplittableRandom(1));
        double[] wide = AlternatingIterations.bootstrapOverForksAndCycles(disagreeing, 10_000, new SplittableRandom(1));
        assertTrue(narrow[0] < 1.005 && narrow[1] > 1.0, "narrow " + narrow[0] + "-" + narrow[1]);
        assertTrue(wide[1] - wide[0] > 5 * (narrow[1] - narrow[0]), "wide " + wide[0] + "-" + wide[1]
                + " against narrow " + narrow[0] + "-" + narrow[1]);
        double[] constant = AlternatingIterations.bootstrapOverForksAndCycles(new double[][] {{1.2, 1.2}, {1.2, 1.2}},
                1000, new SplittableRandom(2));
        assertEquals(1.2, constant[0], 1e-12);
        assertEquals(1.2, constant[1], 1e-12);
    }

    /** One in-process fork of two cycles: JMH reports every iteration, the report and JMH's JSON file have them all. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void tinyInProcessRunReportsEveryCycle(@TempDir Path dir) throws Exception {
        TinyRun run = TinyRun.of(dir, 2, false);

        assertEquals(1, run.comparisons.size());
        AlternatingIterations.Comparison c = run.comparisons.get(0);
        assertEquals(1, c.forks().size());
        AlternatingIterations.Fork fork = c.forks().get(0);
        assertTrue(fork.meanA() > 0 && Double.isFinite(fork.meanA()) && fork.meanB() > 0 && Double.isFinite(fork.meanB()),
                fork.toString());
        assertEquals(2, fork.ratios().length, "two cycles of the eight measured iterations");
        assertTrue(run.report.contains("1 forks of 2 cycles"), run.report);
        assertTrue(run.report.contains("fork 1: RAW_MUTEX"), run.report);
        assertTrue(run.report.contains("RAW_MUTEX / REENTRANT_LOCK:"), run.report);
        JsonNode results = new ObjectMapper().readTree(run.json.toFile());
        assertEquals(1, results.size());
        assertEquals("false", results.get(0).path("params").path("swapped").asText());
        assertEquals(8, results.get(0).path("primaryMetric").path("rawData").get(0).size());
    }

    /** A balanced in-process run: one run per order, the swapped one second and marked so in the report and the JSON. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void tinyBalancedRunSwapsTheSecondHalf(@TempDir Path dir) throws Exception {
        TinyRun run = TinyRun.of(dir, 1, true);

        AlternatingIterations.Comparison c = run.comparisons.get(0);
        assertEquals(List.of(false, true), c.forks().stream().map(AlternatingIterations.Fork::swapped).toList());
        assertTrue(run.report.contains("fork 2 (REENTRANT_LOCK first): RAW_MUTEX"), run.report);
        JsonNode results = new ObjectMapper().readTree(run.json.toFile());
        assertEquals(2, results.size());
        List<String> swapped = List.of(results.get(0).path("params").path("swapped").asText(),
                results.get(1).path("params").path("swapped").asText());
        assertEquals(Set.of("false", "true"), Set.copyOf(swapped));
    }

    /**
     * An in-process run (forks 0) of {@code MutexAlternation.contended}, RAW_MUTEX against
     * REENTRANT_LOCK at 2 threads, one warm-up cycle and 30 ms iterations: its comparisons, its printed
     * report and its JSON file.
     */
    private record TinyRun(List<AlternatingIterations.Comparison> comparisons, String report, Path json) {
        static TinyRun of(Path dir, int cycles, boolean balanced) throws Exception {
            Path json = dir.resolve("results.json");
            AlternatingIterations.Settings s = new AlternatingIterations.Settings("MutexAlternation.contended",
                    "RAW_MUTEX", "REENTRANT_LOCK", new int[] {2}, 0, cycles, 1, 30, Map.of(), List.of(), balanced, json);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            List<AlternatingIterations.Comparison> result =
                    AlternatingIterations.run(s, new PrintStream(bytes, true, StandardCharsets.UTF_8));
            return new TinyRun(result, bytes.toString(StandardCharsets.UTF_8), json);
        }
    }
}
