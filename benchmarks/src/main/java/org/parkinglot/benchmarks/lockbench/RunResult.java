package org.parkinglot.benchmarks.lockbench;

import java.util.Arrays;
import java.util.Objects;

/**
 * What one timed run measured: per-thread iteration counts and longest waits, and how long it lasted.
 *
 * @param elapsedNanos      time from the barrier's release to the stop flag, by {@link System#nanoTime()}
 * @param writerIterations  critical sections each writer completed (mutex mode: every thread)
 * @param readerIterations  critical sections each reader completed (empty in mutex mode)
 * @param maxWaitNanos      per thread, writers first: its longest single lock acquisition
 * @param waitsAtLeast1ms   per thread, writers first: its lock acquisitions of 1 ms or more
 * @param waitsAtLeast2ms   per thread, writers first: its lock acquisitions of 2 ms or more
 */
public record RunResult(long elapsedNanos, long[] writerIterations, long[] readerIterations, long[] maxWaitNanos,
                        long[] waitsAtLeast1ms, long[] waitsAtLeast2ms) {

    /**
     * Checks the components and copies the arrays.
     *
     * @throws IllegalArgumentException if the elapsed time is not positive or the wait array's length
     *                                  is not the thread count
     */
    public RunResult {
        if (elapsedNanos <= 0) {
            throw new IllegalArgumentException("elapsed time must be positive: " + elapsedNanos);
        }
        writerIterations = writerIterations.clone();
        readerIterations = readerIterations.clone();
        maxWaitNanos = maxWaitNanos.clone();
        waitsAtLeast1ms = waitsAtLeast1ms.clone();
        waitsAtLeast2ms = waitsAtLeast2ms.clone();
        int threads = writerIterations.length + readerIterations.length;
        if (maxWaitNanos.length != threads || waitsAtLeast1ms.length != threads || waitsAtLeast2ms.length != threads) {
            throw new IllegalArgumentException("one max wait and one count of each long wait per thread expected");
        }
    }

    /**
     * A run without counts of long waits (all zero).
     *
     * @param elapsedNanos     as the canonical constructor
     * @param writerIterations as the canonical constructor
     * @param readerIterations as the canonical constructor
     * @param maxWaitNanos     as the canonical constructor
     */
    public RunResult(long elapsedNanos, long[] writerIterations, long[] readerIterations, long[] maxWaitNanos) {
        this(elapsedNanos, writerIterations, readerIterations, maxWaitNanos, new long[maxWaitNanos.length],
                new long[maxWaitNanos.length]);
    }

    /**
     * Returns the run's length in seconds.
     *
     * @return elapsed seconds
     */
    public double elapsedSeconds() {
        return elapsedNanos / 1e9;
    }

    /**
     * Returns the run's throughput: all threads' iterations divided by its length.
     *
     * @return critical sections per second
     */
    public double opsPerSecond() {
        return totalIterations() / elapsedSeconds();
    }

    /**
     * Returns all iterations of all threads.
     *
     * @return the total count
     */
    public long totalIterations() {
        return Arrays.stream(writerIterations).sum() + Arrays.stream(readerIterations).sum();
    }

    /**
     * Returns a copy of the writers' counts.
     *
     * @return a fresh array
     */
    @Override
    public long[] writerIterations() {
        return writerIterations.clone();
    }

    /**
     * Returns a copy of the readers' counts.
     *
     * @return a fresh array
     */
    @Override
    public long[] readerIterations() {
        return readerIterations.clone();
    }

    /**
     * Returns a copy of the longest waits, writers first.
     *
     * @return a fresh array
     */
    @Override
    public long[] maxWaitNanos() {
        return maxWaitNanos.clone();
    }

    /**
     * Returns a copy of the counts of waits of 1 ms or more, writers first.
     *
     * @return a fresh array
     */
    @Override
    public long[] waitsAtLeast1ms() {
        return waitsAtLeast1ms.clone();
    }

    /**
     * Returns a copy of the counts of waits of 2 ms or more, writers first.
     *
     * @return a fresh array
     */
    @Override
    public long[] waitsAtLeast2ms() {
        return waitsAtLeast2ms.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunResult r && r.elapsedNanos == elapsedNanos
                && Arrays.equals(r.writerIterations, writerIterations)
                && Arrays.equals(r.readerIterations, readerIterations)
                && Arrays.equals(r.maxWaitNanos, maxWaitNanos) && Arrays.equals(r.waitsAtLeast1ms, waitsAtLeast1ms)
                && Arrays.equals(r.waitsAtLeast2ms, waitsAtLeast2ms);
    }

    @Override
    public int hashCode() {
        return Objects.hash(elapsedNanos, Arrays.hashCode(writerIterations), Arrays.hashCode(readerIterations),
                Arrays.hashCode(maxWaitNanos), Arrays.hashCode(waitsAtLeast1ms), Arrays.hashCode(waitsAtLeast2ms));
    }

    @Override
    public String toString() {
        return "RunResult[elapsedNanos=" + elapsedNanos + ", writers=" + Arrays.toString(writerIterations)
                + ", readers=" + Arrays.toString(readerIterations) + ", maxWaitNanos=" + Arrays.toString(maxWaitNanos)
                + ", waitsAtLeast1ms=" + Arrays.toString(waitsAtLeast1ms) + ", waitsAtLeast2ms=" + Arrays.toString(waitsAtLeast2ms) + "]";
    }
}
