/*
 * Ported from tokio `tokio/src/runtime/park.rs` (UnparkThread; Tokio contributors, MIT).
 */
package org.parkinglot.core;

/**
 * The handle through which other threads wake the owner of a {@link Parker}: a {@link Runnable} whose
 * {@link #run()} is {@link #unpark()}, so it can be handed to any API that takes a wake-up callback.
 *
 * <p>Obtained from {@link Parker#unparker()}; each parker has exactly one unparker, so two unparkers are
 * equal only if they are the same object (equality is identity). Safe to use from any thread, any number
 * of times, before, during or after the owner parks; unparking after the owner has terminated does
 * nothing harmful. An unparker keeps its parker, and so the owner {@link Thread} object, reachable.
 *
 * <p>Memory synchronization: actions in a thread prior to {@link #unpark()} happen-before actions in
 * the owner following the return of a park that consumes the resulting permit (see {@link Parker}).
 *
 * <pre>{@code
 * Parker parker = new Parker();                  // on the thread that will wait
 * Unparker unparker = parker.unparker();
 * scheduler.schedule(unparker, 10, TimeUnit.MILLISECONDS);
 * parker.park();                                 // woken by the scheduled unpark (or an interrupt)
 * }</pre>
 */
public final class Unparker implements Runnable {

    /** The parker this handle wakes; final, so safely published with the handle. */
    private final Parker parker;

    /** Creates the one handle of {@code parker}; called only by the {@link Parker} constructor. */
    Unparker(Parker parker) {
        this.parker = parker;
    }

    /**
     * Makes the parker's permit available and wakes its owner if it is parked; the same as
     * {@link Parker#unpark()}. Permits do not accumulate.
     */
    public void unpark() {
        parker.unpark();
    }

    /** Unparks the parker's owner: the same as {@link #unpark()}. */
    @Override
    public void run() {
        parker.unpark();
    }

    /**
     * Compares by identity: since each parker has exactly one unparker, two unparkers are equal only if
     * they wake the same parker.
     *
     * @param other the object to compare with
     * @return {@code true} if {@code other} is this unparker
     */
    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    /**
     * Returns the identity hash code, consistent with {@link #equals(Object)}.
     *
     * @return {@code System.identityHashCode(this)}
     */
    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    /**
     * Returns a string naming the owner thread, for debugging.
     *
     * @return a description such as {@code Unparker[thread=#23,worker]}
     */
    @Override
    public String toString() {
        return "Unparker[thread=" + Parker.describe(parker.owner) + "]";
    }
}
