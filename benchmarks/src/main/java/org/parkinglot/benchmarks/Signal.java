package org.parkinglot.benchmarks;

import java.util.concurrent.locks.LockSupport;
import org.parkinglot.core.ParkingLot;

/**
 * One direction of a two-thread handoff: a reusable signal that one thread awaits and another raises,
 * and that can be closed to release its waiter for good. Each competitor of {@link HandoffType} is one
 * implementation.
 *
 * <p>Protocol: one thread awaits a given signal at a time, and a signal is raised at most once before
 * its waiter consumes it. The ping-pong of {@link HandoffBenchmark} guarantees both: a side raises its
 * next signal only after it has consumed the other side's reply, and the reply is sent only after the
 * request was consumed.
 */
abstract class Signal {

    /** Raised by {@link #signal()}, cleared by the waiter when it consumes the signal. */
    volatile boolean raised;
    /** Set once by {@link #close()}, never cleared: the waiter stops waiting. */
    volatile boolean closed;

    /**
     * Names the thread that will await this signal; implementations that find their waiter by other
     * means ignore it. The caller binds before it asks the other side for a signal.
     *
     * @param waiter the thread that awaits
     */
    void bindWaiter(Thread waiter) {
    }

    /**
     * Waits, parking, until the signal is raised, then consumes it; returns early once the signal is
     * closed.
     *
     * @return {@code true} if a raised signal was consumed, {@code false} if the signal was closed first
     */
    abstract boolean await();

    /** Raises the signal and wakes its waiter. */
    abstract void signal();

    /** Closes the signal: a waiter, present or future, returns {@code false} from {@link #await()}. */
    abstract void close();

    /**
     * The baseline: bare {@link LockSupport}, with the loop on a volatile flag that every correct user
     * of {@code LockSupport} needs (a park may return spuriously or on a stale permit).
     */
    static final class LockSupportSignal extends Signal {

        /**
         * The thread that awaits. Volatile so that {@link #close()} on a failure path sees a waiter bound
         * concurrently (a Dekker pair with {@link #closed}); rebound only when the waiting thread changes.
         */
        private volatile Thread waiter;

        @Override
        void bindWaiter(Thread waiter) {
            if (this.waiter != waiter) {
                this.waiter = waiter;
            }
        }

        @Override
        boolean await() {
            while (!raised) {
                if (closed) {
                    return false;
                }
                LockSupport.park(this);
            }
            raised = false;
            return true;
        }

        @Override
        void signal() {
            raised = true;
            LockSupport.unpark(waiter);
        }

        @Override
        void close() {
            closed = true;
            LockSupport.unpark(waiter);
        }
    }

    /**
     * Through the parking lot: the waiter parks under (key, lane) while the flag is clear, validated under
     * the bucket lock; the signaller sets the flag, then {@link ParkingLot#unparkOne unparkOne}s the key.
     */
    static final class ParkingLotSignal extends Signal {

        /** The token handed to the woken waiter (it does not read it: the flag carries the signal). */
        private static final long HANDOFF_TOKEN = 1L;
        /** Hands {@link #HANDOFF_TOKEN} over; a constant, so an unpark allocates no callback. */
        private static final ParkingLot.UnparkCallback HANDOFF = result -> HANDOFF_TOKEN;

        private final Object key;
        private final long lane;
        /**
         * The park's callbacks: validate runs under the bucket lock and says to sleep only while there is
         * nothing to consume and nobody closed; no beforeSleep, and parks here never time out.
         */
        private final ParkingLot.ParkCallbacks mustWait = (k, l) -> !raised && !closed;

        /**
         * Creates a signal whose waiter parks under (key, lane).
         *
         * @param key  the key's object
         * @param lane the key's lane
         */
        ParkingLotSignal(Object key, long lane) {
            this.key = key;
            this.lane = lane;
        }

        @Override
        boolean await() {
            while (!raised) {
                if (closed) {
                    return false;
                }
                ParkingLot.park(key, lane, mustWait, ParkingLot.DEFAULT_PARK_TOKEN, ParkingLot.FOREVER, false);
            }
            raised = false;
            return true;
        }

        @Override
        void signal() {
            raised = true;
            ParkingLot.unparkOne(key, lane, HANDOFF);
        }

        @Override
        void close() {
            closed = true;
            ParkingLot.unparkAll(key, lane, HANDOFF_TOKEN);
        }
    }
}
