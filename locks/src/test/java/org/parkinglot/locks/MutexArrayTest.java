package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parkinglot.locks.MutexTestSupport.awaitTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jol.info.GraphLayout;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.locks.MutexTestSupport.TestThreads;

/**
 * Unit tests of {@link MutexArray}: the per-index mutex contract, its {@link Lock} views and conditions,
 * misuse, virtual threads, the independence of neighbouring indexes (which share a machine word), and
 * the footprint.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MutexArrayTest {

    /** A short timeout for "times out" tests. */
    private static final long SHORT_MILLIS = 50;

    /** The threads of the current test; closed (interrupted and joined) after each test. */
    private final TestThreads threads = new TestThreads();

    @AfterEach
    void closeThreads() {
        threads.close();
    }

    /** Waits until exactly {@code n} threads are queued on mutex {@code index} of {@code array}. */
    private static void awaitQueued(MutexArray array, int index, int n) throws InterruptedException {
        awaitTrue(n + " threads queued on index " + index, () -> ParkingLot.queueLength(array, index) == n);
    }

    // ---------------------------------------------------------------------------------------------
    // construction and misuse

    /** A negative length is refused; a zero length is an empty array. */
    @Test
    void lengthMustNotBeNegative() {
        assertThrows(IllegalArgumentException.class, () -> new MutexArray(-1));
        assertEquals(0, new MutexArray(0).length());
        assertEquals(5, new MutexArray(5).length());
    }

    /** Every operation refuses an index below 0 or at or above the length with IndexOutOfBoundsException. */
    @ParameterizedTest
    @ValueSource(ints = {-1, 3, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void indexOutOfBoundsIsRefused(int index) {
        MutexArray a = new MutexArray(3);
        List<IntConsumer> ops = List.of(a::lock, a::tryLock, a::unlock, a::unlockFair, a::isLocked, a::asLock,
                i -> {
                    try {
                        a.lockInterruptibly(i);
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                },
                i -> {
                    try {
                        a.tryLock(i, 1, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
        for (IntConsumer op : ops) {
            assertThrows(IndexOutOfBoundsException.class, () -> op.accept(index));
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(0, a.state(i), "state of " + i + " untouched");
        }
    }

    /** Unlocking an unlocked index throws IllegalMonitorStateException and leaves it unlocked. */
    @Test
    void unlockOfUnlockedIndexThrows() {
        MutexArray a = new MutexArray(2);
        assertThrows(IllegalMonitorStateException.class, () -> a.unlock(1));
        assertThrows(IllegalMonitorStateException.class, () -> a.unlockFair(1));
        assertThrows(IllegalMonitorStateException.class, () -> a.asLock(1).unlock());
        assertEquals(0, a.state(1));
        assertTrue(a.tryLock(1));
        a.unlock(1);
    }

    /** A null unit of a timed tryLock is refused with NullPointerException. */
    @Test
    void timedTryLockRefusesNullUnit() {
        MutexArray a = new MutexArray(1);
        assertThrows(NullPointerException.class, () -> a.tryLock(0, 1, null));
        assertFalse(a.isLocked(0));
    }

    // ---------------------------------------------------------------------------------------------
    // lock, unlock, tryLock

    /** lock makes an index locked and unlock unlocked again; other indexes stay unlocked. */
    @Test
    void lockAndUnlock() {
        MutexArray a = new MutexArray(4);
        a.lock(2);
        assertTrue(a.isLocked(2));
        assertFalse(a.isLocked(1));
        assertFalse(a.isLocked(3));
        a.unlock(2);
        assertFalse(a.isLocked(2));
        assertEquals(0, a.state(2));
    }

    /** tryLock succeeds on a free index and fails on a held one, even in the holding thread (not reentrant). */
    @Test
    void tryLockSucceedsOnlyWhenFree() {
        MutexArray a = new MutexArray(2);
        assertTrue(a.tryLock(0));
        assertFalse(a.tryLock(0));
        assertFalse(a.asLock(0).tryLock());
        a.unlock(0);
        assertTrue(a.asLock(0).tryLock());
        a.unlockFair(0);
        assertFalse(a.isLocked(0));
    }

    /** Another thread may unlock an index (no owner tracking). */
    @Test
    void anyThreadMayUnlock() throws Exception {
        MutexArray a = new MutexArray(1);
        a.lock(0);
        threads.join(threads.start("unlocker", () -> a.unlock(0)));
        assertFalse(a.isLocked(0));
    }

    /** A thread blocked in lock(i) acquires i when its holder unlocks it. */
    @Test
    void unlockWakesAWaiter() throws Exception {
        MutexArray a = new MutexArray(3);
        a.lock(1);
        AtomicBoolean acquired = new AtomicBoolean();
        Thread t = threads.start("waiter", () -> {
            a.lock(1);
            acquired.set(true);
            a.unlock(1);
        });
        awaitQueued(a, 1, 1);
        assertFalse(acquired.get());
        a.unlock(1);
        threads.join(t);
        assertTrue(acquired.get());
        assertEquals(0, a.state(1));
    }

    /** unlockFair hands the index to the queued waiter: it stays locked, and the waiter owns it. */
    @Test
    void unlockFairHandsOver() throws Exception {
        MutexArray a = new MutexArray(2);
        CountDownLatch acquired = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        a.lock(0);
        Thread t = threads.start("waiter", () -> {
            a.lock(0);
            acquired.countDown();
            release.await();
            a.unlock(0);
        });
        awaitQueued(a, 0, 1);
        a.unlockFair(0);
        assertFalse(a.tryLock(0), "handed over: still locked for the waiter");
        assertTrue(acquired.await(30, TimeUnit.SECONDS));
        release.countDown();
        threads.join(t);
        assertEquals(0, a.state(0));
    }

    // ---------------------------------------------------------------------------------------------
    // timeouts

    /** A zero or negative timeout on a held index returns false at once; on a free one it acquires. */
    @ParameterizedTest
    @ValueSource(longs = {0L, -1L, Long.MIN_VALUE})
    void nonPositiveTimeoutTriesOnce(long timeout) throws Exception {
        MutexArray a = new MutexArray(2);
        assertTrue(a.tryLock(0, timeout, TimeUnit.DAYS));
        assertFalse(a.tryLock(0, timeout, TimeUnit.NANOSECONDS));
        assertFalse(a.asLock(0).tryLock(timeout, TimeUnit.SECONDS));
        assertEquals(0, ParkingLot.queueLength(a, 0));
        a.unlock(0);
    }

    /** A timed tryLock on a held index times out after at least the timeout, leaving nothing queued. */
    @Test
    void timedTryLockTimesOut() throws Exception {
        MutexArray a = new MutexArray(2);
        a.lock(1);
        long start = System.nanoTime();
        assertFalse(a.tryLock(1, SHORT_MILLIS, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(SHORT_MILLIS));
        assertEquals(0, ParkingLot.queueLength(a, 1));
        assertEquals(MutexAlgorithm.LOCKED, a.state(1), "the last waiter leaving cleared PARKED");
        a.unlock(1);
    }

    /** tryLock(Long.MAX_VALUE, DAYS) waits (without overflowing) until the index is released. */
    @Test
    void maxTimeoutWaitsForever() throws Exception {
        MutexArray a = new MutexArray(1);
        a.lock(0);
        AtomicBoolean result = new AtomicBoolean();
        Thread t = threads.start("waiter", () -> {
            result.set(a.tryLock(0, Long.MAX_VALUE, TimeUnit.DAYS));
            a.unlock(0);
        });
        awaitQueued(a, 0, 1);
        a.unlock(0);
        threads.join(t);
        assertTrue(result.get());
    }

    // ---------------------------------------------------------------------------------------------
    // interrupts

    /** lockInterruptibly and timed tryLock throw at once if interrupted on entry, clearing the status. */
    @Test
    void interruptedOnEntryThrows() {
        MutexArray a = new MutexArray(1);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> a.lockInterruptibly(0));
        assertFalse(Thread.interrupted());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> a.tryLock(0, 1, TimeUnit.SECONDS));
        assertFalse(Thread.interrupted());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> a.asLock(0).lockInterruptibly());
        assertFalse(Thread.interrupted());
        assertFalse(a.isLocked(0), "free, yet not taken");
    }

    /** An interrupt ends lockInterruptibly and timed tryLock while waiting, with the status cleared. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void interruptWhileWaitingThrows(boolean timed) throws Exception {
        MutexArray a = new MutexArray(2);
        a.lock(1);
        AtomicBoolean threw = new AtomicBoolean();
        AtomicBoolean statusAfter = new AtomicBoolean(true);
        Thread t = threads.start("waiter", () -> {
            try {
                if (timed) {
                    a.tryLock(1, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
                } else {
                    a.lockInterruptibly(1);
                }
            } catch (InterruptedException e) {
                threw.set(true);
                statusAfter.set(Thread.currentThread().isInterrupted());
            }
        });
        awaitQueued(a, 1, 1);
        t.interrupt();
        threads.join(t);
        assertTrue(threw.get());
        assertFalse(statusAfter.get());
        assertEquals(0, ParkingLot.queueLength(a, 1));
        a.unlock(1);
        assertEquals(0, a.state(1));
    }

    /** lock() is not ended by an interrupt: it acquires once the index is released and keeps the status. */
    @Test
    void lockIgnoresInterruptButKeepsStatus() throws Exception {
        MutexArray a = new MutexArray(1);
        a.lock(0);
        AtomicBoolean statusAfter = new AtomicBoolean();
        Thread t = threads.start("waiter", () -> {
            a.lock(0);
            statusAfter.set(Thread.currentThread().isInterrupted());
            a.unlock(0);
        });
        awaitQueued(a, 0, 1);
        t.interrupt(); // the parking lot may hide the status while it waits on: poll for the wait instead
        awaitTrue("the waiter waits on", () -> t.getState() == Thread.State.WAITING
                && ParkingLot.queueLength(a, 0) == 1);
        a.unlock(0);
        threads.join(t);
        assertTrue(statusAfter.get());
    }

    // ---------------------------------------------------------------------------------------------
    // neighbours

    /** Holding index i never blocks i - 1 or i + 1: another thread locks and unlocks them at once. */
    @Test
    void lockingAnIndexNeverBlocksItsNeighbours() throws Exception {
        MutexArray a = new MutexArray(8);
        for (int i = 1; i < 7; i++) {
            int index = i;
            a.lock(index);
            threads.join(threads.start("neighbour-" + i, () -> {
                assertTrue(a.tryLock(index - 1));
                assertTrue(a.tryLock(index + 1, 0, TimeUnit.NANOSECONDS));
                a.unlock(index - 1);
                a.unlock(index + 1);
            }));
            assertTrue(a.isLocked(index));
            a.unlock(index);
        }
    }

    /**
     * A waiter parked on index i (PARKED set in its byte) is not disturbed by heavy use of i - 1 and
     * i + 1, nor are they by it: their bytes keep their own bits, and the waiter gets i only when i is
     * unlocked.
     */
    @Test
    void neighboursDoNotDisturbAParkedWaiter() throws Exception {
        MutexArray a = new MutexArray(3);
        a.lock(1);
        AtomicBoolean acquired = new AtomicBoolean();
        Thread waiter = threads.start("waiter", () -> {
            a.lock(1);
            acquired.set(true);
            a.unlock(1);
        });
        awaitQueued(a, 1, 1);
        assertEquals(MutexAlgorithm.LOCKED | MutexAlgorithm.PARKED, a.state(1));
        for (int k = 0; k < 10_000; k++) {
            a.lock(0);
            a.lock(2);
            assertEquals(MutexAlgorithm.LOCKED, a.state(0));
            a.unlock(0);
            a.unlockFair(2);
        }
        assertEquals(0, a.state(0));
        assertEquals(0, a.state(2));
        assertEquals(MutexAlgorithm.LOCKED | MutexAlgorithm.PARKED, a.state(1));
        assertFalse(acquired.get());
        assertEquals(1, ParkingLot.queueLength(a, 1));
        a.unlock(1);
        threads.join(waiter);
        assertTrue(acquired.get());
    }

    // ---------------------------------------------------------------------------------------------
    // virtual threads

    /** Virtual threads contending on a few neighbouring indexes keep every count exact. */
    @Test
    void virtualThreadsContend() throws Exception {
        MutexArray a = new MutexArray(3);
        long[] counts = new long[3];
        int perThread = 2_000;
        int n = 24;
        for (int t = 0; t < n; t++) {
            int index = t % 3;
            threads.startVirtual("vt-" + t, () -> {
                for (int k = 0; k < perThread; k++) {
                    a.lock(index);
                    try {
                        counts[index]++;
                        if (k % 100 == 0) {
                            Thread.yield();
                        }
                    } finally {
                        a.unlock(index);
                    }
                }
            });
        }
        threads.joinAll();
        for (int i = 0; i < 3; i++) {
            a.lock(i); // orders the counts' last writes before these reads
            assertEquals((long) perThread * n / 3, counts[i]);
            a.unlock(i);
        }
    }

    /** A virtual thread parked on an index is woken by its unlock (it unmounts while waiting). */
    @Test
    void virtualThreadWaitsAndIsWoken() throws Exception {
        MutexArray a = new MutexArray(2);
        a.lock(0);
        AtomicBoolean acquired = new AtomicBoolean();
        Thread t = threads.startVirtual("vt", () -> {
            assertTrue(a.asLock(0).tryLock(Long.MAX_VALUE, TimeUnit.NANOSECONDS));
            acquired.set(true);
            a.unlock(0);
        });
        awaitQueued(a, 0, 1);
        a.unlock(0);
        threads.join(t);
        assertTrue(acquired.get());
    }

    // ---------------------------------------------------------------------------------------------
    // Lock views and conditions

    /** Views of one index are distinct objects but equal, share the lock, and differ from other indexes. */
    @Test
    void viewsOfAnIndexAreInterchangeable() {
        MutexArray a = new MutexArray(2);
        Lock v1 = a.asLock(1);
        Lock v2 = a.asLock(1);
        assertNotSame(v1, v2);
        assertEquals(v1, v2);
        assertEquals(v1.hashCode(), v2.hashCode());
        assertNotEquals(v1, a.asLock(0));
        assertNotEquals(v1, new MutexArray(2).asLock(1));
        v1.lock();
        assertTrue(a.isLocked(1));
        assertFalse(v2.tryLock());
        assertTrue(v1.toString().endsWith("[1: Locked]"), v1.toString());
        v2.unlock();
        assertFalse(a.isLocked(1));
    }

    /** A condition of an index: await releases that index (only), signal wakes the waiter, which re-takes it. */
    @Test
    void conditionPerIndex() throws Exception {
        MutexArray a = new MutexArray(2);
        Lock lock = a.asLock(0);
        Condition ready = lock.newCondition();
        AtomicBoolean flag = new AtomicBoolean();
        AtomicBoolean heldAfterWait = new AtomicBoolean();
        Thread t = threads.start("waiter", () -> {
            lock.lock();
            try {
                while (!flag.get()) {
                    ready.await();
                }
                heldAfterWait.set(a.isLocked(0));
            } finally {
                lock.unlock();
            }
        });
        awaitTrue("the waiter waits, index 0 released", () -> t.getState() == Thread.State.WAITING
                && !a.isLocked(0) && ParkingLot.queueLength(ready, 0) == 1);
        a.lock(0);
        flag.set(true);
        ready.signal();
        awaitQueued(a, 0, 1); // signalled while held: requeued onto (a, 0)
        a.unlock(0);
        threads.join(t);
        assertTrue(heldAfterWait.get());
        assertEquals(0, a.state(0));
    }

    /** Awaiting or signalling a condition while its index is not locked throws IllegalMonitorStateException. */
    @Test
    void conditionNeedsTheIndexLocked() {
        MutexArray a = new MutexArray(2);
        Condition c = a.asLock(1).newCondition();
        a.lock(0); // the neighbour being held does not count
        assertThrows(IllegalMonitorStateException.class, c::await);
        assertThrows(IllegalMonitorStateException.class, c::signal);
        assertThrows(IllegalMonitorStateException.class, () -> new Condvar().await(a.asLock(1), 1, TimeUnit.SECONDS));
        a.unlock(0);
        assertEquals(0, a.state(1));
    }

    /**
     * A Condvar treats two views of one index as the same lock (a waiter with one view, another with a
     * second view), refuses a view of another index while they wait, and notifyAll requeues both onto
     * the index, which lets them through one at a time.
     */
    @Test
    void condvarWithViewsOfOneIndex() throws Exception {
        MutexArray a = new MutexArray(2);
        Condvar cv = new Condvar();
        for (int w = 0; w < 2; w++) {
            threads.start("waiter-" + w, () -> {
                Lock view = a.asLock(1);
                view.lock();
                try {
                    cv.await(view);
                    assertTrue(a.isLocked(1));
                } finally {
                    view.unlock();
                }
            });
        }
        awaitTrue("both wait", () -> cv.getWaitQueueLength() == 2);
        a.lock(0);
        assertThrows(IllegalStateException.class, () -> cv.await(a.asLock(0), 1, TimeUnit.MILLISECONDS));
        a.unlock(0);
        a.lock(1);
        assertEquals(2, cv.notifyAllWaiters());
        awaitQueued(a, 1, 2);
        a.unlock(1);
        threads.joinAll();
        assertEquals(0, a.state(1));
        assertEquals(0, a.state(0));
    }

    /** A timed condition wait times out and returns with its index held. */
    @Test
    void timedConditionWaitTimesOut() throws Exception {
        MutexArray a = new MutexArray(1);
        Lock lock = a.asLock(0);
        Condition c = lock.newCondition();
        lock.lock();
        assertFalse(c.await(SHORT_MILLIS, TimeUnit.MILLISECONDS));
        assertTrue(a.isLocked(0));
        assertFalse(c.await(0, TimeUnit.NANOSECONDS));
        lock.unlock();
        assertEquals(0, a.state(0));
    }

    // ---------------------------------------------------------------------------------------------
    // footprint

    /** A MutexArray of 1,000,000 mutexes takes at most 1.1 MB (JOL deep size), also after contention. */
    @Test
    void millionMutexesTakeAtMostOnePointOneMegabytes() throws Exception {
        MutexArray a = new MutexArray(1_000_000);
        long fresh = GraphLayout.parseInstance(a).totalSize();
        assertTrue(fresh <= 1_100_000, "new MutexArray(1_000_000): " + fresh + " bytes");
        a.lock(999_999);
        Thread t = threads.start("waiter", () -> {
            a.lock(999_999);
            a.unlock(999_999);
        });
        awaitQueued(a, 999_999, 1);
        a.unlock(999_999);
        threads.join(t);
        long used = GraphLayout.parseInstance(a).totalSize();
        assertEquals(fresh, used, "contention leaves nothing behind");
        System.out.println("MutexArray(1_000_000): " + fresh + " bytes");
    }
}
