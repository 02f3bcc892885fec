package org.parkinglot.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.parkinglot.locks.RawRwLock;

/**
 * jcstress tests of {@link RawRwLock}'s optimistic reads: a read between {@link RawRwLock#tryOptimisticRead()}
 * and a {@link RawRwLock#validate(long)} that returns {@code true} never sees a torn pair written under
 * the exclusive lock.
 *
 * <p>The race, two actors: the writer takes the exclusive lock, writes {@code x = 1} then {@code y = 1}
 * and unlocks; the reader takes a stamp, reads {@code y} then {@code x} (the opposite order, to widen the
 * window) and validates. The outcome is the pair it read, {@code (y, x)}, if the stamp validated, and
 * {@code (-1, -1)} if it did not (or was zero). A validated {@code (0, 1)} or {@code (1, 0)} is a torn
 * read the lock let through. Both sides pause between their two accesses ({@link MutexTests#pause()}) to
 * widen the window in which the pair is torn.
 *
 * <ul>
 *   <li>{@link ValidatedReadIsConsistent}: the real lock; torn pairs are forbidden.</li>
 *   <li>{@link ValidatedReadIsConsistentNoFence} (the weakened twin the ordering argument is about): the
 *       same protocol on a test-local copy, {@link FencelessOptimisticLock}, whose validate lacks the
 *       acquire fence, so the data reads may be reordered after the re-read of the state. On x86 (TSO)
 *       loads are not reordered with loads and the JIT does not sink them past a volatile read in
 *       practice, so this twin is not expected to show its torn outcome there; it is the test that would
 *       on weaker hardware.</li>
 *   <li>{@link ReadsAfterValidate} (the twin that proves the harness catches a torn validated read on
 *       any machine): the real lock, but the reader does by hand the reordering the fence forbids: it
 *       validates first and reads afterwards.</li>
 * </ul>
 *
 * <p>Run (with a JDK 21 or newer as {@code java}):
 * <pre>
 * mvn -B -q -pl stress -am package -DskipTests -Djcstress.skip=true
 * java -jar stress/target/jcstress.jar -t OptimisticReadTests -m quick
 * </pre>
 */
public final class OptimisticReadTests {

    private OptimisticReadTests() {
    }

    /** The outcome of a read whose stamp did not validate. */
    static final int NOT_VALIDATED = -1;

    /** A validated optimistic read of the pair against a writer under the exclusive lock. */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "Validated: the reader went first.")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "Validated: the writer went first.")
    @Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "The stamp was zero or did not validate.")
    @Outcome(id = {"0, 1", "1, 0"}, expect = FORBIDDEN, desc = "Torn pair validated.")
    @State
    public static class ValidatedReadIsConsistent {
        /** The lock under test. */
        final RawRwLock lock = new RawRwLock();
        /** Written first under the exclusive lock; read racily by the optimistic reader. */
        int x;
        /** Written second under the exclusive lock; read racily by the optimistic reader. */
        int y;

        /** The optimistic reader: stamp, y, x, validate. */
        @Actor
        public void reader(II_Result r) {
            long stamp = lock.tryOptimisticRead();
            int b = y;
            MutexTests.pause();
            int a = x;
            if (stamp != 0L && lock.validate(stamp)) {
                r.r1 = b;
                r.r2 = a;
            } else {
                r.r1 = NOT_VALIDATED;
                r.r2 = NOT_VALIDATED;
            }
        }

        /** The writer: x then y under the exclusive lock. */
        @Actor
        public void writer() {
            lock.lockExclusive();
            x = 1;
            MutexTests.pause(); // widens the window in which the pair is torn
            y = 1;
            lock.unlockExclusive();
        }
    }

    /** {@link ValidatedReadIsConsistent} over a copy of the protocol whose validate has no acquire fence. */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "Validated: the reader went first.")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "Validated: the writer went first.")
    @Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "The stamp was zero or did not validate.")
    @Outcome(id = {"0, 1", "1, 0"}, expect = ACCEPTABLE_INTERESTING,
            desc = "Torn pair validated: the data reads moved after validate's state re-read.")
    @State
    public static class ValidatedReadIsConsistentNoFence {
        /** The weakened lock. */
        final FencelessOptimisticLock lock = new FencelessOptimisticLock();
        /** Written first under the exclusive lock; read racily by the optimistic reader. */
        int x;
        /** Written second under the exclusive lock; read racily by the optimistic reader. */
        int y;

        /** The optimistic reader: stamp, y, x, validate (without the fence). */
        @Actor
        public void reader(II_Result r) {
            long stamp = lock.tryOptimisticRead();
            int b = y;
            MutexTests.pause();
            int a = x;
            if (stamp != 0L && lock.validate(stamp)) {
                r.r1 = b;
                r.r2 = a;
            } else {
                r.r1 = NOT_VALIDATED;
                r.r2 = NOT_VALIDATED;
            }
        }

        /** The writer: x then y under the exclusive lock. */
        @Actor
        public void writer() {
            lock.lockExclusive();
            x = 1;
            MutexTests.pause(); // widens the window in which the pair is torn
            y = 1;
            lock.unlockExclusive();
        }
    }

    /** {@link ValidatedReadIsConsistent} with the reads made after validate: the reordering the fence forbids. */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "Validated: the reader went first.")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "Validated, and the writer went before the reads.")
    @Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "The stamp was zero or did not validate.")
    @Outcome(id = {"0, 1", "1, 0"}, expect = ACCEPTABLE_INTERESTING,
            desc = "Torn pair validated: the writer ran between validate and the reads, as expected here.")
    @State
    public static class ReadsAfterValidate {
        /** The lock under test. */
        final RawRwLock lock = new RawRwLock();
        /** Written first under the exclusive lock; read racily by the reader. */
        int x;
        /** Written second under the exclusive lock; read racily by the reader. */
        int y;

        /** The weakened reader: stamp, validate, then y and x. */
        @Actor
        public void reader(II_Result r) {
            long stamp = lock.tryOptimisticRead();
            boolean valid = stamp != 0L && lock.validate(stamp);
            int b = y;
            MutexTests.pause();
            int a = x;
            r.r1 = valid ? b : NOT_VALIDATED;
            r.r2 = valid ? a : NOT_VALIDATED;
        }

        /** The writer: x then y under the exclusive lock. */
        @Actor
        public void writer() {
            lock.lockExclusive();
            x = 1;
            MutexTests.pause(); // widens the window in which the pair is torn
            y = 1;
            lock.unlockExclusive();
        }
    }

    /**
     * A spin lock with RawRwLock's optimistic-read protocol (a WRITER bit set by an acquiring CAS followed
     * by a storeStoreFence; a version advanced before the release; the version read before the state in
     * tryOptimisticRead; WRITER and version re-read in validate), except that validate omits the acquire
     * fence. Only the exclusive mode is needed.
     */
    static final class FencelessOptimisticLock {
        private static final int WRITER = 1;

        private volatile int state;
        private int version;

        void lockExclusive() {
            while (!STATE.weakCompareAndSetAcquire(this, 0, WRITER)) {
                Thread.onSpinWait();
            }
            VarHandle.storeStoreFence(); // WRITER before the owner's writes, as RawRwLock
        }

        void unlockExclusive() {
            VERSION.setOpaque(this, version + 1);
            STATE.setRelease(this, 0);
        }

        long tryOptimisticRead() {
            int v = (int) VERSION.getAcquire(this);
            return (state & WRITER) == 0 ? (1L << 32) | Integer.toUnsignedLong(v) : 0L;
        }

        /** Weakened: no VarHandle.acquireFence() before the re-reads. */
        boolean validate(long stamp) {
            return (state & WRITER) == 0
                    && stamp == ((1L << 32) | Integer.toUnsignedLong((int) VERSION.getOpaque(this)));
        }

        private static final VarHandle STATE;
        private static final VarHandle VERSION;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                STATE = l.findVarHandle(FencelessOptimisticLock.class, "state", int.class);
                VERSION = l.findVarHandle(FencelessOptimisticLock.class, "version", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }
}
