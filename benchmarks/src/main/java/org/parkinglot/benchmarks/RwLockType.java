package org.parkinglot.benchmarks;

/**
 * The competitors of {@link RwLockBenchmark}: {@code org.parkinglot.locks.RawRwLock} and the JDK's
 * read-write locks. Each constant makes the {@link LockedPair} whose read and write are its critical
 * sections (in the manner of Caffeine's {@code CacheType}).
 */
public enum RwLockType {

    /** {@code org.parkinglot.locks.RawRwLock}: task-fair, eventually fair, not reentrant. */
    RAW_RW_LOCK {
        @Override
        LockedPair newPair() {
            return new LockedPair.RawRwLockPair();
        }
    },

    /** {@code new ReentrantReadWriteLock()}: the JDK's AQS read-write lock, unfair. */
    REENTRANT_RW_LOCK {
        @Override
        LockedPair newPair() {
            return new LockedPair.ReentrantRwLockPair(false);
        }
    },

    /** {@code new ReentrantReadWriteLock(true)}: the JDK's AQS read-write lock, fair. */
    REENTRANT_RW_LOCK_FAIR {
        @Override
        LockedPair newPair() {
            return new LockedPair.ReentrantRwLockPair(true);
        }
    },

    /**
     * {@code StampedLock}, pessimistic modes only: {@code readLock()}/{@code unlockRead(stamp)} and
     * {@code writeLock()}/{@code unlockWrite(stamp)}; no optimistic reads.
     */
    STAMPED_LOCK {
        @Override
        LockedPair newPair() {
            return new LockedPair.StampedLockPair();
        }
    };

    /**
     * Makes a pair guarded by a fresh lock of this type.
     *
     * @return a new pair at zero, its lock free
     */
    abstract LockedPair newPair();
}
