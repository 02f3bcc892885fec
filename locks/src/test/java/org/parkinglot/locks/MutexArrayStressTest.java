package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.locks.MutexTestSupport.TestThreads;

/**
 * A bounded soak test of {@link MutexArray}: {@value #THREADS} threads (half platform, half virtual) work
 * on {@value #INDEXES} neighbouring indexes (one machine word) with every acquisition mode, fair and
 * unfair unlocks, Lock views, timed condvar waits and notifies, and interrupts of each other, for
 * about {@value #RUN_MILLIS} ms or {@value #MAX_OPS} operations per thread, whichever ends first.
 * Each index's guarded counter must be exact and no two threads may ever be inside one index together.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MutexArrayStressTest {

    private static final int THREADS = 8;
    private static final int INDEXES = 4;
    private static final long RUN_MILLIS = 2_000;
    private static final int MAX_OPS = 100_000;

    /** The state guarded by one index; {@code counter} is plain. */
    private static final class Guarded {
        long counter;
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();
        final AtomicLong criticalSections = new AtomicLong();
        final Condvar condvar = new Condvar();

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
            criticalSections.incrementAndGet();
        }
    }

    /** One worker's loop. */
    private static void work(MutexArray a, Guarded[] guarded, AtomicReferenceArray<Thread> workers, long deadline) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int op = 0; op < MAX_OPS && System.nanoTime() - deadline < 0; op++) {
            int i = rnd.nextInt(INDEXES);
            Guarded g = guarded[i];
            Lock view = a.asLock(i);
            boolean acquired;
            try {
                switch (rnd.nextInt(12)) {
                    case 0, 1, 2 -> {
                        a.lock(i);
                        acquired = true;
                    }
                    case 3 -> {
                        view.lock();
                        acquired = true;
                    }
                    case 4 -> acquired = a.tryLock(i);
                    case 5, 6 -> acquired = a.tryLock(i, rnd.nextLong(1_000, 200_000), TimeUnit.NANOSECONDS);
                    case 7, 8 -> {
                        a.lockInterruptibly(i);
                        acquired = true;
                    }
                    case 9 -> {
                        Thread victim = workers.get(rnd.nextInt(THREADS));
                        if (victim != null && victim != Thread.currentThread()) {
                            victim.interrupt();
                        }
                        continue;
                    }
                    default -> acquired = view.tryLock(0L, TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                continue;
            }
            if (!acquired) {
                continue;
            }
            g.critical();
            int extra = rnd.nextInt(16);
            if (extra == 0) {
                try {
                    g.condvar.await(view, rnd.nextLong(1_000, 100_000), TimeUnit.NANOSECONDS); // held again after
                } catch (InterruptedException e) {
                    // the index is held again: go on
                }
                g.critical();
            } else if (extra == 1) {
                g.condvar.notifyOne();
            } else if (extra == 2) {
                g.condvar.notifyAllWaiters();
            }
            if (rnd.nextBoolean()) {
                a.unlockFair(i);
            } else if (rnd.nextBoolean()) {
                view.unlock();
            } else {
                a.unlock(i);
            }
        }
        Thread.interrupted(); // a late interrupt from another worker is of no further interest
    }

    /**
     * Under every acquisition and release mode, condvar waits, interrupts and platform plus virtual
     * threads on neighbouring indexes, no two threads are ever inside one index together, each counter is
     * exact, every thread finishes, and every index ends unlocked with nobody queued.
     */
    @Test
    void neighbouringIndexesKeepMutualExclusion() throws Exception {
        MutexArray a = new MutexArray(INDEXES);
        Guarded[] guarded = new Guarded[INDEXES];
        for (int i = 0; i < INDEXES; i++) {
            guarded[i] = new Guarded();
        }
        AtomicReferenceArray<Thread> workers = new AtomicReferenceArray<>(THREADS);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
        try (TestThreads threads = new TestThreads()) {
            for (int t = 0; t < THREADS; t++) {
                MutexTestSupport.Body body = () -> work(a, guarded, workers, deadline);
                String name = "worker-" + t;
                workers.set(t, t % 2 == 0 ? threads.start(name, body) : threads.startVirtual(name, body));
            }
            threads.joinAll();
        }
        for (int i = 0; i < INDEXES; i++) {
            Guarded g = guarded[i];
            a.lock(i); // orders the workers' last plain writes before the read of counter
            try {
                assertEquals(0, g.overlaps.get(), "overlaps on index " + i);
                assertEquals(g.criticalSections.get(), g.counter, "counter of index " + i);
            } finally {
                a.unlock(i);
            }
            assertEquals(0, a.state(i) & (MutexAlgorithm.LOCKED | MutexAlgorithm.WOKEN), "state of index " + i);
            assertEquals(0, ParkingLot.queueLength(a, i), "queue of index " + i);
            assertEquals(0, g.condvar.getWaitQueueLength(), "condvar of index " + i);
        }
    }
}
