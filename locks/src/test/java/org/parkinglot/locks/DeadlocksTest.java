package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.parkinglot.locks.DeadlockTestSupport.assertEntry;
import static org.parkinglot.locks.DeadlockTestSupport.assertNoDeadlockFor;
import static org.parkinglot.locks.DeadlockTestSupport.awaitDeadlockOf;
import static org.parkinglot.locks.DeadlockTestSupport.awaitSleepingOn;
import static org.parkinglot.locks.DeadlockTestSupport.contendWithoutDeadlock;
import static org.parkinglot.locks.DeadlockTestSupport.holdBothAndWait;
import static org.parkinglot.locks.MutexTestSupport.awaitTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.locks.MutexTestSupport.TestThreads;

/**
 * {@link Deadlocks}: cycles through {@link ReentrantMutex}es are found on platform and virtual threads,
 * also through a condition waiter moved onto its mutex; long waits, resolved near-deadlocks, condition
 * waits and heavy contention are never reported; the background checker reports a deadlock once.
 * Runs without owner tracking (the default), where locks that keep no owner are not seen; see
 * {@link DeadlocksTrackingTest} for them. Deadlocked threads wait interruptibly, so the clean-up ends them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeadlocksTest {

    /** Starts two threads that each take one lock and then wait (interruptibly) for the other's. */
    static Thread[] startCycle(TestThreads threads, Lock first, Lock second, boolean virtual) {
        CountDownLatch bothHold = new CountDownLatch(2);
        MutexTestSupport.Body a = () -> lockThenWait(first, second, bothHold);
        MutexTestSupport.Body b = () -> lockThenWait(second, first, bothHold);
        return virtual
                ? new Thread[] {threads.startVirtual("deadlock-a", a), threads.startVirtual("deadlock-b", b)}
                : new Thread[] {threads.start("deadlock-a", a), threads.start("deadlock-b", b)};
    }

    private static void lockThenWait(Lock held, Lock wanted, CountDownLatch bothHold) throws Throwable {
        MutexTestSupport.whileHolding(held, () -> {
            bothHold.countDown();
            bothHold.await();
            wanted.lockInterruptibly();
            wanted.unlock();
        }).run();
    }

    /** Two threads holding one ReentrantMutex each and waiting for the other's are one deadlock, named fully. */
    @ParameterizedTest(name = "fair={0}")
    @ValueSource(booleans = {false, true})
    void twoReentrantMutexesDeadlockIsFound(boolean fair) throws Exception {
        ReentrantMutex m1 = new ReentrantMutex(fair);
        ReentrantMutex m2 = new ReentrantMutex(fair);
        try (TestThreads threads = new TestThreads()) {
            Thread[] t = startCycle(threads, m1, m2, false);
            Deadlock d = awaitDeadlockOf(t);
            assertEntry(d, t[0], m2, m1);
            assertEntry(d, t[1], m1, m2);
            assertEquals(List.of(d), Deadlocks.find(), "reported once");
            String text = d.toString();
            assertTrue(text.contains("\"deadlock-a\"") && text.contains("\"deadlock-b\"") && text.contains("waits for"),
                    text);
            assertTrue(text.contains(m1.toString()), text);
        }
    }

    /** Virtual threads park in the lot like platform threads: their cycle is found too (ThreadMXBean misses it). */
    @Test
    void virtualThreadDeadlockIsFound() throws Exception {
        ReentrantMutex m1 = new ReentrantMutex();
        ReentrantMutex m2 = new ReentrantMutex();
        try (TestThreads threads = new TestThreads()) {
            Thread[] t = startCycle(threads, m1, m2, true);
            Deadlock d = awaitDeadlockOf(t);
            assertTrue(t[0].isVirtual() && t[1].isVirtual());
            assertEntry(d, t[0], m2, m1);
            assertEntry(d, t[1], m1, m2);
        }
    }

    /**
     * Without owner tracking a RawMutex cycle is invisible (nobody is known to hold a RawMutex), while a
     * ReentrantMutex cycle at the same time is still found.
     */
    @Test
    void withoutTrackingOnlyOwnerKeepingLocksAreSeen() throws Exception {
        assumeFalse(OwnerTracking.ENABLED, "owner tracking is on in this JVM");
        RawMutex r1 = new RawMutex();
        RawMutex r2 = new RawMutex();
        ReentrantMutex m1 = new ReentrantMutex();
        ReentrantMutex m2 = new ReentrantMutex();
        try (TestThreads threads = new TestThreads()) {
            Thread[] raw = startCycle(threads, r1, r2, false);
            Thread[] reentrant = startCycle(threads, m1, m2, false);
            awaitSleepingOn(raw[0], r2);
            awaitSleepingOn(raw[1], r1);
            awaitDeadlockOf(reentrant);
            List<Deadlock> found = Deadlocks.find();
            assertEquals(1, found.size(), found::toString);
            DeadlockTestSupport.assertThreads(found.get(0), reentrant);
        }
    }

    /**
     * A thread waiting long for a lock whose holder sleeps outside the parking lot, and a chain of
     * waiters behind it, are no deadlock: nothing is reported however often the finder looks.
     */
    @Test
    void aLongWaitIsNeverReported() throws Exception {
        ReentrantMutex m1 = new ReentrantMutex();
        ReentrantMutex m2 = new ReentrantMutex(true);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(2); // counted down by the holder and the middle thread
        try (TestThreads threads = new TestThreads()) {
            threads.start("holder", MutexTestSupport.holdUntil(m1, holding, release)); // waits outside the lot
            awaitTrue("the holder holds m1", m1::isLocked);
            Thread middle = threads.start("middle", () -> {
                m2.lock();
                try {
                    holding.countDown();
                    m1.lock(); // waits for the holder
                    m1.unlock();
                } finally {
                    m2.unlock();
                }
            });
            holding.await();
            Thread last = threads.start("last", () -> {
                m2.lock(); // waits for the middle thread, which waits for the holder
                m2.unlock();
            });
            awaitSleepingOn(middle, m1);
            awaitSleepingOn(last, m2);
            assertNoDeadlockFor(300);
            release.countDown();
            threads.joinAll();
        }
    }

    /**
     * Two threads that take two locks in opposite orders but wait with a timeout break their
     * near-deadlock; once they have, nothing is reported.
     */
    @Test
    void aResolvedNearDeadlockIsNotReported() throws Exception {
        ReentrantMutex m1 = new ReentrantMutex();
        ReentrantMutex m2 = new ReentrantMutex();
        CountDownLatch bothHold = new CountDownLatch(2);
        AtomicInteger gaveUp = new AtomicInteger();
        try (TestThreads threads = new TestThreads()) {
            MutexTestSupport.Body[] bodies = new MutexTestSupport.Body[2];
            for (int i = 0; i < 2; i++) {
                Lock held = i == 0 ? m1 : m2;
                Lock wanted = i == 0 ? m2 : m1;
                bodies[i] = () -> {
                    held.lock();
                    try {
                        bothHold.countDown();
                        bothHold.await();
                        if (wanted.tryLock(200, TimeUnit.MILLISECONDS)) {
                            wanted.unlock();
                        } else {
                            gaveUp.incrementAndGet();
                        }
                    } finally {
                        held.unlock();
                    }
                };
            }
            threads.start("near-a", bodies[0]);
            threads.start("near-b", bodies[1]);
            threads.joinAll();
            assertTrue(gaveUp.get() >= 1, "at least one thread timed out");
            assertNoDeadlockFor(100);
        }
    }

    /**
     * A thread waiting on a condition waits for a signal, not a lock: a thread waiting for a mutex it
     * holds is no deadlock.
     */
    @Test
    void aConditionWaiterIsNoDeadlock() throws Exception {
        ReentrantMutex m1 = new ReentrantMutex();
        ReentrantMutex m2 = new ReentrantMutex();
        Condition c2 = m2.newCondition();
        CountDownLatch waiting = new CountDownLatch(1);
        try (TestThreads threads = new TestThreads()) {
            Thread waiter = threads.start("condition-waiter", holdBothAndWait(m1, m2, waiting, c2::await));
            waiting.await();
            Thread blocked = threads.start("blocked", () -> {
                m1.lockInterruptibly(); // waits for the condition waiter
                m1.unlock();
            });
            awaitSleepingOn(waiter, c2);
            awaitSleepingOn(blocked, m1);
            assertNoDeadlockFor(200);
        }
    }

    /**
     * A condition waiter that a signal moved onto its mutex's queue waits for the mutex: with the
     * signaller holding that mutex and waiting for a lock the waiter holds, it is a deadlock.
     */
    @ParameterizedTest(name = "fair={0}")
    @ValueSource(booleans = {false, true})
    void aSignalledConditionWaiterCanBeInADeadlock(boolean fair) throws Exception {
        ReentrantMutex m1 = new ReentrantMutex(fair);
        ReentrantMutex m2 = new ReentrantMutex(fair);
        Condition c2 = m2.newCondition();
        DeadlockTestSupport.assertSignalledWaiterDeadlock(m1, m2, c2, c2::await, c2::signal);
    }

    /**
     * Platform and virtual threads hammer three ReentrantMutexes (fair and unfair; taken in one global
     * order, with condition waits, signals, timed and fair acquisitions), so there are many waits,
     * hand-offs and requeues but no deadlock: the finder, called in a loop, and a background checker
     * report nothing.
     */
    @Test
    void heavyContentionIsNeverReported() throws Exception {
        ReentrantMutex[] locks = {new ReentrantMutex(), new ReentrantMutex(true), new ReentrantMutex()};
        Condition[] conditions = {locks[0].newCondition(), locks[1].newCondition(), locks[2].newCondition()};
        contendWithoutDeadlock(locks.length, 2_500, new DeadlockTestSupport.Locking<Integer>() {
            @Override
            public Integer take(int index, ThreadLocalRandom rnd) throws InterruptedException {
                DeadlockTestSupport.lockSomehow(locks[index], rnd);
                return index;
            }

            @Override
            public void work(Integer index, ThreadLocalRandom rnd) throws InterruptedException {
                DeadlocksTest.work(conditions[index], rnd);
            }

            @Override
            public void release(Integer index) {
                locks[index].unlock();
            }
        });
    }

    private static void work(Condition c, ThreadLocalRandom rnd) throws InterruptedException {
        switch (rnd.nextInt(8)) {
            case 0 -> c.await(rnd.nextInt(200), TimeUnit.MICROSECONDS);
            case 1 -> c.signalAll();
            case 2 -> c.signal();
            default -> Thread.onSpinWait();
        }
    }

    /** The background checker reports a standing deadlock to its listener exactly once, and stops on close. */
    @Test
    void theCheckerReportsADeadlockOnce() throws Exception {
        ReentrantMutex m1 = new ReentrantMutex();
        ReentrantMutex m2 = new ReentrantMutex();
        List<Deadlock> reported = new CopyOnWriteArrayList<>();
        Deadlocks.Checker checker = Deadlocks.startChecker(Duration.ofMillis(5), reported::add);
        try (TestThreads threads = new TestThreads()) {
            Thread[] t = startCycle(threads, m1, m2, false);
            awaitTrue("the checker reports the deadlock", () -> !reported.isEmpty());
            Thread.sleep(200); // about 40 more checks
            assertEquals(1, reported.size(), reported::toString);
            DeadlockTestSupport.assertThreads(reported.get(0), t);
            assertEntry(reported.get(0), t[0], m2, m1);
        } finally {
            checker.close();
        }
        assertFalse(checker.isRunning());
        checker.close(); // idempotent
    }

    /** A listener that throws does not stop the checker: the next deadlock is reported too. */
    @Test
    void theCheckerSurvivesAThrowingListener() throws Exception {
        List<Deadlock> reported = new CopyOnWriteArrayList<>();
        Deadlocks.Checker checker = Deadlocks.startChecker(Duration.ofMillis(5), d -> {
            reported.add(d);
            throw new IllegalStateException("listener failure (expected by the test)");
        });
        try (TestThreads threads = new TestThreads()) {
            Thread[] first = startCycle(threads, new ReentrantMutex(), new ReentrantMutex(), false);
            awaitTrue("the first deadlock is reported", () -> reported.size() == 1);
            Thread[] second = startCycle(threads, new ReentrantMutex(), new ReentrantMutex(), true);
            awaitTrue("the second deadlock is reported", () -> reported.size() == 2);
            DeadlockTestSupport.assertThreads(reported.get(0), first);
            DeadlockTestSupport.assertThreads(reported.get(1), second);
            assertTrue(checker.isRunning());
        } finally {
            checker.close();
        }
    }

    /** The finder refuses to run inside a parking-lot callback, and the checker's arguments are checked. */
    @Test
    void badCalls() {
        BooleanSupplier findUnderTheBucketLock = () -> Deadlocks.find().isEmpty(); // a park's validate
        assertThrows(IllegalStateException.class, () -> ParkingLot.park(new Object(), findUnderTheBucketLock));
        assertThrows(NullPointerException.class, () -> Deadlocks.startChecker(null, d -> { }));
        assertThrows(NullPointerException.class, () -> Deadlocks.startChecker(Duration.ZERO, null));
        assertThrows(IllegalArgumentException.class, () -> Deadlocks.startChecker(Duration.ofMillis(-1), d -> { }));
    }
}
