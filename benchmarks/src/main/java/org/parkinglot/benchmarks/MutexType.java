package org.parkinglot.benchmarks;

/**
 * The competitors of {@link MutexBenchmark}: the mutexes of {@code org.parkinglot.locks}, the JDK's
 * locks, and a CAS + CAS floor. Each constant makes the {@link LockedCounter} whose increment is its
 * critical section (in the manner of Caffeine's {@code CacheType}).
 */
public enum MutexType {

    /** {@code org.parkinglot.locks.RawMutex}: not reentrant, unfair with eventual fairness. */
    RAW_MUTEX {
        @Override
        LockedCounter newCounter() {
            return new LockedCounter.RawMutexCounter();
        }
    },

    /** {@code org.parkinglot.locks.RawFairMutex}: every unlock with a waiter hands the lock over. */
    RAW_FAIR_MUTEX {
        @Override
        LockedCounter newCounter() {
            return new LockedCounter.RawFairMutexCounter();
        }
    },

    /** {@code new ReentrantMutex()}: the drop-in for {@code ReentrantLock}, eventually fair. */
    REENTRANT_MUTEX {
        @Override
        LockedCounter newCounter() {
            return new LockedCounter.ReentrantMutexCounter(false);
        }
    },

    /** {@code new ReentrantMutex(true)}: fair, waiters acquire in arrival order. */
    REENTRANT_MUTEX_FAIR {
        @Override
        LockedCounter newCounter() {
            return new LockedCounter.ReentrantMutexCounter(true);
        }
    },

    /** {@code new ReentrantLock()}: the JDK's AQS lock, unfair. */
    REENTRANT_LOCK {
        @Override
        LockedCounter newCounter() {
            return new LockedCounter.ReentrantLockCounter(false);
        }
    },

    /** {@code new ReentrantLock(true)}: the JDK's AQS lock, fair. */
    REENTRANT_LOCK_FAIR {
        @Override
        LockedCounter newCounter() {
            return new LockedCounter.ReentrantLockCounter(true);
        }
    },

    /** A {@code synchronized} block: the JVM's monitor. */
    SYNCHRONIZED {
        @Override
        LockedCounter newCounter() {
            return new LockedCounter.SynchronizedCounter();
        }
    },

    /** {@code StampedLock.writeLock()} / {@code unlockWrite(stamp)}. */
    STAMPED_LOCK {
        @Override
        LockedCounter newCounter() {
            return new LockedCounter.StampedLockCounter();
        }
    },

    /**
     * The floor: an {@code AtomicInteger} spin lock, {@code compareAndSet(0, 1)} to lock and
     * {@code compareAndSet(1, 0)} to unlock. Never parks: not a usable lock under contention.
     */
    FLOOR {
        @Override
        LockedCounter newCounter() {
            return new LockedCounter.FloorCounter();
        }
    };

    /**
     * Makes a counter guarded by a fresh lock of this type.
     *
     * @return a new counter at zero, its lock free
     */
    abstract LockedCounter newCounter();
}
