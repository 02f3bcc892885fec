package org.parkinglot.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;
import org.openjdk.jcstress.infra.results.ZZ_Result;
import org.parkinglot.core.ParkResult;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.locks.RawRwLock;

/**
 * jcstress tests of {@link RawRwLock}: mutual exclusion between readers and writers, visibility of a
 * writer's writes to the next reader, atomic downgrade and upgrade, and wake-ups across its two queues
 * (lane 0 for every acquirer, lane 1 for the writer waiting for readers to leave).
 *
 * <p>The races, two actors each (this machine has 2 CPUs; jcstress skips tests with more actors than
 * CPUs):
 * <ul>
 *   <li>{@link ReadersExcludeWriters}: a reader under the shared lock reads {@code x} and {@code y}
 *       while a writer under the exclusive lock writes both: the reader never sees a torn pair.</li>
 *   <li>{@link WriterPublishesToReader}: a writer writes {@code x}, {@code y} and then a flag and
 *       unlocks; a reader under the shared lock reads them back: if it sees the flag it sees every
 *       write made before {@code unlockExclusive}.</li>
 *   <li>{@link DowngradeKeepsWritersOut}: a writer writes {@code x = 1}, downgrades to shared and reads
 *       {@code x} again while an intruder keeps trying {@code tryLockExclusive} and writes {@code x = 2}
 *       once it succeeds: the downgrader never reads the intruder's value while it still holds the
 *       lock.</li>
 *   <li>{@link UpgradeIsExclusive} and {@link UpgradeVsWriter}: read-modify-write increments through
 *       {@code lockUpgradable}/{@code upgrade} against each other and against a plain writer: no
 *       update is lost.</li>
 *   <li>{@link NoLostWakeup} and {@link NoLostWakeupParked}: a reader holds the shared lock, the writer
 *       claims the writer bit and waits for it on lane 1; the reader leaves and asks again, queueing
 *       behind the writer on lane 0: both must be woken. Each waits with a timed try (1 s), and a
 *       timeout is forbidden. {@code NoLostWakeup} keeps the common path fast (the waits usually end
 *       while spinning); {@code NoLostWakeupParked} makes every iteration park on both lanes.</li>
 *   <li>{@link WokenWriter}: the woken successor (the WOKEN bit): a writer woken by an unlock finds the
 *       lock re-taken by the unlocker and must park again clearing WOKEN, or the unlocker's next
 *       unlock, which skips its wake-up while WOKEN is set, strands it. Its twin is the mutex's
 *       {@code MutexTests.WokenBrokenStale}, the same harness over a mutex that keeps WOKEN set when
 *       parking again.</li>
 *   <li>{@link ReaderLeavesNoFlagBehind}: a reader that failed against a writer and then saw the lock
 *       free must not set PARKED; the word is 0 once both are done. Before the fix (a reader set
 *       PARKED on whatever word it re-read) it failed in quick mode, 714 forbidden of 5.5 million
 *       samples.</li>
 * </ul>
 *
 * <p>Every ordering-dependent test ships a deliberately weakened twin whose bad outcome is
 * {@code ACCEPTABLE_INTERESTING}, proving that the test can catch the bug:
 * <ul>
 *   <li>{@link ReadersExcludeWritersWeak}: a test-local lock whose readers ignore the writer bit;</li>
 *   <li>{@link WriterPublishesToReaderWeak}: the reader reads without locking;</li>
 *   <li>{@link DowngradeKeepsWritersOutWeak}: downgrade as unlock-then-lock;</li>
 *   <li>{@link UpgradeIsExclusiveWeak} and {@link UpgradeVsWriterWeak}: upgrade as unlock-then-lock;</li>
 *   <li>{@link NoLostWakeupWeak}: a test-local lock whose last reader decides whether to wake the writer
 *       from a read taken before its decrement.</li>
 * </ul>
 * On x86 (TSO) the hardware reorders neither stores with stores nor loads with loads, so the twins
 * provoke their bad outcomes by interleaving; this is why the readers read the writer's flag after its
 * data (read first, a stale flag-then-data pair would need a reordering by the JIT or by weaker hardware
 * to show up).
 *
 * <p>The wake-up tests take the reader's shared hold in the {@code @State} constructor ({@link RawRwLock}
 * does not track owners, so the reader actor may release it), which guarantees that the writer finds a
 * reader present. Each wait there is a timed try of {@value #WAKE_TIMEOUT_MILLIS} ms, far beyond any
 * scheduling delay, so a lost wake-up shows up as a timeout instead of a hung run.
 *
 * <p>Run (with a JDK 21 or newer as {@code java}):
 * <pre>
 * mvn -B -q -pl stress -am package -DskipTests -Djcstress.skip=true
 * java -jar stress/target/jcstress.jar -t RwLockTests -m quick
 * </pre>
 */
public final class RwLockTests {

    /** How long the wake-up tests wait before calling a wake-up lost: far beyond any scheduling delay. */
    static final long WAKE_TIMEOUT_MILLIS = 1_000L;
    /**
     * The weakened wake-up twin's timeout: short, since its lost wake-ups are expected and each costs it,
     * yet some hundred times the reader's unlock path.
     */
    static final long WEAK_WAKE_TIMEOUT_NANOS = 200_000L;

    private RwLockTests() {
    }

    // =============================================================================================
    // readers exclude writers

    /** A reader's two reads under the shared lock against a writer's two writes under the exclusive lock. */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "The reader went first.")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "The writer went first.")
    @Outcome(id = {"1, 0", "0, 1"}, expect = FORBIDDEN,
            desc = "Torn pair: the reader ran while the writer held the lock.")
    @State
    public static class ReadersExcludeWriters {
        /** The lock under test. */
        final RawRwLock lock = new RawRwLock();
        /** Written by the writer, read by the reader, both under the lock. */
        int x;
        /** Written by the writer, read by the reader, both under the lock. */
        int y;

        /** The reader: both fields under one shared lock. */
        @Actor
        public void reader(II_Result r) {
            lock.lockShared();
            r.r1 = x;
            r.r2 = y;
            lock.unlockShared();
        }

        /** The writer: both fields under one exclusive lock. */
        @Actor
        public void writer() {
            lock.lockExclusive();
            x = 1;
            y = 1;
            lock.unlockExclusive();
        }
    }

    /** The race of {@link ReadersExcludeWriters} on {@link ReaderIgnoresWriterLock}: torn pairs must show up. */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "The reader went first.")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "The writer went first.")
    @Outcome(id = {"1, 0", "0, 1"}, expect = ACCEPTABLE_INTERESTING,
            desc = "Torn pair, as expected of the weakened lock: its reader walked in on the writer.")
    @State
    public static class ReadersExcludeWritersWeak {
        /** The deliberately broken lock. */
        final ReaderIgnoresWriterLock lock = new ReaderIgnoresWriterLock();
        /** Written by the writer, read by the reader, both under the (broken) lock. */
        int x;
        /** Written by the writer, read by the reader, both under the (broken) lock. */
        int y;

        /** The reader: both fields under one shared lock. */
        @Actor
        public void reader(II_Result r) {
            lock.lockShared();
            r.r1 = x;
            r.r2 = y;
            lock.unlockShared();
        }

        /** The writer: both fields under one exclusive lock. */
        @Actor
        public void writer() {
            lock.lockExclusive();
            x = 1;
            y = 1;
            lock.unlockExclusive();
        }
    }

    // =============================================================================================
    // writes before unlockExclusive are visible to the next reader

    /**
     * A writer publishes {@code x}, {@code y} and then {@code flag} under the exclusive lock; a reader
     * reads them back (flag last) under the shared lock. Outcomes are (x, y, flag) as the reader saw them.
     */
    @JCStressTest
    @Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "The reader went first.")
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "The writer went first; all its writes are visible.")
    @Outcome(id = {"0, 0, 1", "0, 1, 1", "1, 0, 1"}, expect = FORBIDDEN,
            desc = "The reader saw the writer's flag but not all of the writes made before it.")
    @Outcome(id = {"1, 0, 0", "0, 1, 0", "1, 1, 0"}, expect = FORBIDDEN,
            desc = "The reader saw some writes but not the flag: it ran inside the writer's critical section.")
    @State
    public static class WriterPublishesToReader {
        /** The lock under test. */
        final RawRwLock lock = new RawRwLock();
        /** Data, written before the flag under the exclusive lock. */
        int x;
        /** Data, written before the flag under the exclusive lock. */
        int y;
        /** Written last under the exclusive lock; plain: only the lock orders it. */
        int flag;

        /** The reader: data then flag, under one shared lock. */
        @Actor
        public void reader(III_Result r) {
            lock.lockShared();
            r.r1 = x;
            r.r2 = y;
            r.r3 = flag;
            lock.unlockShared();
        }

        /** The writer: data then flag, then the release of the exclusive lock. */
        @Actor
        public void writer() {
            lock.lockExclusive();
            x = 1;
            y = 1;
            flag = 1;
            lock.unlockExclusive();
        }
    }

    /** The race of {@link WriterPublishesToReader} with a reader that does not lock at all. */
    @JCStressTest
    @Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "The reader went first.")
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "The writer went first; all its writes are visible.")
    @Outcome(id = {"0, 0, 1", "0, 1, 1", "1, 0, 1"}, expect = ACCEPTABLE_INTERESTING,
            desc = "Flag seen with stale data, as expected of an unlocked reader.")
    @Outcome(id = {"1, 0, 0", "0, 1, 0", "1, 1, 0"}, expect = ACCEPTABLE_INTERESTING,
            desc = "Some writes seen without the flag, as expected of an unlocked reader.")
    @State
    public static class WriterPublishesToReaderWeak {
        /** The lock under test. */
        final RawRwLock lock = new RawRwLock();
        /** Data, written before the flag under the exclusive lock. */
        int x;
        /** Data, written before the flag under the exclusive lock. */
        int y;
        /** Written last under the exclusive lock; plain: only the lock orders it. */
        int flag;

        /** The weakened reader: data then flag, without taking the lock. */
        @Actor
        public void reader(III_Result r) {
            r.r1 = x;
            r.r2 = y;
            r.r3 = flag;
        }

        /** The writer: data then flag, then the release of the exclusive lock. */
        @Actor
        public void writer() {
            lock.lockExclusive();
            x = 1;
            y = 1;
            flag = 1;
            lock.unlockExclusive();
        }
    }

    // =============================================================================================
    // downgrade keeps writers out

    /**
     * The downgrader writes {@code x = 1}, downgrades and reads {@code x}; the intruder keeps trying the
     * exclusive lock until it gets it (then writes {@code x = 2}) or the downgrader is done. Outcomes are
     * (the downgrader's read after the downgrade, 1 if the intruder got the lock).
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE,
            desc = "The intruder found the lock held until the downgrader was done.")
    @Outcome(id = "1, 1", expect = ACCEPTABLE,
            desc = "The intruder wrote before the downgrader's lock or after its unlock.")
    @Outcome(id = "2, 1", expect = FORBIDDEN,
            desc = "A writer got in between the downgrader's exclusive and shared holds.")
    @Outcome(id = "2, 0", expect = FORBIDDEN, desc = "Impossible: x = 2 without the intruder's lock.")
    @State
    public static class DowngradeKeepsWritersOut {
        /** The lock under test. */
        final RawRwLock lock = new RawRwLock();
        /** Written under the exclusive lock, read under the shared lock. */
        int x;
        /** Set by the downgrader after its last unlock: the intruder stops trying. */
        volatile boolean downgraderDone;

        /** The downgrader: write, downgrade, read back, unlock. */
        @Actor
        public void downgrader(II_Result r) {
            lock.lockExclusive();
            x = 1;
            lock.downgrade();
            r.r1 = x;
            lock.unlockShared();
            downgraderDone = true;
        }

        /** The intruder: tries the exclusive lock until it gets it or the downgrader is done. */
        @Actor
        public void intruder(II_Result r) {
            while (!downgraderDone) {
                if (lock.tryLockExclusive()) {
                    x = 2;
                    lock.unlockExclusive();
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
            desc = "The intruder wrote before the downgrader's lock or after its unlock.")
    @Outcome(id = "2, 1", expect = ACCEPTABLE_INTERESTING,
            desc = "The intruder got in through the gap of the non-atomic downgrade, as expected.")
    @Outcome(id = "2, 0", expect = FORBIDDEN, desc = "Impossible: x = 2 without the intruder's lock.")
    @State
    public static class DowngradeKeepsWritersOutWeak {
        /** The lock under test. */
        final RawRwLock lock = new RawRwLock();
        /** Written under the exclusive lock, read under the shared lock. */
        int x;
        /** Set by the downgrader after its last unlock: the intruder stops trying. */
        volatile boolean downgraderDone;

        /** The weakened downgrader: write, unlock, lock shared, read back, unlock. */
        @Actor
        public void downgrader(II_Result r) {
            lock.lockExclusive();
            x = 1;
            lock.unlockExclusive(); // weakened: downgrade() without its atomicity
            lock.lockShared();
            r.r1 = x;
            lock.unlockShared();
            downgraderDone = true;
        }

        /** The intruder: tries the exclusive lock until it gets it or the downgrader is done. */
        @Actor
        public void intruder(II_Result r) {
            while (!downgraderDone) {
                if (lock.tryLockExclusive()) {
                    x = 2;
                    lock.unlockExclusive();
                    r.r2 = 1;
                    return;
                }
                Thread.onSpinWait();
            }
        }
    }

    // =============================================================================================
    // upgrade is exclusive

    /** Two upgradable read-modify-write increments of {@code x}; the arbiter reads the total. */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "Both increments landed.")
    @Outcome(id = "1", expect = FORBIDDEN, desc = "Lost update: both read 0 and both wrote 1.")
    @State
    public static class UpgradeIsExclusive {
        /** The lock under test. */
        final RawRwLock lock = new RawRwLock();
        /** Read under the upgradable lock, written after the upgrade. */
        int x;

        /** Read under the upgradable lock, upgrade, write the increment. */
        @Actor
        public void first() {
            upgradeIncrement();
        }

        /** The same as {@link #first()}. */
        @Actor
        public void second() {
            upgradeIncrement();
        }

        /** Reads the total once both actors are done. */
        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = x;
        }

        private void upgradeIncrement() {
            lock.lockUpgradable();
            int read = x;
            lock.upgrade();
            x = read + 1;
            lock.unlockExclusive();
        }
    }

    /** An upgradable read-modify-write increment against a plain exclusive increment. */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "Both increments landed.")
    @Outcome(id = "1", expect = FORBIDDEN,
            desc = "Lost update: the writer got in between the upgradable read and the upgraded write.")
    @State
    public static class UpgradeVsWriter {
        /** The lock under test. */
        final RawRwLock lock = new RawRwLock();
        /** Read under the upgradable or exclusive lock, written under the exclusive lock. */
        int x;

        /** Read under the upgradable lock, upgrade, write the increment. */
        @Actor
        public void upgrader() {
            lock.lockUpgradable();
            int read = x;
            lock.upgrade();
            x = read + 1;
            lock.unlockExclusive();
        }

        /** A plain increment under the exclusive lock. */
        @Actor
        public void writer() {
            lock.lockExclusive();
            x = x + 1;
            lock.unlockExclusive();
        }

        /** Reads the total once both actors are done. */
        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = x;
        }
    }

    /** The race of {@link UpgradeIsExclusive} with the upgrade done as unlock-then-lock. */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "Both increments landed.")
    @Outcome(id = "1", expect = ACCEPTABLE_INTERESTING,
            desc = "Lost update through the gap of the non-atomic upgrade, as expected.")
    @State
    public static class UpgradeIsExclusiveWeak {
        /** The lock under test. */
        final RawRwLock lock = new RawRwLock();
        /** Read under the upgradable lock, written under the exclusive lock. */
        int x;

        /** Read under the upgradable lock, "upgrade" by unlock-then-lock, write the increment. */
        @Actor
        public void first() {
            weakUpgradeIncrement();
        }

        /** The same as {@link #first()}. */
        @Actor
        public void second() {
            weakUpgradeIncrement();
        }

        /** Reads the total once both actors are done. */
        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = x;
        }

        private void weakUpgradeIncrement() {
            lock.lockUpgradable();
            int read = x;
            lock.unlockUpgradable(); // weakened: upgrade() without its atomicity
            lock.lockExclusive();
            x = read + 1;
            lock.unlockExclusive();
        }
    }

    /** The race of {@link UpgradeVsWriter} with the upgrade done as unlock-then-lock. */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "Both increments landed.")
    @Outcome(id = "1", expect = ACCEPTABLE_INTERESTING,
            desc = "Lost update: the writer got in through the gap of the non-atomic upgrade, as expected.")
    @State
    public static class UpgradeVsWriterWeak {
        /** The lock under test. */
        final RawRwLock lock = new RawRwLock();
        /** Read under the upgradable or exclusive lock, written under the exclusive lock. */
        int x;

        /** Read under the upgradable lock, "upgrade" by unlock-then-lock, write the increment. */
        @Actor
        public void upgrader() {
            lock.lockUpgradable();
            int read = x;
            lock.unlockUpgradable(); // weakened: upgrade() without its atomicity
            lock.lockExclusive();
            x = read + 1;
            lock.unlockExclusive();
        }

        /** A plain increment under the exclusive lock. */
        @Actor
        public void writer() {
            lock.lockExclusive();
            x = x + 1;
            lock.unlockExclusive();
        }

        /** Reads the total once both actors are done. */
        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = x;
        }
    }

    // =============================================================================================
    // the woken successor: an unlock skips the wake-up only while a woken writer is really coming

    /**
     * The lock is held exclusively from construction; actor 1 releases it after a random delay, takes
     * it again at once, holds it for another random delay and releases it; actor 2 waits in a 1-s
     * {@code tryLockExclusive}. If actor 2 was parked, the first release wakes it as the woken
     * successor (WOKEN set) and actor 1's re-acquisition usually barges ahead of it, so actor 2 must go
     * back to park clearing WOKEN, or actor 1's second release (which skips the wake-up while WOKEN is
     * set) leaves it asleep on a free lock. The arbiter reads the flag bits of the state word.
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "actor 2 acquired the lock; the lock is free and its flags clear afterwards")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "actor 2's 1-s tryLockExclusive timed out although the lock had been free for 0.5 s or more: lost wake-up")
    @Outcome(expect = FORBIDDEN, desc = "the lock was left held, or a flag (PARKED, WRITER_PARKED, WOKEN) was left set")
    @State
    public static class WokenWriter {
        final RawRwLock lock = new RawRwLock();

        volatile long releasedAt;

        public WokenWriter() {
            lock.lockExclusive();
        }

        @Actor
        public void releaser() {
            MutexTests.randomDelay();
            lock.unlockExclusive();
            lock.lockExclusive();
            MutexTests.randomDelay();
            lock.unlockExclusive();
            releasedAt = System.nanoTime();
        }

        @Actor
        public void waiter(II_Result r) {
            if (MutexTests.lockOrDetectLostWakeUp(n -> {
                try {
                    return lock.tryLockExclusive(n, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }, () -> releasedAt, MutexTests.TIMEOUT_NANOS)) {
                r.r1 = 1;
                lock.unlockExclusive();
            }
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r2 = rwLockState(lock);
        }
    }

    /**
     * A writer takes the exclusive lock, holds it for a few spins and releases it, while a reader asks
     * for the shared lock and releases it. When the writer is gone, every flag must be clear. A reader
     * that found the writer bit set and then saw the lock free must try again, not announce that it
     * parks: setting PARKED on a lock no one holds leaves it set with nobody queued (readers never
     * clear it, only the next exclusive unlock's slow path does). That happened when the reader
     * re-read the word after its failed try and set PARKED on whatever it read; found by
     * {@code RawRwLockTest.writerNotStarvedByReaderStream}, once in a CI run.
     */
    @JCStressTest
    @Outcome(id = "0", expect = ACCEPTABLE, desc = "the lock is free and its flags clear afterwards")
    @Outcome(expect = FORBIDDEN, desc = "a flag (PARKED, WRITER_PARKED, WOKEN) was left set, or the lock was left held")
    @State
    public static class ReaderLeavesNoFlagBehind {
        final RawRwLock lock = new RawRwLock();

        @Actor
        public void writer() {
            lock.lockExclusive();
            for (int i = 0; i < 16; i++) {
                Thread.onSpinWait();
            }
            lock.unlockExclusive();
        }

        @Actor
        public void reader() {
            lock.lockShared();
            lock.unlockShared();
        }

        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = rwLockState(lock);
        }
    }

    /**
     * The whole state word of a {@link RawRwLock}, read reflectively from its private field
     * {@code state}: 0 for a free lock with no flag left set.
     *
     * @param lock the lock
     * @return its state word
     */
    static int rwLockState(RawRwLock lock) {
        try {
            return RW_STATE.getInt(lock);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final java.lang.reflect.Field RW_STATE;

    static {
        try {
            RW_STATE = RawRwLock.class.getDeclaredField("state");
            RW_STATE.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // =============================================================================================
    // no wake-up is lost between the two queues

    /**
     * The reader holds the shared lock from construction. The writer's timed {@code tryLockExclusive}
     * claims the writer bit and waits for the reader (spinning, then parked on lane 1); the reader,
     * once it sees the claim, unlocks and asks again with a timed {@code tryLockShared}, which waits
     * behind the writer (spinning, then parked on lane 0) until the writer's unlock. Outcomes are
     * (writer acquired, reader acquired again).
     */
    @JCStressTest
    @Outcome(id = "true, true", expect = ACCEPTABLE, desc = "Both waits ended with the lock.")
    @Outcome(id = "false, true", expect = FORBIDDEN,
            desc = "Lost wake-up on lane 1: the writer waited 1 s although the last reader had left.")
    @Outcome(id = "true, false", expect = FORBIDDEN,
            desc = "Lost wake-up on lane 0: the reader waited 1 s although the writer had unlocked.")
    @Outcome(id = "false, false", expect = FORBIDDEN, desc = "Both waits timed out.")
    @State
    public static class NoLostWakeup {
        /** The lock under test. */
        final RawRwLock lock = new RawRwLock();
        /** Set by the writer when it is done: lets the reader stop waiting if the writer timed out. */
        volatile boolean writerDone;

        /** Takes the reader's hold before either actor runs (RawRwLock does not track owners). */
        public NoLostWakeup() {
            lock.lockShared();
        }

        /** The reader: waits for the writer's claim, unlocks, locks again behind the writer. */
        @Actor
        public void reader(ZZ_Result r) {
            while (!lock.isLockedExclusive() && !writerDone) {
                Thread.onSpinWait();
            }
            lock.unlockShared();
            boolean again = timedTryLockShared(lock);
            if (again) {
                lock.unlockShared();
            }
            r.r2 = again;
        }

        /** The writer: claims, waits for the reader, unlocks. */
        @Actor
        public void writer(ZZ_Result r) {
            boolean acquired = timedTryLockExclusive(lock);
            if (acquired) {
                lock.unlockExclusive();
            }
            r.r1 = acquired;
            writerDone = true;
        }
    }

    /**
     * As {@link NoLostWakeup}, but every wait parks: the reader unlocks only once the writer is queued
     * on lane 1, and the writer unlocks only once the reader is queued on lane 0.
     */
    @JCStressTest
    @Outcome(id = "true, true", expect = ACCEPTABLE, desc = "Both parked waits were woken.")
    @Outcome(id = "false, true", expect = FORBIDDEN,
            desc = "Lost wake-up on lane 1: the writer slept 1 s although the last reader had left.")
    @Outcome(id = "true, false", expect = FORBIDDEN,
            desc = "Lost wake-up on lane 0: the reader slept 1 s although the writer had unlocked.")
    @Outcome(id = "false, false", expect = FORBIDDEN, desc = "Both waits timed out.")
    @State
    public static class NoLostWakeupParked {
        /** The lock under test. */
        final RawRwLock lock = new RawRwLock();
        /** Set by the writer when it is done: lets the reader stop waiting if the writer never queued. */
        volatile boolean writerDone;
        /** Set by the reader when its second try returns: lets the writer stop waiting likewise. */
        volatile boolean readerDone;

        /** Takes the reader's hold before either actor runs (RawRwLock does not track owners). */
        public NoLostWakeupParked() {
            lock.lockShared();
        }

        /** The reader: waits until the writer sleeps on lane 1, unlocks, locks again behind it. */
        @Actor
        public void reader(ZZ_Result r) {
            while (ParkingLot.queueLength(lock, 1L) == 0 && !writerDone) {
                Thread.onSpinWait();
            }
            lock.unlockShared();
            boolean again = timedTryLockShared(lock);
            readerDone = true;
            if (again) {
                lock.unlockShared();
            }
            r.r2 = again;
        }

        /** The writer: claims, sleeps until the reader leaves, unlocks once the reader sleeps on lane 0. */
        @Actor
        public void writer(ZZ_Result r) {
            boolean acquired = timedTryLockExclusive(lock);
            if (acquired) {
                while (ParkingLot.queueLength(lock, 0L) == 0 && !readerDone) {
                    Thread.onSpinWait();
                }
                lock.unlockExclusive();
            }
            r.r1 = acquired;
            writerDone = true;
        }
    }

    /**
     * The first phase of {@link NoLostWakeup} on {@link StaleWakeRwLock}, whose last reader can miss the
     * sleeping writer. The writer waits {@value RwLockTests#WEAK_WAKE_TIMEOUT_NANOS} ns; its result is 0 if it
     * acquired, 1 if it timed out while the reader still held the lock (the reader was descheduled), 2 if
     * it timed out although the reader had left; the reader's is 1 if its unlock decided to wake the
     * writer. A lost wake-up is (2, 0): the writer slept through its timeout after the last reader had
     * left without trying to wake it.
     */
    @JCStressTest
    @Outcome(id = {"0, 0", "0, 1"}, expect = ACCEPTABLE, desc = "The writer acquired (woken, or never asleep).")
    @Outcome(id = {"1, 0", "1, 1"}, expect = ACCEPTABLE,
            desc = "The writer timed out before the reader left: the reader was descheduled.")
    @Outcome(id = "2, 0", expect = ACCEPTABLE_INTERESTING,
            desc = "Lost wake-up, as expected of the weakened lock: the last reader left without waking the writer.")
    @Outcome(id = "2, 1", expect = ACCEPTABLE,
            desc = "The reader meant to wake the writer but was descheduled until the writer had timed out.")
    @State
    public static class NoLostWakeupWeak {
        /** The deliberately broken lock. */
        final StaleWakeRwLock lock = new StaleWakeRwLock();
        /** Set by the writer when it is done: lets the reader stop waiting if the writer timed out. */
        volatile boolean writerDone;

        /** Takes the reader's hold before either actor runs. */
        public NoLostWakeupWeak() {
            lock.lockShared();
        }

        /** The reader: waits for the writer's claim, unlocks. */
        @Actor
        public void reader(II_Result r) {
            while (!lock.isLockedExclusive() && !writerDone) {
                Thread.onSpinWait();
            }
            r.r2 = lock.unlockShared() ? 1 : 0;
        }

        /** The writer: claims, waits for the reader, unlocks. */
        @Actor
        public void writer(II_Result r) {
            int result = lock.tryLockExclusive(WEAK_WAKE_TIMEOUT_NANOS);
            if (result == 0) {
                lock.unlockExclusive();
            }
            r.r1 = result;
            writerDone = true;
        }
    }

    // =============================================================================================
    // helpers and weakened locks

    private static boolean timedTryLockExclusive(RawRwLock lock) {
        try {
            return lock.tryLockExclusive(WAKE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError("jcstress does not interrupt actors", e);
        }
    }

    private static boolean timedTryLockShared(RawRwLock lock) {
        try {
            return lock.tryLockShared(WAKE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError("jcstress does not interrupt actors", e);
        }
    }

    /**
     * A deliberately broken spin read-write lock in {@link RawRwLock}'s shape (a writer claims the writer
     * bit, then waits for the readers to leave) whose readers never look at the writer bit: a reader that
     * arrives after the writer's claim walks into its critical section.
     */
    static final class ReaderIgnoresWriterLock {
        private static final int WRITER = 1;
        private static final int ONE_READER = 2;

        private final AtomicInteger state = new AtomicInteger();

        /** Weakened: counts itself in whatever the writer bit says. */
        void lockShared() {
            state.getAndAdd(ONE_READER);
        }

        void unlockShared() {
            state.getAndAdd(-ONE_READER);
        }

        /** Claims the writer bit, then waits for the readers present to leave (as RawRwLock). */
        void lockExclusive() {
            int s;
            while (((s = state.get()) & WRITER) != 0 || !state.compareAndSet(s, s | WRITER)) {
                Thread.onSpinWait();
            }
            while (state.get() != WRITER) {
                Thread.onSpinWait();
            }
        }

        void unlockExclusive() {
            state.getAndAdd(-WRITER);
        }
    }

    /**
     * A deliberately broken copy of {@link RawRwLock}'s lane-1 protocol: the writer claims the writer bit,
     * sets WRITER_PARKED and parks on (this, 1) while readers remain (validated under the bucket lock, as
     * RawRwLock does); but the last reader decides whether to wake it from a read of the state taken
     * <em>before</em> its decrement (RawRwLock uses the CAS witness), so a writer that announces itself
     * in between sleeps on. The writer does not spin before parking and the reader pauses between its
     * read and its decrement, widening the window so that a quick run shows the bug. There is no lane 0:
     * the test has one writer and readers that only leave.
     */
    static final class StaleWakeRwLock {
        private static final int WRITER_PARKED = 0b01;
        private static final int WRITER = 0b10;
        private static final int ONE_READER = 0b100;
        private static final int READERS_MASK = ~(ONE_READER - 1);
        /** Spin-wait hints between the stale read and the decrement. */
        private static final int WINDOW_PAUSES = 16;

        private final AtomicInteger state = new AtomicInteger();

        /** Uncontended here: the test takes the reader's hold in its constructor. */
        void lockShared() {
            state.getAndAdd(ONE_READER);
        }

        boolean isLockedExclusive() {
            return (state.get() & WRITER) != 0;
        }

        /**
         * Weakened: check-then-act on the state, with a pause in between.
         *
         * @return whether this unlock decided to wake the writer
         */
        boolean unlockShared() {
            int before = state.get();
            for (int i = 0; i < WINDOW_PAUSES; i++) {
                Thread.onSpinWait();
            }
            state.getAndAdd(-ONE_READER);
            if ((before & (READERS_MASK | WRITER_PARKED)) == (ONE_READER | WRITER_PARKED)) {
                ParkingLot.unparkOne(this, 1L, r -> {
                    state.getAndUpdate(s -> s & ~WRITER_PARKED);
                    return ParkingLot.DEFAULT_UNPARK_TOKEN;
                });
                return true;
            }
            return false;
        }

        /**
         * Claims the writer bit (the test has no other writer) and waits for the readers to leave.
         *
         * @return 0 if acquired; 1 if timed out with readers present; 2 if timed out with none present
         */
        int tryLockExclusive(long nanos) {
            state.getAndAdd(WRITER);
            long deadline = System.nanoTime() + nanos;
            for (;;) {
                int s = state.get();
                if ((s & READERS_MASK) == 0) {
                    return 0;
                }
                if ((s & WRITER_PARKED) == 0 && !state.compareAndSet(s, s | WRITER_PARKED)) {
                    continue;
                }
                long remaining = deadline - System.nanoTime();
                ParkResult result = remaining <= 0L ? ParkResult.TIMED_OUT : ParkingLot.park(this, 1L,
                        () -> {
                            int now = state.get();
                            return (now & READERS_MASK) != 0 && (now & WRITER_PARKED) != 0;
                        },
                        () -> { },
                        (key, lane, wasLast) -> state.getAndUpdate(v -> v & ~WRITER_PARKED),
                        ParkingLot.DEFAULT_PARK_TOKEN, remaining, false);
                if (result.kind() == ParkResult.Kind.TIMED_OUT) {
                    int now = state.getAndUpdate(v -> (v & ~(WRITER | WRITER_PARKED)));
                    return (now & READERS_MASK) != 0 ? 1 : 2;
                }
            }
        }

        void unlockExclusive() {
            state.getAndAdd(-WRITER);
        }
    }
}
