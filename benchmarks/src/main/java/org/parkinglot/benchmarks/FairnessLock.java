package org.parkinglot.benchmarks;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.parkinglot.benchmarks.strawman.BargingMutex;
import org.parkinglot.locks.RawFairMutex;
import org.parkinglot.locks.RawMutex;

/**
 * The locks {@link FairnessRun} compares, each with the name it prints.
 */
enum FairnessLock {

    /** {@code RawMutex}: barging, with a fair hand-off when the bucket's fair timeout has expired. */
    RAW_MUTEX("RawMutex") {
        @Override
        FairnessRun.Mutex newMutex() {
            return of(new RawMutex());
        }
    },

    /** {@link BargingMutex}: RawMutex's protocol with the fair hand-off removed (a straw man). */
    RAW_MUTEX_NO_FAIRNESS("RawMutex(no fairness)") {
        @Override
        FairnessRun.Mutex newMutex() {
            BargingMutex m = new BargingMutex();
            return new FairnessRun.Mutex() {
                @Override
                public void lock() {
                    m.lock();
                }

                @Override
                public void unlock() {
                    m.unlock();
                }
            };
        }
    },

    /** {@code RawFairMutex}: every unlock with a waiter hands over. */
    RAW_FAIR_MUTEX("RawFairMutex") {
        @Override
        FairnessRun.Mutex newMutex() {
            return of(new RawFairMutex());
        }
    },

    /** {@code new ReentrantLock()}. */
    REENTRANT_LOCK("ReentrantLock") {
        @Override
        FairnessRun.Mutex newMutex() {
            return of(new ReentrantLock());
        }
    },

    /** {@code new ReentrantLock(true)}. */
    REENTRANT_LOCK_FAIR("ReentrantLock(fair)") {
        @Override
        FairnessRun.Mutex newMutex() {
            return of(new ReentrantLock(true));
        }
    };

    /** The name printed in the report. */
    final String displayName;

    FairnessLock(String displayName) {
        this.displayName = displayName;
    }

    /**
     * Makes a fresh, unlocked lock of this kind.
     *
     * @return the lock, seen through {@link FairnessRun.Mutex}
     */
    abstract FairnessRun.Mutex newMutex();

    private static FairnessRun.Mutex of(Lock lock) {
        return new FairnessRun.Mutex() {
            @Override
            public void lock() {
                lock.lock();
            }

            @Override
            public void unlock() {
                lock.unlock();
            }
        };
    }
}
