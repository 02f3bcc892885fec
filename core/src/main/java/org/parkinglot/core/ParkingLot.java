/*
 * Ported from parking_lot `core/src/parking_lot.rs` (Amanieu d'Antras, MIT/Apache-2.0), after WebKit
 * `WTF/wtf/ParkingLot.cpp`.
 */
package org.parkinglot.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
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
 * itself directly to the woken thread. Keys sharing a bucket share its timer.
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
     * Growth. The nodes of one key always share a bucket, so what keeps scans short is the number of
     * distinct keys per bucket, not of threads: 100 000 threads parked on one key never grow the table.
     * parking_lot sizes its table by the number of live threads, which does not fit virtual threads.
     * Here a LongAdder counts queued keys (changed under the lock of the bucket where a key queue
     * appears or disappears, so it is exact whenever no operation is in flight). A park that starts a
     * key queue in a bucket that already holds another key checks, after its beforeSleep (where a
     * condition variable releases its mutex: nobody should wait for that mutex while the table is
     * rehashed) and only if no unparker has chosen it yet, whether queued keys exceed MAX_LOAD (2) per
     * bucket; if so the table grows to highestOneBit(keys) buckets (load 1 to 2 afterwards). An
     * unparker or timed-out thread that empties a bucket, in a table above its initial size, checks
     * after releasing its bucket and waking its threads whether keys fell below one per SHRINK_RATIO (8)
     * buckets; if so the table shrinks to max(64, 2 * highestOneBit(keys)) buckets (load 1/2 to 1).
     * Each check costs O(1) (a LongAdder sum: one read per striped cell, at most about one per CPU).
     * A resize costs O(old buckets + keys) (it rehashes key heads, not nodes); a growth at least
     * doubles the table, a shrink divides it by 8 or more, and the key count must at least double
     * after a shrink before the next growth, or fall 8x after a growth before the next shrink, so
     * resizing costs amortized O(1) per key queue started or ended.
     *
     * A resize is done by one thread at a time, the holder of the RESIZING flag, with no bucket lock
     * held on entry: it allocates the new table before taking any lock, then locks every bucket of the
     * old table in index order, moves every key head to its new bucket (the chains behind the heads
     * move with them), empties the old buckets, publishes the new table with a volatile store, and
     * unlocks. The resizer must not lose its processor while it holds the table: a virtual thread that
     * parks or yields is rescheduled behind every runnable virtual thread (a million after a burst),
     * and each of those finds its bucket locked meanwhile. So a virtual thread hands the resize to a short-lived platform thread and joins it, and the
     * resizer takes each old bucket by tryLock, spinning and then polling with short timed parks,
     * never queuing in the bucket's WordLock behind virtual threads that would each have to be
     * scheduled first (lockForResize). Whoever waited on an old bucket lock sees the table changed and retries; nothing then
     * refers to the old table, which becomes garbage. Pair locking also takes the lower index first,
     * so the two cannot deadlock. A thread that wants a resize but finds the flag taken leaves at once;
     * the resizer clears the flag with a volatile store and checks the count again, which sees every
     * key change made before that thread's failed CAS, so no needed resize is lost (in particular the
     * table returns to 64 buckets once every thread has left).
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
     * Re-entry. Callbacks that run under a bucket lock must not call the lot: on the same bucket that
     * would self-deadlock on the WordLock, and on another bucket it would take two bucket locks in an
     * order that a resize and unparkRequeue (lower index first) do not follow. Each thread has a
     * CallbackGuard (a ThreadLocal) whose flag is set while it holds a bucket lock; every public
     * operation checks it first and throws IllegalStateException before taking any lock, so the
     * misusing call fails and nothing is left locked. beforeSleep and forfeit run with the flag clear.
     *
     * OutOfMemoryError while allocating a node happens before anything is queued; a resize allocates
     * outside every lock and simply keeps the current table if allocation fails.
     */

    /** The default token a thread parks with. */
    public static final long DEFAULT_PARK_TOKEN = 0L;
    /** The default token an unparker hands over. */
    public static final long DEFAULT_UNPARK_TOKEN = 0L;
    /** A timeout that never elapses. */
    public static final long FOREVER = Long.MAX_VALUE;

    /** Initial and smallest number of buckets (a power of two). */
    private static final int INITIAL_BUCKETS = 64;
    /** Largest number of buckets (a power of two); beyond it, chains lengthen instead. */
    private static final int MAX_BUCKETS = 1 << 28;
    /** The table grows when queued keys outnumber buckets by more than this factor. */
    private static final int MAX_LOAD = 2;
    /** The table shrinks when buckets outnumber queued keys by more than this factor. */
    private static final int SHRINK_RATIO = 8;
    /** Spin hints a resizer spends on a held bucket before it polls it with timed parks (lockForResize). */
    private static final int RESIZE_SPIN_LIMIT = 1 << 10;
    /** How long a resizer sleeps between two tries of a held bucket after spinning. */
    private static final long RESIZE_POLL_NANOS = 20_000L;
    /** Spinning is pointless when the lock holder cannot run meanwhile. */
    private static final boolean MULTIPROCESSOR = Runtime.getRuntime().availableProcessors() > 1;
    /** Fibonacci hashing multiplier (2^64 / golden ratio). */
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    /**
     * A table of buckets; its array is fixed at construction. A replaced table is garbage once the
     * threads that read it before the replacement have locked a stale bucket, seen the change and
     * moved on: nothing else refers to it, and the resize emptied its buckets.
     */
    private static final class Table {
        final Bucket[] buckets;
        final int hashBits;

        Table(int size) {
            int bits = Integer.numberOfTrailingZeros(size);
            Bucket[] b = new Bucket[size];
            long now = System.nanoTime();
            for (int i = 0; i < size; i++) {
                b[i] = new Bucket(i + 1, now);
            }
            this.buckets = b;
            this.hashBits = bits;
        }

        int index(int identityHash, long lane) {
            long h = (identityHash + lane * GOLDEN) * GOLDEN;
            return (int) (h >>> (64 - hashBits));
        }
    }

    /** The current table; replaced only by {@link #rehash}, under every old bucket's lock. */
    private static volatile Table table = new Table(INITIAL_BUCKETS);
    /**
     * How many distinct keys have threads queued, in all buckets: changed under the lock of the bucket
     * whose key queue appears or disappears, read racily (summed) to decide resizes.
     */
    private static final LongAdder QUEUED_KEYS = new LongAdder();
    /** 1 while a thread resizes the table; set by CAS, cleared by that thread (see resizeIfNeeded). */
    private static volatile int resizing;
    /** Number of table replacements; written only by the thread holding RESIZING. */
    private static volatile int resizes;

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

    /*
     * No lambdas in this class: linking a lambda call site the first time it runs took milliseconds on
     * the 2-core test machine, paid by whichever thread first takes that path (often an unlocker while
     * others wait). The callbacks below are named classes instead.
     */

    /** The do-nothing {@code beforeSleep} and {@code timedOut} callbacks, and the default unpark callback. */
    private static final class Defaults implements Runnable, TimedOutCallback, UnparkCallback {
        @Override
        public void run() {
        }

        @Override
        public void onTimedOut(Object key, long lane, boolean wasLastThread) {
        }

        @Override
        public long onUnpark(UnparkResult result) {
            return DEFAULT_UNPARK_TOKEN;
        }
    }

    /** The callbacks of {@link #compareAndPark}: park while the word still holds the expected value. */
    private static final class WordEquals implements ParkCallbacks {
        private final IntSupplier word;
        private final int expected;

        WordEquals(IntSupplier word, int expected) {
            this.word = word;
            this.expected = expected;
        }

        @Override
        public boolean validate(Object key, long lane) {
            return word.getAsInt() == expected;
        }
    }

    /** The callbacks of the park form with separate callbacks, as one {@link ParkCallbacks}. */
    private static final class SeparateCallbacks implements ParkCallbacks {
        private final BooleanSupplier validate;
        private final Runnable beforeSleep;
        private final TimedOutCallback timedOut;

        SeparateCallbacks(BooleanSupplier validate, Runnable beforeSleep, TimedOutCallback timedOut) {
            this.validate = validate;
            this.beforeSleep = beforeSleep;
            this.timedOut = timedOut;
        }

        @Override
        public boolean validate(Object key, long lane) {
            return validate.getAsBoolean();
        }

        @Override
        public void beforeSleep() {
            beforeSleep.run();
        }

        @Override
        public void timedOut(Object key, long lane, boolean wasLastThread) {
            timedOut.onTimedOut(key, lane, wasLastThread);
        }
    }

    /**
     * Per thread: whether it holds a bucket lock, and so may be running a callback under it. Every
     * public operation checks it first ({@link #enter()}), which turns a callback's call back into the
     * parking lot into an {@link IllegalStateException} instead of a deadlock. Touched only by its own
     * thread. A {@link ThreadLocal} costs each thread that uses the lot one small map; no other
     * per-thread place exists for a library (a field of the lock would grow every lock, and the bucket
     * cannot tell which bucket a thread may hold besides itself).
     */
    private static final class CallbackGuard {
        /** Set while the thread holds a bucket lock; written and read only by that thread. */
        boolean holdsBucketLock;

        private static final ThreadLocal<CallbackGuard> CURRENT = new ThreadLocal<>() {
            @Override
            protected CallbackGuard initialValue() {
                return new CallbackGuard();
            }
        };

        /** The current thread's guard, after checking that it is not inside a locked callback. */
        static CallbackGuard enter() {
            CallbackGuard guard = CURRENT.get();
            if (guard.holdsBucketLock) {
                throw new IllegalStateException("ParkingLot called from a callback that runs under a bucket lock"
                        + " (validate, timedOut, unpark, requeue and filter callbacks must not call the parking lot)");
            }
            return guard;
        }
    }

    private static final Defaults DEFAULTS = new Defaults();
    private static final Runnable NO_OP = DEFAULTS;
    private static final TimedOutCallback NO_TIMED_OUT = DEFAULTS;

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
        return park(key, lane, new SeparateCallbacks(validate, beforeSleep, timedOut), parkToken, timeoutNanos,
                interruptible);
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
        CallbackGuard guard = CallbackGuard.enter();
        boolean timed = timeoutNanos != FOREVER;
        long deadline = timed ? Timeouts.deadline(timeoutNanos) : 0L;

        WaitNode node;
        boolean checkGrowth = false;
        Bucket bucket = lockBucket(key, lane);
        guard.holdsBucketLock = true;
        try {
            if (!callbacks.validate(key, lane)) {
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
                keyAdded();
                checkGrowth = bucket.keyCount() > 1; // the new key shares its bucket: chains grow
            }
        } finally {
            guard.holdsBucketLock = false;
            bucket.unlock();
        }

        try {
            callbacks.beforeSleep();
        } catch (Throwable t) {
            try {
                if (!dequeueAfterTimeout(node, callbacks, guard)) {
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
            resizeIfNeeded();
        }

        int wake = node.parkUntil(timed, deadline, interruptible);
        if (wake == ThreadParker.WAKE_UNPARKED) {
            return ParkResult.unparked(node.unparkToken); // ordered by the acquire load that ended the park
        }
        if (!dequeueAfterTimeout(node, callbacks, guard)) {
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
        return park(key, lane, new WordEquals(word, expected), DEFAULT_PARK_TOKEN, timeoutNanos, interruptible);
    }

    /**
     * After an imprecise timeout (or interrupt, or a throwing beforeSleep): leaves the queue unless an
     * unparker already chose the node, running timedOut under the lock.
     *
     * @return true if the node left the queue itself, false if it had been unparked
     */
    private static boolean dequeueAfterTimeout(WaitNode node, ParkCallbacks callbacks, CallbackGuard guard) {
        for (;;) {
            // Racy hints: a requeue may be moving the node, and the two fields may even be torn (the
            // key of one requeue with the lane of another), naming a bucket no requeuer ever locked.
            // So the only proof of where the node is: finding it in the key queue of the bucket we hold.
            Bucket bucket = lockBucket(node.key, node.lane);
            int left;
            boolean emptied = false;
            guard.holdsBucketLock = true;
            try {
                if (!node.stillParked()) {
                    return false; // an unparker chose it (volatile read; the token was written first)
                }
                left = bucket.remove(node);
                if (left >= 0) {
                    // The node was in this bucket, so whoever last set its key held this lock: stable now.
                    if (left == 0) {
                        emptied = keyRemoved(bucket);
                    }
                    callbacks.timedOut(node.key, node.lane, left == 0);
                }
            } finally {
                guard.holdsBucketLock = false;
                bucket.unlock();
            }
            if (left >= 0) {
                if (emptied) {
                    shrinkIfNeeded();
                }
                return true;
            }
            Thread.onSpinWait(); // moved by a requeue meanwhile: look again
        }
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
        CallbackGuard guard = CallbackGuard.enter();
        UnparkHandle handle;
        UnparkResult result;
        boolean emptied = false;
        Bucket bucket = lockBucket(key, lane);
        guard.holdsBucketLock = true;
        try {
            WaitNode target = bucket.find(key, lane);
            if (target == null) {
                callback.onUnpark(UnparkResult.EMPTY);
                return UnparkResult.EMPTY;
            }
            result = UnparkResult.one(target.next != null, bucket.shouldTimeout());
            long token = callback.onUnpark(result);
            if (bucket.removeFirst(target) == 0) {
                emptied = keyRemoved(bucket);
            }
            target.unparkToken = token; // plain: published by unparkLock()'s release
            handle = target.unparkLock();
        } finally {
            guard.holdsBucketLock = false;
            bucket.unlock();
        }
        handle.unpark();
        if (emptied) {
            shrinkIfNeeded();
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
        return unparkOne(key, 0L, DEFAULTS);
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
        CallbackGuard.enter();
        WaitNode head;
        int count;
        boolean emptied;
        Bucket bucket = lockBucket(key, lane);
        try {
            head = bucket.find(key, lane);
            if (head == null) {
                return 0;
            }
            count = head.keyCount;
            bucket.removeKey(head); // the whole key at once; its nodes stay chained through next
            emptied = keyRemoved(bucket);
            for (WaitNode n = head; n != null; n = n.next) {
                n.unparkToken = unparkToken; // plain: published by unparkLock()'s release
                n.unparkLock();
            }
        } finally {
            bucket.unlock();
        }
        wakeChain(head);
        if (emptied) {
            shrinkIfNeeded();
        }
        return count;
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
        CallbackGuard guard = CallbackGuard.enter();
        int hashFrom = System.identityHashCode(keyFrom);
        int hashTo = System.identityHashCode(keyTo);
        Bucket from;
        Bucket to;
        for (;;) {
            Table t = table;
            int i = t.index(hashFrom, laneFrom);
            int j = t.index(hashTo, laneTo);
            Bucket first = t.buckets[Math.min(i, j)];
            first.lock();
            if (t != table) {
                first.unlock();
                continue;
            }
            if (i != j) {
                t.buckets[Math.max(i, j)].lock();
            }
            from = t.buckets[i];
            to = t.buckets[j];
            break;
        }
        UnparkHandle handle = null;
        UnparkResult result;
        boolean emptied = false;
        boolean checkGrowth = false;
        guard.holdsBucketLock = true;
        try {
            RequeueOp op = Objects.requireNonNull(validate.get(), "RequeueOp returned by validate");
            if (op == RequeueOp.ABORT) {
                return UnparkResult.EMPTY;
            }
            WaitNode head = from.find(keyFrom, laneFrom);
            int matches = head == null ? 0 : head.keyCount;
            int unparked;
            int requeued;
            boolean haveMore;
            switch (op) {
                case UNPARK_ONE_REQUEUE_REST -> {
                    unparked = Math.min(matches, 1);
                    requeued = matches - unparked;
                    haveMore = false;
                }
                case REQUEUE_ALL -> {
                    unparked = 0;
                    requeued = matches;
                    haveMore = false;
                }
                case UNPARK_ONE -> {
                    unparked = Math.min(matches, 1);
                    requeued = 0;
                    haveMore = matches > 1;
                }
                case REQUEUE_ONE -> {
                    unparked = 0;
                    requeued = Math.min(matches, 1);
                    haveMore = matches > 1;
                }
                default -> throw new AssertionError(op);
            }
            boolean beFair = unparked != 0 && from.shouldTimeout();
            result = (unparked | requeued) == 0 && !haveMore
                    ? UnparkResult.EMPTY
                    : new UnparkResult(unparked, requeued, haveMore, beFair);
            long token = callback.onRequeue(op, result);

            // The plan is fixed and every callback has returned: now edit the queues.
            if (head != null) {
                WaitNode wake = null;
                WaitNode moveFirst;
                WaitNode moveLast;
                if (unparked + requeued == matches) {
                    moveLast = head.keyTail; // read before removeKey clears it
                    from.removeKey(head); // the whole key leaves: O(1)
                    emptied = keyRemoved(from);
                    moveFirst = head;
                } else {
                    if (from.removeFirst(head) == 0) { // one node of several
                        emptied = keyRemoved(from);
                    }
                    moveFirst = head;
                    moveLast = head;
                }
                if (unparked != 0) {
                    wake = moveFirst;
                    moveFirst = wake == moveLast ? null : wake.next;
                    wake.next = null;
                }
                if (moveFirst != null) {
                    // Every moved node gets the new key (plain stores: a node re-reads its key under a
                    // bucket lock), so that a node that times out finds the bucket it is queued in.
                    for (WaitNode n = moveFirst; ; n = n.next) {
                        n.key = keyTo;
                        n.lane = laneTo;
                        if (n == moveLast) {
                            break;
                        }
                    }
                    if (to.appendChain(moveFirst, moveLast, requeued)) {
                        keyAdded();
                        checkGrowth = to.keyCount() > 1;
                    }
                }
                if (wake != null) {
                    wake.unparkToken = token; // plain: published by unparkLock()'s release
                    handle = wake.unparkLock();
                }
            }
        } finally {
            guard.holdsBucketLock = false;
            if (from != to) {
                to.unlock();
            }
            from.unlock();
        }
        if (handle != null) {
            handle.unpark();
        }
        if (checkGrowth) {
            resizeIfNeeded();
        } else if (emptied) {
            shrinkIfNeeded();
        }
        return result;
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
        CallbackGuard guard = CallbackGuard.enter();
        WaitNode wakeHead = null;
        UnparkResult result;
        boolean emptied = false;
        Bucket bucket = lockBucket(key, lane);
        guard.holdsBucketLock = true;
        try {
            WaitNode head = bucket.find(key, lane);
            int selected = 0;
            boolean haveMore = false;
            long callbackToken;
            try {
                for (WaitNode n = head; n != null; n = n.next) {
                    FilterOp op = Objects.requireNonNull(filter.filter(n.parkToken), "FilterOp returned by filter");
                    if (op == FilterOp.UNPARK) {
                        n.selected = true;
                        selected++;
                    } else if (op == FilterOp.SKIP) {
                        haveMore = true;
                    } else {
                        haveMore = true;
                        break;
                    }
                }
                result = selected == 0 && !haveMore
                        ? UnparkResult.EMPTY
                        : new UnparkResult(selected, 0, haveMore, selected != 0 && bucket.shouldTimeout());
                callbackToken = callback.onUnpark(result);
            } catch (Throwable t) {
                for (WaitNode n = head; n != null; n = n.next) {
                    n.selected = false; // a throwing filter or callback leaves the queue as it was
                }
                throw t;
            }

            // Callbacks done: split the key's queue into the nodes it keeps and the ones to wake.
            if (selected != 0) {
                int kept = head.keyCount - selected;
                WaitNode keepFirst = null;
                WaitNode keepLast = null;
                WaitNode wakeTail = null;
                for (WaitNode n = head; n != null; ) {
                    WaitNode next = n.next;
                    if (n.selected) {
                        n.selected = false;
                        if (wakeTail == null) {
                            wakeHead = n;
                        } else {
                            wakeTail.next = n;
                        }
                        wakeTail = n;
                    } else {
                        if (keepLast == null) {
                            keepFirst = n;
                        } else {
                            keepLast.next = n;
                        }
                        keepLast = n;
                    }
                    n = next;
                }
                wakeTail.next = null;
                bucket.keepOnly(head, keepFirst, keepLast, kept);
                if (kept == 0) {
                    emptied = keyRemoved(bucket);
                }
                for (WaitNode n = wakeHead; n != null; n = n.next) {
                    n.unparkToken = callbackToken; // plain: published by unparkLock()'s release
                    n.unparkLock();
                }
            }
        } finally {
            guard.holdsBucketLock = false;
            bucket.unlock();
        }
        wakeChain(wakeHead);
        if (emptied) {
            shrinkIfNeeded();
        }
        return result;
    }

    /** Phase two for a chain of dequeued nodes linked through {@code next}. */
    private static void wakeChain(WaitNode n) {
        while (n != null) {
            WaitNode next = n.next; // no one else touches a dequeued node's link
            n.unpark();
            n = next;
        }
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
        CallbackGuard.enter();
        Bucket bucket = lockBucket(key, lane);
        try {
            WaitNode head = bucket.find(key, lane);
            return head == null ? 0 : head.keyCount;
        } finally {
            bucket.unlock();
        }
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
        CallbackGuard.enter();
        Bucket bucket = lockBucket(key, lane);
        try {
            for (WaitNode n = bucket.find(key, lane); n != null; n = n.next) {
                if (n.thread() == thread) {
                    return true;
                }
            }
            return false;
        } finally {
            bucket.unlock();
        }
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
        CallbackGuard.enter();
        List<Thread> threads = new ArrayList<>();
        Bucket bucket = lockBucket(key, lane);
        try {
            for (WaitNode n = bucket.find(key, lane); n != null; n = n.next) {
                threads.add(n.thread());
            }
        } finally {
            bucket.unlock();
        }
        return threads;
    }

    /** Test hook: the current number of buckets. */
    static int bucketCount() {
        return table.buckets.length;
    }

    /** Test hook: the index of the bucket of (key, lane) in the current table. */
    static int bucketIndex(Object key, long lane) {
        return table.index(System.identityHashCode(key), lane);
    }

    /** Test hook: the current table, to check that a replaced one becomes unreachable. */
    static Object currentTable() {
        return table;
    }

    /** Test hook: how many times the table has been replaced since the class was loaded. */
    static int resizeCount() {
        return resizes;
    }

    /** Test hook: the racy global count of queued keys that drives resizing. */
    static long queuedKeysHint() {
        return QUEUED_KEYS.sum();
    }

    /** Test hook: the number of threads queued in the whole table, counted under each bucket's lock. */
    static int totalQueued() {
        for (;;) {
            Table t = table;
            int total = 0;
            for (Bucket b : t.buckets) {
                b.lock();
                for (WaitNode h = b.firstKey(); h != null; h = h.nextKey) {
                    total += h.keyCount;
                }
                b.unlock();
            }
            if (t == table) {
                return total;
            }
        }
    }

    /** Test hook: the number of distinct keys queued in the whole table, counted under each bucket's lock. */
    static int totalKeys() {
        for (;;) {
            Table t = table;
            int total = 0;
            for (Bucket b : t.buckets) {
                b.lock();
                total += b.keyCount();
                b.unlock();
            }
            if (t == table) {
                return total;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // buckets and resizing

    /** Locks the bucket of (key, lane) in the current table. */
    private static Bucket lockBucket(Object key, long lane) {
        int hash = System.identityHashCode(key);
        for (;;) {
            Table t = table;
            Bucket bucket = t.buckets[t.index(hash, lane)];
            bucket.lock();
            // A resizer publishes the new table while holding every old bucket lock, so having locked
            // an old bucket after the resize, this volatile read sees the new table.
            if (t == table) {
                return bucket;
            }
            bucket.unlock();
        }
    }

    /** Counts a key queue that an enqueue just started; called under that bucket's lock. */
    private static void keyAdded() {
        // Under the lock, so the key is counted before any unparker can see it and uncount it: once
        // every operation has returned, the count is exact, and the last remover sees it reach zero.
        QUEUED_KEYS.increment();
    }

    /**
     * Uncounts a key queue that just disappeared from {@code bucket}; called under its lock.
     *
     * @return whether the bucket has no key left (the caller then checks for a shrink, unlocked)
     */
    private static boolean keyRemoved(Bucket bucket) {
        QUEUED_KEYS.decrement();
        return bucket.keyCount() == 0;
    }

    /** After a bucket emptied: resizes if the table is above its initial size and too sparse. */
    private static void shrinkIfNeeded() {
        if (table.buckets.length > INITIAL_BUCKETS) {
            resizeIfNeeded();
        }
    }

    /**
     * The size the table should have for {@code keys} queued keys: its current size unless that is
     * overloaded (more than MAX_LOAD keys per bucket) or sparse (fewer than one key per SHRINK_RATIO
     * buckets, above the initial size).
     */
    private static int targetSize(int size, long keys) {
        if (keys > (long) size * MAX_LOAD && size < MAX_BUCKETS) {
            // Load 1 to 2 afterwards: at least a doubling, more after a burst.
            return (int) Math.min(MAX_BUCKETS, Long.highestOneBit(keys));
        }
        if (size > INITIAL_BUCKETS && keys < size / SHRINK_RATIO) {
            // Load 1/2 to 1 afterwards: keys must double to grow again, or fall 4x to shrink again.
            return (int) Math.max(INITIAL_BUCKETS, Long.highestOneBit(keys) << 1);
        }
        return size;
    }

    /**
     * Resizes the table until its size suits the number of queued keys; called with no bucket lock
     * held. One thread at a time resizes (the RESIZING flag); a thread that finds the flag taken
     * leaves, because the resizer checks the count again after it clears the flag. A virtual thread
     * has a platform thread do the work (see resizeOnPlatformThread) and waits for it.
     */
    private static void resizeIfNeeded() {
        for (;;) {
            Table old = table;
            int size = targetSize(old.buckets.length, QUEUED_KEYS.sum());
            if (size == old.buckets.length || !RESIZING.compareAndSet(0, 1)) {
                return;
            }
            try {
                if (Thread.currentThread().isVirtual()) {
                    resizeOnPlatformThread();
                } else {
                    resize();
                }
            } finally {
                // A volatile store, not a release: the count read by the next round must not move
                // above it, or a key removed by a thread that saw the flag taken could go unseen.
                resizing = 0;
            }
        }
    }

    /**
     * Runs {@link #resize()} on a new platform thread and waits for it (uninterruptibly, keeping the
     * interrupt status). The resizer holds every bucket lock while it rehashes; a virtual thread that
     * had to wait for one more bucket would be unmounted and rescheduled behind every runnable
     * virtual thread (after a burst: hundreds of thousands, each of which then finds its bucket
     * locked), holding the whole table meanwhile. A platform thread waits for the bucket's holder
     * only. If no thread can be started, the caller resizes itself. The wait is a LockSupport park on
     * the task's volatile flag (no monitor, as everywhere in core); a stray unpark meant for the
     * caller's queued node only makes it re-check the flag, and its ThreadParker loops on its own state.
     */
    private static void resizeOnPlatformThread() {
        ResizeTask task = new ResizeTask(Thread.currentThread());
        try {
            Thread.ofPlatform().daemon().name("parkinglot-resize").start(task);
        } catch (OutOfMemoryError e) {
            resize();
            return;
        }
        boolean interrupted = false;
        while (!task.done) {
            LockSupport.park(task);
            if (Thread.interrupted()) {
                interrupted = true; // else park would return at once until the resize ends
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The body of a resize; the caller holds RESIZING and no bucket lock. */
    private static void resize() {
        Table old = table; // read under the flag: only this thread replaces it now
        int size = targetSize(old.buckets.length, QUEUED_KEYS.sum());
        if (size == old.buckets.length) {
            return;
        }
        Table next;
        try {
            next = new Table(size); // allocated before any lock is taken
        } catch (OutOfMemoryError e) {
            return; // a table of the wrong size is slower, not wrong
        }
        rehash(old, next);
    }

    /** Replaces {@code old} by {@code next}, moving every key queue; the caller holds RESIZING. */
    private static void rehash(Table old, Table next) {
        Bucket[] buckets = old.buckets;
        for (Bucket b : buckets) {
            lockForResize(b); // index order, as pair locking: no deadlock
        }
        try {
            for (Bucket b : buckets) {
                WaitNode h = b.firstKey();
                while (h != null) {
                    WaitNode nextKey = h.nextKey;
                    next.buckets[next.index(System.identityHashCode(h.key), h.lane)].adoptKey(h);
                    h = nextKey;
                }
                b.clear(); // nothing of the old table may keep a queued node reachable
            }
            // Publish before unlocking: a thread blocked on an old bucket lock re-reads the table.
            table = next;
            resizes++;
        } finally {
            for (Bucket b : buckets) {
                b.unlock();
            }
        }
    }

    /**
     * Locks a bucket of the table being replaced without queuing in its WordLock: spins, then polls
     * with short timed parks. A queued resizer would wait until every waiter queued before it had been
     * woken and scheduled and had taken and released the lock, and with virtual threads each of those
     * steps waits its turn behind every runnable virtual thread; polling takes the lock as soon as its
     * holder (a few instructions) lets go. The resizer is normally a platform thread, so polling
     * occupies no carrier.
     */
    private static void lockForResize(Bucket b) {
        for (int i = 0; !b.tryLock(); i++) {
            if (MULTIPROCESSOR && i < RESIZE_SPIN_LIMIT) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(b, RESIZE_POLL_NANOS);
            }
        }
    }

    /** The task of a platform resizer thread: resizes, then wakes the thread that waits for it. */
    private static final class ResizeTask implements Runnable {
        /** The thread that holds RESIZING and waits. */
        private final Thread caller;
        /** Set once the resize has ended (also by an exception); read by the caller. */
        volatile boolean done;

        ResizeTask(Thread caller) {
            this.caller = caller;
        }

        @Override
        public void run() {
            try {
                resize();
            } finally {
                done = true;
                LockSupport.unpark(caller);
            }
        }
    }

    // VarHandle mechanics
    private static final VarHandle RESIZING;

    static {
        try {
            RESIZING = MethodHandles.lookup().findStaticVarHandle(ParkingLot.class, "resizing", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
