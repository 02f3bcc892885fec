package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.parkinglot.locks.FieldMutexTest.Layout;
import org.parkinglot.locks.MutexTestSupport.TestThreads;

/**
 * A bounded soak test of {@link FieldMutex}: 8 lockers (half platform, half virtual) mix lock, tryLock,
 * timed tryLock and lockInterruptibly (interrupting each other now and then), unlock, unlockFair and bump
 * on one holder's lock, while a ninth thread flips the user's bits of the same field; for about
 * {@link #RUN_MILLIS} ms or {@link #MAX_OPS} operations per locker. At the end: no overlap, no lost
 * increment, the user's bits as flipped, the lock's bits clear.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FieldMutexStressTest {

    private static final int LOCKERS = 8;
    private static final long RUN_MILLIS = 1_500;
    private static final int MAX_OPS = 200_000;

    /** Shared state of one run; {@code counter} is plain and guarded by the lock under test. */
    private static final class Shared {
        long counter;
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();
        final AtomicLong criticalSections = new AtomicLong();
        final AtomicLong flipped = new AtomicLong();
        volatile boolean lockersDone;
    }

    /** Mutual exclusion and the user's bits hold through a mix of every operation, on int and long fields. */
    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"INT_13", "INT_29", "LONG_0", "LONG_61"})
    void mixedOperationsExcludeAndKeepUserBits(Layout layout) throws Exception {
        FieldMutex m = layout.mutex;
        Object h = layout.newHolder();
        Shared s = new Shared();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
        List<Thread> lockers = new CopyOnWriteArrayList<>(); // read by the lockers while filled
        try (TestThreads threads = new TestThreads()) {
            for (int i = 0; i < LOCKERS; i++) {
                MutexTestSupport.Body body = () -> work(m, h, s, lockers, deadline);
                lockers.add(i % 2 == 0 ? threads.start("locker" + i, body) : threads.startVirtual("locker" + i, body));
            }
            long userBits = layout.userBits();
            Thread flipper = threads.start("flipper", () -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                long mine = 0;
                while (!s.lockersDone) {
                    long bits = rnd.nextLong() & userBits;
                    layout.xor(h, bits);
                    mine ^= bits;
                }
                s.flipped.set(mine);
            });
            for (Thread t : lockers) {
                threads.join(t);
            }
            s.lockersDone = true;
            threads.join(flipper);
        }
        assertEquals(0, s.overlaps.get(), "critical sections overlapped");
        assertEquals(s.criticalSections.get(), s.counter, "lost increments");
        assertTrue(s.criticalSections.get() > 0);
        assertEquals(s.flipped.get(), layout.read(h) & layout.userBits(), "the user's bits");
        assertEquals(0, layout.lockBits(h), "the lock's bits");
    }

    private static void work(FieldMutex m, Object h, Shared s, List<Thread> lockers, long deadline) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int op = 0; op < MAX_OPS && System.nanoTime() - deadline < 0; op++) {
            boolean acquired;
            try {
                acquired = switch (rnd.nextInt(5)) {
                    case 0 -> m.tryLock(h);
                    case 1 -> m.tryLock(h, rnd.nextInt(50), TimeUnit.MICROSECONDS);
                    case 2 -> {
                        m.lockInterruptibly(h);
                        yield true;
                    }
                    default -> {
                        m.lock(h);
                        yield true;
                    }
                };
            } catch (InterruptedException e) {
                continue;
            }
            if (!acquired) {
                continue;
            }
            critical(s);
            int r = rnd.nextInt(16);
            if (r == 0) {
                m.bump(h);
                critical(s);
            } else if (r == 1 && lockers.size() == LOCKERS) {
                lockers.get(rnd.nextInt(LOCKERS)).interrupt(); // maybe ourselves: then the next wait throws
            }
            if (rnd.nextInt(4) == 0) {
                m.unlockFair(h);
            } else {
                m.unlock(h);
            }
        }
        Thread.interrupted(); // a pending interrupt is not a failure
    }

    private static void critical(Shared s) {
        if (s.inside.incrementAndGet() != 1) {
            s.overlaps.incrementAndGet();
        }
        long v = s.counter;
        if ((v & 7) == 0) {
            Thread.onSpinWait();
        }
        s.counter = v + 1;
        s.criticalSections.incrementAndGet();
        s.inside.decrementAndGet();
    }
}
