package org.parkinglot.benchmarks.strawman;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parkinglot.benchmarks.LockType;
import org.parkinglot.core.ParkingLot;

/** The straw-man locks are real locks: mutual exclusion, no lost wake-ups, misuse detected. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StrawLocksTest {

    private static final int THREADS = 4;
    private static final int ROUNDS = 20_000;

    /** A plain counter incremented under the lock; exact only if the lock excludes. */
    private static final class Counter {
        long value;
    }

    /** A fresh lock of every straw man of the registry. */
    static Stream<StrawLock> strawMen() {
        return Stream.of(LockType.values()).filter(t -> t.kind() == LockType.Kind.STRAW_MAN)
                .map(t -> (StrawLock) t.newLock());
    }

    /** The registry's straw men are exactly the four of this package. */
    @Test
    void registryHasEveryStrawMan() {
        assertEquals(List.of(FloorLock.class, SpinLock.class, UnparkAllLock.class, BargingMutex.class),
                strawMen().map(Object::getClass).toList());
    }

    /** Four threads' unsynchronized increments under the lock add up exactly, every thread finishes, the lock ends free. */
    @ParameterizedTest
    @MethodSource("strawMen")
    void excludesAndLosesNoWaiter(StrawLock lock) throws InterruptedException {
        Counter counter = new Counter();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        try {
            for (int t = 0; t < THREADS; t++) {
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < ROUNDS; i++) {
                        lock.lock();
                        try {
                            counter.value++;
                        } finally {
                            lock.unlock();
                        }
                    }
                });
                threads.add(th);
                th.start();
            }
            start.countDown();
            for (Thread th : threads) {
                th.join(TimeUnit.SECONDS.toMillis(50));
                assertFalse(th.isAlive(), "a thread is stuck");
            }
        } finally {
            for (Thread th : threads) {
                th.interrupt();
            }
        }
        assertEquals((long) THREADS * ROUNDS, counter.value);
        assertFalse(lock.isLocked());
        assertEquals(0, ParkingLot.queueLength(lock, 0L));
    }

    /** Unlocking a straw man that is not held throws IllegalMonitorStateException and leaves it free and usable. */
    @ParameterizedTest
    @MethodSource("strawMen")
    void unlockUnheldThrows(StrawLock lock) {
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
        assertFalse(lock.isLocked());
        lock.lock();
        assertTrue(lock.isLocked());
        lock.unlock();
        assertFalse(lock.isLocked());
    }

    /** UnparkAllLock's unlock wakes every parked waiter: two parked threads both get the lock after one unlock. */
    @Test
    void unparkAllWakesEveryone() throws InterruptedException {
        assertEquals(2, parkedWaitersAllAcquire(new UnparkAllLock(), 2));
    }

    /** A thread parked in BargingMutex.lock() is woken by unlock() and acquires the mutex (no lost wake-up). */
    @Test
    void bargingMutexWakesAParkedWaiter() throws InterruptedException {
        assertEquals(1, parkedWaitersAllAcquire(new BargingMutex(), 1));
    }

    /**
     * Holds {@code lock}, lets {@code waiters} threads park on it, checks none got in, unlocks once and
     * waits until every waiter has had the lock.
     *
     * @return how many waiters acquired
     */
    private static int parkedWaitersAllAcquire(StrawLock lock, int waiters) throws InterruptedException {
        lock.lock();
        CountDownLatch acquired = new CountDownLatch(waiters);
        List<Thread> threads = new ArrayList<>();
        try {
            for (int t = 0; t < waiters; t++) {
                Thread th = new Thread(() -> {
                    lock.lock();
                    lock.unlock();
                    acquired.countDown();
                });
                threads.add(th);
                th.start();
            }
            while (ParkingLot.queueLength(lock, 0L) < waiters) { // poll until all are parked
                Thread.sleep(1);
            }
            assertTrue(lock.isLocked());
            assertEquals(waiters, acquired.getCount(), "acquired while held");
            lock.unlock();
            assertTrue(acquired.await(30, TimeUnit.SECONDS), "a parked waiter was not woken");
            assertEquals(0, ParkingLot.queueLength(lock, 0L));
        } finally {
            for (Thread th : threads) {
                th.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        assertFalse(lock.isLocked());
        return waiters - (int) acquired.getCount();
    }
}
