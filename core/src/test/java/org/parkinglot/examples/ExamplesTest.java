package org.parkinglot.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parkinglot.core.ParkingLot;

/**
 * The example primitives built on the public parking-lot API ({@link CountDownLatch}, {@link Semaphore}):
 * their contracts (waiting, timeouts, interrupts, misuse, virtual threads), a bounded stress run, and a
 * check that their sources use nothing but the exported package {@code org.parkinglot.core}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExamplesTest {

    private final List<Thread> started = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

    /** A body a test thread runs. */
    interface Body {
        void run() throws Throwable;
    }

    private Thread start(boolean virtual, Body body) {
        Runnable r = () -> {
            try {
                body.run();
            } catch (Throwable t) {
                failures.add(t);
            }
        };
        Thread t = virtual ? Thread.ofVirtual().unstarted(r) : Thread.ofPlatform().daemon().unstarted(r);
        started.add(t);
        t.start();
        return t;
    }

    private void joinAll() throws InterruptedException {
        for (Thread t : started) {
            if (!t.join(Duration.ofSeconds(30))) {
                fail("thread did not finish: " + t);
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("a test thread failed", failures.peek());
        }
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        for (Thread t : started) {
            t.interrupt();
        }
        for (Thread t : started) {
            t.join(Duration.ofSeconds(5));
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(30)) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(1);
        }
    }

    private static void awaitQueued(Object key, int n) throws InterruptedException {
        awaitTrue(n + " threads queued", () -> ParkingLot.queueLength(key, 0L) == n);
    }

    // ---------------------------------------------------------------------------------------------
    // CountDownLatch

    /**
     * await parks until the last countDown, then every waiter (platform or virtual) returns and sees the counters'
     * writes.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void latchReleasesAllWaitersAtZero(boolean virtual) throws Exception {
        CountDownLatch latch = new CountDownLatch(2);
        int[] data = new int[1];
        AtomicInteger saw = new AtomicInteger();
        for (int i = 0; i < 5; i++) {
            start(virtual, () -> {
                latch.await();
                if (data[0] == 42) {
                    saw.incrementAndGet();
                }
            });
        }
        awaitQueued(latch, 5);
        data[0] = 42;
        latch.countDown();
        assertEquals(1, latch.getCount());
        assertEquals(5, ParkingLot.queueLength(latch, 0L));
        latch.countDown();
        joinAll();
        assertEquals(5, saw.get());
        assertEquals(0, latch.getCount());
        latch.countDown(); // at zero: nothing
        assertEquals(0, latch.getCount());
        assertTrue(latch.await(0, TimeUnit.SECONDS));
    }

    /** A timed await times out (never early) when the count stays above zero; zero timeout only checks. */
    @Test
    void latchTimedAwaitTimesOut() throws Exception {
        CountDownLatch latch = new CountDownLatch(1);
        assertFalse(latch.await(0, TimeUnit.MILLISECONDS));
        assertFalse(latch.await(-5, TimeUnit.MILLISECONDS));
        long start = System.nanoTime();
        assertFalse(latch.await(20, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(20));
        assertEquals(0, ParkingLot.queueLength(latch, 0L));
    }

    /** await throws InterruptedException, clearing the status, if interrupted before or while waiting. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void latchAwaitIsInterruptible(boolean virtual) throws Exception {
        CountDownLatch latch = new CountDownLatch(1);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, latch::await);
        assertFalse(Thread.interrupted());
        AtomicInteger interrupted = new AtomicInteger();
        Thread waiter = start(virtual, () -> {
            try {
                latch.await(1, TimeUnit.DAYS);
            } catch (InterruptedException e) {
                if (!Thread.currentThread().isInterrupted()) {
                    interrupted.incrementAndGet();
                }
            }
        });
        awaitQueued(latch, 1);
        waiter.interrupt();
        joinAll();
        assertEquals(1, interrupted.get());
        assertEquals(0, ParkingLot.queueLength(latch, 0L));
    }

    /** A negative count is refused. */
    @Test
    void latchRefusesNegativeCount() {
        assertThrows(IllegalArgumentException.class, () -> new CountDownLatch(-1));
    }

    // ---------------------------------------------------------------------------------------------
    // Semaphore

    /** tryAcquire takes permits while there are enough, release returns them. */
    @Test
    void semaphoreCountsPermits() {
        Semaphore s = new Semaphore(3);
        assertTrue(s.tryAcquire(2));
        assertFalse(s.tryAcquire(2));
        assertTrue(s.tryAcquire(1));
        assertEquals(0, s.availablePermits());
        s.release(3);
        assertEquals(3, s.availablePermits());
        assertTrue(s.tryAcquire(0));
    }

    /** A waiter (platform or virtual) parks until a release covers its want; a release too small leaves it parked. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void semaphoreWaiterWakesWhenCovered(boolean virtual) throws Exception {
        Semaphore s = new Semaphore(0);
        AtomicInteger got = new AtomicInteger();
        start(virtual, () -> {
            s.acquire(3);
            got.incrementAndGet();
        });
        awaitQueued(s, 1);
        s.release(2);
        awaitQueued(s, 1); // woken? no: 2 < 3; still queued
        assertEquals(0, got.get());
        s.release(1);
        joinAll();
        assertEquals(1, got.get());
        assertEquals(0, s.availablePermits());
    }

    /** A small request behind a large one is woken by a release that covers only it. */
    @Test
    void semaphoreSmallRequestOvertakesLargeOne() throws Exception {
        Semaphore s = new Semaphore(0);
        Thread big = start(true, () -> s.acquire(5));
        awaitQueued(s, 1);
        Thread small = start(true, () -> s.acquire(1));
        awaitQueued(s, 2);
        s.release(1);
        small.join(Duration.ofSeconds(30));
        assertFalse(small.isAlive());
        assertTrue(big.isAlive());
        s.release(5);
        joinAll();
        assertEquals(0, s.availablePermits());
    }

    /** Timed tryAcquire times out, leaving permits and queue as they were; zero timeout only tries. */
    @Test
    void semaphoreTimedAcquireTimesOut() throws Exception {
        Semaphore s = new Semaphore(1);
        assertFalse(s.tryAcquire(2, 0, TimeUnit.SECONDS));
        long start = System.nanoTime();
        assertFalse(s.tryAcquire(2, 20, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(20));
        assertEquals(1, s.availablePermits());
        assertEquals(0, ParkingLot.queueLength(s, 0L));
        assertTrue(s.tryAcquire(1, 1, TimeUnit.DAYS));
    }

    /** acquire throws InterruptedException, clearing the status, if interrupted before or while waiting. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void semaphoreAcquireIsInterruptible(boolean virtual) throws Exception {
        Semaphore s = new Semaphore(1);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> s.acquire(1));
        assertFalse(Thread.interrupted());
        assertEquals(1, s.availablePermits());
        AtomicInteger interrupted = new AtomicInteger();
        Thread waiter = start(virtual, () -> {
            try {
                s.acquire(2);
            } catch (InterruptedException e) {
                if (!Thread.currentThread().isInterrupted()) {
                    interrupted.incrementAndGet();
                }
            }
        });
        awaitQueued(s, 1);
        waiter.interrupt();
        joinAll();
        assertEquals(1, interrupted.get());
        assertEquals(1, s.availablePermits());
    }

    /** Negative counts are refused; a release past Integer.MAX_VALUE is an Error and changes nothing. */
    @Test
    void semaphoreRefusesBadCounts() {
        assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
        Semaphore s = new Semaphore(Integer.MAX_VALUE);
        assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(-1));
        assertThrows(IllegalArgumentException.class, () -> s.release(-1));
        assertThrows(Error.class, () -> s.release(1));
        assertEquals(Integer.MAX_VALUE, s.availablePermits());
    }

    /**
     * Bounded stress (about 1.5 s): platform and virtual threads take 1-3 permits of 4 with timed and
     * untimed acquires, check that no more than 4 are held at once, and release; nobody is stranded.
     */
    @Test
    void semaphoreStress() throws Exception {
        int total = 4;
        Semaphore s = new Semaphore(total);
        AtomicInteger held = new AtomicInteger();
        AtomicInteger overdrawn = new AtomicInteger();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        for (int i = 0; i < 8; i++) {
            int id = i;
            start(i % 2 == 0, () -> {
                int k = 0;
                while (System.nanoTime() - end < 0) {
                    int n = 1 + (id + k++) % 3;
                    if (k % 2 == 0) {
                        s.acquire(n);
                    } else if (!s.tryAcquire(n, 50, TimeUnit.MICROSECONDS)) {
                        continue;
                    }
                    if (held.addAndGet(n) > total) {
                        overdrawn.incrementAndGet();
                    }
                    Thread.onSpinWait();
                    held.addAndGet(-n);
                    s.release(n);
                }
            });
        }
        joinAll();
        assertEquals(0, overdrawn.get());
        assertEquals(total, s.availablePermits());
        assertEquals(0, ParkingLot.queueLength(s, 0L));
    }

    // ---------------------------------------------------------------------------------------------

    /** The examples import nothing from the parking lot but its exported package (no internals). */
    @Test
    void examplesUseOnlyThePublicApi() throws Exception {
        Path dir = Path.of("src/test/java/org/parkinglot/examples");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> sources = files.filter(p -> !p.getFileName().toString().endsWith("Test.java")).toList();
            assertEquals(2, sources.size(), sources.toString());
            for (Path p : sources) {
                String text = Files.readString(p);
                assertFalse(text.contains("org.parkinglot.core.internal"), p + " uses the internals");
                assertFalse(text.contains("org.parkinglot.locks"), p + " uses the locks module");
            }
        }
    }
}
