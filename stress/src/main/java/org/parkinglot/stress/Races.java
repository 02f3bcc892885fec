package org.parkinglot.stress;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Constants and helpers shared by the parking lot's jcstress tests. */
final class Races {

    private Races() {
    }

    /**
     * How long a parker in a lost-wake-up test waits before giving up. A correct parking lot never
     * needs it when the unparker keeps up (the unparker wakes the thread within microseconds); it turns
     * a lost wake-up into a {@code TIMED_OUT} result instead of a hang, at the price of this much time
     * per lost wake-up (the weakened twins pay it each time they show their bug) and per unparker that
     * the scheduler holds back longer than this. Which of the two a timeout was is decided from the
     * order of events, never from the clock, so this value trades only speed, not verdicts.
     */
    static final long LOST_WAKEUP_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** How long a parker waits for its unparker at a rendezvous before going ahead without it. */
    static final long RENDEZVOUS_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    /**
     * Spins until {@code condition} holds or {@code maxNanos} pass. Bounded, so that an actor waiting
     * for its partner can never hang (jcstress also runs the actors of a test one state after another
     * in its own sanity checks).
     *
     * @param condition what to wait for
     * @param maxNanos  the most to wait
     * @return whether the condition held
     */
    static boolean awaitBounded(BooleanSupplier condition, long maxNanos) {
        if (condition.getAsBoolean()) {
            return true;
        }
        long start = System.nanoTime();
        do {
            Thread.onSpinWait();
            if (condition.getAsBoolean()) {
                return true;
            }
        } while (System.nanoTime() - start < maxNanos);
        return false;
    }
}
