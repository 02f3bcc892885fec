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
import org.parkinglot.core.ParkingLot;

/**
 * A thread that an unparker chose while its {@code beforeSleep} was running, and whose
 * {@code beforeSleep} then throws, hands its unpark token to
 * {@link ParkingLot.ParkCallbacks#forfeit forfeit} before the exception leaves {@code park}: a token
 * (a lock hand-off, a woken-successor role) is never swallowed by an exception.
 *
 * <p>The race: the parker parks with a {@code beforeSleep} that waits (boundedly) for the unparker to be
 * done and then throws; the unparker calls {@link ParkingLot#unparkOne unparkOne} with token 42. Either
 * the unparker finds the parker queued and chooses it (the parker must then forfeit 42 and not time
 * out), or it finds nobody (the parker had not queued yet, or had already left: it times out and
 * forfeits nothing). The outcome is {@code woke <threads the unparker woke>, forfeited <token>, timedOut
 * <calls>}; the park always ends with the exception.
 *
 * <ul>
 *   <li>{@link Lot}: the one-object park; {@code woke 1, forfeited 0, timedOut 0} - chosen, and the
 *       token gone - is forbidden.</li>
 *   <li>{@link SeparateCallbacks} (the weakened twin): the park form with separate callbacks, which has
 *       no {@code forfeit} and drops the token, as documented; the lost token shows there.</li>
 * </ul>
 *
 * <p>Run (the jar needs a JDK 21+ {@code java}): {@code java -jar stress/target/jcstress.jar -t ForfeitTests}.
 */
public final class ForfeitTests {

    private ForfeitTests() {
    }

    /** The token the unparker hands over. */
    static final long TOKEN = 42L;

    /** Shared body of the tests: the unparker, the throwing beforeSleep, and what both record. */
    abstract static class Base {
        /** Set once the unparker's unparkOne has returned. */
        volatile boolean unparkDone;
        /** Written by the unparker, read by the arbiter. */
        int woke;
        /** Written by the parker (forfeit runs in its thread), read by the arbiter. */
        long forfeited;
        /** Written by the parker (timedOut runs in its thread, under the bucket lock). */
        int timedOut;
        /** Whether the park ended with beforeSleep's exception; written by the parker. */
        boolean threw;

        final void waitForUnparkerThenThrow() {
            Races.awaitBounded(() -> unparkDone, Races.RENDEZVOUS_NANOS);
            throw new IllegalStateException("beforeSleep failed");
        }

        final void unpark() {
            woke = ParkingLot.unparkOne(this, 0L, u -> TOKEN).unparkedThreads();
            unparkDone = true;
        }

        final void record(L_Result r) {
            r.r1 = "woke " + woke + ", forfeited " + forfeited + ", timedOut " + timedOut + (threw ? "" : ", no exception");
        }
    }

    /** The one-object park: its forfeit receives the token. */
    @JCStressTest
    @Outcome(id = "woke 1, forfeited 42, timedOut 0", expect = ACCEPTABLE,
            desc = "Chosen while in beforeSleep; the token was passed on before the exception left park.")
    @Outcome(id = "woke 0, forfeited 0, timedOut 1", expect = ACCEPTABLE,
            desc = "The unparker found nobody; the parker left the queue as on a timeout.")
    @Outcome(id = "woke 1, forfeited 0, timedOut 0", expect = FORBIDDEN,
            desc = "LOST TOKEN: chosen, but the exception swallowed what the unparker handed over.")
    @Outcome(expect = FORBIDDEN, desc = "Inconsistent: the park's callbacks contradict what the unparker did.")
    @State
    public static class Lot extends Base implements ParkingLot.ParkCallbacks {

        @Override
        public boolean validate(Object key, long lane) {
            return true;
        }

        @Override
        public void beforeSleep() {
            waitForUnparkerThenThrow();
        }

        @Override
        public void timedOut(Object key, long lane, boolean wasLastThread) {
            timedOut++;
        }

        @Override
        public void forfeit(Object key, long lane, long unparkToken) {
            forfeited = unparkToken;
        }

        /** Parks with a beforeSleep that throws. */
        @Actor
        public void parker() {
            try {
                ParkingLot.park(this, 0L, this, ParkingLot.DEFAULT_PARK_TOKEN, ParkingLot.FOREVER, false);
            } catch (IllegalStateException e) {
                threw = true;
            }
        }

        /** Unparks one with token 42. */
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

    /** The weakened twin: the separate-callbacks park has no forfeit, so a chosen thread's token is dropped. */
    @JCStressTest
    @Outcome(id = "woke 1, forfeited 0, timedOut 0", expect = ACCEPTABLE_INTERESTING,
            desc = "The lost token the real test forbids: chosen, and the exception swallowed the token.")
    @Outcome(id = "woke 0, forfeited 0, timedOut 1", expect = ACCEPTABLE,
            desc = "The unparker found nobody; the parker left the queue as on a timeout.")
    @Outcome(expect = FORBIDDEN, desc = "Inconsistent: the park's callbacks contradict what the unparker did.")
    @State
    public static class SeparateCallbacks extends Base {

        /** Parks with a beforeSleep that throws, through the form without forfeit. */
        @Actor
        public void parker() {
            try {
                ParkingLot.park(this, 0L, () -> true, this::waitForUnparkerThenThrow, (key, lane, last) -> timedOut++,
                        ParkingLot.DEFAULT_PARK_TOKEN, ParkingLot.FOREVER, false);
            } catch (IllegalStateException e) {
                threw = true;
            }
        }

        /** Unparks one with token 42. */
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
