package org.parkinglot.core;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.parkinglot.core.internal.Bucket;

/**
 * The parking lot's table is sized by the distinct keys queued, not by the threads: it does not grow
 * for threads that share one key, grows for a burst of distinct keys without losing a thread, gives
 * the memory back (down to its initial 64 buckets, the old table unreachable) once they leave, and
 * never resizes before a parker's {@code beforeSleep} has run.
 *
 * <p>Every test needs a quiet lot (no thread of another test queued) and checks that first; each one
 * unparks and joins every thread it started, also when it fails ({@link #releaseAll()}).
 */
class ParkingLotTableTest {

    /** The table's initial and smallest size (ParkingLot.INITIAL_BUCKETS). */
    private static final int INITIAL_BUCKETS = 64;
    /** Threads per burst. */
    private static final int BURST = 100_000;
    /** The token the cleanup hands to threads a failed test left parked. */
    private static final long STRAGGLER_TOKEN = -1L;

    /** Threads this test started, with the key and lane each parks on. */
    private final List<Thread> threads = new ArrayList<>();
    private final List<Object> keysOfThreads = new ArrayList<>();
    private final List<Long> lanesOfThreads = new ArrayList<>();

    @BeforeEach
    void requireQuietLot() {
        assertEquals(0, ParkingTable.totalQueued(), "another test left threads queued");
        assertEquals(0, ParkingTable.queuedKeysHint(), "key count out of step with the table");
    }

    /** Unparks and joins every thread the test started, so a failed test leaves no thread behind. */
    @AfterEach
    void releaseAll() throws InterruptedException {
        long deadline = System.nanoTime() + SECONDS.toNanos(60);
        for (int i = 0; i < threads.size(); i++) {
            Thread t = threads.get(i);
            while (t.isAlive()) {
                ParkingLot.unparkAll(keysOfThreads.get(i), lanesOfThreads.get(i), STRAGGLER_TOKEN);
                t.join(10);
                if (System.nanoTime() - deadline > 0) {
                    fail("a test thread could not be stopped: " + t);
                }
            }
        }
    }

    /**
     * Starts {@code n} virtual threads, thread {@code i} parking on {@code keys[i]} (lane 0) with park
     * token {@code i}, and returns when every one has run its {@code beforeSleep} (so is queued).
     * {@code results[i]} receives thread {@code i}'s result, {@code failures[i]} what it threw.
     */
    private void parkBurst(Object[] keys, AtomicReferenceArray<ParkResult> results,
                           AtomicReferenceArray<Throwable> failures) throws InterruptedException {
        int n = keys.length;
        CountDownLatch queued = new CountDownLatch(n);
        BooleanSupplier valid = () -> true;
        ParkingLot.TimedOutCallback noTimedOut = (k, l, last) -> { };
        for (int i = 0; i < n; i++) {
            final int id = i;
            final Object k = keys[i];
            Thread t = Thread.ofVirtual().unstarted(() -> {
                try {
                    results.set(id, ParkingLot.park(k, 0L, valid, queued::countDown, noTimedOut, id,
                            ParkingLot.FOREVER, false));
                } catch (Throwable e) {
                    failures.set(id, e);
                }
            });
            threads.add(t);
            keysOfThreads.add(k);
            lanesOfThreads.add(0L);
            t.start();
        }
        assertTrue(queued.await(60, SECONDS), "the threads did not all park");
    }

    /** Joins every thread the test started; fails naming the first one still alive after the bound. */
    /**
     * Wakes {@code waiter}, parked alone on (key, parkLane), with token 7 and checks it returned with it;
     * then wakes the one thread parked on (k, 0) for each burst key {@code k} and joins every thread.
     */
    private void releaseWaiterAndBurst(Object key, long parkLane, Thread waiter,
                                       AtomicReferenceArray<ParkResult> result, Object[] keys) throws InterruptedException {
        assertEquals(1, ParkingLot.unparkAll(key, parkLane, 7L));
        waiter.join(SECONDS.toMillis(20));
        assertFalse(waiter.isAlive());
        assertEquals(ParkResult.unparked(7L), result.get(0));
        for (Object k : keys) {
            assertEquals(1, ParkingLot.unparkAll(k, 0L, 0L));
        }
        joinAll();
    }

    private void joinAll() throws InterruptedException {
        long deadline = System.nanoTime() + SECONDS.toNanos(60);
        for (int i = 0; i < threads.size(); i++) {
            Thread t = threads.get(i);
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            assertFalse(t.isAlive(), "thread " + i + " lost: still parked after its unpark");
        }
    }

    /** Polls {@code condition} every millisecond for up to 30 s; fails with {@code what} if it never holds. */
    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail(what + " (buckets " + ParkingTable.bucketCount() + ", keys " + ParkingTable.queuedKeysHint() + ")");
            }
            Thread.sleep(1);
        }
    }

    /** 100 000 virtual threads parked on one key leave the table at its size: nodes of one key share a bucket. */
    @Test
    @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
    void oneKeyBurstDoesNotGrowTheTable() throws Exception {
        int bucketsBefore = ParkingTable.bucketCount();
        int resizesBefore = ParkingTable.resizeCount();
        Object key = new Object();
        Object[] keys = new Object[BURST];
        Arrays.fill(keys, key);
        AtomicReferenceArray<ParkResult> results = new AtomicReferenceArray<>(BURST);
        AtomicReferenceArray<Throwable> failures = new AtomicReferenceArray<>(BURST);

        parkBurst(keys, results, failures);
        assertEquals(BURST, ParkingLot.queueLength(key, 0L));
        assertEquals(1, ParkingTable.totalKeys());
        assertEquals(1, ParkingTable.queuedKeysHint());
        assertEquals(bucketsBefore, ParkingTable.bucketCount(), "the table grew for threads of one key");
        assertEquals(resizesBefore, ParkingTable.resizeCount());

        assertEquals(BURST, ParkingLot.unparkAll(key, 0L, 42L));
        joinAll();
        for (int i = 0; i < BURST; i++) {
            assertNull(failures.get(i), "thread " + i + " threw");
            assertEquals(ParkResult.unparked(42L), results.get(i), "thread " + i);
        }
        assertEquals(bucketsBefore, ParkingTable.bucketCount());
        assertEquals(resizesBefore, ParkingTable.resizeCount(), "the table was resized for one key");
        assertEquals(0, ParkingTable.totalQueued());
        assertEquals(0, ParkingTable.queuedKeysHint());
    }

    /**
     * 100 000 virtual threads on distinct keys grow the table to fit them (load at most 3 keys per
     * bucket, at most one per bucket more than that), every one is found and woken with its own
     * token, and once they are gone the table is back to its 64 buckets and the large one unreachable.
     */
    @Test
    @Timeout(value = 180, threadMode = ThreadMode.SEPARATE_THREAD)
    void distinctKeyBurstGrowsThenShrinksBack() throws Exception {
        assertEquals(INITIAL_BUCKETS, ParkingTable.bucketCount(), "the lot did not start at its initial size");
        Object[] keys = new Object[BURST];
        for (int i = 0; i < BURST; i++) {
            keys[i] = new Object();
        }
        AtomicReferenceArray<ParkResult> results = new AtomicReferenceArray<>(BURST);
        AtomicReferenceArray<Throwable> failures = new AtomicReferenceArray<>(BURST);

        parkBurst(keys, results, failures);
        // Growth checks run after beforeSleep, so the last ones may still be under way: poll.
        await(() -> ParkingTable.bucketCount() >= BURST / 3, "the table did not grow to fit the keys");
        int grown = ParkingTable.bucketCount();
        // A growth leaves a load of 1/2 to 1 (4x steps), so never more than 2 buckets per key.
        assertTrue(grown <= 2 * Long.highestOneBit(BURST), () -> "grew beyond load 1/2: " + grown);
        assertEquals(BURST, ParkingTable.totalQueued());
        assertEquals(BURST, ParkingTable.totalKeys());
        assertEquals(BURST, ParkingTable.queuedKeysHint());
        WeakReference<Object> bigTable = new WeakReference<>(ParkingTable.currentTable());

        for (int i = 0; i < BURST; i++) {
            final long token = 1_000_000L + i;
            UnparkResult r = ParkingLot.unparkOne(keys[i], 0L, res -> token);
            assertEquals(1, r.unparkedThreads(), "thread " + i + " not found");
            assertFalse(r.haveMoreThreads());
        }
        joinAll();
        for (int i = 0; i < BURST; i++) {
            assertNull(failures.get(i), "thread " + i + " threw");
            assertEquals(ParkResult.unparked(1_000_000L + i), results.get(i), "thread " + i);
        }
        assertEquals(0, ParkingTable.totalQueued());
        assertEquals(0, ParkingTable.queuedKeysHint());
        // The unparks above shrank the table on the way down; the last one left it at its initial size.
        assertEquals(INITIAL_BUCKETS, ParkingTable.bucketCount(), "the table did not shrink back");

        long deadline = System.nanoTime() + SECONDS.toNanos(30);
        while (bigTable.get() != null) {
            if (System.nanoTime() - deadline > 0) {
                fail("the grown table is still reachable");
            }
            System.gc();
            Thread.sleep(10);
        }
    }

    /**
     * A park that pushes the table over its load does not resize it before its {@code beforeSleep} (where
     * a condition variable releases its mutex) has run, and does resize it afterwards.
     */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void growthWaitsUntilBeforeSleepHasReleasedTheMutex() throws Exception {
        int buckets = ParkingTable.bucketCount();
        // Fill the table exactly to its growth threshold (2 keys per bucket): no growth yet.
        Object[] keys = new Object[2 * buckets];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new Object();
        }
        parkBurst(keys, new AtomicReferenceArray<>(keys.length), new AtomicReferenceArray<>(keys.length));
        assertEquals(2 * buckets, ParkingTable.totalKeys());
        assertEquals(buckets, ParkingTable.bucketCount(), "grew at the threshold already");
        int resizesBefore = ParkingTable.resizeCount();

        // One more key, in a bucket that holds one already: its park crosses the threshold.
        Object key = keys[0];
        long lane = 1;
        while (ParkingTable.bucketIndex(key, lane) != ParkingTable.bucketIndex(key, 0L)) {
            lane++;
        }
        AtomicBoolean mutexHeld = new AtomicBoolean(true); // stands for the condition variable's mutex
        AtomicInteger bucketsAtRelease = new AtomicInteger(-1);
        AtomicInteger resizesAtRelease = new AtomicInteger(-1);
        AtomicReferenceArray<ParkResult> result = new AtomicReferenceArray<>(1);
        final long parkLane = lane;
        Thread waiter = Thread.ofPlatform().daemon().unstarted(() -> result.set(0, ParkingLot.park(key, parkLane,
                () -> true,
                () -> {
                    bucketsAtRelease.set(ParkingTable.bucketCount());
                    resizesAtRelease.set(ParkingTable.resizeCount());
                    mutexHeld.set(false);
                },
                (k, l, last) -> { }, 0L, ParkingLot.FOREVER, false)));
        threads.add(waiter);
        keysOfThreads.add(key);
        lanesOfThreads.add(parkLane);
        waiter.start();

        await(() -> !mutexHeld.get(), "beforeSleep never ran");
        assertEquals(buckets, bucketsAtRelease.get(), "the table grew while the mutex was still held");
        assertEquals(resizesBefore, resizesAtRelease.get(), "a resize ran before beforeSleep");
        await(() -> ParkingTable.bucketCount() == 4 * buckets, "no growth after beforeSleep");
        assertEquals(resizesBefore + 1, ParkingTable.resizeCount());
        assertTrue(ParkingLot.isQueued(key, parkLane, waiter));

        releaseWaiterAndBurst(key, parkLane, waiter, result, keys);
        assertEquals(0, ParkingTable.queuedKeysHint());
        assertEquals(INITIAL_BUCKETS, ParkingTable.bucketCount(), "the table did not shrink back");
    }

    /**
     * A virtual thread whose park pushes the table over its load resizes on its carrier only if no
     * bucket stays held; here one does (this thread holds it), so it gives up without changing the
     * table, hands the resize to a platform thread, and the growth completes once the bucket is free.
     */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void virtualResizerHandsOverWhenABucketStaysHeld() throws Exception {
        int buckets = ParkingTable.bucketCount();
        Object[] keys = new Object[2 * buckets]; // exactly the growth threshold: no growth yet
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new Object();
        }
        parkBurst(keys, new AtomicReferenceArray<>(keys.length), new AtomicReferenceArray<>(keys.length));
        assertEquals(buckets, ParkingTable.bucketCount(), "grew at the threshold already");
        int resizesBefore = ParkingTable.resizeCount();

        // One more key in the bucket of keys[0]; this thread holds another bucket meanwhile.
        Object key = keys[0];
        long lane = 1;
        while (ParkingTable.bucketIndex(key, lane) != ParkingTable.bucketIndex(key, 0L)) {
            lane++;
        }
        Object other = new Object();
        while (ParkingTable.bucketIndex(other, 0L) == ParkingTable.bucketIndex(key, 0L)) {
            other = new Object();
        }
        final long parkLane = lane;
        CountDownLatch queued = new CountDownLatch(1);
        AtomicReferenceArray<ParkResult> result = new AtomicReferenceArray<>(1);
        Thread waiter = Thread.ofVirtual().unstarted(() -> result.set(0, ParkingLot.park(key, parkLane,
                () -> true, queued::countDown, (k, l, last) -> { }, 0L, ParkingLot.FOREVER, false)));
        threads.add(waiter);
        keysOfThreads.add(key);
        lanesOfThreads.add(parkLane);
        Bucket held = ParkingTable.lockBucket(other, 0L);
        try {
            waiter.start();
            assertTrue(queued.await(20, SECONDS), "the waiter did not park");
            await(() -> Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().equals("parkinglot-resize")), "no platform resizer started");
            Thread.sleep(50);
            assertEquals(buckets, ParkingTable.bucketCount(), "resized around a held bucket");
            assertEquals(resizesBefore, ParkingTable.resizeCount());
        } finally {
            held.unlock();
        }
        await(() -> ParkingTable.bucketCount() == 4 * buckets, "no growth once the bucket was free");
        assertEquals(resizesBefore + 1, ParkingTable.resizeCount());
        assertTrue(ParkingLot.isQueued(key, parkLane, waiter));

        releaseWaiterAndBurst(key, parkLane, waiter, result, keys);
        assertEquals(INITIAL_BUCKETS, ParkingTable.bucketCount(), "the table did not shrink back");
    }
}
