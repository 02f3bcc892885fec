package org.parkinglot.examples;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import org.parkinglot.core.FilterOp;
import org.parkinglot.core.ParkResult;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.core.UnparkResult;

/**
 * A counting semaphore built on the public {@link ParkingLot} API only: one {@code int} of permits;
 * a thread that finds too few parks under (this, 0) with the number it wants as its park token; a
 * release wakes queued threads in FIFO order as long as the permits then available cover them.
 * Not fair: arriving threads may take permits ahead of woken ones, and a small request may overtake a
 * large one that does not fit. An example for library authors, not a library class: a production
 * version would keep a "threads parked" bit in its word so that a release with nobody waiting skips the
 * parking lot (as the mutexes' PARKED bit does); this one visits the lot on every release.
 */
public final class Semaphore {

    /* No lost wake-up: a thread sleeps only if validate, under the bucket lock, sees fewer permits than
     * it wants; a release adds its permits before unparkFilter takes that lock, so validate either sees
     * them or the thread is queued when the filter runs. A woken thread may lose its permits to a
     * barging thread; if it then fails, it runs the wake-up again (wakeWaiters) so that permits left over
     * reach the threads it was counted against, and parks again. Permit changes are volatile CASes:
     * release happens-before the acquire that takes its permits. */

    private volatile int permits;

    /** @param permits the initial number of permits; must not be negative */
    public Semaphore(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits < 0: " + permits);
        }
        this.permits = permits;
    }

    /** @return the number of permits available now */
    public int availablePermits() {
        return permits;
    }

    /** Takes {@code n} permits if available now. @return whether it took them */
    public boolean tryAcquire(int n) {
        checkCount(n);
        for (int p = permits; p >= n; p = permits) {
            if (PERMITS.compareAndSet(this, p, p - n)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes {@code n} permits, waiting for them. @throws InterruptedException if interrupted before or while waiting
     */
    public void acquire(int n) throws InterruptedException {
        tryAcquire(n, ParkingLot.FOREVER);
    }

    /**
     * Takes {@code n} permits, waiting at most the timeout for them.
     *
     * @return {@code true} if it took them, {@code false} on timeout
     * @throws InterruptedException if interrupted before or while waiting
     */
    public boolean tryAcquire(int n, long timeout, TimeUnit unit) throws InterruptedException {
        return tryAcquire(n, Math.max(0L, unit.toNanos(timeout)));
    }

    private boolean tryAcquire(int n, long nanos) throws InterruptedException {
        checkCount(n);
        long deadline = System.nanoTime() + nanos; // used only when nanos != FOREVER
        boolean woken = false;
        while (true) {
            if (Thread.interrupted()) {
                passOn(woken);
                throw new InterruptedException();
            }
            if (tryAcquire(n)) {
                return true;
            }
            passOn(woken);
            long left = nanos == ParkingLot.FOREVER ? nanos : deadline - System.nanoTime();
            if (left <= 0L) {
                return false;
            }
            ParkResult r = ParkingLot.park(this, 0L, new Shortage(n), n, left, true);
            woken = r.isUnparked();
            if (r.kind() == ParkResult.Kind.INTERRUPTED) {
                Thread.interrupted(); // the lot keeps the status; this method reports it by throwing
                throw new InterruptedException();
            }
        }
    }

    /** Returns {@code n} permits and wakes the queued threads they (and any others available) cover. */
    public void release(int n) {
        checkCount(n);
        int p;
        do {
            p = permits;
            if (p + n < 0) {
                throw new Error("Maximum permit count exceeded");
            }
        } while (!PERMITS.compareAndSet(this, p, p + n));
        wakeWaiters();
    }

    /** A woken thread that did not get its permits lets the others try (see the notes). */
    private void passOn(boolean woken) {
        if (woken && permits > 0) {
            wakeWaiters();
        }
    }

    /** Wakes queued threads, oldest first, whose wants fit in the permits available now. */
    private void wakeWaiters() {
        Budget budget = new Budget();
        ParkingLot.unparkFilter(this, 0L, budget, budget);
    }

    private static void checkCount(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative permit count: " + n);
        }
    }

    /** The filter of one wake-up: runs under the bucket lock, reading the permits at its first call. */
    private final class Budget implements ParkingLot.ParkTokenFilter, ParkingLot.UnparkCallback {
        private long left = -1L;

        @Override
        public FilterOp filter(long wanted) {
            if (left < 0L) {
                left = permits;
            }
            if (wanted > left) {
                return FilterOp.SKIP;
            }
            left -= wanted;
            return FilterOp.UNPARK;
        }

        @Override
        public long onUnpark(UnparkResult result) {
            return ParkingLot.DEFAULT_UNPARK_TOKEN; // the woken threads take their permits themselves
        }
    }

    /** The park callbacks of one waiting thread: sleep while there are fewer permits than it wants. */
    private static final class Shortage implements ParkingLot.ParkCallbacks {
        private final int wanted;

        Shortage(int wanted) {
            this.wanted = wanted;
        }

        @Override
        public boolean validate(Object key, long lane) {
            return ((Semaphore) key).permits < wanted;
        }
    }

    private static final VarHandle PERMITS;

    static {
        try {
            PERMITS = MethodHandles.lookup().findVarHandle(Semaphore.class, "permits", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
