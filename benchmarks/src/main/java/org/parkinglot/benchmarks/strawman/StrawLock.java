package org.parkinglot.benchmarks.strawman;

/**
 * What every straw man offers: lock, unlock, and a snapshot of whether it is held. Just enough for the
 * harnesses ({@code LockType}'s factories hand them out), not a {@link java.util.concurrent.locks.Lock}.
 */
public interface StrawLock {

    /** Acquires the lock, waiting as long as it takes; interrupts are ignored. */
    void lock();

    /**
     * Releases the lock.
     *
     * @throws IllegalMonitorStateException if the lock is not held
     */
    void unlock();

    /**
     * Tells whether some thread holds the lock; a snapshot, for tests and monitoring.
     *
     * @return true if locked
     */
    boolean isLocked();
}
