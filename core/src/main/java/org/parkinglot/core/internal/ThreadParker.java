/*
 * Ported from parking_lot `core/src/thread_parker/linux.rs` (the futex parker), on LockSupport.
 */
package org.parkinglot.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Puts one thread to sleep until another marks it unparked: the Java stand-in for parking_lot's
 * futex-based {@code ThreadParker}. One instance serves one park of one thread.
 *
 * <p>Protocol: the owner calls {@link #prepareParkNow()} before it publishes the parker (under a bucket
 * lock), then {@link #park} or {@link #parkUntil}. An unparker calls {@link #unparkLock()} under the
 * same bucket lock (phase one: the decision, with release semantics) and {@link UnparkHandle#unpark()}
 * after releasing it (phase two: the wake-up).
 */
public class ThreadParker implements UnparkHandle {

    /*
     * Implementation notes.
     *
     * LockSupport is permit based: a permit left by a late unpark() meant for an earlier park, or a
     * spurious return, can end any LockSupport.park early. The parker therefore never trusts a return
     * from LockSupport and loops on its own state word, which only unparkLock() changes. LockSupport
     * documents no memory effects, so the hand-over of everything written before unparkLock() (the
     * unpark token, a lock's state) rides on the release store of STATE and the acquire load that ends
     * the loop.
     */

    /** The state of a parker that is, or is about to be, asleep. Set only by the owner, before publication. */
    static final int PARKED = 1;
    /** The state once an unparker has chosen this thread. Set only by unparkLock(), under a bucket lock. */
    static final int UNPARKED = 0;

    /** Result of a park: an unparker chose this thread. */
    public static final int WAKE_UNPARKED = 0;
    /** Result of a park: the deadline passed first. */
    public static final int WAKE_TIMED_OUT = 1;
    /** Result of a park: the thread was interrupted first (interruptible parks only). */
    public static final int WAKE_INTERRUPTED = 2;

    /** The parked thread; final, so safely published with the parker. */
    final Thread thread;
    /** What thread dumps show this thread parking for ("parking to wait for ... (a X)"). */
    private final Object blocker;
    /** PARKED or UNPARKED; see the constants for who writes it. */
    private volatile int state;
    /**
     * Set (release) by the owner when it starts to sleep, after everything it ran before (a park's
     * beforeSleep); never cleared. Read (acquire) by monitoring only: see {@link #isSleeping()}.
     */
    @SuppressWarnings("unused") // accessed through SLEEPING
    private boolean sleeping;

    /**
     * Creates a parker for the current thread.
     *
     * @param blocker the object to report as the reason for parking (usually the lock)
     */
    public ThreadParker(Object blocker) {
        this.thread = Thread.currentThread();
        this.blocker = blocker;
    }

    /** Marks this parker as about to sleep; call before publishing it to unparkers. */
    public final void prepareParkNow() {
        STATE.set(this, PARKED); // plain: the node is published by the release of the bucket lock
    }

    /**
     * Sleeps until {@link #unparkLock()} has been called, or, if {@code interruptible}, until this
     * thread is interrupted. An uninterruptible park sleeps through interrupts and leaves the interrupt
     * status set on return; an interruptible park leaves it set too.
     *
     * @param interruptible whether an interrupt ends the park
     * @return {@link #WAKE_UNPARKED} or {@link #WAKE_INTERRUPTED}
     */
    public final int park(boolean interruptible) {
        return parkUntil(false, 0L, interruptible);
    }

    /**
     * As {@link #park(boolean)}, but also ends when {@code System.nanoTime()} reaches {@code deadline}
     * (compared overflow-safely) if {@code timed}.
     *
     * @param timed         whether {@code deadline} applies
     * @param deadline      a {@code System.nanoTime()} instant
     * @param interruptible whether an interrupt ends the park
     * @return {@link #WAKE_UNPARKED}, {@link #WAKE_TIMED_OUT} or {@link #WAKE_INTERRUPTED}; a timed-out
     *         or interrupted result is imprecise: the caller must lock the bucket and ask {@link #stillParked()}
     */
    public final int parkUntil(boolean timed, long deadline, boolean interruptible) {
        // Release: whoever reads true (acquire) also sees everything this thread did before, such as
        // the lock a condition wait released in its beforeSleep (deadlock finder, Deadlocks in locks).
        SLEEPING.setRelease(this, true);
        boolean swallowedInterrupt = false;
        try {
            while ((int) STATE.getAcquire(this) == PARKED) { // acquire: pairs with unparkLock()'s release
                if (interruptible) {
                    if (thread.isInterrupted()) {
                        return WAKE_INTERRUPTED;
                    }
                } else if (Thread.interrupted()) {
                    swallowedInterrupt = true; // else LockSupport.park would return at once, forever
                }
                if (timed) {
                    long remaining = Timeouts.remaining(deadline);
                    if (remaining <= 0L) {
                        return WAKE_TIMED_OUT;
                    }
                    LockSupport.parkNanos(blocker, remaining);
                } else {
                    LockSupport.park(blocker);
                }
            }
            return WAKE_UNPARKED;
        } finally {
            if (swallowedInterrupt) {
                thread.interrupt();
            }
        }
    }

    /**
     * Whether no unparker has chosen this thread: the precise answer after an imprecise timeout or
     * interrupt (true: the thread really timed out and must leave the queue itself; false: an unparker
     * chose it first). Call only under the bucket lock that guards the queue this parker is (or was) on.
     *
     * @return {@code true} if no unparker has chosen this thread
     */
    public final boolean stillParked() {
        return state == PARKED;
    }

    /**
     * Racy hint, safe to call without any lock: whether no unparker had chosen this thread when read.
     *
     * @return {@code true} if the parker was still parked
     */
    public final boolean isParked() {
        return state == PARKED;
    }

    /**
     * Monitoring only, safe to call without any lock: whether the owner has reached its sleep, that is,
     * finished everything it runs between queuing and sleeping (a park's {@code beforeSleep}). Once
     * true it stays true, also after the thread wakes. A {@code true} read happens-after everything the
     * owner did before it started to sleep.
     *
     * @return {@code true} if the owner has started to sleep
     */
    public final boolean isSleeping() {
        return (boolean) SLEEPING.getAcquire(this); // acquire: pairs with the release in parkUntil
    }

    /**
     * Phase one of an unpark: marks the thread as chosen. Call under the bucket lock, after writing the
     * unpark token and any state the woken thread must see.
     *
     * @return the handle whose {@link UnparkHandle#unpark()} performs the wake-up
     */
    public final UnparkHandle unparkLock() {
        STATE.setRelease(this, UNPARKED); // release: publishes the token and the primitive's state
        return this;
    }

    @Override
    public final void unpark() {
        LockSupport.unpark(thread);
    }

    // VarHandle mechanics
    private static final VarHandle STATE;
    private static final VarHandle SLEEPING;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(ThreadParker.class, "state", int.class);
            SLEEPING = l.findVarHandle(ThreadParker.class, "sleeping", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        // Reduce the risk of rare disastrous classloading in first call to LockSupport.park: JDK-8074773
        Class<?> ensureLoaded = LockSupport.class;
    }
}
