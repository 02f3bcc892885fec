package org.parkinglot.benchmarks;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.parkinglot.locks.ReentrantMutex;

/**
 * The competitors of {@link ParkedThreadsBenchmark} and {@link BurstRetention}: the parking lot's
 * drop-in for {@code ReentrantLock}, and {@code ReentrantLock} itself, which queues its waiters in the
 * lock (an AQS node each) instead of in a global table.
 */
public enum ParkedLockType {

    /** {@code new ReentrantMutex()}: waiters queue in the parking lot under the mutex's key. */
    REENTRANT_MUTEX {
        @Override
        Lock newLock() {
            return new ReentrantMutex();
        }

        @Override
        boolean hasQueuedThread(Lock lock, Thread thread) {
            return ((ReentrantMutex) lock).hasQueuedThread(thread);
        }
    },

    /** {@code new ReentrantLock()}: waiters queue in the lock's own AQS queue. */
    REENTRANT_LOCK {
        @Override
        Lock newLock() {
            return new ReentrantLock();
        }

        @Override
        boolean hasQueuedThread(Lock lock, Thread thread) {
            return ((ReentrantLock) lock).hasQueuedThread(thread);
        }
    };

    /**
     * Makes a fresh, unlocked lock of this type.
     *
     * @return the lock
     */
    abstract Lock newLock();

    /**
     * Whether {@code thread} waits in {@code lock}'s queue.
     *
     * @param lock   a lock made by {@link #newLock()}
     * @param thread the thread to look for
     * @return {@code true} if it is queued
     */
    abstract boolean hasQueuedThread(Lock lock, Thread thread);
}
