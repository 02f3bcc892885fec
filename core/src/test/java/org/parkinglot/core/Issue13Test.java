package org.parkinglot.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regressions of issue 13 in the parking lot itself: a callback that calls back into the parking lot
 * (it used to deadlock on its bucket lock, wedging every key of that bucket), and a {@code beforeSleep}
 * that throws after an unparker already chose the thread (the unpark token used to be lost with the
 * exception).
 *
 * <p>Every misuse runs in a thread of its own that the test joins with a limit: on code without the
 * re-entry check the call deadlocks inside a bucket lock, which ignores interrupts, and the test then
 * fails on the join instead of hanging.
 */
class Issue13Test {

    /** How long a misusing call may take before the test calls it a deadlock. */
    private static final long CALL_LIMIT_MILLIS = 10_000;

    /** Runs {@code body} in a daemon thread and returns what it threw, failing if it did not return in time. */
    private static Throwable thrownBy(String what, ThrowingRunnable body) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = Thread.ofPlatform().daemon().name("issue13-" + what).start(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.join(CALL_LIMIT_MILLIS);
        if (t.isAlive()) {
            fail(what + " did not return: the call from inside the callback wedged a bucket lock");
        }
        return thrown.get();
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Throwable;
    }

    private static void assertReentryRefused(String what, Throwable thrown) {
        assertInstanceOf(IllegalStateException.class, thrown, what);
        assertTrue(thrown.getMessage().contains("must not call the parking lot"), thrown.getMessage());
    }

    /** Parks a thread on (key, 0) and returns it with where its park result will land. */
    private static Thread parkedThread(Object key, AtomicReference<ParkResult> result) throws InterruptedException {
        Thread t = Thread.ofPlatform().daemon().start(() -> result.set(ParkingLot.park(key, () -> true)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ParkingLot.isQueued(key, 0L, t)) {
            if (System.nanoTime() - deadline > 0) {
                fail("the thread did not park");
            }
            Thread.sleep(1);
        }
        return t;
    }

    /** The key's bucket works: a thread parks on it and an unpark with a token wakes it. */
    private static void assertKeyUsable(Object key) throws InterruptedException {
        AtomicReference<ParkResult> result = new AtomicReference<>();
        Thread t = parkedThread(key, result);
        assertEquals(1, ParkingLot.unparkOne(key, 0L, r -> 11L).unparkedThreads());
        t.join(CALL_LIMIT_MILLIS);
        assertFalse(t.isAlive());
        assertEquals(ParkResult.unparked(11L), result.get());
    }

    /** Every public operation of the parking lot, called for {@code key} (which has no waiter). */
    private static Map<String, ThrowingRunnable> everyOperation(Object key) {
        Map<String, ThrowingRunnable> ops = new LinkedHashMap<>();
        Object other = new Object();
        ops.put("park", () -> ParkingLot.park(key, () -> false));
        ops.put("park with ParkCallbacks", () -> ParkingLot.park(key, 0L, (k, l) -> false, 0L, ParkingLot.FOREVER, false));
        ops.put("compareAndPark", () -> ParkingLot.compareAndPark(key, () -> 1, 0));
        ops.put("unparkOne", () -> ParkingLot.unparkOne(key));
        ops.put("unparkAll", () -> ParkingLot.unparkAll(key));
        ops.put("unparkRequeue", () -> ParkingLot.unparkRequeue(key, 0L, other, 0L, () -> RequeueOp.REQUEUE_ALL,
                (op, r) -> 0L));
        ops.put("unparkFilter", () -> ParkingLot.unparkFilter(key, 0L, token -> FilterOp.UNPARK, r -> 0L));
        ops.put("fairnessOverdue", () -> ParkingLot.fairnessOverdue(key, 0L, 0L));
        ops.put("queueLength", () -> ParkingLot.queueLength(key, 0L));
        ops.put("isQueued", () -> ParkingLot.isQueued(key, 0L, Thread.currentThread()));
        ops.put("queuedThreads", () -> ParkingLot.queuedThreads(key, 0L));
        return ops;
    }

    /**
     * Edge 1's question to the parking lot: a key is overdue for a fair hand-off only while threads are
     * queued on it, its quiet period (counted from the first question, or from the last wake-up of one
     * of its threads) has passed, and the bucket's fair timer has fired.
     */
    @Test
    @Timeout(60)
    void fairnessOverdueCountsFromTheLastWakeUp() throws Exception {
        Object key = new Object();
        long quiet = TimeUnit.MILLISECONDS.toNanos(2);
        assertFalse(ParkingLot.fairnessOverdue(key, 0L, 0L), "no thread queued");
        assertThrows(NullPointerException.class, () -> ParkingLot.fairnessOverdue(null, 0L, 0L));
        AtomicReference<ParkResult> first = new AtomicReference<>();
        AtomicReference<ParkResult> second = new AtomicReference<>();
        Thread t1 = parkedThread(key, first);
        Thread t2 = parkedThread(key, second);
        assertFalse(ParkingLot.fairnessOverdue(key, 0L, 0L), "the first question starts the quiet period");
        Thread.sleep(5); // past the quiet period, and past any fair timeout armed before (at most 1 ms ahead)
        assertFalse(ParkingLot.fairnessOverdue(key, 0L, Long.MAX_VALUE), "quiet period not over");
        assertFalse(ParkingLot.fairnessOverdue(key, 1L, 0L), "another lane has no queue");
        assertTrue(ParkingLot.fairnessOverdue(key, 0L, quiet), "queued, quiet for 5 ms, timer fired");
        assertTrue(ParkingLot.fairnessOverdue(key, 0L, quiet), "asking changes nothing");
        // A fair unpark of the head: the timer re-arms, and the remaining thread's quiet period restarts.
        UnparkResult woken = ParkingLot.unparkOne(key, 0L, r -> 1L);
        assertEquals(1, woken.unparkedThreads());
        assertTrue(woken.beFair());
        assertFalse(ParkingLot.fairnessOverdue(key, 0L, quiet), "a thread of the key was just woken");
        Thread.sleep(5);
        assertTrue(ParkingLot.fairnessOverdue(key, 0L, quiet), "quiet again for 5 ms");
        assertEquals(1, ParkingLot.unparkOne(key, 0L, r -> 2L).unparkedThreads());
        t1.join(CALL_LIMIT_MILLIS);
        t2.join(CALL_LIMIT_MILLIS);
        assertEquals(ParkResult.unparked(1L), first.get());
        assertEquals(ParkResult.unparked(2L), second.get());
        assertFalse(ParkingLot.fairnessOverdue(key, 0L, 0L), "no thread queued any more");
    }

    /** Every operation called from a park's validate throws IllegalStateException, and the key stays usable. */
    @Test
    @Timeout(120)
    void callFromValidateIsRefused() throws Exception {
        Object key = new Object();
        for (Map.Entry<String, ThrowingRunnable> op : everyOperation(key).entrySet()) {
            AtomicReference<Throwable> inner = new AtomicReference<>();
            Throwable outer = thrownBy("validate calling " + op.getKey(), () -> ParkingLot.park(key, () -> {
                try {
                    op.getValue().run();
                } catch (Throwable e) {
                    inner.set(e);
                }
                return false;
            }));
            assertNull(outer, op.getKey());
            assertReentryRefused(op.getKey(), inner.get());
            assertKeyUsable(key);
        }
    }

    /** An unparkOne callback that calls the lot makes unparkOne throw, and the queued thread stays queued. */
    @Test
    @Timeout(60)
    void callFromUnparkCallbackIsRefused() throws Exception {
        Object key = new Object();
        AtomicReference<ParkResult> result = new AtomicReference<>();
        Thread waiter = parkedThread(key, result);
        Throwable thrown = thrownBy("unpark callback calling unparkAll",
                () -> ParkingLot.unparkOne(key, 0L, r -> ParkingLot.unparkAll(key)));
        assertReentryRefused("unparkOne callback", thrown);
        assertTrue(ParkingLot.isQueued(key, 0L, waiter), "the waiter left the queue");
        assertEquals(1, ParkingLot.unparkOne(key, 0L, r -> 5L).unparkedThreads());
        waiter.join(CALL_LIMIT_MILLIS);
        assertEquals(ParkResult.unparked(5L), result.get());
        assertKeyUsable(key);
    }

    /** A timedOut callback that calls the lot makes the park throw after the thread left the queue. */
    @Test
    @Timeout(60)
    void callFromTimedOutIsRefused() throws Exception {
        Object key = new Object();
        Throwable thrown = thrownBy("timedOut calling queueLength", () -> ParkingLot.park(key, 0L, () -> true,
                () -> { }, (k, lane, last) -> ParkingLot.queueLength(key, 0L), 0L, 1_000_000L, false));
        assertReentryRefused("timedOut", thrown);
        assertEquals(0, ParkingLot.queueLength(key, 0L));
        assertKeyUsable(key);
    }

    /** Requeue validators and callbacks, filters and filter callbacks that call the lot are refused too. */
    @Test
    @Timeout(60)
    void callFromRequeueAndFilterCallbacksIsRefused() throws Exception {
        Object from = new Object();
        Object to = new Object();
        AtomicReference<ParkResult> result = new AtomicReference<>();
        Thread waiter = parkedThread(from, result);
        assertReentryRefused("requeue validate", thrownBy("requeue validate",
                () -> ParkingLot.unparkRequeue(from, 0L, to, 0L, () -> {
                    ParkingLot.unparkOne(to);
                    return RequeueOp.REQUEUE_ALL;
                }, (op, r) -> 0L)));
        assertReentryRefused("requeue callback", thrownBy("requeue callback",
                () -> ParkingLot.unparkRequeue(from, 0L, to, 0L, () -> RequeueOp.REQUEUE_ALL,
                        (op, r) -> ParkingLot.queueLength(from, 0L))));
        assertReentryRefused("filter", thrownBy("filter", () -> ParkingLot.unparkFilter(from, 0L, token -> {
            ParkingLot.unparkAll(from);
            return FilterOp.UNPARK;
        }, r -> 0L)));
        assertReentryRefused("filter callback", thrownBy("filter callback",
                () -> ParkingLot.unparkFilter(from, 0L, token -> FilterOp.UNPARK, r -> ParkingLot.unparkAll(to))));
        assertTrue(ParkingLot.isQueued(from, 0L, waiter), "the waiter left the queue");
        assertEquals(1, ParkingLot.unparkAll(from, 0L, 6L));
        waiter.join(CALL_LIMIT_MILLIS);
        assertEquals(ParkResult.unparked(6L), result.get());
        assertKeyUsable(from);
        assertKeyUsable(to);
    }

    /** beforeSleep runs with no bucket lock held, so it may call the lot (a condvar unlocks its mutex there). */
    @Test
    @Timeout(60)
    void beforeSleepMayCallTheLot() throws Exception {
        Object key = new Object();
        AtomicInteger queuedSeenInBeforeSleep = new AtomicInteger(-1);
        ParkResult r = ParkingLot.park(key, 0L, () -> true,
                () -> queuedSeenInBeforeSleep.set(ParkingLot.queueLength(key, 0L)), (k, l, last) -> { },
                0L, 1_000_000L, false);
        assertEquals(ParkResult.TIMED_OUT, r);
        assertEquals(1, queuedSeenInBeforeSleep.get());
    }

    /** Callbacks of a park whose beforeSleep throws once released; they record timedOut and forfeit calls. */
    private static final class ThrowingBeforeSleep implements ParkingLot.ParkCallbacks {
        final CountDownLatch inBeforeSleep = new CountDownLatch(1);
        final CountDownLatch proceed;
        final RuntimeException boom = new RuntimeException("beforeSleep failed");
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<Object> forfeitKeys = new CopyOnWriteArrayList<>();
        volatile RuntimeException forfeitThrows;

        ThrowingBeforeSleep(boolean waitForProceed) {
            this.proceed = new CountDownLatch(waitForProceed ? 1 : 0);
        }

        @Override
        public boolean validate(Object key, long lane) {
            return true;
        }

        @Override
        public void beforeSleep() {
            inBeforeSleep.countDown();
            try {
                proceed.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            throw boom;
        }

        @Override
        public void timedOut(Object key, long lane, boolean wasLastThread) {
            calls.add("timedOut(last=" + wasLastThread + ")");
        }

        @Override
        public void forfeit(Object key, long lane, long unparkToken) {
            forfeitKeys.add(key);
            calls.add("forfeit(lane=" + lane + ", token=" + unparkToken + ")");
            RuntimeException e = forfeitThrows;
            if (e != null) {
                throw e;
            }
        }
    }

    /** A thread that runs one park with {@code callbacks} and keeps what it threw. */
    private static Thread parking(Object key, ThrowingBeforeSleep callbacks, AtomicReference<Throwable> thrown) {
        return Thread.ofPlatform().daemon().start(() -> {
            try {
                ParkingLot.park(key, 0L, callbacks, 0L, ParkingLot.FOREVER, false);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
    }

    /** A thread chosen by an unpark before its beforeSleep throws hands its token to forfeit, then rethrows. */
    @Test
    @Timeout(60)
    void chosenThreadPassesItsTokenToForfeit() throws Exception {
        Object key = new Object();
        ThrowingBeforeSleep callbacks = new ThrowingBeforeSleep(true);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = parking(key, callbacks, thrown);
        assertTrue(callbacks.inBeforeSleep.await(10, TimeUnit.SECONDS));
        assertEquals(1, ParkingLot.unparkOne(key, 0L, r -> 42L).unparkedThreads());
        callbacks.proceed.countDown();
        t.join(CALL_LIMIT_MILLIS);
        assertFalse(t.isAlive());
        assertSame(callbacks.boom, thrown.get());
        assertEquals(List.of("forfeit(lane=0, token=42)"), callbacks.calls);
        assertEquals(List.of(key), callbacks.forfeitKeys);
        assertEquals(0, ParkingLot.queueLength(key, 0L));
    }

    /** A thread requeued and then chosen before its beforeSleep throws forfeits with the key it was woken from. */
    @Test
    @Timeout(60)
    void requeuedThreadForfeitsWithItsNewKey() throws Exception {
        Object from = new Object();
        Object to = new Object();
        ThrowingBeforeSleep callbacks = new ThrowingBeforeSleep(true);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = parking(from, callbacks, thrown);
        assertTrue(callbacks.inBeforeSleep.await(10, TimeUnit.SECONDS));
        assertEquals(1, ParkingLot.unparkRequeue(from, 0L, to, 3L, () -> RequeueOp.REQUEUE_ALL, (op, r) -> 0L)
                .requeuedThreads());
        assertEquals(1, ParkingLot.unparkOne(to, 3L, r -> 7L).unparkedThreads());
        callbacks.proceed.countDown();
        t.join(CALL_LIMIT_MILLIS);
        assertSame(callbacks.boom, thrown.get());
        assertEquals(List.of("forfeit(lane=3, token=7)"), callbacks.calls);
        assertEquals(List.of(to), callbacks.forfeitKeys);
    }

    /** A thread nobody chose leaves the queue as on a timeout when beforeSleep throws; forfeit does not run. */
    @Test
    @Timeout(60)
    void unchosenThreadTimesOutWithoutForfeit() throws Exception {
        Object key = new Object();
        ThrowingBeforeSleep callbacks = new ThrowingBeforeSleep(false);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = parking(key, callbacks, thrown);
        t.join(CALL_LIMIT_MILLIS);
        assertSame(callbacks.boom, thrown.get());
        assertEquals(List.of("timedOut(last=true)"), callbacks.calls);
        assertEquals(0, ParkingLot.queueLength(key, 0L));
        assertKeyUsable(key);
    }

    /** A forfeit that throws does not hide the first exception: it is added to it as suppressed. */
    @Test
    @Timeout(60)
    void throwingForfeitIsSuppressed() throws Exception {
        Object key = new Object();
        ThrowingBeforeSleep callbacks = new ThrowingBeforeSleep(true);
        RuntimeException second = new RuntimeException("forfeit failed");
        callbacks.forfeitThrows = second;
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = parking(key, callbacks, thrown);
        assertTrue(callbacks.inBeforeSleep.await(10, TimeUnit.SECONDS));
        ParkingLot.unparkOne(key, 0L, r -> 1L);
        callbacks.proceed.countDown();
        t.join(CALL_LIMIT_MILLIS);
        assertSame(callbacks.boom, thrown.get());
        assertEquals(new ArrayList<>(List.of(second)), List.of(thrown.get().getSuppressed()));
        assertKeyUsable(key);
    }
}
