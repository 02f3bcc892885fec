/*
 * The protocol of parking_lot `src/raw_mutex.rs` with the fair hand-off removed (WebKit
 * `Tools/TestWebKitAPI/Tests/WTF/ToyLocks.h`, BargingLock, is the same straw man).
 */
package org.parkinglot.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;
import org.parkinglot.core.ParkResult;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.core.SpinWait;

/**
 * A straw-man mutex for {@link FairnessRun}: the algorithm of {@code org.parkinglot.locks.RawMutex}
 * with eventual fairness switched off. Every unlock releases the lock and wakes one waiter, which then
 * competes with every arriving thread; the lock is never handed directly to a waiter, so a waiter can
 * lose every race for as long as other threads keep locking (unbounded waits). It exists only to show
 * what {@code RawMutex}'s fair hand-off buys; the library has no switch to disable that, and its
 * algorithm class is package-private, so this is an independent copy of the protocol, not the
 * library's code.
 *
 * <p>Not reentrant, no owner: any thread may unlock. Memory effects as {@link java.util.concurrent.locks.Lock}.
 */
final class BargingMutex implements FairnessRun.Mutex {

    /*
     * Implementation notes.
     *
     * The state word and its transitions are RawMutex's (the 4-row table in `state`), minus one: the
     * unpark callback never keeps LOCKED for the woken thread. Waiters park under (this, 0) with the
     * validate "LOCKED and PARKED both set", checked under the bucket lock; PARKED is cleared only under
     * that lock (in the unpark callback when the last waiter is woken), so no waiter ever sleeps with
     * PARKED clear and no wake-up is lost. Lock: barge whenever LOCKED is clear, spin (SpinWait) while
     * nobody is parked, else set PARKED and park; a wake-up only means "try again".
     */

    /** The lock is held. */
    static final int LOCKED = 1;
    /** A thread is parked (or about to park); cleared only under the key's bucket lock. */
    static final int PARKED = 2;
    /** Both bits. */
    static final int BOTH = LOCKED | PARKED;
    /** The only unpark token: the lock was released, compete for it. */
    private static final long TOKEN_NORMAL = 0L;

    /**
     * The state word.
     * <pre>
     * PARKED LOCKED
     *   0      0     free, nobody waiting
     *   0      1     held, nobody waiting
     *   1      0     free; a woken waiter may be on its way, or threads remain queued
     *   1      1     held, with waiters
     * </pre>
     */
    private volatile int state;

    /** Under the bucket lock: sleep only while the lock is held and PARKED is still set. */
    private final BooleanSupplier mustWait = () -> (state & BOTH) == BOTH;
    /** Under the bucket lock: release, clearing PARKED with the last waiter; never hands over. */
    private final ParkingLot.UnparkCallback release = result -> {
        // release: the unlocker's critical section happens-before the next acquire CAS that sees LOCKED clear
        STATE.getAndBitwiseAndRelease(this, result.haveMoreThreads() ? ~LOCKED : ~BOTH);
        return TOKEN_NORMAL;
    };
    /** Under the bucket lock: the last waiter leaving without a wake-up clears PARKED (parks here never time out). */
    private final ParkingLot.TimedOutCallback leave = (key, lane, wasLastThread) -> {
        if (wasLastThread) {
            STATE.getAndBitwiseAndRelease(this, ~PARKED); // under the bucket lock, which orders it with unparkers
        }
    };

    /** Creates an unlocked mutex. */
    BargingMutex() {
    }

    /** Acquires the lock, spinning briefly and then parking while another thread holds it. */
    @Override
    public void lock() {
        if (!STATE.weakCompareAndSetAcquire(this, 0, LOCKED)) { // acquire: pairs with every releasing unlock
            lockSlow();
        }
    }

    /**
     * Releases the lock and, if a thread is parked, wakes the longest-waiting one to compete for it.
     *
     * @throws IllegalMonitorStateException if the lock is not held (state unchanged)
     */
    @Override
    public void unlock() {
        if (!STATE.weakCompareAndSetRelease(this, LOCKED, 0)) { // release: pairs with the next acquire CAS
            unlockSlow();
        }
    }

    /**
     * Returns whether the lock is held: a snapshot.
     *
     * @return {@code true} if LOCKED is set
     */
    boolean isLocked() {
        return (state & LOCKED) != 0;
    }

    private void lockSlow() {
        SpinWait spinWait = new SpinWait();
        int s = state;
        for (;;) {
            if ((s & LOCKED) == 0) {
                if (STATE.weakCompareAndSetAcquire(this, s, s | LOCKED)) {
                    return;
                }
                s = state;
                continue;
            }
            if ((s & PARKED) == 0 && spinWait.spin()) {
                s = state;
                continue;
            }
            if ((s & PARKED) == 0) {
                int witness = (int) STATE.compareAndExchange(this, s, s | PARKED);
                if (witness != s) {
                    s = witness;
                    continue;
                }
            }
            ParkResult result = ParkingLot.park(this, 0L, mustWait, NOTHING, leave,
                    ParkingLot.DEFAULT_PARK_TOKEN, ParkingLot.FOREVER, false);
            assert result.kind() == ParkResult.Kind.UNPARKED || result.kind() == ParkResult.Kind.INVALID;
            spinWait.reset();
            s = state;
        }
    }

    private void unlockSlow() {
        int s = state;
        for (;;) {
            if ((s & LOCKED) == 0) {
                throw new IllegalMonitorStateException("mutex is not locked");
            }
            if ((s & PARKED) != 0) {
                ParkingLot.unparkOne(this, 0L, release);
                return;
            }
            int witness = (int) STATE.compareAndExchangeRelease(this, s, s & ~LOCKED);
            if (witness == s) {
                return;
            }
            s = witness;
        }
    }

    /** Nothing to do between queuing and sleeping. */
    private static final Runnable NOTHING = () -> { };

    // VarHandle mechanics
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(BargingMutex.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
