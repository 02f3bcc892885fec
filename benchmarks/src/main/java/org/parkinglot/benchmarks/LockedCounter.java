package org.parkinglot.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
import org.parkinglot.benchmarks.strawman.FloorLock;
import org.parkinglot.locks.FieldMutex;
import org.parkinglot.locks.RawFairMutex;
import org.parkinglot.locks.RawMutex;
import org.parkinglot.locks.ReentrantMutex;

/**
 * A counter whose increment is the critical section of one lock: the unit of work of
 * {@link MutexBenchmark}. Each competitor of {@link MutexBenchmark#type} is one implementation, a final class
 * holding its lock in a field of the lock's exact type, so that a JIT-compiled call site sees one
 * concrete lock class and can inline its fast paths.
 *
 * <p>Layout. The count ({@link CountField#count}) sits between two 128-byte pads of the object itself
 * ({@link LeadingPad}, {@link CountPad1}), so it never shares a cache line, nor the adjacent line an
 * adjacent-line prefetcher pairs with it, with the lock's state, whatever addresses the allocator or
 * a garbage collection gives the counter and its lock. Without the pads the distance was luck: a lock
 * word that happened to share the count's line cost one cache-line transfer per acquisition instead of
 * two, and JMH forks of one competitor differed by up to 1.5x on that alone (measured with JOL's
 * addresses beside per-fork scores), more than the differences between competitors. Now every
 * competitor pays the same two lines: the lock's and the count's.
 */
abstract class LockedCounter extends CountPad1 {

    /** Locks, increments {@link #count}, unlocks. */
    abstract void increment();

    /**
     * Makes a counter guarded by a fresh lock of a {@link MutexBenchmark} competitor.
     *
     * @param type the competitor
     * @return a new counter at zero, its lock free
     * @throws IllegalArgumentException if {@code type} has no counter here
     */
    static LockedCounter of(LockType type) {
        return switch (type) {
            case RAW_MUTEX -> new RawMutexCounter();
            case RAW_FAIR_MUTEX -> new RawFairMutexCounter();
            case REENTRANT_MUTEX -> new ReentrantMutexCounter(false);
            case REENTRANT_MUTEX_FAIR -> new ReentrantMutexCounter(true);
            case FIELD_MUTEX -> new FieldMutexCounter();
            case FIELD_MUTEX_LONG -> new LongFieldMutexCounter();
            case REENTRANT_LOCK -> new ReentrantLockCounter(false);
            case REENTRANT_LOCK_FAIR -> new ReentrantLockCounter(true);
            case SYNCHRONIZED -> new SynchronizedCounter();
            case STAMPED_LOCK -> new StampedLockCounter();
            case FLOOR -> new FloorCounter();
            default -> throw type.notIn("MutexBenchmark");
        };
    }

    /** {@link RawMutex}: eventually fair. */
    static final class RawMutexCounter extends LockedCounter {
        private final RawMutex lock = new RawMutex();

        @Override
        void increment() {
            lock.lock();
            try {
                count++;
            } finally {
                lock.unlock();
            }
        }
    }

    /** {@link RawFairMutex}: every contended unlock hands over. */
    static final class RawFairMutexCounter extends LockedCounter {
        private final RawFairMutex lock = new RawFairMutex();

        @Override
        void increment() {
            lock.lock();
            try {
                count++;
            } finally {
                lock.unlock();
            }
        }
    }

    /** {@link ReentrantMutex}, unfair (eventually fair) or fair. */
    static final class ReentrantMutexCounter extends LockedCounter {
        private final ReentrantMutex lock;

        ReentrantMutexCounter(boolean fair) {
            lock = new ReentrantMutex(fair);
        }

        @Override
        void increment() {
            lock.lock();
            try {
                count++;
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * {@link FieldMutex} in bits 13..15 of this counter's own {@code volatile int} field, through a
     * {@code static final} mutex (a constant for the JIT), as a user embeds it. The field follows the
     * count's trailing pad, so the lock word and the count are on different lines, as for the other
     * competitors.
     */
    static final class FieldMutexCounter extends LockedCounter {
        private static final VarHandle WORD;
        private static final FieldMutex MUTEX;
        /** The lock's bits. */
        volatile int word;

        @Override
        void increment() {
            MUTEX.lock(this);
            try {
                count++;
            } finally {
                MUTEX.unlock(this);
            }
        }

        static {
            try {
                WORD = MethodHandles.lookup().findVarHandle(FieldMutexCounter.class, "word", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
            MUTEX = FieldMutex.ofInt(WORD, 13);
        }
    }

    /** {@link FieldMutex} in bits 40..42 of this counter's own {@code volatile long} field, as the int one. */
    static final class LongFieldMutexCounter extends LockedCounter {
        private static final VarHandle WORD;
        private static final FieldMutex MUTEX;
        /** The lock's bits. */
        volatile long word;

        @Override
        void increment() {
            MUTEX.lock(this);
            try {
                count++;
            } finally {
                MUTEX.unlock(this);
            }
        }

        static {
            try {
                WORD = MethodHandles.lookup().findVarHandle(LongFieldMutexCounter.class, "word", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
            MUTEX = FieldMutex.ofLong(WORD, 40);
        }
    }

    /** {@link ReentrantLock}, unfair or fair. */
    static final class ReentrantLockCounter extends LockedCounter {
        private final ReentrantLock lock;

        ReentrantLockCounter(boolean fair) {
            lock = new ReentrantLock(fair);
        }

        @Override
        void increment() {
            lock.lock();
            try {
                count++;
            } finally {
                lock.unlock();
            }
        }
    }

    /** A {@code synchronized} block on a dedicated monitor object. */
    static final class SynchronizedCounter extends LockedCounter {
        private final Object monitor = new Object();

        @Override
        void increment() {
            synchronized (monitor) {
                count++;
            }
        }
    }

    /** {@link StampedLock}'s write lock. */
    static final class StampedLockCounter extends LockedCounter {
        private final StampedLock lock = new StampedLock();

        @Override
        void increment() {
            long stamp = lock.writeLock();
            try {
                count++;
            } finally {
                lock.unlockWrite(stamp);
            }
        }
    }

    /** {@link FloorLock}: the CAS + CAS straw man, the least a lock that can park pays. */
    static final class FloorCounter extends LockedCounter {
        private final FloorLock lock = new FloorLock();

        @Override
        void increment() {
            lock.lock();
            try {
                count++;
            } finally {
                lock.unlock();
            }
        }
    }
}

/** The guarded count, between the pads. */
abstract class CountField extends LeadingPad {
    /** The count; read and written only inside the lock (or after the writers have been joined). */
    long count;
}

/** 128 bytes after the count (see {@link LockedCounter}'s "Layout"); never read or written. */
abstract class CountPad1 extends CountField {
    long q00;
    long q01;
    long q02;
    long q03;
    long q04;
    long q05;
    long q06;
    long q07;
    long q08;
    long q09;
    long q10;
    long q11;
    long q12;
    long q13;
    long q14;
    long q15;
}
