package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.parkinglot.locks.DeadlockTestSupport.assertEntry;
import static org.parkinglot.locks.DeadlockTestSupport.assertNoDeadlockFor;
import static org.parkinglot.locks.DeadlockTestSupport.awaitDeadlockOf;
import static org.parkinglot.locks.DeadlockTestSupport.awaitSleepingOn;
import static org.parkinglot.locks.DeadlockTestSupport.contendWithoutDeadlock;
import static org.parkinglot.locks.DeadlockTestSupport.readThenReadAgain;
import static org.parkinglot.locks.MutexTestSupport.holdUntil;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.parkinglot.core.ParkedThread;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.locks.MutexTestSupport.Kind;
import org.parkinglot.locks.MutexTestSupport.TestThreads;

/**
 * {@link Deadlocks} with owner tracking on ({@code -Dorg.parkinglot.trackOwners=true}, set by the
 * {@code owner-tracking} surefire execution, which runs the {@code *TrackingTest} classes in their own
 * JVM): cycles through {@link RawMutex}, {@link RawFairMutex} and {@link RawRwLock} (writers, a reader
 * and a writer, an upgrade) are found, a lock unlocked by another thread leaves no stale owner, and
 * heavy contention over every acquire and release path reports nothing and leaves no record behind.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeadlocksTrackingTest {

    @BeforeAll
    static void trackingIsOn() {
        if (Boolean.getBoolean("parkinglot.test.expectTracking")) {
            assertTrue(OwnerTracking.ENABLED, "the owner-tracking execution runs without tracking");
        }
        assumeTrue(OwnerTracking.ENABLED, "owner tracking is off in this JVM (see the owner-tracking execution)");
    }

    /** With tracking on, two threads deadlocked through two raw mutexes are found. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "RAW_FAIR"})
    void rawMutexDeadlockIsFound(Kind kind) throws Exception {
        Lock m1 = kind.create();
        Lock m2 = kind.create();
        try (TestThreads threads = new TestThreads()) {
            Thread[] t = DeadlocksTest.startCycle(threads, m1, m2, false);
            Deadlock d = awaitDeadlockOf(t);
            assertEntry(d, t[0], m2, m1);
            assertEntry(d, t[1], m1, m2);
        }
    }

    /** A virtual thread that locks a RawMutex it already holds is a deadlock of one thread. */
    @Test
    void rawMutexSelfDeadlockIsFound() throws Exception {
        RawMutex m = new RawMutex();
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.startVirtual("self", () -> {
                m.lock();
                try {
                    m.lockInterruptibly();
                } finally {
                    m.unlock();
                }
            });
            Deadlock d = awaitDeadlockOf(t);
            assertEntry(d, t, m, m);
        }
    }

    /** Two writers holding one RawRwLock each and waiting for the other's are a deadlock. */
    @Test
    void rwLockWritersDeadlockIsFound() throws Exception {
        RawRwLock r1 = new RawRwLock();
        RawRwLock r2 = new RawRwLock();
        try (TestThreads threads = new TestThreads()) {
            Thread[] t = DeadlocksTest.startCycle(threads, r1.asReadWriteLock().writeLock(),
                    r2.asReadWriteLock().writeLock(), false);
            Deadlock d = awaitDeadlockOf(t);
            assertEntry(d, t[0], r2, r1);
            assertEntry(d, t[1], r1, r2);
        }
    }

    /**
     * A reader that reads again (not recursively) after a writer claimed the lock waits for the writer,
     * which waits for the reader to leave: a deadlock through one RawRwLock's two queues. The claim is
     * a writer's, or an upgrading reader's.
     */
    @ParameterizedTest(name = "upgrade={0}")
    @ValueSource(booleans = {false, true})
    void rwLockReaderAndWriterDeadlockIsFound(boolean upgrade) throws Exception {
        RawRwLock r = new RawRwLock();
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch claimed = new CountDownLatch(1);
        MutexTestSupport.Body claim = upgrade ? () -> {
            r.lockUpgradable();
            boolean upgraded = false;
            try {
                upgraded = r.tryUpgrade(1, TimeUnit.HOURS); // claims WRITER, then waits for the reader
            } finally {
                if (upgraded) {
                    r.unlockExclusive();
                } else {
                    r.unlockUpgradable();
                }
            }
        } : () -> {
            r.lockExclusiveInterruptibly(); // claims WRITER, then waits for the reader
            r.unlockExclusive();
        };
        try (TestThreads threads = new TestThreads()) {
            Thread reader = threads.start("reader", readThenReadAgain(r, reading, claimed));
            reading.await();
            Thread writer = threads.start(upgrade ? "upgrader" : "writer", claim);
            awaitSleepingOn(writer, r, RawRwLock.DRAIN_LANE);
            claimed.countDown();
            Deadlock d = awaitDeadlockOf(reader, writer);
            assertEntry(d, reader, r, r);
            assertEntry(d, writer, r, r);
        }
    }

    /** A long wait for a raw mutex whose holder sleeps outside the parking lot is never reported. */
    @Test
    void aLongWaitIsNeverReported() throws Exception {
        RawMutex m = new RawMutex();
        RawRwLock r = new RawRwLock();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        try (TestThreads threads = new TestThreads()) {
            Thread holder = threads.start("holder",
                    MutexTestSupport.whileHolding(m, holdUntil(r.asReadWriteLock().readLock(), holding, release)));
            holding.await();
            Thread waiter = threads.start("waiter", () -> {
                m.lock();
                m.unlock();
            });
            Thread writer = threads.start("writer", () -> {
                r.lockExclusive();
                r.unlockExclusive();
            });
            awaitSleepingOn(waiter, m);
            awaitSleepingOn(writer, r, RawRwLock.DRAIN_LANE);
            assertEquals(List.of(holder), holdersAwaitedBy(waiter));
            assertEquals(List.of(holder), holdersAwaitedBy(writer));
            assertNoDeadlockFor(300);
            release.countDown();
            threads.joinAll();
        }
        assertSame(OwnerTracking.Holders.NONE, OwnerTracking.holders(m));
        assertSame(OwnerTracking.Holders.NONE, OwnerTracking.holders(r));
    }

    /**
     * A raw mutex unlocked by a thread other than its locker leaves no stale owner: a thread waiting for
     * it later waits for its new holder only.
     */
    @Test
    void anUnlockByAnotherThreadLeavesNoStaleOwner() throws Exception {
        RawMutex m = new RawMutex();
        CountDownLatch release = new CountDownLatch(1);
        try (TestThreads threads = new TestThreads()) {
            Thread locker = threads.start("locker", m::lock);
            threads.join(locker);
            assertSame(locker, OwnerTracking.holders(m).exclusive());
            m.unlock(); // by the test thread
            assertSame(OwnerTracking.Holders.NONE, OwnerTracking.holders(m));
            CountDownLatch holding = new CountDownLatch(1);
            Thread holder = threads.start("holder", holdUntil(m, holding, release));
            holding.await();
            Thread waiter = threads.start("waiter", () -> {
                m.lock();
                m.unlock();
            });
            awaitSleepingOn(waiter, m);
            assertEquals(List.of(holder), holdersAwaitedBy(waiter));
            release.countDown();
            threads.joinAll();
        }
        assertSame(OwnerTracking.Holders.NONE, OwnerTracking.holders(m));
    }

    /**
     * A shared hold released by a thread that holds none makes the lock's readers unknown (no edge to
     * them) until the last reader leaves, which clears the lock's record.
     */
    @Test
    void aSharedUnlockByAnotherThreadHidesTheReaders() throws Exception {
        RawRwLock r = new RawRwLock();
        try (TestThreads threads = new TestThreads()) {
            Thread a = threads.start("reader-a", r::lockShared);
            Thread b = threads.start("reader-b", r::lockShared);
            threads.join(a);
            threads.join(b);
            assertEquals(2, OwnerTracking.holders(r).readers().size());
            r.unlockShared(); // by the test thread, which holds none
            assertTrue(OwnerTracking.holders(r).readersUnknown());
            r.unlockShared();
        }
        assertSame(OwnerTracking.Holders.NONE, OwnerTracking.holders(r));
    }

    /**
     * A condition waiter moved onto its raw mutex's queue by a signal waits for the mutex: with the
     * signaller holding it and waiting for the waiter's other mutex, a deadlock.
     */
    @Test
    void aSignalledConditionWaiterCanBeInADeadlock() throws Exception {
        RawMutex m1 = new RawMutex();
        RawMutex m2 = new RawMutex();
        Condvar c = new Condvar();
        DeadlockTestSupport.assertSignalledWaiterDeadlock(m1, m2, c, () -> c.await(m2), c::notifyOne);
    }

    /**
     * Platform and virtual threads use raw mutexes (plain and fair) and read-write locks in every mode
     * (timed and interruptible acquisitions, fair unlocks, bumps, upgrades and downgrades, condition
     * waits), always in one global lock order: many waits and hand-offs, no deadlock. The finder in a
     * loop and a background checker report nothing, and afterwards no lock has a record left.
     */
    @Test
    void heavyContentionIsNeverReportedAndLeavesNoRecord() throws Exception {
        Object[] locks = {new RawMutex(), new RawRwLock(), new RawFairMutex(), new RawRwLock(), new RawMutex()};
        Condition[] conditions = new Condition[locks.length];
        for (int k = 0; k < locks.length; k++) {
            conditions[k] = locks[k] instanceof RawMutexBase m ? m.newCondition()
                    : ((RawRwLock) locks[k]).asReadWriteLock().writeLock().newCondition();
        }
        contendWithoutDeadlock(locks.length, 2_500, new DeadlockTestSupport.Locking<Hold>() {
            @Override
            public Hold take(int index, ThreadLocalRandom rnd) throws InterruptedException {
                return Hold.take(locks[index], conditions[index], rnd);
            }

            @Override
            public void work(Hold hold, ThreadLocalRandom rnd) throws InterruptedException {
                hold.work(rnd);
            }

            @Override
            public void release(Hold hold) {
                hold.release();
            }
        });
        for (Object lock : locks) {
            assertSame(OwnerTracking.Holders.NONE, OwnerTracking.holders(lock), () -> lock + " keeps a record");
        }
    }

    /** One hold of a lock of the contention test, in its current mode (work may change it). */
    private static final class Hold {
        static final int MUTEX = 0;
        static final int SHARED = 1;
        static final int EXCLUSIVE = 2;
        static final int UPGRADABLE = 3;

        private final Object lock;
        private final Condition condition;
        private int mode;

        private Hold(Object lock, Condition condition, int mode) {
            this.lock = lock;
            this.condition = condition;
            this.mode = mode;
        }

        static Hold take(Object lock, Condition condition, ThreadLocalRandom rnd) throws InterruptedException {
            if (lock instanceof RawMutexBase m) {
                DeadlockTestSupport.lockSomehow(m, rnd);
                return new Hold(lock, condition, MUTEX);
            }
            RawRwLock r = (RawRwLock) lock;
            int mode = SHARED + rnd.nextInt(3);
            boolean timed = rnd.nextBoolean();
            switch (mode) {
                case SHARED -> {
                    if (timed) {
                        DeadlockTestSupport.retryTimed(us -> r.tryLockShared(us, TimeUnit.MICROSECONDS), rnd);
                    } else {
                        r.lockShared();
                    }
                }
                case EXCLUSIVE -> {
                    if (timed) {
                        DeadlockTestSupport.retryTimed(us -> r.tryLockExclusive(us, TimeUnit.MICROSECONDS), rnd);
                    } else {
                        r.lockExclusiveInterruptibly();
                    }
                }
                default -> {
                    if (timed) {
                        DeadlockTestSupport.retryTimed(us -> r.tryLockUpgradable(us, TimeUnit.MICROSECONDS), rnd);
                    } else {
                        r.lockUpgradable();
                    }
                }
            }
            return new Hold(lock, condition, mode);
        }

        /** Does something with the hold; may change its mode (upgrade, downgrade). */
        void work(ThreadLocalRandom rnd) throws InterruptedException {
            Condition c = condition;
            int op = rnd.nextInt(6);
            if (lock instanceof RawMutexBase m) {
                switch (op) {
                    case 0 -> c.await(rnd.nextInt(200), TimeUnit.MICROSECONDS);
                    case 1 -> c.signalAll();
                    case 2 -> m.bump();
                    default -> Thread.onSpinWait();
                }
                return;
            }
            RawRwLock r = (RawRwLock) lock;
            switch (mode) {
                case EXCLUSIVE -> {
                    switch (op) {
                        case 0 -> c.await(rnd.nextInt(200), TimeUnit.MICROSECONDS);
                        case 1 -> c.signalAll();
                        case 2 -> r.bumpExclusive();
                        case 3 -> {
                            r.downgrade();
                            holdAs(SHARED);
                        }
                        case 4 -> {
                            r.downgradeToUpgradable();
                            holdAs(UPGRADABLE);
                        }
                        default -> Thread.onSpinWait();
                    }
                }
                case UPGRADABLE -> {
                    switch (op) {
                        case 0 -> {
                            r.upgrade();
                            holdAs(EXCLUSIVE);
                        }
                        case 1 -> {
                            if (r.tryUpgrade(rnd.nextInt(100), TimeUnit.MICROSECONDS)) {
                                holdAs(EXCLUSIVE);
                            }
                        }
                        case 2 -> r.bumpUpgradable();
                        case 3 -> {
                            r.downgradeUpgradable();
                            holdAs(SHARED);
                        }
                        default -> Thread.onSpinWait();
                    }
                }
                default -> {
                    if (op == 0) {
                        r.bumpShared();
                    } else {
                        Thread.onSpinWait();
                    }
                }
            }
        }

        private void holdAs(int newMode) {
            mode = newMode;
        }

        void release() {
            if (lock instanceof RawMutexBase m) {
                if ((System.nanoTime() & 1) == 0) {
                    m.unlock();
                } else {
                    m.unlockFair();
                }
                return;
            }
            RawRwLock r = (RawRwLock) lock;
            boolean fair = (System.nanoTime() & 1) == 0;
            switch (mode) {
                case SHARED -> r.unlockShared();
                case EXCLUSIVE -> {
                    if (fair) {
                        r.unlockExclusiveFair();
                    } else {
                        r.unlockExclusive();
                    }
                }
                default -> {
                    if (fair) {
                        r.unlockUpgradableFair();
                    } else {
                        r.unlockUpgradable();
                    }
                }
            }
        }
    }

    /** The holders the finder sees for what {@code waiter} waits for (it must be queued once). */
    private static List<Thread> holdersAwaitedBy(Thread waiter) {
        List<ParkedThread> mine = ParkingLot.parkedThreads().stream().filter(p -> p.thread() == waiter).toList();
        assertEquals(1, mine.size(), mine::toString);
        return Deadlocks.awaitedHolders(mine.get(0));
    }

    /** Sanity: tracking does not change what a lock reports. */
    @Test
    void trackingKeepsTheLocksContracts() {
        RawMutex m = new RawMutex();
        assertFalse(m.isLocked());
        m.lock();
        assertSame(Thread.currentThread(), OwnerTracking.holders(m).exclusive());
        m.unlock();
        assertNull(OwnerTracking.holders(m).exclusive());
    }
}
