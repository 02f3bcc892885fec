/*
 * Ported from parking_lot `core/src/spinwait.rs`.
 */
package org.parkinglot.core;

/**
 * Bounded exponential back-off for the spin phase of a lock's slow path.
 *
 * <p>{@link #spin()} runs three bursts of {@link Thread#onSpinWait()} hints (2, 4, then 8), then up to
 * seven {@link Thread#yield()}s, and then returns {@code false}: the caller should park. On a machine
 * with a single available processor spinning cannot help (the holder cannot run while we spin), so
 * {@code spin()} returns {@code false} at once. Not thread-safe: each waiting thread uses its own.
 */
public final class SpinWait {

    /** Steps before {@link #spin()} gives up. */
    private static final int SPIN_LIMIT = 10;
    /** Steps spent on {@code onSpinWait} bursts before yielding. */
    private static final int PAUSE_STEPS = 3;
    /** Spinning is pointless when the lock holder cannot run at the same time. */
    private static final boolean MULTIPROCESSOR = Runtime.getRuntime().availableProcessors() > 1;

    private int counter;

    /** Creates a back-off at its first step. */
    public SpinWait() {
    }

    /**
     * Spins or yields once, longer each time.
     *
     * @return {@code false} once the spin limit is reached (or on a single processor): park instead
     */
    public boolean spin() {
        if (counter >= SPIN_LIMIT || !MULTIPROCESSOR) {
            return false;
        }
        counter++;
        if (counter <= PAUSE_STEPS) {
            cpuRelax(1 << counter);
        } else {
            Thread.yield();
        }
        return true;
    }

    /**
     * Spins without yielding, twice as long each time up to 1024 hints; for backing off a failed CAS on
     * a busy word where yielding would cost more than the retry.
     */
    public void spinNoYield() {
        if (counter < SPIN_LIMIT) {
            counter++;
        }
        cpuRelax(1 << counter);
    }

    /** Starts over at the first step; call after every wake-up from a park. */
    public void reset() {
        counter = 0;
    }

    private static void cpuRelax(int iterations) {
        for (int i = 0; i < iterations; i++) {
            Thread.onSpinWait();
        }
    }
}
