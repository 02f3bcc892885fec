package org.parkinglot.benchmarks;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
import org.parkinglot.locks.RawFairMutex;
import org.parkinglot.locks.RawMutex;
import org.parkinglot.locks.ReentrantMutex;

/**
 * A counter whose increment is the critical section of one lock: the unit of work of
 * {@link MutexBenchmark}. Each competitor of {@link MutexType} is one implementation, a final class
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

    /**
     * The floor: a spin lock of one {@code compareAndSet(0, 1)} to lock and one
     * {@code compareAndSet(1, 0)} to unlock. A lock that can park must read-modify-write its word on
     * unlock to see whether anyone waits, so CAS + CAS is the least any such lock pays uncontended.
     * It never parks nor yields: a waiter spins on {@link Thread#onSpinWait()} re-reading the word
     * (test-and-test-and-set), so with more threads than cores a waiter can burn its whole time slice
     * while the holder is descheduled. A baseline, not a usable lock.
     */
    static final class FloorCounter extends LockedCounter {
        /** 0: free, 1: held. */
        private final AtomicInteger word = new AtomicInteger();

        @Override
        void increment() {
            while (!word.compareAndSet(0, 1)) {
                do {
                    Thread.onSpinWait();
                } while (word.get() != 0);
            }
            try {
                count++;
            } finally {
                if (!word.compareAndSet(1, 0)) {
                    throw new IllegalMonitorStateException("floor lock was not held");
                }
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
