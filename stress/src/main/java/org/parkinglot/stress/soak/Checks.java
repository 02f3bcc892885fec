package org.parkinglot.stress.soak;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.parkinglot.core.ParkingLot;

/**
 * What every operation of the soak shares: the timeouts it tries, the checks of the interrupt and
 * timeout contracts, and one acquisition by a random method. {@link Workload} (the locks and condvars)
 * and {@link LotOps} (the raw parking lot) extend it.
 */
abstract class Checks {

    /** The longest a condvar or futex waiter waits for its wake-up before giving up (its fallback). */
    static final long FALLBACK_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Size of the rings that remember when each wake-up completed (gates, futex words). */
    static final int RING = 1024;

    /** Thrown on purpose from parking-lot callbacks. */
    static final class Thrown extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Thrown(String where) {
            super("thrown on purpose from " + where, null, false, false);
        }
    }

    /** A timeout to try: its amount and unit as passed, and in nanoseconds (saturated). */
    record Wait(long amount, TimeUnit unit) {
        long nanos() {
            return unit.toNanos(amount);
        }

        boolean forever() {
            return nanos() == Long.MAX_VALUE;
        }
    }

    final Tally tally;

    Checks(Tally tally) {
        this.tally = tally;
    }

    /** Timeouts for locks: 0, 1 ns, 1 us to 2 ms, Long.MAX_VALUE ns, Long.MAX_VALUE days. */
    static Wait lockWait(Worker w) {
        return switch (w.rnd.nextInt(6)) {
            case 0 -> new Wait(0, TimeUnit.NANOSECONDS);
            case 1 -> new Wait(1, TimeUnit.NANOSECONDS);
            case 2, 3 -> new Wait(1_000 + w.rnd.nextLong(2_000_000), TimeUnit.NANOSECONDS);
            case 4 -> new Wait(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
            default -> new Wait(Long.MAX_VALUE, TimeUnit.DAYS);
        };
    }

    /**
     * Timeouts for waits that need a notifier: 0 or 1 ns (15% each), 1 us to 2 ms (50%), the fallback (20%).
     * Kept short mostly: a worker waiting for a notify does nothing else meanwhile.
     */
    static Wait notifyWait(Worker w) {
        int r = w.rnd.nextInt(20);
        if (r < 3) {
            return new Wait(0, TimeUnit.NANOSECONDS);
        } else if (r < 6) {
            return new Wait(1, TimeUnit.NANOSECONDS);
        } else if (r < 16) {
            return new Wait(1_000 + w.rnd.nextLong(2_000_000), TimeUnit.NANOSECONDS);
        }
        return new Wait(FALLBACK_NANOS, TimeUnit.NANOSECONDS);
    }

    /** Some work inside a critical section; now and then a yield, so that others queue and park. */
    static void work(Worker w) {
        if (w.rnd.nextInt(16) == 0) {
            Thread.yield();
        } else {
            for (int i = w.rnd.nextInt(32); i > 0; i--) {
                Thread.onSpinWait();
            }
        }
    }

    /** After an uninterruptible wait started with {@link Worker#mark()}: the status must be set if an interrupt came. */
    final void checkKept(Worker w, String what) {
        if (w.interruptedSinceMark()) {
            if (Thread.currentThread().isInterrupted()) {
                tally.interruptsKept.increment();
            } else {
                tally.violation(what + " lost the interrupt status");
            }
        }
    }

    /** After an InterruptedException: an interrupt must have come, and the status must have been cleared. */
    final void checkThrown(Worker w, String what) {
        switch (w.afterThrow()) {
            case Worker.THROWN_WITHOUT_INTERRUPT -> tally.violation(what + " threw InterruptedException without an interrupt");
            case Worker.THROWN_STATUS_SET -> tally.violation(what + " threw InterruptedException but left the status set");
            default -> tally.interruptsHonoured.increment();
        }
    }

    /** A timed wait that said "timed out". */
    final void checkTimedOut(String what, Wait t, long elapsed) {
        if (t.forever()) {
            tally.violation(what + " with timeout " + t + " returned 'timed out' after " + elapsed + " ns");
        } else if (t.nanos() > 0) {
            tally.timedOut(what, t.nanos(), elapsed);
        }
    }

    /** The four ways to take a lock (in one mode). */
    interface Acquirer {
        void lock();

        void lockInterruptibly() throws InterruptedException;

        boolean tryLock();

        boolean tryLock(long time, TimeUnit unit) throws InterruptedException;

        static Acquirer of(Lock l) {
            return new Acquirer() {
                @Override
                public void lock() {
                    l.lock();
                }

                @Override
                public void lockInterruptibly() throws InterruptedException {
                    l.lockInterruptibly();
                }

                @Override
                public boolean tryLock() {
                    return l.tryLock();
                }

                @Override
                public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
                    return l.tryLock(time, unit);
                }
            };
        }
    }

    /**
     * Acquires by a random method (lock, lockInterruptibly, tryLock, timed tryLock with a random
     * timeout), checking the interrupt and timeout contracts.
     *
     * @return whether the lock is now held
     */
    final boolean acquire(Worker w, String what, Acquirer a) {
        int how = w.rnd.nextInt(10);
        if (how < 3) {
            w.mark();
            a.lock();
            checkKept(w, what + ".lock()");
            return true;
        }
        if (how == 3) {
            return a.tryLock();
        }
        boolean self = w.mark();
        if (how < 6) {
            try {
                a.lockInterruptibly();
            } catch (InterruptedException e) {
                checkThrown(w, what + ".lockInterruptibly()");
                return false;
            }
            if (self) {
                tally.violation(what + ".lockInterruptibly() ignored an interrupt pending on entry");
            }
            return true;
        }
        Wait t = lockWait(w);
        long t0 = System.nanoTime();
        boolean ok;
        try {
            ok = a.tryLock(t.amount(), t.unit());
        } catch (InterruptedException e) {
            checkThrown(w, what + ".tryLock(" + t + ")");
            return false;
        }
        long elapsed = System.nanoTime() - t0;
        if (self) {
            tally.violation(what + ".tryLock(" + t + ") ignored an interrupt pending on entry");
        }
        if (!ok) {
            checkTimedOut(what + ".tryLock", t, elapsed);
        }
        return ok;
    }

    /** Before a fair unlock or bump: counts it if a thread is queued on the lock (lane 0). */
    final void countFair(Object lock) {
        if (ParkingLot.queueLength(lock, 0L) > 0) {
            tally.fairWithWaiters.increment();
        }
    }
}
