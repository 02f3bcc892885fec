package org.parkinglot.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.parkinglot.locks.FieldMutex;

/**
 * The {@link FieldMutex} competitors of {@link LockType} as {@link Lock}s, written the way a user would
 * embed the lock: an object with a {@code volatile int} (or {@code long}) field and a {@code static final}
 * {@code FieldMutex} over some of its bits, whose {@code lock()} calls the mutex with {@code this}. Such an
 * object is 16 (int) or 24 (long) bytes, the field itself; the lock bits sit above bits the benchmark
 * never uses, so the projection's rotation (int) and masking (long) are exercised as in real use.
 */
final class FieldMutexLocks {

    private FieldMutexLocks() {
    }

    /** A lock in bits 13..15 of an {@code int} field. */
    static final class IntFieldLock implements Lock {
        private static final VarHandle WORD;
        private static final FieldMutex MUTEX;
        /** The lock's bits (13..15) and, in real use, the owner's other bits. */
        volatile int word;

        /** Creates an unlocked lock. */
        IntFieldLock() {
        }

        @Override
        public void lock() {
            MUTEX.lock(this);
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            MUTEX.lockInterruptibly(this);
        }

        @Override
        public boolean tryLock() {
            return MUTEX.tryLock(this);
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            return MUTEX.tryLock(this, time, unit);
        }

        @Override
        public void unlock() {
            MUTEX.unlock(this);
        }

        @Override
        public Condition newCondition() {
            return MUTEX.asLock(this).newCondition();
        }

        static {
            try {
                WORD = MethodHandles.lookup().findVarHandle(IntFieldLock.class, "word", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
            MUTEX = FieldMutex.ofInt(WORD, 13);
        }
    }

    /** A lock in bits 40..42 of a {@code long} field. */
    static final class LongFieldLock implements Lock {
        private static final VarHandle WORD;
        private static final FieldMutex MUTEX;
        /** The lock's bits (40..42) and, in real use, the owner's other bits. */
        volatile long word;

        /** Creates an unlocked lock. */
        LongFieldLock() {
        }

        @Override
        public void lock() {
            MUTEX.lock(this);
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            MUTEX.lockInterruptibly(this);
        }

        @Override
        public boolean tryLock() {
            return MUTEX.tryLock(this);
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            return MUTEX.tryLock(this, time, unit);
        }

        @Override
        public void unlock() {
            MUTEX.unlock(this);
        }

        @Override
        public Condition newCondition() {
            return MUTEX.asLock(this).newCondition();
        }

        static {
            try {
                WORD = MethodHandles.lookup().findVarHandle(LongFieldLock.class, "word", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
            MUTEX = FieldMutex.ofLong(WORD, 40);
        }
    }
}
