/*
 * After WebKit's Source/WTF/benchmarks/ToyLocks.h (ThunderLock): a straw man.
 */
package org.parkinglot.benchmarks.strawman;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.parkinglot.core.ParkingLot;

/**
 * A straw-man "thundering herd" lock: waiters park in the
 * {@link ParkingLot}, and an unlock that finds any parked thread wakes <em>all</em> of them
 * ({@link ParkingLot#unparkAll(Object)}) to fight over the lock again; the losers park again. It shows
 * why the real locks wake one thread at a time.
 *
 * <h2>Memory synchronization</h2>
 * Locking CASes have acquire semantics and unlocking CAS/exchange release semantics, so what a thread
 * did before unlocking happens-before what the next owner does after locking.
 */
public final class UnparkAllLock implements StrawLock {

    /*
     * Implementation notes.
     *
     * Three states. A waiter spins a little (yielding) while nobody is parked, then moves
     * LOCKED -> LOCKED_PARKED and parks under (this, 0) while the word still reads LOCKED_PARKED
     * (validated under the bucket lock, so an unlock in between makes the park return INVALID at once).
     * An unlock from LOCKED_PARKED stores UNLOCKED and wakes every queued thread. No waiter is lost: a
     * thread only parks after making the word LOCKED_PARKED, and the unlock that clears that state wakes
     * everyone queued before it; a woken thread that loses the race sets LOCKED_PARKED again before
     * parking again.
     */

    /** The state word's unlocked value; no thread is parked (every unlock from LOCKED_PARKED woke all). */
    private static final int UNLOCKED = 0;
    /** Held, and no thread parked since it was acquired. */
    private static final int LOCKED = 1;
    /** Held, and threads may be parked under (this, 0): the unlock must wake them all. */
    private static final int LOCKED_PARKED = 2;
    /** How many yielding attempts a waiter makes before it parks. */
    private static final int SPIN_LIMIT = 40;

    /**
     * The lock word.
     * <pre>
     *   UNLOCKED      (0)  free, nobody parked
     *   LOCKED        (1)  held, nobody parked
     *   LOCKED_PARKED (2)  held, parked threads may exist
     * </pre>
     */
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    /** Creates an unlocked lock. */
    public UnparkAllLock() {
    }

    /** Acquires the lock, parking in the parking lot if it stays busy. Interrupts are ignored. */
    @Override
    public void lock() {
        if (!STATE.weakCompareAndSetAcquire(this, UNLOCKED, LOCKED)) {
            lockSlow();
        }
    }

    /**
     * Releases the lock and, if any thread parked meanwhile, wakes all of them.
     *
     * @throws IllegalMonitorStateException if the lock is not held
     */
    @Override
    public void unlock() {
        if (!STATE.compareAndSet(this, LOCKED, UNLOCKED)) {
            unlockSlow();
        }
    }

    /**
     * Tells whether some thread holds the lock; a snapshot, for monitoring.
     *
     * @return true if locked
     */
    @Override
    public boolean isLocked() {
        return (int) STATE.getVolatile(this) != UNLOCKED;
    }

    private void lockSlow() {
        for (int i = 0; i < SPIN_LIMIT; i++) {
            int s = (int) STATE.getVolatile(this);
            if (s == UNLOCKED && STATE.weakCompareAndSetAcquire(this, UNLOCKED, LOCKED)) {
                return;
            }
            if (s == LOCKED_PARKED) {
                break;
            }
            Thread.yield();
        }
        for (;;) {
            if (STATE.compareAndSet(this, UNLOCKED, LOCKED)) {
                return;
            }
            STATE.compareAndSet(this, LOCKED, LOCKED_PARKED);
            ParkingLot.compareAndPark(this, () -> (int) STATE.getVolatile(this), LOCKED_PARKED);
        }
    }

    private void unlockSlow() {
        int previous = (int) STATE.getAndSet(this, UNLOCKED);
        if (previous == LOCKED_PARKED) {
            ParkingLot.unparkAll(this);
        } else if (previous == UNLOCKED) {
            throw new IllegalMonitorStateException("lock is not locked");
        }
    }

    // VarHandle mechanics
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(UnparkAllLock.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
