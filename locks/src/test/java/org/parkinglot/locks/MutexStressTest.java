package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.locks.MutexTestSupport.Kind;
import org.parkinglot.locks.MutexTestSupport.TestThreads;

/**
 * A bounded soak test of each mutex: 16 threads (half platform, half virtual) mix lock, tryLock, timed
 * tryLock, lockInterruptibly while interrupting each other, unlockFair and bump (raw mutexes) or
 * reentrant holds (ReentrantMutex), for about {@link #RUN_MILLIS} ms or {@link #MAX_OPS} operations
 * per thread, whichever ends first.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MutexStressTest {

    private static final int THREADS = 16;
    private static final long RUN_MILLIS = 2_000;
    private static final int MAX_OPS = 200_000;

    /** Shared state of one run; {@code counter} is plain and guarded by the mutex under test. */
    private static final class Shared {
        long counter;
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();
        final AtomicLong criticalSections = new AtomicLong();
        final AtomicLong interruptedAcquisitions = new AtomicLong();
        final AtomicLong timedOutAcquisitions = new AtomicLong();

        /** Enters the critical section, noting an overlap if another thread is inside, and bumps the counter. */
        void critical() {
            if (inside.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
            long v = counter;
            if ((v & 7) == 0) {
                Thread.onSpinWait(); // widen the read-modify-write window now and then
            }
            counter = v + 1;
            inside.decrementAndGet();
        }
    }

    /** One worker's loop; returns how many critical sections it ran. */
    private static long work(Lock m, Shared s, AtomicReferenceArray<Thread> workers, long deadline) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        RawMutexBase raw = m instanceof RawMutexBase r ? r : null;
        ReentrantMutex reentrant = m instanceof ReentrantMutex r ? r : null;
        long mine = 0;
        for (int op = 0; op < MAX_OPS && System.nanoTime() - deadline < 0; op++) {
            int choice = rnd.nextInt(16);
            boolean acquired;
            try {
                switch (choice) {
                    case 0, 1, 2, 3, 4 -> {
                        m.lock();
                        acquired = true;
                    }
                    case 5, 6 -> acquired = m.tryLock();
                    case 7, 8, 9 -> {
                        acquired = m.tryLock(rnd.nextLong(1_000, 200_000), TimeUnit.NANOSECONDS);
                        if (!acquired) {
                            s.timedOutAcquisitions.incrementAndGet();
                        }
                    }
                    case 10, 11, 12 -> {
                        m.lockInterruptibly();
                        acquired = true;
                    }
                    case 13 -> {
                        Thread victim = workers.get(rnd.nextInt(THREADS));
                        if (victim != null && victim != Thread.currentThread()) {
                            victim.interrupt();
                        }
                        continue;
                    }
                    default -> {
                        acquired = m.tryLock(0L, TimeUnit.NANOSECONDS);
                    }
                }
            } catch (InterruptedException e) {
                s.interruptedAcquisitions.incrementAndGet();
                continue;
            }
            if (!acquired) {
                continue;
            }
            s.critical();
            mine++;
            int extra = rnd.nextInt(8);
            if (raw != null) {
                if (extra == 0) {
                    raw.bump(); // lets a waiter run a critical section; we hold the lock again afterwards
                    s.critical();
                    mine++;
                }
                if (rnd.nextBoolean()) {
                    raw.unlockFair();
                } else {
                    raw.unlock();
                }
            } else {
                if (extra == 0) {
                    reentrant.lock();
                    s.critical();
                    mine++;
                    assertEquals(2, reentrant.getHoldCount());
                    reentrant.unlock();
                } else if (extra == 1 && reentrant.tryLock()) {
                    s.critical();
                    mine++;
                    reentrant.unlock();
                }
                assertTrue(reentrant.isHeldByCurrentThread());
                reentrant.unlock();
            }
        }
        Thread.interrupted(); // a late interrupt from another worker is of no further interest
        return mine;
    }

    /** Under a mix of every acquisition and release mode, interrupts and platform plus virtual threads, no two threads are ever inside together, the guarded counter is exact, and every thread finishes. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(120)
    void mixedOperationsKeepMutualExclusion(Kind kind) throws Exception {
        Lock m = kind.create();
        Shared s = new Shared();
        AtomicReferenceArray<Thread> workers = new AtomicReferenceArray<>(THREADS);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
        try (TestThreads threads = new TestThreads()) {
            for (int i = 0; i < THREADS; i++) {
                MutexTestSupport.Body body = () -> s.criticalSections.addAndGet(work(m, s, workers, deadline));
                Thread t = i % 2 == 0
                        ? threads.start("platform-" + i, body)
                        : threads.startVirtual("virtual-" + i, body);
                workers.set(i, t);
            }
            threads.joinAll();
        }
        assertEquals(0, s.overlaps.get(), "critical sections overlapped");
        assertEquals(s.criticalSections.get(), s.counter, "guarded counter lost updates");
        assertTrue(s.criticalSections.get() > 0);
        assertFalse(Kind.isLocked(m));
        assertEquals(0, ParkingLot.queueLength(m, 0L));
        assertEquals(0, Kind.mutexBits(m), "waiter bit left set");
        m.lock(); // still usable
        m.unlock();
    }
}
