package org.parkinglot.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.function.Supplier;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.III_Result;
import org.parkinglot.core.internal.WordLock;

/**
 * Mutual exclusion of the bucket lock, {@link WordLock}.
 *
 * <p>The race: two actors each take the lock, read a plain {@code int} counter, write it back plus
 * one, and release the lock. Each records the value it read; the arbiter records the final count. A
 * lock that excludes and orders its critical sections gives {@code 0, 1, 2} or {@code 1, 0, 2}; both
 * actors reading 0 (a final count of 1, a lost update) means both were inside at once, or the second
 * did not see the first's write: the lock failed to exclude or its release/acquire pair failed to
 * order.
 *
 * <ul>
 *   <li>{@link Exclusion}: the critical section is a few instructions: mostly the CAS fast paths and
 *       the brief spin of the slow path.</li>
 *   <li>{@link ExclusionWhileParked}: the first holder stays inside until the other actor has asked
 *       for the lock, exhausted its spinning, queued itself and parked (at most 0.1 ms): the queue
 *       lock, the parking and the unlock's wake-up path. The fourth number says whether the parked
 *       waiter was seen.</li>
 *   <li>{@link CheckThenSetLock} (the weakened twin): a "lock" that waits for a volatile flag to be
 *       false and then sets it, with no CAS. Both actors can see the flag false and enter together; the
 *       lost update must appear, proving the test can see a lock that does not exclude.</li>
 * </ul>
 *
 * <p>Run (the jar needs a JDK 21+ {@code java}, e.g. {@code /usr/lib/jvm/temurin-25-jdk-amd64/bin/java}):
 * {@code java -jar stress/target/jcstress.jar -t WordLockTests} (add {@code -m default} for a full run).
 */
public final class WordLockTests {

    private WordLockTests() {
    }

    /** The most {@link ExclusionWhileParked}'s holder waits inside for the other actor to park. */
    static final long PARK_WAIT_NANOS = 100_000L;

    /**
     * Waits (boundedly) until the other actor has asked for the lock and parked.
     *
     * @param waiter reads the other actor's thread while it asks for the lock (null before and after)
     * @return whether it was seen parked
     */
    static boolean awaitParked(Supplier<Thread> waiter) {
        return Races.awaitBounded(() -> {
            Thread t = waiter.get();
            return t != null && t.getState() == Thread.State.WAITING;
        }, PARK_WAIT_NANOS);
    }

    /** Two short critical sections under a {@link WordLock}. */
    @JCStressTest
    @Outcome(id = {"0, 1, 2", "1, 0, 2"}, expect = ACCEPTABLE, desc = "The critical sections ran one after the other.")
    @Outcome(expect = FORBIDDEN, desc = "Both actors were inside at once, or one missed the other's write: a lost update.")
    @State
    public static class Exclusion {
        private final WordLock lock = new WordLock();
        private int count; // guarded by lock

        /**
         * Takes the lock and increments.
         *
         * @param r the result
         */
        @Actor
        public void actor1(III_Result r) {
            lock.lock();
            try {
                int v = count;
                count = v + 1;
                r.r1 = v;
            } finally {
                lock.unlock();
            }
        }

        /**
         * Takes the lock and increments.
         *
         * @param r the result
         */
        @Actor
        public void actor2(III_Result r) {
            lock.lock();
            try {
                int v = count;
                count = v + 1;
                r.r2 = v;
            } finally {
                lock.unlock();
            }
        }

        /**
         * Records the final count.
         *
         * @param r the result
         */
        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = count;
        }
    }

    /** Two critical sections under a {@link WordLock}; the first holder stays inside until the other has parked. */
    @JCStressTest
    @Outcome(id = {"0, 1, 2, 0", "1, 0, 2, 0"}, expect = ACCEPTABLE,
            desc = "The critical sections ran one after the other; the loser got the lock without being seen parked.")
    @Outcome(id = {"0, 1, 2, 1", "1, 0, 2, 1"}, expect = ACCEPTABLE,
            desc = "The critical sections ran one after the other; the loser parked and the unlock woke it.")
    @Outcome(expect = FORBIDDEN, desc = "Both actors were inside at once, one missed the other's write, or the lock ended held.")
    @State
    public static class ExclusionWhileParked {
        private final WordLock lock = new WordLock();
        private int count; // guarded by lock
        /** Each actor's thread while it asks for the lock; cleared once it holds it. */
        private volatile Thread waiting1;
        private volatile Thread waiting2;
        /** Whether a holder saw the other actor parked; each written by one actor. */
        private boolean sawParked1;
        private boolean sawParked2;

        /**
         * Takes the lock; if first, stays inside until the other actor has asked for it and parked.
         *
         * @param r the result
         */
        @Actor
        public void actor1(IIII_Result r) {
            waiting1 = Thread.currentThread();
            lock.lock();
            try {
                waiting1 = null;
                int v = count;
                sawParked1 = v == 0 && awaitParked(() -> waiting2);
                count = v + 1;
                r.r1 = v;
            } finally {
                lock.unlock();
            }
        }

        /**
         * Takes the lock; if first, stays inside until the other actor has asked for it and parked.
         *
         * @param r the result
         */
        @Actor
        public void actor2(IIII_Result r) {
            waiting2 = Thread.currentThread();
            lock.lock();
            try {
                waiting2 = null;
                int v = count;
                sawParked2 = v == 0 && awaitParked(() -> waiting1);
                count = v + 1;
                r.r2 = v;
            } finally {
                lock.unlock();
            }
        }

        /**
         * Records the final count (negated if the lock ended held) and whether a waiter parked.
         *
         * @param r the result
         */
        @Arbiter
        public void arbiter(IIII_Result r) {
            r.r3 = lock.isLocked() ? -count : count;
            r.r4 = sawParked1 || sawParked2 ? 1 : 0;
        }
    }

    /** The weakened twin: check-then-set on a volatile flag, no CAS. */
    @JCStressTest
    @Outcome(id = {"0, 1, 2", "1, 0, 2"}, expect = ACCEPTABLE, desc = "The critical sections happened not to overlap.")
    @Outcome(id = "0, 0, 1", expect = ACCEPTABLE_INTERESTING,
            desc = "Both saw the flag clear and entered together: the lost update this test exists to catch.")
    @Outcome(expect = FORBIDDEN, desc = "Not expected even from this broken lock.")
    @State
    public static class CheckThenSetLock {
        private volatile boolean locked;
        private int count; // "guarded" by locked, which does not guard

        private void lock() {
            while (locked) {
                Thread.onSpinWait();
            }
            locked = true; // BUG (deliberate): the check and the set are two steps, not one CAS
        }

        private void unlock() {
            locked = false;
        }

        /**
         * Takes the broken lock and increments.
         *
         * @param r the result
         */
        @Actor
        public void actor1(III_Result r) {
            lock();
            try {
                int v = count;
                count = v + 1;
                r.r1 = v;
            } finally {
                unlock();
            }
        }

        /**
         * Takes the broken lock and increments.
         *
         * @param r the result
         */
        @Actor
        public void actor2(III_Result r) {
            lock();
            try {
                int v = count;
                count = v + 1;
                r.r2 = v;
            } finally {
                unlock();
            }
        }

        /**
         * Records the final count.
         *
         * @param r the result
         */
        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = count;
        }
    }
}
