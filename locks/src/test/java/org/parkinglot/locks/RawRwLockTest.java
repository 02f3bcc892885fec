package org.parkinglot.locks;

import static java.util.concurrent.TimeUnit.DAYS;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.parkinglot.locks.RawRwLock.ONE_READER;
import static org.parkinglot.locks.RawRwLock.PARKED;
import static org.parkinglot.locks.RawRwLock.READERS_MASK;
import static org.parkinglot.locks.RawRwLock.UPGRADABLE;
import static org.parkinglot.locks.RawRwLock.WRITER;
import static org.parkinglot.locks.RawRwLock.WRITER_PARKED;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.parkinglot.core.ParkingLot;

/**
 * Unit tests of {@link RawRwLock} and its {@link RawRwLock#asReadWriteLock()} views: every mode and
 * transition, timeouts, interrupts, fairness, hand-offs, bumps, misuse and reader-count overflow.
 *
 * <p>Waiting threads are detected by polling the parking-lot queues of the lock: lane 0 holds every
 * thread waiting to acquire, lane 1 the one writer (or upgrader) that owns the writer claim and waits
 * for readers to leave. Assertions on the state word use the package-private bit constants and read
 * the private {@code state} field through a {@link VarHandle}.
 */
class RawRwLockTest {

    /** How long a test waits for a thread to reach a state or to end before it fails. */
    private static final long LONG_DELAY_MS = 20_000;
    /** A short timeout for timed acquisitions that must fail. */
    private static final long SHORT_DELAY_MS = 50;

    /** Threads started by the current test; interrupted and joined after it. */
    private final List<Thread> started = new ArrayList<>();
    /** The first exception or assertion error thrown in a thread started by the current test. */
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    @AfterEach
    void stopThreads() {
        Thread.interrupted(); // never leak an interrupt of the test thread into the next test
        for (Thread t : started) {
            if (t.isAlive()) {
                t.interrupt();
            }
        }
        long deadline = System.nanoTime() + MILLISECONDS.toNanos(LONG_DELAY_MS);
        List<Thread> alive = new ArrayList<>();
        for (Thread t : started) {
            try {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    t.join(Math.max(1L, NANOSECONDS.toMillis(left)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                alive.add(t);
            }
        }
        assertTrue(alive.isEmpty(), "threads did not stop: " + alive);
    }

    // =============================================================================================
    // helpers

    /** A thread body that may throw. */
    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Throwable;
    }

    private Thread start(Thread.Builder builder, ThrowingRunnable body) {
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

    private Thread start(String name, ThrowingRunnable body) {
        return start(Thread.ofPlatform().daemon().name(name), body);
    }

    private static void join(Thread t) throws InterruptedException {
        t.join(LONG_DELAY_MS);
        assertFalse(t.isAlive(), "thread did not finish: " + t);
    }

    private void assertNoFailure() {
        Throwable f = failure.get();
        if (f != null) {
            fail("a test thread failed", f);
        }
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(LONG_DELAY_MS, MILLISECONDS), "latch not released in time");
    }

    /** Polls until {@code condition} holds; fails after {@link #LONG_DELAY_MS}. */
    private static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + MILLISECONDS.toNanos(LONG_DELAY_MS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(1); // only lets the other thread reach the state polled for
        }
    }

    /** Polls until exactly {@code n} threads are queued under (key, lane). */
    private static void awaitQueued(Object key, long lane, int n) throws InterruptedException {
        awaitCondition(() -> ParkingLot.queueLength(key, lane) == n,
                n + " threads are queued on lane " + lane + " of " + key);
    }

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.privateLookupIn(RawRwLock.class, MethodHandles.lookup())
                    .findVarHandle(RawRwLock.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static int state(RawRwLock lock) {
        return (int) STATE.getVolatile(lock);
    }

    private static void setState(RawRwLock lock, int s) {
        STATE.setVolatile(lock, s);
    }

    /** Asserts the lock is free with no flag left over, and that a full exclusive cycle works. */
    private static void assertFreeAndUsable(RawRwLock lock) {
        assertEquals(0, state(lock), "state of a free lock");
        assertTrue(lock.tryLockExclusive());
        lock.unlockExclusive();
        assertTrue(lock.tryLockShared());
        lock.unlockShared();
        assertEquals(0, state(lock));
    }

    private static void assertQueuesEmpty(RawRwLock lock) {
        assertEquals(0, ParkingLot.queueLength(lock, 0L), "lane 0");
        assertEquals(0, ParkingLot.queueLength(lock, 1L), "lane 1");
    }

    /** The three lock modes, with uniform access to their operations. */
    enum Mode {
        SHARED(ONE_READER) {
            @Override
            void lock(RawRwLock l) {
                l.lockShared();
            }

            @Override
            void lockInterruptibly(RawRwLock l) throws InterruptedException {
                l.lockSharedInterruptibly();
            }

            @Override
            boolean tryLock(RawRwLock l) {
                return l.tryLockShared();
            }

            @Override
            boolean tryLock(RawRwLock l, long time, TimeUnit unit) throws InterruptedException {
                return l.tryLockShared(time, unit);
            }

            @Override
            void unlock(RawRwLock l) {
                l.unlockShared();
            }
        },
        EXCLUSIVE(WRITER) {
            @Override
            void lock(RawRwLock l) {
                l.lockExclusive();
            }

            @Override
            void lockInterruptibly(RawRwLock l) throws InterruptedException {
                l.lockExclusiveInterruptibly();
            }

            @Override
            boolean tryLock(RawRwLock l) {
                return l.tryLockExclusive();
            }

            @Override
            boolean tryLock(RawRwLock l, long time, TimeUnit unit) throws InterruptedException {
                return l.tryLockExclusive(time, unit);
            }

            @Override
            void unlock(RawRwLock l) {
                l.unlockExclusive();
            }
        },
        UPGRADABLE(ONE_READER | RawRwLock.UPGRADABLE) {
            @Override
            void lock(RawRwLock l) {
                l.lockUpgradable();
            }

            @Override
            void lockInterruptibly(RawRwLock l) throws InterruptedException {
                l.lockUpgradableInterruptibly();
            }

            @Override
            boolean tryLock(RawRwLock l) {
                return l.tryLockUpgradable();
            }

            @Override
            boolean tryLock(RawRwLock l, long time, TimeUnit unit) throws InterruptedException {
                return l.tryLockUpgradable(time, unit);
            }

            @Override
            void unlock(RawRwLock l) {
                l.unlockUpgradable();
            }
        };

        /** The state word when this mode is the only hold on the lock. */
        final int heldState;

        Mode(int heldState) {
            this.heldState = heldState;
        }

        abstract void lock(RawRwLock l);

        abstract void lockInterruptibly(RawRwLock l) throws InterruptedException;

        abstract boolean tryLock(RawRwLock l);

        abstract boolean tryLock(RawRwLock l, long time, TimeUnit unit) throws InterruptedException;

        abstract void unlock(RawRwLock l);
    }

    /** An acquisition ({@code waiter}) that must wait while {@code holder} is held, and the lane it waits on. */
    enum Blocked {
        SHARED_BY_WRITER(Mode.EXCLUSIVE, Mode.SHARED, 0L),
        UPGRADABLE_BY_WRITER(Mode.EXCLUSIVE, Mode.UPGRADABLE, 0L),
        UPGRADABLE_BY_UPGRADABLE(Mode.UPGRADABLE, Mode.UPGRADABLE, 0L),
        EXCLUSIVE_BY_WRITER(Mode.EXCLUSIVE, Mode.EXCLUSIVE, 0L),
        EXCLUSIVE_BY_UPGRADABLE(Mode.UPGRADABLE, Mode.EXCLUSIVE, 0L),
        /** The writer claims the lock and then waits on lane 1 for the reader to leave. */
        EXCLUSIVE_BY_READER(Mode.SHARED, Mode.EXCLUSIVE, 1L);

        final Mode holder;
        final Mode waiter;
        final long lane;

        Blocked(Mode holder, Mode waiter, long lane) {
            this.holder = holder;
            this.waiter = waiter;
            this.lane = lane;
        }
    }

    // =============================================================================================
    // the three modes

    /** A shared lock on a free lock is one reader, and unlockShared frees the lock again. */
    @Test
    @Timeout(30)
    void lockSharedThenUnlockShared() {
        RawRwLock lock = new RawRwLock();
        lock.lockShared();
        assertEquals(ONE_READER, state(lock));
        lock.unlockShared();
        assertFreeAndUsable(lock);
    }

    /** An exclusive lock on a free lock sets only the writer bit, and unlockExclusive frees the lock. */
    @Test
    @Timeout(30)
    void lockExclusiveThenUnlockExclusive() {
        RawRwLock lock = new RawRwLock();
        lock.lockExclusive();
        assertEquals(WRITER, state(lock));
        lock.unlockExclusive();
        assertFreeAndUsable(lock);
    }

    /** An upgradable lock on a free lock is one reader plus the upgradable bit, and unlockUpgradable frees it. */
    @Test
    @Timeout(30)
    void lockUpgradableThenUnlockUpgradable() {
        RawRwLock lock = new RawRwLock();
        lock.lockUpgradable();
        assertEquals(ONE_READER | UPGRADABLE, state(lock));
        lock.unlockUpgradable();
        assertFreeAndUsable(lock);
    }

    /** Every try and interruptible acquisition succeeds at once on a free lock. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    @Timeout(30)
    void acquisitionsSucceedOnFreeLock(Mode mode) throws InterruptedException {
        RawRwLock lock = new RawRwLock();
        assertTrue(mode.tryLock(lock));
        assertEquals(mode.heldState, state(lock));
        mode.unlock(lock);
        mode.lockInterruptibly(lock);
        assertEquals(mode.heldState, state(lock));
        mode.unlock(lock);
        assertTrue(mode.tryLock(lock, SHORT_DELAY_MS, MILLISECONDS));
        assertEquals(mode.heldState, state(lock));
        mode.unlock(lock);
        assertFreeAndUsable(lock);
    }

    /** Several threads hold the shared lock at the same time. */
    @Test
    @Timeout(30)
    void multipleReadersCoexist() throws Exception {
        RawRwLock lock = new RawRwLock();
        int n = 3;
        CountDownLatch holding = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            readers.add(start("reader-" + i, () -> {
                lock.lockShared();
                holding.countDown();
                await(release);
                lock.unlockShared();
            }));
        }
        await(holding); // all n hold the lock at once
        assertEquals(n * ONE_READER, state(lock));
        assertTrue(lock.tryLockShared());
        lock.unlockShared();
        release.countDown();
        for (Thread t : readers) {
            join(t);
        }
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** While a reader holds the lock, tryLockExclusive (plain and timed with zero time) fails without side effects. */
    @Test
    @Timeout(30)
    void readerExcludesTryLockExclusive() throws InterruptedException {
        RawRwLock lock = new RawRwLock();
        lock.lockShared();
        assertFalse(lock.tryLockExclusive());
        assertFalse(lock.tryLockExclusive(0L, SECONDS));
        assertEquals(ONE_READER, state(lock));
        lock.unlockShared();
        assertFreeAndUsable(lock);
    }

    /** lockExclusive waits on lane 1 while a reader holds the lock and acquires once the reader leaves. */
    @Test
    @Timeout(30)
    void lockExclusiveWaitsForReaderToLeave() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockShared();
        AtomicBoolean acquired = new AtomicBoolean();
        Thread writer = start("writer", () -> {
            lock.lockExclusive();
            acquired.set(true);
            lock.unlockExclusive();
        });
        awaitQueued(lock, 1L, 1);
        assertFalse(acquired.get());
        assertEquals(ONE_READER | WRITER | WRITER_PARKED, state(lock));
        lock.unlockShared();
        join(writer);
        assertTrue(acquired.get());
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** While a writer holds the lock, every non-blocking shared and upgradable acquisition fails. */
    @Test
    @Timeout(30)
    void writerExcludesTryLockSharedAndUpgradable() throws InterruptedException {
        RawRwLock lock = new RawRwLock();
        lock.lockExclusive();
        assertFalse(lock.tryLockShared());
        assertFalse(lock.tryLockSharedRecursive());
        assertFalse(lock.tryLockShared(0L, SECONDS));
        assertFalse(lock.tryLockUpgradable());
        assertFalse(lock.tryLockUpgradable(0L, SECONDS));
        assertFalse(lock.tryLockExclusive());
        assertEquals(WRITER, state(lock));
        lock.unlockExclusive();
        assertFreeAndUsable(lock);
    }

    /** Each blocked acquisition waits on its lane while the holder holds the lock and completes after the release. */
    @ParameterizedTest
    @EnumSource(Blocked.class)
    @Timeout(30)
    void blockedAcquisitionCompletesAfterRelease(Blocked b) throws Exception {
        RawRwLock lock = new RawRwLock();
        b.holder.lock(lock);
        AtomicBoolean acquired = new AtomicBoolean();
        Thread t = start("waiter", () -> {
            b.waiter.lock(lock);
            acquired.set(true);
            b.waiter.unlock(lock);
        });
        awaitQueued(lock, b.lane, 1);
        assertFalse(acquired.get());
        b.holder.unlock(lock);
        join(t);
        assertTrue(acquired.get());
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** An upgradable reader coexists with plain readers, whichever comes first. */
    @Test
    @Timeout(30)
    void upgradableCoexistsWithReaders() {
        RawRwLock lock = new RawRwLock();
        lock.lockUpgradable();
        assertTrue(lock.tryLockShared());
        lock.lockShared();
        assertEquals(3 * ONE_READER | UPGRADABLE, state(lock));
        lock.unlockUpgradable();
        assertEquals(2 * ONE_READER, state(lock));
        assertTrue(lock.tryLockUpgradable());
        assertEquals(3 * ONE_READER | UPGRADABLE, state(lock));
        lock.unlockUpgradable();
        lock.unlockShared();
        lock.unlockShared();
        assertFreeAndUsable(lock);
    }

    /** An upgradable reader excludes another upgradable reader and any writer. */
    @Test
    @Timeout(30)
    void upgradableExcludesUpgradableAndWriter() throws InterruptedException {
        RawRwLock lock = new RawRwLock();
        lock.lockUpgradable();
        assertFalse(lock.tryLockUpgradable());
        assertFalse(lock.tryLockUpgradable(0L, SECONDS));
        assertFalse(lock.tryLockExclusive());
        assertFalse(lock.tryLockExclusive(SHORT_DELAY_MS, MILLISECONDS));
        assertEquals(ONE_READER | UPGRADABLE, state(lock));
        lock.unlockUpgradable();
        assertFreeAndUsable(lock);
    }

    // =============================================================================================
    // upgrade and downgrade

    /** upgrade with no other reader turns the upgradable lock into the exclusive lock at once. */
    @Test
    @Timeout(30)
    void upgradeAloneIsImmediate() {
        RawRwLock lock = new RawRwLock();
        lock.lockUpgradable();
        lock.upgrade();
        assertEquals(WRITER, state(lock));
        lock.unlockExclusive();
        assertFreeAndUsable(lock);
    }

    /** upgrade waits while another reader holds the lock and completes once that reader leaves. */
    @Test
    @Timeout(30)
    void upgradeWaitsForOtherReaders() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockShared();
        CountDownLatch upgraded = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread u = start("upgrader", () -> {
            lock.lockUpgradable();
            lock.upgrade();
            upgraded.countDown();
            await(release);
            lock.unlockExclusive();
        });
        awaitQueued(lock, 1L, 1);
        assertEquals(1, upgraded.getCount());
        // the upgrader's reader unit became the writer claim; the main thread's reader remains
        assertEquals(ONE_READER | WRITER | WRITER_PARKED, state(lock));
        assertFalse(lock.tryLockShared());
        lock.unlockShared();
        await(upgraded);
        assertEquals(WRITER, state(lock));
        release.countDown();
        join(u);
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** tryUpgrade fails, keeping the upgradable lock, while another reader holds the lock. */
    @Test
    @Timeout(30)
    void tryUpgradeFailsWithOtherReaders() {
        RawRwLock lock = new RawRwLock();
        lock.lockShared();
        lock.lockUpgradable();
        assertFalse(lock.tryUpgrade());
        assertEquals(2 * ONE_READER | UPGRADABLE, state(lock));
        lock.unlockUpgradable();
        lock.unlockShared();
        assertFreeAndUsable(lock);
    }

    /** tryUpgrade succeeds when the upgradable reader is the only reader. */
    @Test
    @Timeout(30)
    void tryUpgradeSucceedsAlone() {
        RawRwLock lock = new RawRwLock();
        lock.lockShared();
        lock.lockUpgradable();
        lock.unlockShared();
        assertTrue(lock.tryUpgrade());
        assertEquals(WRITER, state(lock));
        lock.unlockExclusive();
        assertFreeAndUsable(lock);
    }

    /** A timed tryUpgrade times out, not early, and leaves the upgradable lock held with no writer claim. */
    @Test
    @Timeout(30)
    void timedTryUpgradeTimesOutKeepingUpgradable() throws InterruptedException {
        RawRwLock lock = new RawRwLock();
        lock.lockShared();
        lock.lockUpgradable();
        long start = System.nanoTime();
        assertFalse(lock.tryUpgrade(SHORT_DELAY_MS, MILLISECONDS));
        assertTrue(System.nanoTime() - start >= MILLISECONDS.toNanos(SHORT_DELAY_MS), "timed out early");
        assertEquals(2 * ONE_READER | UPGRADABLE, state(lock));
        assertQueuesEmpty(lock);
        assertTrue(lock.tryLockShared()); // the writer claim was given back
        lock.unlockShared();
        lock.unlockShared();
        lock.upgrade();
        lock.unlockExclusive();
        assertFreeAndUsable(lock);
    }

    /** A zero or negative timed tryUpgrade with other readers fails at once, leaving the state unchanged. */
    @ParameterizedTest
    @ValueSource(longs = {0L, -1L, Long.MIN_VALUE})
    @Timeout(30)
    void nonPositiveTimedTryUpgradeTriesOnce(long time) throws InterruptedException {
        RawRwLock lock = new RawRwLock();
        lock.lockShared();
        lock.lockUpgradable();
        assertFalse(lock.tryUpgrade(time, NANOSECONDS));
        assertEquals(2 * ONE_READER | UPGRADABLE, state(lock));
        lock.unlockShared();
        assertTrue(lock.tryUpgrade(time, NANOSECONDS));
        assertEquals(WRITER, state(lock));
        lock.unlockExclusive();
        assertFreeAndUsable(lock);
    }

    /** A timed tryUpgrade with a huge timeout waits until the other readers leave, then upgrades. */
    @Test
    @Timeout(30)
    void timedTryUpgradeWithMaxTimeoutWaitsForReaders() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockShared();
        AtomicBoolean upgraded = new AtomicBoolean();
        Thread u = start("upgrader", () -> {
            lock.lockUpgradable();
            upgraded.set(lock.tryUpgrade(Long.MAX_VALUE, DAYS));
            lock.unlockExclusive();
        });
        awaitQueued(lock, 1L, 1);
        assertFalse(upgraded.get());
        lock.unlockShared();
        join(u);
        assertTrue(upgraded.get());
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** After a timed tryUpgrade times out, a writer that queued meanwhile proceeds once the upgradable lock is released. */
    @Test
    @Timeout(30)
    void timedTryUpgradeTimeoutLetsQueuedWriterProceed() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockShared();
        CountDownLatch timedOut = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean upgradeResult = new AtomicBoolean(true);
        Thread u = start("upgrader", () -> {
            lock.lockUpgradable();
            upgradeResult.set(lock.tryUpgrade(1, SECONDS));
            timedOut.countDown();
            await(release);
            lock.unlockUpgradable();
        });
        // usually the writer queues while the upgrader owns the writer claim; on a stalled machine it
        // may queue behind the restored upgradable lock instead: the assertions hold either way
        awaitCondition(() -> ParkingLot.queueLength(lock, 1L) == 1 || timedOut.getCount() == 0,
                "the upgrader waits for readers");
        AtomicBoolean wrote = new AtomicBoolean();
        Thread w = start("writer", () -> {
            lock.lockExclusive();
            wrote.set(true);
            lock.unlockExclusive();
        });
        await(timedOut);
        assertFalse(upgradeResult.get());
        awaitQueued(lock, 0L, 1);
        assertEquals(2 * ONE_READER | UPGRADABLE | PARKED, state(lock));
        assertFalse(wrote.get());
        assertTrue(lock.tryLockShared()); // the claim was given back: readers enter again
        lock.unlockShared();
        release.countDown();
        join(u);
        lock.unlockShared();
        join(w);
        assertTrue(wrote.get());
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** downgrade turns the exclusive lock into one shared lock and lets every queued reader in. */
    @Test
    @Timeout(30)
    void downgradeLetsQueuedReadersIn() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockExclusive();
        int n = 3;
        CountDownLatch holding = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            readers.add(start("reader-" + i, () -> {
                lock.lockShared();
                holding.countDown();
                await(release);
                lock.unlockShared();
            }));
        }
        awaitQueued(lock, 0L, n);
        lock.downgrade();
        await(holding); // the readers got in while this thread still holds its shared lock
        assertEquals((n + 1) * ONE_READER, state(lock));
        release.countDown();
        for (Thread t : readers) {
            join(t);
        }
        assertEquals(ONE_READER, state(lock));
        lock.unlockShared();
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** After downgrade, a queued writer stays out until the downgraded shared lock is released. */
    @Test
    @Timeout(30)
    void downgradeKeepsWritersOut() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockExclusive();
        AtomicBoolean acquired = new AtomicBoolean();
        Thread w = start("writer", () -> {
            lock.lockExclusive();
            acquired.set(true);
            lock.unlockExclusive();
        });
        awaitQueued(lock, 0L, 1);
        lock.downgrade();
        awaitQueued(lock, 1L, 1); // woken, the writer claimed the lock and now waits for this reader
        assertFalse(acquired.get());
        assertFalse(lock.tryLockExclusive());
        assertEquals(ONE_READER | WRITER | WRITER_PARKED, state(lock));
        lock.unlockShared();
        join(w);
        assertTrue(acquired.get());
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** downgradeToUpgradable lets queued readers in but keeps queued upgradable readers and writers waiting. */
    @Test
    @Timeout(30)
    void downgradeToUpgradableLetsOnlyReadersIn() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockExclusive();
        CountDownLatch readerHolding = new CountDownLatch(1);
        CountDownLatch readerRelease = new CountDownLatch(1);
        Thread r = start("reader", () -> {
            lock.lockShared();
            readerHolding.countDown();
            await(readerRelease);
            lock.unlockShared();
        });
        awaitQueued(lock, 0L, 1);
        AtomicBoolean upgradableAcquired = new AtomicBoolean();
        Thread u = start("upgradable", () -> {
            lock.lockUpgradable();
            upgradableAcquired.set(true);
            lock.unlockUpgradable();
        });
        awaitQueued(lock, 0L, 2);
        AtomicBoolean writerAcquired = new AtomicBoolean();
        Thread w = start("writer", () -> {
            lock.lockExclusive();
            writerAcquired.set(true);
            lock.unlockExclusive();
        });
        awaitQueued(lock, 0L, 3);
        lock.downgradeToUpgradable();
        await(readerHolding);
        assertEquals(2, ParkingLot.queueLength(lock, 0L));
        assertEquals(2 * ONE_READER | UPGRADABLE | PARKED, state(lock));
        assertFalse(upgradableAcquired.get());
        assertFalse(writerAcquired.get());
        readerRelease.countDown();
        join(r);
        lock.unlockUpgradable();
        join(u);
        join(w);
        assertTrue(upgradableAcquired.get());
        assertTrue(writerAcquired.get());
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** downgradeUpgradable keeps a shared lock and lets a queued upgradable reader in. */
    @Test
    @Timeout(30)
    void downgradeUpgradableLetsQueuedUpgraderIn() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockUpgradable();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread u = start("upgradable", () -> {
            lock.lockUpgradable();
            holding.countDown();
            await(release);
            lock.unlockUpgradable();
        });
        awaitQueued(lock, 0L, 1);
        lock.downgradeUpgradable();
        await(holding);
        assertEquals(2 * ONE_READER | UPGRADABLE, state(lock));
        release.countDown();
        join(u);
        assertEquals(ONE_READER, state(lock));
        lock.unlockShared();
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** downgradeUpgradable lets a queued writer claim the lock; it acquires once the shared lock is released. */
    @Test
    @Timeout(30)
    void downgradeUpgradableLetsQueuedWriterClaim() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockUpgradable();
        AtomicBoolean acquired = new AtomicBoolean();
        Thread w = start("writer", () -> {
            lock.lockExclusive();
            acquired.set(true);
            lock.unlockExclusive();
        });
        awaitQueued(lock, 0L, 1);
        lock.downgradeUpgradable();
        awaitQueued(lock, 1L, 1);
        assertEquals(ONE_READER | WRITER | WRITER_PARKED, state(lock));
        assertFalse(acquired.get());
        lock.unlockShared();
        join(w);
        assertTrue(acquired.get());
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** A single thread can walk every transition: exclusive, upgradable, exclusive, shared, free. */
    @Test
    @Timeout(30)
    void transitionsRoundTrip() {
        RawRwLock lock = new RawRwLock();
        lock.lockExclusive();
        lock.downgradeToUpgradable();
        assertEquals(ONE_READER | UPGRADABLE, state(lock));
        lock.upgrade();
        assertEquals(WRITER, state(lock));
        lock.downgrade();
        assertEquals(ONE_READER, state(lock));
        lock.unlockShared();
        lock.lockUpgradable();
        lock.downgradeUpgradable();
        assertEquals(ONE_READER, state(lock));
        lock.unlockShared();
        assertFreeAndUsable(lock);
    }

    /**
     * Upgrade and downgrade while readers and writers wait: the upgrade waits for the reader, the
     * queued writer and reader stay out, and after the downgrade the writer is served before the reader
     * that queued behind it.
     */
    @Test
    @Timeout(30)
    void upgradeAndDowngradeWithWaiters() throws Exception {
        RawRwLock lock = new RawRwLock();
        AtomicInteger order = new AtomicInteger();
        CountDownLatch upgradableHeld = new CountDownLatch(1);
        CountDownLatch goUpgrade = new CountDownLatch(1);
        CountDownLatch upgraded = new CountDownLatch(1);
        CountDownLatch goDowngrade = new CountDownLatch(1);
        CountDownLatch downgraded = new CountDownLatch(1);
        CountDownLatch goUnlock = new CountDownLatch(1);
        Thread u = start("upgrader", () -> {
            lock.lockUpgradable();
            upgradableHeld.countDown();
            await(goUpgrade);
            lock.upgrade();
            upgraded.countDown();
            await(goDowngrade);
            lock.downgrade();
            downgraded.countDown();
            await(goUnlock);
            lock.unlockShared();
        });
        await(upgradableHeld);
        lock.lockShared(); // a plain reader next to the upgradable one
        AtomicInteger writerTurn = new AtomicInteger();
        Thread w = start("writer", () -> {
            lock.lockExclusive();
            writerTurn.set(order.incrementAndGet());
            lock.unlockExclusive();
        });
        awaitQueued(lock, 0L, 1); // the upgradable reader keeps the writer from claiming
        goUpgrade.countDown();
        awaitQueued(lock, 1L, 1); // the upgrader owns the claim and waits for this reader
        AtomicInteger readerTurn = new AtomicInteger();
        Thread r = start("late-reader", () -> {
            lock.lockShared();
            readerTurn.set(order.incrementAndGet());
            lock.unlockShared();
        });
        awaitQueued(lock, 0L, 2); // refused by the claim
        lock.unlockShared();
        await(upgraded);
        assertEquals(WRITER | PARKED, state(lock));
        assertEquals(2, ParkingLot.queueLength(lock, 0L));
        goDowngrade.countDown();
        await(downgraded);
        awaitQueued(lock, 1L, 1); // the writer was woken, claimed, and waits for the downgraded reader
        assertEquals(0, writerTurn.get());
        assertEquals(0, readerTurn.get());
        goUnlock.countDown();
        join(u);
        join(w);
        join(r);
        assertEquals(1, writerTurn.get());
        assertEquals(2, readerTurn.get());
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    // =============================================================================================
    // task fairness and recursive reads

    /** Once a writer waits for the readers to leave, a new non-recursive tryLockShared fails. */
    @Test
    @Timeout(30)
    void waitingWriterBlocksTryLockShared() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockShared();
        Thread w = start("writer", () -> {
            lock.lockExclusive();
            lock.unlockExclusive();
        });
        awaitQueued(lock, 1L, 1);
        assertFalse(lock.tryLockShared());
        assertFalse(lock.tryLockShared(0L, SECONDS));
        assertFalse(lock.tryLockUpgradable());
        lock.unlockShared();
        join(w);
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** A new reader queues behind a waiting writer and gets in only after that writer is done. */
    @Test
    @Timeout(30)
    void newReaderQueuesBehindWaitingWriter() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockShared();
        AtomicBoolean writerDone = new AtomicBoolean();
        Thread w = start("writer", () -> {
            lock.lockExclusive();
            writerDone.set(true);
            lock.unlockExclusive();
        });
        awaitQueued(lock, 1L, 1);
        AtomicBoolean writerDoneSeenByReader = new AtomicBoolean();
        Thread r = start("reader", () -> {
            lock.lockShared();
            writerDoneSeenByReader.set(writerDone.get());
            lock.unlockShared();
        });
        awaitQueued(lock, 0L, 1);
        lock.unlockShared();
        join(w);
        join(r);
        assertTrue(writerDoneSeenByReader.get());
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** tryLockSharedRecursive succeeds while a reader holds the lock and a writer waits. */
    @Test
    @Timeout(30)
    void tryLockSharedRecursivePassesWaitingWriter() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockShared();
        Thread w = start("writer", () -> {
            lock.lockExclusive();
            lock.unlockExclusive();
        });
        awaitQueued(lock, 1L, 1);
        assertTrue(lock.tryLockSharedRecursive());
        assertEquals(2 * ONE_READER | WRITER | WRITER_PARKED, state(lock));
        lock.unlockShared();
        lock.unlockShared();
        join(w);
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** lockSharedRecursive by a thread holding a shared lock does not deadlock with a waiting writer. */
    @Test
    @Timeout(30)
    void lockSharedRecursivePassesWaitingWriter() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockShared();
        AtomicBoolean writerDone = new AtomicBoolean();
        Thread w = start("writer", () -> {
            lock.lockExclusive();
            writerDone.set(true);
            lock.unlockExclusive();
        });
        awaitQueued(lock, 1L, 1);
        lock.lockSharedRecursive(); // a plain lockShared would deadlock here
        assertEquals(2 * ONE_READER, state(lock) & (READERS_MASK | UPGRADABLE));
        assertFalse(writerDone.get());
        lock.unlockShared();
        lock.unlockShared();
        join(w);
        assertTrue(writerDone.get());
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** lockSharedRecursive still waits while a writer holds the lock (no reader to pass it with). */
    @Test
    @Timeout(30)
    void lockSharedRecursiveWaitsForHoldingWriter() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockExclusive();
        AtomicBoolean acquired = new AtomicBoolean();
        Thread r = start("recursive-reader", () -> {
            lock.lockSharedRecursive();
            acquired.set(true);
            lock.unlockShared();
        });
        awaitQueued(lock, 0L, 1);
        assertFalse(acquired.get());
        assertFalse(lock.tryLockSharedRecursive());
        lock.unlockExclusive();
        join(r);
        assertTrue(acquired.get());
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** A continuous stream of readers on several threads does not starve a writer. */
    @Test
    @Timeout(60)
    void writerNotStarvedByReaderStream() throws Exception {
        RawRwLock lock = new RawRwLock();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong readSections = new AtomicLong();
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            readers.add(start("reader-" + i, () -> {
                while (!stop.get()) {
                    lock.lockShared();
                    try {
                        readSections.incrementAndGet();
                        for (int k = 0; k < 64; k++) {
                            Thread.onSpinWait(); // overlap the readers' critical sections
                        }
                    } finally {
                        lock.unlockShared();
                    }
                }
            }));
        }
        awaitCondition(() -> readSections.get() >= 1_000, "the readers are streaming");
        int writes = 100;
        AtomicInteger written = new AtomicInteger();
        Thread writer = start("writer", () -> {
            for (int i = 0; i < writes; i++) {
                lock.lockExclusive();
                written.incrementAndGet();
                lock.unlockExclusive();
            }
        });
        try {
            join(writer); // the readers keep going until the writer is done
        } finally {
            stop.set(true);
        }
        for (Thread t : readers) {
            join(t);
        }
        assertEquals(writes, written.get());
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** A continuous stream of writers on several threads does not starve a reader. */
    @Test
    @Timeout(60)
    void readerNotStarvedByWriterStream() throws Exception {
        RawRwLock lock = new RawRwLock();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong writeSections = new AtomicLong();
        List<Thread> writers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            writers.add(start("writer-" + i, () -> {
                while (!stop.get()) {
                    lock.lockExclusive();
                    try {
                        writeSections.incrementAndGet();
                    } finally {
                        lock.unlockExclusive();
                    }
                }
            }));
        }
        awaitCondition(() -> writeSections.get() >= 1_000, "the writers are streaming");
        AtomicInteger read = new AtomicInteger();
        Thread reader = start("reader", () -> {
            for (int i = 0; i < 100; i++) {
                lock.lockShared();
                read.incrementAndGet();
                lock.unlockShared();
            }
        });
        try {
            join(reader);
        } finally {
            stop.set(true);
        }
        for (Thread t : writers) {
            join(t);
        }
        assertEquals(100, read.get());
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    // =============================================================================================
    // unlocks, fair unlocks and hand-offs

    /** A plain unlockExclusive wakes every queued reader, and they then hold the lock together. */
    @Test
    @Timeout(30)
    void unlockExclusiveWakesAllQueuedReaders() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockExclusive();
        int n = 3;
        CountDownLatch holding = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            readers.add(start("reader-" + i, () -> {
                lock.lockShared();
                holding.countDown();
                await(release);
                lock.unlockShared();
            }));
        }
        awaitQueued(lock, 0L, n);
        lock.unlockExclusive();
        await(holding);
        assertEquals(n * ONE_READER, state(lock));
        release.countDown();
        for (Thread t : readers) {
            join(t);
        }
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** unlockExclusiveFair hands the lock to the queued readers: they hold it when the call returns. */
    @Test
    @Timeout(30)
    void unlockExclusiveFairHandsToQueuedReaders() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockExclusive();
        int n = 3;
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            readers.add(start("reader-" + i, () -> {
                lock.lockShared();
                await(release);
                lock.unlockShared();
            }));
        }
        awaitQueued(lock, 0L, n);
        lock.unlockExclusiveFair();
        assertEquals(n * ONE_READER, state(lock)); // before any reader had to run
        assertFalse(lock.tryLockExclusive());
        release.countDown();
        for (Thread t : readers) {
            join(t);
        }
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** unlockExclusiveFair hands the lock to a queued writer: it holds the writer bit when the call returns. */
    @Test
    @Timeout(30)
    void unlockExclusiveFairHandsToQueuedWriter() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockExclusive();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        Thread w = start("writer", () -> {
            lock.lockExclusive();
            holding.countDown();
            await(release);
            lock.unlockExclusive();
        });
        awaitQueued(lock, 0L, 1);
        lock.unlockExclusiveFair();
        assertEquals(WRITER, state(lock));
        assertFalse(lock.tryLockShared());
        assertFalse(lock.tryLockExclusive());
        await(holding);
        release.countDown();
        join(w);
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** A fair hand-off to a queued writer ends the batch: the readers queued behind it stay queued. */
    @Test
    @Timeout(30)
    void fairHandOffStopsAtWriter() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockExclusive();
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean writerDone = new AtomicBoolean();
        Thread w = start("writer", () -> {
            lock.lockExclusive();
            await(release);
            writerDone.set(true);
            lock.unlockExclusive();
        });
        awaitQueued(lock, 0L, 1);
        List<Thread> readers = new ArrayList<>();
        AtomicInteger readersAfterWriter = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
            readers.add(start("reader-" + i, () -> {
                lock.lockShared();
                if (writerDone.get()) {
                    readersAfterWriter.incrementAndGet();
                }
                lock.unlockShared();
            }));
        }
        awaitQueued(lock, 0L, 3);
        lock.unlockExclusiveFair();
        assertEquals(WRITER | PARKED, state(lock));
        assertEquals(2, ParkingLot.queueLength(lock, 0L));
        release.countDown();
        join(w);
        for (Thread t : readers) {
            join(t);
        }
        assertEquals(2, readersAfterWriter.get());
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** A fair hand-off to readers followed by a writer gives the readers the lock and the writer the claim. */
    @Test
    @Timeout(30)
    void fairHandOffToReadersAndWriter() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockExclusive();
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            readers.add(start("reader-" + i, () -> {
                lock.lockShared();
                await(release);
                lock.unlockShared();
            }));
        }
        awaitQueued(lock, 0L, 2);
        AtomicBoolean writerAcquired = new AtomicBoolean();
        AtomicInteger stateSeenByWriter = new AtomicInteger(-1);
        Thread w = start("writer", () -> {
            lock.lockExclusive();
            writerAcquired.set(true);
            stateSeenByWriter.set(state(lock));
            lock.unlockExclusive();
        });
        awaitQueued(lock, 0L, 3);
        lock.unlockExclusiveFair();
        assertEquals(2 * ONE_READER | WRITER, state(lock) & ~WRITER_PARKED);
        awaitQueued(lock, 1L, 1); // the writer owns the claim and waits for the readers it was woken with
        assertFalse(writerAcquired.get());
        release.countDown();
        for (Thread t : readers) {
            join(t);
        }
        join(w);
        assertTrue(writerAcquired.get());
        assertEquals(WRITER, stateSeenByWriter.get());
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** unlockUpgradableFair hands the lock to a queued writer. */
    @Test
    @Timeout(30)
    void unlockUpgradableFairHandsToQueuedWriter() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockUpgradable();
        CountDownLatch release = new CountDownLatch(1);
        Thread w = start("writer", () -> {
            lock.lockExclusive();
            await(release);
            lock.unlockExclusive();
        });
        awaitQueued(lock, 0L, 1);
        lock.unlockUpgradableFair();
        assertEquals(WRITER, state(lock));
        release.countDown();
        join(w);
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** unlockUpgradableFair with another reader present hands a queued writer the claim; it waits for that reader. */
    @Test
    @Timeout(30)
    void unlockUpgradableFairHandsClaimWhileReaderRemains() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockShared();
        lock.lockUpgradable();
        AtomicBoolean acquired = new AtomicBoolean();
        Thread w = start("writer", () -> {
            lock.lockExclusive();
            acquired.set(true);
            lock.unlockExclusive();
        });
        awaitQueued(lock, 0L, 1);
        lock.unlockUpgradableFair();
        assertEquals(ONE_READER | WRITER, state(lock) & ~WRITER_PARKED);
        assertFalse(acquired.get());
        lock.unlockShared();
        join(w);
        assertTrue(acquired.get());
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** unlockUpgradableFair with nobody queued simply releases the upgradable lock. */
    @Test
    @Timeout(30)
    void unlockUpgradableFairWithoutWaiters() {
        RawRwLock lock = new RawRwLock();
        lock.lockShared();
        lock.lockUpgradable();
        lock.unlockUpgradableFair();
        assertEquals(ONE_READER, state(lock));
        lock.unlockShared();
        assertFreeAndUsable(lock);
    }

    /** unlockSharedFair by the last reader lets a waiting writer in. */
    @Test
    @Timeout(30)
    void unlockSharedFairWakesWaitingWriter() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockShared();
        AtomicBoolean acquired = new AtomicBoolean();
        Thread w = start("writer", () -> {
            lock.lockExclusive();
            acquired.set(true);
            lock.unlockExclusive();
        });
        awaitQueued(lock, 1L, 1);
        lock.unlockSharedFair();
        join(w);
        assertTrue(acquired.get());
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    // =============================================================================================
    // bumps

    /** bumpShared with no writer waiting keeps the shared lock and changes nothing. */
    @Test
    @Timeout(30)
    void bumpSharedWithoutWriterKeepsLock() {
        RawRwLock lock = new RawRwLock();
        lock.lockShared();
        lock.bumpShared();
        assertEquals(ONE_READER, state(lock));
        lock.unlockShared();
        assertFreeAndUsable(lock);
    }

    /** bumpShared lets a waiting writer through and returns holding a shared lock again. */
    @Test
    @Timeout(30)
    void bumpSharedLetsWaitingWriterThrough() throws Exception {
        RawRwLock lock = new RawRwLock();
        CountDownLatch readerHolds = new CountDownLatch(1);
        CountDownLatch goBump = new CountDownLatch(1);
        AtomicBoolean writerDone = new AtomicBoolean();
        AtomicBoolean writerDoneAfterBump = new AtomicBoolean();
        AtomicInteger stateAfterBump = new AtomicInteger(-1);
        Thread r = start("reader", () -> {
            lock.lockShared();
            readerHolds.countDown();
            await(goBump);
            lock.bumpShared();
            writerDoneAfterBump.set(writerDone.get());
            stateAfterBump.set(state(lock));
            lock.unlockShared();
        });
        await(readerHolds);
        Thread w = start("writer", () -> {
            lock.lockExclusive();
            writerDone.set(true);
            lock.unlockExclusive();
        });
        awaitQueued(lock, 1L, 1);
        goBump.countDown();
        join(r);
        join(w);
        assertTrue(writerDoneAfterBump.get());
        assertEquals(ONE_READER, stateAfterBump.get());
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** bumpExclusive with nobody queued keeps the exclusive lock and changes nothing. */
    @Test
    @Timeout(30)
    void bumpExclusiveWithoutWaitersKeepsLock() {
        RawRwLock lock = new RawRwLock();
        lock.lockExclusive();
        lock.bumpExclusive();
        assertEquals(WRITER, state(lock));
        lock.unlockExclusive();
        assertFreeAndUsable(lock);
    }

    /** bumpExclusive hands the lock to a queued reader and returns holding the exclusive lock again. */
    @Test
    @Timeout(30)
    void bumpExclusiveLetsQueuedReaderThrough() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockExclusive();
        AtomicBoolean readerDone = new AtomicBoolean();
        Thread r = start("reader", () -> {
            lock.lockShared();
            readerDone.set(true);
            lock.unlockShared();
        });
        awaitQueued(lock, 0L, 1);
        lock.bumpExclusive();
        assertTrue(readerDone.get());
        // The reader sets readerDone before unlockShared: our waitForReaders can see the count reach
        // zero and return before the reader's unparkOne callback clears WRITER_PARKED. Only after the
        // reader has finished is the word settled.
        join(r);
        assertEquals(WRITER, state(lock));
        lock.unlockExclusive();
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** bumpUpgradable with nobody queued keeps the upgradable lock and changes nothing. */
    @Test
    @Timeout(30)
    void bumpUpgradableWithoutWaitersKeepsLock() {
        RawRwLock lock = new RawRwLock();
        lock.lockUpgradable();
        lock.bumpUpgradable();
        assertEquals(ONE_READER | UPGRADABLE, state(lock));
        lock.unlockUpgradable();
        assertFreeAndUsable(lock);
    }

    /** bumpUpgradable hands the lock to a queued writer and returns holding the upgradable lock again. */
    @Test
    @Timeout(30)
    void bumpUpgradableLetsQueuedWriterThrough() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockUpgradable();
        AtomicBoolean writerDone = new AtomicBoolean();
        Thread w = start("writer", () -> {
            lock.lockExclusive();
            writerDone.set(true);
            lock.unlockExclusive();
        });
        awaitQueued(lock, 0L, 1);
        lock.bumpUpgradable();
        assertTrue(writerDone.get());
        assertEquals(ONE_READER | UPGRADABLE, state(lock));
        lock.unlockUpgradable();
        join(w);
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    // =============================================================================================
    // queries and toString

    /** isLocked and isLockedExclusive report the mode held: none, shared, upgradable, exclusive. */
    @Test
    @Timeout(30)
    void isLockedAndIsLockedExclusiveReflectMode() {
        RawRwLock lock = new RawRwLock();
        assertFalse(lock.isLocked());
        assertFalse(lock.isLockedExclusive());
        lock.lockShared();
        assertTrue(lock.isLocked());
        assertFalse(lock.isLockedExclusive());
        lock.unlockShared();
        lock.lockUpgradable();
        assertTrue(lock.isLocked());
        assertFalse(lock.isLockedExclusive());
        lock.unlockUpgradable();
        lock.lockExclusive();
        assertTrue(lock.isLocked());
        assertTrue(lock.isLockedExclusive());
        lock.unlockExclusive();
        assertFalse(lock.isLocked());
        assertFalse(lock.isLockedExclusive());
    }

    /** isLockedExclusive is true while a writer has claimed the lock and waits for readers to leave. */
    @Test
    @Timeout(30)
    void isLockedExclusiveWhileWriterWaitsForReaders() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockShared();
        Thread w = start("writer", () -> {
            lock.lockExclusive();
            lock.unlockExclusive();
        });
        awaitQueued(lock, 1L, 1);
        assertTrue(lock.isLocked());
        assertTrue(lock.isLockedExclusive());
        lock.unlockShared();
        join(w);
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** toString has the ReentrantReadWriteLock form with the write and read counts of each mode. */
    @Test
    @Timeout(30)
    void toStringShowsCounts() throws Exception {
        RawRwLock lock = new RawRwLock();
        String prefix = "org.parkinglot.locks.RawRwLock@" + Integer.toHexString(lock.hashCode());
        assertEquals(prefix + "[Write locks = 0, Read locks = 0]", lock.toString());
        lock.lockShared();
        lock.lockShared();
        assertEquals(prefix + "[Write locks = 0, Read locks = 2]", lock.toString());
        lock.lockUpgradable();
        assertEquals(prefix + "[Write locks = 0, Read locks = 3]", lock.toString());
        lock.unlockUpgradable();
        Thread w = start("writer", () -> {
            lock.lockExclusive();
            lock.unlockExclusive();
        });
        awaitQueued(lock, 1L, 1);
        // a claimed but not yet held write lock is not counted; its thread is queued (issue 16: toString counts the queue)
        assertEquals(prefix + "[Write locks = 0, Read locks = 2, 1 queued]", lock.toString());
        lock.unlockShared();
        lock.unlockShared();
        join(w);
        lock.lockExclusive();
        assertEquals(prefix + "[Write locks = 1, Read locks = 0]", lock.toString());
        lock.unlockExclusive();
        assertNoFailure();
    }

    // =============================================================================================
    // timeouts

    /** A timed acquisition that cannot succeed times out, not early, and leaves the state exactly as before. */
    @ParameterizedTest
    @EnumSource(Blocked.class)
    @Timeout(30)
    void timedAcquisitionTimesOutNotEarly(Blocked b) throws InterruptedException {
        RawRwLock lock = new RawRwLock();
        b.holder.lock(lock); // the lock tracks no owner: the same thread can be its own obstacle
        long start = System.nanoTime();
        assertFalse(b.waiter.tryLock(lock, SHORT_DELAY_MS, MILLISECONDS));
        assertTrue(System.nanoTime() - start >= MILLISECONDS.toNanos(SHORT_DELAY_MS), "timed out early");
        assertEquals(b.holder.heldState, state(lock));
        assertQueuesEmpty(lock);
        b.holder.unlock(lock);
        assertFreeAndUsable(lock);
    }

    /** A zero or negative timeout tries once: it fails at once when unavailable, without queuing or side effects. */
    @ParameterizedTest
    @MethodSource("blockedAndNonPositiveTimes")
    @Timeout(30)
    void nonPositiveTimeoutFailsAtOnceWhenUnavailable(Blocked b, long time) throws InterruptedException {
        RawRwLock lock = new RawRwLock();
        b.holder.lock(lock);
        assertFalse(b.waiter.tryLock(lock, time, NANOSECONDS));
        assertEquals(b.holder.heldState, state(lock));
        assertQueuesEmpty(lock);
        b.holder.unlock(lock);
        assertFreeAndUsable(lock);
    }

    static Stream<Arguments> blockedAndNonPositiveTimes() {
        return Stream.of(Blocked.values()).flatMap(b -> Stream.of(0L, -1L, Long.MIN_VALUE).map(t -> Arguments.of(b, t)));
    }

    /** A zero or negative timeout tries once: it succeeds when the lock is available in that mode. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    @Timeout(30)
    void nonPositiveTimeoutSucceedsWhenAvailable(Mode mode) throws InterruptedException {
        RawRwLock lock = new RawRwLock();
        for (long time : new long[] {0L, -1L, Long.MIN_VALUE}) {
            assertTrue(mode.tryLock(lock, time, SECONDS));
            assertEquals(mode.heldState, state(lock));
            mode.unlock(lock);
        }
        assertFreeAndUsable(lock);
    }

    /** A timed acquisition with Long.MAX_VALUE days waits (without overflowing) until the lock is released. */
    @ParameterizedTest
    @EnumSource(Blocked.class)
    @Timeout(30)
    void maxTimeoutWaitsUntilReleased(Blocked b) throws Exception {
        RawRwLock lock = new RawRwLock();
        b.holder.lock(lock);
        AtomicBoolean result = new AtomicBoolean();
        Thread t = start("waiter", () -> {
            result.set(b.waiter.tryLock(lock, Long.MAX_VALUE, DAYS));
            b.waiter.unlock(lock);
        });
        awaitQueued(lock, b.lane, 1);
        b.holder.unlock(lock);
        join(t);
        assertTrue(result.get());
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** A timed acquisition succeeds when the lock is released before the timeout. */
    @ParameterizedTest
    @EnumSource(Blocked.class)
    @Timeout(30)
    void timedAcquisitionSucceedsWhenReleasedInTime(Blocked b) throws Exception {
        RawRwLock lock = new RawRwLock();
        b.holder.lock(lock);
        AtomicBoolean result = new AtomicBoolean();
        Thread t = start("waiter", () -> {
            result.set(b.waiter.tryLock(lock, LONG_DELAY_MS, MILLISECONDS));
            b.waiter.unlock(lock);
        });
        awaitQueued(lock, b.lane, 1);
        b.holder.unlock(lock);
        join(t);
        assertTrue(result.get());
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** A timed writer that gives up waiting for readers wakes the readers that queued behind its claim. */
    @Test
    @Timeout(30)
    void timedOutWriterClaimWakesQueuedReaders() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockShared();
        AtomicBoolean writerResult = new AtomicBoolean(true);
        CountDownLatch writerDone = new CountDownLatch(1);
        Thread w = start("timed-writer", () -> {
            writerResult.set(lock.tryLockExclusive(500, MILLISECONDS));
            writerDone.countDown();
        });
        awaitCondition(() -> ParkingLot.queueLength(lock, 1L) == 1 || writerDone.getCount() == 0,
                "the writer waits for readers");
        CountDownLatch readerHolds = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread r = start("reader", () -> {
            lock.lockShared(); // refused while the claim stands; woken when the writer gives it back
            readerHolds.countDown();
            await(release);
            lock.unlockShared();
        });
        await(readerHolds); // while this thread still holds its shared lock
        await(writerDone);
        assertFalse(writerResult.get());
        assertEquals(2 * ONE_READER, state(lock));
        release.countDown();
        join(r);
        join(w);
        lock.unlockShared();
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    // =============================================================================================
    // interrupts

    /** The interruptible acquisitions of each mode, plain and timed. */
    enum Call {
        SHARED_INTERRUPTIBLY(Mode.SHARED, false),
        SHARED_TIMED(Mode.SHARED, true),
        EXCLUSIVE_INTERRUPTIBLY(Mode.EXCLUSIVE, false),
        EXCLUSIVE_TIMED(Mode.EXCLUSIVE, true),
        UPGRADABLE_INTERRUPTIBLY(Mode.UPGRADABLE, false),
        UPGRADABLE_TIMED(Mode.UPGRADABLE, true);

        final Mode mode;
        final boolean timed;

        Call(Mode mode, boolean timed) {
            this.mode = mode;
            this.timed = timed;
        }

        void acquire(RawRwLock lock) throws InterruptedException {
            if (timed) {
                assertTrue(mode.tryLock(lock, Long.MAX_VALUE, DAYS), "timed out");
            } else {
                mode.lockInterruptibly(lock);
            }
        }
    }

    /** An interruptible acquisition throws InterruptedException if interrupted on entry, even on a free lock. */
    @ParameterizedTest
    @EnumSource(Call.class)
    @Timeout(30)
    void interruptedOnEntryThrows(Call call) {
        RawRwLock lock = new RawRwLock();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> call.acquire(lock));
        assertFalse(Thread.interrupted(), "interrupt status not cleared");
        assertFreeAndUsable(lock);
    }

    /** timed tryUpgrade throws InterruptedException if interrupted on entry and keeps the upgradable lock. */
    @Test
    @Timeout(30)
    void timedTryUpgradeInterruptedOnEntryThrows() {
        RawRwLock lock = new RawRwLock();
        lock.lockUpgradable();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> lock.tryUpgrade(LONG_DELAY_MS, MILLISECONDS));
        assertFalse(Thread.interrupted(), "interrupt status not cleared");
        assertEquals(ONE_READER | UPGRADABLE, state(lock));
        lock.unlockUpgradable();
        assertFreeAndUsable(lock);
    }

    static Stream<Arguments> blockedAndTimed() {
        return Stream.of(Blocked.values()).flatMap(b -> Stream.of(false, true).map(t -> Arguments.of(b, t)));
    }

    /**
     * An interruptible acquisition interrupted while waiting throws InterruptedException with the status
     * cleared and holds nothing afterwards (no reader unit, no writer claim, no parked flag).
     */
    @ParameterizedTest
    @MethodSource("blockedAndTimed")
    @Timeout(30)
    void interruptedWhileWaitingThrowsAndHoldsNothing(Blocked b, boolean timed) throws Exception {
        RawRwLock lock = new RawRwLock();
        b.holder.lock(lock);
        AtomicBoolean threw = new AtomicBoolean();
        AtomicBoolean statusAfter = new AtomicBoolean(true);
        Thread t = start("waiter", () -> {
            try {
                if (timed) {
                    b.waiter.tryLock(lock, Long.MAX_VALUE, DAYS);
                } else {
                    b.waiter.lockInterruptibly(lock);
                }
            } catch (InterruptedException expected) {
                threw.set(true);
                statusAfter.set(Thread.currentThread().isInterrupted());
            }
        });
        awaitQueued(lock, b.lane, 1);
        t.interrupt();
        join(t);
        assertTrue(threw.get(), "no InterruptedException");
        assertFalse(statusAfter.get(), "interrupt status not cleared");
        assertEquals(b.holder.heldState, state(lock));
        assertQueuesEmpty(lock);
        b.holder.unlock(lock);
        assertNoFailure();
        assertFreeAndUsable(lock); // nothing held by the interrupted thread
    }

    /** A timed tryUpgrade interrupted while waiting for readers throws, clears the status and keeps the upgradable lock. */
    @Test
    @Timeout(30)
    void timedTryUpgradeInterruptedWhileWaiting() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockShared();
        AtomicBoolean threw = new AtomicBoolean();
        AtomicBoolean statusAfter = new AtomicBoolean(true);
        AtomicInteger stateAfter = new AtomicInteger(-1);
        Thread u = start("upgrader", () -> {
            lock.lockUpgradable();
            try {
                lock.tryUpgrade(Long.MAX_VALUE, DAYS);
            } catch (InterruptedException expected) {
                threw.set(true);
                statusAfter.set(Thread.currentThread().isInterrupted());
                stateAfter.set(state(lock));
            }
            lock.unlockUpgradable();
        });
        awaitQueued(lock, 1L, 1);
        u.interrupt();
        join(u);
        assertTrue(threw.get(), "no InterruptedException");
        assertFalse(statusAfter.get(), "interrupt status not cleared");
        assertEquals(2 * ONE_READER | UPGRADABLE, stateAfter.get());
        assertEquals(ONE_READER, state(lock));
        lock.unlockShared();
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** An uninterruptible acquisition keeps waiting when interrupted, then acquires with the status still set. */
    @ParameterizedTest
    @EnumSource(Blocked.class)
    @Timeout(30)
    void uninterruptibleAcquisitionIgnoresInterrupt(Blocked b) throws Exception {
        RawRwLock lock = new RawRwLock();
        b.holder.lock(lock);
        AtomicBoolean acquired = new AtomicBoolean();
        AtomicBoolean statusAfter = new AtomicBoolean();
        Thread t = start("waiter", () -> {
            b.waiter.lock(lock);
            acquired.set(true);
            statusAfter.set(Thread.currentThread().isInterrupted());
            b.waiter.unlock(lock);
        });
        awaitQueued(lock, b.lane, 1);
        t.interrupt();
        assertFalse(acquired.get()); // the holder still holds the lock
        b.holder.unlock(lock);
        join(t);
        assertTrue(acquired.get());
        assertTrue(statusAfter.get(), "interrupt status lost");
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** upgrade keeps waiting for readers when interrupted and completes with the status still set. */
    @Test
    @Timeout(30)
    void upgradeIgnoresInterrupt() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockShared();
        AtomicBoolean statusAfter = new AtomicBoolean();
        AtomicInteger stateAfter = new AtomicInteger(-1);
        Thread u = start("upgrader", () -> {
            lock.lockUpgradable();
            lock.upgrade();
            statusAfter.set(Thread.currentThread().isInterrupted());
            stateAfter.set(state(lock));
            lock.unlockExclusive();
        });
        awaitQueued(lock, 1L, 1);
        u.interrupt();
        lock.unlockShared();
        join(u);
        assertTrue(statusAfter.get(), "interrupt status lost");
        assertEquals(WRITER, stateAfter.get());
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    // =============================================================================================
    // the ReadWriteLock views

    /** The read and write locks of the view are the shared and exclusive modes of the lock. */
    @Test
    @Timeout(30)
    void viewsMapToModes() throws InterruptedException {
        RawRwLock lock = new RawRwLock();
        ReadWriteLock rw = lock.asReadWriteLock();
        Lock r = rw.readLock();
        Lock w = rw.writeLock();
        r.lock();
        assertEquals(ONE_READER, state(lock));
        assertTrue(r.tryLock());
        assertTrue(r.tryLock(0L, SECONDS));
        assertFalse(w.tryLock());
        assertFalse(w.tryLock(0L, SECONDS));
        assertEquals(3 * ONE_READER, state(lock));
        r.unlock();
        r.unlock();
        r.unlock();
        r.lockInterruptibly();
        r.unlock();
        w.lock();
        assertEquals(WRITER, state(lock));
        assertFalse(r.tryLock());
        assertFalse(r.tryLock(SHORT_DELAY_MS, MILLISECONDS));
        w.unlock();
        w.lockInterruptibly();
        w.unlock();
        assertTrue(w.tryLock(SHORT_DELAY_MS, MILLISECONDS));
        w.unlock();
        assertThrows(IllegalMonitorStateException.class, r::unlock);
        assertThrows(IllegalMonitorStateException.class, w::unlock);
        assertTrue(r.toString().contains(lock.toString()));
        assertTrue(w.toString().contains(lock.toString()));
        assertFreeAndUsable(lock);
    }

    /** Each asReadWriteLock call returns a new view, and all views share the one lock's state. */
    @Test
    @Timeout(30)
    void viewsShareTheLock() {
        RawRwLock lock = new RawRwLock();
        ReadWriteLock a = lock.asReadWriteLock();
        ReadWriteLock b = lock.asReadWriteLock();
        assertNotSame(a, b);
        assertSame(a.readLock(), a.readLock());
        assertSame(a.writeLock(), a.writeLock());
        a.writeLock().lock();
        assertFalse(b.readLock().tryLock());
        assertFalse(b.writeLock().tryLock());
        b.writeLock().unlock(); // no owner tracking: any view may release
        assertTrue(b.readLock().tryLock());
        a.readLock().unlock();
        assertFreeAndUsable(lock);
    }

    /** The read lock's newCondition throws UnsupportedOperationException. */
    @Test
    @Timeout(30)
    void readLockNewConditionUnsupported() {
        RawRwLock lock = new RawRwLock();
        assertThrows(UnsupportedOperationException.class, () -> lock.asReadWriteLock().readLock().newCondition());
    }

    /** A write-lock condition's await releases the write lock and returns holding it after a signal. */
    @Test
    @Timeout(30)
    void writeConditionAwaitAndSignal() throws Exception {
        RawRwLock lock = new RawRwLock();
        Lock w = lock.asReadWriteLock().writeLock();
        Condition c = w.newCondition();
        AtomicBoolean ready = new AtomicBoolean();
        AtomicInteger stateAfterAwait = new AtomicInteger(-1);
        Thread t = start("waiter", () -> {
            w.lock();
            try {
                while (!ready.get()) {
                    c.await();
                }
                stateAfterAwait.set(state(lock));
            } finally {
                w.unlock();
            }
        });
        awaitQueued(c, 0L, 1);
        assertEquals(0, state(lock)); // await released the write lock
        w.lock();
        ready.set(true);
        c.signal();
        w.unlock();
        join(t);
        assertEquals(WRITER, stateAfterAwait.get());
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** signalAll wakes every waiter of a write-lock condition; each returns holding the write lock alone. */
    @Test
    @Timeout(30)
    void writeConditionSignalAll() throws Exception {
        RawRwLock lock = new RawRwLock();
        Lock w = lock.asReadWriteLock().writeLock();
        Condition c = w.newCondition();
        AtomicBoolean ready = new AtomicBoolean();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger woken = new AtomicInteger();
        int n = 3;
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            waiters.add(start("waiter-" + i, () -> {
                w.lock();
                try {
                    while (!ready.get()) {
                        c.await();
                    }
                    assertEquals(1, inside.incrementAndGet(), "two holders of the write lock");
                    assertEquals(WRITER, state(lock) & (WRITER | READERS_MASK));
                    woken.incrementAndGet();
                    inside.decrementAndGet();
                } finally {
                    w.unlock();
                }
            }));
        }
        awaitQueued(c, 0L, n);
        w.lock();
        ready.set(true);
        c.signalAll();
        w.unlock();
        for (Thread t : waiters) {
            join(t);
        }
        assertEquals(n, woken.get());
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** awaitNanos and timed await on a write-lock condition time out, returning with the write lock held. */
    @Test
    @Timeout(30)
    void writeConditionTimedAwaitTimesOut() throws InterruptedException {
        RawRwLock lock = new RawRwLock();
        Lock w = lock.asReadWriteLock().writeLock();
        Condition c = w.newCondition();
        w.lock();
        long start = System.nanoTime();
        long left = c.awaitNanos(MILLISECONDS.toNanos(SHORT_DELAY_MS));
        assertTrue(System.nanoTime() - start >= MILLISECONDS.toNanos(SHORT_DELAY_MS), "timed out early");
        assertTrue(left <= 0L);
        assertEquals(WRITER, state(lock));
        assertFalse(c.await(1, MILLISECONDS));
        assertEquals(WRITER, state(lock));
        assertFalse(c.awaitUntil(new Date(System.currentTimeMillis() + 1)));
        assertEquals(WRITER, state(lock));
        w.unlock();
        assertQueuesEmpty(lock);
        assertFreeAndUsable(lock);
    }

    /** Every method of a write-lock condition throws IllegalMonitorStateException unless the write lock is held. */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"SHARED", "UPGRADABLE"})
    @Timeout(30)
    void writeConditionRequiresWriteLock(Mode held) {
        RawRwLock lock = new RawRwLock();
        Condition c = lock.asReadWriteLock().writeLock().newCondition();
        for (boolean hold : new boolean[] {false, true}) {
            if (hold) {
                held.lock(lock);
            }
            int before = state(lock);
            List<Executable> calls = List.of(
                    c::await,
                    c::awaitUninterruptibly,
                    () -> c.awaitNanos(1_000_000L),
                    () -> c.await(1, MILLISECONDS),
                    () -> c.awaitUntil(new Date(System.currentTimeMillis() + 1)),
                    c::signal,
                    c::signalAll);
            for (Executable call : calls) {
                assertThrows(IllegalMonitorStateException.class, call);
                assertEquals(before, state(lock));
                assertEquals(0, ParkingLot.queueLength(c, 0L));
            }
            if (hold) {
                held.unlock(lock);
            }
        }
        assertFreeAndUsable(lock);
    }

    /**
     * The methods of a write-lock condition throw IllegalMonitorStateException while a writer has only
     * claimed the lock and waits for readers to leave: the write lock is then not held by anyone.
     */
    @Test
    @Timeout(30)
    void writeConditionRequiresWriteLockNotJustClaim() throws Exception {
        RawRwLock lock = new RawRwLock();
        Condition c = lock.asReadWriteLock().writeLock().newCondition();
        lock.lockShared();
        Thread w = start("writer", () -> {
            lock.lockExclusive();
            lock.unlockExclusive();
        });
        awaitQueued(lock, 1L, 1);
        int before = state(lock);
        try {
            assertEquals(ONE_READER | WRITER | WRITER_PARKED, before);
            List<Executable> calls = List.of(
                    c::await,
                    () -> c.awaitNanos(1_000_000L),
                    c::signal,
                    c::signalAll);
            for (int i = 0; i < calls.size(); i++) {
                assertThrows(IllegalMonitorStateException.class, calls.get(i), "call " + i + " (await, awaitNanos, "
                        + "signal, signalAll)");
                assertEquals(before, state(lock));
                assertEquals(0, ParkingLot.queueLength(c, 0L));
            }
        } finally {
            lock.unlockShared();
            join(w);
        }
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /**
     * A write-lock condition waiter signalled while the write lock is held is moved to the lock's queue
     * and, handed the lock by a fair unlock, returns holding it exclusively; a reader queued behind it
     * gets in afterwards.
     */
    @Test
    @Timeout(30)
    void writeConditionWaiterHandedLockByFairUnlock() throws Exception {
        RawRwLock lock = new RawRwLock();
        Lock w = lock.asReadWriteLock().writeLock();
        Condition c = w.newCondition();
        AtomicBoolean signalled = new AtomicBoolean();
        AtomicInteger stateOnReturn = new AtomicInteger(-1);
        Thread waiter = start("waiter", () -> {
            w.lock();
            try {
                while (!signalled.get()) {
                    c.await();
                }
                stateOnReturn.set(state(lock));
            } finally {
                w.unlock();
            }
        });
        awaitQueued(c, 0L, 1);
        lock.lockExclusive();
        signalled.set(true);
        c.signal();
        assertEquals(0, ParkingLot.queueLength(c, 0L));
        assertEquals(1, ParkingLot.queueLength(lock, 0L)); // requeued, not woken
        assertEquals(WRITER | PARKED, state(lock));
        AtomicBoolean readerIn = new AtomicBoolean();
        Thread r = start("reader", () -> {
            lock.lockShared();
            readerIn.set(true);
            lock.unlockShared();
        });
        awaitQueued(lock, 0L, 2);
        lock.unlockExclusiveFair();
        join(waiter);
        join(r);
        assertEquals(WRITER | PARKED, stateOnReturn.get()); // the reader was still queued behind it
        assertTrue(readerIn.get());
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /**
     * A write-lock condition waiter requeued onto lane 0 and woken there by an unfair unlock is the
     * batch's writer, the woken successor (WOKEN set): it must re-take the lock as one, clearing WOKEN,
     * or its own unlock would skip the wake-up of the writer queued behind it.
     */
    @Test
    @Timeout(30)
    void writeConditionWaiterWokenAsSuccessorPassesTheWakeUpOn() throws Exception {
        RawRwLock lock = new RawRwLock();
        Lock w = lock.asReadWriteLock().writeLock();
        Condition c = w.newCondition();
        AtomicBoolean signalled = new AtomicBoolean();
        AtomicBoolean writerIn = new AtomicBoolean();
        Thread waiter = start("waiter", () -> {
            w.lock();
            try {
                while (!signalled.get()) {
                    c.await();
                }
            } finally {
                w.unlock();
            }
        });
        awaitQueued(c, 0L, 1);
        lock.lockExclusive();
        signalled.set(true);
        c.signal();
        assertEquals(1, ParkingLot.queueLength(lock, 0L)); // requeued, not woken
        Thread writer = start("writer", () -> {
            lock.lockExclusive();
            writerIn.set(true);
            lock.unlockExclusive();
        });
        awaitQueued(lock, 0L, 2);
        lock.unlockExclusive(); // wakes the waiter only (a writer ends the batch), as the successor
        join(waiter);
        join(writer); // stranded if the waiter's re-take left WOKEN set
        assertTrue(writerIn.get());
        assertNoFailure();
        assertEquals(0, state(lock));
        assertFreeAndUsable(lock);
    }

    /**
     * A writer woken as the successor that finds the lock taken again (a barging writer) parks again
     * clearing WOKEN, so the barger's unlock wakes it; many rounds, each ending with a clean word.
     */
    @Test
    @Timeout(30)
    void wokenWriterBargedStillGetsTheLock() throws Exception {
        RawRwLock lock = new RawRwLock();
        for (int round = 0; round < 50; round++) {
            lock.lockExclusive();
            Thread waiter = start("waiter-" + round, () -> {
                lock.lockExclusive();
                lock.unlockExclusive();
            });
            awaitQueued(lock, 0L, 1);
            lock.unlockExclusive(); // wakes the waiter as the successor
            lock.lockExclusive(); // barges ahead of it (usually)
            Thread.onSpinWait();
            lock.unlockExclusive(); // must wake it again if it went back to park
            join(waiter);
            assertEquals(0, state(lock));
        }
        assertNoFailure();
    }

    /**
     * A write-lock condition waiter handed the writer claim together with readers queued before it does
     * not return from await until those readers have left.
     */
    @Test
    @Timeout(30)
    void writeConditionWaiterHandedClaimWaitsForReaders() throws Exception {
        RawRwLock lock = new RawRwLock();
        Lock w = lock.asReadWriteLock().writeLock();
        Condition c = w.newCondition();
        AtomicBoolean signalled = new AtomicBoolean();
        AtomicInteger stateOnReturn = new AtomicInteger(-1);
        CountDownLatch returned = new CountDownLatch(1);
        Thread waiter = start("waiter", () -> {
            w.lock();
            try {
                while (!signalled.get()) {
                    c.await();
                }
                stateOnReturn.set(state(lock));
                returned.countDown();
            } finally {
                w.unlock();
            }
        });
        awaitQueued(c, 0L, 1);
        lock.lockExclusive();
        CountDownLatch readerHolds = new CountDownLatch(1);
        CountDownLatch readerRelease = new CountDownLatch(1);
        Thread r = start("reader", () -> {
            lock.lockShared();
            readerHolds.countDown();
            await(readerRelease);
            lock.unlockShared();
        });
        awaitQueued(lock, 0L, 1);
        signalled.set(true);
        c.signal(); // the waiter queues behind the reader
        assertEquals(2, ParkingLot.queueLength(lock, 0L));
        lock.unlockExclusiveFair(); // wakes both: the reader holds, the waiter owns the writer claim
        assertEquals(ONE_READER | WRITER, state(lock) & ~WRITER_PARKED);
        await(readerHolds);
        awaitQueued(lock, 1L, 1); // the waiter waits for the reader
        assertEquals(1, returned.getCount());
        readerRelease.countDown();
        join(r);
        join(waiter);
        assertEquals(WRITER, stateOnReturn.get());
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    // =============================================================================================
    // bad input

    /** What the current thread holds before a misuse. */
    enum Held {
        NONE(null),
        SHARED(Mode.SHARED),
        UPGRADABLE(Mode.UPGRADABLE),
        EXCLUSIVE(Mode.EXCLUSIVE);

        final Mode mode;

        Held(Mode mode) {
            this.mode = mode;
        }

        void acquire(RawRwLock lock) {
            if (mode != null) {
                mode.lock(lock);
            }
        }

        void release(RawRwLock lock) {
            if (mode != null) {
                mode.unlock(lock);
            }
        }
    }

    /** A release, transition or bump of a mode, and the holds under which calling it is a misuse. */
    enum Misuse {
        UNLOCK_SHARED(RawRwLock::unlockShared, Held.NONE, Held.UPGRADABLE, Held.EXCLUSIVE),
        UNLOCK_SHARED_FAIR(RawRwLock::unlockSharedFair, Held.NONE, Held.UPGRADABLE, Held.EXCLUSIVE),
        BUMP_SHARED(RawRwLock::bumpShared, Held.EXCLUSIVE),
        UNLOCK_EXCLUSIVE(RawRwLock::unlockExclusive, Held.NONE, Held.SHARED, Held.UPGRADABLE),
        UNLOCK_EXCLUSIVE_FAIR(RawRwLock::unlockExclusiveFair, Held.NONE, Held.SHARED, Held.UPGRADABLE),
        BUMP_EXCLUSIVE(RawRwLock::bumpExclusive, Held.NONE, Held.SHARED, Held.UPGRADABLE),
        DOWNGRADE(RawRwLock::downgrade, Held.NONE, Held.SHARED, Held.UPGRADABLE),
        DOWNGRADE_TO_UPGRADABLE(RawRwLock::downgradeToUpgradable, Held.NONE, Held.SHARED, Held.UPGRADABLE),
        UNLOCK_UPGRADABLE(RawRwLock::unlockUpgradable, Held.NONE, Held.SHARED, Held.EXCLUSIVE),
        UNLOCK_UPGRADABLE_FAIR(RawRwLock::unlockUpgradableFair, Held.NONE, Held.SHARED, Held.EXCLUSIVE),
        BUMP_UPGRADABLE(RawRwLock::bumpUpgradable, Held.NONE, Held.SHARED, Held.EXCLUSIVE),
        UPGRADE(RawRwLock::upgrade, Held.NONE, Held.SHARED, Held.EXCLUSIVE),
        TRY_UPGRADE(RawRwLock::tryUpgrade, Held.NONE, Held.SHARED, Held.EXCLUSIVE),
        TRY_UPGRADE_TIMED(l -> l.tryUpgrade(1, MILLISECONDS), Held.NONE, Held.SHARED, Held.EXCLUSIVE),
        DOWNGRADE_UPGRADABLE(RawRwLock::downgradeUpgradable, Held.NONE, Held.SHARED, Held.EXCLUSIVE);

        /** An operation on the lock. */
        @FunctionalInterface
        interface Op {
            void apply(RawRwLock lock) throws Throwable;
        }

        final Op op;
        final List<Held> misusedUnder;

        Misuse(Op op, Held... misusedUnder) {
            this.op = op;
            this.misusedUnder = List.of(misusedUnder);
        }
    }

    static Stream<Arguments> misuses() {
        return Stream.of(Misuse.values()).flatMap(m -> m.misusedUnder.stream().map(h -> Arguments.of(m, h)));
    }

    /** A release, transition or bump of a mode that is not held throws IllegalMonitorStateException, state unchanged. */
    @ParameterizedTest
    @MethodSource("misuses")
    @Timeout(30)
    void misuseThrowsAndLeavesStateUnchanged(Misuse misuse, Held held) {
        RawRwLock lock = new RawRwLock();
        held.acquire(lock);
        int before = state(lock);
        boolean locked = lock.isLocked();
        boolean lockedExclusive = lock.isLockedExclusive();
        assertThrows(IllegalMonitorStateException.class, () -> misuse.op.apply(lock));
        assertEquals(before, state(lock));
        assertEquals(locked, lock.isLocked());
        assertEquals(lockedExclusive, lock.isLockedExclusive());
        held.release(lock);
        assertFreeAndUsable(lock);
    }

    /** bumpShared on a lock where no shared lock is held throws IllegalMonitorStateException, as documented. */
    @Test
    @Timeout(30)
    void bumpSharedWithoutSharedLockThrows() {
        RawRwLock lock = new RawRwLock();
        assertThrows(IllegalMonitorStateException.class, lock::bumpShared);
        assertFreeAndUsable(lock);
    }

    /** Releasing the write lock while another writer only waits for readers throws and leaves that writer's claim intact. */
    @Test
    @Timeout(30)
    void unlockExclusiveOfWaitingClaimThrows() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockShared();
        AtomicBoolean acquired = new AtomicBoolean();
        Thread w = start("writer", () -> {
            lock.lockExclusive();
            acquired.set(true);
            lock.unlockExclusive();
        });
        awaitQueued(lock, 1L, 1);
        int before = state(lock);
        assertThrows(IllegalMonitorStateException.class, lock::unlockExclusive);
        assertThrows(IllegalMonitorStateException.class, lock::unlockExclusiveFair);
        assertThrows(IllegalMonitorStateException.class, lock::downgrade);
        assertThrows(IllegalMonitorStateException.class, lock::unlockUpgradable);
        assertThrows(IllegalMonitorStateException.class, lock::upgrade);
        assertEquals(before, state(lock));
        assertFalse(acquired.get());
        lock.unlockShared();
        join(w);
        assertTrue(acquired.get());
        assertNoFailure();
        assertFreeAndUsable(lock);
    }

    /** Every timed method throws NullPointerException for a null unit, leaving the state unchanged. */
    @Test
    @Timeout(30)
    void nullTimeUnitThrowsNpe() {
        RawRwLock lock = new RawRwLock();
        assertThrows(NullPointerException.class, () -> lock.tryLockShared(1, null));
        assertThrows(NullPointerException.class, () -> lock.tryLockExclusive(1, null));
        assertThrows(NullPointerException.class, () -> lock.tryLockUpgradable(1, null));
        ReadWriteLock rw = lock.asReadWriteLock();
        assertThrows(NullPointerException.class, () -> rw.readLock().tryLock(1, null));
        assertThrows(NullPointerException.class, () -> rw.writeLock().tryLock(1, null));
        assertEquals(0, state(lock));
        lock.lockUpgradable();
        assertThrows(NullPointerException.class, () -> lock.tryUpgrade(1, null));
        assertEquals(ONE_READER | UPGRADABLE, state(lock));
        lock.unlockUpgradable();
        assertFreeAndUsable(lock);
    }

    /** Every acquisition that adds a reader. */
    enum ReaderAcquisition {
        LOCK_SHARED(RawRwLock::lockShared),
        LOCK_SHARED_INTERRUPTIBLY(RawRwLock::lockSharedInterruptibly),
        TRY_LOCK_SHARED(RawRwLock::tryLockShared),
        TRY_LOCK_SHARED_TIMED(l -> l.tryLockShared(1, MILLISECONDS)),
        LOCK_SHARED_RECURSIVE(RawRwLock::lockSharedRecursive),
        TRY_LOCK_SHARED_RECURSIVE(RawRwLock::tryLockSharedRecursive),
        LOCK_UPGRADABLE(RawRwLock::lockUpgradable),
        LOCK_UPGRADABLE_INTERRUPTIBLY(RawRwLock::lockUpgradableInterruptibly),
        TRY_LOCK_UPGRADABLE(RawRwLock::tryLockUpgradable),
        TRY_LOCK_UPGRADABLE_TIMED(l -> l.tryLockUpgradable(1, MILLISECONDS)),
        READ_VIEW_LOCK(l -> l.asReadWriteLock().readLock().lock()),
        READ_VIEW_TRY_LOCK(l -> l.asReadWriteLock().readLock().tryLock());

        final Misuse.Op op;

        ReaderAcquisition(Misuse.Op op) {
            this.op = op;
        }
    }

    /**
     * With the reader count at its maximum 2<sup>27</sup> - 1, every reader acquisition throws
     * Error("Maximum lock count exceeded") and leaves the state unchanged.
     *
     * <p>The count is set through the private {@code state} field: reaching it by 2<sup>27</sup> real
     * acquisitions would take seconds of CAS traffic on this shared two-core machine for each case.
     */
    @ParameterizedTest
    @EnumSource(ReaderAcquisition.class)
    @Timeout(30)
    void readerCountOverflowThrowsError(ReaderAcquisition acquisition) {
        RawRwLock lock = new RawRwLock();
        setState(lock, READERS_MASK);
        Error e = assertThrowsExactly(Error.class, () -> acquisition.op.apply(lock));
        assertEquals("Maximum lock count exceeded", e.getMessage());
        assertEquals(READERS_MASK, state(lock));
        assertQueuesEmpty(lock);
        setState(lock, 0);
        assertFreeAndUsable(lock);
    }

    /** The reader count reaches 2<sup>27</sup> - 1 and then refuses one more reader, keeping the count. */
    @Test
    @Timeout(30)
    void readerCountReachesMaximum() {
        RawRwLock lock = new RawRwLock();
        int max = READERS_MASK >>> 5;
        assertEquals((1 << 27) - 1, max);
        setState(lock, READERS_MASK - ONE_READER); // see readerCountOverflowThrowsError for why
        assertTrue(lock.tryLockShared());
        assertEquals(READERS_MASK, state(lock));
        assertTrue(lock.toString().endsWith("[Write locks = 0, Read locks = " + max + "]"));
        assertThrowsExactly(Error.class, lock::tryLockShared);
        assertEquals(READERS_MASK, state(lock));
        lock.unlockShared();
        assertEquals(READERS_MASK - ONE_READER, state(lock));
        assertTrue(lock.tryLockUpgradable());
        assertEquals(READERS_MASK | UPGRADABLE, state(lock));
        lock.unlockUpgradable();
        setState(lock, 0);
        assertFreeAndUsable(lock);
    }

    // =============================================================================================
    // virtual threads

    /** A thousand virtual readers queued behind a writer all receive the lock in one fair hand-off. */
    @Test
    @Timeout(60)
    void thousandVirtualReadersShareOneHandOff() throws Exception {
        RawRwLock lock = new RawRwLock();
        lock.lockExclusive();
        int n = 1000;
        CountDownLatch holding = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            readers.add(start(Thread.ofVirtual().name("vreader-" + i), () -> {
                lock.lockShared();
                holding.countDown();
                await(release);
                lock.unlockShared();
            }));
        }
        awaitQueued(lock, 0L, n);
        lock.unlockExclusiveFair();
        assertEquals(n * ONE_READER, state(lock));
        await(holding);
        release.countDown();
        for (Thread t : readers) {
            join(t);
        }
        assertNoFailure();
        assertQueuesEmpty(lock);
        assertFreeAndUsable(lock);
    }

    /** A thousand virtual threads mixing reads, writes and upgrades keep mutual exclusion and lose no write. */
    @Test
    @Timeout(60)
    void virtualReadersAndWritersKeepInvariants() throws Exception {
        RawRwLock lock = new RawRwLock();
        AtomicInteger readers = new AtomicInteger();
        AtomicInteger writers = new AtomicInteger();
        AtomicReference<String> violation = new AtomicReference<>();
        long[] guarded = new long[1];
        int n = 1000;
        int iterations = 10;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int kind = i % 10; // 0: writer, 1: upgrader, else reader
            threads.add(start(Thread.ofVirtual().name("v-" + i), () -> {
                await(go);
                for (int k = 0; k < iterations; k++) {
                    if (kind == 0 || kind == 1) {
                        if (kind == 0) {
                            lock.lockExclusive();
                        } else {
                            lock.lockUpgradable();
                            Thread.yield();
                            lock.upgrade();
                        }
                        if (writers.incrementAndGet() != 1 || readers.get() != 0) {
                            violation.compareAndSet(null, "writer not alone");
                        }
                        guarded[0]++;
                        Thread.yield();
                        writers.decrementAndGet();
                        lock.unlockExclusive();
                    } else {
                        lock.lockShared();
                        readers.incrementAndGet();
                        if (writers.get() != 0) {
                            violation.compareAndSet(null, "reader with a writer");
                        }
                        Thread.yield();
                        readers.decrementAndGet();
                        lock.unlockShared();
                    }
                }
            }));
        }
        go.countDown();
        for (Thread t : threads) {
            join(t);
        }
        assertNoFailure();
        assertEquals(null, violation.get());
        assertEquals(2L * (n / 10) * iterations, guarded[0]);
        assertQueuesEmpty(lock);
        assertFreeAndUsable(lock);
    }
}
