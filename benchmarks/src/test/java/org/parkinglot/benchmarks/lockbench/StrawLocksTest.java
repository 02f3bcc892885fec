package org.parkinglot.benchmarks.lockbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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

    private static void hammer(Runnable lock, Runnable unlock) throws InterruptedException {
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
                        lock.run();
                        try {
                            counter.value++;
                        } finally {
                            unlock.run();
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
    }

    /** SpinLock excludes: four threads' unsynchronized increments under it add up exactly. */
    @Test
    void spinLockExcludes() throws InterruptedException {
        SpinLock lock = new SpinLock();
        hammer(lock::lock, lock::unlock);
        assertFalse(lock.isLocked());
    }

    /** UnparkAllLock excludes and loses no waiter: four threads' increments add up exactly and every thread finishes. */
    @Test
    void unparkAllLockExcludes() throws InterruptedException {
        UnparkAllLock lock = new UnparkAllLock();
        hammer(lock::lock, lock::unlock);
        assertFalse(lock.isLocked());
    }

    /** Unlocking a straw-man lock that is not held throws IllegalMonitorStateException. */
    @Test
    void unlockUnheld() {
        assertThrows(IllegalMonitorStateException.class, () -> new SpinLock().unlock());
        assertThrows(IllegalMonitorStateException.class, () -> new UnparkAllLock().unlock());
    }

    /** UnparkAllLock's unlock wakes every parked waiter: two parked threads both get the lock after one unlock. */
    @Test
    void unparkAllWakesEveryone() throws InterruptedException {
        UnparkAllLock lock = new UnparkAllLock();
        lock.lock();
        CountDownLatch acquired = new CountDownLatch(2);
        List<Thread> waiters = new ArrayList<>();
        try {
            for (int t = 0; t < 2; t++) {
                Thread th = new Thread(() -> {
                    lock.lock();
                    lock.unlock();
                    acquired.countDown();
                });
                waiters.add(th);
                th.start();
            }
            while (ParkingLot.queueLength(lock, 0L) < 2) { // poll until both are parked
                Thread.sleep(1);
            }
            assertTrue(lock.isLocked());
            assertEquals(2, acquired.getCount());
            lock.unlock();
            assertTrue(acquired.await(30, TimeUnit.SECONDS));
            assertEquals(0, ParkingLot.queueLength(lock, 0L));
        } finally {
            for (Thread th : waiters) {
                th.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        assertFalse(lock.isLocked());
    }
}
