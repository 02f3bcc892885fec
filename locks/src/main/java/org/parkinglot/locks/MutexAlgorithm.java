/*
 * Ported from parking_lot `src/raw_mutex.rs` (lock_slow, unlock_slow, mark_parked*), and shaped after
 * WebKit `WTF/wtf/LockAlgorithm.h`, which projects one lock onto any atomic field.
 */
package org.parkinglot.locks;

import org.parkinglot.core.ParkResult;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.core.SpinWait;
import org.parkinglot.core.UnparkResult;

/**
 * The mutex protocol of parking_lot's {@code RawMutex}, separated from where its two bits live. A
 * subclass supplies the atomic accesses to one {@code int} word of a holder object (a field of a lock,
 * a field of a user's object, an element of an array); the algorithm touches only {@link #LOCKED} and
 * {@link #PARKED} and preserves every other bit of the word. Waiters park under the key
 * (holder, index).
 *
 * <p>Subclasses must be final and held in {@code static final} fields, so that the JIT sees one
 * concrete class per call site and inlines the accesses.
 */
abstract class MutexAlgorithm {

    /*
     * Implementation notes.
     *
     * State bits (the low two bits of the word):
     *
     *   PARKED LOCKED
     *     0      0     free, no waiters
     *     0      1     held, no waiters
     *     1      0     free; a thread is parked or about to park, and either a parked thread is
     *                  about to be woken or a parker may give up (timeout)
     *     1      1     held, with waiters; PARKED is cleared only under the key's bucket lock
     *                  (inside a parking lot callback), so no thread is ever parked with PARKED clear
     *
     * lockSlow: barge whenever LOCKED is clear; spin (bounded) only while no thread is parked; else
     * set PARKED and park with validate "LOCKED and PARKED both set" (under the bucket lock, so an
     * unlocker that clears them must do so under the same lock: no lost wake-up). A HANDOFF token
     * means the unlocker kept LOCKED set for us: we own the lock.
     *
     * unlockSlow: unparkOne; under the bucket lock the callback either hands the lock over (fair:
     * forced, or the bucket's fair timeout expired) keeping LOCKED, or releases it, leaving PARKED set
     * iff threads remain queued. Called with nobody queued (a waiter timed out meanwhile), it clears
     * both bits.
     *
     * Orderings. Acquisition is an acquire CAS; release is a release CAS or a release RMW inside the
     * unpark callback. A handed-over lock is never free: the woken thread's acquire of the parker
     * state (ParkingLot: release in unparkLock, acquire when the park ends) orders everything the
     * previous owner did before it. PARKED changes use volatile RMWs; their ordering does not matter
     * for mutual exclusion: PARKED only steers who takes the slow path, and every decision based on it
     * is re-validated under the bucket lock.
     *
     * Exceptions: the callbacks here do not throw. OutOfMemoryError while parking (allocating the
     * wait node or callbacks) propagates with the PARKED bit possibly set and nobody queued: that is
     * the "about to park" state, resolved by the next unlock's slow path.
     */

    /** The lock is held. */
    static final int LOCKED = 1;
    /** A thread is parked (or about to park) on the key; cleared only under the key's bucket lock while LOCKED is set. */
    static final int PARKED = 2;
    /** Both mutex bits. */
    static final int MUTEX_BITS = LOCKED | PARKED;

    /** Unpark token: the lock was released; the woken thread competes for it again. */
    static final long TOKEN_NORMAL = 0L;
    /** Unpark token: the lock was handed over; the woken thread owns it. */
    static final long TOKEN_HANDOFF = 1L;

    /** lockSlow result: the lock was acquired. */
    static final int ACQUIRED = 0;
    /** lockSlow result: the timeout elapsed. */
    static final int TIMED_OUT = 1;
    /** lockSlow result: the thread was interrupted (interrupt status still set). */
    static final int INTERRUPTED = 2;

    // ---------------------------------------------------------------------------------------------
    // storage

    /**
     * Volatile read of the word.
     *
     * @param holder the object holding the word
     * @param index  which word of the holder (0 for a field)
     * @return the word
     */
    abstract int load(Object holder, long index);

    /**
     * Weak CAS with acquire semantics (may fail spuriously).
     *
     * @return whether the word was {@code expect} and is now {@code update}
     */
    abstract boolean weakCasAcquire(Object holder, long index, int expect, int update);

    /**
     * Strong CAS with release semantics.
     *
     * @return whether the word was {@code expect} and is now {@code update}
     */
    abstract boolean casRelease(Object holder, long index, int expect, int update);

    /**
     * Volatile CAS (acquire and release).
     *
     * @return whether the word was {@code expect} and is now {@code update}
     */
    abstract boolean cas(Object holder, long index, int expect, int update);

    /**
     * Atomically clears the bits of {@code mask} that are zero, with release semantics.
     *
     * @return the previous word
     */
    abstract int getAndBitwiseAndRelease(Object holder, long index, int mask);

    /**
     * Atomically sets {@code bits} (volatile).
     *
     * @return the previous word
     */
    abstract int getAndBitwiseOr(Object holder, long index, int bits);

    // ---------------------------------------------------------------------------------------------
    // operations

    /**
     * One attempt to take the lock, barging even if threads are parked.
     *
     * @return {@code true} if acquired
     */
    final boolean tryLock(Object holder, long index) {
        int s = load(holder, index);
        while ((s & LOCKED) == 0) {
            if (weakCasAcquire(holder, index, s, s | LOCKED)) {
                return true;
            }
            s = load(holder, index);
        }
        return false;
    }

    /**
     * Whether the lock is held; a snapshot.
     *
     * @return {@code true} if LOCKED is set
     */
    final boolean isLocked(Object holder, long index) {
        return (load(holder, index) & LOCKED) != 0;
    }

    /**
     * The slow path of acquisition.
     *
     * @param timeoutNanos  the most to wait ({@link ParkingLot#FOREVER}: no limit)
     * @param interruptible whether an interrupt ends the wait
     * @return {@link #ACQUIRED}, {@link #TIMED_OUT} or {@link #INTERRUPTED}
     */
    final int lockSlow(Object holder, long index, long timeoutNanos, boolean interruptible) {
        boolean timed = timeoutNanos != ParkingLot.FOREVER;
        long deadline = timed ? System.nanoTime() + timeoutNanos : 0L; // compared by subtraction: wraps safely
        SpinWait spinWait = new SpinWait();
        int s = load(holder, index);
        for (;;) {
            // Grab the lock if it is free, even if there is a queue.
            if ((s & LOCKED) == 0) {
                if (weakCasAcquire(holder, index, s, s | LOCKED)) {
                    return ACQUIRED;
                }
                s = load(holder, index);
                continue;
            }
            // Spin a little while nobody is parked: the holder may release soon.
            if ((s & PARKED) == 0 && spinWait.spin()) {
                s = load(holder, index);
                continue;
            }
            // Announce that we are about to park.
            if ((s & PARKED) == 0) {
                if (!cas(holder, index, s, s | PARKED)) {
                    s = load(holder, index);
                    continue;
                }
            }
            long remaining = timed ? deadline - System.nanoTime() : ParkingLot.FOREVER;
            ParkResult result = ParkingLot.park(holder, index,
                    () -> (load(holder, index) & MUTEX_BITS) == MUTEX_BITS,
                    NO_OP,
                    (key, lane, wasLastThread) -> {
                        // Under the bucket lock: the last waiter leaving clears PARKED (the state
                        // "locked, no waiters" would otherwise cost every unlock a slow path).
                        if (wasLastThread) {
                            getAndBitwiseAndRelease(holder, index, ~PARKED);
                        }
                    },
                    ParkingLot.DEFAULT_PARK_TOKEN, remaining, interruptible);
            switch (result.kind()) {
                case UNPARKED -> {
                    if (result.unparkToken() == TOKEN_HANDOFF) {
                        return ACQUIRED; // the unlocker kept LOCKED set for us
                    }
                }
                case TIMED_OUT -> {
                    return TIMED_OUT;
                }
                case INTERRUPTED -> {
                    return INTERRUPTED;
                }
                case INVALID -> { }
            }
            spinWait.reset();
            s = load(holder, index);
        }
    }

    /**
     * The slow path of release: wakes one waiter, handing the lock over if {@code forceFair} or the
     * bucket's fair timeout says so. The caller holds the lock.
     */
    final void unlockSlow(Object holder, long index, boolean forceFair) {
        ParkingLot.unparkOne(holder, index, result -> unparkCallback(holder, index, forceFair, result));
    }

    /** Under the bucket lock: decides between handing over and releasing. */
    private long unparkCallback(Object holder, long index, boolean forceFair, UnparkResult result) {
        if (result.unparkedThreads() != 0 && (forceFair || result.beFair())) {
            // Hand over: LOCKED stays set; the woken thread owns the lock when its park returns.
            if (!result.haveMoreThreads()) {
                getAndBitwiseAndRelease(holder, index, ~PARKED);
            }
            return TOKEN_HANDOFF;
        }
        // Release; PARKED stays set iff threads remain queued.
        getAndBitwiseAndRelease(holder, index, result.haveMoreThreads() ? ~LOCKED : ~MUTEX_BITS);
        return TOKEN_NORMAL;
    }

    /**
     * Release: a release CAS from exactly LOCKED (other bits kept) when nobody is parked, else the slow
     * path.
     *
     * @throws IllegalMonitorStateException if the lock is not held (state unchanged)
     */
    final void unlock(Object holder, long index, boolean fair) {
        int s = load(holder, index);
        for (;;) {
            if ((s & LOCKED) == 0) {
                throw new IllegalMonitorStateException("mutex is not locked");
            }
            if ((s & PARKED) != 0) {
                unlockSlow(holder, index, fair);
                return;
            }
            if (casRelease(holder, index, s, s & ~LOCKED)) {
                return;
            }
            s = load(holder, index);
        }
    }

    /**
     * Lets a waiting thread in if there is one (fair unlock), then re-acquires. The caller holds the lock.
     */
    final void bump(Object holder, long index) {
        if ((load(holder, index) & PARKED) != 0) {
            unlockSlow(holder, index, true);
            if (!tryLock(holder, index)) {
                lockSlow(holder, index, ParkingLot.FOREVER, false);
            }
        }
    }

    /**
     * For condition variables, under the condvar's bucket lock: sets PARKED if the lock is held, so the
     * holder's unlock will wake a waiter requeued onto this mutex.
     *
     * @return whether the lock was held (and PARKED is now set)
     */
    final boolean markParkedIfLocked(Object holder, long index) {
        int s = load(holder, index);
        for (;;) {
            if ((s & LOCKED) == 0) {
                return false;
            }
            if ((s & PARKED) != 0 || cas(holder, index, s, s | PARKED)) {
                return true;
            }
            s = load(holder, index);
        }
    }

    /** For condition variables, under the condvar's bucket lock: sets PARKED unconditionally. */
    final void markParked(Object holder, long index) {
        getAndBitwiseOr(holder, index, PARKED);
    }

    private static final Runnable NO_OP = () -> { };
}
