package org.parkinglot.core.internal;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Deadlines and interrupts, done the same way by every waiting method of core and locks (exported to
 * the locks module only).
 *
 * <p>A timeout in nanoseconds becomes a {@link System#nanoTime()} deadline by a plain addition that may
 * wrap: deadlines are only ever compared by subtracting the current time ({@link #remaining}), which
 * stays correct across the wrap as long as the timeout fits in a {@code long}, so
 * {@code tryLock(Long.MAX_VALUE, DAYS)} waits forever and never times out early. A timeout of
 * {@link #FOREVER} usually skips the clock altogether (callers keep a {@code timed} flag).
 *
 * <p>Interruption follows {@code java.util.concurrent}: a method that throws
 * {@link InterruptedException} clears the interrupt status first ({@link #throwIfInterrupted},
 * {@link #clearInterrupt}).
 */
public final class Timeouts {

    /** A timeout that never elapses; the value of {@code ParkingLot.FOREVER}. */
    public static final long FOREVER = Long.MAX_VALUE;

    private Timeouts() {
    }

    /**
     * {@code time} in nanoseconds ({@link TimeUnit#toNanos} saturates at {@code Long.MAX_VALUE} and
     * {@code Long.MIN_VALUE}).
     *
     * @param time the amount of time
     * @param unit its unit
     * @return the nanoseconds
     * @throws NullPointerException if {@code unit} is null
     */
    public static long toNanos(long time, TimeUnit unit) {
        return Objects.requireNonNull(unit, "unit").toNanos(time);
    }

    /**
     * The {@code System.nanoTime()} instant {@code timeoutNanos} from now. May wrap: compare it only
     * through {@link #remaining}.
     *
     * @param timeoutNanos the timeout
     * @return the deadline
     */
    public static long deadline(long timeoutNanos) {
        return System.nanoTime() + timeoutNanos; // may wrap; only differences are compared
    }

    /**
     * Nanoseconds left until {@code deadline}; zero or less once it has passed.
     *
     * @param deadline a value of {@link #deadline}
     * @return the time left
     */
    public static long remaining(long deadline) {
        return deadline - System.nanoTime();
    }

    /**
     * The timeout to pass to a park: the time left until {@code deadline} if {@code timed}, else
     * {@link #FOREVER}.
     *
     * @param timed    whether the wait has a deadline
     * @param deadline a value of {@link #deadline} (ignored unless {@code timed})
     * @return the time left, or {@link #FOREVER}
     */
    public static long remainingOrForever(boolean timed, long deadline) {
        return timed ? deadline - System.nanoTime() : FOREVER;
    }

    /**
     * Throws {@link InterruptedException}, clearing the interrupt status, if the current thread is
     * interrupted: the check on entry of every interruptible wait.
     *
     * @throws InterruptedException if the current thread was interrupted
     */
    public static void throwIfInterrupted() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    /**
     * Clears the current thread's interrupt status and returns the exception to throw for it: for a wait
     * that an interrupt ended with the status still set ({@code throw Timeouts.clearInterrupt();}).
     *
     * @return a new {@link InterruptedException}
     */
    public static InterruptedException clearInterrupt() {
        Thread.interrupted();
        return new InterruptedException();
    }
}
