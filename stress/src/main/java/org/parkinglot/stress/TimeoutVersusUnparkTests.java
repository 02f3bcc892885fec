package org.parkinglot.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.ThreadLocalRandom;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;
import org.parkinglot.core.ParkResult;
import org.parkinglot.core.ParkingLot;

/**
 * A timeout racing an unpark has exactly one winner, and both threads agree on which.
 *
 * <p>The race: the parker parks with a timeout of 0.5, 2, 8 or 32 microseconds (chosen at random per
 * sample); the unparker waits until the parker is queued (its {@code beforeSleep} says so) and calls
 * {@link ParkingLot#unparkOne unparkOne} at once. The unpark therefore collides with the deadline:
 * with the shortest timeouts the deadline has already passed when the parker looks at it, and the
 * parker's re-locking of the bucket to dequeue itself races the unparker's choice; with the longer ones
 * the unpark lands while the parker sleeps or as it wakes. The two possible histories are:
 * <ul>
 *   <li>the unparker chose the parker: it saw {@code unparkedThreads == 1}, and the park returns
 *       {@code UNPARKED} with the unparker's token (even if the deadline had passed by the time the
 *       parker noticed);</li>
 *   <li>the parker gave up first: its {@code timedOut} callback ran under the bucket lock as the last
 *       thread of the key, the park returns {@code TIMED_OUT}, and the unparker found no one.</li>
 * </ul>
 * The outcome is {@code <park result>, woke <unparkedThreads>[, timedOut(last=..)][, still queued N]};
 * the arbiter also checks that nothing is left queued under the key. Anything but the two histories
 * above (a wake-up both delivered and reported as a timeout, a timeout whose thread stayed queued, a
 * wrong token) is forbidden: a lock built on the lot would lose a hand-off or a waiter.
 *
 * <ul>
 *   <li>{@link Lot}: the park's own result decides.</li>
 *   <li>{@link ClockDecides} (the weakened twin): the parker trusts its own clock instead of the park's
 *       result - "my deadline has passed, so I timed out" - the bug of a {@code tryLock(timeout)} that
 *       drops a lock handed to it at the last moment. It must show {@code TIMED_OUT, woke 1}.</li>
 * </ul>
 *
 * <p>Run (the jar needs a JDK 21+ {@code java}, e.g. {@code /usr/lib/jvm/temurin-25-jdk-amd64/bin/java}):
 * {@code java -jar stress/target/jcstress.jar -t TimeoutVersusUnparkTests} (add {@code -m default} for a full run).
 */
public final class TimeoutVersusUnparkTests {

    private TimeoutVersusUnparkTests() {
    }

    /** The token the unparker hands over. */
    static final long TOKEN = 11L;

    /** The parker's timeouts, one chosen per sample: short, so that the deadline and the unpark collide. */
    private static final long[] TIMEOUT_NANOS = {500L, 2_000L, 8_000L, 32_000L};

    /** Shared body: the park, the unpark and the outcome. */
    abstract static class Base {
        /** Written by the timedOut callback (under the bucket lock, by the parker), read by the arbiter. */
        boolean timedOutRan;
        boolean wasLast;
        /** Written by the unparker, read by the arbiter. */
        int woke;
        /** Written by the parker, read by the arbiter. */
        ParkResult result;
        /** The parker's own reading of its deadline, for the twin. */
        long deadline;
        /** Set by the parker's beforeSleep: it is queued. */
        volatile boolean queued;

        final ParkResult park() {
            long timeout = TIMEOUT_NANOS[ThreadLocalRandom.current().nextInt(TIMEOUT_NANOS.length)];
            deadline = System.nanoTime() + timeout;
            return ParkingLot.park(this, 0L, () -> true, () -> queued = true, (key, lane, last) -> {
                timedOutRan = true;
                wasLast = last;
            }, ParkingLot.DEFAULT_PARK_TOKEN, timeout, false);
        }

        final void unpark() {
            Races.awaitBounded(() -> queued, Races.RENDEZVOUS_NANOS);
            woke = ParkingLot.unparkOne(this, 0L, u -> TOKEN).unparkedThreads();
        }

        final void record(L_Result r) {
            int left = ParkingLot.queueLength(this, 0L);
            r.r1 = result + ", woke " + woke
                    + (timedOutRan ? ", timedOut(last=" + wasLast + ")" : "")
                    + (left != 0 ? ", still queued " + left : "");
        }
    }

    /** The park's result decides. */
    @JCStressTest
    @Outcome(id = "UNPARKED(11), woke 1", expect = ACCEPTABLE,
            desc = "The unpark won: the parker got the token, the unparker counted it.")
    @Outcome(id = "TIMED_OUT, woke 0, timedOut(last=true)", expect = ACCEPTABLE,
            desc = "The timeout won: the parker dequeued itself (timedOut ran), the unparker found no one.")
    @Outcome(expect = FORBIDDEN, desc = "The two threads disagree on who won, a token was lost, or the parker stayed queued.")
    @State
    public static class Lot extends Base {

        /** Parks with a short timeout. */
        @Actor
        public void parker() {
            result = park();
        }

        /** Waits until the parker is queued, then unparks one. */
        @Actor
        public void unparker() {
            unpark();
        }

        /**
         * Records the outcome.
         *
         * @param r the result
         */
        @Arbiter
        public void arbiter(L_Result r) {
            record(r);
        }
    }

    /** The weakened twin: the parker's clock overrides the park's result. */
    @JCStressTest
    @Outcome(id = "UNPARKED(11), woke 1", expect = ACCEPTABLE,
            desc = "The unpark won before the deadline.")
    @Outcome(id = "TIMED_OUT, woke 0, timedOut(last=true)", expect = ACCEPTABLE,
            desc = "The timeout won: the parker dequeued itself, the unparker found no one.")
    @Outcome(id = "TIMED_OUT, woke 1", expect = ACCEPTABLE_INTERESTING,
            desc = "LOST HAND-OFF, as this broken parker allows: woken after its deadline, it reported a timeout anyway.")
    @Outcome(expect = FORBIDDEN, desc = "Not expected even from this broken parker.")
    @State
    public static class ClockDecides extends Base {

        /** Parks with a short timeout, then believes the clock over the result: the deliberate bug. */
        @Actor
        public void parker() {
            ParkResult r = park();
            result = System.nanoTime() - deadline >= 0 ? ParkResult.TIMED_OUT : r;
        }

        /** Waits until the parker is queued, then unparks one. */
        @Actor
        public void unparker() {
            unpark();
        }

        /**
         * Records the outcome.
         *
         * @param r the result
         */
        @Arbiter
        public void arbiter(L_Result r) {
            record(r);
        }
    }
}
