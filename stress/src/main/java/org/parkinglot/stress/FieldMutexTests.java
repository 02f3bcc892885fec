package org.parkinglot.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;
import static org.parkinglot.stress.MutexTests.pause;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.parkinglot.locks.FieldMutex;

/**
 * jcstress tests of {@link FieldMutex}: mutual exclusion and visibility of the guarded writes while the
 * user's other bits of the same field change concurrently, for an {@code int} and a {@code long} field.
 *
 * <p>The race: both actors increment a plain {@code int} under the field lock (read, pause, write: any
 * overlap of the critical sections, or a lock without acquire/release ordering that lets the second
 * reader see a stale value, loses an increment). Each actor also flips a bit of its own in the same field
 * with {@code getAndBitwiseXor}, once before locking, once inside the critical section (while the other
 * actor's lock CAS, spin or park runs on the same word) and once after unlocking: three flips, so at the
 * end the bit must be set. The arbiter reports the count, whether the user's bits are exactly the two
 * flipped bits, and the lock's three bits (0: free, no flag left behind).
 *
 * <p>The weakened twin {@code ExclusionBrokenPlainUnlock} runs the same actors over a toy field lock whose
 * unlock reads the field and stores it back with LOCKED cleared (a volatile store, not a CAS): a flip by
 * the other actor between that read and that store is lost, which must show as
 * {@code ACCEPTABLE_INTERESTING}, proving the test can see a lock that disturbs the user's bits.
 *
 * <p>Run from the repository root (two actors: fits the two-CPU machine this suite is tuned for):
 * <pre>
 * JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -B -q -pl stress -am package -Djcstress.skip=true -DskipTests
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar stress/target/jcstress.jar -m quick -t 'FieldMutexTests' -r /tmp/jcstress-results
 * </pre>
 */
public final class FieldMutexTests {

    private FieldMutexTests() {
    }

    /** The lock's first bit in the int tests: bits 3..5, with user bits below and above. */
    static final int INT_FIRST_BIT = 3;
    /** Actor 1's user bit in the int tests. */
    static final int INT_BIT_1 = 1;
    /** Actor 2's user bit in the int tests. */
    static final int INT_BIT_2 = 1 << 31;
    /** The lock's first bit in the long test: bits 40..42. */
    static final int LONG_FIRST_BIT = 40;
    /** Actor 1's user bit in the long test. */
    static final long LONG_BIT_1 = 1L << 2;
    /** Actor 2's user bit in the long test. */
    static final long LONG_BIT_2 = 1L << 63;

    /** Both actors increment under a {@link FieldMutex} in bits 3..5 of an int field, flipping bits 0 and 31. */
    @JCStressTest
    @Outcome(id = "2, 1, 0", expect = ACCEPTABLE, desc = "both increments, the user's bits intact, the lock free")
    @Outcome(expect = FORBIDDEN, desc = "a lost increment, a lost or altered user bit, or a lock bit left set")
    @State
    public static class ExclusionInt {
        static final VarHandle WORD;
        static final FieldMutex MUTEX;
        volatile int word;
        int x;

        @Actor
        public void actor1() {
            increment(INT_BIT_1);
        }

        @Actor
        public void actor2() {
            increment(INT_BIT_2);
        }

        private void increment(int mine) {
            WORD.getAndBitwiseXor(this, mine);
            MUTEX.lock(this);
            try {
                int v = x;
                WORD.getAndBitwiseXor(this, mine);
                pause();
                x = v + 1;
            } finally {
                MUTEX.unlock(this);
            }
            WORD.getAndBitwiseXor(this, mine);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            int w = word;
            r.r1 = x;
            r.r2 = (w & ~(int) MUTEX.mask()) == (INT_BIT_1 | INT_BIT_2) ? 1 : 0;
            r.r3 = (w & (int) MUTEX.mask()) >>> INT_FIRST_BIT;
        }

        static {
            try {
                WORD = MethodHandles.lookup().findVarHandle(ExclusionInt.class, "word", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
            MUTEX = FieldMutex.ofInt(WORD, INT_FIRST_BIT);
        }
    }

    /** Both actors increment under a {@link FieldMutex} in bits 40..42 of a long field, flipping bits 2 and 63. */
    @JCStressTest
    @Outcome(id = "2, 1, 0", expect = ACCEPTABLE, desc = "both increments, the user's bits intact, the lock free")
    @Outcome(expect = FORBIDDEN, desc = "a lost increment, a lost or altered user bit, or a lock bit left set")
    @State
    public static class ExclusionLong {
        static final VarHandle WORD;
        static final FieldMutex MUTEX;
        volatile long word;
        int x;

        @Actor
        public void actor1() {
            increment(LONG_BIT_1);
        }

        @Actor
        public void actor2() {
            increment(LONG_BIT_2);
        }

        private void increment(long mine) {
            WORD.getAndBitwiseXor(this, mine);
            MUTEX.lock(this);
            try {
                int v = x;
                WORD.getAndBitwiseXor(this, mine);
                pause();
                x = v + 1;
            } finally {
                MUTEX.unlock(this);
            }
            WORD.getAndBitwiseXor(this, mine);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            long w = word;
            r.r1 = x;
            r.r2 = (w & ~MUTEX.mask()) == (LONG_BIT_1 | LONG_BIT_2) ? 1 : 0;
            r.r3 = (int) ((w & MUTEX.mask()) >>> LONG_FIRST_BIT);
        }

        static {
            try {
                WORD = MethodHandles.lookup().findVarHandle(ExclusionLong.class, "word", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
            MUTEX = FieldMutex.ofLong(WORD, LONG_FIRST_BIT);
        }
    }

    /**
     * Twin of {@code Exclusion*}: a toy spin lock in bit 3 of an int field whose unlock is a read and a
     * volatile store of the whole field, so a concurrent flip of a user bit can be lost.
     */
    @JCStressTest
    @Outcome(id = "2, 1, 0", expect = ACCEPTABLE, desc = "both increments, the user's bits intact (no flip fell in the window)")
    @Outcome(id = "2, 0, 0", expect = ACCEPTABLE_INTERESTING, desc = "the unlock's store overwrote the other actor's flip: a user bit was lost (the flaw, caught)")
    @Outcome(expect = FORBIDDEN, desc = "a lost increment or a lock bit left set: the toy's exclusion itself failed")
    @State
    public static class ExclusionBrokenPlainUnlock {
        static final VarHandle WORD;
        /** The toy's LOCKED bit. */
        static final int LOCKED = 1 << INT_FIRST_BIT;
        volatile int word;
        int x;

        @Actor
        public void actor1() {
            increment(INT_BIT_1);
        }

        @Actor
        public void actor2() {
            increment(INT_BIT_2);
        }

        private void increment(int mine) {
            WORD.getAndBitwiseXor(this, mine);
            lock();
            try {
                int v = x;
                WORD.getAndBitwiseXor(this, mine);
                pause();
                x = v + 1;
            } finally {
                unlock();
            }
            WORD.getAndBitwiseXor(this, mine);
        }

        /** A CAS spin lock that keeps the other bits: correct. */
        private void lock() {
            for (;;) {
                int s = word;
                if ((s & LOCKED) == 0 && WORD.weakCompareAndSetAcquire(this, s, s | LOCKED)) {
                    return;
                }
                Thread.onSpinWait();
            }
        }

        /** The flaw: read, then store the whole field back without LOCKED; a flip in between is lost. */
        private void unlock() {
            int s = word;
            pause();
            word = s & ~LOCKED;
        }

        @Arbiter
        public void arbiter(III_Result r) {
            int w = word;
            r.r1 = x;
            r.r2 = (w & ~LOCKED) == (INT_BIT_1 | INT_BIT_2) ? 1 : 0;
            r.r3 = (w & LOCKED) >>> INT_FIRST_BIT;
        }

        static {
            try {
                WORD = MethodHandles.lookup().findVarHandle(ExclusionBrokenPlainUnlock.class, "word", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }
}
