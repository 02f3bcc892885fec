package org.parkinglot.benchmarks.lockbench;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One line of the report: one lock in one thread configuration, aggregated over its runs.
 *
 * @param lock              the lock's name
 * @param config            the thread configuration
 * @param runs              the timed runs, in order
 * @param throughput        all threads' critical sections per second: the mean over the runs (each run
 *                          divided by its own length) with its 95% confidence interval
 * @param writeOpsPerSecond writers' share of the mean throughput
 * @param readOpsPerSecond  readers' share of the mean throughput
 * @param writers           the spread of per-thread rates of the writers (every thread in mutex mode), or null if none
 * @param readers           the spread of per-thread rates of the readers, or null if none
 * @param maxWaitNanos      the longest single lock acquisition of any thread in any run
 * @param ratio             the throughput divided by the baseline's in the same configuration, with the
 *                          range both intervals allow ({@link Interval#ratioTo}); null if the baseline
 *                          did not run
 * @param bytesPerLock      the lock's footprint, if JOL could measure it
 */
public record Row(String lock, ThreadConfig config, List<RunResult> runs, Interval throughput,
                  double writeOpsPerSecond, double readOpsPerSecond, Stats writers, Stats readers,
                  long maxWaitNanos, Interval ratio, OptionalLong bytesPerLock) {

    /**
     * Checks and freezes the components.
     *
     * @throws NullPointerException if a required component is null
     */
    public Row {
        Objects.requireNonNull(lock, "lock");
        Objects.requireNonNull(config, "config");
        runs = List.copyOf(runs);
        Objects.requireNonNull(throughput, "throughput");
        Objects.requireNonNull(bytesPerLock, "bytesPerLock");
    }

    /**
     * Aggregates the runs of one lock in one configuration; the ratio is filled in later by
     * {@link #withRatioTo(Row)}.
     *
     * @param lock         the lock's name
     * @param config       the thread configuration
     * @param runs         its timed runs, at least one
     * @param bytesPerLock its footprint, if known
     * @return the row, without a ratio
     * @throws IllegalArgumentException if there are no runs
     */
    public static Row of(String lock, ThreadConfig config, List<RunResult> runs, OptionalLong bytesPerLock) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs for " + lock);
        }
        double writeOps = 0;
        double readOps = 0;
        long maxWait = 0;
        double[] perRun = new double[runs.size()];
        List<Double> writerRates = new ArrayList<>();
        List<Double> readerRates = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = runs.get(i);
            double seconds = r.elapsedSeconds();
            for (long c : r.writerIterations()) {
                writerRates.add(c / seconds);
                writeOps += c / seconds;
            }
            for (long c : r.readerIterations()) {
                readerRates.add(c / seconds);
                readOps += c / seconds;
            }
            for (long w : r.maxWaitNanos()) {
                maxWait = Math.max(maxWait, w);
            }
            perRun[i] = r.opsPerSecond();
        }
        writeOps /= runs.size();
        readOps /= runs.size();
        return new Row(lock, config, runs, Interval.of(perRun), writeOps, readOps, stats(writerRates),
                stats(readerRates), maxWait, null, bytesPerLock);
    }

    private static Stats stats(List<Double> rates) {
        return rates.isEmpty() ? null : Stats.of(rates.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * Returns the mean throughput.
     *
     * @return critical sections per second, all threads, mean of the runs
     */
    public double opsPerSecond() {
        return throughput.mean();
    }

    /**
     * Returns this row with its ratio to the baseline's throughput.
     *
     * @param baseline the baseline's row in the same configuration
     * @return a copy with the ratio set (left null if the baseline's throughput is not positive)
     */
    public Row withRatioTo(Row baseline) {
        Interval r = baseline.opsPerSecond() > 0 ? throughput.ratioTo(baseline.throughput()) : null;
        return new Row(lock, config, runs, throughput, writeOpsPerSecond, readOpsPerSecond, writers, readers,
                maxWaitNanos, r, bytesPerLock);
    }
}
