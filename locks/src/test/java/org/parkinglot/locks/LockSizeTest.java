package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parkinglot.locks.MutexTestSupport.awaitQueued;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openjdk.jol.info.GraphLayout;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.locks.MutexTestSupport.Kind;
import org.parkinglot.locks.MutexTestSupport.TestThreads;

/**
 * Footprints measured with JOL (deep size: the object and everything it references) on the JVM's
 * default flags: the locks stay as small as documented, also after they have been contended (all the
 * queuing state lives in the global parking lot, none is left behind in the lock).
 *
 * <p>Needs {@code -Djol.magicFieldOffset=true} with JOL 0.17 on JDK 25 (set in the surefire argLine).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LockSizeTest {

    /** The deep size of {@code o} in bytes. */
    private static long deepSize(Object o) {
        return GraphLayout.parseInstance(o).totalSize();
    }

    /** Makes threads queue on {@code m} (parked in the parking lot), then lets them all through; returns with {@code m} free. */
    private static void contend(Lock m) throws InterruptedException {
        int n = 4;
        m.lock();
        try (TestThreads threads = new TestThreads()) {
            for (int i = 0; i < n; i++) {
                threads.start("contender-" + i, () -> {
                    for (int k = 0; k < 100; k++) {
                        m.lock();
                        m.unlock();
                    }
                });
            }
            MutexTestSupport.awaitTrue("a contender is parked", () -> ParkingLot.queueLength(m, 0L) > 0);
            m.unlock();
            threads.joinAll();
        }
        assertFalse(Kind.isLocked(m));
        assertEquals(0, ParkingLot.queueLength(m, 0L));
    }

    /** Runs a wait on {@code cv} with {@code m} that is notified while {@code m} is held (requeue), then a timed-out wait. */
    private static void useCondvar(Condvar cv, Lock m) throws InterruptedException {
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("waiter", () -> {
                m.lock();
                try {
                    cv.await(m);
                } finally {
                    m.unlock();
                }
            });
            MutexTestSupport.awaitTrue("the waiter waits", () -> cv.getWaitQueueLength() == 1);
            m.lock();
            assertEquals(1, cv.notifyAllWaiters());
            awaitQueued(m, 1);
            m.unlock();
            threads.join(t);
        }
        m.lock();
        assertFalse(cv.await(m, 1, TimeUnit.MILLISECONDS));
        m.unlock();
    }

    /** A new RawMutex and a new RawFairMutex take 16 bytes. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "RAW_FAIR"})
    @Timeout(30)
    void rawMutexIs16Bytes(Kind kind) {
        assertEquals(16, deepSize(kind.create()));
    }

    /** A RawMutex or RawFairMutex still takes 16 bytes after threads have queued on it and a condvar has requeued onto it. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "RAW_FAIR"})
    @Timeout(30)
    void rawMutexIs16BytesAfterContention(Kind kind) throws Exception {
        Lock m = kind.create();
        contend(m);
        useCondvar(new Condvar(), m);
        assertEquals(16, deepSize(m));
    }

    /** A ReentrantMutex, fair or not, takes at most 24 bytes, also after contention and reentrant use (unlocked). */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"REENTRANT", "REENTRANT_FAIR"})
    @Timeout(30)
    void reentrantMutexIsAtMost24Bytes(Kind kind) throws Exception {
        ReentrantMutex m = (ReentrantMutex) kind.create();
        long fresh = deepSize(m);
        assertTrue(fresh <= 24, "new ReentrantMutex: " + fresh + " bytes");
        contend(m);
        m.lock();
        m.lock();
        m.unlock();
        m.unlock();
        useCondvar(new Condvar(), m);
        long used = deepSize(m);
        assertTrue(used <= 24, "contended ReentrantMutex: " + used + " bytes");
    }

    /** A Condvar takes at most 16 bytes, new and after waits (notified and timed out) have come and gone. */
    @Test
    @Timeout(30)
    void condvarIsAtMost16Bytes() throws Exception {
        Condvar cv = new Condvar();
        long fresh = deepSize(cv);
        assertTrue(fresh <= 16, "new Condvar: " + fresh + " bytes");
        useCondvar(cv, new RawMutex());
        useCondvar(cv, new ReentrantMutex());
        long used = deepSize(cv);
        assertTrue(used <= 16, "used Condvar: " + used + " bytes");
    }
}
