package org.parkinglot.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link PairedForks}: its command line, its statistics, and a tiny in-process run. Speed is not asserted. */
class PairedForksTest {

    @Test
    void parsesEveryOption() {
        PairedForks.CommandLine parsed = PairedForks.parse(new String[] {
            "RwLockBenchmark.mix", "RAW_RW_LOCK,REENTRANT_RW_LOCK,STAMPED_LOCK", "--threads", "4,8",
            "--rounds", "6", "--param", "readPercent=95,50", "--warmup", "3", "--iterations", "4",
            "--seconds", "0.5", "--csv", "out.csv"});
        PairedForks.Settings s = parsed.settings();
        assertEquals("RwLockBenchmark.mix", s.benchmark());
        assertEquals(List.of("RAW_RW_LOCK", "REENTRANT_RW_LOCK", "STAMPED_LOCK"), s.types());
        assertArrayEquals(new int[] {4, 8}, s.threads());
        assertEquals(6, s.rounds());
        assertEquals(Map.of("readPercent", List.of("95", "50")), s.params());
        assertEquals(3, s.warmup());
        assertEquals(4, s.iterations());
        assertEquals(0.5, s.seconds());
        assertEquals(1, s.forks());
        assertEquals(Path.of("out.csv"), parsed.csv());
    }

    @Test
    void defaultsAreThreeThreadCountsEightRoundsFiveByFiveOneSecond() {
        PairedForks.Settings s = PairedForks.parse(new String[] {"MutexBenchmark.contended", "A,B"}).settings();
        assertArrayEquals(new int[] {2, 4, 8}, s.threads());
        assertEquals(8, s.rounds());
        assertEquals(5, s.warmup());
        assertEquals(5, s.iterations());
        assertEquals(1.0, s.seconds());
        assertEquals(Map.of(), s.params());
    }

    @Test
    void rejectsMalformedCommandLines() {
        assertThrows(IllegalArgumentException.class, () -> PairedForks.parse(new String[] {"MutexBenchmark.contended"}));
        assertThrows(IllegalArgumentException.class, () -> PairedForks.parse(new String[] {"B.m", "ONLY_ONE"}));
        assertThrows(IllegalArgumentException.class, () -> PairedForks.parse(new String[] {"B.m", "A,B", "--rounds"}));
        assertThrows(IllegalArgumentException.class, () -> PairedForks.parse(new String[] {"B.m", "A,B", "--rounds", "x"}));
        assertThrows(IllegalArgumentException.class, () -> PairedForks.parse(new String[] {"B.m", "A,B", "--rounds", "0"}));
        assertThrows(IllegalArgumentException.class, () -> PairedForks.parse(new String[] {"B.m", "A,B", "--threads", "0"}));
        assertThrows(IllegalArgumentException.class, () -> PairedForks.parse(new String[] {"B.m", "A,B", "--param", "x"}));
        assertThrows(IllegalArgumentException.class, () -> PairedForks.parse(new String[] {"B.m", "A,B", "--param", "type=C"}));
        assertThrows(IllegalArgumentException.class, () -> PairedForks.parse(new String[] {"B.m", "A,B", "--bogus", "1"}));
    }

    @Test
    void combinationsAreTheCartesianProductInOrder() {
        Map<String, List<String>> params = new java.util.LinkedHashMap<>();
        params.put("a", List.of("1", "2"));
        params.put("b", List.of("x", "y"));
        List<Map<String, String>> combos = PairedForks.combinations(params);
        assertEquals(List.of(Map.of("a", "1", "b", "x"), Map.of("a", "1", "b", "y"),
                Map.of("a", "2", "b", "x"), Map.of("a", "2", "b", "y")), combos);
        assertEquals(List.of(Map.of()), PairedForks.combinations(Map.of()));
    }

    @Test
    void geometricMeanAveragesRatiosSymmetrically() {
        assertEquals(1.0, PairedForks.geometricMean(new double[] {2.0, 0.5}), 1e-12);
        assertEquals(4.0, PairedForks.geometricMean(new double[] {2.0, 8.0}), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> PairedForks.geometricMean(new double[] {1.0, 0.0}));
    }

    @Test
    void bootstrapIntervalBracketsTheMeanAndCollapsesOnConstantData() {
        double[] xs = {0.9, 1.0, 1.1, 1.2, 1.05, 0.95, 1.15, 1.0};
        double[] ci = PairedForks.bootstrapGeometricMean(xs, 10_000, new SplittableRandom(1));
        double gm = PairedForks.geometricMean(xs);
        assertTrue(ci[0] < gm && gm < ci[1], "interval " + ci[0] + "-" + ci[1] + " around " + gm);
        assertTrue(ci[0] >= 0.9 && ci[1] <= 1.2, "inside the data's range: " + ci[0] + "-" + ci[1]);
        double[] same = PairedForks.bootstrapGeometricMean(new double[] {1.3, 1.3, 1.3}, 1000, new SplittableRandom(2));
        assertEquals(1.3, same[0], 1e-12);
        assertEquals(1.3, same[1], 1e-12);
    }

    /** Two rounds of two competitors in this JVM: every fork scores, the order rotates, the CSV has every fork. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void tinyInProcessRunScoresEveryForkAndWritesTheCsv(@TempDir Path dir) throws Exception {
        PairedForks.Settings s = new PairedForks.Settings("MutexBenchmark.contended",
                List.of("RAW_MUTEX", "REENTRANT_LOCK"), new int[] {2}, 2, Map.of(), 1, 1, 0.05, 0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Path csv = dir.resolve("forks.csv");
        List<PairedForks.Comparison> result = PairedForks.run(s, new PrintStream(bytes, true, StandardCharsets.UTF_8), csv);

        assertEquals(1, result.size());
        PairedForks.Comparison c = result.get(0);
        for (double[] perType : c.scores) {
            for (double score : perType) {
                assertTrue(score > 0 && Double.isFinite(score), "score " + score);
            }
        }
        String report = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("round  1:  RAW_MUTEX"), report);
        assertTrue(report.contains("round  2:  REENTRANT_LOCK"), report);
        assertTrue(report.contains("RAW_MUTEX / REENTRANT_LOCK:"), report);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("threads,params,round,type,score", lines.get(0));
        assertEquals(5, lines.size(), lines.toString());
    }
}
