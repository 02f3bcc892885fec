package org.parkinglot.core;

/**
 * Per thread: whether it holds a bucket lock, and so may be running a callback under it. Every
 * public operation checks it first ({@link #enter()}), which turns a callback's call back into the
 * parking lot into an {@link IllegalStateException} instead of a deadlock. Touched only by its own
 * thread. A {@link ThreadLocal} costs each thread that uses the lot one small map (only once user
 * callbacks are in use: see the implementation notes); no other
 * per-thread place exists for a library (a field of the lock would grow every lock, and the bucket
 * cannot tell which bucket a thread may hold besides itself).
 *
 * <p>Why: a callback that runs under a bucket lock and calls the lot would, on the same bucket,
 * self-deadlock on the WordLock, and on another bucket take two bucket locks in an order that a
 * resize and unparkRequeue (lower index first) do not follow. The flag is set while the thread holds a
 * bucket lock, so the misusing call fails before it takes any lock and nothing is left locked;
 * beforeSleep and forfeit run with the flag clear.
 */
final class CallbackGuard {

    /*
     * Implementation notes.
     *
     * Only user callbacks need the guard. The locks of org.parkinglot.locks pass callbacks that never
     * call the lot under a bucket lock (that package's classes; CondvarLock, the one hook a callback
     * there calls, cannot be implemented outside it), nor does the lot's own no-op callback
     * (CallbackAdapters.Defaults; the other adapters wrap user code). Until the first operation with
     * a callback of another class (a user callback), no thread can be inside a user callback, so no
     * check is needed and no per-thread map either: the operations of the locks then use a fresh
     * guard that nothing reads, and the checks of the callback-free operations return at once. The
     * map is not free for
     * virtual threads: a million threads that each park once would each get a ThreadLocalMap, its
     * 16-slot table and a WeakReference entry (150 bytes, and a weak reference for every collection
     * to process), which made a burst of a million parked threads markedly slower than with the JDK's
     * locks (ParkedThreadsBenchmark, issue 13).
     *
     * The first operation with a user callback sets userCallbacks (a volatile store, once) before it
     * takes its thread's guard; from then on every operation checks and marks its thread's guard, as
     * before. A thread inside a user callback therefore always has its flag set, and whatever it calls
     * (with user callbacks or the locks' own) reads userCallbacks after its own store and checks. A
     * thread in an operation of the locks' callbacks whose guard is fresh runs none of them that call
     * back, so nothing needs to detect it. The flag never clears: a program that passes its own
     * callbacks once pays the map, per thread, as before.
     */

    /** Set while the thread holds a bucket lock; written and read only by that thread. */
    boolean holdsBucketLock;

    private static final ThreadLocal<CallbackGuard> CURRENT = new ThreadLocal<>() {
        @Override
        protected CallbackGuard initialValue() {
            return new CallbackGuard();
        }
    };

    /** The package whose callbacks never call the parking lot under a bucket lock. */
    private static final String TRUSTED_PACKAGE = "org.parkinglot.locks";

    /** Per callback class: whether it is the locks' own or the no-op default (see the implementation notes). */
    private static final ClassValue<Boolean> TRUSTED = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return TRUSTED_PACKAGE.equals(type.getPackageName()) || type == CallbackAdapters.Defaults.class;
        }
    };

    /** Whether an operation has ever been called with a user callback; never cleared. */
    private static volatile boolean userCallbacks;

    /**
     * The guard of an operation that runs no callback under a bucket lock: checks only (the result
     * is the thread's guard if checks are on, else a fresh one nothing reads).
     */
    static CallbackGuard check() {
        return userCallbacks ? checked() : new CallbackGuard();
    }

    /**
     * The guard of an operation whose callbacks are unknown: every callback counts as a user one.
     * Prefer the overloads that name the callbacks.
     */
    static CallbackGuard enter() {
        markUserCallbacks();
        return checked();
    }

    /** The guard of an operation that runs {@code callback} under a bucket lock. */
    static CallbackGuard enter(Object callback) {
        if (!TRUSTED.get(callback.getClass())) {
            markUserCallbacks();
        }
        return check();
    }

    /** The guard of an operation that runs {@code first} and {@code second} under bucket locks. */
    static CallbackGuard enter(Object first, Object second) {
        if (!TRUSTED.get(first.getClass()) || !TRUSTED.get(second.getClass())) {
            markUserCallbacks();
        }
        return check();
    }

    /** Test hook: whether callbacks of {@code type} count as the lot's or the locks' own. */
    static boolean trusted(Class<?> type) {
        return TRUSTED.get(type);
    }

    private static void markUserCallbacks() {
        if (!userCallbacks) {
            userCallbacks = true; // before this thread's check: it reads its own store
        }
    }

    /** The current thread's guard, after checking that it is not inside a locked callback. */
    private static CallbackGuard checked() {
        CallbackGuard guard = CURRENT.get();
        if (guard.holdsBucketLock) {
            throw new IllegalStateException("ParkingLot called from a callback that runs under a bucket lock"
                    + " (validate, timedOut, unpark, requeue and filter callbacks must not call the parking lot)");
        }
        return guard;
    }
}
