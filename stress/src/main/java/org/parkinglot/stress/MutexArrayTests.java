package org.parkinglot.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.parkinglot.locks.MutexArray;

/**
 * jcstress tests of {@link MutexArray}, whose mutexes are single bytes of one array, so that
 * neighbouring indexes share a machine word.
 *
 * <p>The races (two actors each: the machine this suite is tuned for has two CPUs):
 * <ul>
 *   <li>{@code ExclusionAndVisibility*}: both actors lock the same index and, inside, read two plain
 *       fields {@code a} and {@code b}, pause, and write back {@code a + 1} and, after another pause,
 *       {@code b + 1}. Each actor reports whether it saw {@code a == b} (an actor that saw one of the
 *       other's writes but not the other was not excluded, or the unlock did not publish), and the
 *       arbiter reports {@code a + b} (4 unless an increment was lost to overlapping critical
 *       sections).</li>
 *   <li>{@code Neighbours*}: actor 1 works on index 1 and actor 2 on index 2 (bytes of the same word):
 *       each takes its index with {@code tryLock}, releases it, and takes it again, keeping it. Nobody
 *       else uses either index, so every {@code tryLock} must succeed, and the arbiter must find both
 *       indexes locked (and index 0 and 3 free): an operation on one byte that rewrote its neighbour
 *       (a read-modify-write of the whole word that is not atomic) would erase the neighbour's lock
 *       or resurrect a released one.</li>
 * </ul>
 * Each ships a deliberately weakened twin (suffix {@code Broken...}) over a toy array lock with one
 * flaw, which must show the bad outcome as {@code ACCEPTABLE_INTERESTING}: a check-then-set lock for
 * the first; for the second, an unlock that reads the whole int word, clears its bit and writes the
 * word back with a plain volatile store.
 *
 * <p>Run from the repository root:
 * <pre>
 * mvn -B -q -pl stress -am verify -Dsoak.skip=true -Djcstress.tests='.*MutexArrayTests.*' -Dtest=NoSuchTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
public final class MutexArrayTests {

    private MutexArrayTests() {
    }

    // =============================================================================================
    // Mutual exclusion and visibility on one index

    /** Both actors update two plain fields under index 1 of a {@link MutexArray} of 3. */
    @JCStressTest
    @Outcome(id = "1, 1, 4", expect = ACCEPTABLE, desc = "one after the other: each saw a == b, no increment lost")
    @Outcome(expect = FORBIDDEN, desc = "an actor saw a partial update, or an increment was lost: not exclusive, "
            + "or the unlock did not publish")
    @State
    public static class ExclusionAndVisibility {
        final MutexArray mutexes = new MutexArray(3);
        int a;
        int b;

        @Actor
        public void actor1(III_Result r) {
            mutexes.lock(1);
            try {
                r.r1 = update();
            } finally {
                mutexes.unlock(1);
            }
        }

        @Actor
        public void actor2(III_Result r) {
            mutexes.lock(1);
            try {
                r.r2 = update();
            } finally {
                mutexes.unlock(1);
            }
        }

        /** Increments a, then b; returns 1 if they were equal on entry. */
        private int update() {
            int va = a;
            int vb = b;
            MutexTests.pause();
            a = va + 1;
            MutexTests.pause();
            b = vb + 1;
            return va == vb ? 1 : 0;
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = a + b;
        }
    }

    /** Twin of {@code ExclusionAndVisibility}: a {@link ToyByteLocks} whose lock is a check-then-set. */
    @JCStressTest
    @Outcome(id = "1, 1, 4", expect = ACCEPTABLE, desc = "one after the other: each saw a == b, no increment lost")
    @Outcome(expect = ACCEPTABLE_INTERESTING, desc = "both were inside at once (the flaw, caught)")
    @State
    public static class ExclusionAndVisibilityBrokenCheckThenSet {
        final ToyByteLocks mutexes = new ToyByteLocks(3);
        int a;
        int b;

        @Actor
        public void actor1(III_Result r) {
            mutexes.lockCheckThenSet(1);
            try {
                r.r1 = update();
            } finally {
                mutexes.unlock(1);
            }
        }

        @Actor
        public void actor2(III_Result r) {
            mutexes.lockCheckThenSet(1);
            try {
                r.r2 = update();
            } finally {
                mutexes.unlock(1);
            }
        }

        /** Increments a, then b; returns 1 if they were equal on entry. */
        private int update() {
            int va = a;
            int vb = b;
            MutexTests.pause();
            a = va + 1;
            MutexTests.pause();
            b = vb + 1;
            return va == vb ? 1 : 0;
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = a + b;
        }
    }

    // =============================================================================================
    // Neighbouring indexes share a word and never interfere

    /** Actor 1 locks, unlocks and re-locks index 1, actor 2 index 2, of a {@link MutexArray} of 4. */
    @JCStressTest
    @Outcome(id = "2, 2, 6", expect = ACCEPTABLE,
            desc = "every tryLock succeeded; indexes 1 and 2 are held, 0 and 3 free")
    @Outcome(expect = FORBIDDEN, desc = "a neighbour's operation changed an index it does not own")
    @State
    public static class Neighbours {
        final MutexArray mutexes = new MutexArray(4);

        @Actor
        public void actor1(III_Result r) {
            r.r1 = lockUnlockLock(1);
        }

        @Actor
        public void actor2(III_Result r) {
            r.r2 = lockUnlockLock(2);
        }

        /** Returns how many of the two tryLocks of {@code index} succeeded; leaves it locked if the second did. */
        private int lockUnlockLock(int index) {
            int acquired = 0;
            if (mutexes.tryLock(index)) {
                acquired++;
                mutexes.unlock(index);
            }
            if (mutexes.tryLock(index)) {
                acquired++;
            }
            return acquired;
        }

        @Arbiter
        public void arbiter(III_Result r) {
            int held = 0;
            for (int i = 0; i < 4; i++) {
                if (mutexes.isLocked(i)) {
                    held |= 1 << i;
                }
            }
            r.r3 = held;
        }
    }

    /**
     * Twin of {@code Neighbours}: a {@link ToyByteLocks} whose unlock rewrites the whole int word (read,
     * clear its bit, plain volatile store), which can erase a neighbour's concurrent change.
     */
    @JCStressTest
    @Outcome(id = "2, 2, 6", expect = ACCEPTABLE,
            desc = "every tryLock succeeded; indexes 1 and 2 are held, 0 and 3 free")
    @Outcome(expect = ACCEPTABLE_INTERESTING, desc = "an unlock rewrote its neighbour's byte (the flaw, caught)")
    @State
    public static class NeighboursBrokenWordRewrite {
        final ToyByteLocks mutexes = new ToyByteLocks(4);

        @Actor
        public void actor1(III_Result r) {
            r.r1 = lockUnlockLock(1);
        }

        @Actor
        public void actor2(III_Result r) {
            r.r2 = lockUnlockLock(2);
        }

        /** Returns how many of the two tryLocks of {@code index} succeeded; leaves it locked if the second did. */
        private int lockUnlockLock(int index) {
            int acquired = 0;
            if (mutexes.tryLock(index)) {
                acquired++;
                mutexes.unlockRewritingWord(index);
            }
            if (mutexes.tryLock(index)) {
                acquired++;
            }
            return acquired;
        }

        @Arbiter
        public void arbiter(III_Result r) {
            int held = 0;
            for (int i = 0; i < 4; i++) {
                if (mutexes.isLocked(i)) {
                    held |= 1 << i;
                }
            }
            r.r3 = held;
        }
    }

    // =============================================================================================
    // deliberately broken locks for the twins

    /**
     * Spin locks of one byte each, packed four to an {@code int} word (byte {@code i % 4} of word
     * {@code i / 4}), with the flaws the twins need. Not a lock to use.
     */
    static final class ToyByteLocks {
        /** Four one-byte locks per word; a lock is held when its byte is 1. */
        private final int[] words;

        ToyByteLocks(int n) {
            words = new int[(n + 3) / 4];
        }

        private static int bit(int index) {
            return 1 << (8 * (index & 3));
        }

        /** Takes lock {@code index} if it is free: a correct CAS on the word (retried if a neighbour changed it). */
        boolean tryLock(int index) {
            int bit = bit(index);
            int w = (int) WORDS.getVolatile(words, index >> 2);
            while ((w & bit) == 0) {
                int witness = (int) WORDS.compareAndExchange(words, index >> 2, w, w | bit);
                if (witness == w) {
                    return true;
                }
                w = witness;
            }
            return false;
        }

        /** The flaw: waits until lock {@code index} looks free, pauses, then sets it; two threads can both pass. */
        void lockCheckThenSet(int index) {
            int bit = bit(index);
            while (((int) WORDS.getVolatile(words, index >> 2) & bit) != 0) {
                Thread.onSpinWait();
            }
            MutexTests.pause();
            WORDS.getAndBitwiseOr(words, index >> 2, bit);
        }

        /** A correct unlock: an atomic clear of the lock's bit. */
        void unlock(int index) {
            WORDS.getAndBitwiseAnd(words, index >> 2, ~bit(index));
        }

        /** The flaw: reads the word, pauses, and stores it back without the lock's bit (not atomic). */
        void unlockRewritingWord(int index) {
            int w = (int) WORDS.getVolatile(words, index >> 2);
            MutexTests.pause();
            WORDS.setVolatile(words, index >> 2, w & ~bit(index));
        }

        boolean isLocked(int index) {
            return ((int) WORDS.getVolatile(words, index >> 2) & bit(index)) != 0;
        }

        // VarHandle mechanics
        private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(int[].class);
    }
}
