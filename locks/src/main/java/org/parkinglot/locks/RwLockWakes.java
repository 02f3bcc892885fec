/*
 * Ported from parking_lot `src/raw_rwlock.rs` (the filter and callback closures of wake_parked_threads,
 * unlock_exclusive_slow, unlock_upgradable_slow, downgrade_slow and unlock_shared_slow).
 */
package org.parkinglot.locks;

import static org.parkinglot.locks.RawRwLock.ACQUIRE_LANE;
import static org.parkinglot.locks.RawRwLock.DRAIN_LANE;
import static org.parkinglot.locks.RawRwLock.ONE_READER;
import static org.parkinglot.locks.RawRwLock.PARKED;
import static org.parkinglot.locks.RawRwLock.READERS_MASK;
import static org.parkinglot.locks.RawRwLock.READER_SHIFT;
import static org.parkinglot.locks.RawRwLock.TOKEN_HANDOFF;
import static org.parkinglot.locks.RawRwLock.TOKEN_NORMAL;
import static org.parkinglot.locks.RawRwLock.TOKEN_WOKEN;
import static org.parkinglot.locks.RawRwLock.UPGRADABLE;
import static org.parkinglot.locks.RawRwLock.WOKEN;
import static org.parkinglot.locks.RawRwLock.WRITER;
import static org.parkinglot.locks.RawRwLock.WRITER_PARKED;

import org.parkinglot.core.FilterOp;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.core.UnparkResult;

/**
 * The waking side of {@link RawRwLock}: the slow paths of its unlocks and downgrades, and their unpark
 * callbacks, which decide which queued threads a release wakes and what state it hands them. Lane 0's
 * wakes ({@link Wake} and its kinds) pick every queued reader plus at most one writer or upgradable
 * reader, summing their park tokens into the state they will own; lane 1's ({@link LastReaderWake})
 * wakes the writer waiting for the last reader. One object per waking unlock: the parking lot's unpark
 * callbacks receive no key. Named classes, not lambdas (see {@link RwLockWaits}). The woken successor
 * (WOKEN) these wakes name is MutexAlgorithm's protocol: see MutexAlgorithm, "The WOKEN bit".
 */
final class RwLockWakes {

    private RwLockWakes() {
    }

    /** The last reader leaves while the writer sleeps on lane 1: wake it. */
    static void unlockSharedSlow(RwLockAlgorithm alg, Object lock) {
        ParkingLot.unparkOne(lock, DRAIN_LANE, new LastReaderWake(alg, lock));
    }

    /** The slow path of an exclusive unlock: wakes lane 0's batch, or releases plainly (see wakeNeeded). */
    static void unlockExclusiveSlow(RwLockAlgorithm alg, Object lock, boolean forceFair) {
        boolean fair = forceFair || overdueWhileWoken(alg, lock);
        int s = alg.state(lock);
        for (;;) {
            int wake = wakeNeeded(s, fair);
            if (wake != NO_WAKE) {
                new ExclusiveRelease(alg, lock, wake == WAKE_FAIR).wakeFrom(0);
                return;
            }
            // Nobody queued, or (unfair) the woken successor is still in flight: a plain release.
            int witness = alg.compareAndExchangeStateRelease(lock, s, s & ~WRITER);
            if (witness == s) {
                return;
            }
            s = witness;
        }
    }

    /** The slow path of an upgradable unlock: wakes lane 0's batch, or releases plainly (see wakeNeeded). */
    static void unlockUpgradableSlow(RwLockAlgorithm alg, Object lock, boolean forceFair) {
        boolean fair = forceFair || overdueWhileWoken(alg, lock);
        int s = alg.state(lock);
        for (;;) {
            int wake = wakeNeeded(s, fair);
            if (wake != NO_WAKE) {
                new UpgradableRelease(alg, lock, wake == WAKE_FAIR).wakeFrom(0);
                return;
            }
            int witness = alg.compareAndExchangeStateRelease(lock, s, s - (ONE_READER | UPGRADABLE));
            if (witness == s) {
                return;
            }
            s = witness;
        }
    }

    /** wakeNeeded: a plain release is the whole unlock. */
    private static final int NO_WAKE = 0;
    /** wakeNeeded: wake the queue's batch; it competes with arriving threads unless the fair timer fired. */
    private static final int WAKE = 1;
    /** wakeNeeded: wake the queue's batch and hand it the lock. */
    private static final int WAKE_FAIR = 2;

    /**
     * How an exclusive or upgradable unlock of a word in state {@code s} releases: plainly when nobody
     * is queued, or (unfair) when a woken successor is already in flight; else it wakes the queue's
     * batch, handing it the lock if {@code forceFair} (otherwise the fair timer decides, under the
     * bucket lock). While WOKEN is set, the caller has already asked overdueWhileWoken and passes
     * its answer in {@code forceFair}.
     */
    private static int wakeNeeded(int s, boolean forceFair) {
        if ((s & PARKED) == 0) {
            return NO_WAKE;
        }
        if (forceFair) {
            return WAKE_FAIR;
        }
        return (s & WOKEN) == 0 ? WAKE : NO_WAKE;
    }

    /**
     * Whether an unfair exclusive or upgradable unlock of a word in state {@code s} may release with one
     * CAS, as MutexAlgorithm.releasesWithoutWake decides for the mutexes: nobody is parked, or a woken
     * successor is in flight and this unlock is not the one in {@link MutexAlgorithm#FAIRNESS_CHECK_ODDS}
     * drawn to ask whether lane 0 is overdue for a fair hand-off (the slow paths here ask).
     *
     * @param s a value of the word
     * @return {@code true} if a release CAS is the whole unlock
     */
    static boolean releasesWithoutWake(int s) {
        return (s & PARKED) == 0 || ((s & WOKEN) != 0 && !MutexAlgorithm.fairnessCheckDrawn());
    }

    /**
     * For an unfair exclusive or upgradable unlock in its slow path: whether it would skip the wake-up
     * (PARKED and WOKEN set: a woken successor in flight) and lane 0 is overdue for a fair hand-off, in
     * which case it hands over instead, as MutexAlgorithm's unlock does (see its "Eventual fairness
     * while WOKEN is set"). Asked once per slow unlock, before its CAS loop.
     */
    private static boolean overdueWhileWoken(RwLockAlgorithm alg, Object lock) {
        return (alg.state(lock) & (PARKED | WOKEN)) == (PARKED | WOKEN)
                && ParkingLot.fairnessOverdue(lock, ACQUIRE_LANE, MutexAlgorithm.WOKEN_AWAY_NANOS);
    }

    /** After a downgrade that saw PARKED: wakes the readers (and an upgrader) the downgrade lets in. */
    static void downgradeSlow(RwLockAlgorithm alg, Object lock, int newState) {
        new ClearParkedWhenEmpty(alg, lock).wakeFrom(newState);
    }

    /** The unpark callback of the last reader's unlock, waking the writer on lane 1: clears WRITER_PARKED. */
    static final class LastReaderWake implements ParkingLot.UnparkCallback {
        private final RwLockAlgorithm alg;
        private final Object lock;

        LastReaderWake(RwLockAlgorithm alg, Object lock) {
            this.alg = alg;
            this.lock = lock;
        }

        @Override
        public long onUnpark(UnparkResult result) {
            alg.clearBitsRelease(lock, WRITER_PARKED); // under lane 1's bucket lock
            return TOKEN_NORMAL;
        }
    }

    /**
     * A wake of lane 0 ({@link #wakeFrom}): the token filter that picks every queued reader
     * plus at most one writer or upgradable reader, summing their park tokens, and the unpark callback
     * that hands the sum to {@link #onWake}. One instance per wake; used under one bucket lock only.
     */
    abstract static class Wake implements ParkingLot.ParkTokenFilter, ParkingLot.UnparkCallback {
        /** The storage of the lock's word. */
        final RwLockAlgorithm alg;
        /** The object holding the word: the key of the lock's queues. */
        final Object lock;
        /** The state the woken threads will own: the starting state plus each woken thread's token. */
        private int sum;

        Wake(RwLockAlgorithm alg, Object lock) {
            this.alg = alg;
            this.lock = lock;
        }

        /**
         * Wakes, from lane 0, every queued reader plus at most one writer or upgradable reader (a writer
         * ends the scan; a second upgrader or writer is skipped), starting from {@code newState} and
         * adding each woken thread's park token, then calls {@link #onWake} with the sum under the
         * bucket lock.
         *
         * @param newState the state the woken threads start from (the caller's part of the hand-over)
         */
        final void wakeFrom(int newState) {
            sum = newState;
            ParkingLot.unparkFilter(lock, ACQUIRE_LANE, this, this);
        }

        @Override
        public final FilterOp filter(long token) {
            int s = sum;
            if ((s & WRITER) != 0) {
                return FilterOp.STOP;
            }
            if ((token & (UPGRADABLE | WRITER)) != 0 && (s & UPGRADABLE) != 0) {
                return FilterOp.SKIP;
            }
            sum = s + (int) token;
            return FilterOp.UNPARK;
        }

        @Override
        public final long onUnpark(UnparkResult result) {
            return onWake(sum, result);
        }

        /**
         * Under lane 0's bucket lock: updates the state for the wake and chooses the token.
         *
         * @param newState the summed state of the woken threads
         * @param r        what the wake is about to do
         * @return the token for the woken threads
         */
        abstract long onWake(int newState, UnparkResult r);
    }

    /** A wake that only clears PARKED when it empties the queue (downgrades, a writer giving up). */
    static final class ClearParkedWhenEmpty extends Wake {
        ClearParkedWhenEmpty(RwLockAlgorithm alg, Object lock) {
            super(alg, lock);
        }

        @Override
        long onWake(int newState, UnparkResult r) {
            if (!r.haveMoreThreads()) {
                alg.clearBitsRelease(lock, PARKED);
            }
            return TOKEN_NORMAL;
        }
    }

    /** The wake of an exclusive unlock: hand over (fair) or release, naming a woken writer the successor. */
    static final class ExclusiveRelease extends Wake {
        private final boolean forceFair;

        ExclusiveRelease(RwLockAlgorithm alg, Object lock, boolean forceFair) {
            super(alg, lock);
            this.forceFair = forceFair;
        }

        @Override
        long onWake(int newState, UnparkResult r) {
            // Under lane 0's bucket lock; we hold WRITER, so the other threads change the word only by
            // setting PARKED or clearing WOKEN with a CAS that expects WRITER set, and a parker's
            // validate runs under this same lock, after this store: plain release stores are safe.
            if (r.unparkedThreads() != 0 && (forceFair || r.beFair())) {
                alg.setStateRelease(lock, r.haveMoreThreads() ? newState | PARKED : newState);
                return TOKEN_HANDOFF;
            }
            int next = r.haveMoreThreads() ? PARKED : 0;
            if ((newState & (WRITER | UPGRADABLE)) != 0) {
                alg.setStateRelease(lock, next | WOKEN); // the batch's writer or upgrader is the successor
                return TOKEN_WOKEN;
            }
            alg.setStateRelease(lock, next);
            return TOKEN_NORMAL;
        }
    }

    /** The wake of an upgradable unlock: hand over (fair) or release, naming a woken writer the successor. */
    static final class UpgradableRelease extends Wake {
        private final boolean forceFair;

        UpgradableRelease(RwLockAlgorithm alg, Object lock, boolean forceFair) {
            super(alg, lock);
            this.forceFair = forceFair;
        }

        @Override
        long onWake(int newState, UnparkResult r) {
            // Readers may come and go concurrently (CAS on the count), so CAS loops here.
            int cur = alg.state(lock);
            if (r.unparkedThreads() != 0 && (forceFair || r.beFair())) {
                for (;;) {
                    int released = cur - (ONE_READER | UPGRADABLE);
                    long readers = (long) ((released & READERS_MASK) >>> READER_SHIFT)
                            + ((newState & READERS_MASK) >>> READER_SHIFT);
                    if (readers > (READERS_MASK >>> READER_SHIFT)) {
                        break; // the hand-over would overflow the reader count: release normally
                    }
                    int next = released + newState;
                    next = r.haveMoreThreads() ? next | PARKED : next & ~PARKED;
                    int witness = alg.compareAndExchangeStateRelease(lock, cur, next);
                    if (witness == cur) {
                        return TOKEN_HANDOFF;
                    }
                    cur = witness;
                }
            }
            boolean successor = r.unparkedThreads() != 0 && (newState & (WRITER | UPGRADABLE)) != 0;
            for (;;) {
                int next = cur - (ONE_READER | UPGRADABLE);
                next = r.haveMoreThreads() ? next | PARKED : next & ~PARKED;
                if (successor) {
                    next |= WOKEN; // the batch's writer or upgrader is the woken successor
                }
                int witness = alg.compareAndExchangeStateRelease(lock, cur, next);
                if (witness == cur) {
                    return successor ? TOKEN_WOKEN : TOKEN_NORMAL;
                }
                cur = witness;
            }
        }
    }
}
