package org.parkinglot.examples;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import org.parkinglot.core.ParkResult;
import org.parkinglot.core.ParkingLot;

/**
 * A count-down latch built on the public {@link ParkingLot} API only: one {@code int} of state; waiters
 * park under (this, 0) while the count is not zero; the count-down that reaches zero unparks them all.
 * An example for library authors (the "Build your own primitive" section of the README), not a library
 * class.
 */
public final class CountDownLatch {

    /* No lost wake-up: a waiter sleeps only if validate, under the bucket lock, still sees count != 0;
     * the count-down to zero happens before unparkAll takes that lock, so validate either sees zero or
     * the waiter is queued before unparkAll looks. The volatile count gives happens-before from every
     * countDown to every await that returns. */

    private volatile int count;

    /** @param count how many {@link #countDown()} calls open the latch; must not be negative */
    public CountDownLatch(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count < 0: " + count);
        }
        this.count = count;
    }

    /** Decrements the count; wakes every waiter when it reaches zero. Does nothing at zero. */
    public void countDown() {
        int c;
        do {
            c = count;
            if (c == 0) {
                return;
            }
        } while (!COUNT.compareAndSet(this, c, c - 1));
        if (c == 1) {
            ParkingLot.unparkAll(this);
        }
    }

    /** @return the current count */
    public long getCount() {
        return count;
    }

    /** Waits until the count is zero. @throws InterruptedException if interrupted before or while waiting */
    public void await() throws InterruptedException {
        await(ParkingLot.FOREVER);
    }

    /**
     * Waits until the count is zero or the timeout elapses.
     *
     * @return {@code true} if the count reached zero, {@code false} on timeout
     * @throws InterruptedException if interrupted before or while waiting
     */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return await(Math.max(0L, unit.toNanos(timeout))); // FOREVER is Long.MAX_VALUE, toNanos saturates
    }

    private boolean await(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos; // used only when nanos != FOREVER
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (count == 0) {
                return true;
            }
            long left = nanos == ParkingLot.FOREVER ? nanos : deadline - System.nanoTime();
            if (left <= 0L) {
                return false;
            }
            ParkResult r = ParkingLot.park(this, 0L, WAIT_WHILE_NOT_ZERO, ParkingLot.DEFAULT_PARK_TOKEN, left, true);
            if (r.kind() == ParkResult.Kind.INTERRUPTED) {
                Thread.interrupted(); // the lot keeps the status; this method reports it by throwing
                throw new InterruptedException();
            }
        }
    }

    /** One shared callbacks object for every latch: the key is the latch. */
    private static final ParkingLot.ParkCallbacks WAIT_WHILE_NOT_ZERO = new ParkingLot.ParkCallbacks() {
        @Override
        public boolean validate(Object key, long lane) {
            return ((CountDownLatch) key).count != 0;
        }
    };

    private static final VarHandle COUNT;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(CountDownLatch.class, "count", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
