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
 * The window between a waiter's validation and its sleep loses no wake-up: a state change followed by
 * an unpark, racing a futex-style {@link ParkingLot#compareAndPark compareAndPark}, always either
 * stops the park or wakes it.
 *
 * <p>The race: the parker sleeps on its key while a plain {@code int} word reads 0 (the word is read
 * under the bucket lock); the unparker writes 1 to the word and calls
 * {@link ParkingLot#unparkOne unparkOne}. This is the skeleton of every lock's unlock path. The
 * bucket lock makes "validate and queue" one atomic step with respect to "look for a waiter", so the
 * parker cannot slip in after the unparker looked yet before the word changed. The park has a 1 ms
 * timeout, so a lost wake-up shows as {@code TIMED_OUT} instead of a hang.
 *
 * <p>Both sides stamp a counter under the bucket lock (the word read of the parker, the unpark
 * callback of the unparker, which runs even when no thread is queued), so the outcome tells which one
 * took the bucket lock first: {@code <park result>, woke <unparkedThreads>, <validate first | unpark first>}.
 * A parker that validated after the unpark and still slept ({@code TIMED_OUT, woke 0, unpark first}) lost
 * its wake-up; a parker that validated first, slept and was not woken can only have given up before
 * the unparker came ({@code TIMED_OUT, woke 0, validate first}, an unparker more than 1 ms late).
 *
 * <ul>
 *   <li>{@link StateChangeThenUnpark}: the correct unparker; the lost outcome is forbidden.</li>
 *   <li>{@link UnparkThenStateChange} (the weakened twin): the unparker unparks first and changes the
 *       word afterwards, the classic "notify before the state change" bug. A parker that validates in
 *       between sleeps with no one left to wake it.</li>
 * </ul>
 *
 * <p>Run (the jar needs a JDK 21+ {@code java}, e.g. {@code /usr/lib/jvm/temurin-25-jdk-amd64/bin/java}):
 * {@code java -jar stress/target/jcstress.jar -t ValidateWindowTests} (add {@code -m default} for a full run).
 */
public final class ValidateWindowTests {

    private ValidateWindowTests() {
    }

    /** The token the unparker hands over. */
    static final long TOKEN = 9L;

    /** Shared body: the parker, the stamps and the outcome. */
    abstract static class Base {
        /** The futex word; plain: every read is under the bucket lock, the write happens-before the unparker's lock. */
        int word;
        /** A counter guarded by the key's bucket lock: orders the validation and the unpark. */
        int seq;
        /** When the parker read the word, and when the unpark callback ran; guarded by the bucket lock. */
        int validatedAt;
        int unparkedAt;
        /** Written by the unparker, read by the arbiter. */
        int woke;
        /** Written by the parker, read by the arbiter. */
        ParkResult result;

        final void park() {
            result = ParkingLot.compareAndPark(this, 0L, () -> {
                validatedAt = ++seq;
                return word;
            }, 0, Races.LOST_WAKEUP_TIMEOUT_NANOS, false);
        }

        final void unparkOne() {
            woke = ParkingLot.unparkOne(this, 0L, u -> {
                unparkedAt = ++seq;
                return TOKEN;
            }).unparkedThreads();
        }

        final void record(L_Result r) {
            r.r1 = result + ", woke " + woke + (validatedAt < unparkedAt ? ", validate first" : ", unpark first");
        }
    }

    /** The correct order: change the word, then unpark. */
    @JCStressTest
    @Outcome(id = {"INVALID, woke 0, unpark first", "INVALID, woke 0, validate first"}, expect = ACCEPTABLE,
            desc = "The parker saw the word changed and did not sleep.")
    @Outcome(id = "UNPARKED(9), woke 1, validate first", expect = ACCEPTABLE,
            desc = "The parker slept and the unparker woke it.")
    @Outcome(id = "TIMED_OUT, woke 0, validate first", expect = ACCEPTABLE,
            desc = "The unparker came more than 1 ms late (descheduled), after the parker had given up.")
    @Outcome(id = "TIMED_OUT, woke 0, unpark first", expect = FORBIDDEN,
            desc = "LOST WAKE-UP: the parker validated after the unpark yet did not see the word change.")
    @Outcome(expect = FORBIDDEN, desc = "Inconsistent: the park's result contradicts what the unparker did.")
    @State
    public static class StateChangeThenUnpark extends Base {

        /** Sleeps while the word is 0. */
        @Actor
        public void parker() {
            park();
        }

        /** Sets the word, then unparks one. */
        @Actor
        public void unparker() {
            word = 1;
            unparkOne();
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

    /** The weakened twin: unpark, then change the word. */
    @JCStressTest
    @Outcome(id = {"INVALID, woke 0, unpark first", "INVALID, woke 0, validate first"}, expect = ACCEPTABLE,
            desc = "The parker saw the word changed and did not sleep.")
    @Outcome(id = "UNPARKED(9), woke 1, validate first", expect = ACCEPTABLE,
            desc = "The parker slept and the unparker woke it.")
    @Outcome(id = "TIMED_OUT, woke 0, validate first", expect = ACCEPTABLE,
            desc = "The unparker came more than 1 ms late (descheduled), after the parker had given up.")
    @Outcome(id = "TIMED_OUT, woke 0, unpark first", expect = ACCEPTABLE_INTERESTING,
            desc = "LOST WAKE-UP, as this broken unparker allows: the parker validated between the unpark and the state change.")
    @Outcome(expect = FORBIDDEN, desc = "Inconsistent: the park's result contradicts what the unparker did.")
    @State
    public static class UnparkThenStateChange extends Base {

        /** Sleeps while the word is 0. */
        @Actor
        public void parker() {
            park();
        }

        /** Unparks one, then sets the word: the deliberate bug. */
        @Actor
        public void unparker() {
            unparkOne();
            word = 1;
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
