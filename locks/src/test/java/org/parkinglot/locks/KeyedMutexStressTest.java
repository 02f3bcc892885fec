package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.parkinglot.locks.KeyedMutexTest.Key;
import org.parkinglot.locks.MutexTestSupport.TestThreads;

/**
 * A bounded soak of {@link KeyedMutex}: 8 threads (half virtual) over 24 keys whose hash codes collide in
 * threes, mixing lock, tryLock, timed tryLock, lockInterruptibly (with the threads interrupting each
 * other) and lockAll of 2-4 keys, for about {@link #RUN_MILLIS} ms. Each key has a plain counter and an
 * "inside" count: no two threads are ever inside one key, every increment survives, and no entry is
 * left behind.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KeyedMutexStressTest {

    private static final int THREADS = 8;
    private static final int KEYS = 24;
    private static final long RUN_MILLIS = 2_000;

    /** Mixed operations on colliding keys keep exclusion and counts, and leave no entry. */
    @Test
    void soak() throws Exception {
        KeyedMutex<Key> mutex = new KeyedMutex<>(4);
        long[] counters = new long[KEYS];
        AtomicIntegerArray inside = new AtomicIntegerArray(KEYS);
        AtomicLong overlaps = new AtomicLong();
        AtomicLong sections = new AtomicLong();
        AtomicReferenceArray<Thread> workers = new AtomicReferenceArray<>(THREADS);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
        try (TestThreads threads = new TestThreads()) {
            for (int t = 0; t < THREADS; t++) {
                int me = t;
                MutexTestSupport.Body body = () -> {
                    workers.set(me, Thread.currentThread());
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    while (System.nanoTime() - deadline < 0) {
                        int op = rnd.nextInt(10);
                        if (op == 9) {
                            Thread victim = workers.get(rnd.nextInt(THREADS));
                            if (victim != null && victim != Thread.currentThread()) {
                                victim.interrupt();
                            }
                            continue;
                        }
                        if (op >= 7) {
                            List<Key> keys = new ArrayList<>();
                            for (int i = 2 + rnd.nextInt(3); i > 0; i--) {
                                keys.add(key(rnd.nextInt(KEYS)));
                            }
                            mutex.lockAll(keys);
                            try {
                                for (Key k : keys) {
                                    enter(k.id(), counters, inside, overlaps, sections);
                                }
                            } finally {
                                mutex.unlockAll(keys);
                            }
                            continue;
                        }
                        int id = rnd.nextInt(KEYS);
                        boolean got;
                        try {
                            got = switch (op) {
                                case 0, 1, 2 -> {
                                    mutex.lock(key(id));
                                    yield true;
                                }
                                case 3, 4 -> mutex.tryLock(key(id));
                                case 5 -> mutex.tryLock(key(id), rnd.nextInt(50), TimeUnit.MICROSECONDS);
                                default -> {
                                    mutex.lockInterruptibly(key(id));
                                    yield true;
                                }
                            };
                        } catch (InterruptedException e) {
                            continue;
                        }
                        if (got) {
                            try {
                                enter(id, counters, inside, overlaps, sections);
                            } finally {
                                mutex.unlock(key(id));
                            }
                        }
                    }
                    Thread.interrupted();
                };
                if (t % 2 == 0) {
                    threads.start("soak-" + t, body);
                } else {
                    threads.startVirtual("soak-" + t, body);
                }
            }
            threads.joinAll();
        }
        assertEquals(0, overlaps.get(), "two threads inside one key");
        long total = 0;
        for (long c : counters) {
            total += c;
        }
        assertEquals(sections.get(), total, "lost increments");
        assertTrue(sections.get() > 0);
        assertEquals(0, mutex.entryCount(), "entries left behind");
    }

    /** A fresh key object equal to key {@code id}; ids collide in hash code in threes. */
    private static Key key(int id) {
        return new Key(id, id / 3);
    }

    private static void enter(int id, long[] counters, AtomicIntegerArray inside, AtomicLong overlaps,
                              AtomicLong sections) {
        if (inside.incrementAndGet(id) != 1) {
            overlaps.incrementAndGet();
        }
        long v = counters[id];
        if ((v & 3) == 0) {
            Thread.onSpinWait();
        }
        counters[id] = v + 1;
        inside.decrementAndGet(id);
        sections.incrementAndGet();
    }
}
