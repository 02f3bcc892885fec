/*
 * After WebKit's Source/WTF/benchmarks/ToyLocks.h (YieldSpinLock, PauseSpinLock): a straw man.
 */
package org.parkinglot.benchmarks.strawman;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A straw-man spin lock: one CAS to lock, a release store to unlock, and a
 * waiter that never parks - it spins with {@link Thread#onSpinWait()} for a while, then keeps calling
 * {@link Thread#yield()}. It shows what a parking lock buys when there are more threads than CPUs: a
 * preempted owner makes every waiter burn its time slice.
 *
 * <h2>Memory synchronization</h2>
 * The locking CAS has acquire semantics and the unlocking store release semantics, so what a thread
 * did before unlocking happens-before what the next owner does after locking.
 */
public final class SpinLock implements StrawLock {

    /*
     * Implementation notes.
     *
     * A test-and-test-and-set lock: waiters read the word (opaque) and try the CAS only when it reads
     * UNLOCKED, so they do not hammer the cache line with failing CASes. No queue, no fairness: any
     * spinning thread may win.
     */

    /** The state word's unlocked value. */
    private static final int UNLOCKED = 0;
    /** The state word's locked value; only the owner may store {@link #UNLOCKED} over it. */
    private static final int LOCKED = 1;
    /** How many failed attempts spin with {@code onSpinWait} before the waiter starts yielding instead. */
    private static final int SPIN_LIMIT = 64;

    /**
     * The lock word.
     * <pre>
     *   UNLOCKED (0)  free
     *   LOCKED   (1)  held by one thread
     * </pre>
     */
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    /** Creates an unlocked spin lock. */
    public SpinLock() {
    }

    /** Acquires the lock, spinning (never parking) until it is free. */
    @Override
    public void lock() {
        if (!STATE.weakCompareAndSetAcquire(this, UNLOCKED, LOCKED)) {
            lockSlow();
        }
    }

    /**
     * Releases the lock.
     *
     * @throws IllegalMonitorStateException if the lock is not held
     */
    @Override
    public void unlock() {
        if ((int) STATE.getOpaque(this) != LOCKED) { // the owner's own earlier CAS: program order
            throw new IllegalMonitorStateException("spin lock is not locked");
        }
        STATE.setRelease(this, UNLOCKED);
    }

    /**
     * Tells whether some thread holds the lock; a snapshot, for monitoring.
     *
     * @return true if locked
     */
    @Override
    public boolean isLocked() {
        return (int) STATE.getVolatile(this) == LOCKED;
    }

    private void lockSlow() {
        int attempts = 0;
        for (;;) {
            if ((int) STATE.getOpaque(this) == UNLOCKED // a hint only: the CAS below orders
                    && STATE.weakCompareAndSetAcquire(this, UNLOCKED, LOCKED)) {
                return;
            }
            if (attempts < SPIN_LIMIT) {
                attempts++;
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    // VarHandle mechanics
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(SpinLock.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
