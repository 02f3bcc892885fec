package org.parkinglot.benchmarks.lockbench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The fairness table of {@code lockbench --fairness}, in the style of WebKit's
 * {@code LockFairnessTest.cpp}: per lock and thread count, the longest single wait, how many waits took
 * 1 ms or more and 2 ms or more (all runs together), the smallest per-thread count divided by the
 * largest (1 is perfectly even; the worst run), and every thread's acquisitions, run by run.
 *
 * <p>On a small machine the longest wait measures the scheduler as much as the lock: a waiter whose lock
 * holder is preempted waits out the holder's time off the CPU whatever the lock does, and even one
 * thread alone sees single lock calls of a few milliseconds (its own preemption). Run with
 * {@code --threads 1} to see that floor; the counts of long waits show how often it happens.
 */
final class FairnessWriter {

    private FairnessWriter() {
    }

    /**
     * Renders the fairness table of a mutex-mode report.
     *
     * @param report the report
     * @return the table, one line per row of the report, a blank line between thread counts
     */
    static String render(Report report) {
        StringBuilder b = new StringBuilder();
        String format = "%-28s %7s  %12s  %11s  %11s  %7s  %s%n";
        b.append(String.format(Locale.ROOT, format, "lock", "threads", "longest wait", "waits >=1ms", "waits >=2ms",
                "min/max", "acquisitions per thread, per run"));
        ThreadConfig previous = null;
        for (Row row : report.rows()) {
            if (previous != null && !previous.equals(row.config())) {
                b.append('\n');
            }
            previous = row.config();
            long atLeast1ms = 0;
            long atLeast2ms = 0;
            double minOverMax = 1.0;
            List<String> counts = new ArrayList<>();
            for (RunResult r : row.runs()) {
                atLeast1ms += Arrays.stream(r.waitsAtLeast1ms()).sum();
                atLeast2ms += Arrays.stream(r.waitsAtLeast2ms()).sum();
                minOverMax = Math.min(minOverMax, minOverMax(r.writerIterations()));
                counts.add(Arrays.toString(r.writerIterations()));
            }
            b.append(String.format(Locale.ROOT, format, row.lock(), row.config().threads(),
                    String.format(Locale.ROOT, "%.3f ms", row.maxWaitNanos() / 1e6), atLeast1ms, atLeast2ms,
                    String.format(Locale.ROOT, "%.3f", minOverMax), String.join(" ", counts)));
        }
        return b.toString();
    }

    /**
     * Returns the smallest count divided by the largest.
     *
     * @param counts per-thread counts
     * @return a number in [0, 1]; 1 when every thread acquired equally often, 0 if none did
     */
    static double minOverMax(long[] counts) {
        long max = Arrays.stream(counts).max().orElse(0L);
        return max == 0L ? 0.0 : (double) Arrays.stream(counts).min().orElse(0L) / max;
    }
}
