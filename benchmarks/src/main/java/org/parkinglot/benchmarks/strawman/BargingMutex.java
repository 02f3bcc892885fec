/*
 * The protocol of parking_lot `src/raw_mutex.rs` with the fair hand-off removed (WebKit
 * `Tools/TestWebKitAPI/Tests/WTF/ToyLocks.h`, BargingLock, is the same straw man).
 */
package org.parkinglot.benchmarks.strawman;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;
import org.parkinglot.core.ParkResult;
import org.parkinglot.core.ParkingLot;

/**
 * A straw-man mutex: the algorithm of {@code org.parkinglot.locks.RawMutex}
 * with eventual fairness switched off. Every unlock releases the lock and wakes one waiter, which then
 * competes with every arriving thread; the lock is never handed directly to a waiter, so a waiter can
 * lose every race for as long as other threads keep locking (unbounded waits). It exists only to show
 * what {@code RawMutex}'s fair hand-off buys; the library has no switch to disable that, and its
 * algorithm class is package-private, so this is an independent copy of the protocol, not the
 * library's code.
 *
 * <p>Not reentrant, no owner: any thread may unlock. Memory effects as {@link java.util.concurrent.locks.Lock}.
 */
public final class BargingMutex implements StrawLock {

    /*
     * Implementation notes.
     *
     * The state word and its transitions are RawMutex's (LOCKED, PARKED, WOKEN: see MutexAlgorithm),
     * minus one: the unpark callback never keeps LOCKED for the woken thread. Waiters park under
     * (this, 0) with the validate "LOCKED and PARKED both set", checked under the bucket lock; PARKED
     * is cleared only under that lock, so no waiter ever sleeps with PARKED clear. An unlock skips the
     * wake-up while WOKEN says a woken waiter is still on its way; that thread clears WOKEN in the CAS
     * that takes the lock or re-announces PARKED (seeing LOCKED set), so no wake-up is lost. Lock:
     * barge whenever LOCKED is clear, spin (pause hints, bounded) while nobody is parked or as the woken
     * thread, else set PARKED and park.
     */

    /** The lock is held. */
    static final int LOCKED = 1;
    /** A thread is parked (or about to park); cleared only under the key's bucket lock. */
    static final int PARKED = 2;
    /** A woken waiter is on its way: an unlock need not wake another one. */
    static final int WOKEN = 4;
    /** LOCKED and PARKED. */
    static final int BOTH = LOCKED | PARKED;
    /** Unpark token: nobody was queued. */
    private static final long TOKEN_NORMAL = 0L;
    /** Unpark token: the lock was released and WOKEN set; the woken thread competes and clears WOKEN. */
    private static final long TOKEN_WOKEN = 2L;
    /** Pause-hint back-off steps, as RawMutex: for a new arrival, and for the woken thread. */
    private static final int SPIN_STEPS = 7;
    private static final int WOKEN_SPIN_STEPS = 4;

    /** The state word: LOCKED, PARKED, WOKEN, as RawMutex's. */
    private volatile int state;

    /** Under the bucket lock: sleep only while the lock is held and PARKED is still set. */
    private final BooleanSupplier mustWait = () -> (state & BOTH) == BOTH;
    /** Under the bucket lock: release, clearing PARKED with the last waiter; never hands over. */
    private final ParkingLot.UnparkCallback release = result -> {
        // release: the unlocker's critical section happens-before the next acquire CAS that sees LOCKED clear
        if (result.unparkedThreads() == 0) {
            STATE.getAndBitwiseAndRelease(this, ~BOTH);
            return TOKEN_NORMAL;
        }
        int s = state;
        for (;;) {
            int update = (s & ~LOCKED) | WOKEN;
            if (!result.haveMoreThreads()) {
                update &= ~PARKED;
            }
            int witness = (int) STATE.compareAndExchangeRelease(this, s, update);
            if (witness == s) {
                return TOKEN_WOKEN;
            }
            s = witness;
        }
    };
    /** Under the bucket lock: the last waiter leaving without a wake-up clears PARKED (parks here never time out). */
    private final ParkingLot.TimedOutCallback leave = (key, lane, wasLastThread) -> {
        if (wasLastThread) {
            STATE.getAndBitwiseAndRelease(this, ~PARKED); // under the bucket lock, which orders it with unparkers
        }
    };

    /** Creates an unlocked mutex. */
    public BargingMutex() {
    }

    /** Acquires the lock, spinning briefly and then parking while another thread holds it. */
    @Override
    public void lock() {
        int s = state;
        if ((s & LOCKED) != 0 || !STATE.weakCompareAndSetAcquire(this, s, s | LOCKED)) { // acquire: pairs with every releasing unlock
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
        int s = state;
        boolean plain = (s & LOCKED) != 0 && (s & (PARKED | WOKEN)) != PARKED;
        if (!plain || !STATE.weakCompareAndSetRelease(this, s, s & ~LOCKED)) { // release: pairs with the next acquire CAS
            unlockSlow();
        }
    }

    /**
     * Returns whether the lock is held: a snapshot.
     *
     * @return {@code true} if LOCKED is set
     */
    @Override
    public boolean isLocked() {
        return (state & LOCKED) != 0;
    }

    private void lockSlow() {
        boolean woken = false;
        int spins = 0;
        int s = state;
        for (;;) {
            if ((s & LOCKED) == 0) {
                if (STATE.weakCompareAndSetAcquire(this, s, woken ? (s | LOCKED) & ~WOKEN : s | LOCKED)) {
                    return;
                }
                s = state;
                continue;
            }
            if (((s & PARKED) == 0 || woken) && spins < (woken ? WOKEN_SPIN_STEPS : SPIN_STEPS)) {
                for (int i = 2 << spins; i > 0; i--) {
                    Thread.onSpinWait();
                }
                spins++;
                s = state;
                continue;
            }
            int update = woken ? (s | PARKED) & ~WOKEN : s | PARKED;
            if (update != s) {
                int witness = (int) STATE.compareAndExchange(this, s, update);
                if (witness != s) {
                    s = witness;
                    continue;
                }
            }
            ParkResult result = ParkingLot.park(this, 0L, mustWait, NOTHING, leave,
                    ParkingLot.DEFAULT_PARK_TOKEN, ParkingLot.FOREVER, false);
            assert result.kind() == ParkResult.Kind.UNPARKED || result.kind() == ParkResult.Kind.INVALID;
            woken = result.isUnparked() && result.unparkToken() == TOKEN_WOKEN;
            spins = 0;
            s = state;
        }
    }

    private void unlockSlow() {
        int s = state;
        for (;;) {
            if ((s & LOCKED) == 0) {
                throw new IllegalMonitorStateException("mutex is not locked");
            }
            if ((s & (PARKED | WOKEN)) == PARKED) {
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
