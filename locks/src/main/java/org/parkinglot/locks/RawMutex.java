/*
 * Ported from parking_lot `src/raw_mutex.rs`.
 */
package org.parkinglot.locks;

import java.util.concurrent.locks.Lock;

/**
 * A compact mutual-exclusion lock: one {@code int} of state (16 bytes per instance, also after
 * contention), waiters queued in the global {@link org.parkinglot.core.ParkingLot}. Not reentrant, and
 * it does not track its owner: any thread may unlock it.
 *
 * <p>Usage, as with any {@link Lock}:
 * <pre>{@code
 * RawMutex mutex = new RawMutex();
 * mutex.lock();
 * try {
 *     // ... guarded work
 * } finally {
 *     mutex.unlock();
 * }
 * }</pre>
 *
 * <h2>Fairness</h2>
 * Unfair by default, with eventual fairness: an unlock with waiters normally releases the lock and
 * wakes one waiter, which competes with arriving threads (barging keeps throughput high); but when the
 * key's bucket's fair timeout has expired (a random point 0-1 ms after the previous fair unlock, so on
 * average every 0.5 ms) the unlock hands the lock directly to the longest-waiting thread. While the
 * waiter last woken is still on its way to the lock, unlocks leave the next wake-up to it; if it stays
 * away (descheduled) for more than 1 ms and the timer has fired, an unlock hands the lock to the
 * longest-waiting thread instead (unlocks check this on a random one in 256, so the check costs the
 * fast path about a nanosecond). {@link #unlockFair()} hands over on demand; {@link RawFairMutex}
 * always does.
 *
 * <h2>Memory synchronization</h2>
 * A successful lock operation has the same memory effects as a successful {@code Lock} operation of
 * {@link Lock}: everything a thread did before unlocking happens-before everything the next thread
 * to lock it does after locking.
 *
 * @see RawFairMutex
 * @see ReentrantMutex
 */
public final class RawMutex extends RawMutexBase {

    /*
     * Implementation notes.
     *
     * The state word and algorithm are MutexAlgorithm's (state table there); this class adds only the
     * one-CAS fast paths, each a CAS from the word just read, so that a free lock whose word still
     * carries PARKED and WOKEN (a woken waiter in flight: see MutexAlgorithm, "The WOKEN bit") costs
     * no more: lock = weak CAS s -> s | LOCKED when LOCKED is clear (acquire), unlock = weak CAS
     * s -> s & ~LOCKED when no wake-up is due (MutexAlgorithm.releasesWithoutWake; release).
     * Waiters park under the key (this, 0). Ported from parking_lot's raw_mutex.rs; eventual fairness
     * from the parking lot's per-bucket fair timeout.
     */

    /** Creates an unlocked mutex. */
    public RawMutex() {
    }

    /**
     * Releases the lock. If threads are parked waiting, wakes the longest-waiting one; usually it
     * competes for the lock with arriving threads, but if the fair timeout has expired the lock is
     * handed to it directly (see the class documentation). Any thread may release the lock.
     *
     * @throws IllegalMonitorStateException if the lock is not held (the state is left unchanged)
     */
    @Override
    public void unlock() {
        if (OwnerTracking.ENABLED) { // deadlock finder: before the release (see OwnerTracking)
            OwnerTracking.exclusiveReleased(this);
        }
        int s = state;
        if (!MutexAlgorithm.releasesWithoutWake(s) || !STATE.weakCompareAndSetRelease(this, s, s & ~MutexAlgorithm.LOCKED)) {
            ALGORITHM.unlock(this, 0L, false);
        }
    }
}
