package org.parkinglot.benchmarks.lockbench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The fairness table of {@code --fairness}, from made-up runs. */
class FairnessWriterTest {

    /**
     * One row per lock and thread count: long waits summed over the runs, min/max of the worst run, the
     * longest wait of any run, and each run's per-thread counts.
     */
    @Test
    void rowSumsWaitsAndKeepsTheWorstRun() throws UsageException {
        Options o = Options.parse("--locks", "RawMutex,ReentrantLock", "--threads", "2", "--iterations", "2", "--fairness");
        ThreadConfig two = ThreadConfig.mutex(2);
        RunResult even = new RunResult(1_000_000_000L, new long[] {100, 100}, new long[0], new long[] {1_500_000, 300},
                new long[] {1, 0}, new long[] {0, 0});
        RunResult skewed = new RunResult(1_000_000_000L, new long[] {40, 160}, new long[0], new long[] {2_250_000, 10},
                new long[] {3, 1}, new long[] {2, 0});
        RunResult idle = new RunResult(1_000_000_000L, new long[] {0, 0}, new long[0], new long[] {0, 0});
        Report report = Report.build(o, Map.of("RawMutex", Map.of(two, List.of(even, skewed)),
                "ReentrantLock", Map.of(two, List.of(idle, idle))), Map.of("RawMutex", OptionalLong.of(16)));

        List<String> lines = FairnessWriter.render(report).lines().toList();
        assertEquals(3, lines.size(), lines.toString());
        assertEquals(List.of("lock", "threads", "longest", "wait", "waits", ">=1ms", "waits", ">=2ms", "min/max",
                "acquisitions", "per", "thread,", "per", "run"), List.of(lines.get(0).trim().split(" +")));
        assertEquals(List.of("RawMutex", "2", "2.250", "ms", "5", "2", "0.250", "[100,", "100]", "[40,", "160]"),
                List.of(lines.get(1).split(" +")));
        assertEquals(List.of("ReentrantLock", "2", "0.000", "ms", "0", "0", "0.000", "[0,", "0]", "[0,", "0]"),
                List.of(lines.get(2).split(" +")));
    }
}
