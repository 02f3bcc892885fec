package org.parkinglot.locks;

import static org.parkinglot.locks.RawRwLock.UPGRADABLE;
import static org.parkinglot.locks.RawRwLock.WRITER;

/**
 * Where the word of the read-write lock protocol lives: the atomic accesses its slow paths
 * ({@link RwLockWaits}, {@link RwLockWakes}, {@link RwLockTries}) make to one {@code int} word of a holder
 * object, which is also the object of the lock's parking-lot keys (holder, {@link RawRwLock#ACQUIRE_LANE})
 * and (holder, {@link RawRwLock#DRAIN_LANE}). The protocol (the bits, the queues, the orderings) is
 * described once, in {@link RawRwLock}'s implementation notes; it is shared by {@link RawRwLock} (its
 * {@code state} field, {@link RawRwLockAlgorithm}) and {@link ReentrantRwLock} (its own {@code state}
 * field). The same projection {@link MutexAlgorithm} makes for the mutexes.
 *
 * <p>Subclasses must be final and held in {@code static final} fields, so that the JIT sees one concrete
 * class per call site and inlines the accesses. The fast paths stay in the lock classes, on their own
 * VarHandles; only the slow paths go through here. Each algorithm owns its shared park callbacks, which
 * find the word through the key.
 */
abstract class RwLockAlgorithm {

    /** The lane-0 park of a reader: it waits while WRITER is set. */
    final RwLockWaits.LaneZeroWait waitForWriter = new RwLockWaits.LaneZeroWait(this, WRITER);
    /** The lane-0 park of a writer or upgradable reader: it waits while WRITER or UPGRADABLE is set. */
    final RwLockWaits.LaneZeroWait waitForWriterOrUpgradable =
            new RwLockWaits.LaneZeroWait(this, WRITER | UPGRADABLE);
    /** The lane-1 park of the WRITER owner waiting for the readers to leave. */
    final RwLockWaits.ReaderDrainWait readerDrain = new RwLockWaits.ReaderDrainWait(this);

    RwLockAlgorithm() {
    }

    /**
     * Volatile read of the word.
     *
     * @param lock the object holding the word
     * @return the word
     */
    abstract int state(Object lock);

    /**
     * Acquire read of the word.
     *
     * @param lock the object holding the word
     * @return the word
     */
    abstract int stateAcquire(Object lock);

    /**
     * Weak CAS of the word with acquire semantics (the try steps in RwLockTries).
     *
     * @param lock   the object holding the word
     * @param expect the expected value
     * @param update the new value
     * @return whether the word was updated
     */
    abstract boolean weakCasStateAcquire(Object lock, int expect, int update);

    /**
     * Compare-and-exchange of the word with acquire semantics.
     *
     * @param lock   the object holding the word
     * @param expect the expected value
     * @param update the new value
     * @return the witness value
     */
    abstract int compareAndExchangeStateAcquire(Object lock, int expect, int update);

    /**
     * Sets {@code bits} with a volatile RMW (PARKED, for a write view's condvar hooks).
     *
     * @param lock the object holding the word
     * @param bits the bits to set
     */
    abstract void setBits(Object lock, int bits);

    /**
     * Volatile CAS of the word.
     *
     * @param lock   the object holding the word
     * @param expect the expected value
     * @param update the new value
     * @return whether the word was updated
     */
    abstract boolean casState(Object lock, int expect, int update);

    /**
     * Volatile compare-and-exchange of the word.
     *
     * @param lock   the object holding the word
     * @param expect the expected value
     * @param update the new value
     * @return the witness value
     */
    abstract int compareAndExchangeState(Object lock, int expect, int update);

    /**
     * Adds {@code delta} to the word with a release RMW.
     *
     * @param lock  the object holding the word
     * @param delta what to add
     * @return the previous value
     */
    abstract int getAndAddStateRelease(Object lock, int delta);

    /**
     * Clears {@code bits} with a release RMW. Called only under one of the lock's bucket locks (see the
     * bit's javadoc in RawRwLock for which lane's lock guards it).
     *
     * @param lock the object holding the word
     * @param bits the bits to clear
     */
    abstract void clearBitsRelease(Object lock, int bits);

    /**
     * Release store of the whole word: only for an unlocker that owns WRITER, under lane 0's bucket lock,
     * where every other writer of the word uses a CAS expecting WRITER (see RwLockWakes.ExclusiveRelease).
     *
     * @param lock the object holding the word
     * @param s    the new value
     */
    abstract void setStateRelease(Object lock, int s);

    /**
     * Release compare-and-exchange of the word.
     *
     * @param lock   the object holding the word
     * @param expect the expected value
     * @param update the new value
     * @return the witness value
     */
    abstract int compareAndExchangeStateRelease(Object lock, int expect, int update);
}
