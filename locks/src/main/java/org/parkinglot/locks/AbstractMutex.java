package org.parkinglot.locks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.Lock;

/**
 * What the mutexes of this package share: one {@code int} state word driven by {@link MutexAlgorithm}
 * (waiters park under the key (this, 0)), and the hooks {@link Condvar} needs to release and re-take
 * any of them around a wait.
 */
abstract class AbstractMutex implements Lock {

    /**
     * The state word: {@link MutexAlgorithm#LOCKED} and {@link MutexAlgorithm#PARKED} in the low bits
     * (see the state table in {@link MutexAlgorithm}); subclasses may keep constant flags above them.
     */
    volatile int state;

    AbstractMutex() {
    }

    // Condvar hooks, all called by the thread that waits.

    /**
     * Checks that the current thread may wait with this mutex and returns what {@link #reacquireAfterWait}
     * must restore.
     *
     * @return the saved hold count (1 for non-reentrant mutexes)
     * @throws IllegalMonitorStateException if the current thread does not hold the lock (where detectable)
     */
    abstract int holdsForWait();

    /** Releases the lock entirely (every hold), fairly if this mutex is fair; runs in park's beforeSleep. */
    abstract void releaseAllForWait();

    /**
     * Re-takes the lock after a wait, uninterruptibly, unless it was handed over, and restores the holds.
     *
     * @param holds     what {@link #holdsForWait()} returned
     * @param handedOff whether an unlock handed the lock directly to this thread
     */
    abstract void reacquireAfterWait(int holds, boolean handedOff);

    /** Under the condvar's bucket lock: {@link MutexAlgorithm#markParkedIfLocked}. */
    final boolean markParkedIfLocked() {
        return ALGORITHM.markParkedIfLocked(this, 0L);
    }

    /** Under the condvar's bucket lock: {@link MutexAlgorithm#markParked}. */
    final void markParked() {
        ALGORITHM.markParked(this, 0L);
    }

    /** The mutex algorithm projected onto {@link #state}. */
    static final FieldAlgorithm ALGORITHM = new FieldAlgorithm();

    /** {@link MutexAlgorithm} on the {@code state} field of an {@link AbstractMutex}; index is ignored. */
    static final class FieldAlgorithm extends MutexAlgorithm {
        @Override
        int load(Object holder, long index) {
            return ((AbstractMutex) holder).state;
        }

        @Override
        boolean weakCasAcquire(Object holder, long index, int expect, int update) {
            return STATE.weakCompareAndSetAcquire((AbstractMutex) holder, expect, update);
        }

        @Override
        boolean casRelease(Object holder, long index, int expect, int update) {
            return (int) STATE.compareAndExchangeRelease((AbstractMutex) holder, expect, update) == expect;
        }

        @Override
        boolean cas(Object holder, long index, int expect, int update) {
            return STATE.compareAndSet((AbstractMutex) holder, expect, update);
        }

        @Override
        int getAndBitwiseAndRelease(Object holder, long index, int mask) {
            return (int) STATE.getAndBitwiseAndRelease((AbstractMutex) holder, mask);
        }

        @Override
        int getAndBitwiseOr(Object holder, long index, int bits) {
            return (int) STATE.getAndBitwiseOr((AbstractMutex) holder, bits);
        }
    }

    // VarHandle mechanics
    static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(AbstractMutex.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
