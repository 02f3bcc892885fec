package org.parkinglot.benchmarks.lockbench;

/** Hears what a {@link Runner} is doing, for the progress line and to collect results. */
public interface RunListener {

    /**
     * A lock's untimed warm-up run starts.
     *
     * @param lock   the lock
     * @param config the configuration it warms up with
     */
    void warmupStarted(Competitor lock, ThreadConfig config);

    /**
     * A timed run starts.
     *
     * @param lock      the lock
     * @param config    the configuration
     * @param iteration which run of this lock and configuration, from 1
     */
    void runStarted(Competitor lock, ThreadConfig config, int iteration);

    /**
     * A timed run ended.
     *
     * @param lock      the lock
     * @param config    the configuration
     * @param iteration which run of this lock and configuration, from 1
     * @param result    what it measured
     */
    void runFinished(Competitor lock, ThreadConfig config, int iteration, RunResult result);
}
