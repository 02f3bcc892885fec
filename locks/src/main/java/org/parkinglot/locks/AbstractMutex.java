package org.parkinglot.locks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What the mutexes of this package share: one {@code int} state word driven by {@link MutexAlgorithm}
 * (waiters park under the key (this, 0)), and the hooks {@link Condvar} needs to release and re-take
 * any of them around a wait.
 */
abstract class AbstractMutex extends CondvarLock {

    /**
     * The state word: {@link MutexAlgorithm#LOCKED}, {@link MutexAlgorithm#PARKED} and
     * {@link MutexAlgorithm#WOKEN} in the low bits (see the state table in {@link MutexAlgorithm});
     * subclasses may keep constant flags above them.
     */
    volatile int state;

    AbstractMutex() {
    }

    @Override
    final Object queueKey() {
        return this;
    }

    @Override
    final boolean markParkedIfLocked() {
        return ALGORITHM.markParkedIfLocked(this, 0L);
    }

    @Override
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
