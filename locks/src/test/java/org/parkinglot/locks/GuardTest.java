package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parkinglot.locks.MutexTestSupport.awaitQueued;
import static org.parkinglot.locks.MutexTestSupport.awaitTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.parkinglot.locks.MutexTestSupport.Kind;
import org.parkinglot.locks.MutexTestSupport.TestThreads;

/**
 * Unit tests of the try-with-resources guards {@link LockGuard} and {@link UpgradableGuard}: release on
 * every exit, idempotent close, no release of another lock, the try/timed/interruptible forms, the read-write
 * modes and upgrades, virtual threads.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GuardTest {

    private static final long SHORT_MILLIS = 50;

    /** The guard of one acquisition of a mutex of this package, by kind. */
    private static LockGuard locked(Lock mutex) {
        if (mutex instanceof ReentrantMutex r) {
            return r.locked();
        }
        return ((RawMutexBase) mutex).locked();
    }

    private static LockGuard tryLocked(Lock mutex) {
        if (mutex instanceof ReentrantMutex r) {
            return r.tryLocked();
        }
        return ((RawMutexBase) mutex).tryLocked();
    }

    private static LockGuard tryLocked(Lock mutex, long millis) throws InterruptedException {
        if (mutex instanceof ReentrantMutex r) {
            return r.tryLocked(millis, TimeUnit.MILLISECONDS);
        }
        return ((RawMutexBase) mutex).tryLocked(millis, TimeUnit.MILLISECONDS);
    }

    private static LockGuard lockedInterruptibly(Lock mutex) throws InterruptedException {
        if (mutex instanceof ReentrantMutex r) {
            return r.lockedInterruptibly();
        }
        return ((RawMutexBase) mutex).lockedInterruptibly();
    }

    // ---------------------------------------------------------------------------------------------
    // mutexes

    /** A guard holds the mutex inside the block and releases it on normal exit. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void releasesOnNormalExit(Kind kind) {
        Lock m = kind.create();
        try (var held = locked(m)) {
            assertTrue(held.isHeld());
            assertTrue(Kind.isHeld(m));
        }
        assertFalse(Kind.isLocked(m));
    }

    /** A guard releases the mutex when the block throws, and the exception propagates unchanged. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void releasesOnException(Kind kind) {
        Lock m = kind.create();
        IllegalStateException thrown = new IllegalStateException("boom");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            try (var held = locked(m)) {
                throw thrown;
            }
        });
        assertSame(thrown, e);
        assertEquals(0, e.getSuppressed().length);
        assertFalse(Kind.isLocked(m));
    }

    /**
     * Closing a guard twice is a no-op: after an early close and a new acquisition by another guard, the
     * first guard's second close (as try-with-resources does on exit) leaves the new hold alone.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void doubleCloseIsNoOp(Kind kind) {
        Lock m = kind.create();
        LockGuard second;
        try (var first = locked(m)) {
            first.close(); // early release
            assertFalse(first.isHeld());
            assertFalse(Kind.isLocked(m));
            second = locked(m);
        } // closes `first` again: must not release `second`'s hold
        assertTrue(Kind.isLocked(m));
        assertTrue(second.isHeld());
        second.close();
        assertFalse(Kind.isLocked(m));
        second.close();
        assertFalse(Kind.isLocked(m));
    }

    /** A guard of one mutex never releases another, even an identical one held at the same time. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void guardReleasesOnlyItsOwnLock(Kind kind) {
        Lock a = kind.create();
        Lock b = kind.create();
        LockGuard guardB = locked(b);
        try (var guardA = locked(a)) {
            assertTrue(Kind.isLocked(a));
        }
        assertFalse(Kind.isLocked(a));
        assertTrue(Kind.isLocked(b));
        guardB.close();
        assertFalse(Kind.isLocked(b));
    }

    /** tryLocked returns null when another thread holds the mutex (try-with-resources accepts it). */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void tryLockedReturnsNullWhenHeld(Kind kind) throws Exception {
        Lock m = kind.create();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (TestThreads threads = new TestThreads()) {
            Thread holder = threads.start("holder", MutexTestSupport.holdUntil(m, holding, release));
            holding.await();
            try (var held = tryLocked(m)) {
                assertNull(held);
            }
            release.countDown();
            threads.join(holder);
        }
        try (var held = tryLocked(m)) {
            assertNotNull(held);
            assertTrue(Kind.isHeld(m));
        }
        assertFalse(Kind.isLocked(m));
    }

    /** Timed tryLocked returns null after the timeout, and a guard once the mutex is released in time. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void timedTryLocked(Kind kind) throws Exception {
        Lock m = kind.create();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (TestThreads threads = new TestThreads()) {
            Thread holder = threads.start("holder", MutexTestSupport.holdUntil(m, holding, release));
            holding.await();
            long start = System.nanoTime();
            assertNull(tryLocked(m, SHORT_MILLIS));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(SHORT_MILLIS));
            AtomicReference<LockGuard> got = new AtomicReference<>();
            Thread waiter = threads.start("waiter", () -> {
                try (var held = tryLocked(m, TimeUnit.SECONDS.toMillis(30))) {
                    got.set(held);
                    assertTrue(Kind.isHeld(m));
                }
            });
            awaitQueued(m, 1);
            release.countDown();
            threads.join(holder);
            threads.join(waiter);
            assertNotNull(got.get());
            assertFalse(got.get().isHeld());
        }
        assertFalse(Kind.isLocked(m));
    }

    /** lockedInterruptibly throws when interrupted on entry or while waiting; nothing is held afterwards. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void lockedInterruptibly(Kind kind) throws Exception {
        Lock m = kind.create();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> lockedInterruptibly(m));
        assertFalse(Thread.interrupted());
        assertFalse(Kind.isLocked(m));

        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        try (TestThreads threads = new TestThreads()) {
            Thread holder = threads.start("holder", MutexTestSupport.holdUntil(m, holding, release));
            holding.await();
            Thread waiter = threads.start("waiter", () -> {
                try (var held = lockedInterruptibly(m)) {
                    throw new AssertionError("acquired while held: " + held);
                } catch (InterruptedException e) {
                    interrupted.set(!Thread.currentThread().isInterrupted());
                }
            });
            awaitQueued(m, 1);
            waiter.interrupt();
            threads.join(waiter);
            assertTrue(interrupted.get(), "InterruptedException with the status cleared");
            release.countDown();
            threads.join(holder);
        }
        assertFalse(Kind.isLocked(m));
    }

    /** A ReentrantMutex guard closed by a thread that does not own the mutex throws and stays held. */
    @Test
    void reentrantGuardClosedByOtherThreadStaysHeld() throws Exception {
        ReentrantMutex m = new ReentrantMutex();
        LockGuard held = m.locked();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (TestThreads threads = new TestThreads()) {
            threads.join(threads.start("stranger", () -> {
                try {
                    held.close();
                } catch (IllegalMonitorStateException e) {
                    thrown.set(e);
                }
            }));
        }
        assertTrue(thrown.get() instanceof IllegalMonitorStateException);
        assertTrue(held.isHeld());
        assertTrue(m.isHeldByCurrentThread());
        held.close();
        assertFalse(m.isLocked());
    }

    /** Nested guards of a ReentrantMutex each release one hold. */
    @Test
    void reentrantGuardsNest() {
        ReentrantMutex m = new ReentrantMutex(true);
        try (var outer = m.locked()) {
            try (var inner = m.locked()) {
                assertEquals(2, m.getHoldCount());
            }
            assertEquals(1, m.getHoldCount());
        }
        assertFalse(m.isLocked());
    }

    /** A guard of a raw mutex may be closed by another thread after a hand-over (no owner tracking). */
    @Test
    void rawGuardMayBeClosedByAnotherThread() throws Exception {
        RawMutex m = new RawMutex();
        LockGuard held = m.locked();
        try (TestThreads threads = new TestThreads()) {
            threads.join(threads.start("closer", held::close)); // start/join give the happens-before edges
        }
        assertFalse(held.isHeld());
        assertFalse(m.isLocked());
    }

    /** LockGuard.locked works with any Lock, here a java.util.concurrent one and a RawRwLock view. */
    @Test
    void genericLockGuard() throws Exception {
        ReentrantLock jdk = new ReentrantLock();
        try (var held = LockGuard.locked(jdk)) {
            assertTrue(jdk.isHeldByCurrentThread());
        }
        assertFalse(jdk.isLocked());
        RawRwLock rw = new RawRwLock();
        Lock write = rw.asReadWriteLock().writeLock();
        try (var held = LockGuard.lockedInterruptibly(write)) {
            assertTrue(rw.isLockedExclusive());
            assertNull(LockGuard.tryLocked(write, 1, TimeUnit.MILLISECONDS));
        }
        assertFalse(rw.isLocked());
        try (var held = LockGuard.tryLocked(write, 0, TimeUnit.SECONDS)) {
            assertNotNull(held);
        }
        assertFalse(rw.isLocked());
        assertThrows(NullPointerException.class, () -> LockGuard.locked(null));
        assertThrows(NullPointerException.class, () -> LockGuard.tryLocked(write, 1, null));
        assertFalse(rw.isLocked());
    }

    /** toString names the mode while held and says released after close. */
    @Test
    void guardToString() {
        RawRwLock rw = new RawRwLock();
        LockGuard held = rw.sharedLocked();
        assertTrue(held.toString().startsWith("LockGuard[shared "), held.toString());
        held.close();
        assertEquals("LockGuard[released]", held.toString());
        UpgradableGuard up = rw.upgradableLocked();
        assertTrue(up.toString().startsWith("UpgradableGuard[upgradable "), up.toString());
        up.upgrade();
        assertTrue(up.toString().startsWith("UpgradableGuard[upgraded "), up.toString());
        up.close();
        assertEquals("UpgradableGuard[released]", up.toString());
    }

    // ---------------------------------------------------------------------------------------------
    // RawRwLock

    /** Two shared guards are held at once; the exclusive guard waits for both. */
    @Test
    void sharedGuardsCoexistAndExcludeWriters() {
        RawRwLock rw = new RawRwLock();
        try (var a = rw.sharedLocked(); var b = rw.sharedLocked()) {
            assertFalse(rw.tryLockExclusive());
            assertTrue(rw.toString().contains("Read locks = 2"), rw.toString());
        }
        assertFalse(rw.isLocked());
        try (var w = rw.exclusiveLocked()) {
            assertTrue(rw.isLockedExclusive());
            assertFalse(rw.tryLockShared());
        }
        assertFalse(rw.isLocked());
    }

    /** An upgradable guard upgrades while a plain reader waits to leave, and its close releases exclusive. */
    @Test
    void upgradableGuardUpgradesAndReleasesExclusive() throws Exception {
        RawRwLock rw = new RawRwLock();
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        try (TestThreads threads = new TestThreads()) {
            Thread reader = threads.start("reader", () -> {
                try (var held = rw.sharedLocked()) {
                    reading.countDown();
                    leave.await();
                }
            });
            reading.await();
            try (var up = rw.upgradableLocked()) { // alongside the reader
                assertFalse(up.isUpgraded());
                assertFalse(up.tryUpgrade());
                assertFalse(up.tryUpgrade(SHORT_MILLIS, TimeUnit.MILLISECONDS));
                assertFalse(up.isUpgraded());
                leave.countDown();
                up.upgrade(); // waits for the reader
                assertTrue(up.isUpgraded());
                assertTrue(rw.isLockedExclusive());
                assertThrows(IllegalStateException.class, up::upgrade);
                assertThrows(IllegalStateException.class, up::tryUpgrade);
                up.downgrade();
                assertFalse(up.isUpgraded());
                assertThrows(IllegalStateException.class, up::downgrade);
                assertTrue(up.tryUpgrade());
            }
            threads.join(reader);
        }
        assertFalse(rw.isLocked());
    }

    /** A closed upgradable guard refuses upgrades, and its second close does nothing. */
    @Test
    void closedUpgradableGuard() {
        RawRwLock rw = new RawRwLock();
        UpgradableGuard up = rw.upgradableLocked();
        up.close();
        assertFalse(up.isHeld());
        assertFalse(rw.isLocked());
        assertThrows(IllegalStateException.class, up::upgrade);
        assertThrows(IllegalStateException.class, up::downgrade);
        assertFalse(up.isUpgraded());
        try (var w = rw.exclusiveLocked()) {
            up.close(); // no-op: must not release the writer
            assertTrue(rw.isLockedExclusive());
        }
        assertFalse(rw.isLocked());
    }

    /** An upgradable guard's block that throws after upgrading releases the exclusive lock. */
    @Test
    void upgradedGuardReleasesOnException() {
        RawRwLock rw = new RawRwLock();
        assertThrows(ArithmeticException.class, () -> {
            try (var up = rw.upgradableLocked()) {
                up.upgrade();
                throw new ArithmeticException();
            }
        });
        assertFalse(rw.isLocked());
        assertTrue(rw.tryLockExclusive());
        rw.unlockExclusive();
    }

    /** A guard closed after its lock was released directly fails loudly and stays open. */
    @Test
    void guardOfDirectlyReleasedLockThrows() {
        RawRwLock rw = new RawRwLock();
        LockGuard held = rw.exclusiveLocked();
        rw.unlockExclusive(); // misuse: released behind the guard's back
        assertThrows(IllegalMonitorStateException.class, held::close);
        assertTrue(held.isHeld());
        assertFalse(rw.isLocked());
    }

    // ---------------------------------------------------------------------------------------------
    // virtual threads

    /** Virtual threads contending through guards of every kind keep mutual exclusion and finish. */
    @Test
    void virtualThreadsThroughGuards() throws Exception {
        RawMutex raw = new RawMutex();
        RawFairMutex fair = new RawFairMutex();
        ReentrantMutex reentrant = new ReentrantMutex();
        RawRwLock rw = new RawRwLock();
        int[] counts = new int[4];
        int threadsCount = 50;
        int rounds = 200;
        try (TestThreads threads = new TestThreads()) {
            for (int t = 0; t < threadsCount; t++) {
                threads.startVirtual("v" + t, () -> {
                    for (int i = 0; i < rounds; i++) {
                        try (var held = raw.locked()) {
                            counts[0]++;
                        }
                        try (var held = fair.lockedInterruptibly()) {
                            counts[1]++;
                            Thread.yield();
                        }
                        try (var held = reentrant.tryLocked(30, TimeUnit.SECONDS)) {
                            assertNotNull(held);
                            counts[2]++;
                        }
                        try (var held = rw.upgradableLocked()) {
                            try (var reader = rw.sharedLocked()) {
                                assertTrue(reader.isHeld());
                            }
                            held.upgrade();
                            counts[3]++;
                        }
                    }
                });
            }
            threads.joinAll();
        }
        for (int c : counts) {
            assertEquals(threadsCount * rounds, c);
        }
        assertFalse(raw.isLocked() || fair.isLocked() || reentrant.isLocked() || rw.isLocked());
    }

    /** A virtual thread waiting for a guard is parked (unmounted), not spinning: the holder can release. */
    @Test
    void virtualThreadWaitsForGuard() throws Exception {
        RawMutex m = new RawMutex();
        AtomicBoolean got = new AtomicBoolean();
        try (TestThreads threads = new TestThreads()) {
            LockGuard held = m.locked();
            Thread v = threads.startVirtual("waiter", () -> {
                try (var g = m.locked()) {
                    got.set(true);
                }
            });
            awaitQueued(m, 1);
            assertFalse(got.get());
            held.close();
            threads.join(v);
            awaitTrue("waiter got the lock", got::get);
        }
        assertFalse(m.isLocked());
    }
}
