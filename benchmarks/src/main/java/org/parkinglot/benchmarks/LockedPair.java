package org.parkinglot.benchmarks;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import org.parkinglot.locks.RawRwLock;
import org.parkinglot.locks.ReentrantRwLock;

/**
 * Two longs guarded by one read-write lock: the unit of work of {@link RwLockBenchmark}. A write sets
 * both to the next value under the exclusive lock; a read loads both under the shared lock and returns
 * their difference, which is {@code 0} unless it saw a torn pair (one field from one write, the other
 * from another). Each competitor of {@link RwLockBenchmark#type} is one implementation, a final class holding its
 * lock in fields of the lock's exact types, so that a JIT-compiled call site sees one concrete lock class
 * and can inline its fast paths.
 *
 * <p>Layout. The pair ({@link PairFields}) sits between two 128-byte pads of the object itself, so it
 * never shares a cache line with the lock's state, whatever addresses the allocator or a garbage
 * collection gives the pair and its lock: every competitor pays the same lines (see
 * {@link LockedCounter}'s "Layout" for what luck of placement did to the scores).
 */
abstract class LockedPair extends PairPad1 {

    /**
     * Under the shared lock, reads both fields.
     *
     * @return {@code first - second}: {@code 0} unless the read saw a torn pair
     */
    abstract long read();

    /** Under the exclusive lock, sets both fields to {@code first + 1}. */
    abstract void write();

    /**
     * Makes a pair guarded by a fresh lock of a {@link RwLockBenchmark} competitor.
     *
     * @param type the competitor
     * @return a new pair at zero, its lock free
     * @throws IllegalArgumentException if {@code type} has no pair here
     */
    static LockedPair of(LockType type) {
        return switch (type) {
            case RAW_RW_LOCK -> new RawRwLockPair();
            case REENTRANT_RW_LOCK -> new ReentrantRwLockPair(false);
            case REENTRANT_RW_LOCK_FAIR -> new ReentrantRwLockPair(true);
            case PL_REENTRANT_RW_LOCK -> new PlReentrantRwLockPair(false);
            case PL_REENTRANT_RW_LOCK_FAIR -> new PlReentrantRwLockPair(true);
            case STAMPED_LOCK -> new StampedLockPair();
            default -> throw type.notIn("RwLockBenchmark");
        };
    }

    /** {@link RawRwLock}: {@code lockShared}/{@code unlockShared}, {@code lockExclusive}/{@code unlockExclusive}. */
    static final class RawRwLockPair extends LockedPair {
        private final RawRwLock lock = new RawRwLock();

        @Override
        long read() {
            lock.lockShared();
            try {
                return first - second;
            } finally {
                lock.unlockShared();
            }
        }

        @Override
        void write() {
            lock.lockExclusive();
            try {
                long next = first + 1;
                first = next;
                second = next;
            } finally {
                lock.unlockExclusive();
            }
        }
    }

    /** {@link ReentrantReadWriteLock}, unfair or fair, its two views fetched once. */
    static final class ReentrantRwLockPair extends LockedPair {
        private final ReentrantReadWriteLock.ReadLock readLock;
        private final ReentrantReadWriteLock.WriteLock writeLock;

        ReentrantRwLockPair(boolean fair) {
            ReentrantReadWriteLock lock = new ReentrantReadWriteLock(fair);
            readLock = lock.readLock();
            writeLock = lock.writeLock();
        }

        @Override
        long read() {
            readLock.lock();
            try {
                return first - second;
            } finally {
                readLock.unlock();
            }
        }

        @Override
        void write() {
            writeLock.lock();
            try {
                long next = first + 1;
                first = next;
                second = next;
            } finally {
                writeLock.unlock();
            }
        }
    }

    /** {@link ReentrantRwLock}, unfair or fair, its two views fetched once (as for the JDK lock). */
    static final class PlReentrantRwLockPair extends LockedPair {
        private final ReentrantRwLock.ReadLock readLock;
        private final ReentrantRwLock.WriteLock writeLock;

        PlReentrantRwLockPair(boolean fair) {
            ReentrantRwLock lock = new ReentrantRwLock(fair);
            readLock = lock.readLock();
            writeLock = lock.writeLock();
        }

        @Override
        long read() {
            readLock.lock();
            try {
                return first - second;
            } finally {
                readLock.unlock();
            }
        }

        @Override
        void write() {
            writeLock.lock();
            try {
                long next = first + 1;
                first = next;
                second = next;
            } finally {
                writeLock.unlock();
            }
        }
    }

    /** {@link StampedLock}, pessimistic: {@code readLock}/{@code unlockRead}, {@code writeLock}/{@code unlockWrite}. */
    static final class StampedLockPair extends LockedPair {
        private final StampedLock lock = new StampedLock();

        @Override
        long read() {
            long stamp = lock.readLock();
            try {
                return first - second;
            } finally {
                lock.unlockRead(stamp);
            }
        }

        @Override
        void write() {
            long stamp = lock.writeLock();
            try {
                long next = first + 1;
                first = next;
                second = next;
            } finally {
                lock.unlockWrite(stamp);
            }
        }
    }
}

/** The guarded pair, between the pads. */
abstract class PairFields extends LeadingPad {
    /** The number of writes so far; written only under the exclusive lock, read under either lock. */
    long first;
    /** Always equal to {@link #first} outside the exclusive lock; same guard as {@link #first}. */
    long second;
}

/** 128 bytes after the pair (see {@link LockedPair}'s "Layout"); never read or written. */
abstract class PairPad1 extends PairFields {
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
