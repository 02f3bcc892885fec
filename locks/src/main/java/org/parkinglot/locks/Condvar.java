/*
 * Ported from parking_lot `src/condvar.rs`.
 */
package org.parkinglot.locks;

import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.parkinglot.core.ParkResult;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.core.RequeueOp;
import org.parkinglot.core.UnparkResult;
import org.parkinglot.core.internal.Timeouts;

/**
 * A condition variable usable with any mutex of this package ({@link RawMutex}, {@link RawFairMutex},
 * {@link ReentrantMutex}, and the write lock of {@link RawRwLock#asReadWriteLock()}): one reference of
 * state, 16 bytes per instance. It is also the engine behind every {@code newCondition()} of these locks.
 *
 * <p>A thread waits while holding the mutex; the wait releases the mutex (every hold of a reentrant
 * one; fairly, if the mutex is fair), sleeps, and returns with the mutex held again (the hold count
 * restored). All waiters that are waiting at the same time must use the same mutex; a wait with a
 * different one throws {@link IllegalStateException}. Once no thread waits, another mutex may be used.
 *
 * <p>There are no spurious wake-ups: a wait returns only when a notify chose its thread, when its time
 * elapsed, or when its thread was interrupted (interruptible waits).
 * {@link #notifyAllWaiters()} wakes one waiter and moves the others onto the mutex's queue without
 * waking them, so they are woken one at a time as the mutex is released (no thundering herd).
 *
 * <h2>Memory synchronization</h2>
 * Waiting releases and re-acquires the mutex, with the memory effects of unlocking and locking it.
 * Actions of a thread before a notify that chooses a waiter happen-before that waiter's return.
 */
public sealed class Condvar permits BoundCondition {

    /*
     * Implementation notes.
     *
     * Waiters park under the key (this, 0). The field `mutex` is null when no thread waits, else the
     * mutex every current waiter uses. It is written only under this condvar's bucket lock (in park's
     * validate and timedOut callbacks and in the requeue callbacks) and read racily by notify*, which
     * re-validate it under that lock.
     *
     * notifyOne: unparkRequeue(this -> mutex): if the mutex is locked, mark it PARKED and move one
     * waiter onto its queue (REQUEUE_ONE: the holder's unlock wakes it), else wake it (UNPARK_ONE).
     * notifyAllWaiters: clears `mutex`, then either moves all waiters (mutex locked) or wakes one and
     * moves the rest, marking the mutex PARKED. Deciding under the bucket locks is safe because
     * clearing PARKED requires the mutex's bucket lock, which unparkRequeue holds.
     *
     * A waiter woken from the mutex queue may receive the mutex's HANDOFF token: it then owns the
     * mutex and must not lock it again; or its WOKEN token: it is then the mutex's woken successor and
     * must re-take the mutex as one (see MutexAlgorithm, "The WOKEN bit"). A waiter that was
     * requeued and then timed out or was interrupted (timedOut sees a key other than this) counts
     * as notified: it reports success, and an interrupt then stays pending in its status, as
     * AbstractQueuedSynchronizer does.
     *
     * A wait whose mutex release (beforeSleep) throws ends with that exception, but a notify or the
     * mutex may have chosen the thread already. The parking lot then calls forfeit with the token
     * before rethrowing, and the waiter passes on what it got: a notify straight from this queue goes to
     * the next waiter (notifyOne), and a mutex token (hand-off, woken successor) is used and released
     * (reacquireAfterWait, then releaseAllForWait), so the mutex's other waiters are not stranded.
     *
     * Allocation: a wait allocates its Waiter (the per-wait state: released, requeued, holds) besides
     * the parking lot's node; a notify allocates its Notify (the mutex it saw, re-validated under the
     * locks), since requeue callbacks receive no key.
     */

    /** Null when nobody waits; else the mutex of the current waiters. See the implementation notes. */
    private volatile CondvarLock mutex;

    /** Whether two locks (possibly two views of one lock) are the same lock for waiting purposes. */
    private static boolean sameLock(CondvarLock a, CondvarLock b) {
        return a == b || a.queueKey() == b.queueKey() && a.queueLane() == b.queueLane();
    }

    /** Creates a condition variable with no waiters. */
    public Condvar() {
    }

    // ---------------------------------------------------------------------------------------------
    // waiting

    /**
     * Releases {@code mutex} and waits until notified or interrupted, then re-acquires it. The thread
     * lies dormant until a notify chooses it or another thread interrupts it.
     *
     * @param mutex the mutex of this package the current thread holds
     * @throws InterruptedException if the current thread is interrupted on entry or while waiting (its
     *                              interrupt status is cleared); the mutex is held again when it is thrown,
     *                              except on entry, where it was never released
     * @throws IllegalMonitorStateException if the current thread does not hold {@code mutex} (as far as the
     *                                      mutex can tell)
     * @throws IllegalStateException if other threads wait on this condvar with a different mutex
     * @throws IllegalArgumentException if {@code mutex} is not a mutex of this package
     * @throws NullPointerException if {@code mutex} is null
     */
    public void await(Lock mutex) throws InterruptedException {
        CondvarLock m = asMutex(mutex);
        Timeouts.throwIfInterrupted();
        if (waitFor(m, ParkingLot.FOREVER, true) == INTERRUPTED) {
            throw Timeouts.clearInterrupt();
        }
    }

    /**
     * Releases {@code mutex} and waits until notified, then re-acquires it. Interrupts do not end the
     * wait; a thread interrupted while waiting returns with its interrupt status set.
     *
     * @param mutex the mutex of this package the current thread holds
     * @throws IllegalMonitorStateException if the current thread does not hold {@code mutex}
     * @throws IllegalStateException if other threads wait on this condvar with a different mutex
     * @throws IllegalArgumentException if {@code mutex} is not a mutex of this package
     * @throws NullPointerException if {@code mutex} is null
     */
    public void awaitUninterruptibly(Lock mutex) {
        waitFor(asMutex(mutex), ParkingLot.FOREVER, false);
    }

    /**
     * Releases {@code mutex} and waits until notified, interrupted, or {@code nanosTimeout} elapse, then
     * re-acquires it. A zero or negative timeout does not release the mutex and returns at once.
     *
     * @param mutex        the mutex of this package the current thread holds
     * @param nanosTimeout the most to wait
     * @return an estimate of {@code nanosTimeout} minus the time spent waiting; zero or less means the
     *         time elapsed without a notify
     * @throws InterruptedException as {@link #await(Lock)}
     * @throws IllegalMonitorStateException if the current thread does not hold {@code mutex}
     * @throws IllegalStateException if other threads wait on this condvar with a different mutex
     * @throws IllegalArgumentException if {@code mutex} is not a mutex of this package
     * @throws NullPointerException if {@code mutex} is null
     */
    public long awaitNanos(Lock mutex, long nanosTimeout) throws InterruptedException {
        CondvarLock m = asMutex(mutex);
        Timeouts.throwIfInterrupted();
        long deadline = Timeouts.deadline(nanosTimeout);
        int r = waitFor(m, nanosTimeout, true);
        if (r == INTERRUPTED) {
            throw Timeouts.clearInterrupt();
        }
        long remaining = Timeouts.remaining(deadline);
        if (r == TIMED_OUT) {
            return Math.min(remaining, 0L);
        }
        return remaining <= nanosTimeout ? remaining : Long.MIN_VALUE; // guard against overflow
    }

    /**
     * Releases {@code mutex} and waits until notified, interrupted, or the time elapses, then
     * re-acquires it.
     *
     * @param mutex the mutex of this package the current thread holds
     * @param time  the most to wait
     * @param unit  the unit of {@code time}
     * @return {@code false} if the time elapsed without a notify, else {@code true}
     * @throws InterruptedException as {@link #await(Lock)}
     * @throws IllegalMonitorStateException if the current thread does not hold {@code mutex}
     * @throws IllegalStateException if other threads wait on this condvar with a different mutex
     * @throws IllegalArgumentException if {@code mutex} is not a mutex of this package
     * @throws NullPointerException if {@code mutex} or {@code unit} is null
     */
    public boolean await(Lock mutex, long time, TimeUnit unit) throws InterruptedException {
        long nanos = Timeouts.toNanos(time, unit);
        CondvarLock m = asMutex(mutex);
        Timeouts.throwIfInterrupted();
        int r = waitFor(m, nanos, true);
        if (r == INTERRUPTED) {
            throw Timeouts.clearInterrupt();
        }
        return r == NOTIFIED;
    }

    /**
     * Releases {@code mutex} and waits until notified, interrupted, or the wall-clock {@code deadline}
     * passes, then re-acquires it.
     *
     * @param mutex    the mutex of this package the current thread holds
     * @param deadline the wall-clock time to wait until
     * @return {@code false} if the deadline passed without a notify, else {@code true}
     * @throws InterruptedException as {@link #await(Lock)}
     * @throws IllegalMonitorStateException if the current thread does not hold {@code mutex}
     * @throws IllegalStateException if other threads wait on this condvar with a different mutex
     * @throws IllegalArgumentException if {@code mutex} is not a mutex of this package
     * @throws NullPointerException if {@code mutex} or {@code deadline} is null
     */
    public boolean awaitUntil(Lock mutex, Date deadline) throws InterruptedException {
        long until = Objects.requireNonNull(deadline, "deadline").getTime();
        CondvarLock m = asMutex(mutex);
        Timeouts.throwIfInterrupted();
        for (;;) {
            long now = System.currentTimeMillis();
            // Past deadlines (even Long.MIN_VALUE) give a zero timeout: no overflow into "forever".
            long nanos = until <= now ? 0L : TimeUnit.MILLISECONDS.toNanos(until - now);
            int r = waitFor(m, nanos, true);
            if (r == INTERRUPTED) {
                throw Timeouts.clearInterrupt();
            }
            if (r == NOTIFIED) {
                return true;
            }
            if (System.currentTimeMillis() >= until) {
                return false;
            }
            // The wall clock was set back while we waited on nanoTime: the deadline has not passed yet.
        }
    }

    /**
     * Waits while {@code condition} holds: while it returns {@code true}, releases {@code mutex}, waits
     * until notified or interrupted and re-acquires it, then evaluates {@code condition} again (after
     * lock_api's {@code wait_while}). Returns at once, without releasing the mutex, if {@code condition}
     * is {@code false} to begin with. {@code condition} runs in the current thread with the mutex held, so
     * it may read the state the mutex guards; a notify that leaves it {@code true} just starts another
     * wait.
     *
     * @param mutex     the mutex of this package the current thread holds
     * @param condition what keeps the thread waiting
     * @throws InterruptedException if the current thread is interrupted on entry or while waiting (its
     *                              interrupt status is cleared); the mutex is held when it is thrown
     * @throws IllegalMonitorStateException if the current thread does not hold {@code mutex}
     * @throws IllegalStateException if other threads wait on this condvar with a different mutex
     * @throws IllegalArgumentException if {@code mutex} is not a mutex of this package
     * @throws NullPointerException if {@code mutex} or {@code condition} is null
     */
    public void awaitWhile(Lock mutex, BooleanSupplier condition) throws InterruptedException {
        CondvarLock m = asMutexHeld(mutex, condition);
        Timeouts.throwIfInterrupted();
        while (condition.getAsBoolean()) {
            if (waitFor(m, ParkingLot.FOREVER, true) == INTERRUPTED) {
                throw Timeouts.clearInterrupt();
            }
        }
    }

    /**
     * As {@link #awaitWhile(Lock, BooleanSupplier)}, but interrupts do not end the wait; a thread
     * interrupted while waiting returns with its interrupt status set.
     *
     * @param mutex     the mutex of this package the current thread holds
     * @param condition what keeps the thread waiting
     * @throws IllegalMonitorStateException if the current thread does not hold {@code mutex}
     * @throws IllegalStateException if other threads wait on this condvar with a different mutex
     * @throws IllegalArgumentException if {@code mutex} is not a mutex of this package
     * @throws NullPointerException if {@code mutex} or {@code condition} is null
     */
    public void awaitWhileUninterruptibly(Lock mutex, BooleanSupplier condition) {
        CondvarLock m = asMutexHeld(mutex, condition);
        while (condition.getAsBoolean()) {
            waitFor(m, ParkingLot.FOREVER, false);
        }
    }

    /**
     * As {@link #awaitWhile(Lock, BooleanSupplier)}, but gives up once the waiting time has elapsed in
     * all (one deadline for every wait): a zero or negative time evaluates {@code condition} once without
     * releasing the mutex; {@code Long.MAX_VALUE} nanoseconds or more waits forever.
     *
     * @param mutex     the mutex of this package the current thread holds
     * @param condition what keeps the thread waiting
     * @param time      the most to wait
     * @param unit      the unit of {@code time}
     * @return {@code true} if {@code condition} returned {@code false} (the thread stopped waiting because of
     *         it), {@code false} if it still returned {@code true} when the time had elapsed
     * @throws InterruptedException as {@link #awaitWhile(Lock, BooleanSupplier)}
     * @throws IllegalMonitorStateException if the current thread does not hold {@code mutex}
     * @throws IllegalStateException if other threads wait on this condvar with a different mutex
     * @throws IllegalArgumentException if {@code mutex} is not a mutex of this package
     * @throws NullPointerException if {@code mutex}, {@code condition} or {@code unit} is null
     */
    public boolean awaitWhile(Lock mutex, BooleanSupplier condition, long time, TimeUnit unit)
            throws InterruptedException {
        long nanos = Timeouts.toNanos(time, unit);
        CondvarLock m = asMutexHeld(mutex, condition);
        Timeouts.throwIfInterrupted();
        long deadline = Timeouts.deadline(nanos);
        while (condition.getAsBoolean()) {
            long remaining = Timeouts.remaining(deadline);
            if (remaining <= 0L) {
                return false;
            }
            if (waitFor(m, remaining, true) == INTERRUPTED) {
                throw Timeouts.clearInterrupt();
            }
        }
        return true;
    }

    /**
     * {@link #asMutex}, checking that the current thread holds the mutex (so that {@code condition} never
     * runs unguarded, even when no wait follows) and that {@code condition} is not null.
     */
    private static CondvarLock asMutexHeld(Lock mutex, BooleanSupplier condition) {
        CondvarLock m = asMutex(mutex);
        Objects.requireNonNull(condition, "condition");
        m.holdsForWait();
        return m;
    }

    // ---------------------------------------------------------------------------------------------
    // notifying

    /**
     * Wakes one waiting thread, if any. If the waiters' mutex is locked, the thread is moved to the
     * mutex's queue instead, and wakes when the mutex is released. Holding the mutex is not required.
     *
     * @return {@code true} if a thread was woken or moved
     */
    public boolean notifyOne() {
        CondvarLock m = mutex; // racy hint: re-validated under the bucket locks
        if (m == null) {
            return false;
        }
        Notify notify = new Notify(this, m, false);
        var r = ParkingLot.unparkRequeue(this, 0L, m.queueKey(), m.queueLane(), notify, notify);
        return r.unparkedThreads() + r.requeuedThreads() != 0;
    }

    /**
     * Wakes every waiting thread: one is woken and the others are moved to the mutex's queue, where
     * they wake one at a time as the mutex is released (if the mutex is locked, all are moved). Named
     * so because {@link Object#notifyAll()} is final. Holding the mutex is not required.
     *
     * @return how many threads were woken or moved
     */
    public int notifyAllWaiters() {
        CondvarLock m = mutex; // racy hint: re-validated under the bucket locks
        if (m == null) {
            return 0;
        }
        Notify notify = new Notify(this, m, true);
        var r = ParkingLot.unparkRequeue(this, 0L, m.queueKey(), m.queueLane(), notify, notify);
        return r.unparkedThreads() + r.requeuedThreads();
    }

    /**
     * The requeue validator and callback of {@link #notifyOne} ({@code all == false}) and
     * {@link #notifyAllWaiters} ({@code all == true}), run under both bucket locks. A named class rather
     * than lambdas: linking a lambda call site the first time it runs took milliseconds on the 2-core
     * test machine, paid by the first notify while threads wait.
     */
    private static final class Notify implements Supplier<RequeueOp>, ParkingLot.RequeueCallback {
        private final Condvar condvar;
        /** The waiters' mutex as the notifier saw it, re-validated here. */
        private final CondvarLock m;
        private final boolean all;

        Notify(Condvar condvar, CondvarLock m, boolean all) {
            this.condvar = condvar;
            this.m = m;
            this.all = all;
        }

        @Override
        public RequeueOp get() {
            CondvarLock current = condvar.mutex;
            if (current == null || !sameLock(current, m)) {
                return RequeueOp.ABORT; // every waiter left; a new round may use another mutex
            }
            if (!all) {
                return m.markParkedIfLocked() ? RequeueOp.REQUEUE_ONE : RequeueOp.UNPARK_ONE;
            }
            condvar.mutex = null; // every waiter is about to leave this queue
            return m.markParkedIfLocked() ? RequeueOp.REQUEUE_ALL : RequeueOp.UNPARK_ONE_REQUEUE_REST;
        }

        @Override
        public long onRequeue(RequeueOp op, UnparkResult result) {
            if (!all) {
                if (!result.haveMoreThreads()) {
                    condvar.mutex = null;
                }
            } else if (op == RequeueOp.UNPARK_ONE_REQUEUE_REST && result.requeuedThreads() != 0) {
                m.markParked(); // the moved threads need the mutex's unlock to take its slow path
            }
            return MutexAlgorithm.TOKEN_NORMAL;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // monitoring

    /**
     * Returns how many threads are waiting (not yet notified); a snapshot for monitoring.
     *
     * @return the number of waiting threads
     */
    public int getWaitQueueLength() {
        return ParkingLot.queueLength(this, 0L);
    }

    /**
     * Returns the threads waiting (not yet notified), oldest first; a snapshot for monitoring.
     *
     * @return a new list of the waiting threads
     */
    public List<Thread> getWaitingThreads() {
        return ParkingLot.queuedThreads(this, 0L);
    }

    /**
     * Returns a string identifying this condvar and how many threads wait on it (not yet notified), for
     * monitoring.
     *
     * @return the class and identity, followed by {@code [Waiting threads = n]}
     */
    @Override
    public String toString() {
        return super.toString() + "[Waiting threads = " + getWaitQueueLength() + "]";
    }

    // ---------------------------------------------------------------------------------------------
    // internals

    static final int NOTIFIED = 0;
    static final int TIMED_OUT = 1;
    static final int INTERRUPTED = 2;

    /**
     * The wait: releases every hold of {@code m}, parks, re-takes {@code m}.
     *
     * @return {@link #NOTIFIED}, {@link #TIMED_OUT} or {@link #INTERRUPTED} (interrupt status still set)
     */
    final int waitFor(CondvarLock m, long nanos, boolean interruptible) {
        int holds = m.holdsForWait();
        Waiter w = new Waiter(m, holds);
        ParkResult r = ParkingLot.park(this, 0L, w, m.waitParkToken(), nanos, interruptible);
        if (r == ParkResult.INVALID) {
            throw new IllegalStateException("Condvar is in use with another mutex");
        }
        if (w.released) {
            m.reacquireAfterWait(holds, r.isUnparked() ? r.unparkToken() : MutexAlgorithm.TOKEN_NORMAL);
        }
        if (r.isUnparked() || w.requeued) {
            return NOTIFIED;
        }
        return r.kind() == ParkResult.Kind.TIMED_OUT ? TIMED_OUT : INTERRUPTED;
    }

    static CondvarLock asMutex(Lock mutex) {
        if (Objects.requireNonNull(mutex, "mutex") instanceof CondvarLock m) {
            return m;
        }
        if (mutex instanceof ReentrantMutex r) {
            return new ReentrantMutex.ConditionHooks(r);
        }
        throw new IllegalArgumentException("not a mutex of org.parkinglot.locks: " + mutex.getClass().getName());
    }

    /** The callbacks of one wait, in one object. */
    private final class Waiter implements ParkingLot.ParkCallbacks {
        private final CondvarLock m;
        /** The holds of m released by the wait, restored by its end. */
        private final int holds;
        /** Set by beforeSleep (this thread) before it releases the mutex; read by this thread. */
        boolean released;
        /** Set by timedOut under a bucket lock in this thread; read by this thread. */
        boolean requeued;

        Waiter(CondvarLock m, int holds) {
            this.m = m;
            this.holds = holds;
        }

        /** validate, under this condvar's bucket lock: binds the condvar to m, or refuses another mutex. */
        @Override
        public boolean validate(Object key, long lane) {
            CondvarLock current = mutex;
            if (current == null) {
                mutex = m;
                return true;
            }
            return sameLock(current, m);
        }

        /** beforeSleep, unlocked: the thread is queued, so a notify from now on finds it. */
        @Override
        public void beforeSleep() {
            released = true;
            m.releaseAllForWait();
        }

        /** timedOut, under the bucket lock of the key the thread was queued under last. */
        @Override
        public void timedOut(Object key, long lane, boolean wasLastThread) {
            requeued = key != Condvar.this;
            if (!requeued && wasLastThread) {
                mutex = null;
            }
        }

        /**
         * forfeit, unlocked: beforeSleep threw after a notify or the mutex had chosen this thread, and the
         * wait is about to end with that exception. Passes on what the thread was given, so no other
         * waiter sleeps on for it: a notify woke it straight from this condvar's queue (the token carries
         * nothing), so the notify goes to the next waiter; or the mutex woke it after a requeue, with the
         * lock handed over or the woken-successor role, so the thread takes the mutex as that token
         * says and releases it again, as its wait would have on the way out.
         */
        @Override
        public void forfeit(Object key, long lane, long unparkToken) {
            if (key == Condvar.this) {
                notifyOne();
            } else {
                m.reacquireAfterWait(holds, unparkToken);
                m.releaseAllForWait();
            }
        }
    }
}
