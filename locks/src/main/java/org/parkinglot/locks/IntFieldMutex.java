package org.parkinglot.locks;

import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.core.internal.Timeouts;

/**
 * {@link FieldMutex} in an {@code int} field. A record so that HotSpot trusts its final fields: with the
 * mutex in a {@code static final} field, {@link #handle} and {@link #firstBit} are constants in compiled
 * code (see {@link FieldMutex}'s implementation notes, "Constant folding").
 *
 * @param handle   the user's field handle, checked, with invoke (not invoke-exact) behaviour
 * @param firstBit the lowest of the lock's three bits
 * @param lane     the parking-lot lane of the lock's waiters: they park under (holder, lane)
 * @param word     the algorithm projected onto the field (slow paths)
 * @param field    the field's name for {@code toString}
 */
record IntFieldMutex(VarHandle handle, int firstBit, long lane, Word word, String field) implements FieldMutex {

    /** Makes the mutex; the arguments are checked by {@link FieldMutex#ofInt(VarHandle, int)}. */
    static IntFieldMutex create(VarHandle handle, int firstBit, long lane, String field) {
        return new IntFieldMutex(handle, firstBit, lane, new Word(handle, firstBit), field);
    }

    @Override
    public void lock(Object holder) {
        if (!lockFast(holder)) {
            word.lockSlow(holder, lane, ParkingLot.FOREVER, false);
        }
    }

    @Override
    public void lockInterruptibly(Object holder) throws InterruptedException {
        Objects.requireNonNull(holder, "holder");
        Timeouts.throwIfInterrupted();
        if (!lockFast(holder)) {
            FieldMutexes.lockInterruptiblySlow(word, holder, lane);
        }
    }

    @Override
    public boolean tryLock(Object holder) {
        Objects.requireNonNull(holder, "holder");
        int locked = MutexAlgorithm.LOCKED << firstBit;
        int s = (int) handle.getVolatile(holder);
        while ((s & locked) == 0) {
            if (handle.weakCompareAndSetAcquire(holder, s, s | locked)) {
                return true;
            }
            s = (int) handle.getVolatile(holder);
        }
        return false;
    }

    @Override
    public boolean tryLock(Object holder, long time, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(holder, "holder");
        long nanos = Timeouts.toNanos(time, unit);
        Timeouts.throwIfInterrupted();
        return tryLock(holder) || FieldMutexes.tryLockSlow(word, holder, lane, nanos);
    }

    @Override
    public void unlock(Object holder) {
        Objects.requireNonNull(holder, "holder");
        int s = (int) handle.getVolatile(holder);
        if (!MutexAlgorithm.releasesWithoutWake(s >>> firstBit)
                || !handle.weakCompareAndSetRelease(holder, s, s & ~(MutexAlgorithm.LOCKED << firstBit))) {
            word.unlock(holder, lane, false);
        }
    }

    @Override
    public void unlockFair(Object holder) {
        Objects.requireNonNull(holder, "holder");
        int s = (int) handle.getVolatile(holder);
        if (((s >>> firstBit) & MutexAlgorithm.MUTEX_BITS) != MutexAlgorithm.LOCKED // waiters: hand over
                || !handle.weakCompareAndSetRelease(holder, s, s & ~(MutexAlgorithm.LOCKED << firstBit))) {
            word.unlock(holder, lane, true);
        }
    }

    @Override
    public void bump(Object holder) {
        FieldMutexes.bump(word, Objects.requireNonNull(holder, "holder"), lane);
    }

    @Override
    public boolean isLocked(Object holder) {
        Objects.requireNonNull(holder, "holder");
        return ((int) handle.getVolatile(holder) & (MutexAlgorithm.LOCKED << firstBit)) != 0;
    }

    @Override
    public Lock asLock(Object holder) {
        Objects.requireNonNull(holder, "holder");
        handle.getVolatile(holder); // the holder's class check, now rather than at the first use
        return new FieldMutexLock(this, holder, word, lane);
    }

    /**
     * Returns the field and bits of this mutex.
     *
     * @return for example {@code FieldMutex[Node.flags, bits 29..31]}
     */
    @Override
    public String toString() {
        return FieldMutexes.describe(field, firstBit);
    }

    /**
     * The fast path of acquisition: one acquire CAS from the field just read, if the lock's LOCKED bit is
     * clear; it barges past PARKED and WOKEN as {@link RawMutex}'s does.
     *
     * @return {@code true} if acquired
     */
    private boolean lockFast(Object holder) {
        Objects.requireNonNull(holder, "holder");
        int locked = MutexAlgorithm.LOCKED << firstBit;
        int s = (int) handle.getVolatile(holder);
        return (s & locked) == 0 && handle.weakCompareAndSetAcquire(holder, s, s | locked);
    }

    /**
     * {@link MutexAlgorithm} on an {@code int} field rotated right by {@code firstBit}, so that the lock's
     * bits are the word's low three bits; the index (the lane) is not needed to find the field. Rotation
     * is a bijection, so each operation is the same single atomic operation on the field (see
     * {@link FieldMutex}'s implementation notes).
     */
    static final class Word extends MutexAlgorithm {
        /** The field; a plain final field (slow paths only). */
        private final VarHandle handle;
        /** How far the field is rotated. */
        private final int firstBit;

        Word(VarHandle handle, int firstBit) {
            this.handle = handle;
            this.firstBit = firstBit;
        }

        /** The field value of the word value {@code w}. */
        private int toField(int w) {
            return Integer.rotateLeft(w, firstBit);
        }

        /** The word value of the field value {@code f}. */
        private int toWord(int f) {
            return Integer.rotateRight(f, firstBit);
        }

        @Override
        int load(Object holder, long index) {
            return toWord((int) handle.getVolatile(holder));
        }

        @Override
        boolean weakCasAcquire(Object holder, long index, int expect, int update) {
            return handle.weakCompareAndSetAcquire(holder, toField(expect), toField(update));
        }

        @Override
        boolean casRelease(Object holder, long index, int expect, int update) {
            int e = toField(expect);
            return (int) handle.compareAndExchangeRelease(holder, e, toField(update)) == e;
        }

        @Override
        boolean cas(Object holder, long index, int expect, int update) {
            return handle.compareAndSet(holder, toField(expect), toField(update));
        }

        @Override
        int getAndBitwiseAndRelease(Object holder, long index, int mask) {
            return toWord((int) handle.getAndBitwiseAndRelease(holder, toField(mask)));
        }

        @Override
        int getAndBitwiseOr(Object holder, long index, int bits) {
            return toWord((int) handle.getAndBitwiseOr(holder, toField(bits)));
        }
    }
}
