package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parkinglot.locks.MutexTestSupport.awaitQueued;
import static org.parkinglot.locks.MutexTestSupport.awaitTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.locks.MutexTestSupport.Kind;
import org.parkinglot.locks.MutexTestSupport.TestThreads;

/**
 * Unit tests of {@link RawMutex} and {@link RawFairMutex}: the common behaviour runs against both.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RawMutexTest {

    /** A short timeout for "times out" tests. */
    private static final long SHORT_MILLIS = 50;

    private static RawMutexBase create(Kind kind) {
        return (RawMutexBase) kind.create();
    }

    // ---------------------------------------------------------------------------------------------
    // lock, unlock, tryLock

    /** A new mutex is unlocked; lock makes it locked and unlock unlocked again. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "RAW_FAIR"})
    @Timeout(10)
    void lockAndUnlock(Kind kind) {
        RawMutexBase m = create(kind);
        assertFalse(m.isLocked());
        m.lock();
        assertTrue(m.isLocked());
        m.unlock();
        assertFalse(m.isLocked());
    }

    /** tryLock succeeds on a free mutex and fails on a held one, even in the holding thread (not reentrant). */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "RAW_FAIR"})
    @Timeout(10)
    void tryLockSucceedsOnlyWhenFree(Kind kind) {
        RawMutexBase m = create(kind);
        assertTrue(m.tryLock());
        assertTrue(m.isLocked());
        assertFalse(m.tryLock());
        m.unlock();
        assertTrue(m.tryLock());
        m.unlock();
    }

    /** A thread other than the one that locked the mutex may unlock it (no owner tracking). */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "RAW_FAIR"})
    @Timeout(10)
    void anyThreadMayUnlock(Kind kind) throws Exception {
        RawMutexBase m = create(kind);
        m.lock();
        try (TestThreads threads = new TestThreads()) {
            threads.join(threads.start("unlocker", m::unlock));
        }
        assertFalse(m.isLocked());
        assertTrue(m.tryLock());
        m.unlock();
    }

    /** unlock of an unlocked mutex throws IllegalMonitorStateException and leaves it unlocked and lockable. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "RAW_FAIR"})
    @Timeout(10)
    void unlockOfUnlockedThrowsAndKeepsState(Kind kind) {
        RawMutexBase m = create(kind);
        assertThrows(IllegalMonitorStateException.class, m::unlock);
        assertFalse(m.isLocked());
        assertEquals(0, m.state);
        assertTrue(m.tryLock());
        m.unlock();
        assertThrows(IllegalMonitorStateException.class, m::unlock);
        assertFalse(m.isLocked());
        m.lock();
        assertTrue(m.isLocked());
        m.unlock();
    }

    /** unlockFair of an unlocked mutex throws IllegalMonitorStateException and leaves it unlocked and lockable. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "RAW_FAIR"})
    @Timeout(10)
    void unlockFairOfUnlockedThrowsAndKeepsState(Kind kind) {
        RawMutexBase m = create(kind);
        assertThrows(IllegalMonitorStateException.class, m::unlockFair);
        assertFalse(m.isLocked());
        assertEquals(0, m.state);
        assertTrue(m.tryLock());
        m.unlockFair();
        assertFalse(m.isLocked());
    }

    /** A thread blocked in lock() acquires the mutex once the holder unlocks it. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "RAW_FAIR"})
    @Timeout(30)
    void blockedLockAcquiresAfterUnlock(Kind kind) throws Exception {
        RawMutexBase m = create(kind);
        AtomicBoolean acquired = new AtomicBoolean();
        m.lock();
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("waiter", () -> {
                m.lock();
                acquired.set(true);
                m.unlock();
            });
            awaitQueued(m, 1);
            assertFalse(acquired.get());
            m.unlock();
            threads.join(t);
        }
        assertTrue(acquired.get());
        assertFalse(m.isLocked());
        assertEquals(0, ParkingLot.queueLength(m, 0L));
    }

    // ---------------------------------------------------------------------------------------------
    // timed tryLock

    /** Timed tryLock on a held mutex returns false, and not before the timeout has elapsed. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "RAW_FAIR"})
    @Timeout(10)
    void timedTryLockTimesOutNotEarly(Kind kind) throws Exception {
        RawMutexBase m = create(kind);
        m.lock();
        long start = System.nanoTime();
        assertFalse(m.tryLock(SHORT_MILLIS, TimeUnit.MILLISECONDS));
        long elapsed = System.nanoTime() - start;
        assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(SHORT_MILLIS), "returned after " + elapsed + " ns");
        assertTrue(m.isLocked());
        assertEquals(0, ParkingLot.queueLength(m, 0L));
        m.unlock();
        assertFalse(m.isLocked());
    }

    /** A timed-out tryLock leaves no waiter mark behind: the next unlock frees the mutex completely. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "RAW_FAIR"})
    @Timeout(10)
    void timedOutTryLockLeavesCleanState(Kind kind) throws Exception {
        RawMutexBase m = create(kind);
        m.lock();
        assertFalse(m.tryLock(SHORT_MILLIS, TimeUnit.MILLISECONDS));
        m.unlock();
        assertEquals(0, m.state & MutexAlgorithm.MUTEX_BITS);
    }

    /** Timed tryLock with a zero or negative timeout tries once: true on a free mutex, false on a held one. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "RAW_FAIR"})
    @Timeout(10)
    void timedTryLockNonPositiveTriesOnce(Kind kind) throws Exception {
        RawMutexBase m = create(kind);
        for (long timeout : new long[] {0L, -1L, Long.MIN_VALUE}) {
            assertTrue(m.tryLock(timeout, TimeUnit.NANOSECONDS));
            assertFalse(m.tryLock(timeout, TimeUnit.NANOSECONDS));
            assertFalse(m.tryLock(timeout, TimeUnit.DAYS));
            assertEquals(0, ParkingLot.queueLength(m, 0L));
            m.unlock();
        }
        assertFalse(m.isLocked());
    }

    /** Timed tryLock with Long.MAX_VALUE days waits (without overflowing into a timeout) until the mutex is released. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "RAW_FAIR"})
    @Timeout(30)
    void timedTryLockMaxValueWaitsUntilReleased(Kind kind) throws Exception {
        RawMutexBase m = create(kind);
        AtomicInteger result = new AtomicInteger(-1);
        m.lock();
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("waiter", () -> {
                result.set(m.tryLock(Long.MAX_VALUE, TimeUnit.DAYS) ? 1 : 0);
            });
            awaitQueued(m, 1);
            Thread.sleep(SHORT_MILLIS); // give a wrapped deadline the chance to fire
            assertEquals(-1, result.get());
            assertEquals(1, ParkingLot.queueLength(m, 0L));
            m.unlock();
            threads.join(t);
        }
        assertEquals(1, result.get());
        assertTrue(m.isLocked());
        m.unlock();
    }

    /** Timed tryLock of an interrupted thread throws InterruptedException with the status cleared, even if the mutex is free. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "RAW_FAIR"})
    @Timeout(10)
    void timedTryLockInterruptedBeforeThrows(Kind kind) {
        RawMutexBase m = create(kind);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> m.tryLock(1, TimeUnit.SECONDS));
        assertFalse(Thread.interrupted());
        assertFalse(m.isLocked());
    }

    /** A thread interrupted while waiting in timed tryLock throws InterruptedException with the status cleared, without the lock. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "RAW_FAIR"})
    @Timeout(30)
    void timedTryLockInterruptedWhileWaitingThrows(Kind kind) throws Exception {
        RawMutexBase m = create(kind);
        AtomicBoolean threw = new AtomicBoolean();
        AtomicBoolean statusAfter = new AtomicBoolean(true);
        m.lock();
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("waiter", () -> {
                try {
                    m.tryLock(1, TimeUnit.DAYS);
                } catch (InterruptedException e) {
                    threw.set(true);
                    statusAfter.set(Thread.currentThread().isInterrupted());
                }
            });
            awaitQueued(m, 1);
            t.interrupt();
            threads.join(t);
        }
        assertTrue(threw.get());
        assertFalse(statusAfter.get());
        assertEquals(0, ParkingLot.queueLength(m, 0L));
        m.unlock();
        assertFalse(m.isLocked());
        assertEquals(0, m.state & MutexAlgorithm.MUTEX_BITS);
    }

    // ---------------------------------------------------------------------------------------------
    // lockInterruptibly, interrupt policy of lock()

    /** lockInterruptibly of an interrupted thread throws InterruptedException with the status cleared and does not take the free lock. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "RAW_FAIR"})
    @Timeout(10)
    void lockInterruptiblyInterruptedBeforeThrows(Kind kind) {
        RawMutexBase m = create(kind);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, m::lockInterruptibly);
        assertFalse(Thread.interrupted());
        assertFalse(m.isLocked());
    }

    /** A thread interrupted while waiting in lockInterruptibly throws InterruptedException with the status cleared, without the lock. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "RAW_FAIR"})
    @Timeout(30)
    void lockInterruptiblyInterruptedWhileWaitingThrows(Kind kind) throws Exception {
        RawMutexBase m = create(kind);
        AtomicBoolean threw = new AtomicBoolean();
        AtomicBoolean statusAfter = new AtomicBoolean(true);
        m.lock();
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("waiter", () -> {
                try {
                    m.lockInterruptibly();
                } catch (InterruptedException e) {
                    threw.set(true);
                    statusAfter.set(Thread.currentThread().isInterrupted());
                }
            });
            awaitQueued(m, 1);
            t.interrupt();
            threads.join(t);
        }
        assertTrue(threw.get());
        assertFalse(statusAfter.get());
        assertEquals(0, ParkingLot.queueLength(m, 0L));
        assertTrue(m.isLocked());
        m.unlock();
        assertFalse(m.isLocked());
        assertTrue(m.tryLock());
        m.unlock();
    }

    /** lockInterruptibly on a free mutex without interrupt acquires it. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "RAW_FAIR"})
    @Timeout(10)
    void lockInterruptiblyAcquiresFreeMutex(Kind kind) throws Exception {
        RawMutexBase m = create(kind);
        m.lockInterruptibly();
        assertTrue(m.isLocked());
        m.unlock();
    }

    /** lock() by an interrupted thread acquires the mutex and keeps the interrupt status set. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "RAW_FAIR"})
    @Timeout(10)
    void lockKeepsInterruptStatus(Kind kind) {
        RawMutexBase m = create(kind);
        Thread.currentThread().interrupt();
        m.lock();
        try {
            assertTrue(Thread.currentThread().isInterrupted());
            assertTrue(m.isLocked());
        } finally {
            m.unlock();
            Thread.interrupted();
        }
    }

    /** A thread interrupted while waiting in lock() keeps waiting, then acquires with its interrupt status still set. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "RAW_FAIR"})
    @Timeout(30)
    void lockWaitsThroughInterrupt(Kind kind) throws Exception {
        RawMutexBase m = create(kind);
        AtomicBoolean acquired = new AtomicBoolean();
        AtomicBoolean statusAfter = new AtomicBoolean();
        m.lock();
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("waiter", () -> {
                m.lock();
                statusAfter.set(Thread.currentThread().isInterrupted());
                acquired.set(true);
                m.unlock();
            });
            awaitQueued(m, 1);
            t.interrupt();
            Thread.sleep(SHORT_MILLIS); // let a wrongly woken waiter show itself
            assertFalse(acquired.get());
            assertEquals(1, ParkingLot.queueLength(m, 0L));
            m.unlock();
            threads.join(t);
        }
        assertTrue(acquired.get());
        assertTrue(statusAfter.get());
    }

    // ---------------------------------------------------------------------------------------------
    // fairness: unlockFair, RawFairMutex.unlock

    /**
     * Queues three threads on the held mutex in a known order, then releases it {@code unlocks} times with
     * {@code release}; returns the order in which the waiters acquired. After each release the lock must
     * already belong to the woken thread (handoff: never observed free, not even by a barging tryLock).
     */
    private static List<Integer> acquisitionOrderUnder(RawMutexBase m, Consumer<RawMutexBase> release)
            throws Exception {
        List<Integer> order = new CopyOnWriteArrayList<>();
        m.lock();
        try (TestThreads threads = new TestThreads()) {
            for (int i = 1; i <= 3; i++) {
                int id = i;
                threads.start("waiter-" + id, () -> {
                    m.lock();
                    order.add(id); // keeps the lock: the main thread releases it on our behalf
                });
                awaitQueued(m, i);
            }
            for (int k = 1; k <= 3; k++) {
                release.accept(m);
                assertTrue(m.isLocked(), "handed-off lock observed free after release " + k);
                assertFalse(m.tryLock(), "barging tryLock took a handed-off lock after release " + k);
                int expected = k;
                awaitTrue(expected + " waiters acquired", () -> order.size() == expected);
                assertEquals(3 - k, ParkingLot.queueLength(m, 0L));
            }
            threads.joinAll();
        }
        assertTrue(m.isLocked());
        m.unlock();
        assertFalse(m.isLocked());
        assertEquals(0, m.state & MutexAlgorithm.MUTEX_BITS);
        return order;
    }

    /** unlockFair hands the lock directly to the longest waiter: waiters acquire in arrival order and the lock never appears free. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "RAW_FAIR"})
    @Timeout(60)
    void unlockFairHandsToLongestWaiter(Kind kind) throws Exception {
        assertEquals(List.of(1, 2, 3), acquisitionOrderUnder(create(kind), RawMutexBase::unlockFair));
    }

    /** RawFairMutex.unlock hands the lock directly to the longest waiter: FIFO order, the lock never appears free. */
    @Test
    @Timeout(60)
    void fairMutexUnlockIsFifo() throws Exception {
        assertEquals(List.of(1, 2, 3), acquisitionOrderUnder(new RawFairMutex(), RawMutexBase::unlock));
    }

    // ---------------------------------------------------------------------------------------------
    // bump

    /** bump() with no waiter keeps the lock held and returns. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "RAW_FAIR"})
    @Timeout(10)
    void bumpWithoutWaiterKeepsLock(Kind kind) {
        RawMutexBase m = create(kind);
        m.lock();
        m.bump();
        assertTrue(m.isLocked());
        assertFalse(m.tryLock());
        m.unlock();
        assertFalse(m.isLocked());
    }

    /** bump() with a waiter lets the waiter run its critical section before the bumper continues, holding the lock again. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "RAW_FAIR"})
    @Timeout(30)
    void bumpLetsWaiterRunFirst(Kind kind) throws Exception {
        RawMutexBase m = create(kind);
        List<String> events = new CopyOnWriteArrayList<>();
        m.lock();
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("waiter", () -> {
                m.lock();
                events.add("waiter");
                m.unlock();
            });
            awaitQueued(m, 1);
            m.bump();
            events.add("bumper");
            assertTrue(m.isLocked());
            assertFalse(m.tryLock());
            m.unlock();
            threads.join(t);
        }
        assertEquals(List.of("waiter", "bumper"), events);
        assertFalse(m.isLocked());
    }

    // ---------------------------------------------------------------------------------------------
    // toString, newCondition

    /** toString names the class and says whether the mutex is locked. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "RAW_FAIR"})
    @Timeout(10)
    void toStringShowsState(Kind kind) {
        RawMutexBase m = create(kind);
        String unlocked = m.toString();
        assertTrue(unlocked.startsWith(m.getClass().getName() + "@"), unlocked);
        assertTrue(unlocked.endsWith("[Unlocked]"), unlocked);
        m.lock();
        String locked = m.toString();
        m.unlock();
        assertTrue(locked.startsWith(m.getClass().getName() + "@"), locked);
        assertTrue(locked.endsWith("[Locked]"), locked);
    }

    /** Every method of a condition of an unlocked mutex throws IllegalMonitorStateException. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "RAW_FAIR"})
    @Timeout(10)
    void conditionRequiresLockedMutex(Kind kind) {
        RawMutexBase m = create(kind);
        Condition c = m.newCondition();
        assertThrows(IllegalMonitorStateException.class, c::await);
        assertThrows(IllegalMonitorStateException.class, c::awaitUninterruptibly);
        assertThrows(IllegalMonitorStateException.class, () -> c.awaitNanos(1_000_000L));
        assertThrows(IllegalMonitorStateException.class, () -> c.await(1, TimeUnit.MILLISECONDS));
        assertThrows(IllegalMonitorStateException.class,
                () -> c.awaitUntil(new java.util.Date(System.currentTimeMillis() + 10)));
        assertThrows(IllegalMonitorStateException.class, c::signal);
        assertThrows(IllegalMonitorStateException.class, c::signalAll);
        assertFalse(m.isLocked());
    }

    /** A condition of a locked mutex waits with it: a timed await times out and returns with the mutex held. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "RAW_FAIR"})
    @Timeout(10)
    void conditionOfLockedMutexAwaitsAndReturnsLocked(Kind kind) throws Exception {
        RawMutexBase m = create(kind);
        Condition c = m.newCondition();
        m.lock();
        assertFalse(c.await(SHORT_MILLIS, TimeUnit.MILLISECONDS));
        assertTrue(m.isLocked());
        c.signal(); // no waiter: nothing happens
        c.signalAll();
        m.unlock();
        assertFalse(m.isLocked());
    }
}
