package org.parkinglot.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;
import org.parkinglot.locks.KeyedMutex;

/**
 * jcstress tests of {@link KeyedMutex}: keys are compared by equality, not identity, and distinct keys
 * never exclude each other, even when their hash codes collide.
 *
 * <ul>
 *   <li>{@code EqualKeysExclusion}: both actors lock a fresh key object of their own, equal to the
 *       other's, and increment a plain {@code int} under it (read, pause, write: any overlap loses an
 *       increment; the second increment also checks that the first one's write is visible after the
 *       hand-over); the arbiter must see 2.</li>
 *   <li>{@code EqualKeysExclusionBrokenIdentity}: the weakened twin: the same actors with keys that are
 *       equal only by identity, which is what a keyed lock comparing keys with {@code ==} would see
 *       given equal keys; it must show the lost increment.</li>
 *   <li>{@code CollidingKeysIndependent}: each actor {@code tryLock}s its own key, the two keys distinct
 *       but with equal hash codes, holds it through a pause and releases it; both must always succeed
 *       (a striped lock, or an entry shared by colliding keys, would make one fail).</li>
 * </ul>
 *
 * <p>Run from the repository root:
 * <pre>
 * mvn -B -q -pl stress -am package -Djcstress.skip=true -DskipTests
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar stress/target/jcstress.jar -m quick -t 'KeyedMutexTests'
 * </pre>
 */
public final class KeyedMutexTests {

    private KeyedMutexTests() {
    }

    /** A key equal to every other key of the same id; hash code constant, so all ids collide. */
    record Key(int id) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.id == id;
        }

        @Override
        public int hashCode() {
            return 17;
        }
    }

    /** A key equal only to itself (Object's equals), with the same constant hash code as {@link Key}. */
    static final class IdentityKey {
        @Override
        public int hashCode() {
            return 17;
        }
    }

    /** Both actors increment a plain int under equal, distinct key objects. */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "both increments happened, one after the other")
    @Outcome(id = "1", expect = FORBIDDEN, desc = "both actors held equal keys at once: an increment was lost")
    @State
    public static class EqualKeysExclusion {
        final KeyedMutex<Object> mutex = new KeyedMutex<>();
        int x;

        @Actor
        public void actor1() {
            increment(new Key(1));
        }

        @Actor
        public void actor2() {
            increment(new Key(1));
        }

        private void increment(Object key) {
            mutex.lock(key);
            try {
                int v = x;
                MutexTests.pause();
                x = v + 1;
            } finally {
                mutex.unlock(key);
            }
        }

        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = x;
        }
    }

    /** Twin of {@code EqualKeysExclusion}: keys equal only by identity, as an identity-keyed lock would see them. */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "both increments happened, one after the other")
    @Outcome(id = "1", expect = ACCEPTABLE_INTERESTING, desc = "the keys did not exclude each other: an increment was lost (the flaw, caught)")
    @State
    public static class EqualKeysExclusionBrokenIdentity {
        final KeyedMutex<Object> mutex = new KeyedMutex<>();
        int x;

        @Actor
        public void actor1() {
            increment(new IdentityKey());
        }

        @Actor
        public void actor2() {
            increment(new IdentityKey());
        }

        private void increment(Object key) {
            mutex.lock(key);
            try {
                int v = x;
                MutexTests.pause();
                x = v + 1;
            } finally {
                mutex.unlock(key);
            }
        }

        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = x;
        }
    }

    /** Each actor tryLocks its own key; the keys are distinct with equal hash codes. */
    @JCStressTest
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "both acquired their key: distinct keys are independent")
    @Outcome(expect = FORBIDDEN, desc = "a tryLock failed: a distinct key with a colliding hash blocked it")
    @State
    public static class CollidingKeysIndependent {
        final KeyedMutex<Object> mutex = new KeyedMutex<>();

        @Actor
        public void actor1(II_Result r) {
            r.r1 = holdBriefly(new Key(1));
        }

        @Actor
        public void actor2(II_Result r) {
            r.r2 = holdBriefly(new Key(2));
        }

        private int holdBriefly(Object key) {
            if (!mutex.tryLock(key)) {
                return 0;
            }
            try {
                MutexTests.pause();
            } finally {
                mutex.unlock(key);
            }
            return 1;
        }
    }
}
