/*
 * Ported from parking_lot `src/once.rs` (call_once_slow, the poison guard).
 */
package org.parkinglot.locks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.core.SpinWait;

/**
 * What {@link Once} and {@link Lazy} share: parking_lot's once protocol on one {@code int} of state and
 * one reference slot. Waiters park under the key (this, 0). A subclass says what running the once means
 * ({@link #perform}).
 */
abstract class AbstractOnce {

    /*
     * Implementation notes.
     *
     * State bits (parking_lot's values):
     *
     *   DONE      the action completed normally. Terminal: once set, the word is exactly DONE forever
     *             (the completing swap clears every other bit), so the fast path compares with ==.
     *   POISONED  the last run threw; no run is in progress. Set only by the failing runner's swap,
     *             which clears LOCKED and PARKED; cleared only by a forced claim (the claim CAS writes
     *             exactly LOCKED). Never set together with LOCKED or DONE.
     *   LOCKED    a thread has claimed the run and is running the action (or about to). Set only by the
     *             claim CAS from a word without DONE and LOCKED; cleared only by the runner's final swap.
     *   PARKED    a thread is parked on (this, 0), or about to park. Set only by a waiter's CAS from a
     *             word that has LOCKED (so only while a run is in progress); cleared with LOCKED by the
     *             runner's final swap, which then wakes every parked thread. "PARKED, nobody queued" is
     *             possible (a waiter set it and then found the word changed): it costs one unparkAll.
     *
     *   word            state()       slot holds
     *   0               NEW           the payload (Lazy: its supplier; Once: null)
     *   LOCKED[|PARKED] IN_PROGRESS   the running thread (the payload until the runner's first write)
     *   POISONED        POISONED      the Throwable the last run threw
     *   DONE            DONE          the result (Lazy: its value; Once: null)
     *
     * Transitions: NEW -> IN_PROGRESS (claim), IN_PROGRESS -> DONE (success), IN_PROGRESS -> POISONED
     * (throw), POISONED -> IN_PROGRESS (forced claim: Once.callForce only).
     *
     * Orderings.
     * - Done check (fast path and each slow-path loop): a volatile read of the word (acquire) that sees
     *   DONE reads from the runner's release swap, so the action's writes and the runner's slot write
     *   happen-before everything the caller does after it returns (Lazy's get reads the slot plainly
     *   right after). This is the one ordering the "runs once and publishes" jcstress test checks
     *   (OnceTests; its twin weakens this read to plain and loses the edge).
     * - Claim: compareAndExchangeAcquire. The runner reads the slot (Lazy's supplier, or a Once's old
     *   cause) after it; the acquire orders that read after the constructor's write or the previous
     *   runner's release swap.
     * - Completion: the runner writes the slot plainly, then getAndSetRelease(DONE or POISONED): release
     *   publishes the slot and the action's effects to every acquire read of the new word. Atomicity
     *   makes it see any PARKED a waiter set before, so it knows to wake.
     * - PARKED: a volatile CAS, but its ordering is not what matters: a waiter sleeps only if
     *   validate, under the bucket lock, still reads LOCKED|PARKED; the runner's swap clears both before
     *   its unparkAll takes the same bucket lock, so either validate sees the swap (no sleep) or the
     *   waiter is queued before unparkAll looks (woken). No lost wake-up.
     * - Cause: a caller that reads POISONED (volatile) reads the slot plainly after it: it sees the
     *   failing runner's cause or a later write. Only a forced claim can follow, so a later write is a
     *   Thread (a forced runner), null (it succeeded) or a newer cause; anything not a Throwable sends
     *   the caller back to re-read the word.
     * - Recursion check: a waiter compares the slot (plain read) with itself. Only a runner writes a
     *   thread into the slot, and only its own; a thread always sees its own latest write, and every
     *   runner overwrites its entry before it finishes, so the slot reads as the current thread exactly
     *   while the current thread runs the action (a waiter never waits for itself). The one blind spot:
     *   a Lazy whose supplier is itself a Thread, read as the payload in the instant between a claim
     *   and the runner's first write; a real supplier is never a Thread.
     *
     * Waiting: spin while no thread is parked (parking_lot's SpinWait), then set PARKED and park
     * uninterruptibly with validate "word == LOCKED|PARKED"; after every wake-up, re-read the word.
     * Waiters do not take part in a run: they only wait for its end. Interrupts are ignored (the status
     * is kept), as a once cannot leave its caller without the result.
     *
     * Exceptions: the runner catches every Throwable, stores it, poisons, wakes, and rethrows it. An
     * OutOfMemoryError while parking (the wait node) propagates with PARKED set and nobody queued:
     * harmless. A StackOverflowError inside the catch block itself would leave the word LOCKED; not
     * defended against.
     */

    /** The action completed; terminal, and then the word holds nothing else. */
    static final int DONE = 1;
    /** The last run threw; never set with {@link #LOCKED} or {@link #DONE}. */
    static final int POISONED = 2;
    /** A run is in progress; the slot holds the running thread. */
    static final int LOCKED = 4;
    /** A thread is parked on (this, 0), or about to; set only while {@link #LOCKED} is. */
    static final int PARKED = 8;
    /** The word a waiter sleeps on. */
    static final int LOCKED_AND_PARKED = LOCKED | PARKED;

    /** The state word (see the notes above); read volatile, changed only by CAS and swaps. */
    volatile int state;
    /**
     * The payload (NEW), the running thread (IN_PROGRESS), the cause (POISONED) or the result (DONE).
     * Written only by the thread that holds LOCKED (and by the constructor), always before the release
     * swap that ends the run; read plainly after an acquire read of the word (see the notes).
     */
    Object slot;

    AbstractOnce(Object payload) {
        this.slot = payload;
    }

    /**
     * Runs the once's work for the thread that claimed it.
     *
     * @param action  what the caller passed (a {@code Runnable} for {@link Once}; unused by {@link Lazy})
     * @param payload what the slot held before the claim (a {@code Supplier} for {@link Lazy})
     * @return what the slot holds once DONE
     */
    abstract Object perform(Object action, Object payload);

    /** The public state derived from the word. */
    final Once.State stateOf(int s) {
        if ((s & DONE) != 0) {
            return Once.State.DONE;
        }
        if ((s & LOCKED) != 0) {
            return Once.State.IN_PROGRESS;
        }
        return (s & POISONED) != 0 ? Once.State.POISONED : Once.State.NEW;
    }

    /**
     * The slow path: returns once the word is DONE (seen with an acquire read, or by running the work
     * here); throws if poisoned (unless {@code force}), on a recursive call, or what the work threw.
     */
    final void callSlow(Object action, boolean force) {
        SpinWait spin = null;
        int s = state;
        for (;;) {
            if (s == DONE) {
                return; // the volatile read that saw DONE is the acquire (see the notes)
            }
            if ((s & LOCKED) == 0) {
                if ((s & POISONED) != 0 && !force) {
                    Object cause = slot; // plain: after the volatile read of POISONED (see the notes)
                    if (cause instanceof Throwable t) {
                        throw new IllegalStateException(
                                "poisoned: an earlier run threw " + t.getClass().getName(), t);
                    }
                    s = state; // a forced run claimed it meanwhile
                    continue;
                }
                int witness = (int) STATE.compareAndExchangeAcquire(this, s, LOCKED);
                if (witness == s) {
                    run(action);
                    return;
                }
                s = witness;
                continue;
            }
            if (slot == Thread.currentThread()) { // plain: only this thread writes itself here
                throw new IllegalStateException("recursive call: this thread is running this once's action");
            }
            if ((s & PARKED) == 0) {
                if (spin == null) {
                    spin = new SpinWait();
                }
                if (spin.spin()) {
                    s = state;
                    continue;
                }
                int witness = (int) STATE.compareAndExchange(this, s, s | PARKED);
                if (witness != s) {
                    s = witness;
                    continue;
                }
            }
            ParkingLot.park(this, 0L, WAIT, ParkingLot.DEFAULT_PARK_TOKEN, ParkingLot.FOREVER, false);
            if (spin != null) {
                spin.reset();
            }
            s = state;
        }
    }

    /** Runs the work as the claimer (the word is LOCKED by this thread), then completes or poisons. */
    private void run(Object action) {
        Object payload = slot; // plain: after the acquire claim
        slot = Thread.currentThread(); // plain: read by this thread's own recursion check
        Object result;
        try {
            result = perform(action, payload);
        } catch (Throwable t) {
            slot = t; // plain: published by the release swap
            finish(POISONED);
            throw t;
        }
        slot = result; // plain: published by the release swap
        finish(DONE);
    }

    /** Ends the run with {@code outcome}, waking every waiter if one announced itself. */
    private void finish(int outcome) {
        int previous = (int) STATE.getAndSetRelease(this, outcome);
        if ((previous & PARKED) != 0) {
            ParkingLot.unparkAll(this, 0L, ParkingLot.DEFAULT_UNPARK_TOKEN);
        }
    }

    /** The park callbacks of every once: sleep only while the word still says "running, waiters parked". */
    private static final class WaitCallbacks implements ParkingLot.ParkCallbacks {
        @Override
        public boolean validate(Object key, long lane) {
            return ((AbstractOnce) key).state == LOCKED_AND_PARKED;
        }
    }

    /** Shared by every park: the key leads to the word. */
    private static final WaitCallbacks WAIT = new WaitCallbacks();

    // VarHandle mechanics
    static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(AbstractOnce.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
