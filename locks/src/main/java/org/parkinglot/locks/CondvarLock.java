package org.parkinglot.locks;

import java.util.concurrent.locks.Lock;

/**
 * A lock a {@link Condvar} can wait with: the hooks a wait needs to release and re-take it, and the
 * parking-lot key and park token under which notified waiters are requeued onto the lock's queue.
 * Implemented by the mutexes of this package and by {@link RawRwLock}'s write-lock view.
 */
abstract class CondvarLock implements Lock {

    CondvarLock() {
    }

    /**
     * Returns the object of the parking-lot key (object, {@link #queueLane() lane}) whose queue holds this
     * lock's waiters; notified condvar waiters are requeued there. Two views of one lock return the same
     * key.
     *
     * @return the object of the lock's queue key
     */
    abstract Object queueKey();

    /**
     * Returns the lane of the lock's parking-lot queue key: 0 for a lock that is an object of its own, the
     * element index for a lock that lives in an array element, a distinguishing number for a lock embedded
     * in a field of another object.
     *
     * @return the lane of the lock's queue key
     */
    long queueLane() {
        return 0L;
    }

    /**
     * Returns the park token a condvar waiter uses, so that the lock's unparkers treat a requeued waiter
     * like one of their own (a read-write lock sums park tokens).
     *
     * @return the park token
     */
    long waitParkToken() {
        return 0L;
    }

    /**
     * Checks that the current thread may wait with this lock and returns what
     * {@link #reacquireAfterWait} must restore.
     *
     * @return the saved hold count (1 for non-reentrant locks)
     * @throws IllegalMonitorStateException if the current thread does not hold the lock (where detectable)
     */
    abstract int holdsForWait();

    /** Releases the lock entirely (every hold), fairly if the lock is fair; runs in park's beforeSleep. */
    abstract void releaseAllForWait();

    /**
     * Re-takes the lock after a wait, uninterruptibly, and restores the holds. {@code unparkToken} is
     * the token the wait was woken with: a lock's own token if an unlock woke the waiter from the lock's
     * queue (it may mean that the lock, or its exclusive claim, was handed to this thread, or that this
     * thread is the lock's woken successor), else {@link MutexAlgorithm#TOKEN_NORMAL}.
     *
     * @param holds       what {@link #holdsForWait()} returned
     * @param unparkToken the unpark token, or {@link MutexAlgorithm#TOKEN_NORMAL} if not unparked
     */
    abstract void reacquireAfterWait(int holds, long unparkToken);

    /**
     * Under the condvar's and the lock's bucket locks: marks the lock's queue as non-empty if the lock
     * is held in a way whose release will wake that queue.
     *
     * @return whether it did (a waiter may then be requeued rather than woken)
     */
    abstract boolean markParkedIfLocked();

    /** Under the condvar's and the lock's bucket locks: marks the lock's queue as non-empty. */
    abstract void markParked();
}
