package org.parkinglot.benchmarks.lockbench;

/**
 * How many threads one run starts. In mutex mode every thread is a writer (takes the lock
 * exclusively) and {@code readers} is 0.
 *
 * @param writers threads taking the lock exclusively
 * @param readers threads taking it shared (rwlock mode only)
 */
public record ThreadConfig(int writers, int readers) {

    /**
     * Checks the counts.
     *
     * @throws IllegalArgumentException if a count is negative or both are zero
     */
    public ThreadConfig {
        if (writers < 0 || readers < 0 || writers + readers == 0) {
            throw new IllegalArgumentException("bad thread counts: " + writers + " writers, " + readers + " readers");
        }
    }

    /**
     * A mutex-mode configuration.
     *
     * @param threads the number of threads
     * @return {@code threads} writers and no readers
     */
    public static ThreadConfig mutex(int threads) {
        return new ThreadConfig(threads, 0);
    }

    /**
     * Returns all threads of the run.
     *
     * @return writers plus readers
     */
    public int threads() {
        return writers + readers;
    }

    /**
     * Returns a short label: the thread count in mutex and keyed mode, {@code 1w+3r} in rwlock mode.
     *
     * @param mode the mode of the run
     * @return the label
     */
    public String label(Mode mode) {
        return mode.threadsOnly() ? Integer.toString(writers) : writers + "w+" + readers + "r";
    }
}
