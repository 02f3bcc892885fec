package org.parkinglot.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.locks.LockSupport;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;
import org.parkinglot.core.Parker;

/**
 * jcstress tests of {@link Parker}: an unpark racing a timed park is never lost.
 *
 * <p>The race. The owner actor creates a fresh parker (a parker belongs to the thread that creates it,
 * so the owner makes it and publishes it through a volatile field) and parks with a timeout. The
 * unparker actor waits for the parker to appear and unparks it once. After the unparker has finished,
 * the owner polls once more with {@code parkNanos(0)}. Invariant: the single unpark's permit is consumed
 * exactly once, either by the timed park (it returned {@code true}) or, if that timed out first, by the
 * poll. Outcomes are (timed park, poll).
 * <ul>
 *   <li>{@link UnparkVsTimedPark} parks for {@value #RACE_NANOS} ns: the deadline has (almost always)
 *       passed by the owner's first check, so the owner does not sleep, and the unparker's swap to
 *       NOTIFIED races the owner's fast-path poll, its EMPTY to PARKED announcement and its PARKED to
 *       EMPTY timeout exit.</li>
 *   <li>{@link UnparkVsSleepingPark} parks for up to {@value #SLEEP_NANOS} ns: the owner may fall asleep
 *       in {@code LockSupport.parkNanos} before the unpark arrives, which must then wake it; now and then
 *       the sleep times out just as the unpark arrives.</li>
 *   <li>{@link UnparkVsTimedParkWeak} runs the first race on a deliberately weakened parker whose state
 *       changes are plain reads and writes instead of atomic read-modify-writes; its lost-unpark outcome
 *       is {@code ACCEPTABLE_INTERESTING}, showing that the harness can catch the bug.</li>
 * </ul>
 *
 * <p>Run (with a JDK 21 or newer as {@code java}):
 * <pre>
 * mvn -B -q -pl stress -am package -DskipTests
 * java -jar stress/target/jcstress.jar -t ParkerTests -m quick
 * </pre>
 */
public final class ParkerTests {

    /** A timeout that has passed before the owner could sleep: the timeout exit races the unpark. */
    static final long RACE_NANOS = 1L;
    /** A timeout long enough for the owner to fall asleep before the unpark arrives. */
    static final long SLEEP_NANOS = 20_000L;

    private ParkerTests() {
    }

    /** The unpark racing a timed park of the real {@link Parker} that times out at once. */
    @JCStressTest
    @Outcome(id = "true, false", expect = ACCEPTABLE, desc = "The timed park consumed the unpark's permit.")
    @Outcome(id = "false, true", expect = ACCEPTABLE,
            desc = "The timed park timed out before the unpark; the permit waited for the poll.")
    @Outcome(id = "false, false", expect = FORBIDDEN, desc = "Lost unpark: neither park consumed the permit.")
    @Outcome(id = "true, true", expect = FORBIDDEN, desc = "One unpark's permit was consumed twice.")
    @State
    public static class UnparkVsTimedPark {
        /** Published by the owner before it parks; reset to null by jcstress between uses. */
        volatile Parker parker;
        /** Set by the unparker once its unpark has returned. */
        volatile boolean unparked;

        /** The owner: creates, publishes, parks briefly, waits for the unparker, then polls. */
        @Actor
        public void owner(ZZ_Result r) {
            Parker p = new Parker();
            parker = p;
            r.r1 = p.parkNanos(RACE_NANOS);
            while (!unparked) {
                Thread.onSpinWait();
            }
            r.r2 = p.parkNanos(0L);
        }

        /** The unparker: waits for the parker, unparks it once. */
        @Actor
        public void unparker() {
            Parker p;
            while ((p = parker) == null) {
                Thread.onSpinWait();
            }
            p.unpark();
            unparked = true;
        }
    }

    /** The unpark waking (or racing the timeout of) a sleeping timed park of the real {@link Parker}. */
    @JCStressTest
    @Outcome(id = "true, false", expect = ACCEPTABLE, desc = "The timed park consumed the unpark's permit.")
    @Outcome(id = "false, true", expect = ACCEPTABLE,
            desc = "The sleep timed out before the unpark; the permit waited for the poll.")
    @Outcome(id = "false, false", expect = FORBIDDEN, desc = "Lost unpark: neither park consumed the permit.")
    @Outcome(id = "true, true", expect = FORBIDDEN, desc = "One unpark's permit was consumed twice.")
    @State
    public static class UnparkVsSleepingPark {
        /** Published by the owner before it parks; reset to null by jcstress between uses. */
        volatile Parker parker;
        /** Set by the unparker once its unpark has returned. */
        volatile boolean unparked;

        /** The owner: creates, publishes, parks briefly, waits for the unparker, then polls. */
        @Actor
        public void owner(ZZ_Result r) {
            Parker p = new Parker();
            parker = p;
            r.r1 = p.parkNanos(SLEEP_NANOS);
            while (!unparked) {
                Thread.onSpinWait();
            }
            r.r2 = p.parkNanos(0L);
        }

        /** The unparker: waits for the parker, unparks it once. */
        @Actor
        public void unparker() {
            Parker p;
            while ((p = parker) == null) {
                Thread.onSpinWait();
            }
            p.unpark();
            unparked = true;
        }
    }

    /** The race of {@link UnparkVsTimedPark} on {@link WeakParker}, whose lost unparks must show up. */
    @JCStressTest
    @Outcome(id = "true, false", expect = ACCEPTABLE, desc = "The timed park consumed the unpark's permit.")
    @Outcome(id = "false, true", expect = ACCEPTABLE,
            desc = "The timed park timed out before the unpark; the permit waited for the poll.")
    @Outcome(id = "false, false", expect = ACCEPTABLE_INTERESTING,
            desc = "Lost unpark, as expected of the weakened parker: a plain write erased the permit.")
    @Outcome(id = "true, true", expect = ACCEPTABLE_INTERESTING,
            desc = "Permit consumed twice: the weakened parker's plain accesses do not even promise coherence.")
    @State
    public static class UnparkVsTimedParkWeak {
        /** Published by the owner before it parks; reset to null by jcstress between uses. */
        volatile WeakParker parker;
        /** Set by the unparker once its unpark has returned. */
        volatile boolean unparked;

        /** The owner: creates, publishes, parks briefly, waits for the unparker, then polls. */
        @Actor
        public void owner(ZZ_Result r) {
            WeakParker p = new WeakParker();
            parker = p;
            r.r1 = p.parkNanos(RACE_NANOS);
            while (!unparked) {
                Thread.onSpinWait();
            }
            r.r2 = p.parkNanos(0L);
        }

        /** The unparker: waits for the parker, unparks it once. */
        @Actor
        public void unparker() {
            WeakParker p;
            while ((p = parker) == null) {
                Thread.onSpinWait();
            }
            p.unpark();
            unparked = true;
        }
    }

    /**
     * A deliberately broken copy of {@link Parker}'s algorithm: the same three states, but every state
     * change is a plain read followed by a plain write. An unpark that writes NOTIFIED between the owner's
     * read and its write (announcing PARKED, or resetting to EMPTY after a timeout) is erased.
     */
    static final class WeakParker {
        private static final int EMPTY = 0;
        private static final int PARKED = 1;
        private static final int NOTIFIED = 2;

        private final Thread owner = Thread.currentThread();
        /** Plain on purpose: this is the weakening under test. */
        private int state;

        /** Weakened: a plain write, with no look at the previous state, and an unconditional wake-up. */
        void unpark() {
            state = NOTIFIED;
            LockSupport.unpark(owner);
        }

        /** Weakened: check-then-act on a plain field where the real parker uses one CAS per transition. */
        boolean parkNanos(long nanos) {
            if (state == NOTIFIED) {
                state = EMPTY;
                return true;
            }
            if (nanos <= 0L) {
                return false;
            }
            long deadline = System.nanoTime() + nanos;
            state = PARKED; // erases a NOTIFIED written since the check above
            for (;;) {
                if (state == NOTIFIED) {
                    state = EMPTY;
                    return true;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0L) {
                    state = EMPTY; // erases a NOTIFIED written since the check above
                    return false;
                }
                LockSupport.parkNanos(this, remaining);
            }
        }
    }
}
