package org.parkinglot.benchmarks.lockbench;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One line of the report: one lock in one thread configuration, aggregated over its iterations.
 *
 * @param lock            the lock's name
 * @param config          the thread configuration
 * @param runs            the timed runs, in order
 * @param opsPerSecond    all threads' critical sections per second, averaged over the runs
 * @param writeOpsPerSecond writers' share of {@code opsPerSecond}
 * @param readOpsPerSecond  readers' share of {@code opsPerSecond}
 * @param writers         the spread of per-thread rates of the writers (every thread in mutex mode), or null if none
 * @param readers         the spread of per-thread rates of the readers, or null if none
 * @param maxWaitNanos    the longest single lock acquisition of any thread in any run
 * @param ratio           {@code opsPerSecond} divided by the baseline's in the same configuration, if the
 *                        baseline ran
 * @param bytesPerLock    the lock's footprint, if JOL could measure it
 */
public record Row(String lock, ThreadConfig config, List<RunResult> runs, double opsPerSecond,
                  double writeOpsPerSecond, double readOpsPerSecond, Stats writers, Stats readers,
                  long maxWaitNanos, OptionalDouble ratio, OptionalLong bytesPerLock) {

    /**
     * Checks and freezes the components.
     *
     * @throws NullPointerException if a required component is null
     */
    public Row {
        Objects.requireNonNull(lock, "lock");
        Objects.requireNonNull(config, "config");
        runs = List.copyOf(runs);
        Objects.requireNonNull(ratio, "ratio");
        Objects.requireNonNull(bytesPerLock, "bytesPerLock");
    }

    /**
     * Aggregates the runs of one lock in one configuration; the ratio is filled in later by
     * {@link #withRatio(double)}.
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
        List<Double> writerRates = new ArrayList<>();
        List<Double> readerRates = new ArrayList<>();
        for (RunResult r : runs) {
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
        }
        writeOps /= runs.size();
        readOps /= runs.size();
        return new Row(lock, config, runs, writeOps + readOps, writeOps, readOps, stats(writerRates),
                stats(readerRates), maxWait, OptionalDouble.empty(), bytesPerLock);
    }

    private static Stats stats(List<Double> rates) {
        return rates.isEmpty() ? null : Stats.of(rates.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * Returns this row with its ratio to the baseline's throughput.
     *
     * @param baselineOpsPerSecond the baseline's throughput in the same configuration
     * @return a copy with the ratio set (left empty if the baseline's throughput is not positive)
     */
    public Row withRatio(double baselineOpsPerSecond) {
        OptionalDouble r = baselineOpsPerSecond > 0 ? OptionalDouble.of(opsPerSecond / baselineOpsPerSecond)
                : OptionalDouble.empty();
        return new Row(lock, config, runs, opsPerSecond, writeOpsPerSecond, readOpsPerSecond, writers, readers,
                maxWaitNanos, r, bytesPerLock);
    }
}
