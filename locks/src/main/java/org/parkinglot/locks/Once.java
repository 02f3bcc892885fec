/*
 * Ported from parking_lot `src/once.rs`.
 */
package org.parkinglot.locks;

import java.util.Objects;

/**
 * Runs an action exactly once, however many threads call: the first caller runs it, concurrent callers
 * wait (parked in the global {@link org.parkinglot.core.ParkingLot}) until it is done, later callers
 * return at once. One {@code int} of state and one reference: 24 bytes per instance on a 64-bit JVM with
 * default flags (16 with {@code -XX:+UseCompactObjectHeaders}).
 *
 * <pre>{@code
 * private static final Once INIT = new Once();
 *
 * static void ensureInitialized() {
 *     INIT.call(() -> loadNativeLibrary()); // every caller returns after the library is loaded
 * }
 * }</pre>
 *
 * <h2>Poisoning</h2>
 * If the action throws, the exception propagates to the caller that ran it and the once becomes
 * {@linkplain State#POISONED poisoned}: threads waiting for that run, and every later {@link #call},
 * throw {@link IllegalStateException} with the original exception as its cause. {@link #callForce}
 * runs an action even on a poisoned once (a retry); if it completes, the once is done and no longer
 * poisoned.
 *
 * <h2>Waiting</h2>
 * A caller that finds the action running lies dormant until the run ends (completes or throws).
 * Waiting is uninterruptible: an interrupt does not end it, and the thread's interrupt status is kept
 * (a once cannot return to its caller without the action's result). A thread that calls {@code call}
 * or {@code callForce} on the same once from inside the action it is running would wait for itself
 * forever: it gets {@link IllegalStateException} instead.
 *
 * <h2>Memory synchronization</h2>
 * Everything the action did happens-before the return of every {@code call} or {@code callForce} that
 * returns normally (the run's own and all others, now and later), and before the
 * {@link IllegalStateException} of a poisoned once is thrown, for the writes of the run that threw.
 * A call on a completed once costs one volatile read.
 *
 * @see Lazy
 */
public final class Once extends AbstractOnce {

    /*
     * Implementation notes.
     *
     * The state word, its transitions and every ordering: AbstractOnce's notes. Once adds the fast paths
     * (a null check and a volatile read that finds DONE) and its action: the caller's Runnable; the slot
     * holds null when new and when done, the running thread while in progress, the cause when poisoned.
     * parking_lot's call_once_force passes an OnceState to its closure; here the caller can read
     * state() before calling instead (a retry after poisoning is the common use).
     */

    /** What a {@link Once} (or {@link Lazy}) is doing, as {@link #state()} reports it. */
    public enum State {
        /** Nothing has run yet. */
        NEW,
        /** An action is running now (the first one, or a {@link #callForce} retry after poisoning). */
        IN_PROGRESS,
        /** The last action threw; no action is running. */
        POISONED,
        /** An action completed; no action will run again. */
        DONE
    }

    /** Creates a once that has not run. */
    public Once() {
        super(null);
    }

    /**
     * Runs {@code action} if no action has completed on this once yet; in every case returns only once
     * an action has completed. If another thread is running an action, waits for it (uninterruptibly,
     * keeping the interrupt status); if that run throws, this call throws too (see below).
     *
     * @param action what to run, at most once across all callers
     * @throws NullPointerException  if {@code action} is null (also on a completed once)
     * @throws IllegalStateException if this once is poisoned (an action threw; the cause is that
     *                               exception), or if the current thread is itself running this once's
     *                               action (a recursive call)
     * @throws RuntimeException      or {@link Error}: whatever {@code action} threw, if this call ran it
     *                               (the once is then poisoned)
     */
    public void call(Runnable action) {
        Objects.requireNonNull(action, "action");
        if (state != DONE) {
            callSlow(action, false);
        }
    }

    /**
     * As {@link #call}, but runs {@code action} even if this once is poisoned (a retry); if it
     * completes, the once is done and no longer poisoned. Does nothing on a completed once. Waits for a
     * run in progress as {@code call} does, and if that run throws, claims the once and runs
     * {@code action} in turn.
     *
     * @param action what to run if no action has completed yet
     * @throws NullPointerException  if {@code action} is null
     * @throws IllegalStateException if the current thread is itself running this once's action
     * @throws RuntimeException      or {@link Error}: whatever {@code action} threw (the once stays or
     *                               becomes poisoned, with this exception as the new cause)
     */
    public void callForce(Runnable action) {
        Objects.requireNonNull(action, "action");
        if (state != DONE) {
            callSlow(action, true);
        }
    }

    /**
     * Whether an action has completed: then {@link #call} returns at once and everything the action did
     * is visible to the current thread.
     *
     * @return {@code true} if done
     */
    public boolean isCompleted() {
        return state == DONE;
    }

    /**
     * The current state: a snapshot, which may be stale by the time it is used (except {@code DONE},
     * which is final).
     *
     * @return what this once is doing
     */
    public State state() {
        return stateOf(state);
    }

    /**
     * Describes this once: the identity string of {@link Object#toString()} followed by the state in
     * brackets, and the running thread's name while in progress, as in {@code Once@1b6d3586[IN_PROGRESS by
     * main]}.
     *
     * @return the description
     */
    @Override
    public String toString() {
        State s = state();
        Object running = slot; // racy read, for information only
        String suffix = s == State.IN_PROGRESS && running instanceof Thread t ? " by " + t.getName() : "";
        return super.toString() + "[" + s + suffix + "]";
    }

    @Override
    Object perform(Object action, Object payload) {
        ((Runnable) action).run();
        return null;
    }
}
