package org.parkinglot.core;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.function.Executable;

/**
 * Unit tests of {@link ParkingLot}: every operation, every {@link ParkResult.Kind}, every {@link RequeueOp}
 * and {@link FilterOp}, interrupts, throwing callbacks, bad arguments, fairness and table growth.
 *
 * <p>Each test parks its threads on fresh key objects, waits for them to be queued by polling
 * {@link ParkingLot#isQueued}, and releases every thread it started (see {@link #releaseStragglers()}).
 * Timeouts run the test body in a separate thread so that a hang inside a bucket lock (which ignores
 * interrupts) still fails the test. The two heavy tests (table growth, 100 000 virtual threads) run first so
 * that the growth test can still force a growth cheaply.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ParkingLotTest {

    /** How long a thread may take to return from a park it was released from before it counts as lost. */
    private static final long JOIN_MILLIS = 20_000;
    /** The token the cleanup hands to any thread a failed test left parked. */
    private static final long STRAGGLER_TOKEN = -1L;
    private static final Runnable NO_OP = () -> { };
    private static final ParkingLot.TimedOutCallback NO_TIMED_OUT = (k, l, w) -> { };

    /** One call of a {@link ParkingLot.TimedOutCallback}. */
    record TimedOutCall(Object key, long lane, boolean wasLastThread) { }

    /** One call of an unpark or requeue callback. */
    record CallbackCall(RequeueOp op, UnparkResult result) { }

    /** A thread that parks once and records how the park ended and which callbacks ran. */
    static final class Waiter {
        final Object key;
        final long lane;
        final List<TimedOutCall> timedOutCalls = new CopyOnWriteArrayList<>();
        final AtomicInteger beforeSleepRuns = new AtomicInteger();
        volatile Thread thread;
        volatile ParkResult result;
        volatile Throwable failure;
        volatile boolean interruptedOnReturn;

        Waiter(Object key, long lane) {
            this.key = key;
            this.lane = lane;
        }

        void ranBeforeSleep() {
            beforeSleepRuns.incrementAndGet();
        }

        void timedOut(Object k, long l, boolean wasLastThread) {
            timedOutCalls.add(new TimedOutCall(k, l, wasLastThread));
        }

        /** Waits for the park to end and returns its result. */
        ParkResult join() throws InterruptedException {
            thread.join(JOIN_MILLIS);
            assertFalse(thread.isAlive(), () -> thread + " did not return from its park on " + key + "/" + lane);
            if (failure != null) {
                throw new AssertionError("park threw", failure);
            }
            return result;
        }
    }

    /** Keys this test parked or requeued threads on; the cleanup unparks every key/lane combination. */
    private final Set<Object> keys = ConcurrentHashMap.newKeySet();
    private final Set<Long> lanes = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    /** Wakes and joins every thread the test started, so that a failed test leaves no thread parked. */
    @AfterEach
    void releaseStragglers() throws InterruptedException {
        long deadline = System.nanoTime() + SECONDS.toNanos(20);
        for (Thread t : threads) {
            while (t.isAlive()) {
                for (Object k : keys) {
                    for (long l : lanes) {
                        ParkingLot.unparkAll(k, l, STRAGGLER_TOKEN);
                    }
                }
                t.join(10);
                if (System.nanoTime() - deadline > 0) {
                    fail("a test thread could not be stopped: " + t);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // helpers

    /** A fresh key object, registered for the cleanup. */
    private Object key() {
        Object k = new Object();
        keys.add(k);
        lanes.add(0L);
        return k;
    }

    private void track(Object key, long lane) {
        keys.add(key);
        lanes.add(lane);
    }

    /** Starts a thread whose body is one park; it records the result, any throwable and its interrupt status. */
    private Waiter startWith(Object key, long lane, boolean virtual, Function<Waiter, ParkResult> body) {
        track(key, lane);
        Waiter w = new Waiter(key, lane);
        Runnable run = () -> {
            try {
                w.result = body.apply(w);
            } catch (Throwable t) {
                w.failure = t;
            } finally {
                w.interruptedOnReturn = Thread.currentThread().isInterrupted();
            }
        };
        Thread t = virtual ? Thread.ofVirtual().unstarted(run) : Thread.ofPlatform().daemon().unstarted(run);
        w.thread = t;
        threads.add(t);
        t.start();
        return w;
    }

    /** Starts a thread that parks on (key, lane) with a valid validate and recording callbacks. */
    private Waiter start(Object key, long lane, long parkToken, long timeoutNanos, boolean interruptible,
                         boolean virtual) {
        return startWith(key, lane, virtual, w -> ParkingLot.park(key, lane, () -> true, w::ranBeforeSleep,
                w::timedOut, parkToken, timeoutNanos, interruptible));
    }

    /** Starts a platform thread parked forever (uninterruptibly) on (key, lane) and waits until it is queued. */
    private Waiter parked(Object key, long lane, long parkToken) throws InterruptedException {
        Waiter w = start(key, lane, parkToken, ParkingLot.FOREVER, false, false);
        awaitQueued(w);
        return w;
    }

    /** Polls until the waiter's thread is queued under its key; fails if it returns first. */
    private static void awaitQueued(Waiter w) throws InterruptedException {
        assertTrue(awaitQueuedOrDone(w), () -> "thread returned before it was seen queued: " + w.result
                + (w.failure != null ? " / " + w.failure : ""));
    }

    /** Polls until the waiter's thread is queued under its key (true) or has returned (false). */
    private static boolean awaitQueuedOrDone(Waiter w) throws InterruptedException {
        long deadline = System.nanoTime() + SECONDS.toNanos(20);
        while (!ParkingLot.isQueued(w.key, w.lane, w.thread)) {
            if (!w.thread.isAlive()) {
                return false;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("thread never got queued: " + w.thread);
            }
            Thread.sleep(1);
        }
        return true;
    }

    /** Gives the waiters time to misbehave, then checks each is still asleep and queued under (key, lane). */
    private static void assertStillParked(Object key, long lane, Waiter... ws) throws InterruptedException {
        Thread.sleep(20);
        for (Waiter w : ws) {
            assertTrue(w.thread.isAlive(), () -> w.thread + " returned early: " + w.result);
            assertNull(w.result);
            assertTrue(ParkingLot.isQueued(key, lane, w.thread), () -> w.thread + " not queued on " + key + "/" + lane);
        }
    }

    private static List<Thread> threadsOf(Waiter... ws) {
        List<Thread> list = new ArrayList<>();
        for (Waiter w : ws) {
            list.add(w.thread);
        }
        return list;
    }

    private static void assertCounts(UnparkResult r, int unparked, int requeued, boolean haveMore) {
        assertEquals(unparked, r.unparkedThreads(), () -> "unparkedThreads of " + r);
        assertEquals(requeued, r.requeuedThreads(), () -> "requeuedThreads of " + r);
        assertEquals(haveMore, r.haveMoreThreads(), () -> "haveMoreThreads of " + r);
    }

    /**
     * Checks that the bucket of (key, lane) is unlocked and its queue consistent: a timed park there enqueues,
     * times out and dequeues itself, leaving the queue length as it was.
     */
    private static void assertBucketUsable(Object key, long lane) {
        int before = ParkingLot.queueLength(key, lane);
        List<TimedOutCall> calls = new ArrayList<>();
        ParkResult r = ParkingLot.park(key, lane, () -> true, NO_OP,
                (k, l, last) -> calls.add(new TimedOutCall(k, l, last)), 0, MILLISECONDS.toNanos(1), false);
        assertEquals(ParkResult.TIMED_OUT, r);
        assertEquals(List.of(new TimedOutCall(key, lane, before == 0)), calls);
        assertEquals(before, ParkingLot.queueLength(key, lane));
    }

    private static void assertNpe(String name, Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertEquals(name, e.getMessage());
    }

    private static Field tableField;
    private static Method indexMethod;

    /** The bucket index of (key, lane) in the current table, read reflectively from ParkingTable's private table. */
    private static int bucketIndex(Object key, long lane) throws ReflectiveOperationException {
        if (tableField == null) {
            tableField = ParkingTable.class.getDeclaredField("table");
            tableField.setAccessible(true);
            indexMethod = tableField.getType().getDeclaredMethod("index", int.class, long.class);
            indexMethod.setAccessible(true);
        }
        return (int) indexMethod.invoke(tableField.get(null), System.identityHashCode(key), lane);
    }

    /** A lane other than {@code lane} whose key (key, result) lands in the same bucket as (key, lane). */
    private long laneSharingBucket(Object key, long lane) throws ReflectiveOperationException {
        int target = bucketIndex(key, lane);
        for (long l = lane + 1; ; l++) {
            if (bucketIndex(key, l) == target) {
                track(key, l);
                return l;
            }
        }
    }

    /**
     * Polls (up to 30 s) until the table's bucket count satisfies {@code ok}: a growth runs after the
     * parker's beforeSleep, so it may still be under way when the test sees the threads queued.
     */
    private static void awaitBuckets(IntPredicate ok, String what) throws InterruptedException {
        long deadline = System.nanoTime() + SECONDS.toNanos(30);
        while (!ok.test(ParkingTable.bucketCount())) {
            if (System.nanoTime() - deadline > 0) {
                fail(what + ": " + ParkingTable.bucketCount() + " buckets, " + ParkingTable.totalQueued() + " queued");
            }
            Thread.sleep(1);
        }
    }

    /** Waits until more than a millisecond has passed since {@code since} (a System.nanoTime() value). */
    private static void passOneMillisecond(long since) throws InterruptedException {
        while (System.nanoTime() - since <= 1_000_000L) {
            Thread.sleep(1);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // table growth and many threads (run first: growth is cheap to force while the table is small)

    /** Threads parked before a table growth are still found by key afterwards (none stranded in an old table). */
    @Test
    @Order(1)
    @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
    void growthKeepsEarlierParkedThreadsReachable() throws Exception {
        int queuedBefore = ParkingTable.totalQueued();
        int bucketsBefore = ParkingTable.bucketCount();
        Waiter[] early = new Waiter[16];
        for (int i = 0; i < early.length; i++) {
            early[i] = start(key(), i % 4, i, ParkingLot.FOREVER, false, i % 2 == 1);
            awaitQueued(early[i]);
        }

        int extra = 4 * bucketsBefore + 256;
        Object[] extraKeys = new Object[extra];
        Waiter[] extras = new Waiter[extra];
        CountDownLatch queued = new CountDownLatch(extra);
        for (int i = 0; i < extra; i++) {
            Object k = extraKeys[i] = key();
            extras[i] = startWith(k, 0, true, w -> ParkingLot.park(k, 0, () -> true, queued::countDown,
                    w::timedOut, 0, ParkingLot.FOREVER, false));
        }
        assertTrue(queued.await(60, SECONDS), "extra threads did not all park");
        // Growth runs after beforeSleep (which counted down), so the last parker may still be growing.
        awaitBuckets(b -> b > bucketsBefore, "no growth");
        assertEquals(queuedBefore + early.length + extra, ParkingTable.totalQueued());

        for (int i = 0; i < early.length; i++) {
            Waiter w = early[i];
            assertEquals(List.of(w.thread), ParkingLot.queuedThreads(w.key, w.lane), "early thread " + i);
            long token = 500 + i;
            assertCounts(ParkingLot.unparkOne(w.key, w.lane, r -> token), 1, 0, false);
        }
        for (int i = 0; i < early.length; i++) {
            assertEquals(ParkResult.unparked(500 + i), early[i].join(), "early thread " + i);
        }
        for (int i = 0; i < extra; i++) {
            assertEquals(1, ParkingLot.unparkAll(extraKeys[i], 0, 7), "extra thread " + i);
        }
        for (Waiter w : extras) {
            assertEquals(ParkResult.unparked(7), w.join());
            assertEquals(List.of(), w.timedOutCalls);
        }
        assertEquals(queuedBefore, ParkingTable.totalQueued());
    }

    /** 100 000 virtual threads parked on distinct keys are all found and woken, each with its own token. */
    @Test
    @Order(2)
    @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
    void hundredThousandVirtualThreadsAllUnparked() throws Exception {
        final int n = 100_000;
        int queuedBefore = ParkingTable.totalQueued();
        Object[] parkKeys = new Object[n];
        ParkResult[] results = new ParkResult[n];
        Throwable[] failures = new Throwable[n];
        Thread[] vts = new Thread[n];
        CountDownLatch queued = new CountDownLatch(n);
        try {
            for (int i = 0; i < n; i++) {
                final int id = i;
                final Object k = parkKeys[i] = new Object();
                vts[i] = Thread.ofVirtual().start(() -> {
                    try {
                        results[id] = ParkingLot.park(k, 0, () -> true, queued::countDown, NO_TIMED_OUT, id,
                                ParkingLot.FOREVER, false);
                    } catch (Throwable t) {
                        failures[id] = t;
                    }
                });
            }
            assertTrue(queued.await(60, SECONDS), "virtual threads did not all park");
            assertEquals(queuedBefore + n, ParkingTable.totalQueued());
            awaitBuckets(b -> b >= n / 16, "table did not grow with the load");

            for (int i = 0; i < n; i++) {
                final long token = 1_000_000L + i;
                UnparkResult r = ParkingLot.unparkOne(parkKeys[i], 0, res -> token);
                assertEquals(1, r.unparkedThreads(), "thread " + i + " not found");
                assertFalse(r.haveMoreThreads());
            }
            long deadline = System.nanoTime() + SECONDS.toNanos(60);
            for (int i = 0; i < n; i++) {
                vts[i].join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                assertFalse(vts[i].isAlive(), "thread " + i + " lost");
            }
            for (int i = 0; i < n; i++) {
                assertNull(failures[i]);
                assertEquals(ParkResult.unparked(1_000_000L + i), results[i], "thread " + i);
            }
            assertEquals(queuedBefore, ParkingTable.totalQueued());
        } finally {
            for (int i = 0; i < n; i++) {
                while (vts[i] != null && vts[i].isAlive()) {
                    ParkingLot.unparkAll(parkKeys[i], 0, STRAGGLER_TOKEN);
                    vts[i].join(10);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // validate and timeouts

    /** A park whose validate returns false returns INVALID without queuing or running beforeSleep/timedOut. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void invalidParkNeverQueues() {
        Object k = key();
        long[] timeouts = {ParkingLot.FOREVER, SECONDS.toNanos(60), 0, -1};
        for (long timeout : timeouts) {
            for (boolean interruptible : new boolean[] {false, true}) {
                AtomicInteger validations = new AtomicInteger();
                AtomicInteger callbacks = new AtomicInteger();
                ParkResult r = ParkingLot.park(k, 3, () -> {
                    validations.incrementAndGet();
                    return false;
                }, callbacks::incrementAndGet, (kk, l, w) -> callbacks.incrementAndGet(), 0, timeout, interruptible);
                assertSame(ParkResult.INVALID, r);
                assertEquals(1, validations.get());
                assertEquals(0, callbacks.get(), "beforeSleep or timedOut ran");
                assertEquals(0, ParkingLot.queueLength(k, 3));
            }
        }
        assertSame(ParkResult.INVALID, ParkingLot.park(k, () -> false));
    }

    /** A timed park nobody unparks returns TIMED_OUT, never early, after telling timedOut it was the last thread. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void timedParkTimesOutAsLastThread() {
        Object k = key();
        List<TimedOutCall> calls = new ArrayList<>();
        AtomicInteger slept = new AtomicInteger();
        long timeout = MILLISECONDS.toNanos(20);
        long start = System.nanoTime();
        ParkResult r = ParkingLot.park(k, 5, () -> true, slept::incrementAndGet,
                (kk, l, last) -> calls.add(new TimedOutCall(kk, l, last)), 0, timeout, false);
        long elapsed = System.nanoTime() - start;
        assertSame(ParkResult.TIMED_OUT, r);
        assertTrue(elapsed >= timeout, () -> "returned early after " + elapsed + " ns");
        assertEquals(1, slept.get());
        assertEquals(List.of(new TimedOutCall(k, 5, true)), calls);
        assertEquals(0, ParkingLot.queueLength(k, 5));
    }

    /** timedOut reports wasLastThread false while another thread of the same key is still queued. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void timedOutSeesOtherQueuedThread() throws Exception {
        Object k = key();
        Waiter other = parked(k, 2, 0);
        List<TimedOutCall> calls = new ArrayList<>();
        ParkResult r = ParkingLot.park(k, 2, () -> true, NO_OP,
                (kk, l, last) -> calls.add(new TimedOutCall(kk, l, last)), 0, MILLISECONDS.toNanos(10), false);
        assertSame(ParkResult.TIMED_OUT, r);
        assertEquals(List.of(new TimedOutCall(k, 2, false)), calls);
        assertEquals(List.of(other.thread), ParkingLot.queuedThreads(k, 2));
        assertCounts(ParkingLot.unparkOne(k, 2, res -> 3), 1, 0, false);
        assertEquals(ParkResult.unparked(3), other.join());
    }

    /** timedOut reports wasLastThread true when the only other queued thread has a different key in the same bucket. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void timedOutIgnoresOtherKeysOfTheBucket() throws Exception {
        Object k = key();
        long sibling = laneSharingBucket(k, 0);
        Waiter other = parked(k, sibling, 0);
        List<TimedOutCall> calls = new ArrayList<>();
        ParkResult r = ParkingLot.park(k, 0, () -> true, NO_OP,
                (kk, l, last) -> calls.add(new TimedOutCall(kk, l, last)), 0, MILLISECONDS.toNanos(10), false);
        assertSame(ParkResult.TIMED_OUT, r);
        assertEquals(List.of(new TimedOutCall(k, 0, true)), calls);
        assertEquals(bucketIndex(k, 0), bucketIndex(k, sibling));
        assertEquals(1, ParkingLot.unparkAll(k, sibling, 4));
        assertEquals(ParkResult.unparked(4), other.join());
    }

    /** A timeout of zero or less only validates: INVALID, or TIMED_OUT after timedOut, and the thread never queues. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void nonPositiveTimeoutOnlyValidates() throws Exception {
        Object k = key();
        long[] timeouts = {0, -1, Long.MIN_VALUE};
        for (long timeout : timeouts) {
            List<TimedOutCall> calls = new ArrayList<>();
            AtomicInteger slept = new AtomicInteger();
            ParkingLot.TimedOutCallback record = (kk, l, last) -> calls.add(new TimedOutCall(kk, l, last));
            assertSame(ParkResult.INVALID,
                    ParkingLot.park(k, 0, () -> false, slept::incrementAndGet, record, 0, timeout, false));
            assertEquals(List.of(), calls);
            assertSame(ParkResult.TIMED_OUT,
                    ParkingLot.park(k, 0, () -> true, slept::incrementAndGet, record, 0, timeout, false));
            assertEquals(List.of(new TimedOutCall(k, 0, true)), calls);
            assertEquals(0, slept.get(), "beforeSleep ran: the thread was queued");
            assertEquals(0, ParkingLot.queueLength(k, 0));
        }
        Waiter other = parked(k, 0, 0);
        List<TimedOutCall> calls = new ArrayList<>();
        assertSame(ParkResult.TIMED_OUT, ParkingLot.park(k, 0, () -> true, NO_OP,
                (kk, l, last) -> calls.add(new TimedOutCall(kk, l, last)), 0, 0, false));
        assertEquals(List.of(new TimedOutCall(k, 0, false)), calls);
        assertEquals(List.of(other.thread), ParkingLot.queuedThreads(k, 0));
        assertEquals(1, ParkingLot.unparkAll(k, 0, 1));
        assertEquals(ParkResult.unparked(1), other.join());
    }

    /** A park with timeout FOREVER stays queued until an unpark ends it. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void foreverParkWaitsUntilUnparked() throws Exception {
        Object k = key();
        Waiter w = start(k, 0, 0, ParkingLot.FOREVER, false, false);
        awaitQueued(w);
        assertStillParked(k, 0, w);
        assertCounts(ParkingLot.unparkOne(k, 0, r -> 9), 1, 0, false);
        assertEquals(ParkResult.unparked(9), w.join());
        assertEquals(List.of(), w.timedOutCalls);
    }

    /** A park with the largest finite timeout does not overflow into an immediate timeout. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void hugeTimeoutDoesNotOverflow() throws Exception {
        Object k = key();
        Waiter w = start(k, 0, 0, Long.MAX_VALUE - 1, true, false);
        awaitQueued(w);
        assertStillParked(k, 0, w);
        assertCounts(ParkingLot.unparkOne(k, 0, r -> 10), 1, 0, false);
        assertEquals(ParkResult.unparked(10), w.join());
    }

    /** A parked thread names its key as the LockSupport blocker, so thread dumps show what it waits for. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void parkedThreadReportsKeyAsBlocker() throws Exception {
        Object k = key();
        Waiter w = parked(k, 0, 0);
        long deadline = System.nanoTime() + SECONDS.toNanos(20);
        while (LockSupport.getBlocker(w.thread) != k) {
            assertTrue(System.nanoTime() - deadline < 0, "blocker never reported");
            Thread.sleep(1);
        }
        assertEquals(Thread.State.WAITING, w.thread.getState());
        ParkingLot.unparkAll(k);
        assertEquals(ParkResult.unparked(ParkingLot.DEFAULT_UNPARK_TOKEN), w.join());
    }

    /** beforeSleep runs after the thread is queued and without the bucket lock: it may even unpark its own thread. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void beforeSleepRunsQueuedAndUnlocked() {
        Object k = key();
        boolean[] queuedInBeforeSleep = new boolean[1];
        UnparkResult[] selfUnpark = new UnparkResult[1];
        ParkResult r = ParkingLot.park(k, 0, () -> true, () -> {
            queuedInBeforeSleep[0] = ParkingLot.isQueued(k, 0, Thread.currentThread());
            selfUnpark[0] = ParkingLot.unparkOne(k, 0, res -> 77);
        }, NO_TIMED_OUT, 0, ParkingLot.FOREVER, false);
        assertTrue(queuedInBeforeSleep[0]);
        assertCounts(selfUnpark[0], 1, 0, false);
        assertEquals(ParkResult.unparked(77), r);
        assertEquals(0, ParkingLot.queueLength(k, 0));
    }

    /** A stray LockSupport.unpark, which no unpark operation caused, does not end a park. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void strayLockSupportUnparkDoesNotEndPark() throws Exception {
        Object k = key();
        Waiter w = parked(k, 0, 0);
        for (int i = 0; i < 3; i++) {
            LockSupport.unpark(w.thread);
            Thread.sleep(2);
        }
        assertStillParked(k, 0, w);
        ParkingLot.unparkOne(k);
        assertEquals(ParkResult.unparked(ParkingLot.DEFAULT_UNPARK_TOKEN), w.join());
    }

    // ---------------------------------------------------------------------------------------------
    // unparkOne, unparkAll, inspection

    /** unparkOne on a key with no queued thread still calls its callback, with zero counts, and returns EMPTY. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void unparkOneOnEmptyKeyCallsCallback() {
        Object k = key();
        List<UnparkResult> calls = new ArrayList<>();
        UnparkResult r = ParkingLot.unparkOne(k, 4, res -> {
            calls.add(res);
            return 5;
        });
        assertEquals(UnparkResult.EMPTY, r);
        assertEquals(List.of(UnparkResult.EMPTY), calls);
        assertCounts(r, 0, 0, false);
        assertFalse(r.beFair());
        assertEquals(UnparkResult.EMPTY, ParkingLot.unparkOne(k));
    }

    /** unparkOne wakes threads in FIFO order, reports haveMoreThreads correctly, and delivers each its own token. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void unparkOneIsFifoWithDistinctTokens() throws Exception {
        Object k = key();
        Waiter[] ws = new Waiter[5];
        for (int i = 0; i < ws.length; i++) {
            ws[i] = parked(k, 1, i);
        }
        for (int i = 0; i < ws.length; i++) {
            assertEquals(ws[i].thread, ParkingLot.queuedThreads(k, 1).get(0));
            List<UnparkResult> calls = new ArrayList<>();
            long token = 1000 + i;
            UnparkResult r = ParkingLot.unparkOne(k, 1, res -> {
                calls.add(res);
                return token;
            });
            assertCounts(r, 1, 0, i < ws.length - 1);
            assertEquals(List.of(r), calls);
        }
        for (int i = 0; i < ws.length; i++) {
            assertEquals(ParkResult.unparked(1000 + i), ws[i].join(), "thread " + i);
        }
        assertEquals(0, ParkingLot.queueLength(k, 1));
    }

    /** unparkOne skips threads of other keys sharing the bucket, even when they were queued first. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void unparkOneIgnoresOtherKeysOfTheBucket() throws Exception {
        Object k = key();
        long sibling = laneSharingBucket(k, 0);
        Waiter first = parked(k, 0, 0);
        Waiter second = parked(k, sibling, 0);
        assertCounts(ParkingLot.unparkOne(k, sibling, r -> 31), 1, 0, false);
        assertEquals(ParkResult.unparked(31), second.join());
        assertStillParked(k, 0, first);
        assertCounts(ParkingLot.unparkOne(k, 0, r -> 32), 1, 0, false);
        assertEquals(ParkResult.unparked(32), first.join());
    }

    /** unparkAll wakes every thread of its key with the token and returns the count, leaving other lanes and keys. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void unparkAllWakesOnlyItsKey() throws Exception {
        Object k = key();
        Object otherKey = key();
        long sibling = laneSharingBucket(k, 0);
        List<Waiter> lane0 = new ArrayList<>();
        List<Waiter> lane1 = new ArrayList<>();
        List<Waiter> siblings = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            lane0.add(parked(k, 0, i));
            lane1.add(parked(k, 1, i));
            siblings.add(parked(k, sibling, i));
        }
        Waiter other = parked(otherKey, 0, 0);

        assertEquals(3, ParkingLot.unparkAll(k, 0, 77));
        for (Waiter w : lane0) {
            assertEquals(ParkResult.unparked(77), w.join());
        }
        assertStillParked(k, 1, lane1.toArray(Waiter[]::new));
        assertStillParked(k, sibling, siblings.toArray(Waiter[]::new));
        assertStillParked(otherKey, 0, other);
        assertEquals(0, ParkingLot.unparkAll(k, 0, 78));

        assertEquals(3, ParkingLot.unparkAll(k, 1, 88));
        assertEquals(3, ParkingLot.unparkAll(k, sibling, 99));
        assertEquals(1, ParkingLot.unparkAll(otherKey));
        for (Waiter w : lane1) {
            assertEquals(ParkResult.unparked(88), w.join());
        }
        for (Waiter w : siblings) {
            assertEquals(ParkResult.unparked(99), w.join());
        }
        assertEquals(ParkResult.unparked(ParkingLot.DEFAULT_UNPARK_TOKEN), other.join());
    }

    /** queueLength, isQueued and queuedThreads report exactly the threads of one key, oldest first. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void inspectionReportsQueuePerKey() throws Exception {
        Object k = key();
        Waiter a = parked(k, 0, 0);
        Waiter b = parked(k, 1, 0);
        Waiter c = parked(k, 0, 0);
        assertEquals(2, ParkingLot.queueLength(k, 0));
        assertEquals(1, ParkingLot.queueLength(k, 1));
        assertEquals(threadsOf(a, c), ParkingLot.queuedThreads(k, 0));
        assertEquals(threadsOf(b), ParkingLot.queuedThreads(k, 1));
        assertTrue(ParkingLot.isQueued(k, 0, a.thread));
        assertFalse(ParkingLot.isQueued(k, 1, a.thread));
        assertFalse(ParkingLot.isQueued(k, 0, Thread.currentThread()));
        assertEquals(0, ParkingLot.queueLength(new Object(), 0));
        assertEquals(2, ParkingLot.unparkAll(k, 0, 0));
        assertEquals(1, ParkingLot.unparkAll(k, 1, 0));
        a.join();
        b.join();
        c.join();
        assertEquals(List.of(), ParkingLot.queuedThreads(k, 0));
    }

    // ---------------------------------------------------------------------------------------------
    // unparkRequeue

    /** ABORT leaves both queues as they were, does not call the callback, and returns EMPTY. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void requeueAbortDoesNothing() throws Exception {
        Object a = key();
        Object b = key();
        Waiter a0 = parked(a, 0, 0);
        Waiter a1 = parked(a, 0, 1);
        Waiter b0 = parked(b, 0, 0);
        AtomicInteger callbacks = new AtomicInteger();
        UnparkResult r = ParkingLot.unparkRequeue(a, 0, b, 0, () -> RequeueOp.ABORT, (op, res) -> {
            callbacks.incrementAndGet();
            return 1;
        });
        assertEquals(UnparkResult.EMPTY, r);
        assertEquals(0, callbacks.get());
        assertStillParked(a, 0, a0, a1);
        assertEquals(threadsOf(a0, a1), ParkingLot.queuedThreads(a, 0));
        assertEquals(threadsOf(b0), ParkingLot.queuedThreads(b, 0));
        assertEquals(2, ParkingLot.unparkAll(a, 0, 2));
        assertEquals(1, ParkingLot.unparkAll(b, 0, 3));
        assertEquals(ParkResult.unparked(2), a0.join());
        assertEquals(ParkResult.unparked(2), a1.join());
        assertEquals(ParkResult.unparked(3), b0.join());
    }

    /** UNPARK_ONE_REQUEUE_REST wakes the first thread and moves the rest, in order, behind the target's queue. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void requeueUnparkOneRequeueRest() throws Exception {
        Object a = key();
        Object b = key();
        Waiter b0 = parked(b, 0, 0);
        Waiter[] as = new Waiter[4];
        for (int i = 0; i < as.length; i++) {
            as[i] = parked(a, 0, i);
        }
        List<CallbackCall> calls = new ArrayList<>();
        UnparkResult r = ParkingLot.unparkRequeue(a, 0, b, 0, () -> RequeueOp.UNPARK_ONE_REQUEUE_REST,
                (op, res) -> {
                    calls.add(new CallbackCall(op, res));
                    return 55;
                });
        assertCounts(r, 1, 3, false);
        assertEquals(List.of(new CallbackCall(RequeueOp.UNPARK_ONE_REQUEUE_REST, r)), calls);
        assertEquals(ParkResult.unparked(55), as[0].join());
        assertEquals(0, ParkingLot.queueLength(a, 0));
        assertEquals(threadsOf(b0, as[1], as[2], as[3]), ParkingLot.queuedThreads(b, 0));
        assertStillParked(b, 0, as[1], as[2], as[3]);

        Waiter[] expected = {b0, as[1], as[2], as[3]};
        for (int i = 0; i < expected.length; i++) {
            long token = 200 + i;
            assertCounts(ParkingLot.unparkOne(b, 0, res -> token), 1, 0, i < expected.length - 1);
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(ParkResult.unparked(200 + i), expected[i].join(), "position " + i);
        }
    }

    /** REQUEUE_ALL wakes no one and moves every thread, in order, to the target key, where an unpark wakes them. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void requeueAll() throws Exception {
        Object a = key();
        Object b = key();
        Waiter[] as = new Waiter[3];
        for (int i = 0; i < as.length; i++) {
            as[i] = parked(a, 0, i);
        }
        List<CallbackCall> calls = new ArrayList<>();
        UnparkResult r = ParkingLot.unparkRequeue(a, 0, b, 6, () -> RequeueOp.REQUEUE_ALL, (op, res) -> {
            calls.add(new CallbackCall(op, res));
            return 66;
        });
        track(b, 6);
        assertEquals(new UnparkResult(0, 3, false, false), r);
        assertEquals(List.of(new CallbackCall(RequeueOp.REQUEUE_ALL, r)), calls);
        assertEquals(0, ParkingLot.queueLength(a, 0));
        assertEquals(threadsOf(as), ParkingLot.queuedThreads(b, 6));
        assertStillParked(b, 6, as);
        for (int i = 0; i < as.length; i++) {
            long token = 300 + i;
            assertCounts(ParkingLot.unparkOne(b, 6, res -> token), 1, 0, i < as.length - 1);
        }
        for (int i = 0; i < as.length; i++) {
            assertEquals(ParkResult.unparked(300 + i), as[i].join(), "position " + i);
        }
    }

    /** UNPARK_ONE wakes the first thread of the source and leaves the rest of both queues alone. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void requeueUnparkOne() throws Exception {
        Object a = key();
        Object b = key();
        Waiter b0 = parked(b, 0, 0);
        Waiter[] as = new Waiter[3];
        for (int i = 0; i < as.length; i++) {
            as[i] = parked(a, 0, i);
        }
        List<CallbackCall> calls = new ArrayList<>();
        UnparkResult r = ParkingLot.unparkRequeue(a, 0, b, 0, () -> RequeueOp.UNPARK_ONE, (op, res) -> {
            calls.add(new CallbackCall(op, res));
            return 44;
        });
        assertCounts(r, 1, 0, true);
        assertEquals(List.of(new CallbackCall(RequeueOp.UNPARK_ONE, r)), calls);
        assertEquals(ParkResult.unparked(44), as[0].join());
        assertEquals(threadsOf(as[1], as[2]), ParkingLot.queuedThreads(a, 0));
        assertEquals(threadsOf(b0), ParkingLot.queuedThreads(b, 0));
        assertCounts(ParkingLot.unparkRequeue(a, 0, b, 0, () -> RequeueOp.UNPARK_ONE, (op, res) -> 45), 1, 0, true);
        assertCounts(ParkingLot.unparkRequeue(a, 0, b, 0, () -> RequeueOp.UNPARK_ONE, (op, res) -> 46), 1, 0, false);
        assertEquals(ParkResult.unparked(45), as[1].join());
        assertEquals(ParkResult.unparked(46), as[2].join());
        assertStillParked(b, 0, b0);
        ParkingLot.unparkAll(b);
        b0.join();
    }

    /** REQUEUE_ONE moves only the first thread, without waking it, to the tail of the target queue. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void requeueOne() throws Exception {
        Object a = key();
        Object b = key();
        Waiter b0 = parked(b, 0, 0);
        Waiter[] as = new Waiter[3];
        for (int i = 0; i < as.length; i++) {
            as[i] = parked(a, 0, i);
        }
        List<CallbackCall> calls = new ArrayList<>();
        UnparkResult r = ParkingLot.unparkRequeue(a, 0, b, 0, () -> RequeueOp.REQUEUE_ONE, (op, res) -> {
            calls.add(new CallbackCall(op, res));
            return 33;
        });
        assertEquals(new UnparkResult(0, 1, true, false), r);
        assertEquals(List.of(new CallbackCall(RequeueOp.REQUEUE_ONE, r)), calls);
        assertEquals(threadsOf(as[1], as[2]), ParkingLot.queuedThreads(a, 0));
        assertEquals(threadsOf(b0, as[0]), ParkingLot.queuedThreads(b, 0));
        assertStillParked(b, 0, as[0]);
        assertCounts(ParkingLot.unparkOne(b, 0, res -> 400), 1, 0, true);
        assertCounts(ParkingLot.unparkOne(b, 0, res -> 401), 1, 0, false);
        assertEquals(ParkResult.unparked(400), b0.join());
        assertEquals(ParkResult.unparked(401), as[0].join());
        assertEquals(2, ParkingLot.unparkAll(a, 0, 402));
        assertEquals(ParkResult.unparked(402), as[1].join());
        assertEquals(ParkResult.unparked(402), as[2].join());
    }

    /** Every requeue operation on an empty source calls the callback with EMPTY and returns EMPTY. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void requeueFromEmptyKeyCallsCallbackWithEmpty() throws Exception {
        Object a = key();
        Object b = key();
        Waiter b0 = parked(b, 0, 0);
        for (RequeueOp op : RequeueOp.values()) {
            if (op == RequeueOp.ABORT) {
                continue;
            }
            List<CallbackCall> calls = new ArrayList<>();
            UnparkResult r = ParkingLot.unparkRequeue(a, 0, b, 0, () -> op, (o, res) -> {
                calls.add(new CallbackCall(o, res));
                return 1;
            });
            assertEquals(UnparkResult.EMPTY, r, op.name());
            assertEquals(List.of(new CallbackCall(op, UnparkResult.EMPTY)), calls, op.name());
        }
        assertStillParked(b, 0, b0);
        ParkingLot.unparkAll(b);
        b0.join();
    }

    /** Requeueing between two lanes of one object that share a bucket moves threads in order and loses none. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void requeueWithinOneBucket() throws Exception {
        Object k = key();
        long to = laneSharingBucket(k, 0);
        Object bystanderKey = key();
        Waiter t0 = parked(k, to, 0);
        Waiter[] as = new Waiter[4];
        for (int i = 0; i < as.length; i++) {
            as[i] = parked(k, 0, i);
        }
        UnparkResult r = ParkingLot.unparkRequeue(k, 0, k, to, () -> RequeueOp.UNPARK_ONE_REQUEUE_REST,
                (op, res) -> 12);
        assertEquals(bucketIndex(k, 0), bucketIndex(k, to), "lanes no longer share a bucket");
        assertCounts(r, 1, 3, false);
        assertEquals(ParkResult.unparked(12), as[0].join());
        assertEquals(0, ParkingLot.queueLength(k, 0));
        assertEquals(threadsOf(t0, as[1], as[2], as[3]), ParkingLot.queuedThreads(k, to));
        assertStillParked(k, to, as[1], as[2], as[3]);

        assertEquals(new UnparkResult(0, 1, true, false),
                ParkingLot.unparkRequeue(k, to, k, 0, () -> RequeueOp.REQUEUE_ONE, (op, res) -> 0));
        assertEquals(threadsOf(t0), ParkingLot.queuedThreads(k, 0));
        assertEquals(new UnparkResult(0, 3, false, false),
                ParkingLot.unparkRequeue(k, to, k, 0, () -> RequeueOp.REQUEUE_ALL, (op, res) -> 0));
        assertEquals(threadsOf(t0, as[1], as[2], as[3]), ParkingLot.queuedThreads(k, 0));
        assertEquals(0, ParkingLot.queueLength(bystanderKey, 0));
        Waiter[] expected = {t0, as[1], as[2], as[3]};
        for (int i = 0; i < expected.length; i++) {
            long token = 500 + i;
            assertCounts(ParkingLot.unparkOne(k, 0, res -> token), 1, 0, i < expected.length - 1);
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(ParkResult.unparked(500 + i), expected[i].join(), "position " + i);
        }
    }

    /** Requeueing a key onto itself moves the selected threads to the tail of their own queue, losing none. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void requeueOntoSameKey() throws Exception {
        Object k = key();
        Waiter[] ws = new Waiter[3];
        for (int i = 0; i < ws.length; i++) {
            ws[i] = parked(k, 0, i);
        }
        assertEquals(new UnparkResult(0, 3, false, false),
                ParkingLot.unparkRequeue(k, 0, k, 0, () -> RequeueOp.REQUEUE_ALL, (op, res) -> 0));
        assertEquals(threadsOf(ws), ParkingLot.queuedThreads(k, 0));
        assertEquals(new UnparkResult(0, 1, true, false),
                ParkingLot.unparkRequeue(k, 0, k, 0, () -> RequeueOp.REQUEUE_ONE, (op, res) -> 0));
        assertEquals(threadsOf(ws[1], ws[2], ws[0]), ParkingLot.queuedThreads(k, 0));
        assertStillParked(k, 0, ws);
        UnparkResult r = ParkingLot.unparkRequeue(k, 0, k, 0, () -> RequeueOp.UNPARK_ONE_REQUEUE_REST,
                (op, res) -> 90);
        assertCounts(r, 1, 2, false);
        assertEquals(ParkResult.unparked(90), ws[1].join());
        assertEquals(threadsOf(ws[2], ws[0]), ParkingLot.queuedThreads(k, 0));
        assertEquals(2, ParkingLot.unparkAll(k, 0, 91));
        assertEquals(ParkResult.unparked(91), ws[2].join());
        assertEquals(ParkResult.unparked(91), ws[0].join());
    }

    /** A thread requeued to another key and then interrupted reports the new key to timedOut. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void requeuedThreadInterruptedReportsNewKey() throws Exception {
        Object a = key();
        Object b = key();
        track(b, 3);
        Waiter w = start(a, 0, 0, ParkingLot.FOREVER, true, false);
        awaitQueued(w);
        assertCounts(ParkingLot.unparkRequeue(a, 0, b, 3, () -> RequeueOp.REQUEUE_ALL, (op, r) -> 0), 0, 1, false);
        w.thread.interrupt();
        assertSame(ParkResult.INTERRUPTED, w.join());
        assertEquals(List.of(new TimedOutCall(b, 3, true)), w.timedOutCalls);
        assertEquals(0, ParkingLot.queueLength(b, 3));
        assertEquals(0, ParkingLot.queueLength(a, 0));
    }

    /**
     * A thread requeued to another key and then timing out reports the new key to timedOut (if a stalled machine
     * lets the timeout win the race with the requeue, the old key must be reported and the attempt is repeated).
     */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void requeuedThreadTimingOutReportsNewKey() throws Exception {
        for (int attempt = 1; ; attempt++) {
            Object a = key();
            Object b = key();
            track(b, 3);
            Waiter w = start(a, 0, 0, MILLISECONDS.toNanos(300), false, false);
            awaitQueuedOrDone(w);
            UnparkResult r = ParkingLot.unparkRequeue(a, 0, b, 3, () -> RequeueOp.REQUEUE_ALL, (op, res) -> 0);
            assertSame(ParkResult.TIMED_OUT, w.join());
            assertEquals(0, ParkingLot.queueLength(b, 3));
            if (r.requeuedThreads() == 1) {
                assertEquals(List.of(new TimedOutCall(b, 3, true)), w.timedOutCalls);
                return;
            }
            assertEquals(List.of(new TimedOutCall(a, 0, true)), w.timedOutCalls);
            assertTrue(attempt < 20, "the requeue never beat a 300 ms timeout");
        }
    }

    /**
     * Timeouts racing with requeues between (a, 0) and (b, 5) never strand a thread: after every timed-out park
     * the thread is queued under neither key (the keys differ in object and lane, so a timed-out thread that locked
     * the wrong bucket after a torn read of its key would be caught too).
     */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void timeoutsRacingWithRequeuesStrandNoThread() throws Exception {
        Object a = key();
        Object b = key();
        track(b, 5);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger parks = new AtomicInteger();
        AtomicInteger movedTimeouts = new AtomicInteger();
        List<String> violations = new CopyOnWriteArrayList<>();
        Thread sleeper = Thread.ofPlatform().daemon().start(() -> {
            Thread me = Thread.currentThread();
            while (!stop.get() && violations.isEmpty()) {
                List<TimedOutCall> calls = new ArrayList<>(1);
                long timeout = 20_000 + (parks.get() % 64) * 1_000; // 20-83 us: vary where the timeout lands
                ParkResult r = ParkingLot.park(a, 0, () -> true, NO_OP,
                        (k, l, last) -> calls.add(new TimedOutCall(k, l, last)), 0, timeout, false);
                if (r != ParkResult.TIMED_OUT) {
                    violations.add("park ended " + r);
                } else if (calls.size() != 1) {
                    violations.add("timedOut calls: " + calls);
                } else if (ParkingLot.isQueued(a, 0, me) || ParkingLot.isQueued(b, 5, me)) {
                    violations.add("still queued after timing out; timedOut saw " + calls.get(0));
                } else if (calls.get(0).key() == b && calls.get(0).lane() == 5) {
                    movedTimeouts.incrementAndGet();
                }
                parks.incrementAndGet();
            }
        });
        threads.add(sleeper);
        long deadline = System.nanoTime() + SECONDS.toNanos(2);
        try {
            while (parks.get() < 1000 && System.nanoTime() - deadline < 0 && violations.isEmpty()) {
                ParkingLot.unparkRequeue(a, 0, b, 5, () -> RequeueOp.REQUEUE_ALL, (op, r) -> 0);
                ParkingLot.unparkRequeue(b, 5, a, 0, () -> RequeueOp.REQUEUE_ALL, (op, r) -> 0);
            }
        } finally {
            stop.set(true);
            sleeper.join(JOIN_MILLIS);
        }
        assertFalse(sleeper.isAlive());
        assertEquals(List.of(), violations, () -> "after " + parks.get() + " parks, " + movedTimeouts.get()
                + " of them timing out on the second key");
        assertTrue(parks.get() > 0);
        assertEquals(0, ParkingLot.queueLength(a, 0));
        assertEquals(0, ParkingLot.queueLength(b, 5));
    }

    // ---------------------------------------------------------------------------------------------
    // unparkFilter

    /** unparkFilter sees park tokens in queue order, wakes UNPARK threads, keeps SKIP threads and stops at STOP. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void unparkFilterUnparkSkipStop() throws Exception {
        Object k = key();
        long sibling = laneSharingBucket(k, 0);
        Waiter[] ws = new Waiter[6];
        Waiter bystander = null;
        for (int i = 0; i < ws.length; i++) {
            ws[i] = parked(k, 0, 10 + i);
            if (i == 1) {
                bystander = parked(k, sibling, 77);
            }
        }
        List<Long> seen = new ArrayList<>();
        List<UnparkResult> calls = new ArrayList<>();
        UnparkResult r = ParkingLot.unparkFilter(k, 0, token -> {
            seen.add(token);
            return switch ((int) token) {
                case 10, 12 -> FilterOp.UNPARK;
                case 13 -> FilterOp.STOP;
                default -> FilterOp.SKIP;
            };
        }, res -> {
            calls.add(res);
            return 99;
        });
        assertEquals(List.of(10L, 11L, 12L, 13L), seen);
        assertCounts(r, 2, 0, true);
        assertEquals(List.of(r), calls);
        assertEquals(ParkResult.unparked(99), ws[0].join());
        assertEquals(ParkResult.unparked(99), ws[2].join());
        assertEquals(threadsOf(ws[1], ws[3], ws[4], ws[5]), ParkingLot.queuedThreads(k, 0));
        assertStillParked(k, 0, ws[1], ws[3], ws[4], ws[5]);
        assertStillParked(k, sibling, bystander);

        seen.clear();
        r = ParkingLot.unparkFilter(k, 0, token -> {
            seen.add(token);
            return FilterOp.UNPARK;
        }, res -> 100);
        assertEquals(List.of(11L, 13L, 14L, 15L), seen);
        assertCounts(r, 4, 0, false);
        for (int i : new int[] {1, 3, 4, 5}) {
            assertEquals(ParkResult.unparked(100), ws[i].join(), "thread " + i);
        }
        assertStillParked(k, sibling, bystander);
        assertEquals(1, ParkingLot.unparkAll(k, sibling, 0));
        bystander.join();
    }

    /** An unparkFilter that skips every thread wakes none and reports haveMoreThreads; on an empty key, EMPTY. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void unparkFilterSkipAllAndEmpty() throws Exception {
        Object k = key();
        Waiter w0 = parked(k, 0, 0);
        Waiter w1 = parked(k, 0, 1);
        List<UnparkResult> calls = new ArrayList<>();
        UnparkResult r = ParkingLot.unparkFilter(k, 0, token -> FilterOp.SKIP, res -> {
            calls.add(res);
            return 5;
        });
        assertEquals(new UnparkResult(0, 0, true, false), r);
        assertEquals(List.of(r), calls);
        assertStillParked(k, 0, w0, w1);
        r = ParkingLot.unparkFilter(k, 0, token -> FilterOp.STOP, res -> 5);
        assertEquals(new UnparkResult(0, 0, true, false), r);
        assertStillParked(k, 0, w0, w1);

        calls.clear();
        Object empty = key();
        r = ParkingLot.unparkFilter(empty, 0, token -> fail("filter called on empty key"), res -> {
            calls.add(res);
            return 5;
        });
        assertEquals(UnparkResult.EMPTY, r);
        assertEquals(List.of(UnparkResult.EMPTY), calls);
        assertEquals(2, ParkingLot.unparkAll(k, 0, 6));
        assertEquals(ParkResult.unparked(6), w0.join());
        assertEquals(ParkResult.unparked(6), w1.join());
    }

    // ---------------------------------------------------------------------------------------------
    // interrupts

    /** An interruptible park interrupted while parked returns INTERRUPTED, dequeued, after timedOut, status set. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void interruptibleParkInterruptedWhileParked() throws Exception {
        for (boolean virtual : new boolean[] {false, true}) {
            for (long timeout : new long[] {ParkingLot.FOREVER, SECONDS.toNanos(60)}) {
                Object k = key();
                Waiter w = start(k, 2, 0, timeout, true, virtual);
                track(k, 2);
                awaitQueued(w);
                w.thread.interrupt();
                assertSame(ParkResult.INTERRUPTED, w.join());
                assertTrue(w.interruptedOnReturn, "interrupt status cleared");
                assertEquals(List.of(new TimedOutCall(k, 2, true)), w.timedOutCalls);
                assertEquals(0, ParkingLot.queueLength(k, 2));
                assertEquals(1, w.beforeSleepRuns.get());
            }
        }
    }

    /** A pre-interrupted interruptible park validates first, then returns INTERRUPTED at once without queuing. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void preInterruptedInterruptibleParkReturnsAtOnce() {
        Object k = key();
        try {
            for (long timeout : new long[] {ParkingLot.FOREVER, SECONDS.toNanos(60)}) {
                Thread.currentThread().interrupt();
                List<TimedOutCall> calls = new ArrayList<>();
                AtomicInteger slept = new AtomicInteger();
                ParkingLot.TimedOutCallback record = (kk, l, last) -> calls.add(new TimedOutCall(kk, l, last));
                assertSame(ParkResult.INVALID,
                        ParkingLot.park(k, 0, () -> false, slept::incrementAndGet, record, 0, timeout, true));
                assertEquals(List.of(), calls);
                assertTrue(Thread.currentThread().isInterrupted());
                assertSame(ParkResult.INTERRUPTED,
                        ParkingLot.park(k, 0, () -> true, slept::incrementAndGet, record, 0, timeout, true));
                assertEquals(List.of(new TimedOutCall(k, 0, true)), calls);
                assertEquals(0, slept.get(), "beforeSleep ran: the thread was queued");
                assertTrue(Thread.currentThread().isInterrupted(), "interrupt status cleared");
                assertEquals(0, ParkingLot.queueLength(k, 0));
            }
        } finally {
            Thread.interrupted();
        }
    }

    /** An uninterruptible park sleeps through an interrupt, ends only by unpark, and returns with the status set. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void uninterruptibleParkSleepsThroughInterrupt() throws Exception {
        for (boolean virtual : new boolean[] {false, true}) {
            Object k = key();
            Waiter w = start(k, 0, 0, ParkingLot.FOREVER, false, virtual);
            awaitQueued(w);
            w.thread.interrupt();
            assertStillParked(k, 0, w);
            assertCounts(ParkingLot.unparkOne(k, 0, r -> 21), 1, 0, false);
            assertEquals(ParkResult.unparked(21), w.join());
            assertTrue(w.interruptedOnReturn, "interrupt status lost");
            assertEquals(List.of(), w.timedOutCalls);
        }
    }

    /** A pre-interrupted uninterruptible park still queues and sleeps, and keeps the interrupt status. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void preInterruptedUninterruptibleParkStillSleeps() throws Exception {
        Object k = key();
        Waiter w = startWith(k, 0, false, self -> {
            Thread.currentThread().interrupt();
            return ParkingLot.park(k, 0, () -> true, self::ranBeforeSleep, self::timedOut, 0, ParkingLot.FOREVER,
                    false);
        });
        awaitQueued(w);
        assertStillParked(k, 0, w);
        assertCounts(ParkingLot.unparkOne(k, 0, r -> 22), 1, 0, false);
        assertEquals(ParkResult.unparked(22), w.join());
        assertTrue(w.interruptedOnReturn);

        long timeout = MILLISECONDS.toNanos(20);
        long[] elapsed = new long[1];
        Waiter timed = startWith(k, 0, true, self -> {
            Thread.currentThread().interrupt();
            long start = System.nanoTime();
            ParkResult r = ParkingLot.park(k, 0, () -> true, NO_OP, self::timedOut, 0, timeout, false);
            elapsed[0] = System.nanoTime() - start;
            return r;
        });
        assertSame(ParkResult.TIMED_OUT, timed.join());
        assertTrue(elapsed[0] >= timeout, () -> "interrupt cut the timed park short: " + elapsed[0] + " ns");
        assertTrue(timed.interruptedOnReturn);
        assertEquals(List.of(new TimedOutCall(k, 0, true)), timed.timedOutCalls);
    }

    // ---------------------------------------------------------------------------------------------
    // throwing callbacks

    /** A throwing validate reaches the caller and leaves the queue and the bucket lock as they were. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void throwingValidateLeavesQueueIntact() throws Exception {
        Object k = key();
        Waiter other = parked(k, 0, 0);
        RuntimeException boom = new RuntimeException("boom");
        AtomicInteger callbacks = new AtomicInteger();
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> ParkingLot.park(k, 0, () -> {
            throw boom;
        }, callbacks::incrementAndGet, (kk, l, last) -> callbacks.incrementAndGet(), 0, ParkingLot.FOREVER, false));
        assertSame(boom, thrown);
        assertEquals(0, callbacks.get());
        assertEquals(threadsOf(other), ParkingLot.queuedThreads(k, 0));
        assertBucketUsable(k, 0);
        assertCounts(ParkingLot.unparkOne(k, 0, r -> 3), 1, 0, false);
        assertEquals(ParkResult.unparked(3), other.join());
    }

    /** A throwing unparkOne callback reaches the caller and wakes no one; the thread can be woken afterwards. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void throwingUnparkCallbackLeavesQueueIntact() throws Exception {
        Object k = key();
        Waiter w = parked(k, 0, 0);
        RuntimeException boom = new RuntimeException("boom");
        assertSame(boom, assertThrows(RuntimeException.class, () -> ParkingLot.unparkOne(k, 0, r -> {
            throw boom;
        })));
        assertStillParked(k, 0, w);
        assertBucketUsable(k, 0);
        Object empty = key();
        assertSame(boom, assertThrows(RuntimeException.class, () -> ParkingLot.unparkOne(empty, 0, r -> {
            throw boom;
        })));
        assertBucketUsable(empty, 0);
        assertCounts(ParkingLot.unparkOne(k, 0, r -> 4), 1, 0, false);
        assertEquals(ParkResult.unparked(4), w.join());
    }

    /** A throwing requeue validate or callback reaches the caller and leaves both queues intact and usable. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void throwingRequeueCallbacksLeaveQueuesIntact() throws Exception {
        Object a = key();
        Object b = key();
        long sameBucketLane = laneSharingBucket(a, 0);
        Object[][] targets = {{b, 0L}, {a, sameBucketLane}};
        for (Object[] target : targets) {
            Object to = target[0];
            long toLane = (Long) target[1];
            Waiter a0 = parked(a, 0, 0);
            Waiter a1 = parked(a, 0, 1);
            Waiter t0 = parked(to, toLane, 2);
            RuntimeException boom = new RuntimeException("boom");
            AtomicInteger callbacks = new AtomicInteger();
            assertSame(boom, assertThrows(RuntimeException.class, () -> ParkingLot.unparkRequeue(a, 0, to, toLane,
                    () -> {
                        throw boom;
                    }, (op, r) -> callbacks.incrementAndGet())));
            assertEquals(0, callbacks.get());
            for (RequeueOp op : new RequeueOp[] {RequeueOp.UNPARK_ONE_REQUEUE_REST, RequeueOp.REQUEUE_ALL}) {
                assertSame(boom, assertThrows(RuntimeException.class, () -> ParkingLot.unparkRequeue(a, 0, to, toLane,
                        () -> op, (o, r) -> {
                            throw boom;
                        })));
            }
            NullPointerException npe = assertThrows(NullPointerException.class,
                    () -> ParkingLot.unparkRequeue(a, 0, to, toLane, () -> null, (o, r) -> 0));
            assertTrue(npe.getMessage().contains("RequeueOp"), npe.getMessage());
            assertStillParked(a, 0, a0, a1);
            assertEquals(threadsOf(a0, a1), ParkingLot.queuedThreads(a, 0));
            assertEquals(threadsOf(t0), ParkingLot.queuedThreads(to, toLane));
            assertBucketUsable(a, 0);
            assertBucketUsable(to, toLane);

            assertCounts(ParkingLot.unparkRequeue(a, 0, to, toLane, () -> RequeueOp.UNPARK_ONE_REQUEUE_REST,
                    (op, r) -> 8), 1, 1, false);
            assertEquals(ParkResult.unparked(8), a0.join());
            assertEquals(2, ParkingLot.unparkAll(to, toLane, 9));
            assertEquals(ParkResult.unparked(9), t0.join());
            assertEquals(ParkResult.unparked(9), a1.join());
        }
    }

    /** A filter that throws midway reaches the caller, wakes no one, and leaves no thread marked for a later scan. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void throwingFilterLeavesQueueIntact() throws Exception {
        Object k = key();
        Waiter[] ws = {parked(k, 0, 0), parked(k, 0, 1), parked(k, 0, 2)};
        RuntimeException boom = new RuntimeException("boom");
        AtomicInteger callbacks = new AtomicInteger();
        assertSame(boom, assertThrows(RuntimeException.class, () -> ParkingLot.unparkFilter(k, 0, token -> {
            if (token == 1) {
                throw boom;
            }
            return FilterOp.UNPARK;
        }, r -> callbacks.incrementAndGet())));
        assertEquals(0, callbacks.get());
        assertThrows(NullPointerException.class, () -> ParkingLot.unparkFilter(k, 0, token -> null, r -> 0));
        assertStillParked(k, 0, ws);
        assertEquals(threadsOf(ws), ParkingLot.queuedThreads(k, 0));
        assertBucketUsable(k, 0);
        assertEquals(new UnparkResult(0, 0, true, false),
                ParkingLot.unparkFilter(k, 0, token -> FilterOp.SKIP, r -> 0));
        assertStillParked(k, 0, ws);
        // A selective scan must wake exactly the thread it selects, not one marked by the failed scan.
        assertCounts(ParkingLot.unparkFilter(k, 0, token -> token == 2 ? FilterOp.UNPARK : FilterOp.SKIP, r -> 8),
                1, 0, true);
        assertEquals(ParkResult.unparked(8), ws[2].join());
        assertStillParked(k, 0, ws[0], ws[1]);
        assertEquals(2, ParkingLot.unparkAll(k, 0, 9));
        assertEquals(ParkResult.unparked(9), ws[0].join());
        assertEquals(ParkResult.unparked(9), ws[1].join());
    }

    /** A throwing unparkFilter callback reaches the caller, wakes no one, and leaves the queue intact. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void throwingFilterCallbackLeavesQueueIntact() throws Exception {
        Object k = key();
        Waiter[] ws = {parked(k, 0, 0), parked(k, 0, 1)};
        RuntimeException boom = new RuntimeException("boom");
        assertSame(boom, assertThrows(RuntimeException.class,
                () -> ParkingLot.unparkFilter(k, 0, token -> FilterOp.UNPARK, r -> {
                    throw boom;
                })));
        assertStillParked(k, 0, ws);
        assertBucketUsable(k, 0);
        assertEquals(new UnparkResult(0, 0, true, false),
                ParkingLot.unparkFilter(k, 0, token -> FilterOp.SKIP, r -> 0));
        assertStillParked(k, 0, ws);
        // A selective scan must wake exactly the thread it selects, not one marked by the failed scan.
        assertCounts(ParkingLot.unparkFilter(k, 0, token -> token == 1 ? FilterOp.UNPARK : FilterOp.SKIP, r -> 5),
                1, 0, true);
        assertEquals(ParkResult.unparked(5), ws[1].join());
        assertStillParked(k, 0, ws[0]);
        assertEquals(1, ParkingLot.unparkAll(k, 0, 6));
        assertEquals(ParkResult.unparked(6), ws[0].join());
    }

    /** A throwing timedOut reaches the caller after the thread left the queue; other queued threads are unaffected. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void throwingTimedOutReachesCallerAfterDequeue() throws Exception {
        Object k = key();
        Waiter other = parked(k, 0, 0);
        RuntimeException boom = new RuntimeException("boom");
        for (long timeout : new long[] {MILLISECONDS.toNanos(5), 0}) {
            assertSame(boom, assertThrows(RuntimeException.class, () -> ParkingLot.park(k, 0, () -> true, NO_OP,
                    (kk, l, last) -> {
                        throw boom;
                    }, 0, timeout, false)));
            assertEquals(threadsOf(other), ParkingLot.queuedThreads(k, 0));
            assertFalse(ParkingLot.isQueued(k, 0, Thread.currentThread()));
            assertBucketUsable(k, 0);
        }
        assertCounts(ParkingLot.unparkOne(k, 0, r -> 6), 1, 0, false);
        assertEquals(ParkResult.unparked(6), other.join());
    }

    /** A throwing beforeSleep dequeues the thread as on a timeout (running timedOut) and rethrows. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void throwingBeforeSleepDequeuesAndRethrows() throws Exception {
        Object k = key();
        RuntimeException boom = new RuntimeException("boom");
        List<TimedOutCall> calls = new ArrayList<>();
        ParkingLot.TimedOutCallback record = (kk, l, last) -> calls.add(new TimedOutCall(kk, l, last));
        assertSame(boom, assertThrows(RuntimeException.class, () -> ParkingLot.park(k, 0, () -> true, () -> {
            throw boom;
        }, record, 0, ParkingLot.FOREVER, false)));
        assertEquals(List.of(new TimedOutCall(k, 0, true)), calls);
        assertEquals(0, ParkingLot.queueLength(k, 0));

        Waiter other = parked(k, 0, 0);
        calls.clear();
        assertSame(boom, assertThrows(RuntimeException.class, () -> ParkingLot.park(k, 0, () -> true, () -> {
            throw boom;
        }, record, 0, SECONDS.toNanos(60), true)));
        assertEquals(List.of(new TimedOutCall(k, 0, false)), calls);
        assertEquals(threadsOf(other), ParkingLot.queuedThreads(k, 0));

        RuntimeException boom2 = new RuntimeException("boom2");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> ParkingLot.park(k, 0, () -> true, () -> {
            throw boom;
        }, (kk, l, last) -> {
            throw boom2;
        }, 0, ParkingLot.FOREVER, false));
        assertSame(boom, thrown);
        assertArrayEquals(new Throwable[] {boom2}, thrown.getSuppressed());
        assertEquals(threadsOf(other), ParkingLot.queuedThreads(k, 0));
        assertBucketUsable(k, 0);
        assertCounts(ParkingLot.unparkOne(k, 0, r -> 7), 1, 0, false);
        assertEquals(ParkResult.unparked(7), other.join());
    }

    // ---------------------------------------------------------------------------------------------
    // bad arguments

    /** Every operation throws a NullPointerException naming the null argument. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void nullArgumentsThrowNpeNamingTheArgument() {
        Object k = key();
        BooleanSupplier no = () -> false;
        ParkingLot.UnparkCallback cb = r -> 0;
        ParkingLot.RequeueCallback rcb = (op, r) -> 0;
        assertNpe("key", () -> ParkingLot.park(null, no));
        assertNpe("validate", () -> ParkingLot.park(k, null));
        assertNpe("key", () -> ParkingLot.park(null, 0, no, NO_OP, NO_TIMED_OUT, 0, 0, false));
        assertNpe("validate", () -> ParkingLot.park(k, 0, null, NO_OP, NO_TIMED_OUT, 0, 0, false));
        assertNpe("beforeSleep", () -> ParkingLot.park(k, 0, no, null, NO_TIMED_OUT, 0, 0, false));
        assertNpe("timedOut", () -> ParkingLot.park(k, 0, no, NO_OP, null, 0, 0, false));
        assertNpe("key", () -> ParkingLot.compareAndPark(null, () -> 0, 1));
        assertNpe("word", () -> ParkingLot.compareAndPark(k, null, 1));
        assertNpe("key", () -> ParkingLot.compareAndPark(null, 0, () -> 0, 1, 0, false));
        assertNpe("word", () -> ParkingLot.compareAndPark(k, 0, null, 1, 0, false));
        assertNpe("key", () -> ParkingLot.unparkOne(null, 0, cb));
        assertNpe("callback", () -> ParkingLot.unparkOne(k, 0, null));
        assertNpe("key", () -> ParkingLot.unparkOne(null));
        assertNpe("key", () -> ParkingLot.unparkAll(null, 0, 0));
        assertNpe("key", () -> ParkingLot.unparkAll(null));
        assertNpe("keyFrom", () -> ParkingLot.unparkRequeue(null, 0, k, 0, () -> RequeueOp.ABORT, rcb));
        assertNpe("keyTo", () -> ParkingLot.unparkRequeue(k, 0, null, 0, () -> RequeueOp.ABORT, rcb));
        assertNpe("validate", () -> ParkingLot.unparkRequeue(k, 0, k, 1, null, rcb));
        assertNpe("callback", () -> ParkingLot.unparkRequeue(k, 0, k, 1, () -> RequeueOp.ABORT, null));
        assertNpe("key", () -> ParkingLot.unparkFilter(null, 0, t -> FilterOp.UNPARK, cb));
        assertNpe("filter", () -> ParkingLot.unparkFilter(k, 0, null, cb));
        assertNpe("callback", () -> ParkingLot.unparkFilter(k, 0, t -> FilterOp.UNPARK, null));
        assertNpe("key", () -> ParkingLot.queueLength(null, 0));
        assertNpe("key", () -> ParkingLot.isQueued(null, 0, Thread.currentThread()));
        assertNpe("thread", () -> ParkingLot.isQueued(k, 0, null));
        assertNpe("key", () -> ParkingLot.queuedThreads(null, 0));
        assertBucketUsable(k, 0);
    }

    // ---------------------------------------------------------------------------------------------
    // compareAndPark

    /** compareAndPark returns INVALID at once, without queuing, when the word differs from the expected value. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void compareAndParkInvalidWhenValueDiffers() {
        Object k = key();
        AtomicInteger word = new AtomicInteger(5);
        assertSame(ParkResult.INVALID, ParkingLot.compareAndPark(k, word::get, 6));
        assertSame(ParkResult.INVALID, ParkingLot.compareAndPark(k, 3, word::get, 4, ParkingLot.FOREVER, true));
        assertEquals(0, ParkingLot.queueLength(k, 0));
        assertEquals(0, ParkingLot.queueLength(k, 3));
    }

    /** compareAndPark sleeps while the word equals the expected value until an unpark wakes it with its token. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void compareAndParkParksWhileEqual() throws Exception {
        Object k = key();
        AtomicInteger word = new AtomicInteger(5);
        Waiter w = startWith(k, 0, false, self -> ParkingLot.compareAndPark(k, word::get, 5));
        awaitQueued(w);
        assertStillParked(k, 0, w);
        word.set(6);
        assertCounts(ParkingLot.unparkOne(k, 0, r -> 12), 1, 0, false);
        assertEquals(ParkResult.unparked(12), w.join());

        Waiter timed = startWith(k, 3, true, self -> ParkingLot.compareAndPark(k, 3, word::get, 6,
                MILLISECONDS.toNanos(5), false));
        assertSame(ParkResult.TIMED_OUT, timed.join());
        assertEquals(0, ParkingLot.queueLength(k, 3));
    }

    // ---------------------------------------------------------------------------------------------
    // fairness

    /** The first thread-waking unpark after a bucket was idle for over a millisecond reports beFair. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void unparkAfterIdleMillisecondIsFair() throws Exception {
        Object k = key();
        Waiter w = parked(k, 0, 0);
        passOneMillisecond(System.nanoTime());
        assertTrue(ParkingLot.unparkOne(k, 0, r -> 0).beFair(), "unparkOne");
        w.join();

        Object target = key();
        w = parked(k, 0, 0);
        passOneMillisecond(System.nanoTime());
        assertTrue(ParkingLot.unparkRequeue(k, 0, target, 0, () -> RequeueOp.UNPARK_ONE, (op, r) -> 0).beFair(),
                "unparkRequeue");
        w.join();

        w = parked(k, 0, 0);
        passOneMillisecond(System.nanoTime());
        assertTrue(ParkingLot.unparkFilter(k, 0, t -> FilterOp.UNPARK, r -> 0).beFair(), "unparkFilter");
        w.join();
    }

    /** Operations that wake no thread never report beFair, even on an idle bucket. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void nothingWokenIsNeverFair() throws Exception {
        Object a = key();
        Object b = key();
        passOneMillisecond(System.nanoTime());
        assertFalse(ParkingLot.unparkOne(a, 0, r -> 0).beFair());
        Waiter w = parked(a, 0, 0);
        passOneMillisecond(System.nanoTime());
        assertFalse(ParkingLot.unparkFilter(a, 0, t -> FilterOp.SKIP, r -> 0).beFair());
        assertFalse(ParkingLot.unparkRequeue(a, 0, b, 0, () -> RequeueOp.REQUEUE_ONE, (op, r) -> 0).beFair());
        assertFalse(ParkingLot.unparkRequeue(b, 0, a, 0, () -> RequeueOp.REQUEUE_ALL, (op, r) -> 0).beFair());
        assertStillParked(a, 0, w);
        ParkingLot.unparkAll(a);
        w.join();
    }

    /**
     * Under a steady stream of unparks on one key, beFair fires on average about every half millisecond.
     *
     * <p>One thread re-parks in a loop; this thread unparks it as fast as it can, recording for each unpark the
     * time just before the call ({@code before}) and the time inside the callback ({@code decided}, which follows
     * the bucket's fairness decision). The contract is "fair at a random point 0-1 ms after the last fair unpark",
     * and no other thread unparks in this bucket, so:
     * <ol>
     *   <li>Exact, scheduling-proof check: an unpark that did not report beFair started less than 1 ms after the
     *       decision of the last fair one (or of the first unpark): a fair timeout never lies more than 1 ms ahead.
     *       Summed over the run, the mean interval between fair events is below 1 ms plus the mean wait before the
     *       unpark that ended each interval, i.e. the bound on the interval is relative to the observed throughput
     *       (a stalled unparker lengthens the intervals without failing the test).</li>
     *   <li>Statistical check of the random delays: consecutive fair events are at least the armed random delay
     *       apart, so the mean interval over n &gt;= 50 fair events is at least the mean of n - 1 delays drawn
     *       uniformly from [0, 1 ms), expected 0.5 ms. Asserting a mean of at least 0.1 ms fails only if those
     *       delays average under a fifth of their expectation (probability below 1e-28 for 49 uniform draws);
     *       scheduling noise only lengthens intervals, so it cannot make this check fail.</li>
     * </ol>
     * The run lasts at least 200 ms and until 50 fair events were seen.
     */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void beFairFiresAboutEveryHalfMillisecond() throws Exception {
        Object k = key();
        AtomicBoolean stopFlag = new AtomicBoolean();
        Thread parker = Thread.ofPlatform().daemon().start(() -> {
            while (!stopFlag.get()) {
                ParkingLot.park(k, 0, () -> !stopFlag.get(), NO_OP, NO_TIMED_OUT, 0, ParkingLot.FOREVER, false);
            }
        });
        threads.add(parker);
        final int cap = 1 << 20;
        long[] before = new long[cap];
        long[] decided = new long[cap];
        boolean[] fair = new boolean[cap];
        long[] callbackTime = new long[1];
        int n = 0;
        int fairCount = 0;
        long start = System.nanoTime();
        try {
            while (n < cap && (fairCount < 50 || System.nanoTime() - start < MILLISECONDS.toNanos(200))) {
                long b = System.nanoTime();
                UnparkResult r = ParkingLot.unparkOne(k, 0, res -> {
                    callbackTime[0] = System.nanoTime();
                    return 0;
                });
                if (r.unparkedThreads() == 0) {
                    Thread.yield(); // the parker has not re-parked yet
                    continue;
                }
                before[n] = b;
                decided[n] = callbackTime[0];
                fair[n] = r.beFair();
                if (r.beFair()) {
                    fairCount++;
                }
                n++;
            }
        } finally {
            stopFlag.set(true);
            while (parker.isAlive()) {
                ParkingLot.unparkAll(k);
                parker.join(10);
            }
        }

        // 1. No fair-free stretch longer than 1 ms.
        int lastFair = -1;
        int firstFair = -1;
        long gapsBeforeFair = 0;
        for (int i = 0; i < n; i++) {
            if (fair[i]) {
                if (firstFair < 0) {
                    firstFair = i;
                } else {
                    gapsBeforeFair += decided[i] - before[i - 1];
                }
                lastFair = i;
                continue;
            }
            int ref = lastFair >= 0 ? lastFair : 0;
            if (i == ref) {
                continue;
            }
            long late = before[i] - decided[ref];
            int index = i;
            assertTrue(late < 1_000_000L, () -> "unpark " + index + " started " + late
                    + " ns after the last fair decision and was not fair");
        }
        assertTrue(fairCount >= 50, "only " + fairCount + " fair unparks in " + n);
        long span = decided[lastFair] - before[firstFair];
        long intervals = fairCount - 1;
        double meanMs = span / 1e6 / intervals;
        String summary = fairCount + " fair of " + n + " unparks, mean interval " + meanMs + " ms";
        assertTrue(span < intervals * 1_000_000L + gapsBeforeFair, summary);
        // 2. The random delays are not systematically short.
        assertTrue(span >= intervals * 100_000L, summary);
    }

    // ---------------------------------------------------------------------------------------------
    // results

    /** ParkResult hands out the unpark token only for UNPARKED, and compares by kind and token. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void parkResultValueSemantics() {
        for (ParkResult r : new ParkResult[] {ParkResult.INVALID, ParkResult.TIMED_OUT, ParkResult.INTERRUPTED}) {
            assertThrows(IllegalStateException.class, r::unparkToken);
            assertFalse(r.isUnparked());
            assertEquals(r.kind().name(), r.toString());
        }
        long big = 123_456_789_012L;
        assertEquals(ParkResult.unparked(big), ParkResult.unparked(big));
        assertEquals(ParkResult.unparked(big).hashCode(), ParkResult.unparked(big).hashCode());
        assertEquals(big, ParkResult.unparked(big).unparkToken());
        assertEquals(-3, ParkResult.unparked(-3).unparkToken());
        assertEquals(ParkResult.Kind.UNPARKED, ParkResult.unparked(3).kind());
        assertTrue(ParkResult.unparked(3).isUnparked());
        assertNotEquals(ParkResult.unparked(3), ParkResult.unparked(4));
        assertNotEquals(ParkResult.INVALID, ParkResult.TIMED_OUT);
        assertEquals("UNPARKED(" + big + ")", ParkResult.unparked(big).toString());
    }
}
