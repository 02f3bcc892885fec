package org.parkinglot.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Unit tests of {@link Parker} and {@link Unparker}. */
class ParkerTest {

    /** Threads started by a test; interrupted and joined after it. */
    private final List<Thread> started = new ArrayList<>();

    @AfterEach
    void stopThreads() throws InterruptedException {
        Thread.interrupted(); // never leak an interrupt of the test thread into the next test
        for (Thread t : started) {
            t.interrupt();
        }
        for (Thread t : started) {
            t.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(t.isAlive(), "test thread did not stop: " + t);
        }
    }

    private Thread start(Thread.Builder builder, ThrowingRunnable body, AtomicReference<Throwable> failure) {
        Thread t = builder.unstarted(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
        started.add(t);
        t.start();
        return t;
    }

    private Thread start(ThrowingRunnable body, AtomicReference<Throwable> failure) {
        return start(Thread.ofPlatform().daemon(), body, failure);
    }

    /** Polls until {@code t} is parked (waiting) or has terminated; returns whether it is parked. */
    private static boolean awaitBlocked(Thread t) throws InterruptedException {
        for (;;) {
            Thread.State s = t.getState();
            if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) {
                return true;
            }
            if (s == Thread.State.TERMINATED) {
                return false;
            }
            Thread.sleep(1);
        }
    }

    private static void join(Thread t) throws InterruptedException {
        t.join(TimeUnit.SECONDS.toMillis(20));
        assertFalse(t.isAlive(), "thread did not finish: " + t);
    }

    private static void rethrow(AtomicReference<Throwable> failure) {
        Throwable e = failure.get();
        if (e != null) {
            throw new AssertionError("failure in helper thread", e);
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    // ---------------------------------------------------------------------------------------------
    // Permits

    /** An unpark before park makes the next park return at once, consuming the permit. */
    @Test
    @Timeout(20)
    void unparkBeforeParkReturnsAtOnce() {
        Parker parker = new Parker();
        parker.unpark();
        parker.park();
        assertFalse(parker.parkNanos(0L), "the permit was consumed");
    }

    /** Two unparks make one permit: the first timed park consumes it, the second times out. */
    @Test
    @Timeout(20)
    void permitsDoNotAccumulate() {
        Parker parker = new Parker();
        parker.unpark();
        parker.unparker().unpark();
        assertTrue(parker.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)));
        assertFalse(parker.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)));
    }

    /** Every park method and blockOn throws IllegalStateException on a thread other than the owner. */
    @Test
    @Timeout(20)
    void parkFromNonOwnerThrows() throws Exception {
        Parker parker = new Parker();
        parker.unpark(); // a permit is available: the check must not depend on having to wait
        List<Class<?>> thrown = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread other = start(() -> {
            CompletableFuture<String> done = CompletableFuture.completedFuture("x");
            List<ThrowingRunnable> calls = List.of(
                    parker::park,
                    () -> parker.parkNanos(0L),
                    () -> parker.park(Duration.ofMillis(1)),
                    () -> parker.blockOn((CompletionStage<String>) done),
                    () -> parker.blockOn((Future<String>) done),
                    () -> parker.blockOn(done),
                    () -> parker.blockOn((CompletionStage<String>) done, Duration.ZERO),
                    () -> parker.blockOn(done, Duration.ZERO));
            for (ThrowingRunnable call : calls) {
                try {
                    call.run();
                    thrown.add(Void.class);
                } catch (Exception e) {
                    thrown.add(e.getClass());
                }
            }
            parker.unpark(); // unparking from another thread is allowed
        }, failure);
        join(other);
        rethrow(failure);
        assertEquals(8, thrown.size());
        for (Class<?> c : thrown) {
            assertEquals(IllegalStateException.class, c);
        }
        assertTrue(parker.parkNanos(0L), "the owner still has its permit");
    }

    /** A timed park with no unpark times out returning false, and not before the timeout has elapsed. */
    @Test
    @Timeout(20)
    void timedParkTimesOutNotEarly() {
        Parker parker = new Parker();
        Duration timeout = Duration.ofMillis(50);
        long start = System.nanoTime();
        assertFalse(parker.park(timeout));
        long elapsed = System.nanoTime() - start;
        assertTrue(elapsed >= timeout.toNanos(), "returned after " + elapsed + " ns");

        long nanos = TimeUnit.MILLISECONDS.toNanos(30);
        start = System.nanoTime();
        assertFalse(parker.parkNanos(nanos));
        elapsed = System.nanoTime() - start;
        assertTrue(elapsed >= nanos, "returned after " + elapsed + " ns");
    }

    /** A zero or negative timeout only polls: it consumes an available permit and otherwise returns false. */
    @Test
    @Timeout(20)
    void nonPositiveTimeoutOnlyPolls() {
        Parker parker = new Parker();
        assertFalse(parker.parkNanos(0L));
        assertFalse(parker.parkNanos(-1L));
        assertFalse(parker.parkNanos(Long.MIN_VALUE));
        assertFalse(parker.park(Duration.ZERO));
        assertFalse(parker.park(Duration.ofSeconds(-1)));
        assertFalse(parker.park(Duration.ofSeconds(Long.MIN_VALUE))); // saturates, does not wrap
        parker.unpark();
        assertTrue(parker.parkNanos(0L));
        parker.unpark();
        assertTrue(parker.parkNanos(Long.MIN_VALUE));
        parker.unpark();
        assertTrue(parker.park(Duration.ofDays(-1)));
        assertFalse(parker.parkNanos(0L));
    }

    /** A park of Long.MAX_VALUE nanos (or a Duration too long for nanos) waits until unparked, without wrapping. */
    @Test
    @Timeout(30)
    void maxTimeoutWaitsUntilUnparked() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Unparker> unparker = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(1);
        CountDownLatch secondRound = new CountDownLatch(1);
        boolean[] results = new boolean[2];
        Thread t = start(() -> {
            Parker parker = new Parker();
            unparker.set(parker.unparker());
            ready.countDown();
            results[0] = parker.parkNanos(Long.MAX_VALUE);
            secondRound.countDown();
            results[1] = parker.park(Duration.ofSeconds(Long.MAX_VALUE));
        }, failure);
        ready.await();
        assertTrue(awaitBlocked(t), "parkNanos(Long.MAX_VALUE) returned without an unpark");
        unparker.get().unpark();
        secondRound.await();
        assertTrue(awaitBlocked(t), "park(huge Duration) returned without an unpark");
        unparker.get().unpark();
        join(t);
        rethrow(failure);
        assertTrue(results[0]);
        assertTrue(results[1]);
    }

    // ---------------------------------------------------------------------------------------------
    // Interruption

    /** An interrupt ends an untimed park with the interrupt status kept and no permit consumed or created. */
    @Test
    @Timeout(20)
    void interruptEndsParkKeepsStatus() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(1);
        boolean[] observed = new boolean[2];
        Thread t = start(() -> {
            Parker parker = new Parker();
            ready.countDown();
            parker.park();
            observed[0] = Thread.currentThread().isInterrupted();
            Thread.interrupted();
            observed[1] = parker.parkNanos(0L);
        }, failure);
        ready.await();
        assertTrue(awaitBlocked(t), "park returned without an unpark or interrupt");
        t.interrupt();
        join(t);
        rethrow(failure);
        assertTrue(observed[0], "interrupt status kept");
        assertFalse(observed[1], "the interrupt created no permit");
    }

    /** An interrupt ends a timed park early, returning false with the interrupt status kept. */
    @Test
    @Timeout(20)
    void interruptEndsTimedParkReturningFalse() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(1);
        boolean[] observed = new boolean[2];
        Thread t = start(() -> {
            Parker parker = new Parker();
            ready.countDown();
            observed[0] = parker.park(Duration.ofMinutes(10));
            observed[1] = Thread.currentThread().isInterrupted();
        }, failure);
        ready.await();
        assertTrue(awaitBlocked(t));
        t.interrupt();
        join(t);
        rethrow(failure);
        assertFalse(observed[0], "no permit was consumed");
        assertTrue(observed[1], "interrupt status kept");
    }

    /** With the interrupt status already set, park returns at once, consuming a permit only if one is there. */
    @Test
    @Timeout(20)
    void preInterruptedParkReturnsAndPrefersPermit() {
        Parker parker = new Parker();
        Thread.currentThread().interrupt();
        try {
            parker.park(); // no permit: returns for the interrupt
            assertFalse(parker.park(Duration.ofMinutes(10)));
            parker.unpark();
            assertTrue(parker.park(Duration.ofMinutes(10)), "the permit is consumed in preference");
            assertFalse(parker.parkNanos(0L));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Unparker

    /** An Unparker passed as a Runnable to another thread wakes the parked owner. */
    @Test
    @Timeout(20)
    void unparkerAsRunnableWakesParkedThread() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Unparker> unparker = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(1);
        boolean[] observed = new boolean[2];
        Thread owner = start(() -> {
            Parker parker = new Parker();
            unparker.set(parker.unparker());
            ready.countDown();
            parker.park();
            observed[0] = Thread.currentThread().isInterrupted();
            observed[1] = parker.parkNanos(0L);
        }, failure);
        ready.await();
        assertTrue(awaitBlocked(owner));
        Runnable callback = unparker.get();
        Thread waker = start(callback::run, failure);
        join(waker);
        join(owner);
        rethrow(failure);
        assertFalse(observed[0], "woken by the unpark, not an interrupt");
        assertFalse(observed[1], "the one permit was consumed");
    }

    /** unparker() returns one cached handle whose equality is identity and whose toString names the owner. */
    @Test
    @Timeout(20)
    void unparkerIsCachedIdentityAndNamed() {
        Parker parker = new Parker();
        Unparker u = parker.unparker();
        assertSame(u, parker.unparker());
        assertEquals(u, parker.unparker());
        assertEquals(System.identityHashCode(u), u.hashCode());
        assertNotEquals(u, new Parker().unparker());
        Thread me = Thread.currentThread();
        assertTrue(u.toString().contains("#" + me.threadId()), u.toString());
        assertTrue(u.toString().contains(me.getName()), u.toString());
        assertTrue(parker.toString().contains("EMPTY"), parker.toString());
        u.run();
        assertTrue(parker.toString().contains("NOTIFIED"), parker.toString());
    }

    /**
     * A ping-pong of many rounds between two parked threads completes with the exact round count while
     * other threads unpark both parkers concurrently: no wake-up is ever lost.
     */
    @Test
    @Timeout(60)
    void pingPongNeverLosesWakeup() throws Exception {
        final int rounds = 20_000;
        final int noisyThreads = 3;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Unparker> pingUnparker = new AtomicReference<>();
        AtomicReference<Unparker> pongUnparker = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(2);
        // turn: even = ping's move, odd = pong's move; only the mover writes it (volatile hand-off).
        int[] counts = new int[2];
        class Turn {
            volatile int value;
        }
        Turn turn = new Turn();
        Thread ping = start(() -> {
            Parker parker = new Parker();
            pingUnparker.set(parker.unparker());
            ready.countDown();
            ready.await();
            for (int i = 0; i < rounds; i++) {
                while (turn.value != 2 * i) {
                    parker.park();
                }
                counts[0]++;
                turn.value = 2 * i + 1;
                pongUnparker.get().unpark();
            }
        }, failure);
        Thread pong = start(() -> {
            Parker parker = new Parker();
            pongUnparker.set(parker.unparker());
            ready.countDown();
            ready.await();
            for (int i = 0; i < rounds; i++) {
                while (turn.value != 2 * i + 1) {
                    parker.park();
                }
                counts[1]++;
                turn.value = 2 * i + 2;
                pingUnparker.get().unpark();
            }
        }, failure);
        ready.await();
        CountDownLatch stopNoise = new CountDownLatch(1);
        List<Thread> noise = new ArrayList<>();
        for (int n = 0; n < noisyThreads; n++) {
            noise.add(start(() -> {
                while (!stopNoise.await(50, TimeUnit.MICROSECONDS)) {
                    pingUnparker.get().unpark();
                    pongUnparker.get().unpark();
                }
            }, failure));
        }
        try {
            join(ping);
            join(pong);
        } finally {
            stopNoise.countDown();
        }
        for (Thread t : noise) {
            join(t);
        }
        rethrow(failure);
        assertEquals(rounds, counts[0]);
        assertEquals(rounds, counts[1]);
        assertEquals(2 * rounds, turn.value);
    }

    /**
     * An unpark racing a very short timed park is consumed exactly once: by the timed park, or else by
     * the poll that follows it (the JUnit twin of the jcstress test ParkerTests.UnparkVsTimedPark).
     */
    @Test
    @Timeout(60)
    void unparkRacingTimedParkIsConsumedExactlyOnce() throws Exception {
        final int iterations = 20_000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Parker> published = new AtomicReference<>();
        AtomicReference<Parker> unparkedBy = new AtomicReference<>();
        int[] consumptions = new int[iterations];
        Thread owner = start(() -> {
            for (int i = 0; i < iterations; i++) {
                Parker parker = new Parker();
                published.set(parker);
                // 1 ns (i % 20 == 0) does not sleep: the timeout exit races the unpark
                boolean timed = parker.parkNanos(1L + 100L * (i % 20));
                while (unparkedBy.get() != parker) {
                    Thread.onSpinWait();
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedException("unparker never came");
                    }
                }
                boolean polled = parker.parkNanos(0L);
                consumptions[i] = (timed ? 1 : 0) + (polled ? 1 : 0);
            }
        }, failure);
        Thread unparker = start(() -> {
            for (int i = 0; i < iterations; i++) {
                Parker parker;
                while ((parker = published.getAndSet(null)) == null) {
                    Thread.onSpinWait();
                    if (!owner.isAlive()) {
                        return;
                    }
                }
                parker.unpark();
                unparkedBy.set(parker);
            }
        }, failure);
        join(owner);
        join(unparker);
        rethrow(failure);
        for (int i = 0; i < iterations; i++) {
            assertEquals(1, consumptions[i], "iteration " + i);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // blockOn

    /** blockOn a CompletionStage completed later by another thread returns its value. */
    @Test
    @Timeout(20)
    void blockOnStageReturnsValue() throws Exception {
        Parker parker = new Parker();
        CompletableFuture<String> source = new CompletableFuture<>();
        CompletionStage<String> stage = source.thenApply(s -> s + "!");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread me = Thread.currentThread();
        start(() -> {
            awaitBlocked(me);
            source.complete("done");
        }, failure);
        assertEquals("done!", parker.blockOn(stage));
        rethrow(failure);
    }

    /** blockOn a stage that is already complete returns its value without leaving a permit behind. */
    @Test
    @Timeout(20)
    void blockOnCompletedStageLeavesNoPermit() throws Exception {
        Parker parker = new Parker();
        CompletionStage<Integer> stage = CompletableFuture.completedStage(7);
        assertEquals(7, parker.blockOn(stage));
        assertEquals(8, parker.blockOn(CompletableFuture.completedFuture(8)));
        assertFalse(parker.parkNanos(0L));
    }

    /** blockOn a stage that completes exceptionally throws ExecutionException whose cause is the stage's exception. */
    @Test
    @Timeout(20)
    void blockOnFailedStageThrowsExecutionException() throws Exception {
        Parker parker = new Parker();
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        CompletableFuture<String> direct = new CompletableFuture<>();
        CompletionStage<String> dependent = direct.thenApply(s -> s);
        CompletableFuture<String> throwing = new CompletableFuture<>();
        CompletionStage<String> thrower = throwing.thenApply(s -> {
            throw boom;
        });
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread me = Thread.currentThread();
        start(() -> {
            awaitBlocked(me);
            direct.completeExceptionally(boom);
        }, failure);
        ExecutionException e1 = assertThrows(ExecutionException.class, () -> parker.blockOn(dependent));
        assertSame(boom, e1.getCause());
        throwing.complete("x");
        ExecutionException e2 = assertThrows(ExecutionException.class, () -> parker.blockOn(thrower));
        assertSame(boom, e2.getCause(), "unwrapped from CompletionException");
        ExecutionException e3 = assertThrows(ExecutionException.class, () -> parker.blockOn(direct));
        assertSame(boom, e3.getCause());
        rethrow(failure);
    }

    /** blockOn a stage that is cancelled while the owner waits throws CancellationException. */
    @Test
    @Timeout(20)
    void blockOnCancelledStageThrowsCancellation() throws Exception {
        Parker parker = new Parker();
        CompletableFuture<String> future = new CompletableFuture<>();
        CompletionStage<String> stage = future;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread me = Thread.currentThread();
        start(() -> {
            awaitBlocked(me);
            future.cancel(false);
        }, failure);
        assertThrows(CancellationException.class, () -> parker.blockOn(stage));
        assertThrows(CancellationException.class, () -> parker.blockOn(future));
        rethrow(failure);
    }

    /** blockOn a plain Future (a FutureTask, no callback) returns its value once another thread runs it. */
    @Test
    @Timeout(20)
    void blockOnPlainFutureReturnsValue() throws Exception {
        Parker parker = new Parker();
        FutureTask<String> task = new FutureTask<>(() -> "computed");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread me = Thread.currentThread();
        start(() -> {
            awaitBlocked(me);
            task.run();
        }, failure);
        assertEquals("computed", parker.blockOn(task));
        rethrow(failure);
    }

    /** blockOn a plain Future whose computation throws reports ExecutionException with that cause. */
    @Test
    @Timeout(20)
    void blockOnFailedPlainFutureThrowsExecutionException() throws Exception {
        Parker parker = new Parker();
        IllegalStateException boom = new IllegalStateException("boom");
        FutureTask<String> task = new FutureTask<>(() -> {
            throw boom;
        });
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread me = Thread.currentThread();
        start(() -> {
            awaitBlocked(me);
            task.run();
        }, failure);
        ExecutionException e = assertThrows(ExecutionException.class, () -> parker.blockOn(task));
        assertSame(boom, e.getCause());
        rethrow(failure);
    }

    /** Timed blockOn of a stage or a plain Future that never completes throws TimeoutException, not early. */
    @Test
    @Timeout(20)
    void timedBlockOnTimesOut() throws Exception {
        Parker parker = new Parker();
        Duration timeout = Duration.ofMillis(40);
        CompletableFuture<String> never = new CompletableFuture<>();
        FutureTask<String> neverRun = new FutureTask<>(() -> "never");
        List<ThrowingRunnable> calls = List.of(
                () -> parker.blockOn((CompletionStage<String>) never, timeout),
                () -> parker.blockOn(never, timeout),
                () -> parker.blockOn(neverRun, timeout));
        for (ThrowingRunnable call : calls) {
            long start = System.nanoTime();
            assertThrows(TimeoutException.class, call::run);
            long elapsed = System.nanoTime() - start;
            assertTrue(elapsed >= timeout.toNanos(), "timed out after " + elapsed + " ns");
        }
        assertThrows(TimeoutException.class, () -> parker.blockOn(neverRun, Duration.ZERO));
        assertThrows(TimeoutException.class, () -> parker.blockOn(never, Duration.ofDays(-1)));
        assertEquals("now", parker.blockOn(CompletableFuture.completedFuture("now"), Duration.ZERO));
    }

    /** blockOn of an incomplete stage throws InterruptedException, clearing the status, on interrupt. */
    @Test
    @Timeout(20)
    void blockOnStageInterruptedThrowsAndClearsStatus() throws Exception {
        assertBlockOnInterrupted(parker -> parker.blockOn((CompletionStage<String>) new CompletableFuture<String>()));
    }

    /** blockOn of an incomplete plain Future throws InterruptedException, clearing the status, on interrupt. */
    @Test
    @Timeout(20)
    void blockOnPlainFutureInterruptedThrowsAndClearsStatus() throws Exception {
        assertBlockOnInterrupted(parker -> parker.blockOn(new FutureTask<>(() -> "never")));
    }

    @FunctionalInterface
    private interface BlockOnCall {
        Object call(Parker parker) throws Exception;
    }

    private void assertBlockOnInterrupted(BlockOnCall call) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(1);
        boolean[] statusAfter = new boolean[1];
        Thread t = start(() -> {
            Parker parker = new Parker();
            ready.countDown();
            try {
                call.call(parker);
            } catch (Exception e) {
                thrown.set(e);
            }
            statusAfter[0] = Thread.currentThread().isInterrupted();
        }, failure);
        ready.await();
        assertTrue(awaitBlocked(t));
        t.interrupt();
        join(t);
        rethrow(failure);
        assertInstanceOf(InterruptedException.class, thrown.get());
        assertFalse(statusAfter[0], "interrupt status cleared");
    }

    /** blockOn of an incomplete future with the interrupt status already set throws InterruptedException at once. */
    @Test
    @Timeout(20)
    void blockOnPreInterruptedThrows() {
        Parker parker = new Parker();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> parker.blockOn(new CompletableFuture<String>()));
        assertFalse(Thread.currentThread().isInterrupted(), "status cleared");
        Thread.currentThread().interrupt();
        try {
            assertEquals("done", blockOnCompleted(parker), "a completed future wins over the interrupt");
            assertTrue(Thread.currentThread().isInterrupted(), "status kept when not waiting");
        } finally {
            Thread.interrupted();
        }
    }

    private static String blockOnCompleted(Parker parker) {
        try {
            return parker.blockOn(CompletableFuture.completedFuture("done"));
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    /** Null arguments throw NullPointerException naming the argument. */
    @Test
    @Timeout(20)
    void nullArgumentsThrowNamedNpe() {
        Parker parker = new Parker();
        assertEquals("timeout", assertThrows(NullPointerException.class, () -> parker.park(null)).getMessage());
        assertEquals("stage", assertThrows(NullPointerException.class,
                () -> parker.blockOn((CompletionStage<String>) null)).getMessage());
        assertEquals("future", assertThrows(NullPointerException.class,
                () -> parker.blockOn((Future<String>) null)).getMessage());
        assertEquals("future", assertThrows(NullPointerException.class,
                () -> parker.blockOn((CompletableFuture<String>) null)).getMessage());
        assertEquals("timeout", assertThrows(NullPointerException.class,
                () -> parker.blockOn(new CompletableFuture<String>(), null)).getMessage());
        assertEquals("timeout", assertThrows(NullPointerException.class,
                () -> parker.blockOn((CompletionStage<String>) new CompletableFuture<String>(), null)).getMessage());
        assertEquals("stage", assertThrows(NullPointerException.class,
                () -> parker.blockOn((CompletionStage<String>) null, Duration.ZERO)).getMessage());
    }

    // ---------------------------------------------------------------------------------------------
    // Virtual threads

    /** 1000 virtual threads blocking on their own CompletableFutures, completed elsewhere, each get their value. */
    @Test
    @Timeout(60)
    void blockOnWorksOnVirtualThreads() throws Exception {
        final int n = 1000;
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(new CompletableFuture<>());
        }
        CountDownLatch blocking = new CountDownLatch(n);
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                CompletableFuture<Integer> future = futures.get(i);
                results.add(executor.submit(() -> {
                    assertTrue(Thread.currentThread().isVirtual());
                    Parker parker = new Parker();
                    blocking.countDown();
                    return parker.blockOn(future) + 1;
                }));
            }
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread completer = start(() -> {
                blocking.await();
                for (int i = 0; i < n; i++) {
                    futures.get(i).complete(i);
                }
            }, failure);
            join(completer);
            rethrow(failure);
            for (int i = 0; i < n; i++) {
                assertEquals(i + 1, results.get(i).get(30, TimeUnit.SECONDS));
            }
        }
    }

    /** A virtual thread parked on its parker is woken by an unpark from a platform thread. */
    @Test
    @Timeout(20)
    void virtualThreadParkIsWokenByUnpark() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Unparker> unparker = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(1);
        boolean[] observed = new boolean[2];
        Thread t = start(Thread.ofVirtual(), () -> {
            Parker parker = new Parker();
            unparker.set(parker.unparker());
            ready.countDown();
            observed[0] = parker.parkNanos(Long.MAX_VALUE);
            observed[1] = Thread.currentThread().isVirtual();
        }, failure);
        ready.await();
        assertTrue(awaitBlocked(t));
        unparker.get().unpark();
        join(t);
        rethrow(failure);
        assertTrue(observed[0]);
        assertTrue(observed[1]);
        assertNull(failure.get());
    }
}
