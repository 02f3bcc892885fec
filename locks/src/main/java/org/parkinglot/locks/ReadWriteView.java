package org.parkinglot.locks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * The {@link ReadWriteLock} view of a {@link RawRwLock} returned by {@link RawRwLock#asReadWriteLock()}:
 * the read lock is the shared mode, the write lock the exclusive mode. Like the underlying lock, the
 * views do not track owners and are not reentrant.
 */
final class ReadWriteView implements ReadWriteLock {

    private final ReadLock readLock;
    private final WriteLock writeLock;

    ReadWriteView(RawRwLock lock) {
        this.readLock = new ReadLock(lock);
        this.writeLock = new WriteLock(lock);
    }

    @Override
    public Lock readLock() {
        return readLock;
    }

    @Override
    public Lock writeLock() {
        return writeLock;
    }

    /**
     * The shared mode as a {@link Lock}; conditions are not supported, as for the JDK's
     * ReentrantReadWriteLock.
     */
    static final class ReadLock implements Lock {
        private final RawRwLock lock;

        ReadLock(RawRwLock lock) {
            this.lock = lock;
        }

        @Override
        public void lock() {
            lock.lockShared();
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            lock.lockSharedInterruptibly();
        }

        @Override
        public boolean tryLock() {
            return lock.tryLockShared();
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            return lock.tryLockShared(time, unit);
        }

        @Override
        public void unlock() {
            lock.unlockShared();
        }

        /** Read locks have no conditions. */
        @Override
        public Condition newCondition() {
            throw new UnsupportedOperationException("read locks do not support conditions");
        }

        @Override
        public String toString() {
            return super.toString() + "[" + lock + "]";
        }
    }

    /** The exclusive mode as a {@link Lock}, with conditions backed by {@link Condvar}. */
    static final class WriteLock extends CondvarLock {
        private final RawRwLock lock;

        WriteLock(RawRwLock lock) {
            this.lock = lock;
        }

        @Override
        public void lock() {
            lock.lockExclusive();
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            lock.lockExclusiveInterruptibly();
        }

        @Override
        public boolean tryLock() {
            return lock.tryLockExclusive();
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            return lock.tryLockExclusive(time, unit);
        }

        @Override
        public void unlock() {
            lock.unlockExclusive();
        }

        @Override
        public Condition newCondition() {
            return new BoundCondition(this);
        }

        @Override
        public String toString() {
            return super.toString() + "[" + lock + "]";
        }

        @Override
        Object queueKey() {
            return lock;
        }

        /** A requeued waiter must look like a writer to the rwlock's batch wake-up, which sums tokens. */
        @Override
        long waitParkToken() {
            return RawRwLock.TOKEN_EXCLUSIVE;
        }

        @Override
        int holdsForWait() {
            int s = RawRwLock.ALGORITHM.state(lock);
            if ((s & RawRwLock.WRITER) == 0 || (s & RawRwLock.READERS_MASK) != 0) { // held, not merely claimed
                throw new IllegalMonitorStateException("write lock is not held");
            }
            return 1;
        }

        @Override
        void releaseAllForWait() {
            lock.unlockExclusive();
        }

        @Override
        void reacquireAfterWait(int holds, long unparkToken) {
            if (unparkToken == RawRwLock.TOKEN_HANDOFF) {
                RwLockWaits.awaitReadersAfterHandoff(lock); // we own WRITER; readers woken with us may still hold it
            } else if (unparkToken == RawRwLock.TOKEN_WOKEN) {
                RwLockWaits.lockExclusiveAsWoken(lock); // the batch's writer: the rwlock's woken successor
            } else {
                lock.lockExclusive();
            }
        }

        @Override
        boolean markParkedIfLocked() { // marks lane 0 non-empty if a release (of WRITER or UPGRADABLE) will wake it
            int s = RawRwLock.ALGORITHM.state(lock);
            for (;;) {
                if ((s & (RawRwLock.WRITER | RawRwLock.UPGRADABLE)) == 0) {
                    return false;
                }
                if ((s & RawRwLock.PARKED) != 0) {
                    return true;
                }
                int witness = RawRwLock.ALGORITHM.compareAndExchangeState(lock, s, s | RawRwLock.PARKED);
                if (witness == s) {
                    return true;
                }
                s = witness;
            }
        }

        @Override
        void markParked() {
            RawRwLock.ALGORITHM.setBits(lock, RawRwLock.PARKED);
        }
    }
}
