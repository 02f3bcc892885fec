package org.parkinglot.locks;

import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.core.internal.Timeouts;

/**
 * {@link FieldMutex} in an {@code long} field. A record so that HotSpot trusts its final fields: with the
 * mutex in a {@code static final} field, {@link #handle} and {@link #firstBit} are constants in compiled
 * code (see {@link FieldMutex}'s implementation notes, "Constant folding").
 *
 * @param handle   the user's field handle, checked, with invoke (not invoke-exact) behaviour
 * @param firstBit the lowest of the lock's three bits
 * @param lane     the parking-lot lane of the lock's waiters: they park under (holder, lane)
 * @param word     the algorithm projected onto the field (slow paths)
 * @param field    the field's name for {@code toString}
 */
record LongFieldMutex(VarHandle handle, int firstBit, long lane, Word word, String field) implements FieldMutex {

    /** Makes the mutex; the arguments are checked by {@link FieldMutex#ofLong(VarHandle, int)}. */
    static LongFieldMutex create(VarHandle handle, int firstBit, long lane, String field) {
        return new LongFieldMutex(handle, firstBit, lane, new Word(handle, firstBit), field);
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
        long locked = (long) MutexAlgorithm.LOCKED << firstBit;
        long s = (long) handle.getVolatile(holder);
        while ((s & locked) == 0) {
            if (handle.weakCompareAndSetAcquire(holder, s, s | locked)) {
                return true;
            }
            s = (long) handle.getVolatile(holder);
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
        long s = (long) handle.getVolatile(holder);
        if (!MutexAlgorithm.releasesWithoutWake((int) (s >>> firstBit))
                || !handle.weakCompareAndSetRelease(holder, s, s & ~((long) MutexAlgorithm.LOCKED << firstBit))) {
            word.unlock(holder, lane, false);
        }
    }

    @Override
    public void unlockFair(Object holder) {
        Objects.requireNonNull(holder, "holder");
        long s = (long) handle.getVolatile(holder);
        if (((s >>> firstBit) & MutexAlgorithm.MUTEX_BITS) != MutexAlgorithm.LOCKED // waiters: hand over
                || !handle.weakCompareAndSetRelease(holder, s, s & ~((long) MutexAlgorithm.LOCKED << firstBit))) {
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
        return ((long) handle.getVolatile(holder) & ((long) MutexAlgorithm.LOCKED << firstBit)) != 0;
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
        long locked = (long) MutexAlgorithm.LOCKED << firstBit;
        long s = (long) handle.getVolatile(holder);
        return (s & locked) == 0 && handle.weakCompareAndSetAcquire(holder, s, s | locked);
    }

    /**
     * {@link MutexAlgorithm} on the lock's three bits of a {@code long} field: the word is
     * {@code (field >>> firstBit) & 7}, and a CAS of the word replaces those bits only, retrying while only
     * other bits changed (see {@link FieldMutex}'s implementation notes); the index (the lane) is not
     * needed to find the field.
     */
    static final class Word extends MutexAlgorithm {
        /** The field; a plain final field (slow paths only). */
        private final VarHandle handle;
        /** Where the lock's bits start. */
        private final int firstBit;

        Word(VarHandle handle, int firstBit) {
            this.handle = handle;
            this.firstBit = firstBit;
        }

        /** The word of the field value {@code f}: the lock's three bits. */
        private int toWord(long f) {
            return (int) (f >>> firstBit) & MUTEX_BITS;
        }

        /** The field value {@code f} with the lock's bits replaced by the word value {@code w}. */
        private long withWord(long f, int w) {
            return f & ~((long) MUTEX_BITS << firstBit) | (long) (w & MUTEX_BITS) << firstBit;
        }

        @Override
        int load(Object holder, long index) {
            return toWord((long) handle.getVolatile(holder));
        }

        @Override
        boolean weakCasAcquire(Object holder, long index, int expect, int update) {
            long f = (long) handle.getVolatile(holder);
            // one attempt: a failure because another bit changed is a permitted spurious failure
            return toWord(f) == expect && handle.weakCompareAndSetAcquire(holder, f, withWord(f, update));
        }

        @Override
        boolean casRelease(Object holder, long index, int expect, int update) {
            long f = (long) handle.getVolatile(holder);
            while (toWord(f) == expect) {
                long witness = (long) handle.compareAndExchangeRelease(holder, f, withWord(f, update));
                if (witness == f) {
                    return true;
                }
                // The witness of a release CAS is a plain read: used only as the next expected value, which the
                // next CAS checks atomically; a failure returns to the algorithm, which reloads (volatile).
                f = witness; // retry while only the user's bits changed
            }
            return false;
        }

        @Override
        boolean cas(Object holder, long index, int expect, int update) {
            long f = (long) handle.getVolatile(holder);
            while (toWord(f) == expect) {
                long witness = (long) handle.compareAndExchange(holder, f, withWord(f, update));
                if (witness == f) {
                    return true;
                }
                f = witness; // retry while only the user's bits changed
            }
            return false;
        }

        @Override
        int getAndBitwiseAndRelease(Object holder, long index, int mask) {
            long clear = (long) (~mask & MUTEX_BITS) << firstBit; // only the lock's bits can be cleared
            return toWord((long) handle.getAndBitwiseAndRelease(holder, ~clear));
        }

        @Override
        int getAndBitwiseOr(Object holder, long index, int bits) {
            return toWord((long) handle.getAndBitwiseOr(holder, (long) (bits & MUTEX_BITS) << firstBit));
        }
    }
}
