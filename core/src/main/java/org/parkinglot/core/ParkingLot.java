/*
 * Ported from parking_lot `core/src/parking_lot.rs` (Amanieu d'Antras, MIT/Apache-2.0), after WebKit
 * `WTF/wtf/ParkingLot.cpp`.
 */
package org.parkinglot.core;

import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.parkinglot.core.internal.Bucket;
import org.parkinglot.core.internal.ThreadParker;
import org.parkinglot.core.internal.Timeouts;
import org.parkinglot.core.internal.UnparkHandle;
import org.parkinglot.core.internal.WaitNode;

/**
 * The parking lot: one global hash table of wait queues, keyed by object identity, on which locks
 * are built. A lock keeps only a word of state; whenever a thread must sleep it parks here under the
 * lock's key, and whoever releases the lock unparks it.
 *
 * <h2>Keys</h2>
 * A key is a pair (object, {@code long} lane) compared by identity ({@code ==}) on the object and by
 * value on the lane. A lock parks its waiters under {@code (this, 0)}; a read-write lock may use lane
 * {@code 1} for a second queue; a lock stored in element {@code i} of an array parks under
 * {@code (array, i)}. Use only objects you control as keys: parking under another primitive's object
 * interferes with it.
 *
 * <h2>Two-phase unpark</h2>
 * Every unpark decides under the bucket lock which threads to wake and marks them unparked (handing
 * over their unpark tokens), and wakes them only after every bucket lock is released. A thread that
 * times out or is interrupted re-checks under the bucket lock whether an unparker already chose it,
 * so a wake-up decision is never lost or doubled.
 *
 * <h2>Callback contract</h2>
 * <ul>
 *   <li>{@code validate}, {@code timedOut}, unpark callbacks, requeue callbacks and filters run
 *       <em>under a bucket lock</em>: they must be short and must not park or block. They must not call
 *       any method of this class either: such a call throws {@link IllegalStateException} at once,
 *       before it takes any lock, so the misusing call fails and the table, the bucket and every other
 *       key's queue stay intact (without the check it would deadlock on the bucket lock, or on another
 *       bucket against a thread locking the two in the opposite order).</li>
 *   <li>{@code beforeSleep} runs with no bucket lock held, after the thread is queued and before it
 *       sleeps: it may unpark other threads (a condition variable releases its mutex here), but must not
 *       park. {@link ParkCallbacks#forfeit forfeit} runs with no bucket lock held too, and may call this
 *       class.</li>
 *   <li>If a callback throws, the exception reaches the caller with every bucket lock released and no
 *       queued thread lost: {@code validate}, unpark callbacks, requeue validators and callbacks, and
 *       filters run before the queue is changed, so a throw leaves every queue as it was; a throwing
 *       {@code timedOut} runs after the thread dequeued itself. If {@code beforeSleep} throws, the thread
 *       dequeues itself as on a timeout (running {@code timedOut}) and rethrows; if an unparker had
 *       already chosen it, the thread first passes on what it was given: the unpark token goes to
 *       {@link ParkCallbacks#forfeit forfeit} (a lock hands itself on, a woken successor gives up its
 *       role), so an exception never swallows a hand-off. The
 *       {@linkplain #park(Object, long, BooleanSupplier, Runnable, TimedOutCallback, long, long, boolean)
 *       form with separate callbacks} has no {@code forfeit}: there the token is dropped.</li>
 * </ul>
 *
 * <h2>Fairness</h2>
 * Each bucket carries a fair timeout: a random point 0-1 ms after the last time it fired. An unpark
 * that wakes a thread after that point reports {@link UnparkResult#beFair()}, telling the lock to hand
 * itself directly to the woken thread. Keys sharing a bucket share its timer. A lock that skips
 * wake-ups while a woken waiter is in flight asks {@link #fairnessOverdue} meanwhile.
 *
 * <h2>Statistics</h2>
 * {@link #statistics()} counts what reaches the parking lot (parks, unparks, requeues, timeouts,
 * interrupts, the table's size); {@link #registerMXBean()} or
 * {@code -D}{@value ParkingLotMXBean#JMX_PROPERTY}{@code =true} publishes the numbers as the platform
 * MXBean {@value ParkingLotMXBean#OBJECT_NAME}. See
 * {@link ParkingLotStatistics} for what each number means and what counting costs.
 *
 * <h2>Memory effects</h2>
 * Everything a thread does under a bucket lock (in a callback) happens-before everything another
 * thread does under the same bucket lock afterwards. An unparker's actions before it chose a thread
 * (including its callbacks) happen-before the return of that thread's {@code park}.
 */
public final class ParkingLot {

    /*
     * Implementation notes.
     *
     * The table is an array of padded buckets, each a WordLock plus the wait queues of the keys that
     * hash there. A bucket is a list of per-key FIFO queues: the oldest node of each key is the key's
     * head, links to the next key's head (nextKey) and keeps its key's newest node and node count; the
     * key's other nodes follow it through next (see Bucket). Finding a key scans the bucket's distinct
     * keys, never the threads of other keys; unparkAll and a requeue of a whole key unlink the key in
     * O(1) (a requeue then rewrites each moved node's key, which a timed-out node needs to find its
     * bucket); queueLength reads the head's count. A fresh WaitNode serves each park; it carries the
     * thread's ThreadParker state (PARKED until an unparker's phase one).
     *
     * The table (ParkingTable). The nodes of one key always share a bucket; the table is sized by the
     * number of distinct keys queued, grows when they crowd the buckets and shrinks after a burst (see
     * ParkingTable's notes for growth, shrinking and how one resizer swaps tables under every bucket
     * lock). Every operation here finds its bucket through ParkingTable.lockBucket, which re-checks
     * that the table was not replaced while it waited for the lock.
     *
     * Where the code is. This class: the public operations and their contracts, park and unparkOne.
     * ParkingTable: the hash table and resizing, park's dequeueAfterTimeout, the bodies of the
     * inspection methods and the tests' hooks. UnparkMany: the bodies of unparkAll, unparkRequeue and
     * unparkFilter. CallbackGuard: the re-entry check. CallbackAdapters: the callback objects of the
     * convenience forms. ParkingLotManagement and ParkingLotJmx: the MXBean.
     *
     * Requeue moves nodes to another key under both buckets' locks. A node that wakes by timeout reads
     * its key racily, locks that key's bucket, and trusts it only if it finds itself in that key's
     * queue in the locked bucket (the key and lane are two fields, so a racy read can pair one
     * requeue's key with another's lane); otherwise it looks again (dequeueAfterTimeout).
     *
     * Exceptions. Every operation that calls user code first computes its plan without touching the
     * queue, calls the callbacks, and only then edits the queue, so a throw needs no repair. Locks are
     * released in finally blocks. A throwing beforeSleep runs after the node is queued and unlocked: the
     * thread dequeues itself as on a timeout; if it finds that an unparker chose it first, it hands
     * the token to forfeit (outside every lock) before rethrowing, since the token may carry ownership.
     *
     * Re-entry: refused before any lock is taken (CallbackGuard's notes say why and how).
     *
     * OutOfMemoryError while allocating a node happens before anything is queued; a resize allocates
     * outside every lock and simply keeps the current table if allocation fails.
     *
     * Statistics: counted in the bucket whose lock the operation holds; see ParkingTable's notes.
     */

    /** The default token a thread parks with. */
    public static final long DEFAULT_PARK_TOKEN = 0L;
    /** The default token an unparker hands over. */
    public static final long DEFAULT_UNPARK_TOKEN = 0L;
    /** A timeout that never elapses. */
    public static final long FOREVER = Timeouts.FOREVER;

    private ParkingLot() {
    }

    // ---------------------------------------------------------------------------------------------
    // Callback types

    /**
     * The callbacks of one {@linkplain ParkingLot#park(Object, long, ParkCallbacks, long, long, boolean)
     * park}, in one object: a primitive usually keeps them in one small class, so a park allocates one
     * callback object, or none if it can share one among its locks ({@link #validate} and
     * {@link #timedOut} receive the key). See the class documentation for the
     * callback contract: which run under the bucket lock, and what a throw does.
     */
    public interface ParkCallbacks {
        /**
         * Under the bucket lock: decides whether to park at all, by re-checking the primitive's state.
         * It receives the key, so that one callbacks object can serve every lock of a kind (a mutex
         * parks under (the lock, 0) and finds its word through the key).
         *
         * @param key  the key's object
         * @param lane the key's lane
         * @return {@code true} to queue the thread and sleep, {@code false} to return
         *         {@link ParkResult#INVALID} at once
         */
        boolean validate(Object key, long lane);

        /**
         * Without any lock, after the thread is queued and before it sleeps (a condition variable
         * releases its mutex here). May unpark other threads; must not park. Does nothing by default.
         */
        default void beforeSleep() {
        }

        /**
         * Under the bucket lock, when the thread leaves the queue without being unparked (timeout,
         * interrupt, or a throwing {@link #beforeSleep}). Does nothing by default.
         *
         * @param key           the key the thread was queued under (a requeue may have moved it)
         * @param lane          that key's lane
         * @param wasLastThread whether no other thread remains queued under that key
         */
        default void timedOut(Object key, long lane, boolean wasLastThread) {
        }

        /**
         * Without any lock, when {@link #beforeSleep} threw but an unparker had already chosen this
         * thread: the thread will not use what the unpark gave it, so it must pass it on (a lock handed
         * over releases itself to the next waiter; a woken successor gives up its role), before the
         * exception leaves {@code park}. May call the parking lot. If it throws, that exception is added
         * to the first one as suppressed. Does nothing by default.
         *
         * @param key         the key the thread was unparked from (a requeue may have moved it)
         * @param lane        that key's lane
         * @param unparkToken the token the unparker handed over
         */
        default void forfeit(Object key, long lane, long unparkToken) {
        }
    }

    /** Called under the bucket lock when a parked thread gives up waiting (timeout, interrupt). */
    @FunctionalInterface
    public interface TimedOutCallback {
        /**
         * Reacts to a thread leaving the queue without being unparked.
         *
         * @param key           the key the thread was queued under (it may differ from the key it
         *                      parked with if a requeue moved it)
         * @param lane          that key's lane
         * @param wasLastThread whether no other thread remains queued under that key
         */
        void onTimedOut(Object key, long lane, boolean wasLastThread);
    }

    /** Called under the bucket lock by {@link #unparkOne}; chooses the token handed to the woken thread. */
    @FunctionalInterface
    public interface UnparkCallback {
        /**
         * Decides the unpark token.
         *
         * @param result what the operation is about to do (zero counts if no thread was found)
         * @return the token for the woken thread (ignored if none)
         */
        long onUnpark(UnparkResult result);
    }

    /** Called under both bucket locks by {@link #unparkRequeue}; chooses the woken thread's token. */
    @FunctionalInterface
    public interface RequeueCallback {
        /**
         * Decides the unpark token.
         *
         * @param op     the operation the validator chose
         * @param result what the operation is about to do
         * @return the token for the woken thread (ignored if none)
         */
        long onRequeue(RequeueOp op, UnparkResult result);
    }

    /** Called under the bucket lock by {@link #unparkFilter}, once per queued thread of the key, in queue order. */
    @FunctionalInterface
    public interface ParkTokenFilter {
        /**
         * Decides what to do with one queued thread.
         *
         * @param parkToken the token the thread parked with
         * @return whether to wake it, skip it, or stop scanning
         */
        FilterOp filter(long parkToken);
    }

    /** Named callback objects rather than lambdas: see {@link CallbackAdapters}. */
    private static final Runnable NO_OP = CallbackAdapters.DEFAULTS;
    private static final TimedOutCallback NO_TIMED_OUT = CallbackAdapters.DEFAULTS;

    static {
        // Load the classes of the wake-up paths with the parking lot, not on the first wake-up while
        // threads wait (AbstractQueuedSynchronizer preloads LockSupport for the same reason, JDK-8074773).
        Object ensureInitialized = ParkResult.INVALID; // and ParkResult.Kind
        Class<?> ensureLoaded = UnparkResult.class;
        ensureLoaded = UnparkHandle.class;
        ensureLoaded = FilterOp.class;
        ensureLoaded = RequeueOp.class;
        ensureLoaded = RequeueCallback.class;
        ensureLoaded = ParkTokenFilter.class;
        ensureLoaded = java.util.concurrent.locks.LockSupport.class;
        ensureInitialized = ParkingTable.currentTable(); // the table is created with the lot, as before
        ParkingLotManagement.registerIfRequested();
    }

    // ---------------------------------------------------------------------------------------------
    // park

    /**
     * Parks the current thread in the queue of (key, lane 0) if {@code validate} returns true, until
     * another thread unparks it; sleeps through interrupts (keeping the interrupt status).
     *
     * @param key      the key's object
     * @param validate run under the bucket lock; {@code false} returns {@link ParkResult#INVALID} at once
     * @return {@link ParkResult.Kind#UNPARKED UNPARKED} or {@link ParkResult#INVALID}
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if called from a callback that runs under a bucket lock
     */
    public static ParkResult park(Object key, BooleanSupplier validate) {
        return park(key, 0L, validate, NO_OP, NO_TIMED_OUT, DEFAULT_PARK_TOKEN, FOREVER, false);
    }

    /**
     * Parks the current thread in the queue of (key, lane) if {@code validate} returns true.
     *
     * <p>This is the compatibility form, with separate callbacks: each call wraps them in one
     * {@link ParkCallbacks} object, and there is no {@link ParkCallbacks#forfeit forfeit}. New code
     * should prefer {@link #park(Object, long, ParkCallbacks, long, long, boolean)}, whose callbacks can
     * be one shared constant object (as every lock of {@code org.parkinglot.locks} does).
     *
     * <p>Under the key's bucket lock, {@code validate} runs; if it returns false the method returns
     * {@link ParkResult#INVALID} without sleeping. Otherwise the thread joins the key's queue with
     * {@code parkToken}, releases the bucket lock, runs {@code beforeSleep}, and lies dormant until one
     * of these happens:
     * <ul>
     *   <li>an unpark operation chooses it: returns {@code UNPARKED} with the token it was handed;</li>
     *   <li>{@code timeoutNanos} elapse: returns {@link ParkResult#TIMED_OUT};</li>
     *   <li>{@code interruptible} is true and the thread is interrupted: returns
     *       {@link ParkResult#INTERRUPTED}.</li>
     * </ul>
     * On a timeout or interrupt, the thread locks its bucket again; if an unparker chose it meanwhile,
     * it returns {@code UNPARKED} after all; otherwise it leaves the queue and runs {@code timedOut}
     * under the lock. A timeout of zero or less only validates (a valid park then times out at once,
     * running {@code timedOut}); {@link #FOREVER} never times out. An interrupt that is already pending
     * on entry to an interruptible park acts the same way. The interrupt status is never cleared:
     * callers that throw {@link InterruptedException} on {@code INTERRUPTED} should clear it.
     * An uninterruptible park sleeps through interrupts. Wakes-ups of the underlying
     * {@link java.util.concurrent.locks.LockSupport} that no unpark operation caused never end a park.
     *
     * <p>See the class documentation for the callback contract.
     *
     * @param key           the key's object; also the blocker thread dumps report
     * @param lane          the key's lane
     * @param validate      decides, under the bucket lock, whether to park at all
     * @param beforeSleep   runs after queuing, without locks, before sleeping
     * @param timedOut      runs under the bucket lock if the thread leaves without being unparked
     * @param parkToken     a token unpark filters can read
     * @param timeoutNanos  the most to wait, in nanoseconds ({@link #FOREVER}: no limit)
     * @param interruptible whether an interrupt ends the park
     * @return how the park ended
     * @throws NullPointerException if {@code key} or a callback is null
     * @throws IllegalStateException if called from a callback that runs under a bucket lock
     */
    public static ParkResult park(Object key, long lane, BooleanSupplier validate, Runnable beforeSleep,
                                  TimedOutCallback timedOut, long parkToken, long timeoutNanos,
                                  boolean interruptible) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(validate, "validate");
        Objects.requireNonNull(beforeSleep, "beforeSleep");
        Objects.requireNonNull(timedOut, "timedOut");
        return park(key, lane, new CallbackAdapters.SeparateCallbacks(validate, beforeSleep, timedOut), parkToken,
                timeoutNanos, interruptible);
    }

    /**
     * Parks the current thread in the queue of (key, lane) if {@code callbacks.validate()} returns true:
     * the form with one callback object, which can also pass on an unpark it cannot use
     * ({@link ParkCallbacks#forfeit}).
     *
     * <p>Under the key's bucket lock, {@link ParkCallbacks#validate validate} runs; if it returns false
     * the method returns {@link ParkResult#INVALID} without sleeping. Otherwise the thread joins the key's
     * queue with {@code parkToken}, releases the bucket lock, runs
     * {@link ParkCallbacks#beforeSleep beforeSleep}, and lies dormant until one of these happens:
     * <ul>
     *   <li>an unpark operation chooses it: returns {@code UNPARKED} with the token it was handed;</li>
     *   <li>{@code timeoutNanos} elapse: returns {@link ParkResult#TIMED_OUT};</li>
     *   <li>{@code interruptible} is true and the thread is interrupted: returns
     *       {@link ParkResult#INTERRUPTED}.</li>
     * </ul>
     * On a timeout or interrupt, the thread locks its bucket again; if an unparker chose it meanwhile,
     * it returns {@code UNPARKED} after all; otherwise it leaves the queue and runs
     * {@link ParkCallbacks#timedOut timedOut} under the lock. A timeout of zero or less only validates (a
     * valid park then times out at once, running {@code timedOut}); {@link #FOREVER} never times out. An
     * interrupt that is already pending on entry to an interruptible park acts the same way. The
     * interrupt status is never cleared: callers that throw {@link InterruptedException} on
     * {@code INTERRUPTED} should clear it. An uninterruptible park sleeps through interrupts. Wake-ups of
     * the underlying {@link java.util.concurrent.locks.LockSupport} that no unpark operation caused never
     * end a park.
     *
     * <p>If {@code beforeSleep} throws, the thread leaves the queue as on a timeout and the exception
     * propagates; if an unparker had chosen the thread already, {@link ParkCallbacks#forfeit forfeit}
     * receives the token first. See the class documentation for the callback contract.
     *
     * @param key           the key's object; also the blocker thread dumps report
     * @param lane          the key's lane
     * @param callbacks     the park's callbacks
     * @param parkToken     a token unpark filters can read
     * @param timeoutNanos  the most to wait, in nanoseconds ({@link #FOREVER}: no limit)
     * @param interruptible whether an interrupt ends the park
     * @return how the park ended
     * @throws NullPointerException if {@code key} or {@code callbacks} is null
     * @throws IllegalStateException if called from a callback that runs under a bucket lock
     */
    public static ParkResult park(Object key, long lane, ParkCallbacks callbacks, long parkToken,
                                  long timeoutNanos, boolean interruptible) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(callbacks, "callbacks");
        CallbackGuard guard = CallbackGuard.enter(callbacks);
        boolean timed = timeoutNanos != FOREVER;
        long deadline = timed ? Timeouts.deadline(timeoutNanos) : 0L;

        WaitNode node;
        boolean checkGrowth = false;
        Bucket bucket = ParkingTable.lockBucket(key, lane);
        guard.holdsBucketLock = true;
        try {
            if (!callbacks.validate(key, lane)) {
                bucket.countInvalidPark();
                return ParkResult.INVALID;
            }
            boolean interrupted = interruptible && Thread.currentThread().isInterrupted();
            if (interrupted || (timed && timeoutNanos <= 0L)) {
                callbacks.timedOut(key, lane, bucket.find(key, lane) == null);
                return interrupted ? ParkResult.INTERRUPTED : ParkResult.TIMED_OUT;
            }
            node = new WaitNode(key, lane, parkToken);
            node.prepareParkNow();
            if (bucket.enqueue(node)) {
                ParkingTable.keyAdded();
                checkGrowth = bucket.keyCount() > 1; // the new key shares its bucket: chains grow
            }
            bucket.countParked();
        } finally {
            guard.holdsBucketLock = false;
            bucket.unlock();
        }

        try {
            callbacks.beforeSleep();
        } catch (Throwable t) {
            try {
                if (!ParkingTable.dequeueAfterTimeout(node, callbacks, guard, Bucket.ABORTED_PARKS)) {
                    // Chosen before the throw: pass on what the unparker gave (read after the volatile
                    // read in dequeueAfterTimeout that saw the node unparked, so the token is visible).
                    callbacks.forfeit(node.key, node.lane, node.unparkToken);
                }
            } catch (Throwable second) {
                t.addSuppressed(second);
            }
            throw t;
        }
        // Only now: a resize holds every bucket lock for a while, and beforeSleep is where a condition
        // variable's waiter releases its mutex, which others must not wait for meanwhile. A thread an
        // unparker has already chosen (it may own a handed-over lock) leaves the check to later parks.
        if (checkGrowth && node.isParked()) {
            ParkingTable.resizeIfNeeded();
        }

        int wake = node.parkUntil(timed, deadline, interruptible);
        if (wake == ThreadParker.WAKE_UNPARKED) {
            return ParkResult.unparked(node.unparkToken); // ordered by the acquire load that ended the park
        }
        int reason = wake == ThreadParker.WAKE_TIMED_OUT ? Bucket.TIMEOUTS : Bucket.INTERRUPTS;
        if (!ParkingTable.dequeueAfterTimeout(node, callbacks, guard, reason)) {
            return ParkResult.unparked(node.unparkToken); // read under the bucket lock
        }
        return wake == ThreadParker.WAKE_TIMED_OUT ? ParkResult.TIMED_OUT : ParkResult.INTERRUPTED;
    }

    /**
     * A futex-like park: sleeps on (key, 0) while {@code word} reads {@code expected}, until unparked.
     * Sleeps through interrupts (keeping the interrupt status).
     *
     * @param key      the key's object
     * @param word     reads the current value, under the bucket lock
     * @param expected the value that means "wait"
     * @return {@code UNPARKED} with the unparker's token, or {@link ParkResult#INVALID} if the value differed
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if called from a callback that runs under a bucket lock
     */
    public static ParkResult compareAndPark(Object key, IntSupplier word, int expected) {
        return compareAndPark(key, 0L, word, expected, FOREVER, false);
    }

    /**
     * A futex-like park with a lane, a timeout and an interruption policy: {@link #park} with
     * {@code validate = word == expected}, no {@code beforeSleep} and no {@code timedOut}.
     *
     * @param key           the key's object
     * @param lane          the key's lane
     * @param word          reads the current value, under the bucket lock
     * @param expected      the value that means "wait"
     * @param timeoutNanos  the most to wait ({@link #FOREVER}: no limit)
     * @param interruptible whether an interrupt ends the park
     * @return how the park ended
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if called from a callback that runs under a bucket lock
     */
    public static ParkResult compareAndPark(Object key, long lane, IntSupplier word, int expected,
                                            long timeoutNanos, boolean interruptible) {
        Objects.requireNonNull(word, "word");
        return park(key, lane, new CallbackAdapters.WordEquals(word, expected), DEFAULT_PARK_TOKEN, timeoutNanos,
                interruptible);
    }

    // ---------------------------------------------------------------------------------------------
    // unpark

    /**
     * Wakes the oldest thread queued under (key, lane), if any. Under the bucket lock, {@code callback}
     * is called with what is about to happen (also when no thread is queued, with zero counts, so the
     * caller can update its state atomically with the queue being empty); the token it returns is
     * handed to the woken thread.
     *
     * @param key      the key's object
     * @param lane     the key's lane
     * @param callback chooses the unpark token, under the bucket lock
     * @return what was done
     * @throws NullPointerException if {@code key} or {@code callback} is null
     * @throws IllegalStateException if called from a callback that runs under a bucket lock
     */
    public static UnparkResult unparkOne(Object key, long lane, UnparkCallback callback) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(callback, "callback");
        CallbackGuard guard = CallbackGuard.enter(callback);
        UnparkHandle handle;
        UnparkResult result;
        boolean emptied = false;
        Bucket bucket = ParkingTable.lockBucket(key, lane);
        guard.holdsBucketLock = true;
        try {
            WaitNode target = bucket.find(key, lane);
            if (target == null) {
                callback.onUnpark(UnparkResult.EMPTY);
                return UnparkResult.EMPTY;
            }
            long now = System.nanoTime();
            WaitNode next = target.next;
            result = UnparkResult.one(next != null, bucket.shouldTimeout(now));
            long token = callback.onUnpark(result);
            if (bucket.removeFirst(target) == 0) {
                emptied = ParkingTable.keyRemoved(bucket);
            } else {
                next.keyServedAt = now; // the key's new head: a thread of the key was woken
            }
            bucket.countUnparked(1, result.beFair());
            target.unparkToken = token; // plain: published by unparkLock()'s release
            handle = target.unparkLock();
        } finally {
            guard.holdsBucketLock = false;
            bucket.unlock();
        }
        handle.unpark();
        if (emptied) {
            ParkingTable.shrinkIfNeeded();
        }
        return result;
    }

    /**
     * Wakes the oldest thread queued under (key, 0) with the default token.
     *
     * @param key the key's object
     * @return what was done
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalStateException if called from a callback that runs under a bucket lock
     */
    public static UnparkResult unparkOne(Object key) {
        return unparkOne(key, 0L, CallbackAdapters.DEFAULTS);
    }

    /**
     * Wakes every thread queued under (key, lane), handing each {@code unparkToken}.
     *
     * @param key         the key's object
     * @param lane        the key's lane
     * @param unparkToken the token every woken thread receives
     * @return how many threads were woken
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalStateException if called from a callback that runs under a bucket lock
     */
    public static int unparkAll(Object key, long lane, long unparkToken) {
        Objects.requireNonNull(key, "key");
        CallbackGuard.check();
        return UnparkMany.all(key, lane, unparkToken);
    }

    /**
     * Wakes every thread queued under (key, 0) with the default token.
     *
     * @param key the key's object
     * @return how many threads were woken
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalStateException if called from a callback that runs under a bucket lock
     */
    public static int unparkAll(Object key) {
        return unparkAll(key, 0L, DEFAULT_UNPARK_TOKEN);
    }

    /**
     * Moves threads from the queue of one key to another without waking them, optionally waking one
     * (a condition variable's {@code notifyAll} wakes one waiter and moves the rest onto its mutex).
     * Both buckets are locked (lower index first); {@code validate} chooses the operation; unless it is
     * {@link RequeueOp#ABORT}, {@code callback} then sees the result and chooses the woken thread's token.
     * Moved threads go to the tail of the target queue in their order and keep sleeping until an unpark
     * on the target key.
     *
     * @param keyFrom  the source key's object
     * @param laneFrom the source key's lane
     * @param keyTo    the target key's object
     * @param laneTo   the target key's lane
     * @param validate chooses the operation, under both locks
     * @param callback chooses the unpark token, under both locks
     * @return what was done
     * @throws NullPointerException if an argument, or the operation {@code validate} returns, is null
     * @throws IllegalStateException if called from a callback that runs under a bucket lock
     */
    public static UnparkResult unparkRequeue(Object keyFrom, long laneFrom, Object keyTo, long laneTo,
                                             Supplier<RequeueOp> validate, RequeueCallback callback) {
        Objects.requireNonNull(keyFrom, "keyFrom");
        Objects.requireNonNull(keyTo, "keyTo");
        Objects.requireNonNull(validate, "validate");
        Objects.requireNonNull(callback, "callback");
        CallbackGuard guard = CallbackGuard.enter(validate, callback);
        return UnparkMany.requeue(keyFrom, laneFrom, keyTo, laneTo, validate, callback, guard);
    }

    /**
     * Wakes a selection of the threads queued under (key, lane): {@code filter} sees each one's park
     * token in queue order and answers {@link FilterOp#UNPARK}, {@link FilterOp#SKIP} or
     * {@link FilterOp#STOP}; then {@code callback} sees the result and chooses the token every woken
     * thread receives. A read-write lock uses this to wake a batch of readers.
     *
     * @param key      the key's object
     * @param lane     the key's lane
     * @param filter   decides per thread, under the bucket lock
     * @param callback chooses the unpark token, under the bucket lock
     * @return what was done; {@code haveMoreThreads} is true if a thread was skipped or the scan stopped
     *         before the end
     * @throws NullPointerException if an argument, or an operation {@code filter} returns, is null
     * @throws IllegalStateException if called from a callback that runs under a bucket lock
     */
    public static UnparkResult unparkFilter(Object key, long lane, ParkTokenFilter filter,
                                            UnparkCallback callback) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(callback, "callback");
        CallbackGuard guard = CallbackGuard.enter(filter, callback);
        return UnparkMany.filter(key, lane, filter, callback, guard);
    }

    /**
     * Whether (key, lane) is overdue for a fair hand-off: threads are queued under it, the bucket's fair
     * timeout has expired, and no thread of (key, lane) has been woken in the last {@code quietNanos}
     * (for a queue that has had none woken yet, counted from this method's first call on it). For a
     * lock that keeps one woken waiter in flight and skips wake-ups while it does: it asks now and then
     * during that time, and hands itself to the queue's oldest thread (a fair unpark) when the answer is
     * yes, so a woken waiter kept off the CPU cannot suspend eventual fairness. Takes the bucket lock;
     * does not re-arm the timer (the fair unpark does).
     *
     * @param key        the key's object
     * @param lane       the key's lane
     * @param quietNanos how long the key must have gone without a wake-up
     * @return {@code true} if a fair hand-off is overdue
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalStateException if called from a callback that runs under a bucket lock
     */
    public static boolean fairnessOverdue(Object key, long lane, long quietNanos) {
        Objects.requireNonNull(key, "key");
        CallbackGuard.check();
        return ParkingTable.fairnessOverdue(key, lane, quietNanos);
    }

    // ---------------------------------------------------------------------------------------------
    // inspection (monitoring, not synchronization control)

    /**
     * Returns how many threads are queued under (key, lane). A snapshot for monitoring, taken under
     * the bucket lock.
     *
     * @param key  the key's object
     * @param lane the key's lane
     * @return the number of queued threads
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalStateException if called from a callback that runs under a bucket lock
     */
    public static int queueLength(Object key, long lane) {
        Objects.requireNonNull(key, "key");
        CallbackGuard.check();
        return ParkingTable.queueLength(key, lane);
    }

    /**
     * Returns whether {@code thread} is queued under (key, lane); a snapshot for monitoring.
     *
     * @param key    the key's object
     * @param lane   the key's lane
     * @param thread the thread to look for
     * @return {@code true} if it is queued there
     * @throws NullPointerException if {@code key} or {@code thread} is null
     * @throws IllegalStateException if called from a callback that runs under a bucket lock
     */
    public static boolean isQueued(Object key, long lane, Thread thread) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(thread, "thread");
        CallbackGuard.check();
        return ParkingTable.isQueued(key, lane, thread);
    }

    /**
     * Returns the threads queued under (key, lane), oldest first; a snapshot for monitoring.
     *
     * @param key  the key's object
     * @param lane the key's lane
     * @return a new list of the queued threads
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalStateException if called from a callback that runs under a bucket lock
     */
    public static List<Thread> queuedThreads(Object key, long lane) {
        Objects.requireNonNull(key, "key");
        CallbackGuard.check();
        return ParkingTable.queuedThreads(key, lane);
    }

    /**
     * Returns every thread queued in the parking lot, under any key: a snapshot for monitoring (deadlock
     * finders, diagnostics), taken bucket by bucket under each bucket's lock, never under a global
     * stop. It is not atomic across buckets: a thread that moves meanwhile (woken and parked again,
     * requeued to another key) may be missing or listed twice, once per wait or key it was seen in.
     * Each entry is exact for its bucket at the moment that bucket was read. Costs a walk of the whole
     * table; parks and unparks of other buckets go on meanwhile.
     *
     * @return a new list, one entry per queued thread seen
     * @throws IllegalStateException if called from a callback that runs under a bucket lock
     */
    public static List<ParkedThread> parkedThreads() {
        CallbackGuard.check();
        return ParkingTable.snapshot();
    }

    // ---------------------------------------------------------------------------------------------
    // statistics and JMX

    /**
     * Returns a snapshot of the parking lot's counters since it was initialised: parks, unparks,
     * requeues, timeouts, interrupts, the table's size and history (see {@link ParkingLotStatistics} for
     * each number). Takes no lock and never blocks, so it may be called anywhere, callbacks included;
     * the snapshot is not atomic while other threads park and unpark, but no counter in it is smaller
     * than in an earlier snapshot. Costs time proportional to the number of buckets.
     *
     * @return the counters now
     */
    public static ParkingLotStatistics statistics() {
        return ParkingTable.statistics();
    }

    /**
     * Registers the {@link ParkingLotMXBean} in the platform MBean server under
     * {@value ParkingLotMXBean#OBJECT_NAME}, unless an MBean is already registered under that name
     * (by an earlier call, by the system property {@value ParkingLotMXBean#JMX_PROPERTY}, or by
     * another copy of this library in another class loader). Idempotent and thread-safe. This loads
     * the JMX classes: call it only if you want the MXBean. A library loaded by a class loader that
     * can be discarded (an application server's web application) should call
     * {@link #unregisterMXBean()} when it is undeployed, as the platform MBean server would keep its
     * classes reachable.
     *
     * @return {@code true} if this call registered it, {@code false} if the name was taken already
     * @throws UnsupportedOperationException if the {@code java.management} module is not in this JVM
     *         (a module-path application that requires neither it nor {@code java.se}: run with
     *         {@code --add-modules java.management})
     */
    public static boolean registerMXBean() {
        return ParkingLotManagement.register();
    }

    /**
     * Removes the MBean registered under {@value ParkingLotMXBean#OBJECT_NAME} from the platform MBean
     * server, if there is one. Idempotent and thread-safe.
     *
     * @return {@code true} if this call removed it, {@code false} if none was registered
     * @throws UnsupportedOperationException if the {@code java.management} module is not in this JVM
     */
    public static boolean unregisterMXBean() {
        return ParkingLotManagement.unregister();
    }
}
