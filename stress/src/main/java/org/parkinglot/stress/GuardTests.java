package org.parkinglot.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;
import org.parkinglot.locks.LockGuard;
import org.parkinglot.locks.MutexCell;
import org.parkinglot.locks.RawRwLock;
import org.parkinglot.locks.UpgradableGuard;

/**
 * jcstress tests of the try-with-resources guards ({@link LockGuard}, {@link UpgradableGuard}) and of the
 * data-owning {@link MutexCell}: that going through them keeps the locks' mutual exclusion and visibility.
 * <ul>
 *   <li>{@code ExclusionGuards}: both actors increment a plain {@code int} (read, pause, write) on one
 *       {@link RawRwLock}, one through an exclusive guard, the other through an upgradable guard that it
 *       upgrades; the arbiter must see 2.</li>
 *   <li>{@code CellVisibility}: one actor writes the two fields of a {@link MutexCell}'s value in a
 *       callback, pausing between them; the other reads them in a callback (in the opposite order): never a
 *       partial view.</li>
 * </ul>
 * No weakened twins: the guards and the cell add no memory ordering of their own (a guard's close is the
 * lock's unlock; a cell's callback runs between the mutex's lock and unlock), so what these tests check is
 * the underlying locks' exclusion and release/acquire edges, whose twins are in {@link MutexTests}
 * ({@code *Broken*}) and {@link RwLockTests}. These tests catch a guard or cell that releases early, twice,
 * or the wrong mode.
 *
 * <p>Run from the repository root (see {@link MutexTests} for the setup):
 * <pre>
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar stress/target/jcstress.jar -m quick -t 'GuardTests' \
 *     -r /tmp/jcstress-results
 * </pre>
 */
public final class GuardTests {

    private GuardTests() {
    }

    /** Both actors increment a plain int on one {@link RawRwLock}: an exclusive guard and an upgraded guard. */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "both increments happened, one after the other")
    @Outcome(id = "1", expect = FORBIDDEN,
            desc = "both actors were in the critical section at once: an increment was lost")
    @State
    public static class ExclusionGuards {
        final RawRwLock lock = new RawRwLock();
        int x;

        @Actor
        public void exclusive() {
            try (var held = lock.exclusiveLocked()) {
                int v = x;
                MutexTests.pause();
                x = v + 1;
            }
        }

        @Actor
        public void upgraded() {
            try (var held = lock.upgradableLocked()) {
                held.upgrade();
                int v = x;
                MutexTests.pause();
                x = v + 1;
            }
        }

        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = x;
        }
    }

    /** A writer and a reader of a {@link MutexCell}'s two-field value, each in a callback. */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the reader went first")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the writer went first; the reader saw both writes")
    @Outcome(expect = FORBIDDEN, desc = "the reader saw one write but not the other: a partial view")
    @State
    public static class CellVisibility {
        final MutexCell<Pair> cell = new MutexCell<>(new Pair());

        @Actor
        public void writer() {
            cell.withLockDo(Pair::write);
        }

        @Actor
        public void reader(II_Result r) {
            cell.withLock(r, Pair::read);
        }
    }

    /** The value of {@link CellVisibility}: two plain fields. */
    static final class Pair {
        int a;
        int b;

        /** Writes both fields, pausing between them. */
        void write() {
            a = 1;
            MutexTests.pause();
            b = 1;
        }

        /** Reads both fields (in the opposite order) into {@code r}. */
        Void read(II_Result r) {
            r.r2 = b;
            r.r1 = a;
            return null;
        }
    }
}
