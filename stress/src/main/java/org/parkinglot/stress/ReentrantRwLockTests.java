package org.parkinglot.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;
import org.openjdk.jcstress.infra.results.ZZ_Result;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.locks.ReentrantRwLock;

/**
 * jcstress tests of {@link ReentrantRwLock}, the reentrancy layer over {@code RawRwLock}'s protocol (whose
 * own races {@link RwLockTests} covers):
 * <ul>
 *   <li>{@link WriterExclusion}: two writers, each holding the write lock twice (reentrant) and taking the
 *       read lock inside, increment a plain {@code int} (read, pause, write); the arbiter must see 2.</li>
 *   <li>{@link ReaderSeesWriter}: a writer writes two fields under the write lock, a reader reads them
 *       under the read lock: never a torn pair. Twin {@link ReaderSeesWriterWeak}: the reader does not
 *       lock.</li>
 *   <li>{@link DowngradeKeepsWritersOut}: write, take the read lock, release the write lock (downgrade),
 *       read back, while an intruder tries the write lock: it must not get in between. Twin
 *       {@link DowngradeKeepsWritersOutWeak}: the downgrade as unlock-then-lock.</li>
 *   <li>{@link NoLostWakeupAfterDowngrade}: a writer queued behind a writer that downgrades and then
 *       releases its read hold must be woken (a timed try of 1 s, so a lost wake-up shows as a
 *       timeout).</li>
 * </ul>
 * Run (with a JDK 21 or newer as {@code java}):
 * <pre>
 * mvn -B -q -pl stress -am package -DskipTests -Djcstress.skip=true
 * java -jar stress/target/jcstress.jar -t ReentrantRwLockTests -m quick
 * </pre>
 */
public final class ReentrantRwLockTests {

    private ReentrantRwLockTests() {
    }

    /** Two reentrant writers increment one plain field. */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, 
            desc = "Both increments took effect: the writers excluded each other.")
    @Outcome(id = "1", expect = FORBIDDEN, desc = "Lost increment: the write holds overlapped.")
    @State
    public static class WriterExclusion {
        /** The lock under test. */
        final ReentrantRwLock lock = new ReentrantRwLock();
        /** Incremented under the write lock. */
        int counter;

        /** Holds the write lock twice and the read lock inside, increments with a pause in between. */
        void increment() {
            lock.writeLock().lock();
            lock.writeLock().lock();
            lock.readLock().lock();
            lock.writeLock().unlock(); // still held once: the inner unlock must not release
            int c = counter;
            Thread.onSpinWait();
            counter = c + 1;
            lock.readLock().unlock();
            lock.writeLock().unlock();
        }

        /** The first writer. */
        @Actor
        public void writer1() {
            increment();
        }

        /** The second writer. */
        @Actor
        public void writer2() {
            increment();
        }

        /** Reads the counter after both. */
        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = counter;
        }
    }

    /** A reader's two reads under the read lock against a writer's two writes under the write lock. */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "The reader went first.")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "The writer went first.")
    @Outcome(id = {"1, 0", "0, 1"}, expect = FORBIDDEN,
            desc = "Torn pair: the reader ran while the writer held the lock.")
    @State
    public static class ReaderSeesWriter {
        /** The lock under test. */
        final ReentrantRwLock lock = new ReentrantRwLock();
        /** Written by the writer under the lock. */
        int x;
        /** Written by the writer under the lock. */
        int y;

        /** The reader: x then y under one read lock (reentrant inside). */
        @Actor
        public void reader(II_Result r) {
            lock.readLock().lock();
            lock.readLock().lock();
            r.r1 = x;
            Thread.onSpinWait(); // widens the window a torn pair needs
            r.r2 = y;
            lock.readLock().unlock();
            lock.readLock().unlock();
        }

        /** The writer: x then y under one write lock. */
        @Actor
        public void writer() {
            lock.writeLock().lock();
            x = 1;
            for (int i = 0; i < 4; i++) {
                Thread.onSpinWait();
            }
            y = 1;
            lock.writeLock().unlock();
        }
    }

    /** The race of {@link ReaderSeesWriter} with a reader that does not lock: torn pairs must show up. */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "The reader went first.")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "The writer went first.")
    @Outcome(id = {"1, 0", "0, 1"}, expect = ACCEPTABLE_INTERESTING,
            desc = "Torn pair, as expected of the weakened reader.")
    @State
    public static class ReaderSeesWriterWeak {
        /** The lock under test. */
        final ReentrantRwLock lock = new ReentrantRwLock();
        /** Written by the writer under the lock. */
        int x;
        /** Written by the writer under the lock. */
        int y;

        /** The weakened reader: x then y, no lock. */
        @Actor
        public void reader(II_Result r) {
            r.r1 = x;
            Thread.onSpinWait(); // widens the window a torn pair needs
            r.r2 = y;
        }

        /** The writer: x then y under one write lock. */
        @Actor
        public void writer() {
            lock.writeLock().lock();
            x = 1;
            for (int i = 0; i < 4; i++) {
                Thread.onSpinWait();
            }
            y = 1;
            lock.writeLock().unlock();
        }
    }

    /** Write, downgrade, read back, while an intruder tries the write lock: (read back, intruder got in). */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE,
            desc = "The intruder found the lock held until the downgrader was done.")
    @Outcome(id = "1, 1", expect = ACCEPTABLE,
            desc = "The intruder wrote before the downgrader's lock or after.")
    @Outcome(id = "2, 1", expect = FORBIDDEN,
            desc = "A writer got in between the write hold and the read hold.")
    @Outcome(id = "2, 0", expect = FORBIDDEN, desc = "Impossible: x = 2 without the intruder's lock.")
    @State
    public static class DowngradeKeepsWritersOut {
        /** The lock under test. */
        final ReentrantRwLock lock = new ReentrantRwLock();
        /** Written under the write lock, read under the read lock. */
        int x;
        /** Set by the downgrader after its last unlock: the intruder stops trying. */
        volatile boolean downgraderDone;

        /** The downgrader: write, read lock, write unlock (downgrade), read back, unlock. */
        @Actor
        public void downgrader(II_Result r) {
            lock.writeLock().lock();
            x = 1;
            lock.readLock().lock();
            lock.writeLock().unlock();
            r.r1 = x;
            lock.readLock().unlock();
            downgraderDone = true;
        }

        /** The intruder: tries the write lock until it gets it or the downgrader is done. */
        @Actor
        public void intruder(II_Result r) {
            while (!downgraderDone) {
                if (lock.writeLock().tryLock()) {
                    x = 2;
                    lock.writeLock().unlock();
                    r.r2 = 1;
                    return;
                }
                Thread.onSpinWait();
            }
        }
    }

    /** The race of {@link DowngradeKeepsWritersOut} with the downgrade done as unlock-then-lock. */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE,
            desc = "The intruder found the lock held until the downgrader was done.")
    @Outcome(id = "1, 1", expect = ACCEPTABLE,
            desc = "The intruder wrote before the downgrader's lock or after.")
    @Outcome(id = "2, 1", expect = ACCEPTABLE_INTERESTING,
            desc = "The intruder got in through the gap of the non-atomic downgrade, as expected.")
    @Outcome(id = "2, 0", expect = FORBIDDEN, desc = "Impossible: x = 2 without the intruder's lock.")
    @State
    public static class DowngradeKeepsWritersOutWeak {
        /** The lock under test. */
        final ReentrantRwLock lock = new ReentrantRwLock();
        /** Written under the write lock, read under the read lock. */
        int x;
        /** Set by the downgrader after its last unlock: the intruder stops trying. */
        volatile boolean downgraderDone;

        /** The weakened downgrader: write, unlock, read lock, read back, unlock. */
        @Actor
        public void downgrader(II_Result r) {
            lock.writeLock().lock();
            x = 1;
            lock.writeLock().unlock(); // weakened: no read hold across the write unlock
            lock.readLock().lock();
            r.r1 = x;
            lock.readLock().unlock();
            downgraderDone = true;
        }

        /** The intruder: tries the write lock until it gets it or the downgrader is done. */
        @Actor
        public void intruder(II_Result r) {
            while (!downgraderDone) {
                if (lock.writeLock().tryLock()) {
                    x = 2;
                    lock.writeLock().unlock();
                    r.r2 = 1;
                    return;
                }
                Thread.onSpinWait();
            }
        }
    }

    /**
     * The downgrader writes, downgrades once the other writer is queued (or done), and releases its read
     * hold; the other writer's timed try (1 s) must succeed. Outcome: (downgrader done, writer acquired).
     */
    @JCStressTest
    @Outcome(id = "true, true", expect = ACCEPTABLE,
            desc = "The queued writer was woken after the downgrade.")
    @Outcome(id = "true, false", expect = FORBIDDEN,
            desc = "Lost wake-up: the writer waited 1 s although the downgrader had released everything.")
    @State
    public static class NoLostWakeupAfterDowngrade {
        /** The lock under test. */
        final ReentrantRwLock lock = new ReentrantRwLock();
        /** Set by the writer when its try returned. */
        volatile boolean writerDone;

        /** Write lock, read lock, wait for the writer to queue, downgrade, release. */
        @Actor
        public void downgrader(ZZ_Result r) {
            lock.writeLock().lock();
            lock.readLock().lock();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            while (!writerDone && ParkingLot.queueLength(lock, 0L) == 0 && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
            lock.writeLock().unlock(); // downgrade: wakes the queue
            lock.readLock().unlock(); // the last reader: wakes a writer waiting for readers
            r.r1 = true;
        }

        /** The queued writer: a timed write lock. */
        @Actor
        public void writer(ZZ_Result r) {
            boolean acquired;
            try {
                acquired = lock.writeLock().tryLock(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                acquired = false;
            }
            if (acquired) {
                lock.writeLock().unlock();
            }
            r.r2 = acquired;
            writerDone = true;
        }
    }
}
