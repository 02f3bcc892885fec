package org.parkinglot.benchmarks.strawman;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The floor: a spin lock of one {@code compareAndSet(0, 1)} to lock and one {@code compareAndSet(1, 0)}
 * to unlock. A lock that can park must read-modify-write its word on unlock to see whether anyone
 * waits, so CAS + CAS is the least any such lock pays uncontended. It never parks nor yields: a waiter
 * spins on {@link Thread#onSpinWait()} re-reading the word (test-and-test-and-set), so with more threads
 * than cores a waiter can burn its whole time slice while the holder is descheduled. A baseline, not a
 * usable lock.
 *
 * <h2>Memory synchronization</h2>
 * Both CASes are volatile, so what a thread did before unlocking happens-before what the next owner
 * does after locking.
 */
public final class FloorLock implements StrawLock {

    /** 0: free, 1: held; only the owner stores 0 over 1. */
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    /** Creates an unlocked lock. */
    public FloorLock() {
    }

    @Override
    public void lock() {
        while (!STATE.compareAndSet(this, 0, 1)) {
            do {
                Thread.onSpinWait();
            } while (state != 0);
        }
    }

    @Override
    public void unlock() {
        if (!STATE.compareAndSet(this, 1, 0)) {
            throw new IllegalMonitorStateException("floor lock was not held");
        }
    }

    @Override
    public boolean isLocked() {
        return state != 0;
    }

    // VarHandle mechanics
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(FloorLock.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
