package org.parkinglot.core;

/**
 * Per thread: whether it holds a bucket lock, and so may be running a callback under it. Every
 * public operation checks it first ({@link #enter()}), which turns a callback's call back into the
 * parking lot into an {@link IllegalStateException} instead of a deadlock. Touched only by its own
 * thread. A {@link ThreadLocal} costs each thread that uses the lot one small map; no other
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
