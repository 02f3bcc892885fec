/*
 * Ported from parking_lot `src/raw_rwlock.rs` (lock_common, wait_for_readers and their validate and
 * timed-out closures).
 */
package org.parkinglot.locks;

import static org.parkinglot.locks.MutexAlgorithm.ACQUIRED;
import static org.parkinglot.locks.MutexAlgorithm.INTERRUPTED;
import static org.parkinglot.locks.MutexAlgorithm.TIMED_OUT;
import static org.parkinglot.locks.RawRwLock.ACQUIRE_LANE;
import static org.parkinglot.locks.RawRwLock.DRAIN_LANE;
import static org.parkinglot.locks.RawRwLock.PARKED;
import static org.parkinglot.locks.RawRwLock.READERS_MASK;
import static org.parkinglot.locks.RawRwLock.TOKEN_EXCLUSIVE;
import static org.parkinglot.locks.RawRwLock.TOKEN_HANDOFF;
import static org.parkinglot.locks.RawRwLock.TOKEN_SHARED;
import static org.parkinglot.locks.RawRwLock.TOKEN_WOKEN;
import static org.parkinglot.locks.RawRwLock.UPGRADABLE;
import static org.parkinglot.locks.RawRwLock.WOKEN;
import static org.parkinglot.locks.RawRwLock.WRITER;
import static org.parkinglot.locks.RawRwLock.WRITER_PARKED;

import java.lang.invoke.VarHandle;
import org.parkinglot.core.ParkResult;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.core.internal.Timeouts;

/**
 * The waiting side of {@link RawRwLock}: the slow paths that park (lockCommon on lane 0, where threads
 * wait to acquire; waitForReaders on lane 1, where the WRITER owner waits for the readers to leave)
 * and their park callbacks. The callbacks are shared objects that find the lock through the key, so
 * a park allocates nothing here; they are named classes, not lambdas: linking a lambda call site the
 * first time it runs took milliseconds on the 2-core test machine, paid while threads waited (see
 * MutexAlgorithm.Parking). The state word, the queues and the orderings are described in RawRwLock's
 * implementation notes.
 *
 * <p>Allocation: a park allocates only the parking lot's wait node: the park callbacks (LaneZeroWait,
 * ReaderDrainWait) are shared objects that find the lock through the key. A waking unlock allocates
 * its Wake (the filter sums the woken threads' park tokens into the state it hands over, per call)
 * or LastReaderWake, because the parking lot's unpark callbacks receive no key.
 */
final class RwLockWaits {

    private RwLockWaits() {
    }

    // The JFR-recording entry points of RawRwLock's slow paths (moved here to keep RawRwLock.java under 40 KiB).

    /** Both waits of a write acquisition, for the writer bit and for readers, as one JFR record. */
    static int lockExclusiveSlow(RawRwLock lock, boolean timed, long deadline, boolean interruptible, boolean woken) {
        Object wait = LockEvents.start(LockEvents.EXCLUSIVE); // JFR: null unless an event is enabled
        int r = lockCommon(RawRwLock.ALGORITHM, lock, timed, deadline, interruptible, TOKEN_EXCLUSIVE,
                RwLockTries.EXCLUSIVE_CLAIM, WRITER | UPGRADABLE, woken, wait);
        if (r == ACQUIRED) {
            if (OwnerTracking.ENABLED) { // the WRITER claim (also a handed-over one), before waiting for readers
                OwnerTracking.exclusiveAcquired(lock);
            }
            r = waitForReaders(RawRwLock.ALGORITHM, lock, timed, deadline, interruptible, 0, wait);
            if (OwnerTracking.ENABLED && r != ACQUIRED) { // the claim was given back
                OwnerTracking.exclusiveReleased(lock);
            }
        }
        return LockEvents.end(wait, lock, ACQUIRE_LANE, r);
    }

    /** {@link RwLockWaits#lockCommon} for a shared or upgradable reader (never the woken successor). */
    static int lockCommon(RawRwLock lock, boolean timed, long deadline, boolean interruptible, long token,
                          RwLockTries.TryLock tryLock, int validateFlags) {
        Object wait = LockEvents.start(token == TOKEN_SHARED ? LockEvents.SHARED : LockEvents.UPGRADABLE); // JFR
        int r = lockCommon(RawRwLock.ALGORITHM, lock, timed, deadline, interruptible, token, tryLock, validateFlags, false,
                wait);
        return LockEvents.end(wait, lock, ACQUIRE_LANE, r);
    }

    /**
     * {@link RwLockWaits#waitForReaders}: the WRITER owner waits for the readers inside to leave (an
     * upgrade if {@code prevValue} is the upgradable hold, else a writer re-taking the lock for a condition).
     */
    static int waitForReaders(RawRwLock lock, boolean timed, long deadline, boolean interruptible, int prevValue) {
        Object wait = LockEvents.start(prevValue == 0 ? LockEvents.EXCLUSIVE : LockEvents.UPGRADE); // JFR
        int r = waitForReaders(RawRwLock.ALGORITHM, lock, timed, deadline, interruptible, prevValue, wait);
        return LockEvents.end(wait, lock, ACQUIRE_LANE, r);
    }

    /**
     * For the write view's conditions: re-takes the exclusive lock as the woken successor, after a
     * condvar waiter requeued onto lane 0 was woken there with {@link RawRwLock#TOKEN_WOKEN}.
     */
    static void lockExclusiveAsWoken(RawRwLock lock) {
        lockExclusiveSlow(lock, false, 0L, false, true);
    }

    /** Condvar support for the write view: after a hand-off we own WRITER; wait for readers to leave. */
    static void awaitReadersAfterHandoff(RawRwLock lock) {
        if (OwnerTracking.ENABLED) { // the handed-over WRITER claim, before waiting for readers
            OwnerTracking.exclusiveAcquired(lock);
        }
        waitForReaders(lock, false, 0L, false, 0);
    }

    /**
     * The shared slow path of every acquisition on lane 0: try, spin while nobody is parked, set
     * PARKED (with a CAS that sees one of {@code validateFlags} set, so the unlock that clears that bit
     * also sees PARKED), park while PARKED and one of {@code validateFlags} are set. A thread that may
     * be the woken successor ({@code woken}: a writer or upgradable reader woken with TOKEN_WOKEN)
     * clears WOKEN in the CAS that acquires, or in the one that announces it parks again. {@code wait}
     * is the caller's JFR record ({@link LockEvents}), or null.
     *
     * @return ACQUIRED, TIMED_OUT or INTERRUPTED (MutexAlgorithm's results)
     */
    static int lockCommon(RwLockAlgorithm alg, Object lock, boolean timed, long deadline, boolean interruptible,
                          long token, RwLockTries.TryLock tryLock, int validateFlags, boolean woken, Object wait) {
        int spins = 0;
        for (;;) {
            if (tryLock.tryLock(alg, lock, woken)) {
                return ACQUIRED;
            }
            int s = alg.state(lock);
            if ((s & validateFlags) == 0) {
                // Released since the try failed: try again. Setting PARKED here, on a word without the
                // bits we would wait for, would leave it set with nobody queued (parking_lot's CAS
                // expects the very word its failed try saw; ours re-reads, so it must check).
                continue;
            }
            if (((s & (PARKED | WRITER_PARKED)) == 0 || woken)
                    && MutexAlgorithm.backOff(spins++, woken ? MutexAlgorithm.WOKEN_SPIN_STEPS : MutexAlgorithm.SPIN_STEPS)) {
                continue;
            }
            int update = woken ? (s | PARKED) & ~WOKEN : s | PARKED;
            if (update != s && !alg.casState(lock, s, update)) {
                continue;
            }
            woken = false;
            LaneZeroWait callbacks = validateFlags == WRITER ? alg.waitForWriter : alg.waitForWriterOrUpgradable;
            LockEvents.beforePark(wait, lock);
            ParkResult result = ParkingLot.park(lock, ACQUIRE_LANE, callbacks, token,
                    Timeouts.remainingOrForever(timed, deadline), interruptible);
            LockEvents.afterPark(wait, lock, result);
            ParkResult.Kind kind = result.kind();
            if (kind == ParkResult.Kind.UNPARKED) {
                long unparkToken = result.unparkToken();
                if (unparkToken == TOKEN_HANDOFF) {
                    return ACQUIRED; // the unlocker added our token's delta to the state for us
                }
                // A batch's writer or upgradable reader is its woken successor; readers are not.
                woken = unparkToken == TOKEN_WOKEN && (token & (WRITER | UPGRADABLE)) != 0;
            } else if (kind == ParkResult.Kind.TIMED_OUT) {
                return TIMED_OUT;
            } else if (kind == ParkResult.Kind.INTERRUPTED) {
                return INTERRUPTED;
            } // INVALID: the state changed before we queued; try again
            spins = 0;
        }
    }

    /**
     * Back-off steps of a writer (or upgrader) that owns the writer claim and waits for the readers
     * inside to leave, before it parks on lane 1: none. Its claim already keeps new readers out, so
     * the wait ends when the readers inside finish their critical sections; with more threads than
     * cores, those readers may be waiting for the very core the writer would spin on. Zero lifted the
     * weakest benchmark cell and cost none outside the noise (figures: docs/measurements.md,
     * "Tuning history moved out of the javadoc").
     */
    static final int READER_DRAIN_SPIN_STEPS = 0;

    /**
     * The writer (or upgrader) owns WRITER; waits on lane 1 until the reader count drops to zero. On
     * timeout or interrupt, gives WRITER back (restoring {@code prevValue}, the upgradable hold for an
     * upgrade) and wakes threads that queued behind the claim. {@code wait}: the caller's JFR record, or null.
     */
    static int waitForReaders(RwLockAlgorithm alg, Object lock, boolean timed, long deadline, boolean interruptible,
                              int prevValue, Object wait) {
        int spins = 0;
        int s = alg.stateAcquire(lock); // acquire: orders the leaving readers' critical sections
        while ((s & READERS_MASK) != 0) {
            if (MutexAlgorithm.backOff(spins++, READER_DRAIN_SPIN_STEPS)) {
                s = alg.stateAcquire(lock);
                continue;
            }
            if ((s & WRITER_PARKED) == 0) {
                int witness = alg.compareAndExchangeState(lock, s, s | WRITER_PARKED);
                if (witness != s) {
                    s = witness;
                    continue;
                }
            }
            LockEvents.beforePark(wait, lock);
            ParkResult result = ParkingLot.park(lock, DRAIN_LANE, alg.readerDrain, TOKEN_EXCLUSIVE,
                    Timeouts.remainingOrForever(timed, deadline), interruptible);
            LockEvents.afterPark(wait, lock, result);
            ParkResult.Kind kind = result.kind();
            if (kind == ParkResult.Kind.UNPARKED || kind == ParkResult.Kind.INVALID) {
                // A writer timing out earlier may have let another reader in: check again.
                s = alg.stateAcquire(lock);
            } else { // TIMED_OUT or INTERRUPTED
                int old = alg.getAndAddStateRelease(lock, prevValue - WRITER);
                if ((old & PARKED) != 0) {
                    // Threads queued behind our claim: let them re-evaluate.
                    new RwLockWakes.ClearParkedWhenEmpty(alg, lock).wakeFrom(prevValue);
                }
                return kind == ParkResult.Kind.TIMED_OUT ? TIMED_OUT : INTERRUPTED;
            }
        }
        VarHandle.storeStoreFence(); // we own the lock exclusively: WRITER before our writes (RwLockVersion)
        return ACQUIRED;
    }

    /**
     * Park validate and timed-out callback of a thread queued on lane 0 (RawRwLock.lockCommon); one
     * object per algorithm and set of bits waited for, shared by every lock of that algorithm (the key is
     * the object holding the word).
     */
    static final class LaneZeroWait implements ParkingLot.ParkCallbacks {
        /** Where the word lives. */
        private final RwLockAlgorithm alg;
        /** The park is valid while PARKED and one of these bits are set. */
        private final int validateFlags;

        LaneZeroWait(RwLockAlgorithm alg, int validateFlags) {
            this.alg = alg;
            this.validateFlags = validateFlags;
        }

        @Override
        public boolean validate(Object key, long lane) {
            int now = alg.state(key);
            return (now & PARKED) != 0 && (now & validateFlags) != 0;
        }

        @Override
        public void timedOut(Object key, long lane, boolean wasLastThread) {
            if (wasLastThread) {
                alg.clearBitsRelease(key, PARKED); // under lane 0's bucket lock
            }
        }
    }

    /**
     * Lane 1, where the WRITER owner waits for readers to drain: its park validate and timed-out
     * callback, one per algorithm, shared by its locks (the key is the object holding the word). Only the
     * WRITER owner parks on lane 1, so it is always the last thread there: leaving clears WRITER_PARKED.
     */
    static final class ReaderDrainWait implements ParkingLot.ParkCallbacks {
        /** Where the word lives. */
        private final RwLockAlgorithm alg;

        ReaderDrainWait(RwLockAlgorithm alg) {
            this.alg = alg;
        }

        @Override
        public boolean validate(Object key, long lane) {
            int now = alg.state(key);
            return (now & READERS_MASK) != 0 && (now & WRITER_PARKED) != 0;
        }

        @Override
        public void timedOut(Object key, long lane, boolean wasLastThread) {
            alg.clearBitsRelease(key, WRITER_PARKED); // under lane 1's bucket lock
        }
    }
}
