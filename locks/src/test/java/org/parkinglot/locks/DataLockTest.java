package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parkinglot.locks.MutexTestSupport.awaitQueued;
import static org.parkinglot.locks.MutexTestSupport.awaitTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.locks.MutexTestSupport.TestThreads;

/**
 * Unit tests of the data-owning locks {@link MutexCell} and {@link RwLockCell}, and of the predicate waits
 * {@link Condvar#awaitWhile} and {@link MutexCell#awaitWhile}; ends with a bounded stress test mixing them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DataLockTest {

    private static final long SHORT_MILLIS = 50;

    /** A mutable value for the cells. */
    static final class Pair {
        int a;
        int b;
    }

    /** Waits for {@code latch} inside a callback (which cannot throw InterruptedException). */
    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** A 1 ms timed upgrade inside a callback. */
    private static boolean tryUpgradeBriefly(RwLockCell.Upgrader<?> u) {
        try {
            return u.tryUpgrade(1, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // MutexCell

    /** withLock runs the action with the mutex held, on the cell's value, and returns its result. */
    @Test
    void withLockRunsLockedOnTheValue() {
        List<String> list = new ArrayList<>();
        MutexCell<List<String>> cell = new MutexCell<>(list);
        assertFalse(cell.isLocked());
        int size = cell.withLock(l -> {
            assertSame(list, l);
            assertTrue(cell.isLocked());
            l.add("x");
            return l.size();
        });
        assertEquals(1, size);
        assertFalse(cell.isLocked());
        cell.withLockDo(l -> {
            assertTrue(cell.isLocked());
            l.add("y");
        });
        assertEquals("x-y", cell.withLock("-", (l, sep) -> String.join(sep, l)));
        assertFalse(cell.isLocked());
    }

    /** An exception thrown by a callback propagates and releases the mutex. */
    @Test
    void exceptionInCallbackReleases() {
        MutexCell<Pair> cell = new MutexCell<>(new Pair());
        assertThrows(IllegalStateException.class, () -> cell.withLock(p -> {
            p.a = 1;
            throw new IllegalStateException();
        }));
        assertFalse(cell.isLocked());
        assertThrows(IllegalStateException.class, () -> cell.withLockDo(p -> {
            throw new IllegalStateException();
        }));
        assertThrows(IllegalStateException.class, () -> cell.update(p -> {
            throw new IllegalStateException();
        }));
        assertFalse(cell.isLocked());
        assertEquals(1, (int) cell.withLock(p -> p.a), "changes before the throw stay");
    }

    /** update and replace swap the value under the mutex; replace hands back the old value. */
    @Test
    void updateAndReplace() {
        MutexCell<Integer> cell = new MutexCell<>(1);
        assertEquals(3, cell.update(v -> v + 2));
        assertEquals(3, cell.replace(10));
        assertEquals(10, (int) cell.withLock(v -> v));
        assertEquals(10, cell.replace(null));
        assertEquals("null", cell.withLock(String::valueOf));
    }

    /** Null actions are refused with a NullPointerException naming the argument, and nothing is held after. */
    @Test
    void nullArguments() {
        MutexCell<Integer> cell = new MutexCell<>(1);
        assertEquals("action", assertThrows(NullPointerException.class, () -> cell.withLock(null)).getMessage());
        assertThrows(NullPointerException.class, () -> cell.withLockDo(null));
        assertThrows(NullPointerException.class, () -> cell.tryWithLock(null));
        assertThrows(NullPointerException.class, () -> cell.tryWithLock(1, null, v -> v));
        assertThrows(NullPointerException.class, () -> cell.awaitWhile(null, v -> true, v -> v));
        assertFalse(cell.isLocked());
    }

    /** tryWithLock runs only if the mutex is free; the timed form times out and is interruptible. */
    @Test
    void tryWithLock() throws Exception {
        MutexCell<Integer> cell = new MutexCell<>(7);
        assertEquals(Optional.of(7), cell.tryWithLock(v -> v));
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (TestThreads threads = new TestThreads()) {
            Thread holder = threads.start("holder", () -> cell.withLockInterruptibly(v -> {
                holding.countDown();
                awaitLatch(release);
                return v;
            }));
            holding.await();
            AtomicBoolean ran = new AtomicBoolean();
            assertEquals(Optional.empty(), cell.tryWithLock(v -> ran.getAndSet(true)));
            assertEquals(Optional.empty(),
                    cell.tryWithLock(SHORT_MILLIS, TimeUnit.MILLISECONDS, v -> ran.getAndSet(true)));
            assertFalse(ran.get());
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> cell.tryWithLock(1, TimeUnit.SECONDS, v -> v));
            assertFalse(Thread.interrupted());
            release.countDown();
            threads.join(holder);
        }
        assertEquals(Optional.of(8), cell.tryWithLock(1, TimeUnit.SECONDS, v -> v + 1));
        assertFalse(cell.isLocked());
    }

    /** withLockInterruptibly throws when interrupted on entry, without running the action. */
    @Test
    void withLockInterruptibly() {
        MutexCell<Integer> cell = new MutexCell<>(1);
        Thread.currentThread().interrupt();
        AtomicBoolean ran = new AtomicBoolean();
        assertThrows(InterruptedException.class, () -> cell.withLockInterruptibly(v -> ran.getAndSet(true)));
        assertFalse(ran.get());
        assertFalse(Thread.interrupted());
        assertFalse(cell.isLocked());
    }

    /**
     * A fair cell hands the mutex to the queued thread when a callback ends: the releasing thread's
     * immediate try fails while the waiter holds it.
     */
    @Test
    void fairCellHandsOver() throws Exception {
        MutexCell<int[]> cell = new MutexCell<>(new int[1], true);
        assertTrue(cell.isFair());
        assertFalse(new MutexCell<>(1).isFair());
        CountDownLatch waiterInside = new CountDownLatch(1);
        CountDownLatch waiterLeave = new CountDownLatch(1);
        try (TestThreads threads = new TestThreads()) {
            AtomicReference<Thread> waiter = new AtomicReference<>();
            cell.withLockDo(v -> {
                waiter.set(threads.start("waiter", () -> cell.withLockInterruptibly(w -> {
                    waiterInside.countDown();
                    awaitLatch(waiterLeave);
                    return w;
                })));
                try {
                    awaitQueued(cell.mutexForTest(), 1);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            // The unlock at the end of the callback handed the mutex to the waiter: it is not free now.
            assertEquals(Optional.empty(), cell.tryWithLock(v -> v));
            waiterInside.await();
            waiterLeave.countDown();
            threads.join(waiter.get());
        }
        assertFalse(cell.isLocked());
    }

    /** toString shows the lock state, never the value. */
    @Test
    void cellToString() {
        MutexCell<String> cell = new MutexCell<>("secret");
        assertTrue(cell.toString().endsWith("[Unlocked]"), cell.toString());
        cell.withLockDo(v -> assertTrue(cell.toString().endsWith("[Locked]")));
        assertFalse(cell.toString().contains("secret"));
        RwLockCell<String> rw = new RwLockCell<>("secret");
        assertTrue(rw.toString().endsWith("[Write locks = 0, Read locks = 0]"), rw.toString());
        assertFalse(rw.toString().contains("secret"));
    }

    // ---------------------------------------------------------------------------------------------
    // RwLockCell

    /** Two readers are inside read callbacks at the same time. */
    @Test
    void readersRunConcurrently() throws Exception {
        RwLockCell<Pair> cell = new RwLockCell<>(new Pair());
        CountDownLatch bothInside = new CountDownLatch(2);
        try (TestThreads threads = new TestThreads()) {
            for (int i = 0; i < 2; i++) {
                threads.start("reader" + i, () -> cell.read(p -> {
                    bothInside.countDown();
                    try {
                        assertTrue(bothInside.await(30, TimeUnit.SECONDS), "the other reader never came in");
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    return p.a;
                }));
            }
            threads.joinAll();
        }
        assertFalse(cell.isLocked());
    }

    /** A write callback excludes readers and writers; a read callback excludes writers. */
    @Test
    void writeExcludes() throws Exception {
        RwLockCell<Pair> cell = new RwLockCell<>(new Pair());
        AtomicReference<Optional<Integer>> seen = new AtomicReference<>();
        cell.writeDo(p -> {
            p.a = 1;
            try (TestThreads threads = new TestThreads()) {
                threads.join(threads.start("reader", () -> seen.set(cell.tryRead(q -> q.a))));
                assertEquals(Optional.empty(), seen.get());
                threads.join(threads.start("writer", () -> seen.set(cell.tryWrite(q -> q.a))));
                assertEquals(Optional.empty(), seen.get());
                threads.join(threads.start("timed", () -> seen.set(cell.tryRead(SHORT_MILLIS, TimeUnit.MILLISECONDS,
                        q -> q.a))));
                assertEquals(Optional.empty(), seen.get());
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        cell.read(p -> {
            assertEquals(Optional.empty(), cell.tryWrite(q -> q.a));
            return null;
        });
        assertEquals(Optional.of(1), cell.tryRead(p -> p.a));
        assertEquals(Optional.of(2), cell.tryWrite(1, TimeUnit.SECONDS, p -> ++p.a));
        assertEquals(5, (int) cell.write(3, (p, n) -> p.a += n));
        assertEquals(5, (int) cell.read(0, (p, n) -> p.a + n));
        assertFalse(cell.isLocked());
    }

    /** Exceptions in read, write and upgradable-read callbacks release the lock. */
    @Test
    void rwExceptionsRelease() {
        RwLockCell<Pair> cell = new RwLockCell<>(new Pair(), true);
        assertTrue(cell.isFair());
        assertThrows(IllegalStateException.class, () -> cell.read(p -> {
            throw new IllegalStateException();
        }));
        assertThrows(IllegalStateException.class, () -> cell.writeDo(p -> {
            throw new IllegalStateException();
        }));
        assertThrows(IllegalStateException.class, () -> cell.upgradableRead((p, u) -> {
            throw new IllegalStateException();
        }));
        assertThrows(IllegalStateException.class, () -> cell.upgradableRead((p, u) -> {
            u.upgrade();
            throw new IllegalStateException();
        }));
        assertFalse(cell.isLocked());
        assertTrue(cell.lockForTest().tryLockExclusive());
        cell.lockForTest().unlockExclusive();
    }

    /**
     * An upgradable read runs alongside a plain reader; its upgrade waits for that reader to leave, then
     * it may replace the value, and the next reader sees the new value.
     */
    @Test
    void upgradableReadThenUpgrade() throws Exception {
        RwLockCell<Integer> cell = new RwLockCell<>(1);
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        try (TestThreads threads = new TestThreads()) {
            Thread reader = threads.start("reader", () -> cell.read(v -> {
                reading.countDown();
                try {
                    leave.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                return v;
            }));
            reading.await();
            int old = cell.upgradableRead((v, u) -> {
                assertEquals(1, v);
                assertFalse(u.isUpgraded());
                assertThrows(IllegalStateException.class, () -> u.set(5), "set needs the upgrade");
                assertFalse(u.tryUpgrade(), "the reader is inside");
                leave.countDown();
                u.upgrade();
                assertTrue(u.isUpgraded());
                assertTrue(cell.lockForTest().isLockedExclusive());
                return u.set(v + 1);
            });
            assertEquals(1, old);
            threads.join(reader);
        }
        assertEquals(2, (int) cell.read(v -> v));
        assertFalse(cell.isLocked());
    }

    /** Upgrade, downgrade and a timed upgrade inside one upgradable read; readers get in after the downgrade. */
    @Test
    void upgradeDowngradeTimedUpgrade() throws Exception {
        RwLockCell<Pair> cell = new RwLockCell<>(new Pair());
        cell.upgradableRead((p, u) -> {
            assertTrue(u.tryUpgrade());
            p.a = 1;
            u.downgrade();
            assertFalse(u.isUpgraded());
            try (TestThreads threads = new TestThreads()) {
                AtomicReference<Optional<Integer>> seen = new AtomicReference<>();
                threads.join(threads.start("reader", () -> seen.set(cell.tryRead(q -> q.a))));
                assertEquals(Optional.of(1), seen.get());
                assertTrue(u.tryUpgrade(1, TimeUnit.SECONDS));
                threads.join(threads.start("reader2", () -> seen.set(cell.tryRead(q -> q.a))));
                assertEquals(Optional.empty(), seen.get());
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return null;
        });
        assertFalse(cell.isLocked());
    }

    /** The upgrade handle refuses use after its callback, from another thread, and nested upgradable reads. */
    @Test
    void upgraderCannotLeak() throws Exception {
        RwLockCell<Integer> cell = new RwLockCell<>(1);
        AtomicReference<RwLockCell.Upgrader<Integer>> leaked = new AtomicReference<>();
        AtomicReference<Throwable> fromOtherThread = new AtomicReference<>();
        cell.upgradableRead((v, u) -> {
            leaked.set(u);
            assertThrows(IllegalStateException.class, () -> cell.upgradableRead((w, u2) -> w));
            try (TestThreads threads = new TestThreads()) {
                threads.join(threads.start("stranger", () -> {
                    try {
                        u.upgrade();
                    } catch (IllegalStateException e) {
                        fromOtherThread.set(e);
                    }
                }));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertFalse(u.isUpgraded(), "the stranger did not upgrade this callback's hold");
            return v;
        });
        assertTrue(fromOtherThread.get() instanceof IllegalStateException);
        RwLockCell.Upgrader<Integer> u = leaked.get();
        assertThrows(IllegalStateException.class, u::upgrade);
        assertThrows(IllegalStateException.class, () -> u.set(3));
        assertThrows(IllegalStateException.class, u::isUpgraded);
        assertEquals("Upgrader[inactive]", u.toString());
        assertFalse(cell.isLocked());
        assertEquals(1, (int) cell.read(v -> v));
        assertThrows(NullPointerException.class, () -> cell.upgradableRead(null));
    }

    // ---------------------------------------------------------------------------------------------
    // awaitWhile

    /**
     * MutexCell.awaitWhile does not return while the predicate holds: notifies that leave it true make the
     * waiter re-check and wait again; the notify after it turns false lets the action run.
     */
    @Test
    void cellAwaitWhileRechecksOnEveryNotify() throws Exception {
        MutexCell<int[]> cell = new MutexCell<>(new int[1]);
        Condvar changed = new Condvar();
        AtomicInteger checks = new AtomicInteger();
        AtomicReference<Integer> result = new AtomicReference<>();
        try (TestThreads threads = new TestThreads()) {
            Thread waiter = threads.start("waiter", () -> result.set(cell.awaitWhile(changed, v -> {
                checks.incrementAndGet();
                return v[0] < 3;
            }, v -> v[0] * 10)));
            for (int i = 1; i <= 3; i++) {
                int expectedChecks = i;
                awaitTrue("waiter checked " + expectedChecks + " times and waits",
                        () -> checks.get() == expectedChecks && changed.getWaitQueueLength() == 1);
                assertTrue(waiter.isAlive());
                assertEquals(null, result.get());
                cell.withLockDo(v -> v[0]++);
                changed.notifyAllWaiters();
            }
            threads.join(waiter);
        }
        assertEquals(30, result.get());
        assertEquals(4, checks.get());
        assertFalse(cell.isLocked());
    }

    /** MutexCell.awaitWhile runs the action at once when the predicate is false; the timed form times out. */
    @Test
    void cellAwaitWhileTimed() throws Exception {
        MutexCell<Integer> cell = new MutexCell<>(0);
        Condvar changed = new Condvar();
        assertEquals(0, (int) cell.awaitWhile(changed, v -> false, v -> v));
        AtomicBoolean ran = new AtomicBoolean();
        long start = System.nanoTime();
        assertEquals(Optional.empty(), cell.awaitWhile(changed, v -> true, SHORT_MILLIS, TimeUnit.MILLISECONDS,
                v -> ran.getAndSet(true)));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(SHORT_MILLIS));
        assertEquals(Optional.empty(),
                cell.awaitWhile(changed, v -> true, 0, TimeUnit.SECONDS, v -> ran.getAndSet(true)));
        assertFalse(ran.get());
        assertEquals(Optional.of(1), cell.awaitWhile(changed, v -> v != 0, 0, TimeUnit.SECONDS, v -> 2)
                .map(x -> x - 1));
        assertFalse(cell.isLocked());
        // Turns false within the time: the timed form returns the action's result.
        try (TestThreads threads = new TestThreads()) {
            AtomicReference<Optional<Integer>> got = new AtomicReference<>();
            Thread waiter = threads.start("waiter", () -> got.set(cell.awaitWhile(changed, v -> v == 0, 30,
                    TimeUnit.SECONDS, v -> v)));
            awaitTrue("waiter waits", () -> changed.getWaitQueueLength() == 1);
            cell.replace(5);
            changed.notifyOne();
            threads.join(waiter);
            assertEquals(Optional.of(5), got.get());
        }
        assertFalse(cell.isLocked());
    }

    /** An interrupt ends MutexCell.awaitWhile with InterruptedException, the mutex released, the action not run. */
    @Test
    void cellAwaitWhileInterrupted() throws Exception {
        MutexCell<Integer> cell = new MutexCell<>(0);
        Condvar changed = new Condvar();
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean ran = new AtomicBoolean();
        try (TestThreads threads = new TestThreads()) {
            Thread waiter = threads.startVirtual("waiter", () -> {
                try {
                    cell.awaitWhile(changed, v -> true, v -> ran.getAndSet(true));
                } catch (InterruptedException e) {
                    interrupted.set(!Thread.currentThread().isInterrupted());
                }
            });
            awaitTrue("waiter waits", () -> changed.getWaitQueueLength() == 1);
            waiter.interrupt();
            threads.join(waiter);
        }
        assertTrue(interrupted.get());
        assertFalse(ran.get());
        assertFalse(cell.isLocked());
    }

    /** Condvar.awaitWhile returns at once, without releasing, when the condition is false. */
    @Test
    void condvarAwaitWhileFalseReturnsAtOnce() throws Exception {
        RawMutex m = new RawMutex();
        Condvar cv = new Condvar();
        AtomicInteger checks = new AtomicInteger();
        try (var held = m.locked()) {
            cv.awaitWhile(m, () -> checks.incrementAndGet() < 0);
            assertTrue(m.isLocked());
            assertTrue(cv.awaitWhile(m, () -> checks.incrementAndGet() < 0, 0, TimeUnit.SECONDS));
            cv.awaitWhileUninterruptibly(m, () -> checks.incrementAndGet() < 0);
            assertTrue(held.isHeld());
        }
        assertEquals(3, checks.get());
    }

    /** Condvar.awaitWhile refuses a mutex that is not held, before evaluating the condition. */
    @Test
    void condvarAwaitWhileNeedsTheMutex() {
        ReentrantMutex m = new ReentrantMutex();
        Condvar cv = new Condvar();
        AtomicBoolean evaluated = new AtomicBoolean();
        assertThrows(IllegalMonitorStateException.class, () -> cv.awaitWhile(m, () -> evaluated.getAndSet(true)));
        assertThrows(IllegalMonitorStateException.class,
                () -> cv.awaitWhile(m, () -> evaluated.getAndSet(true), 1, TimeUnit.SECONDS));
        assertThrows(IllegalMonitorStateException.class,
                () -> cv.awaitWhileUninterruptibly(m, () -> evaluated.getAndSet(true)));
        assertFalse(evaluated.get());
        m.lock();
        try {
            assertThrows(NullPointerException.class, () -> cv.awaitWhile(m, null));
            assertThrows(NullPointerException.class, () -> cv.awaitWhile(m, () -> true, 1, null));
        } finally {
            m.unlock();
        }
    }

    /**
     * Condvar.awaitWhile with a ReentrantMutex: spurious notifies are absorbed; the timed form returns false
     * on timeout with the mutex held and true once the condition is false.
     */
    @Test
    void condvarAwaitWhileTimedAndNotified() throws Exception {
        ReentrantMutex m = new ReentrantMutex();
        Condvar cv = new Condvar();
        AtomicBoolean ready = new AtomicBoolean();
        m.lock();
        try {
            long start = System.nanoTime();
            assertFalse(cv.awaitWhile(m, () -> !ready.get(), SHORT_MILLIS, TimeUnit.MILLISECONDS));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(SHORT_MILLIS));
            assertTrue(m.isHeldByCurrentThread());
        } finally {
            m.unlock();
        }
        AtomicInteger checks = new AtomicInteger();
        AtomicReference<Boolean> result = new AtomicReference<>();
        try (TestThreads threads = new TestThreads()) {
            Thread waiter = threads.startVirtual("waiter", () -> {
                try (var held = m.locked()) {
                    result.set(cv.awaitWhile(m, () -> {
                        checks.incrementAndGet();
                        return !ready.get();
                    }, 30, TimeUnit.SECONDS));
                    assertTrue(m.isHeldByCurrentThread());
                }
            });
            awaitTrue("waiter waits", () -> checks.get() == 1 && cv.getWaitQueueLength() == 1);
            cv.notifyOne(); // spurious: the condition still holds
            awaitTrue("waiter re-checked and waits again", () -> checks.get() == 2 && cv.getWaitQueueLength() == 1);
            assertEquals(null, result.get());
            try (var held = m.locked()) {
                ready.set(true);
                cv.notifyAllWaiters();
            }
            threads.join(waiter);
        }
        assertEquals(Boolean.TRUE, result.get());
        assertEquals(3, checks.get());
    }

    /**
     * Condvar.awaitWhile throws InterruptedException with the mutex held; awaitWhileUninterruptibly keeps
     * waiting through an interrupt and returns with the status set.
     */
    @Test
    void condvarAwaitWhileInterrupts() throws Exception {
        RawMutex m = new RawMutex();
        Condvar cv = new Condvar();
        AtomicBoolean ready = new AtomicBoolean();
        AtomicBoolean heldAfterInterrupt = new AtomicBoolean();
        AtomicBoolean statusKept = new AtomicBoolean();
        try (TestThreads threads = new TestThreads()) {
            Thread a = threads.start("interruptible", () -> {
                try (var held = m.locked()) {
                    try {
                        cv.awaitWhile(m, () -> !ready.get());
                    } catch (InterruptedException e) {
                        heldAfterInterrupt.set(!m.tryLock()); // still held by us (the guard then releases it)
                    }
                }
            });
            awaitTrue("first waiter waits", () -> cv.getWaitQueueLength() == 1);
            a.interrupt();
            threads.join(a);
            assertTrue(heldAfterInterrupt.get());
            assertFalse(m.isLocked());

            Thread b = threads.start("uninterruptible", () -> {
                try (var held = m.locked()) {
                    cv.awaitWhileUninterruptibly(m, () -> !ready.get());
                    statusKept.set(Thread.currentThread().isInterrupted());
                }
            });
            awaitTrue("second waiter waits", () -> cv.getWaitQueueLength() == 1);
            b.interrupt();
            awaitTrue("second waiter still waits", () -> b.getState() == Thread.State.WAITING
                    && cv.getWaitQueueLength() == 1);
            try (var held = m.locked()) {
                ready.set(true);
                cv.notifyOne();
            }
            threads.join(b);
        }
        assertTrue(statusKept.get());
        assertFalse(m.isLocked());
    }

    // ---------------------------------------------------------------------------------------------
    // bounded stress

    /**
     * About a second of platform and virtual threads mixing guards, cells, upgradable reads and predicate
     * waits: no increment is lost, readers never see a half-written pair, every produced item is consumed.
     */
    @Test
    @Timeout(120)
    void boundedStress() throws Exception {
        MutexCell<long[]> counter = new MutexCell<>(new long[1], false);
        RwLockCell<Pair> pair = new RwLockCell<>(new Pair(), true);
        MutexCell<int[]> items = new MutexCell<>(new int[1], true); // items available
        Condvar itemAdded = new Condvar();
        RawMutex raw = new RawMutex();
        long[] rawCount = new long[1];
        AtomicLong increments = new AtomicLong();
        AtomicLong produced = new AtomicLong();
        AtomicLong consumed = new AtomicLong();
        AtomicBoolean torn = new AtomicBoolean();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000);
        int workers = 6;
        try (TestThreads threads = new TestThreads()) {
            for (int t = 0; t < workers; t++) {
                int id = t;
                MutexTestSupport.Body body = () -> {
                    int i = 0;
                    while (System.nanoTime() - end < 0) {
                        i++;
                        switch ((id + i) % 5) {
                            case 0 -> {
                                counter.withLockDo(c -> c[0]++);
                                try (var held = raw.locked()) {
                                    rawCount[0]++;
                                }
                                increments.incrementAndGet();
                            }
                            case 1 -> pair.writeDo(p -> {
                                p.a++;
                                Thread.yield();
                                p.b++;
                            });
                            case 2 -> {
                                if (pair.read(p -> p.a != p.b)) {
                                    torn.set(true);
                                }
                            }
                            case 3 -> pair.upgradableRead((p, u) -> {
                                if (p.a != p.b) {
                                    torn.set(true);
                                }
                                if (p.a % 2 == 0 && tryUpgradeBriefly(u)) {
                                    p.a++;
                                    p.b++;
                                }
                                return null;
                            });
                            default -> {
                                if (id % 2 == 0) {
                                    items.withLockDo(n -> n[0]++);
                                    itemAdded.notifyOne();
                                    produced.incrementAndGet();
                                } else if (items.awaitWhile(itemAdded, n -> n[0] == 0, 1, TimeUnit.MILLISECONDS,
                                        n -> n[0]--).isPresent()) {
                                    consumed.incrementAndGet();
                                }
                            }
                        }
                    }
                };
                if (t % 2 == 0) {
                    threads.start("platform" + t, body);
                } else {
                    threads.startVirtual("virtual" + t, body);
                }
            }
            threads.joinAll();
        }
        assertFalse(torn.get(), "a reader saw a half-written pair");
        assertEquals(increments.get(), (long) counter.withLock(c -> c[0]));
        assertEquals(increments.get(), rawCount[0]);
        assertEquals(produced.get() - consumed.get(), (int) items.withLock(n -> n[0]));
        assertTrue((boolean) pair.read(p -> p.a == p.b));
        assertFalse(counter.isLocked() || pair.isLocked() || items.isLocked() || raw.isLocked());
        assertEquals(0, ParkingLot.queueLength(itemAdded, 0L));
    }
}
