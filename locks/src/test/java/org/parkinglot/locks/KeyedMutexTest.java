package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parkinglot.locks.MutexTestSupport.awaitTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.parkinglot.locks.MutexTestSupport.TestThreads;

/** The contract of {@link KeyedMutex}: per-key exclusion by equality, timeouts, interrupts, misuse, lockAll. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeyedMutexTest {

    /** A key equal by {@code id} whose hash code is chosen freely (to make collisions). */
    record Key(int id, int hash) {
        static Key of(int id) {
            return new Key(id, id);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.id == id;
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final TestThreads threads = new TestThreads();
    private final KeyedMutex<Object> mutex = new KeyedMutex<>();

    @AfterEach
    void tearDown() {
        threads.close();
    }

    /** Waits until {@code t} is parked (WAITING or TIMED_WAITING). */
    private static void awaitParked(Thread t) throws InterruptedException {
        awaitTrue(t.getName() + " parks", () -> {
            Thread.State s = t.getState();
            return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
        });
    }

    /** Starts a thread that locks {@code key} and holds it until {@code release} opens; returns once it holds it. */
    private Thread holdInOtherThread(Object key, CountDownLatch release) throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        Thread t = threads.start("holder-" + key, () -> {
            mutex.lock(key);
            try {
                holding.countDown();
                release.await();
            } finally {
                mutex.unlock(key);
            }
        });
        holding.await();
        return t;
    }

    /** lock then unlock leaves nothing behind; isLocked and isHeldByCurrentThread follow. */
    @Test
    void lockUnlockLeavesNoEntry() {
        assertFalse(mutex.isLocked("a"));
        mutex.lock("a");
        assertTrue(mutex.isLocked("a"));
        assertTrue(mutex.isHeldByCurrentThread("a"));
        assertFalse(mutex.isLocked("b"));
        assertEquals(1, mutex.entryCount());
        mutex.unlock("a");
        assertFalse(mutex.isLocked("a"));
        assertEquals(0, mutex.entryCount());
    }

    /** Distinct but equal key objects exclude each other. */
    @Test
    void equalKeysExclude() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = holdInOtherThread(new Key(7, 7), release);
        assertTrue(mutex.isLocked(new Key(7, 7)));
        assertFalse(mutex.tryLock(new Key(7, 7)));
        assertFalse(mutex.tryLock(new Key(7, 7), 10, TimeUnit.MILLISECONDS));
        assertFalse(mutex.isHeldByCurrentThread(new Key(7, 7)));
        assertEquals(1, mutex.entryCount(), "the timed-out waiter counted itself out");
        release.countDown();
        threads.join(holder);
        assertTrue(mutex.tryLock(new Key(7, 7)));
        mutex.unlock(new Key(7, 7));
        assertEquals(0, mutex.entryCount());
    }

    /** Distinct keys with the same hash code never block each other. */
    @Test
    void collidingDistinctKeysDoNotBlock() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        holdInOtherThread(new Key(1, 42), release);
        assertTrue(mutex.tryLock(new Key(2, 42)));
        Thread other = threads.start("other", () -> {
            mutex.lock(new Key(3, 42)); // would hang (until the test times out) if collisions blocked
            mutex.unlock(new Key(3, 42));
        });
        threads.join(other);
        mutex.unlock(new Key(2, 42));
        assertTrue(mutex.isLocked(new Key(1, 42)));
        release.countDown();
        threads.joinAll();
        assertEquals(0, mutex.entryCount());
    }

    /** A waiter acquires the key when the holder releases it, and sees the holder's writes. */
    @Test
    void waiterAcquiresOnUnlock() throws Exception {
        int[] data = new int[1];
        mutex.lock("k");
        AtomicInteger seen = new AtomicInteger(-1);
        Thread waiter = threads.start("waiter", () -> {
            mutex.lock(new String("k"));
            try {
                seen.set(data[0]);
            } finally {
                mutex.unlock("k");
            }
        });
        awaitParked(waiter);
        data[0] = 42;
        mutex.unlock("k");
        threads.join(waiter);
        assertEquals(42, seen.get());
        assertEquals(0, mutex.entryCount());
    }

    /** A zero or negative timeout tries once and does not wait. */
    @Test
    void zeroAndNegativeTimeoutsTryOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        holdInOtherThread("k", release);
        long start = System.nanoTime();
        assertFalse(mutex.tryLock("k", 0, TimeUnit.NANOSECONDS));
        assertFalse(mutex.tryLock("k", -5, TimeUnit.DAYS));
        assertFalse(mutex.tryLock("k", Long.MIN_VALUE, TimeUnit.NANOSECONDS));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        assertTrue(mutex.tryLock("free", 0, TimeUnit.SECONDS));
        mutex.unlock("free");
        release.countDown();
    }

    /** tryLock(Long.MAX_VALUE, DAYS) waits (forever) and succeeds when the key is released. */
    @Test
    void maxTimeoutWaitsUntilReleased() throws Exception {
        mutex.lock("k");
        AtomicBoolean got = new AtomicBoolean();
        Thread waiter = threads.start("waiter", () -> {
            got.set(mutex.tryLock("k", Long.MAX_VALUE, TimeUnit.DAYS));
            mutex.unlock("k");
        });
        awaitParked(waiter);
        assertEquals(1, mutex.entryCount(), "one entry: the holder and the waiter share it");
        mutex.unlock("k");
        threads.join(waiter);
        assertTrue(got.get());
        assertEquals(0, mutex.entryCount());
    }

    /** A timed wait times out no earlier than asked and leaves the entry to the holder. */
    @Test
    void timedWaitTimesOut() throws Exception {
        mutex.lock("k");
        AtomicLong waited = new AtomicLong();
        AtomicBoolean got = new AtomicBoolean(true);
        Thread waiter = threads.startVirtual("waiter", () -> {
            long start = System.nanoTime();
            got.set(mutex.tryLock("k", 20, TimeUnit.MILLISECONDS));
            waited.set(System.nanoTime() - start);
        });
        threads.join(waiter);
        assertFalse(got.get());
        assertTrue(waited.get() >= TimeUnit.MILLISECONDS.toNanos(20), "waited " + waited.get() + " ns");
        assertTrue(mutex.isHeldByCurrentThread("k"));
        mutex.unlock("k");
        assertEquals(0, mutex.entryCount());
    }

    /** lockInterruptibly throws when interrupted while waiting, clears the status, and counts out. */
    @Test
    void lockInterruptiblyIsInterruptible() throws Exception {
        mutex.lock("k");
        AtomicBoolean threw = new AtomicBoolean();
        AtomicBoolean statusAfter = new AtomicBoolean(true);
        Thread waiter = threads.start("waiter", () -> {
            try {
                mutex.lockInterruptibly("k");
            } catch (InterruptedException e) {
                threw.set(true);
                statusAfter.set(Thread.currentThread().isInterrupted());
            }
        });
        awaitParked(waiter);
        waiter.interrupt();
        threads.join(waiter);
        assertTrue(threw.get());
        assertFalse(statusAfter.get());
        mutex.unlock("k");
        assertEquals(0, mutex.entryCount());
    }

    /** Timed tryLock throws when interrupted while waiting, and when interrupted on entry even if free. */
    @Test
    void timedTryLockIsInterruptible() throws Exception {
        mutex.lock("k");
        AtomicBoolean threw = new AtomicBoolean();
        Thread waiter = threads.startVirtual("waiter", () -> {
            try {
                mutex.tryLock("k", 1, TimeUnit.DAYS);
            } catch (InterruptedException e) {
                threw.set(true);
            }
        });
        awaitParked(waiter);
        waiter.interrupt();
        threads.join(waiter);
        assertTrue(threw.get());
        mutex.unlock("k");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> mutex.tryLock("free", 1, TimeUnit.SECONDS));
        assertFalse(Thread.interrupted());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> mutex.lockInterruptibly("free"));
        assertFalse(Thread.interrupted());
        assertEquals(0, mutex.entryCount());
    }

    /** lock() ignores interrupts while waiting and keeps the status. */
    @Test
    void lockIgnoresInterruptKeepsStatus() throws Exception {
        mutex.lock("k");
        AtomicBoolean status = new AtomicBoolean();
        Thread waiter = threads.start("waiter", () -> {
            mutex.lock("k");
            status.set(Thread.currentThread().isInterrupted());
            mutex.unlock("k");
        });
        awaitParked(waiter);
        waiter.interrupt();
        awaitParked(waiter); // still waiting
        mutex.unlock("k");
        threads.join(waiter);
        assertTrue(status.get());
    }

    /** Null keys are rejected with a NullPointerException naming the argument. */
    @Test
    void nullKeys() {
        assertThrows(NullPointerException.class, () -> mutex.lock(null));
        assertThrows(NullPointerException.class, () -> mutex.lockInterruptibly(null));
        assertThrows(NullPointerException.class, () -> mutex.tryLock(null));
        assertThrows(NullPointerException.class, () -> mutex.tryLock(null, 1, TimeUnit.SECONDS));
        assertThrows(NullPointerException.class, () -> mutex.tryLock("k", 1, null));
        assertThrows(NullPointerException.class, () -> mutex.unlock(null));
        assertThrows(NullPointerException.class, () -> mutex.isLocked(null));
        assertThrows(NullPointerException.class, () -> mutex.asLock(null));
        assertThrows(NullPointerException.class, () -> mutex.lockAll(null));
        assertThrows(NullPointerException.class, () -> mutex.lockAll(Arrays.asList("a", null)));
        assertEquals("key", assertThrows(NullPointerException.class, () -> mutex.lock(null)).getMessage());
        assertEquals(0, mutex.entryCount());
    }

    /** Unlocking a key not held, or held by another thread, is an IllegalMonitorStateException and changes nothing. */
    @Test
    void unlockNotHeld() throws Exception {
        assertThrows(IllegalMonitorStateException.class, () -> mutex.unlock("k"));
        CountDownLatch release = new CountDownLatch(1);
        holdInOtherThread("k", release);
        assertThrows(IllegalMonitorStateException.class, () -> mutex.unlock("k"));
        assertTrue(mutex.isLocked("k"));
        release.countDown();
        threads.joinAll();
        assertEquals(0, mutex.entryCount());
    }

    /** Re-locking a key the thread holds: lock methods throw IllegalStateException, tryLock methods return false. */
    @Test
    void relockBySameThread() throws Exception {
        mutex.lock(new Key(1, 1));
        assertThrows(IllegalStateException.class, () -> mutex.lock(new Key(1, 1)));
        assertThrows(IllegalStateException.class, () -> mutex.lockInterruptibly(new Key(1, 1)));
        assertFalse(mutex.tryLock(new Key(1, 1)));
        long start = System.nanoTime();
        assertFalse(mutex.tryLock(new Key(1, 1), 1, TimeUnit.DAYS));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "returned at once");
        assertThrows(IllegalStateException.class, () -> mutex.lockAll(List.of(new Key(0, 0), new Key(1, 1))));
        assertFalse(mutex.isLocked(new Key(0, 0)), "lockAll released what it took");
        assertEquals(1, mutex.entryCount());
        mutex.unlock(new Key(1, 1));
        assertEquals(0, mutex.entryCount());
    }

    /** lockAll locks each distinct key once; unlockAll releases them; unlockAll checks every key first. */
    @Test
    void lockAllAndUnlockAll() {
        List<Object> keys = List.of(new Key(1, 5), new Key(2, 5), new Key(1, 5), "x", new Key(3, 9), "x");
        mutex.lockAll(keys);
        assertEquals(4, mutex.entryCount());
        for (Object k : keys) {
            assertTrue(mutex.isHeldByCurrentThread(k));
        }
        assertThrows(IllegalMonitorStateException.class, () -> mutex.unlockAll(List.of("x", "not held")));
        assertTrue(mutex.isHeldByCurrentThread("x"), "nothing released");
        mutex.unlockAll(keys);
        assertEquals(0, mutex.entryCount());
        mutex.lockAll(List.of());
        mutex.unlockAll(List.of());
    }

    /** lockAll in a thread waits for a key another thread holds, then holds them all. */
    @Test
    void lockAllWaits() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        holdInOtherThread(new Key(2, 5), release);
        AtomicBoolean done = new AtomicBoolean();
        Thread t = threads.startVirtual("lockAll", () -> {
            List<Key> keys = List.of(new Key(1, 5), new Key(2, 5), new Key(3, 5), new Key(4, 1));
            mutex.lockAll(keys);
            done.set(true);
            mutex.unlockAll(keys);
        });
        awaitParked(t);
        assertFalse(done.get());
        release.countDown();
        threads.joinAll();
        assertTrue(done.get());
        assertEquals(0, mutex.entryCount());
    }

    /** lockAll against lockAll with overlapping sets in opposite orders, colliding hashes included, never deadlocks. */
    @Test
    void lockAllVersusLockAllNoDeadlock() throws Exception {
        List<Key> forward = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            forward.add(new Key(i, i % 2)); // two groups of three colliding keys
        }
        int[] counter = new int[1];
        int rounds = 3_000;
        for (int t = 0; t < 4; t++) {
            boolean reversed = t % 2 == 1;
            boolean virtual = t >= 2;
            MutexTestSupport.Body body = () -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int r = 0; r < rounds; r++) {
                    List<Key> keys = new ArrayList<>(forward.subList(rnd.nextInt(2), 4 + rnd.nextInt(3)));
                    if (reversed) {
                        Collections.reverse(keys);
                    } else {
                        Collections.shuffle(keys, rnd);
                    }
                    mutex.lockAll(keys);
                    try {
                        counter[0]++; // key 2 and 3 are in every set: the sets always overlap
                    } finally {
                        mutex.unlockAll(keys);
                    }
                }
            };
            if (virtual) {
                threads.startVirtual("lockAll-" + t, body);
            } else {
                threads.start("lockAll-" + t, body);
            }
        }
        threads.joinAll();
        assertEquals(4 * rounds, counter[0]);
        assertEquals(0, mutex.entryCount());
    }

    /** The Lock view calls the keyed methods; newCondition is not supported. */
    @Test
    void lockView() throws Exception {
        Lock view = mutex.asLock("k");
        view.lock();
        assertTrue(mutex.isHeldByCurrentThread("k"));
        assertFalse(mutex.asLock("k").tryLock());
        view.unlock();
        assertTrue(view.tryLock(1, TimeUnit.SECONDS));
        view.unlock();
        view.lockInterruptibly();
        view.unlock();
        assertThrows(UnsupportedOperationException.class, view::newCondition);
        assertThrows(IllegalMonitorStateException.class, view::unlock);
    }

    /** Many virtual threads each hold a distinct key at once; chains stay short; everything is gone afterwards. */
    @Test
    void manyVirtualThreadsHoldDistinctKeys() throws Exception {
        int n = 10_000;
        CountDownLatch holding = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < n; i++) {
            int id = i;
            threads.startVirtual("vt-" + i, () -> {
                mutex.lock(Key.of(id));
                try {
                    holding.countDown();
                    release.await();
                } finally {
                    mutex.unlock(Key.of(id));
                }
            });
        }
        holding.await();
        assertEquals(n, mutex.entryCount());
        assertTrue(mutex.longestChain() <= 8, "longest chain " + mutex.longestChain());
        release.countDown();
        threads.joinAll();
        assertEquals(0, mutex.entryCount());
    }

    /** 100,000 distinct keys held at once by one thread: chains stay short. */
    @Test
    void hundredThousandKeysKeepChainsShort() {
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            mutex.lock(i);
        }
        assertEquals(n, mutex.entryCount());
        int longest = mutex.longestChain();
        assertTrue(longest <= 10, "longest chain " + longest);
        for (int i = 0; i < n; i++) {
            mutex.unlock(i);
        }
        assertEquals(0, mutex.entryCount());
    }

    /** The stripe count is a power of two, from 1 up; out-of-range counts are refused. */
    @Test
    void stripeCounts() {
        assertEquals(1, new KeyedMutex<>(1).stripeCount());
        assertEquals(8, new KeyedMutex<>(5).stripeCount());
        assertEquals(KeyedMutex.MAX_STRIPES, new KeyedMutex<>(KeyedMutex.MAX_STRIPES).stripeCount());
        assertThrows(IllegalArgumentException.class, () -> new KeyedMutex<>(0));
        assertThrows(IllegalArgumentException.class, () -> new KeyedMutex<>(KeyedMutex.MAX_STRIPES + 1));
        int d = new KeyedMutex<>().stripeCount();
        assertTrue(d >= KeyedMutex.MIN_STRIPES && Integer.bitCount(d) == 1, "default " + d);
        KeyedMutex<String> one = new KeyedMutex<>(1);
        one.lock("a");
        one.lock("b");
        one.unlock("a");
        one.unlock("b");
        assertEquals(0, one.entryCount());
    }
}
