package org.parkinglot.benchmarks.lockbench;

/**
 * The work a benchmark thread does while it holds a lock. A {@link LockSubject} calls it with the lock
 * held and tells it how long acquiring the lock took.
 */
@FunctionalInterface
public interface CriticalSection {

    /**
     * Runs the guarded work; the caller holds the lock (exclusively or shared).
     *
     * @param waitedNanos the time from just before the lock call until the lock was acquired, by
     *                    {@link System#nanoTime()}
     */
    void run(long waitedNanos);
}
