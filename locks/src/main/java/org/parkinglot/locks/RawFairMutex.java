/*
 * Ported from parking_lot `src/raw_fair_mutex.rs`.
 */
package org.parkinglot.locks;

/**
 * A {@link RawMutex} whose every unlock is fair: if a thread is parked waiting, the lock is handed
 * directly to the longest-waiting one, so waiters acquire in FIFO order (a thread arriving while the
 * lock is free and nobody waits still takes it at once, and {@link #tryLock()} barges, as with a fair
 * {@link java.util.concurrent.locks.ReentrantLock}). Fairness costs throughput: every contended hand-off
 * waits for the woken thread to run. 16 bytes per instance.
 *
 * <h2>Memory synchronization</h2>
 * As {@link java.util.concurrent.locks.Lock}: an unlock happens-before the next successful lock.
 */
public final class RawFairMutex extends RawMutexBase {

    /*
     * Implementation notes: RawMutex with unlock() = unlockFair(); same state word and key (this, 0).
     */

    /** Creates an unlocked mutex. */
    public RawFairMutex() {
    }

    /**
     * Releases the lock, handing it to the longest-waiting parked thread if there is one.
     *
     * @throws IllegalMonitorStateException if the lock is not held (the state is left unchanged)
     */
    @Override
    public void unlock() {
        unlockFair();
    }
}
