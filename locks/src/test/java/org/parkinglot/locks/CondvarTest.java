package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parkinglot.locks.MutexTestSupport.awaitQueued;
import static org.parkinglot.locks.MutexTestSupport.awaitTrue;

import java.util.Date;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.locks.MutexTestSupport.Kind;
import org.parkinglot.locks.MutexTestSupport.TestThreads;

/**
 * Unit tests of {@link Condvar} with every mutex of the package: notification, requeueing onto the
 * mutex, timeouts, interrupts, and argument checks.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CondvarTest {

    /** A short timeout for "times out" tests. */
    private static final long SHORT_MILLIS = 50;

    /**
     * Waits until {@code n} threads wait on {@code cv} and {@code mutex} is free: a waiter queues itself
     * before it releases the mutex (in park's beforeSleep), so "queued" alone does not mean "released".
     */
    private static void awaitWaiters(Condvar cv, int n, Lock mutex) throws InterruptedException {
        awaitTrue(n + " threads wait on the condvar", () -> cv.getWaitQueueLength() == n);
        awaitTrue("the last waiter released the mutex", () -> !Kind.isLocked(mutex));
    }

    /** The mutex bits of {@code m}'s state word. */
    private static int mutexBits(Lock m) {
        return Kind.mutexBits(m);
    }

    // ---------------------------------------------------------------------------------------------
    // basic waiting and notification

    /** await returns with the mutex held, and not before the notifier has released the mutex. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(30)
    void awaitReturnsWithMutexHeld(Kind kind) throws Exception {
        Lock m = kind.create();
        Condvar cv = new Condvar();
        AtomicBoolean returned = new AtomicBoolean();
        AtomicBoolean heldOnReturn = new AtomicBoolean();
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("waiter", () -> {
                m.lock();
                try {
                    cv.await(m);
                    heldOnReturn.set(Kind.isHeld(m));
                    returned.set(true);
                } finally {
                    m.unlock();
                }
            });
            awaitWaiters(cv, 1, m);
            m.lock(); // possible only because the wait released the mutex
            assertTrue(cv.notifyOne());
            assertEquals(0, cv.getWaitQueueLength());
            assertEquals(1, ParkingLot.queueLength(m, 0L)); // moved onto the held mutex
            assertFalse(returned.get());
            m.unlock();
            threads.join(t);
        }
        assertTrue(returned.get());
        assertTrue(heldOnReturn.get());
        assertFalse(Kind.isLocked(m));
        assertEquals(0, mutexBits(m));
    }

    /** A timed wait without a notify returns false, with the mutex held, only after its whole timeout. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(10)
    void timedWaitWithoutNotifyTimesOut(Kind kind) throws Exception {
        Lock m = kind.create();
        Condvar cv = new Condvar();
        m.lock();
        try {
            long start = System.nanoTime();
            assertFalse(cv.await(m, SHORT_MILLIS, TimeUnit.MILLISECONDS));
            long elapsed = System.nanoTime() - start;
            assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(SHORT_MILLIS), "returned after " + elapsed + " ns");
            assertTrue(Kind.isHeld(m));
            assertEquals(0, cv.getWaitQueueLength());
        } finally {
            m.unlock();
        }
    }

    /** An untimed waiter that nobody notifies stays in the wait queue (no spurious wake-up). */
    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(30)
    void untimedWaiterStaysWaitingWithoutNotify(Kind kind) throws Exception {
        Lock m = kind.create();
        Condvar cv = new Condvar();
        AtomicBoolean returned = new AtomicBoolean();
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("waiter", () -> {
                m.lock();
                try {
                    cv.await(m);
                    returned.set(true);
                } finally {
                    m.unlock();
                }
            });
            awaitWaiters(cv, 1, m);
            for (int i = 0; i < 5; i++) { // churn the mutex while the waiter sleeps
                m.lock();
                m.unlock();
                Thread.sleep(10);
            }
            assertFalse(returned.get());
            assertEquals(1, cv.getWaitQueueLength());
            assertEquals(t, cv.getWaitingThreads().get(0));
            assertTrue(cv.notifyOne());
            threads.join(t);
        }
        assertTrue(returned.get());
    }

    /** notifyOne wakes exactly one of several waiters. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(30)
    void notifyOneWakesExactlyOne(Kind kind) throws Exception {
        Lock m = kind.create();
        Condvar cv = new Condvar();
        AtomicInteger woken = new AtomicInteger();
        try (TestThreads threads = new TestThreads()) {
            for (int i = 0; i < 3; i++) {
                threads.start("waiter-" + i, () -> {
                    m.lock();
                    try {
                        cv.await(m);
                        woken.incrementAndGet();
                    } finally {
                        m.unlock();
                    }
                });
            }
            awaitWaiters(cv, 3, m);
            assertTrue(cv.notifyOne());
            awaitTrue("one waiter returned", () -> woken.get() == 1);
            Thread.sleep(SHORT_MILLIS); // let a second, wrongly woken waiter show itself
            assertEquals(1, woken.get());
            assertEquals(2, cv.getWaitQueueLength());
            assertEquals(2, cv.notifyAllWaiters());
            threads.joinAll();
        }
        assertEquals(3, woken.get());
    }

    /** notifyOne and notifyAllWaiters on a condvar nobody waits on do nothing and say so. */
    @Test
    @Timeout(10)
    void notifyWithoutWaitersReturnsNothing() throws Exception {
        Condvar cv = new Condvar();
        assertFalse(cv.notifyOne());
        assertEquals(0, cv.notifyAllWaiters());
        RawMutex m = new RawMutex();
        m.lock();
        assertFalse(cv.await(m, 1, TimeUnit.MILLISECONDS)); // a waiter that came and left
        m.unlock();
        assertFalse(cv.notifyOne());
        assertEquals(0, cv.notifyAllWaiters());
    }

    /** notifyAllWaiters returns the number of waiters and every one of them eventually returns. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(30)
    void notifyAllWaitersWakesAll(Kind kind) throws Exception {
        int n = 5;
        Lock m = kind.create();
        Condvar cv = new Condvar();
        AtomicInteger woken = new AtomicInteger();
        try (TestThreads threads = new TestThreads()) {
            for (int i = 0; i < n; i++) {
                threads.start("waiter-" + i, () -> {
                    m.lock();
                    try {
                        cv.await(m);
                        woken.incrementAndGet();
                    } finally {
                        m.unlock();
                    }
                });
            }
            awaitWaiters(cv, n, m);
            assertEquals(n, cv.notifyAllWaiters());
            threads.joinAll();
        }
        assertEquals(n, woken.get());
        assertEquals(0, cv.getWaitQueueLength());
        assertEquals(0, ParkingLot.queueLength(m, 0L));
        assertFalse(Kind.isLocked(m));
        assertEquals(0, mutexBits(m));
    }

    // ---------------------------------------------------------------------------------------------
    // requeueing

    /**
     * Starts {@code n} waiters on {@code cv} with {@code m}; after its wait returns each one counts itself
     * in {@code proceeded}, then keeps the mutex until it takes a permit of {@code gate}.
     */
    private static void startGatedWaiters(TestThreads threads, int n, Lock m, Condvar cv,
                                          AtomicInteger proceeded, Semaphore gate) {
        for (int i = 0; i < n; i++) {
            threads.start("waiter-" + i, () -> {
                m.lock();
                try {
                    cv.await(m);
                    proceeded.incrementAndGet();
                    gate.acquire();
                } finally {
                    m.unlock();
                }
            });
        }
    }

    /**
     * With {@code proceeded == first} waiters through and the rest on the mutex's queue, lets one waiter at a
     * time release the mutex and checks that each release lets exactly one more waiter proceed.
     */
    private static void drainOneByOne(Lock m, int n, int first, AtomicInteger proceeded, Semaphore gate)
            throws InterruptedException {
        for (int k = first; k <= n; k++) {
            int expected = k;
            awaitTrue(expected + " waiters proceeded", () -> proceeded.get() == expected);
            assertEquals(n - k, ParkingLot.queueLength(m, 0L), "waiters left on the mutex queue");
            assertEquals(k, proceeded.get()); // the one that proceeded holds the mutex: nobody else can
            gate.release();
        }
    }

    /** notifyAllWaiters with the mutex held moves every waiter onto the mutex's queue; each unlock then lets exactly one proceed. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(60)
    void notifyAllWithMutexHeldRequeuesAll(Kind kind) throws Exception {
        int n = 4;
        Lock m = kind.create();
        Condvar cv = new Condvar();
        AtomicInteger proceeded = new AtomicInteger();
        Semaphore gate = new Semaphore(0);
        try (TestThreads threads = new TestThreads()) {
            startGatedWaiters(threads, n, m, cv, proceeded, gate);
            awaitWaiters(cv, n, m);
            m.lock();
            assertEquals(n, cv.notifyAllWaiters());
            assertEquals(0, cv.getWaitQueueLength());
            assertEquals(n, ParkingLot.queueLength(m, 0L));
            Thread.sleep(SHORT_MILLIS); // requeued threads must keep sleeping while the mutex is held
            assertEquals(0, proceeded.get());
            assertEquals(n, ParkingLot.queueLength(m, 0L));
            m.unlock();
            drainOneByOne(m, n, 1, proceeded, gate);
            threads.joinAll();
        }
        assertEquals(n, proceeded.get());
        assertFalse(Kind.isLocked(m));
        assertEquals(0, ParkingLot.queueLength(m, 0L));
        assertEquals(0, mutexBits(m));
    }

    /** notifyAllWaiters with the mutex free wakes one waiter and moves the others onto the mutex's queue; none is lost. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(60)
    void notifyAllWithMutexFreeWakesOneRequeuesRest(Kind kind) throws Exception {
        int n = 4;
        Lock m = kind.create();
        Condvar cv = new Condvar();
        AtomicInteger proceeded = new AtomicInteger();
        Semaphore gate = new Semaphore(0);
        try (TestThreads threads = new TestThreads()) {
            startGatedWaiters(threads, n, m, cv, proceeded, gate);
            awaitWaiters(cv, n, m);
            assertEquals(n, cv.notifyAllWaiters());
            assertEquals(0, cv.getWaitQueueLength());
            assertEquals(n - 1, ParkingLot.queueLength(m, 0L));
            drainOneByOne(m, n, 1, proceeded, gate);
            threads.joinAll();
        }
        assertEquals(n, proceeded.get());
        assertFalse(Kind.isLocked(m));
        assertEquals(0, ParkingLot.queueLength(m, 0L));
        assertEquals(0, mutexBits(m));
    }

    /** notifyOne with the mutex held moves one waiter onto the mutex's queue; it proceeds after the unlock. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(30)
    void notifyOneWithMutexHeldRequeuesOne(Kind kind) throws Exception {
        int n = 2;
        Lock m = kind.create();
        Condvar cv = new Condvar();
        AtomicInteger proceeded = new AtomicInteger();
        Semaphore gate = new Semaphore(0);
        try (TestThreads threads = new TestThreads()) {
            startGatedWaiters(threads, n, m, cv, proceeded, gate);
            awaitWaiters(cv, n, m);
            m.lock();
            assertTrue(cv.notifyOne());
            assertEquals(1, cv.getWaitQueueLength());
            assertEquals(1, ParkingLot.queueLength(m, 0L));
            m.unlock();
            awaitTrue("the notified waiter proceeded", () -> proceeded.get() == 1);
            assertEquals(1, cv.getWaitQueueLength());
            gate.release();
            assertTrue(cv.notifyOne());
            awaitTrue("the second waiter proceeded", () -> proceeded.get() == 2);
            gate.release();
            threads.joinAll();
        }
        assertEquals(0, cv.getWaitQueueLength());
        assertFalse(Kind.isLocked(m));
    }

    /**
     * A waiter requeued onto the mutex and woken there by an unfair unlock is the mutex's woken
     * successor (WOKEN set): it must re-take the mutex as one, clearing WOKEN, or the next unlock
     * would skip the wake-up of the thread queued behind it. Order on the mutex queue: the requeued
     * waiter, then a plain locker. The unlock wakes the waiter (with a fair mutex: hands it over); the
     * waiter's own unlock must then wake the locker.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(30)
    void requeuedWaiterWokenFromMutexQueuePassesTheWakeUpOn(Kind kind) throws Exception {
        Lock m = kind.create();
        Condvar cv = new Condvar();
        AtomicBoolean flag = new AtomicBoolean();
        AtomicBoolean waiterDone = new AtomicBoolean();
        AtomicBoolean lockerDone = new AtomicBoolean();
        try (TestThreads threads = new TestThreads()) {
            Thread waiter = threads.start("waiter", () -> {
                m.lock();
                try {
                    while (!flag.get()) {
                        cv.await(m);
                    }
                    waiterDone.set(true);
                } finally {
                    m.unlock();
                }
            });
            awaitWaiters(cv, 1, m);
            m.lock();
            flag.set(true);
            assertTrue(cv.notifyOne());
            assertEquals(1, ParkingLot.queueLength(m, 0L)); // requeued onto the held mutex
            Thread locker = threads.start("locker", () -> {
                m.lock();
                lockerDone.set(true);
                m.unlock();
            });
            awaitQueued(m, 2); // the locker queued behind the requeued waiter
            m.unlock(); // wakes the waiter (or hands it the mutex), not the locker
            threads.join(waiter);
            threads.join(locker); // stranded if the waiter's re-take left WOKEN set
        }
        assertTrue(waiterDone.get());
        assertTrue(lockerDone.get());
        assertFalse(Kind.isLocked(m));
        assertEquals(0, mutexBits(m));
    }

    /**
     * The same with the unlocker re-taking the mutex at once: the woken waiter usually finds it held
     * and must park again as the successor, clearing WOKEN, so that the unlocker's second unlock wakes
     * it (else it sleeps on a free mutex and the join times out).
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(30)
    void requeuedWaiterWokenThenBargedStillGetsTheMutex(Kind kind) throws Exception {
        Lock m = kind.create();
        Condvar cv = new Condvar();
        AtomicBoolean flag = new AtomicBoolean();
        try (TestThreads threads = new TestThreads()) {
            for (int round = 0; round < 50; round++) {
                flag.set(false);
                Thread waiter = threads.start("waiter-" + round, () -> {
                    m.lock();
                    try {
                        while (!flag.get()) {
                            cv.await(m);
                        }
                    } finally {
                        m.unlock();
                    }
                });
                awaitWaiters(cv, 1, m);
                m.lock();
                flag.set(true);
                assertTrue(cv.notifyOne());
                m.unlock(); // wakes the requeued waiter as the successor
                m.lock(); // barges ahead of it (usually)
                Thread.onSpinWait();
                m.unlock(); // must wake it again if it went back to park
                threads.join(waiter);
                assertFalse(Kind.isLocked(m));
                assertEquals(0, mutexBits(m));
            }
        }
    }

    /** Waiting on a ReentrantMutex releases every hold (another thread can lock it) and restores the hold count on return. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"REENTRANT", "REENTRANT_FAIR"})
    @Timeout(30)
    void reentrantWaitReleasesAllHoldsAndRestoresThem(Kind kind) throws Exception {
        ReentrantMutex m = (ReentrantMutex) kind.create();
        Condvar cv = new Condvar();
        AtomicInteger holdsOnReturn = new AtomicInteger(-1);
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("waiter", () -> {
                m.lock();
                m.lock();
                m.lock();
                try {
                    cv.await(m);
                    holdsOnReturn.set(m.getHoldCount());
                } finally {
                    while (m.isHeldByCurrentThread()) {
                        m.unlock();
                    }
                }
            });
            awaitWaiters(cv, 1, m);
            assertTrue(m.tryLock(), "the waiter kept a hold");
            assertEquals(1, m.getHoldCount());
            assertTrue(cv.notifyOne());
            m.unlock();
            threads.join(t);
        }
        assertEquals(3, holdsOnReturn.get());
        assertFalse(m.isLocked());
    }

    /** A Condition of a ReentrantMutex releases every hold while waiting, is counted by getWaitQueueLength, and restores the hold count. */
    @Test
    @Timeout(30)
    void reentrantConditionRestoresHoldCount() throws Exception {
        ReentrantMutex m = new ReentrantMutex();
        Condition c = m.newCondition();
        AtomicInteger holdsOnReturn = new AtomicInteger(-1);
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("waiter", () -> {
                m.lock();
                m.lock();
                try {
                    c.await();
                    holdsOnReturn.set(m.getHoldCount());
                } finally {
                    m.unlock();
                    m.unlock();
                }
            });
            awaitTrue("the waiter waits", () -> {
                if (!m.tryLock()) {
                    return false;
                }
                try {
                    return m.getWaitQueueLength(c) == 1;
                } finally {
                    m.unlock();
                }
            });
            m.lock();
            assertTrue(m.hasWaiters(c));
            c.signal();
            assertFalse(m.hasWaiters(c));
            m.unlock();
            threads.join(t);
        }
        assertEquals(2, holdsOnReturn.get());
        assertFalse(m.isLocked());
    }

    // ---------------------------------------------------------------------------------------------
    // one mutex at a time

    /** Waiting with a second mutex while a thread waits with another throws IllegalStateException and leaves the second mutex held. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(30)
    void waitWithTwoMutexesAtOnceThrows(Kind kind) throws Exception {
        RawMutex first = new RawMutex();
        Lock second = kind.create();
        Condvar cv = new Condvar();
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("waiter", () -> {
                first.lock();
                try {
                    cv.await(first);
                } finally {
                    first.unlock();
                }
            });
            awaitWaiters(cv, 1, first);
            second.lock();
            try {
                assertThrows(IllegalStateException.class, () -> cv.await(second));
                assertTrue(Kind.isHeld(second));
                assertThrows(IllegalStateException.class, () -> cv.awaitUninterruptibly(second));
                assertThrows(IllegalStateException.class, () -> cv.awaitNanos(second, 1_000_000L));
                assertThrows(IllegalStateException.class, () -> cv.await(second, 1, TimeUnit.MILLISECONDS));
                assertThrows(IllegalStateException.class, () -> cv.awaitNanos(second, 0L));
                assertTrue(Kind.isHeld(second));
                if (second instanceof ReentrantMutex r) {
                    assertEquals(1, r.getHoldCount());
                }
                assertEquals(1, cv.getWaitQueueLength());
            } finally {
                second.unlock();
            }
            assertTrue(cv.notifyOne());
            threads.join(t);
        }
        assertFalse(first.isLocked());
        assertFalse(Kind.isLocked(second));
    }

    /** Once every waiter has left (timed out or notified), a wait may use another mutex. */
    @Test
    @Timeout(30)
    void waitAfterAllLeftMayUseAnotherMutex() throws Exception {
        Condvar cv = new Condvar();
        RawMutex a = new RawMutex();
        ReentrantMutex b = new ReentrantMutex();
        a.lock();
        assertFalse(cv.await(a, 1, TimeUnit.MILLISECONDS));
        a.unlock();
        b.lock();
        assertFalse(cv.await(b, 1, TimeUnit.MILLISECONDS));
        b.unlock();
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("waiter", () -> {
                b.lock();
                try {
                    cv.await(b);
                } finally {
                    b.unlock();
                }
            });
            awaitWaiters(cv, 1, b);
            assertTrue(cv.notifyOne());
            threads.join(t);
        }
        a.lock();
        assertFalse(cv.await(a, 1, TimeUnit.MILLISECONDS));
        assertTrue(a.isLocked());
        a.unlock();
    }

    /** Waiters moved onto their mutex's queue by notifyAllWaiters no longer bind the condvar: a wait may use another mutex at once. */
    @Test
    @Timeout(30)
    void requeuedWaitersDoNotBindCondvar() throws Exception {
        Condvar cv = new Condvar();
        RawMutex a = new RawMutex();
        RawMutex b = new RawMutex();
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("waiter", () -> {
                a.lock();
                try {
                    cv.await(a);
                } finally {
                    a.unlock();
                }
            });
            awaitWaiters(cv, 1, a);
            a.lock();
            assertEquals(1, cv.notifyAllWaiters());
            assertEquals(1, ParkingLot.queueLength(a, 0L));
            b.lock();
            assertFalse(cv.await(b, 1, TimeUnit.MILLISECONDS));
            assertTrue(b.isLocked());
            b.unlock();
            a.unlock();
            threads.join(t);
        }
        assertFalse(a.isLocked());
    }

    // ---------------------------------------------------------------------------------------------
    // timeouts

    /** awaitNanos without a notify returns a non-positive remainder, with the mutex held, not before the timeout. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(10)
    void awaitNanosTimesOutNotEarly(Kind kind) throws Exception {
        Lock m = kind.create();
        Condvar cv = new Condvar();
        long timeout = TimeUnit.MILLISECONDS.toNanos(SHORT_MILLIS);
        m.lock();
        try {
            long start = System.nanoTime();
            long remaining = cv.awaitNanos(m, timeout);
            long elapsed = System.nanoTime() - start;
            assertTrue(remaining <= 0L, "remaining " + remaining);
            assertTrue(elapsed >= timeout, "returned after " + elapsed + " ns");
            assertTrue(Kind.isHeld(m));
        } finally {
            m.unlock();
        }
    }

    /** awaitUntil a wall-clock deadline without a notify returns false, with the mutex held, not before the deadline. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(10)
    void awaitUntilTimesOutNotEarly(Kind kind) throws Exception {
        Lock m = kind.create();
        Condvar cv = new Condvar();
        m.lock();
        try {
            Date deadline = new Date(System.currentTimeMillis() + SHORT_MILLIS);
            assertFalse(cv.awaitUntil(m, deadline));
            assertTrue(System.currentTimeMillis() >= deadline.getTime());
            assertTrue(Kind.isHeld(m));
        } finally {
            m.unlock();
        }
    }

    /** awaitNanos reports a positive remainder when notified before the timeout. */
    @Test
    @Timeout(30)
    void awaitNanosReturnsPositiveRemainderWhenNotified() throws Exception {
        RawMutex m = new RawMutex();
        Condvar cv = new Condvar();
        AtomicInteger sign = new AtomicInteger();
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("waiter", () -> {
                m.lock();
                try {
                    sign.set(Long.signum(cv.awaitNanos(m, TimeUnit.DAYS.toNanos(1))));
                } finally {
                    m.unlock();
                }
            });
            awaitWaiters(cv, 1, m);
            assertTrue(cv.notifyOne());
            threads.join(t);
        }
        assertEquals(1, sign.get());
    }

    /** A timed wait of Long.MAX_VALUE nanoseconds or days waits (no overflow into a timeout) until notified, then returns true. */
    @Test
    @Timeout(30)
    void maxTimeoutWaitsUntilNotified() throws Exception {
        RawMutex m = new RawMutex();
        Condvar cv = new Condvar();
        AtomicInteger notified = new AtomicInteger();
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("waiter", () -> {
                m.lock();
                try {
                    if (cv.await(m, Long.MAX_VALUE, TimeUnit.DAYS)) {
                        notified.incrementAndGet();
                    }
                    if (cv.awaitNanos(m, Long.MAX_VALUE) > 0L) {
                        notified.incrementAndGet();
                    }
                } finally {
                    m.unlock();
                }
            });
            for (int i = 1; i <= 2; i++) {
                awaitWaiters(cv, 1, m);
                Thread.sleep(SHORT_MILLIS); // give a wrapped deadline the chance to fire
                assertEquals(1, cv.getWaitQueueLength());
                assertTrue(cv.notifyOne());
                int expected = i;
                awaitTrue("waiter notified " + expected + " times", () -> notified.get() == expected
                        || !t.isAlive());
            }
            threads.join(t);
        }
        assertEquals(2, notified.get());
    }

    /** A zero or negative timeout (or a past deadline) returns at once without releasing the mutex: a queued locker never gets it. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(30)
    void nonPositiveTimeoutDoesNotReleaseMutex(Kind kind) throws Exception {
        Lock m = kind.create();
        Condvar cv = new Condvar();
        AtomicBoolean lockerAcquired = new AtomicBoolean();
        m.lock();
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("locker", () -> {
                m.lock();
                lockerAcquired.set(true);
                m.unlock();
            });
            awaitQueued(m, 1);
            assertTrue(cv.awaitNanos(m, 0L) <= 0L);
            assertTrue(cv.awaitNanos(m, -1L) <= 0L);
            assertTrue(cv.awaitNanos(m, Long.MIN_VALUE) <= 0L);
            assertFalse(cv.await(m, 0L, TimeUnit.SECONDS));
            assertFalse(cv.await(m, -5L, TimeUnit.DAYS));
            assertFalse(cv.awaitUntil(m, new Date(System.currentTimeMillis() - 1000)));
            assertFalse(lockerAcquired.get());
            assertEquals(1, ParkingLot.queueLength(m, 0L));
            assertTrue(Kind.isHeld(m));
            assertEquals(0, cv.getWaitQueueLength());
            m.unlock();
            threads.join(t);
        }
        assertTrue(lockerAcquired.get());
        // the condvar is not left bound to m
        RawMutex other = new RawMutex();
        other.lock();
        assertFalse(cv.await(other, 1, TimeUnit.MILLISECONDS));
        other.unlock();
    }

    // ---------------------------------------------------------------------------------------------
    // interrupts

    /** Every interruptible wait by an interrupted thread throws InterruptedException with the status cleared and the mutex still held. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(10)
    void interruptedBeforeWaitThrows(Kind kind) throws Exception {
        Lock m = kind.create();
        Condvar cv = new Condvar();
        Executable[] waits = {
            () -> cv.await(m),
            () -> cv.awaitNanos(m, TimeUnit.SECONDS.toNanos(10)),
            () -> cv.await(m, 10, TimeUnit.SECONDS),
            () -> cv.awaitUntil(m, new Date(System.currentTimeMillis() + 10_000)),
            () -> cv.awaitNanos(m, 0L),
        };
        m.lock();
        try {
            for (Executable wait : waits) {
                Thread.currentThread().interrupt();
                assertThrows(InterruptedException.class, wait);
                assertFalse(Thread.currentThread().isInterrupted());
                assertTrue(Kind.isHeld(m));
                assertEquals(0, cv.getWaitQueueLength());
            }
        } finally {
            Thread.interrupted();
            m.unlock();
        }
        assertFalse(Kind.isLocked(m));
    }

    /** A thread interrupted while waiting throws InterruptedException with the status cleared, after re-acquiring the mutex. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(60)
    void interruptedWhileWaitingThrowsWithMutexHeld(Kind kind) throws Exception {
        Lock m = kind.create();
        Condvar cv = new Condvar();
        String[] names = {"await", "awaitNanos", "await(time, unit)", "awaitUntil"};
        for (int which = 0; which < names.length; which++) {
            int w = which;
            AtomicBoolean threw = new AtomicBoolean();
            AtomicBoolean heldOnThrow = new AtomicBoolean();
            AtomicBoolean statusOnThrow = new AtomicBoolean(true);
            try (TestThreads threads = new TestThreads()) {
                Thread t = threads.start("waiter", () -> {
                    m.lock();
                    try {
                        switch (w) {
                            case 0 -> cv.await(m);
                            case 1 -> cv.awaitNanos(m, TimeUnit.DAYS.toNanos(1));
                            case 2 -> cv.await(m, 1, TimeUnit.DAYS);
                            default -> cv.awaitUntil(m, new Date(System.currentTimeMillis() + 86_400_000L));
                        }
                    } catch (InterruptedException e) {
                        threw.set(true);
                        heldOnThrow.set(Kind.isHeld(m));
                        statusOnThrow.set(Thread.currentThread().isInterrupted());
                    } finally {
                        m.unlock();
                    }
                });
                awaitWaiters(cv, 1, m);
                m.lock(); // the interrupted waiter must wait for this hold to end
                t.interrupt();
                awaitQueued(m, 1);
                assertFalse(threw.get(), names[w]);
                m.unlock();
                threads.join(t);
            }
            assertTrue(threw.get(), names[w]);
            assertTrue(heldOnThrow.get(), names[w]);
            assertFalse(statusOnThrow.get(), names[w]);
            assertEquals(0, cv.getWaitQueueLength(), names[w]);
            assertFalse(Kind.isLocked(m), names[w]);
            assertEquals(0, ParkingLot.queueLength(m, 0L), names[w]);
        }
    }

    /** A waiter interrupted after a notify moved it onto the mutex's queue returns normally, with its interrupt status set. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(30)
    void interruptAfterNotifyReturnsNormally(Kind kind) throws Exception {
        Lock m = kind.create();
        Condvar cv = new Condvar();
        AtomicBoolean returnedNormally = new AtomicBoolean();
        AtomicBoolean statusOnReturn = new AtomicBoolean();
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("waiter", () -> {
                m.lock();
                try {
                    cv.await(m);
                    returnedNormally.set(true);
                    statusOnReturn.set(Thread.currentThread().isInterrupted());
                } catch (InterruptedException e) {
                    returnedNormally.set(false);
                } finally {
                    m.unlock();
                }
            });
            awaitWaiters(cv, 1, m);
            m.lock();
            assertEquals(1, cv.notifyAllWaiters());
            assertEquals(1, ParkingLot.queueLength(m, 0L));
            t.interrupt();
            Thread.sleep(SHORT_MILLIS); // let the interrupt reach the requeued waiter
            m.unlock();
            threads.join(t);
        }
        assertTrue(returnedNormally.get());
        assertTrue(statusOnReturn.get());
        assertFalse(Kind.isLocked(m));
    }

    /** awaitUninterruptibly sleeps through an interrupt and returns, once notified, with the mutex held and the status set. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(30)
    void awaitUninterruptiblyKeepsInterruptStatus(Kind kind) throws Exception {
        Lock m = kind.create();
        Condvar cv = new Condvar();
        AtomicBoolean returned = new AtomicBoolean();
        AtomicBoolean statusOnReturn = new AtomicBoolean();
        AtomicBoolean heldOnReturn = new AtomicBoolean();
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("waiter", () -> {
                m.lock();
                try {
                    cv.awaitUninterruptibly(m);
                    statusOnReturn.set(Thread.currentThread().isInterrupted());
                    heldOnReturn.set(Kind.isHeld(m));
                    returned.set(true);
                } finally {
                    m.unlock();
                }
            });
            awaitWaiters(cv, 1, m);
            t.interrupt();
            Thread.sleep(SHORT_MILLIS); // a wrongly woken waiter would leave the queue now
            assertFalse(returned.get());
            assertEquals(1, cv.getWaitQueueLength());
            assertTrue(cv.notifyOne());
            threads.join(t);
        }
        assertTrue(returned.get());
        assertTrue(statusOnReturn.get());
        assertTrue(heldOnReturn.get());
    }

    /** awaitUninterruptibly by an already interrupted thread still waits for a notify, and keeps the status. */
    @Test
    @Timeout(30)
    void awaitUninterruptiblyWhenInterruptedStillWaits() throws Exception {
        RawMutex m = new RawMutex();
        Condvar cv = new Condvar();
        AtomicBoolean statusOnReturn = new AtomicBoolean();
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("waiter", () -> {
                Thread.currentThread().interrupt();
                m.lock();
                try {
                    cv.awaitUninterruptibly(m);
                    statusOnReturn.set(Thread.currentThread().isInterrupted());
                } finally {
                    m.unlock();
                }
            });
            awaitWaiters(cv, 1, m);
            Thread.sleep(SHORT_MILLIS);
            assertEquals(1, cv.getWaitQueueLength());
            assertTrue(cv.notifyOne());
            threads.join(t);
        }
        assertTrue(statusOnReturn.get());
    }

    // ---------------------------------------------------------------------------------------------
    // bad arguments

    /** Every wait with a Lock that is not a mutex of this package throws IllegalArgumentException and leaves that lock alone. */
    @Test
    @Timeout(10)
    void foreignLockThrowsIllegalArgument() {
        Condvar cv = new Condvar();
        ReentrantLock foreign = new ReentrantLock();
        foreign.lock();
        try {
            assertThrows(IllegalArgumentException.class, () -> cv.await(foreign));
            assertThrows(IllegalArgumentException.class, () -> cv.awaitUninterruptibly(foreign));
            assertThrows(IllegalArgumentException.class, () -> cv.awaitNanos(foreign, 1_000L));
            assertThrows(IllegalArgumentException.class, () -> cv.await(foreign, 1, TimeUnit.MILLISECONDS));
            assertThrows(IllegalArgumentException.class,
                    () -> cv.awaitUntil(foreign, new Date(System.currentTimeMillis() + 10)));
            assertEquals(1, foreign.getHoldCount());
            assertEquals(0, cv.getWaitQueueLength());
        } finally {
            foreign.unlock();
        }
    }

    /** Null arguments throw NullPointerException. */
    @Test
    @Timeout(10)
    void nullArgumentsThrowNpe() {
        Condvar cv = new Condvar();
        RawMutex m = new RawMutex();
        m.lock();
        try {
            assertThrows(NullPointerException.class, () -> cv.await(null));
            assertThrows(NullPointerException.class, () -> cv.awaitUninterruptibly(null));
            assertThrows(NullPointerException.class, () -> cv.awaitNanos(null, 1_000L));
            assertThrows(NullPointerException.class, () -> cv.await(null, 1, TimeUnit.MILLISECONDS));
            assertThrows(NullPointerException.class, () -> cv.await(m, 1, null));
            assertThrows(NullPointerException.class, () -> cv.awaitUntil(null, new Date()));
            assertThrows(NullPointerException.class, () -> cv.awaitUntil(m, null));
            assertTrue(m.isLocked());
        } finally {
            m.unlock();
        }
    }

    /** A wait on a raw mutex nobody holds throws IllegalMonitorStateException; on a ReentrantMutex another thread holds, too. */
    @Test
    @Timeout(30)
    void waitWithoutHoldingMutexThrowsImse() throws Throwable {
        Condvar cv = new Condvar();
        RawMutex raw = new RawMutex();
        assertThrows(IllegalMonitorStateException.class, () -> cv.await(raw));
        assertThrows(IllegalMonitorStateException.class, () -> cv.awaitNanos(raw, 0L));
        ReentrantMutex re = new ReentrantMutex();
        assertThrows(IllegalMonitorStateException.class, () -> cv.await(re));
        whileHeldByAnotherThread(re, () -> {
            assertThrows(IllegalMonitorStateException.class, () -> cv.await(re));
            assertThrows(IllegalMonitorStateException.class, () -> cv.awaitUninterruptibly(re));
        });
        assertEquals(0, cv.getWaitQueueLength());
        assertFalse(raw.isLocked());
    }

    /** Runs {@code check} while another thread holds {@code m}. */
    private static void whileHeldByAnotherThread(ReentrantMutex m, Executable check) throws Throwable {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("holder", MutexTestSupport.holdUntil(m, held, done));
            held.await();
            try {
                check.execute();
            } finally {
                done.countDown();
            }
            threads.join(t);
        }
    }
}
