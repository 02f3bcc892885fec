package org.parkinglot.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.parkinglot.core.ParkingLot;

/** Unit tests of the straw man {@link BargingMutex}: it must still be a correct mutex. */
class BargingMutexTest {

    /** Increments per thread. */
    private static final int INCREMENTS = 500_000;

    /** Two threads incrementing a plain field under the mutex lose no increment, and the mutex ends free. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void excludesUnderContention() throws Exception {
        BargingMutex mutex = new BargingMutex();
        long[] counter = new long[1];
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable hammer = () -> {
            try {
                start.await();
                for (int i = 0; i < INCREMENTS; i++) {
                    mutex.lock();
                    try {
                        counter[0]++;
                    } finally {
                        mutex.unlock();
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
        Thread a = new Thread(hammer, "barging-a");
        Thread b = new Thread(hammer, "barging-b");
        a.start();
        b.start();
        try {
            start.countDown();
        } finally {
            a.join();
            b.join();
        }
        assertNull(failure.get());
        assertEquals(2L * INCREMENTS, counter[0]);
        assertFalse(mutex.isLocked());
        assertEquals(0, ParkingLot.queueLength(mutex, 0L));
    }

    /** A thread parked in lock() is woken by unlock() and acquires the mutex (no lost wake-up). */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void unlockWakesAParkedWaiter() throws Exception {
        BargingMutex mutex = new BargingMutex();
        mutex.lock();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch acquired = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try {
                mutex.lock();
                acquired.countDown();
                mutex.unlock();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "barging-waiter");
        waiter.start();
        try {
            while (ParkingLot.queueLength(mutex, 0L) != 1) {
                Thread.sleep(1); // poll until the waiter sleeps in the parking lot
            }
            assertEquals(1L, acquired.getCount(), "acquired while held");
            mutex.unlock();
            assertTrue(acquired.await(20, TimeUnit.SECONDS), "parked waiter was not woken");
        } finally {
            waiter.join(TimeUnit.SECONDS.toMillis(20));
            if (waiter.isAlive()) {
                waiter.interrupt();
            }
        }
        assertFalse(waiter.isAlive());
        assertNull(failure.get());
        assertFalse(mutex.isLocked());
        assertEquals(0, ParkingLot.queueLength(mutex, 0L));
    }

    /** Unlocking a free mutex throws IllegalMonitorStateException and leaves it free and usable. */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void unlockOfFreeMutexThrows() {
        BargingMutex mutex = new BargingMutex();
        assertThrows(IllegalMonitorStateException.class, mutex::unlock);
        assertFalse(mutex.isLocked());
        mutex.lock();
        assertTrue(mutex.isLocked());
        mutex.unlock();
        assertFalse(mutex.isLocked());
    }
}
