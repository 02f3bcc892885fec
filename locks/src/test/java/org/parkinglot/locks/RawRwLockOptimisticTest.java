package org.parkinglot.locks;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.parkinglot.core.ParkingLot;

/**
 * Unit tests of {@link RawRwLock}'s optimistic reads ({@link RawRwLock#tryOptimisticRead()},
 * {@link RawRwLock#validate(long)}): a stamp is zero while a writer holds or claims the lock, stays valid
 * across shared and upgradable holds, and is invalidated by every exclusive hold, whichever path acquired
 * and released it (unlocks, downgrades, upgrades, bumps, condition waits through the write view); and a
 * bounded stress test in which validated reads never see a torn pair.
 *
 * <p>Waiting threads are detected by polling the lock's parking-lot queues (lane 0: waiting to acquire;
 * lane 1: the writer waiting for readers to leave) or the lock's state.
 */
@Timeout(60)
class RawRwLockOptimisticTest {

    /** How long a test waits for a thread to reach a state or to end before it fails. */
    private static final long LONG_DELAY_MS = 20_000;

    /** Threads started by the current test; interrupted and joined after it. */
    private final List<Thread> started = new ArrayList<>();
    /** The first exception or assertion error thrown in a thread started by the current test. */
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    @AfterEach
    void stopThreads() throws InterruptedException {
        for (Thread t : started) {
            if (t.isAlive()) {
                t.interrupt();
            }
        }
        for (Thread t : started) {
            t.join(LONG_DELAY_MS);
            assertFalse(t.isAlive(), "thread did not stop: " + t);
        }
    }

    // =============================================================================================
    // single-thread contract

    /** A fresh lock issues a non-zero stamp, which validates. */
    @Test
    void freshLockIssuesValidStamp() {
        RawRwLock lock = new RawRwLock();
        long stamp = lock.tryOptimisticRead();
        assertNotEquals(0L, stamp);
        assertTrue(lock.validate(stamp));
        assertTrue(lock.validate(stamp), "validating does not consume the stamp");
    }

    /** validate(0) is false, on a free lock too; so are values tryOptimisticRead never returns. */
    @Test
    void zeroAndForeignStampsDoNotValidate() {
        RawRwLock lock = new RawRwLock();
        long stamp = lock.tryOptimisticRead();
        assertFalse(lock.validate(0L));
        assertFalse(lock.validate(stamp + 1));
        assertFalse(lock.validate(stamp & 0xFFFF_FFFFL), "the version without the stamp bit");
        assertFalse(lock.validate(-1L));
    }

    /** While the exclusive lock is held the stamp is zero, and a stamp issued before fails. */
    @Test
    void stampIsZeroWhileExclusivelyLocked() {
        RawRwLock lock = new RawRwLock();
        long before = lock.tryOptimisticRead();
        lock.lockExclusive();
        assertEquals(0L, lock.tryOptimisticRead());
        assertFalse(lock.validate(before));
        assertFalse(lock.validate(0L));
        lock.unlockExclusive();
        assertFalse(lock.validate(before));
        Lock write = lock.asReadWriteLock().writeLock();
        write.lock();
        assertEquals(0L, lock.tryOptimisticRead());
        write.unlock();
        assertNotEquals(0L, lock.tryOptimisticRead());
    }

    /** Readers and the upgradable reader neither zero a stamp nor invalidate one. */
    @Test
    void validWhileReadersAndUpgradableHold() {
        RawRwLock lock = new RawRwLock();
        long before = lock.tryOptimisticRead();
        lock.lockShared();
        lock.lockShared();
        lock.lockUpgradable();
        long during = lock.tryOptimisticRead();
        assertNotEquals(0L, during);
        assertEquals(before, during, "no exclusive hold came in between");
        assertTrue(lock.validate(before));
        lock.unlockUpgradable();
        lock.unlockShared();
        lock.unlockShared();
        assertTrue(lock.validate(before));
        assertTrue(lock.validate(during));
    }

    /** Every non-exclusive operation, repeated, leaves a stamp valid. */
    @Test
    void validAcrossReaderChurn() throws InterruptedException {
        RawRwLock lock = new RawRwLock();
        long stamp = lock.tryOptimisticRead();
        for (int i = 0; i < 1_000; i++) {
            lock.lockShared();
            lock.lockSharedRecursive();
            assertTrue(lock.tryLockShared());
            assertTrue(lock.tryLockSharedRecursive());
            assertTrue(lock.tryLockShared(1, MILLISECONDS));
            lock.lockSharedInterruptibly();
            lock.bumpShared();
            lock.unlockSharedFair();
            for (int k = 0; k < 4; k++) {
                lock.unlockShared();
            }
            lock.lockUpgradable(); // with one other reader still in
            assertFalse(lock.tryUpgrade(), "another reader holds the lock");
            lock.bumpUpgradable();
            lock.downgradeUpgradable();
            lock.unlockShared();
            assertTrue(lock.tryLockUpgradable());
            lock.unlockUpgradableFair();
            lock.unlockShared();
            assertFalse(lock.isLocked());
            assertTrue(lock.validate(stamp), "iteration " + i);
        }
        assertEquals(stamp, lock.tryOptimisticRead());
    }

    /** Readers on other threads, platform and virtual, coming and going, leave a stamp valid. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void validAcrossConcurrentReaderChurn(boolean virtual) throws InterruptedException {
        RawRwLock lock = new RawRwLock();
        long stamp = lock.tryOptimisticRead();
        AtomicBoolean stop = new AtomicBoolean();
        for (int i = 0; i < 4; i++) {
            start(builder(virtual, "churn-" + i), () -> {
                while (!stop.get()) {
                    lock.lockShared();
                    lock.unlockShared();
                    lock.lockUpgradable();
                    lock.unlockUpgradable();
                }
            });
        }
        for (int i = 0; i < 100_000; i++) {
            assertTrue(lock.validate(stamp));
        }
        stop.set(true);
        joinAll();
        assertTrue(lock.validate(stamp));
    }

    /** The ways to take and give back exclusive ownership; each must invalidate older stamps. */
    enum ExclusiveHold {
        LOCK_UNLOCK, LOCK_UNLOCK_FAIR, TRY_LOCK, TIMED_TRY_LOCK, LOCK_INTERRUPTIBLY, WRITE_VIEW,
        DOWNGRADE, DOWNGRADE_TO_UPGRADABLE, UPGRADE, TRY_UPGRADE, TIMED_UPGRADE, UPGRADE_THEN_DOWNGRADE
    }

    /**
     * After each kind of exclusive hold, an older stamp fails and a new one validates; for the
     * downgrades the old stamp already fails while the downgraded (non-exclusive) hold remains.
     */
    @ParameterizedTest
    @EnumSource(ExclusiveHold.class)
    void everyExclusiveHoldInvalidates(ExclusiveHold kind) throws InterruptedException {
        RawRwLock lock = new RawRwLock();
        long stamp = lock.tryOptimisticRead();
        switch (kind) {
            case LOCK_UNLOCK -> {
                lock.lockExclusive();
                lock.unlockExclusive();
            }
            case LOCK_UNLOCK_FAIR -> {
                lock.lockExclusive();
                lock.unlockExclusiveFair();
            }
            case TRY_LOCK -> {
                assertTrue(lock.tryLockExclusive());
                lock.unlockExclusive();
            }
            case TIMED_TRY_LOCK -> {
                assertTrue(lock.tryLockExclusive(1, SECONDS));
                lock.unlockExclusive();
            }
            case LOCK_INTERRUPTIBLY -> {
                lock.lockExclusiveInterruptibly();
                lock.unlockExclusive();
            }
            case WRITE_VIEW -> {
                Lock write = lock.asReadWriteLock().writeLock();
                write.lock();
                write.unlock();
            }
            case DOWNGRADE -> {
                lock.lockExclusive();
                lock.downgrade();
                assertNotEquals(0L, lock.tryOptimisticRead());
                assertFalse(lock.validate(stamp), "the downgrade ended the exclusive hold");
                lock.unlockShared();
            }
            case DOWNGRADE_TO_UPGRADABLE -> {
                lock.lockExclusive();
                lock.downgradeToUpgradable();
                assertFalse(lock.validate(stamp), "the downgrade ended the exclusive hold");
                lock.unlockUpgradable();
            }
            case UPGRADE -> {
                lock.lockUpgradable();
                assertTrue(lock.validate(stamp));
                lock.upgrade();
                assertEquals(0L, lock.tryOptimisticRead());
                lock.unlockExclusive();
            }
            case TRY_UPGRADE -> {
                lock.lockUpgradable();
                assertTrue(lock.tryUpgrade());
                lock.unlockExclusive();
            }
            case TIMED_UPGRADE -> {
                lock.lockUpgradable();
                assertTrue(lock.tryUpgrade(1, SECONDS));
                lock.unlockExclusive();
            }
            case UPGRADE_THEN_DOWNGRADE -> {
                lock.lockUpgradable();
                lock.upgrade();
                lock.downgradeToUpgradable();
                assertFalse(lock.validate(stamp), "the downgrade ended the exclusive hold");
                lock.unlockUpgradable();
            }
            default -> fail("unknown kind " + kind);
        }
        assertFalse(lock.isLocked());
        assertFalse(lock.validate(stamp));
        long next = lock.tryOptimisticRead();
        assertNotEquals(0L, next);
        assertNotEquals(stamp, next);
        assertTrue(lock.validate(next));
    }

    /** A stamp still validates after the version wraps from -1 to 0 ... and fails across the wrap. */
    @Test
    void versionWrapsWithNonZeroStamps() {
        RawRwLock lock = new RawRwLock();
        VERSION.setVolatile(lock, -1);
        long before = lock.tryOptimisticRead();
        assertNotEquals(0L, before);
        assertTrue(lock.validate(before));
        lock.lockExclusive();
        lock.unlockExclusive();
        assertEquals(0, (int) VERSION.getVolatile(lock));
        long after = lock.tryOptimisticRead();
        assertNotEquals(0L, after, "version 0 still gives a non-zero stamp");
        assertTrue(lock.validate(after));
        assertFalse(lock.validate(before));
    }

    // =============================================================================================
    // with other threads

    /**
     * A writer that claimed the lock and waits for a reader to leave zeroes stamps and fails older ones;
     * once it has written and left, the older stamp still fails.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void writerWaitingForReadersZeroesStamps(boolean virtual) throws InterruptedException {
        RawRwLock lock = new RawRwLock();
        lock.lockShared();
        long stamp = lock.tryOptimisticRead();
        Thread writer = start(builder(virtual, "writer"), () -> {
            lock.lockExclusive();
            lock.unlockExclusive();
        });
        awaitQueued(lock, RawRwLock.DRAIN_LANE, 1);
        assertEquals(0L, lock.tryOptimisticRead());
        assertFalse(lock.validate(stamp));
        lock.unlockShared();
        join(writer);
        assertFalse(lock.validate(stamp));
    }

    /**
     * A writer that claimed the lock but timed out waiting for a reader never held it: an older stamp
     * validates again once the claim is given back.
     */
    @Test
    void writerTimingOutOnReadersLeavesStampValid() throws InterruptedException {
        RawRwLock lock = new RawRwLock();
        lock.lockShared();
        long stamp = lock.tryOptimisticRead();
        AtomicBoolean acquired = new AtomicBoolean(true);
        Thread writer = start(builder(false, "timed-writer"),
                () -> acquired.set(lock.tryLockExclusive(20, MILLISECONDS)));
        join(writer);
        assertFalse(acquired.get());
        assertTrue(lock.validate(stamp));
        lock.unlockShared();
        assertTrue(lock.validate(stamp));
    }

    /**
     * bumpExclusive hands the lock to a queued upgradable reader and waits to re-acquire it: in between,
     * with no writer holding or claiming the lock, a stamp from before the bumped hold fails.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void bumpExclusiveInvalidates(boolean virtual) throws InterruptedException {
        RawRwLock lock = new RawRwLock();
        long stamp = lock.tryOptimisticRead();
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch readerQueued = new CountDownLatch(1);
        CountDownLatch readerHolds = new CountDownLatch(1);
        CountDownLatch releaseReader = new CountDownLatch(1);
        Thread writer = start(builder(virtual, "bumper"), () -> {
            lock.lockExclusive();
            locked.countDown();
            await(readerQueued);
            lock.bumpExclusive(); // hands over to the upgradable reader, then queues behind it
            lock.unlockExclusive();
        });
        await(locked);
        Thread reader = start(builder(virtual, "upgradable"), () -> {
            lock.lockUpgradable();
            readerHolds.countDown();
            await(releaseReader);
            lock.unlockUpgradable();
        });
        awaitQueued(lock, RawRwLock.ACQUIRE_LANE, 1);
        readerQueued.countDown();
        await(readerHolds);
        awaitQueued(lock, RawRwLock.ACQUIRE_LANE, 1); // the bumper waits for the upgradable reader
        assertFalse(lock.isLockedExclusive());
        assertFalse(lock.validate(stamp), "the bump released an exclusive hold");
        long during = lock.tryOptimisticRead();
        assertNotEquals(0L, during);
        releaseReader.countDown();
        join(reader);
        join(writer);
        assertFalse(lock.validate(during), "the bumper's second hold");
    }

    /**
     * A condition wait through the write view releases the exclusive hold (an older stamp fails while the
     * waiter sleeps), and the hold it re-acquires when the wait ends fails a stamp issued during the wait.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void conditionWaitThroughWriteViewInvalidates(boolean virtual) throws InterruptedException {
        RawRwLock lock = new RawRwLock();
        Lock write = lock.asReadWriteLock().writeLock();
        Condition condition = write.newCondition();
        long stamp = lock.tryOptimisticRead();
        CountDownLatch locked = new CountDownLatch(1);
        AtomicBoolean done = new AtomicBoolean();
        Thread waiter = start(builder(virtual, "waiter"), () -> {
            write.lock();
            try {
                locked.countDown();
                while (!done.get()) { // checked under the re-acquired lock after each wait
                    condition.await(1, MILLISECONDS);
                }
            } finally {
                write.unlock();
            }
        });
        await(locked);
        long[] during = new long[1];
        awaitCondition(() -> (during[0] = lock.tryOptimisticRead()) != 0L, "the waiter released the lock in await");
        assertFalse(lock.validate(stamp), "the wait released an exclusive hold");
        // The waiter did not hold the lock when `during` was issued, so it sees `done` only in a hold it
        // re-acquires later.
        done.set(true);
        join(waiter);
        assertFalse(lock.isLocked());
        assertFalse(lock.validate(during[0]), "the waiter re-acquired the lock and released it");
    }

    // =============================================================================================
    // bounded stress

    /** Guarded by the lock: x == -y whenever no writer holds it. */
    private long x;
    /** Guarded by the lock: always -x outside a write. */
    private long y;

    /**
     * Writers keep the pair (x, -x), through every exclusive path; optimistic readers (platform or
     * virtual threads) that validate never see a torn pair, and fall back to the read lock otherwise.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void validatedReadsNeverSeeATornPair(boolean virtual) throws InterruptedException {
        RawRwLock lock = new RawRwLock();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong validated = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong writes = new AtomicLong();
        for (int i = 0; i < 2; i++) {
            start(builder(virtual, "writer-" + i), () -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!stop.get()) {
                    writePair(lock, random.nextInt(6), random.nextLong(1, Long.MAX_VALUE));
                    writes.incrementAndGet();
                }
            });
        }
        for (int i = 0; i < 4; i++) {
            start(builder(virtual, "reader-" + i), () -> {
                long ok = 0;
                long retried = 0;
                while (!stop.get()) {
                    long stamp = lock.tryOptimisticRead();
                    long a = y; // the opposite order of the writes, to widen the window
                    Thread.onSpinWait();
                    long b = x;
                    if (stamp != 0L && lock.validate(stamp)) {
                        if (a != -b) {
                            throw new AssertionError("validated a torn pair: x = " + b + ", y = " + a);
                        }
                        ok++;
                    } else {
                        retried++;
                        lock.lockShared();
                        try {
                            if (x != -y) {
                                throw new AssertionError("torn pair under the read lock");
                            }
                        } finally {
                            lock.unlockShared();
                        }
                    }
                }
                validated.addAndGet(ok);
                failed.addAndGet(retried);
            });
        }
        long deadline = System.nanoTime() + MILLISECONDS.toNanos(1_500);
        while (System.nanoTime() - deadline < 0 && failure.get() == null) {
            Thread.sleep(10); // the run's length; the threads check themselves
        }
        stop.set(true);
        joinAll();
        assertTrue(validated.get() > 0, "no optimistic read validated");
        assertTrue(writes.get() > 0, "no write happened");
        assertEquals(-x, y);
    }

    /** One write of the pair under an exclusive hold taken and given back by path {@code kind}. */
    private void writePair(RawRwLock lock, int kind, long value) throws InterruptedException {
        switch (kind) {
            case 0 -> lock.lockExclusive();
            case 1 -> assertTrue(lock.tryLockExclusive(LONG_DELAY_MS, MILLISECONDS));
            case 2 -> {
                lock.lockUpgradable();
                lock.upgrade();
            }
            default -> lock.lockExclusiveInterruptibly();
        }
        x = value;
        Thread.onSpinWait();
        y = -value;
        switch (kind) {
            case 0 -> lock.unlockExclusive();
            case 1 -> lock.unlockExclusiveFair();
            case 2 -> {
                lock.downgradeToUpgradable();
                lock.unlockUpgradable();
            }
            case 3 -> {
                lock.downgrade();
                lock.unlockShared();
            }
            case 4 -> {
                lock.bumpExclusive();
                x = -value;
                y = value;
                lock.unlockExclusive();
            }
            default -> lock.unlockExclusive();
        }
    }

    // =============================================================================================
    // helpers

    /** A thread body that may throw. */
    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Throwable;
    }

    private static Thread.Builder builder(boolean virtual, String name) {
        return virtual ? Thread.ofVirtual().name(name) : Thread.ofPlatform().daemon().name(name);
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

    private void join(Thread t) throws InterruptedException {
        t.join(LONG_DELAY_MS);
        assertFalse(t.isAlive(), "thread did not finish: " + t);
        assertNoFailure();
    }

    private void joinAll() throws InterruptedException {
        for (Thread t : started) {
            join(t);
        }
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

    /** Polls until exactly {@code n} threads are queued under (lock, lane). */
    private static void awaitQueued(Object key, long lane, int n) throws InterruptedException {
        awaitCondition(() -> ParkingLot.queueLength(key, lane) == n,
                n + " threads are queued on lane " + lane + " of " + key);
    }

    private static final VarHandle VERSION;

    static {
        try {
            VERSION = MethodHandles.privateLookupIn(RawRwLock.class, MethodHandles.lookup())
                    .findVarHandle(RawRwLock.class, "version", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
