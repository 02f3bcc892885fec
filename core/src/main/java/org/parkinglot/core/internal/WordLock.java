/*
 * Ported from WebKit `WTF/wtf/WordLock.cpp` (parking_lot `core/src/word_lock.rs` solves the same problem
 * with a tagged pointer, which Java references cannot carry).
 */
package org.parkinglot.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.parkinglot.core.SpinWait;

/**
 * The bucket lock: a small self-hosted lock that spins briefly, then queues and parks with
 * {@link java.util.concurrent.locks.LockSupport}. It cannot use the parking lot, being its foundation.
 * Not reentrant, not fair (an unlock wakes the oldest waiter, which then competes with arrivals).
 *
 * <p>It is the head of every {@link Bucket}; standalone instances are
 * for tests.
 */
public class WordLock {

    /*
     * Implementation notes.
     *
     * State word, an int:
     *
     *   QUEUED  QUEUE_LOCKED  LOCKED
     *     0          0           0     free, no waiters
     *     0          0           1     held, no waiters (unlock fast path: CAS LOCKED -> 0)
     *     x          1           1     held; one thread edits the queue (the queue lock holder)
     *     1          0           1     held, waiters queued
     *     1          0           0     free, waiters queued: a woken waiter is about to retry
     *
     * Invariants: QUEUE_LOCKED is only ever set while LOCKED is set, and it is cleared by one plain
     * release store that also writes the new QUEUED (and, in unlock, clears LOCKED). While
     * QUEUE_LOCKED is set, no other thread changes the word (lockers see LOCKED and may only CAS in
     * QUEUE_LOCKED, which is taken; the unlock fast path needs the exact value LOCKED), so the holder
     * may overwrite it with a plain release store. QUEUED is set iff queueHead != null.
     *
     * A waiter enqueues only while LOCKED is set, under the queue lock; the unlocker must take the
     * queue lock to clear LOCKED whenever QUEUED is set, so it sees every waiter: no lost wake-up.
     * The unlocker wakes the oldest waiter (FIFO) and does not hand the lock over.
     */

    /** The lock is held. */
    static final int LOCKED = 1;
    /** A thread holds the queue lock and may edit the queue; only ever set together with LOCKED. */
    static final int QUEUE_LOCKED = 2;
    /** The queue is non-empty; changes only under the queue lock. */
    static final int QUEUED = 4;

    /** SpinWait steps a virtual thread takes before queuing: its pause bursts, none of its yields. */
    private static final int VIRTUAL_SPIN_STEPS = 3;
    /** How many spin hints an unlocker waits for the queue lock before it yields once. */
    private static final int UNLOCK_SPIN_LIMIT = 1 << 12;
    /** Spinning is pointless when the queue lock holder cannot run meanwhile. */
    private static final boolean MULTIPROCESSOR = Runtime.getRuntime().availableProcessors() > 1;

    /** See the state table in the implementation notes. */
    private volatile int lockState;
    /** Oldest waiter; its {@code queueTail} is the newest. Guarded by the queue lock. */
    private Waiter queueHead;

    /** Creates an unlocked lock. */
    public WordLock() {
    }

    /** Acquires the lock, spinning briefly and then parking; ignores interrupts (the status is kept). */
    public final void lock() {
        if (!LOCK_STATE.weakCompareAndSetAcquire(this, 0, LOCKED)) {
            lockSlow();
        }
    }

    /**
     * Acquires the lock only if it is free at once (queued waiters do not stop it: they retry anyway
     * once woken); never spins, yields or parks.
     *
     * @return {@code true} if the lock was acquired
     */
    public final boolean tryLock() {
        int s = lockState;
        return (s & LOCKED) == 0 && LOCK_STATE.compareAndSet(this, s, s | LOCKED);
    }

    /** Releases the lock; the caller must hold it. */
    public final void unlock() {
        if (!LOCK_STATE.compareAndSet(this, LOCKED, 0)) {
            unlockSlow();
        }
    }

    /**
     * Returns whether some thread holds the lock; a racy snapshot for tests and assertions.
     *
     * @return {@code true} if the lock is held
     */
    public final boolean isLocked() {
        return (lockState & LOCKED) != 0;
    }

    private void lockSlow() {
        SpinWait spinWait = new SpinWait();
        // A virtual thread's yield requeues it behind every runnable virtual thread (after a burst,
        // hundreds of thousands): it spins through SpinWait's pause steps only, then queues and parks.
        int spinLimit = Thread.currentThread().isVirtual() ? VIRTUAL_SPIN_STEPS : Integer.MAX_VALUE;
        int spins = 0;
        Waiter me = null;
        for (;;) {
            int s = lockState;
            if ((s & LOCKED) == 0) {
                if (LOCK_STATE.weakCompareAndSetAcquire(this, s, s | LOCKED)) {
                    return;
                }
                continue;
            }
            if ((s & QUEUED) == 0 && spins < spinLimit && spinWait.spin()) {
                spins++;
                continue;
            }
            if ((s & QUEUE_LOCKED) != 0) {
                Thread.yield(); // the queue lock is held for a handful of instructions
                continue;
            }
            if (!LOCK_STATE.compareAndSet(this, s, s | QUEUE_LOCKED)) {
                continue;
            }
            // Queue lock held, LOCKED set: the word is ours to rewrite until the release store below.
            if (me == null) {
                me = new Waiter(this);
            }
            me.prepareParkNow();
            me.next = null;
            Waiter head = queueHead;
            if (head == null) {
                me.queueTail = me;
                queueHead = me;
            } else {
                head.queueTail.next = me;
                head.queueTail = me;
            }
            LOCK_STATE.setRelease(this, LOCKED | QUEUED); // release: publishes the queue edits
            me.park(false);
            spinWait.reset();
            spins = 0;
        }
    }

    private void unlockSlow() {
        int spins = 0;
        for (;;) {
            int s = lockState;
            if ((s & LOCKED) == 0) {
                throw new IllegalMonitorStateException("WordLock is not locked");
            }
            if (s == LOCKED) {
                if (LOCK_STATE.compareAndSet(this, LOCKED, 0)) {
                    return;
                }
                continue;
            }
            if ((s & QUEUE_LOCKED) != 0) {
                // A locker holds the queue lock for a handful of instructions. Spin, do not yield: the
                // caller still holds this lock (a table resize holds every bucket's), and a virtual
                // thread that yields waits behind every runnable virtual thread before it can go on.
                if (MULTIPROCESSOR && ++spins < UNLOCK_SPIN_LIMIT) {
                    Thread.onSpinWait();
                } else {
                    spins = 0;
                    Thread.yield();
                }
                continue;
            }
            if (LOCK_STATE.compareAndSet(this, s, s | QUEUE_LOCKED)) {
                break;
            }
        }
        // Queue lock held and the queue is non-empty: dequeue the oldest waiter.
        Waiter head = queueHead;
        Waiter newHead = head.next;
        if (newHead != null) {
            newHead.queueTail = head.queueTail;
        }
        queueHead = newHead;
        head.next = null;
        head.queueTail = null;
        // One release store frees the lock and the queue lock and publishes the queue edits.
        LOCK_STATE.setRelease(this, newHead != null ? QUEUED : 0);
        head.unparkLock().unpark();
    }

    /** A thread waiting for a {@link WordLock}; all fields guarded by that lock's queue lock. */
    private static final class Waiter extends ThreadParker {
        Waiter next;
        /** Meaningful only in the head node: the newest waiter. */
        Waiter queueTail;

        Waiter(Object blocker) {
            super(blocker);
        }
    }

    // VarHandle mechanics
    private static final VarHandle LOCK_STATE;

    static {
        try {
            LOCK_STATE = MethodHandles.lookup().findVarHandle(WordLock.class, "lockState", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
