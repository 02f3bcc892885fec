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
 */
public record RunResult(long elapsedNanos, long[] writerIterations, long[] readerIterations, long[] maxWaitNanos) {

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
        if (maxWaitNanos.length != writerIterations.length + readerIterations.length) {
            throw new IllegalArgumentException("one max wait per thread expected");
        }
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

    @Override
    public boolean equals(Object o) {
        return o instanceof RunResult r && r.elapsedNanos == elapsedNanos
                && Arrays.equals(r.writerIterations, writerIterations)
                && Arrays.equals(r.readerIterations, readerIterations)
                && Arrays.equals(r.maxWaitNanos, maxWaitNanos);
    }

    @Override
    public int hashCode() {
        return Objects.hash(elapsedNanos, Arrays.hashCode(writerIterations), Arrays.hashCode(readerIterations),
                Arrays.hashCode(maxWaitNanos));
    }

    @Override
    public String toString() {
        return "RunResult[elapsedNanos=" + elapsedNanos + ", writers=" + Arrays.toString(writerIterations)
                + ", readers=" + Arrays.toString(readerIterations) + ", maxWaitNanos=" + Arrays.toString(maxWaitNanos) + "]";
    }
}
