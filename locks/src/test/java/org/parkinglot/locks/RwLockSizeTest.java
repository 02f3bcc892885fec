package org.parkinglot.locks;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.GraphLayout;
import org.parkinglot.core.ParkingLot;

/**
 * Footprint of {@link RawRwLock}, measured with JOL: one object header plus two {@code int}s (the state
 * and the optimistic readers' version), 24 bytes with HotSpot's default 12-byte header and 16 with
 * {@code -XX:+UseCompactObjectHeaders} (8-byte header), fresh and after contention (all queuing lives in
 * the global parking lot, none in the lock). Needs {@code -Djol.magicFieldOffset=true} on JDK 25 (set in
 * the surefire configuration of this module).
 */
class RwLockSizeTest {

    /** The expected size: 24 bytes with the default header, 16 with compact headers. */
    private static final long SIZE = expectedSize();

    /** The header plus two ints, aligned to 8 bytes; checked against the two header sizes HotSpot uses. */
    private static long expectedSize() {
        long header = ClassLayout.parseClass(Object.class).headerSize();
        long size = (header + 2 * Integer.BYTES + 7) & ~7L;
        assertEquals(header == 8 ? 16L : 24L, size, "header " + header);
        return size;
    }

    /** A fresh RawRwLock is 24 bytes (16 with compact headers), shallow and deep. */
    @Test
    @Timeout(60)
    void freshLockIsTwoIntsAndAHeader() {
        assertEquals(SIZE, ClassLayout.parseClass(RawRwLock.class).instanceSize());
        assertEquals(SIZE, GraphLayout.parseInstance(new RawRwLock()).totalSize());
    }

    /** A RawRwLock keeps its size deep after readers, writers and upgraders have queued on both lanes. */
    @Test
    @Timeout(60)
    void contendedLockKeepsItsSize() throws InterruptedException {
        RawRwLock lock = new RawRwLock();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        lock.lockShared();
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < 6; i++) {
            int kind = i % 3;
            Thread t = Thread.ofPlatform().daemon().name("rw-size-" + i).start(() -> {
                try {
                    assertTrue(go.await(20_000, MILLISECONDS));
                    for (int k = 0; k < 200; k++) {
                        switch (kind) {
                            case 0 -> {
                                lock.lockExclusive();
                                lock.unlockExclusive();
                            }
                            case 1 -> {
                                lock.lockUpgradable();
                                lock.upgrade();
                                lock.downgrade();
                                lock.unlockShared();
                            }
                            default -> {
                                lock.lockShared();
                                lock.unlockShared();
                            }
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            threads.add(t);
        }
        go.countDown();
        // hold the read lock until a writer waits for it on lane 1, so both queues have been used
        long deadline = System.nanoTime() + MILLISECONDS.toNanos(20_000);
        while (ParkingLot.queueLength(lock, 1L) == 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(1); // only lets the writers reach the state polled for
        }
        assertEquals(SIZE, GraphLayout.parseInstance(lock).totalSize()); // while threads are queued
        lock.unlockShared();
        for (Thread t : threads) {
            t.join(20_000);
            assertFalse(t.isAlive(), "thread did not finish: " + t);
        }
        assertNull(failure.get());
        assertFalse(lock.isLocked());
        assertEquals(SIZE, GraphLayout.parseInstance(lock).totalSize());
    }
}
