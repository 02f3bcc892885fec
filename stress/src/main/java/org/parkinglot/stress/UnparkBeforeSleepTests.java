package org.parkinglot.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;
import org.parkinglot.core.ParkResult;
import org.parkinglot.core.ParkingLot;

/**
 * An unpark that comes after a thread queued itself but before it went to sleep is not lost.
 *
 * <p>The race: the parker calls {@link ParkingLot#park park} on a key whose {@code validate} reads a
 * plain flag under the bucket lock ({@code flag == 0}: "nothing happened yet, sleep"); its
 * {@code beforeSleep} then waits (boundedly) until the unparker is done, so that the unparker's whole
 * two-phase unpark (the choice under the bucket lock, then {@code LockSupport.unpark}) lands between
 * queuing and sleeping. The unparker sets the flag and calls {@link ParkingLot#unparkOne unparkOne}.
 * Whatever the interleaving, the parker either sees the flag already set ({@code INVALID}) or is queued
 * before the unparker looks and is woken with the unparker's token. Its park has a 1 ms timeout, so a
 * lost wake-up shows as {@code TIMED_OUT} instead of a hang.
 *
 * <p>The outcome is {@code <park result>, woke <unparkedThreads the unparker saw>, <when>}, where
 * {@code <when>} says whether the unparker had finished before the parker's sleep ({@code before sleep}),
 * had not finished within the 0.2 ms the parker waited for it ({@code late}), or the parker never queued
 * ({@code not queued}).
 *
 * <ul>
 *   <li>{@link Lot}: the real {@code park}; {@code TIMED_OUT, woke 0, before sleep} - the unparker
 *       came and went while the parker was queued, yet found no one - is forbidden.</li>
 *   <li>{@link ValidateOutsideLock} (the weakened twin): the parker reads the flag itself, then parks
 *       with a {@code validate} that returns that stale answer; an unpark that runs between the read and
 *       the queuing finds no one, and the parker sleeps until its timeout.</li>
 * </ul>
 *
 * <p>Run (the jar needs a JDK 21+ {@code java}, e.g. {@code /usr/lib/jvm/temurin-25-jdk-amd64/bin/java}):
 * {@code java -jar stress/target/jcstress.jar -t UnparkBeforeSleepTests} (add {@code -m default} for a full run).
 */
public final class UnparkBeforeSleepTests {

    private UnparkBeforeSleepTests() {
    }

    /** The token the unparker hands over. */
    static final long TOKEN = 7L;

    /** Shared body of the tests: everything but how the parker validates. */
    abstract static class Base {
        /** The unparker's state change; plain: written before unparkOne, read under the bucket lock. */
        int flag;
        /** Set once the unparker's unparkOne has returned. */
        volatile boolean unparkDone;
        /** Written by the unparker, read by the arbiter. */
        int woke;
        /** Written by the parker, read by the arbiter. */
        ParkResult result;
        /** What the parker's beforeSleep saw; written by the parker. */
        String when = "not queued";

        final void beforeSleep() {
            when = Races.awaitBounded(() -> unparkDone, Races.RENDEZVOUS_NANOS) ? "before sleep" : "late";
        }

        final void park(boolean sleep) {
            result = ParkingLot.park(this, 0L, () -> sleep || flag == 0, this::beforeSleep,
                    (key, lane, last) -> { }, ParkingLot.DEFAULT_PARK_TOKEN,
                    Races.LOST_WAKEUP_TIMEOUT_NANOS, false);
        }

        final void unpark() {
            flag = 1;
            woke = ParkingLot.unparkOne(this, 0L, u -> TOKEN).unparkedThreads();
            unparkDone = true;
        }

        final void record(L_Result r) {
            r.r1 = result + ", woke " + woke + ", " + when;
        }
    }

    /** The real park: validate reads the flag under the bucket lock. */
    @JCStressTest
    @Outcome(id = "INVALID, woke 0, not queued", expect = ACCEPTABLE,
            desc = "The parker validated after the flag was set and did not sleep.")
    @Outcome(id = "UNPARKED(7), woke 1, before sleep", expect = ACCEPTABLE,
            desc = "The wake-up landed between queuing and sleeping, and was kept.")
    @Outcome(id = "UNPARKED(7), woke 1, late", expect = ACCEPTABLE,
            desc = "The unparker came after the parker stopped waiting for it and woke it from its sleep.")
    @Outcome(id = "TIMED_OUT, woke 0, late", expect = ACCEPTABLE,
            desc = "The unparker came more than 1 ms late (descheduled), after the parker had given up.")
    @Outcome(id = "TIMED_OUT, woke 0, before sleep", expect = FORBIDDEN,
            desc = "LOST WAKE-UP: the unpark ran while the parker was queued but did not find it.")
    @Outcome(expect = FORBIDDEN, desc = "Inconsistent: the park's result contradicts what the unparker did.")
    @State
    public static class Lot extends Base {

        /** Parks while the flag is clear. */
        @Actor
        public void parker() {
            park(false);
        }

        /** Sets the flag, then unparks one. */
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

    /** The weakened twin: the flag is read before the bucket lock is taken. */
    @JCStressTest
    @Outcome(id = "INVALID, woke 0, not queued", expect = ACCEPTABLE,
            desc = "The parker read the flag after it was set and did not sleep.")
    @Outcome(id = "UNPARKED(7), woke 1, before sleep", expect = ACCEPTABLE,
            desc = "The wake-up landed between queuing and sleeping, and was kept.")
    @Outcome(id = "UNPARKED(7), woke 1, late", expect = ACCEPTABLE,
            desc = "The unparker came after the parker stopped waiting for it and woke it from its sleep.")
    @Outcome(id = "TIMED_OUT, woke 0, late", expect = ACCEPTABLE,
            desc = "The unparker came more than 1 ms late (descheduled), after the parker had given up.")
    @Outcome(id = "TIMED_OUT, woke 0, before sleep", expect = ACCEPTABLE_INTERESTING,
            desc = "LOST WAKE-UP, as this broken validation allows: the unpark ran between the read and the queuing.")
    @Outcome(expect = FORBIDDEN, desc = "Inconsistent: the park's result contradicts what the unparker did.")
    @State
    public static class ValidateOutsideLock extends Base {

        /** Reads the flag, then parks with a validate that returns what it read: the deliberate bug. */
        @Actor
        public void parker() {
            boolean sleep = flag == 0;
            if (sleep) {
                park(true);
            } else {
                result = ParkResult.INVALID;
            }
        }

        /** Sets the flag, then unparks one. */
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
