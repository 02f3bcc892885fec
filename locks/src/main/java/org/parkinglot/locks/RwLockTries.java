package org.parkinglot.locks;

import static org.parkinglot.locks.MutexAlgorithm.ACQUIRED;
import static org.parkinglot.locks.MutexAlgorithm.INTERRUPTED;
import static org.parkinglot.locks.RawRwLock.ONE_READER;
import static org.parkinglot.locks.RawRwLock.READERS_MASK;
import static org.parkinglot.locks.RawRwLock.UPGRADABLE;
import static org.parkinglot.locks.RawRwLock.WOKEN;
import static org.parkinglot.locks.RawRwLock.WRITER;

import org.parkinglot.core.SpinWait;
import org.parkinglot.core.internal.Timeouts;

/**
 * The try steps of {@link RawRwLock}'s slow paths: one attempt at each mode, used by the try methods and
 * as {@link RwLockWaits#lockCommon}'s step before each park. They change nothing but the state word, with
 * acquire CASes (see RawRwLock's notes for the state and the orderings). Also the state checks of
 * RawRwLock's unlocks, upgrades and downgrades, and its conversions of a wait's result.
 */
final class RwLockTries {

    private RwLockTries() {
    }

    /** A try-lock step of lockCommon; updates nothing but the state word. */
    @FunctionalInterface
    interface TryLock {
        /**
         * @param clearWoken whether the acquiring CAS must also clear WOKEN (the woken successor)
         * @return true if acquired; false to park
         */
        boolean tryLock(RwLockAlgorithm alg, Object lock, boolean clearWoken);
    }

    /** A reader's step (readers are never the woken successor: they ignore clearWoken). */
    static final TryLock SHARED = (alg, lock, clearWoken) -> tryLockShared(alg, lock, false);
    /** A recursive reader's step: it enters even past a waiting writer if readers are inside. */
    static final TryLock SHARED_RECURSIVE = (alg, lock, clearWoken) -> tryLockShared(alg, lock, true);
    /** An upgradable reader's step. */
    static final TryLock UPGRADABLE_READER = RwLockTries::tryLockUpgradable;
    /** A writer's first step: claim WRITER. */
    static final TryLock EXCLUSIVE_CLAIM = RwLockTries::tryClaimWriter;

    /**
     * One attempt at a shared lock (the try methods, and lockCommon's try step): CAS loop, with a short
     * back-off while other threads keep changing the word; fails only when a writer blocks readers.
     */
    static boolean tryLockShared(RwLockAlgorithm alg, Object lock, boolean recursive) {
        SpinWait backoff = null;
        int s = alg.state(lock);
        for (;;) {
            if ((s & WRITER) != 0 && (!recursive || (s & READERS_MASK) == 0)) {
                return false;
            }
            checkReaderOverflow(s);
            if (alg.weakCasStateAcquire(lock, s, s + ONE_READER)) {
                return true;
            }
            if (backoff == null) {
                backoff = new SpinWait();
            }
            backoff.spinNoYield();
            s = alg.state(lock);
        }
    }

    /** One attempt at the upgradable lock, as {@link #tryLockShared}; {@code clearWoken}: the CAS also clears WOKEN. */
    static boolean tryLockUpgradable(RwLockAlgorithm alg, Object lock, boolean clearWoken) {
        SpinWait backoff = null;
        int s = alg.state(lock);
        for (;;) {
            if ((s & (WRITER | UPGRADABLE)) != 0) {
                return false;
            }
            checkReaderOverflow(s);
            int update = s + (ONE_READER | UPGRADABLE);
            if (alg.weakCasStateAcquire(lock, s, clearWoken ? update & ~WOKEN : update)) {
                return true;
            }
            if (backoff == null) {
                backoff = new SpinWait();
            }
            backoff.spinNoYield();
            s = alg.state(lock);
        }
    }

    /**
     * Step one of exclusive acquisition: take WRITER while no writer or upgradable reader holds it;
     * {@code clearWoken}: the CAS also clears WOKEN.
     */
    static boolean tryClaimWriter(RwLockAlgorithm alg, Object lock, boolean clearWoken) {
        int s = alg.state(lock);
        for (;;) {
            if ((s & (WRITER | UPGRADABLE)) != 0) {
                return false;
            }
            int witness = alg.compareAndExchangeStateAcquire(lock, s, clearWoken ? (s | WRITER) & ~WOKEN : s | WRITER);
            if (witness == s) {
                return true;
            }
            s = witness;
        }
    }

    // =============================================================================================
    // the state checks and result conversions of RawRwLock's methods (moved here to keep RawRwLock.java
    // under 40 KiB)

    /** Throws IllegalMonitorStateException unless {@code s} shows the exclusive lock held. */
    static void checkExclusive(int s) {
        if ((s & WRITER) == 0 || (s & READERS_MASK) != 0) {
            throw new IllegalMonitorStateException("exclusive lock is not held");
        }
    }

    /** Throws IllegalMonitorStateException unless {@code s} shows the upgradable lock held. */
    static void checkUpgradable(int s) {
        if ((s & UPGRADABLE) == 0 || (s & WRITER) != 0) {
            throw new IllegalMonitorStateException("upgradable lock is not held");
        }
    }

    /** Throws Error if one more reader would overflow the reader count of {@code s}. */
    static void checkReaderOverflow(int s) {
        if ((s & READERS_MASK) == READERS_MASK) {
            throw new Error("Maximum lock count exceeded");
        }
    }

    /** The result of a timed, interruptible acquisition: acquired or not, or InterruptedException. */
    static boolean timedResult(int r) throws InterruptedException {
        throwIfInterrupted(r);
        return r == ACQUIRED;
    }

    /** Throws InterruptedException (clearing the status) if an interruptible acquisition was interrupted. */
    static void throwIfInterrupted(int r) throws InterruptedException {
        if (r == INTERRUPTED) {
            throw Timeouts.clearInterrupt();
        }
    }
}
