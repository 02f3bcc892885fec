package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parkinglot.locks.MutexTestSupport.awaitQueued;
import static org.parkinglot.locks.MutexTestSupport.awaitTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.locks.MutexTestSupport.Body;
import org.parkinglot.locks.MutexTestSupport.TestThreads;

/** The contract of {@link Once}: exactly once, waiting, visibility, poisoning, callForce, recursion, misuse. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OnceTest {

    private final TestThreads threads = new TestThreads();

    /** Written plainly by actions; read by callers after call returns. */
    private int data;

    @AfterEach
    void cleanUp() {
        threads.close();
    }

    /** Starts a platform or a virtual test thread. */
    private Thread start(boolean virtual, String name, Body body) {
        return virtual ? threads.startVirtual(name, body) : threads.start(name, body);
    }

    /** A new once is NEW; the first call runs the action and makes it DONE; later calls do not run it. */
    @Test
    void firstCallRunsTheActionLaterCallsDoNot() {
        Once once = new Once();
        AtomicInteger runs = new AtomicInteger();
        assertEquals(Once.State.NEW, once.state());
        assertFalse(once.isCompleted());
        once.call(runs::incrementAndGet);
        assertEquals(1, runs.get());
        assertEquals(Once.State.DONE, once.state());
        assertTrue(once.isCompleted());
        once.call(runs::incrementAndGet);
        once.callForce(runs::incrementAndGet);
        assertEquals(1, runs.get());
    }

    /** Many threads racing (platform or virtual): the action runs exactly once and every caller sees its writes. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void exactlyOnceUnderARace(boolean virtual) throws Exception {
        int n = virtual ? 200 : 8;
        for (int round = 0; round < 20; round++) {
            Once once = new Once();
            AtomicInteger runs = new AtomicInteger();
            AtomicInteger sawData = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            int expected = round + 1;
            TestThreads group = new TestThreads();
            try (group) {
                for (int i = 0; i < n; i++) {
                    Body body = () -> {
                        go.await();
                        once.call(() -> {
                            runs.incrementAndGet();
                            data = expected;
                        });
                        if (data == expected) {
                            sawData.incrementAndGet();
                        }
                    };
                    if (virtual) {
                        group.startVirtual("racer-" + i, body);
                    } else {
                        group.start("racer-" + i, body);
                    }
                }
                go.countDown();
                group.joinAll();
            }
            assertEquals(1, runs.get(), "runs in round " + round);
            assertEquals(n, sawData.get(), "callers that saw the action's write in round " + round);
            assertEquals(Once.State.DONE, once.state());
        }
    }

    /**
     * Callers that arrive while the action runs park under (once, 0), see IN_PROGRESS, and return with its effects
     * when it ends.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void waitersParkUntilTheActionEnds(boolean virtual) throws Exception {
        Once once = new Once();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger returned = new AtomicInteger();
        Thread runner = start(virtual, "runner", () -> once.call(() -> {
            running.countDown();
            awaitUninterruptibly(finish);
            data = 7;
        }));
        running.await();
        assertEquals(Once.State.IN_PROGRESS, once.state());
        assertTrue(once.toString().endsWith("[IN_PROGRESS by runner]"), once.toString());
        int waiters = 3;
        for (int i = 0; i < waiters; i++) {
            start(virtual, "waiter-" + i, () -> {
                once.call(() -> {
                    throw new AssertionError("a waiter ran the action");
                });
                assertEquals(7, data);
                returned.incrementAndGet();
            });
        }
        awaitQueued(once, waiters);
        assertEquals(0, returned.get());
        finish.countDown();
        threads.joinAll();
        assertEquals(waiters, returned.get());
        assertEquals(0, ParkingLot.queueLength(once, 0L));
        assertFalse(runner.isAlive());
    }

    /** A waiter ignores interrupts: it stays parked until the action ends and returns with its interrupt status set. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void waitingIsUninterruptibleAndKeepsTheStatus(boolean virtual) throws Exception {
        Once once = new Once();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
        start(virtual, "runner", () -> once.call(() -> {
            running.countDown();
            awaitUninterruptibly(finish);
        }));
        running.await();
        Thread waiter = start(virtual, "waiter", () -> {
            once.call(() -> {
                throw new AssertionError("the waiter ran the action");
            });
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        awaitQueued(once, 1);
        waiter.interrupt();
        // Still waiting after the interrupt: queued again (a spurious wake-up re-parks) and not returned.
        for (int i = 0; i < 20; i++) {
            Thread.sleep(5);
            assertTrue(waiter.isAlive());
            assertEquals(null, interruptedAfter.get());
        }
        awaitQueued(once, 1);
        finish.countDown();
        threads.joinAll();
        assertEquals(Boolean.TRUE, interruptedAfter.get());
    }

    /**
     * A throwing action: its caller gets the exception itself, the once is POISONED, later calls throw
     * IllegalStateException caused by it without running.
     */
    @Test
    void aThrowingActionPoisons() {
        Once once = new Once();
        RuntimeException boom = new RuntimeException("boom");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> once.call(() -> {
            throw boom;
        }));
        assertSame(boom, thrown);
        assertEquals(Once.State.POISONED, once.state());
        assertFalse(once.isCompleted());
        AtomicInteger runs = new AtomicInteger();
        IllegalStateException later = assertThrows(IllegalStateException.class, () -> once.call(runs::incrementAndGet));
        assertSame(boom, later.getCause());
        assertEquals(0, runs.get());
        assertTrue(once.toString().endsWith("[POISONED]"), once.toString());
    }

    /** An Error poisons as an exception does, and reaches the running caller unchanged. */
    @Test
    void anErrorPoisonsToo() {
        Once once = new Once();
        StackOverflowError error = new StackOverflowError("deep");
        assertSame(error, assertThrows(StackOverflowError.class, () -> once.call(() -> {
            throw error;
        })));
        assertSame(error, assertThrows(IllegalStateException.class, () -> once.call(() -> { })).getCause());
    }

    /** Threads waiting for a run that throws get IllegalStateException with the run's exception as cause. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void waitersOfAPoisonedRunThrow(boolean virtual) throws Exception {
        Once once = new Once();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        List<Throwable> waiterFailures = new CopyOnWriteArrayList<>();
        start(virtual, "runner", () -> assertSame(boom, assertThrows(IllegalArgumentException.class,
                () -> once.call(() -> {
                    running.countDown();
                    awaitUninterruptibly(finish);
                    throw boom;
                }))));
        running.await();
        for (int i = 0; i < 2; i++) {
            start(virtual, "waiter-" + i, () -> {
                try {
                    once.call(() -> {
                        throw new AssertionError("a waiter ran the action");
                    });
                } catch (IllegalStateException e) {
                    waiterFailures.add(e);
                }
            });
        }
        awaitQueued(once, 2);
        finish.countDown();
        threads.joinAll();
        assertEquals(2, waiterFailures.size());
        for (Throwable e : waiterFailures) {
            assertSame(boom, e.getCause());
        }
    }

    /** callForce on a poisoned once runs its action; on success the once is DONE and no longer poisoned. */
    @Test
    void callForceRetriesAfterPoisoning() {
        Once once = new Once();
        assertThrows(IllegalStateException.class, () -> once.call(() -> {
            throw new IllegalStateException("first");
        }));
        assertEquals(Once.State.POISONED, once.state());
        AtomicInteger runs = new AtomicInteger();
        once.callForce(() -> {
            assertEquals(Once.State.IN_PROGRESS, once.state());
            runs.incrementAndGet();
        });
        assertEquals(1, runs.get());
        assertEquals(Once.State.DONE, once.state());
        once.call(runs::incrementAndGet);
        assertEquals(1, runs.get());
    }

    /** A forced retry that throws again keeps the once poisoned, with the new exception as the cause. */
    @Test
    void aFailedRetryReplacesTheCause() {
        Once once = new Once();
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second");
        assertSame(first, assertThrows(RuntimeException.class, () -> once.call(() -> {
            throw first;
        })));
        assertSame(second, assertThrows(RuntimeException.class, () -> once.callForce(() -> {
            throw second;
        })));
        assertEquals(Once.State.POISONED, once.state());
        assertSame(second, assertThrows(IllegalStateException.class, () -> once.call(() -> { })).getCause());
    }

    /** callForce on a new once runs the action as call does. */
    @Test
    void callForceOnANewOnceRuns() {
        Once once = new Once();
        AtomicInteger runs = new AtomicInteger();
        once.callForce(runs::incrementAndGet);
        assertEquals(1, runs.get());
        assertTrue(once.isCompleted());
    }

    /** A waiter in callForce whose awaited run throws claims the once and runs its own action. */
    @Test
    void aForcingWaiterRunsAfterTheAwaitedRunThrows() throws Exception {
        Once once = new Once();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger forcedRuns = new AtomicInteger();
        start(false, "runner", () -> assertThrows(UnsupportedOperationException.class, () -> once.call(() -> {
            running.countDown();
            awaitUninterruptibly(finish);
            throw new UnsupportedOperationException();
        })));
        running.await();
        start(true, "forcer", () -> once.callForce(forcedRuns::incrementAndGet));
        awaitQueued(once, 1);
        finish.countDown();
        threads.joinAll();
        assertEquals(1, forcedRuns.get());
        assertEquals(Once.State.DONE, once.state());
    }

    /**
     * call or callForce on the same once from inside its running action throws IllegalStateException instead of
     * hanging.
     */
    @Test
    void aRecursiveCallIsDetected() {
        Once once = new Once();
        AtomicReference<Throwable> fromCall = new AtomicReference<>();
        AtomicReference<Throwable> fromForce = new AtomicReference<>();
        once.call(() -> {
            fromCall.set(assertThrows(IllegalStateException.class, () -> once.call(() -> { })));
            fromForce.set(assertThrows(IllegalStateException.class, () -> once.callForce(() -> { })));
        });
        assertTrue(fromCall.get().getMessage().contains("recursive"), fromCall.get().getMessage());
        assertInstanceOf(IllegalStateException.class, fromForce.get());
        assertEquals(Once.State.DONE, once.state());
        // A different once called from inside an action is fine.
        Once outer = new Once();
        Once inner = new Once();
        AtomicInteger runs = new AtomicInteger();
        outer.call(() -> inner.call(runs::incrementAndGet));
        assertEquals(1, runs.get());
    }

    /** A recursive call on a forced retry is detected too (the slot holds the new runner, not the old cause). */
    @Test
    void aRecursiveCallDuringAForcedRunIsDetected() {
        Once once = new Once();
        assertThrows(ArithmeticException.class, () -> once.call(() -> {
            throw new ArithmeticException();
        }));
        AtomicReference<Throwable> inner = new AtomicReference<>();
        once.callForce(() -> inner.set(assertThrows(IllegalStateException.class, () -> once.call(() -> { }))));
        assertTrue(inner.get().getMessage().contains("recursive"), inner.get().getMessage());
        assertTrue(once.isCompleted());
    }

    /**
     * Null actions are refused with a NullPointerException naming the argument, also on a completed once, and change
     * nothing.
     */
    @Test
    void nullActionsAreRefused() {
        Once once = new Once();
        assertEquals("action", assertThrows(NullPointerException.class, () -> once.call(null)).getMessage());
        assertEquals("action", assertThrows(NullPointerException.class, () -> once.callForce(null)).getMessage());
        assertEquals(Once.State.NEW, once.state());
        once.call(() -> { });
        assertThrows(NullPointerException.class, () -> once.call(null));
        assertThrows(NullPointerException.class, () -> once.callForce(null));
        assertTrue(once.toString().endsWith("[DONE]"), once.toString());
    }

    /** Waiting threads, platform and virtual, all see the action's writes (a plain field) when released together. */
    @Test
    void manyVirtualWaitersAreReleasedTogether() throws Exception {
        Once once = new Once();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        start(false, "runner", () -> once.call(() -> {
            running.countDown();
            awaitUninterruptibly(finish);
            data = 99;
        }));
        running.await();
        int n = 500;
        AtomicInteger saw = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            start(i % 50 != 0, "waiter-" + i, () -> {
                once.call(() -> { });
                if (data == 99) {
                    saw.incrementAndGet();
                }
            });
        }
        awaitTrue("all waiters are parked", () -> ParkingLot.queueLength(once, 0L) == n);
        finish.countDown();
        threads.joinAll();
        assertEquals(n, saw.get());
    }

    /** Waits on a latch without reacting to interrupts (restoring the status afterwards). */
    static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        for (;;) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
