package org.parkinglot.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keeps {@link FairnessRun} from rotting: tiny runs through its Java entry point, checking the report and the
 * counts for every lock. Speed and fairness are not asserted (they depend on the scheduler).
 */
class FairnessRunTest {

    /** A 100 ms run of every lock with 2 threads prints a row per lock and counts every acquisition exactly once. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void reportsARowAndConsistentCountsForEveryLock() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<FairnessRun.Result> results;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            results = FairnessRun.run(new String[] {"2", "0.1"}, out);
        }
        String report = bytes.toString(StandardCharsets.UTF_8);

        assertEquals(FairnessLock.values().length, results.size(), report);
        assertTrue(report.contains("# FairnessRun: 2 threads, 0.1 s per lock"), report);
        for (int i = 0; i < results.size(); i++) {
            FairnessRun.Result r = results.get(i);
            FairnessLock lock = FairnessLock.values()[i];
            assertEquals(lock, r.lock());
            // one row: name, throughput, longest wait, waits >= 1 ms and >= 2 ms, min/max, per-thread counts
            Pattern row = Pattern.compile("(?m)^" + Pattern.quote(lock.displayName)
                    + " +\\d+ +\\d+\\.\\d{3} +\\d+ +\\d+ +\\d\\.\\d{3}  \\[\\d+, \\d+\\]$");
            assertTrue(row.matcher(report).find(), "no row for " + lock.displayName + " in\n" + report);
            assertEquals(2, r.acquisitions().length, lock.displayName);
            for (long count : r.acquisitions()) {
                assertTrue(count >= 1, lock.displayName + ": a thread never acquired");
            }
            assertEquals(r.total(), r.shared(), lock.displayName + ": counts disagree with the shared counter");
            assertTrue(r.elapsedNanos() >= TimeUnit.MILLISECONDS.toNanos(100), lock.displayName + " ran too short");
            assertTrue(r.longestWaitNanos() >= 0, lock.displayName);
            // every lock() call is in the histogram, and no percentile exceeds the longest wait
            assertEquals(r.total(), r.waits().getTotalCount(), lock.displayName + ": a wait went unrecorded");
            long overOne = r.waitsOfAtLeast(FairnessRun.LONG_WAIT_NANOS);
            long overTwo = r.waitsOfAtLeast(FairnessRun.VERY_LONG_WAIT_NANOS);
            assertTrue(0 <= overTwo && overTwo <= overOne && overOne <= r.total(), lock.displayName);
            if (r.longestWaitNanos() < FairnessRun.LONG_WAIT_NANOS * 99 / 100) { // below the 1 ms bucket's range
                assertEquals(0, overOne, lock.displayName + ": a long wait counted though the longest was short");
            }
            assertTrue(r.perSecond() > 0, lock.displayName);
        }
    }

    /** Thread counts and lock names from the arguments select the runs, in argument order, one result per pair. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void argumentsSelectThreadCountsAndLocks() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<FairnessRun.Result> results;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            results = FairnessRun.run(new String[] {"1,3", "0.05", "raw_mutex_no_fairness", "RAW_FAIR_MUTEX"}, out);
        }
        String report = bytes.toString(StandardCharsets.UTF_8);

        assertEquals(4, results.size(), report);
        int[] threads = {1, 1, 3, 3};
        FairnessLock[] locks = {FairnessLock.RAW_MUTEX_NO_FAIRNESS, FairnessLock.RAW_FAIR_MUTEX,
            FairnessLock.RAW_MUTEX_NO_FAIRNESS, FairnessLock.RAW_FAIR_MUTEX};
        for (int i = 0; i < 4; i++) {
            assertEquals(locks[i], results.get(i).lock());
            assertEquals(threads[i], results.get(i).acquisitions().length);
            assertEquals(results.get(i).total(), results.get(i).shared());
        }
        assertTrue(report.contains("# FairnessRun: 1 threads, 0.05 s per lock"), report);
        assertTrue(report.contains("# FairnessRun: 3 threads, 0.05 s per lock"), report);
    }

    /** Malformed arguments are rejected before anything runs. */
    @ParameterizedTest
    @ValueSource(strings = {"0", "x", "2,", "2 0", "2 -1", "2 abc", "2 0.1 NO_SUCH_LOCK"})
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void rejectsMalformedArguments(String args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            assertThrows(IllegalArgumentException.class, () -> FairnessRun.run(args.split(" "), out));
        }
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }
}
