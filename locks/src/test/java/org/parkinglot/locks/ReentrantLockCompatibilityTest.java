package org.parkinglot.locks;

import static java.util.concurrent.TimeUnit.DAYS;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour of {@link ReentrantLock}, written from its javadoc (and that of {@link Lock} and
 * {@link Condition}), run against the JDK lock and against {@link ReentrantMutex}, each unfair and
 * fair. The JDK lock passing a test shows the test is right; {@code ReentrantMutex} passing it shows
 * the drop-in claim holds for that property. Modelled on the jsr166 TCK's {@code ReentrantLockTest}.
 *
 * <p>Threads are polled into the state a test needs ({@link #waitForQueuedThread}, a latch counted
 * down while the lock is held before a condition wait); no fixed sleep stands in for
 * synchronization. Every thread a test starts is a daemon, joined by the test, and interrupted and
 * joined again by {@link #cleanUp()}; an assertion that fails inside one fails the test.
 */
@Timeout(value = 60, unit = SECONDS)
class ReentrantLockCompatibilityTest {

    /** A timeout the tests expect to elapse. */
    static final long SHORT_MS = 50;
    /** A timeout the tests never expect to elapse: "forever" for waits that end by a release or signal. */
    static final long LONG_MS = 10_000;

    // ---------------------------------------------------------------------------------------------
    // the implementations under test

    /** The public API of {@link ReentrantLock}, with its protected monitoring methods made public. */
    interface ReentrantLockApi extends Lock {
        int getHoldCount();

        boolean isHeldByCurrentThread();

        boolean isLocked();

        boolean isFair();

        boolean hasQueuedThreads();

        boolean hasQueuedThread(Thread thread);

        int getQueueLength();

        boolean hasWaiters(Condition condition);

        int getWaitQueueLength(Condition condition);

        Collection<Thread> getWaitingThreads(Condition condition);

        Thread getOwner();

        Collection<Thread> getQueuedThreads();

        /** The lock this adapter wraps. */
        Object unwrap();

        /** Serializes the wrapped lock and wraps the deserialized copy. */
        ReentrantLockApi serialClone() throws IOException, ClassNotFoundException;
    }

    /** Exposes the protected monitoring methods, as the TCK's {@code PublicReentrantLock} does. */
    static final class PublicReentrantLock extends ReentrantLock {
        @Serial
        private static final long serialVersionUID = 1L;

        PublicReentrantLock() {
        }

        PublicReentrantLock(boolean fair) {
            super(fair);
        }

        @Override
        public Thread getOwner() {
            return super.getOwner();
        }

        @Override
        public Collection<Thread> getQueuedThreads() {
            return super.getQueuedThreads();
        }

        @Override
        public Collection<Thread> getWaitingThreads(Condition condition) {
            return super.getWaitingThreads(condition);
        }
    }

    /** {@link ReentrantLockApi} over the JDK lock. */
    record JdkLock(PublicReentrantLock delegate) implements ReentrantLockApi {
        @Override public void lock() { delegate.lock(); }
        @Override public void lockInterruptibly() throws InterruptedException { delegate.lockInterruptibly(); }
        @Override public boolean tryLock() { return delegate.tryLock(); }
        @Override public boolean tryLock(long time, TimeUnit unit) throws InterruptedException { return delegate.tryLock(time, unit); }
        @Override public void unlock() { delegate.unlock(); }
        @Override public Condition newCondition() { return delegate.newCondition(); }
        @Override public int getHoldCount() { return delegate.getHoldCount(); }
        @Override public boolean isHeldByCurrentThread() { return delegate.isHeldByCurrentThread(); }
        @Override public boolean isLocked() { return delegate.isLocked(); }
        @Override public boolean isFair() { return delegate.isFair(); }
        @Override public boolean hasQueuedThreads() { return delegate.hasQueuedThreads(); }
        @Override public boolean hasQueuedThread(Thread thread) { return delegate.hasQueuedThread(thread); }
        @Override public int getQueueLength() { return delegate.getQueueLength(); }
        @Override public boolean hasWaiters(Condition c) { return delegate.hasWaiters(c); }
        @Override public int getWaitQueueLength(Condition c) { return delegate.getWaitQueueLength(c); }
        @Override public Collection<Thread> getWaitingThreads(Condition c) { return delegate.getWaitingThreads(c); }
        @Override public Thread getOwner() { return delegate.getOwner(); }
        @Override public Collection<Thread> getQueuedThreads() { return delegate.getQueuedThreads(); }
        @Override public Object unwrap() { return delegate; }
        @Override public ReentrantLockApi serialClone() throws IOException, ClassNotFoundException {
            return new JdkLock(ReentrantLockCompatibilityTest.serialClone(delegate));
        }
        @Override public String toString() { return delegate.toString(); }
    }

    /** {@link ReentrantLockApi} over {@link ReentrantMutex}. */
    record Mutex(ReentrantMutex delegate) implements ReentrantLockApi {
        @Override public void lock() { delegate.lock(); }
        @Override public void lockInterruptibly() throws InterruptedException { delegate.lockInterruptibly(); }
        @Override public boolean tryLock() { return delegate.tryLock(); }
        @Override public boolean tryLock(long time, TimeUnit unit) throws InterruptedException { return delegate.tryLock(time, unit); }
        @Override public void unlock() { delegate.unlock(); }
        @Override public Condition newCondition() { return delegate.newCondition(); }
        @Override public int getHoldCount() { return delegate.getHoldCount(); }
        @Override public boolean isHeldByCurrentThread() { return delegate.isHeldByCurrentThread(); }
        @Override public boolean isLocked() { return delegate.isLocked(); }
        @Override public boolean isFair() { return delegate.isFair(); }
        @Override public boolean hasQueuedThreads() { return delegate.hasQueuedThreads(); }
        @Override public boolean hasQueuedThread(Thread thread) { return delegate.hasQueuedThread(thread); }
        @Override public int getQueueLength() { return delegate.getQueueLength(); }
        @Override public boolean hasWaiters(Condition c) { return delegate.hasWaiters(c); }
        @Override public int getWaitQueueLength(Condition c) { return delegate.getWaitQueueLength(c); }
        @Override public Collection<Thread> getWaitingThreads(Condition c) { return delegate.getWaitingThreads(c); }
        @Override public Thread getOwner() { return delegate.getOwner(); }
        @Override public Collection<Thread> getQueuedThreads() { return delegate.getQueuedThreads(); }
        @Override public Object unwrap() { return delegate; }
        @Override public ReentrantLockApi serialClone() throws IOException, ClassNotFoundException {
            return new Mutex(ReentrantLockCompatibilityTest.serialClone(delegate));
        }
        @Override public String toString() { return delegate.toString(); }
    }

    /** The four locks under test. */
    enum Kind {
        /** {@code new ReentrantLock(false)}. */
        REENTRANT_LOCK(false) {
            @Override ReentrantLockApi create() { return new JdkLock(new PublicReentrantLock(false)); }
            @Override ReentrantLockApi createDefault() { return new JdkLock(new PublicReentrantLock()); }
        },
        /** {@code new ReentrantLock(true)}. */
        REENTRANT_LOCK_FAIR(true) {
            @Override ReentrantLockApi create() { return new JdkLock(new PublicReentrantLock(true)); }
            @Override ReentrantLockApi createDefault() { return new JdkLock(new PublicReentrantLock()); }
        },
        /** {@code new ReentrantMutex(false)}. */
        REENTRANT_MUTEX(false) {
            @Override ReentrantLockApi create() { return new Mutex(new ReentrantMutex(false)); }
            @Override ReentrantLockApi createDefault() { return new Mutex(new ReentrantMutex()); }
        },
        /** {@code new ReentrantMutex(true)}. */
        REENTRANT_MUTEX_FAIR(true) {
            @Override ReentrantLockApi create() { return new Mutex(new ReentrantMutex(true)); }
            @Override ReentrantLockApi createDefault() { return new Mutex(new ReentrantMutex()); }
        };

        final boolean fair;

        Kind(boolean fair) {
            this.fair = fair;
        }

        /** A new lock of this kind, with this kind's fairness. */
        abstract ReentrantLockApi create();

        /** A new lock of this implementation, made by the no-argument constructor. */
        abstract ReentrantLockApi createDefault();
    }

    /** The ways to wait on a condition; each waits "forever" ({@link #LONG_MS}) and expects a signal. */
    enum AwaitMethod {
        AWAIT, AWAIT_TIMED, AWAIT_NANOS, AWAIT_UNTIL, AWAIT_UNINTERRUPTIBLY;

        /** Waits on {@code c} with this method, asserting it reports a signal rather than a timeout. */
        void await(Condition c) throws InterruptedException {
            switch (this) {
                case AWAIT -> c.await();
                case AWAIT_TIMED -> assertTrue(c.await(LONG_MS, MILLISECONDS));
                case AWAIT_NANOS -> {
                    long timeout = MILLISECONDS.toNanos(LONG_MS);
                    long remaining = c.awaitNanos(timeout);
                    assertTrue(remaining > timeout / 2, "awaitNanos returned " + remaining);
                    assertTrue(remaining <= timeout, "awaitNanos returned " + remaining);
                }
                case AWAIT_UNTIL -> assertTrue(c.awaitUntil(new Date(System.currentTimeMillis() + LONG_MS)));
                case AWAIT_UNINTERRUPTIBLY -> c.awaitUninterruptibly();
            }
        }
    }

    /** Timed waits with the largest timeouts: none may overflow into an early timeout. */
    enum HugeTimeoutAwait {
        AWAIT_MAX_DAYS, AWAIT_NEAR_MAX_NANOS, AWAIT_NANOS_MAX, AWAIT_NANOS_NEAR_MAX, AWAIT_UNTIL_MAX_DATE;

        /** Waits on {@code c}, asserting the wait reports a signal. */
        void await(Condition c) throws InterruptedException {
            switch (this) {
                case AWAIT_MAX_DAYS -> assertTrue(c.await(Long.MAX_VALUE, DAYS));
                case AWAIT_NEAR_MAX_NANOS -> assertTrue(c.await(Long.MAX_VALUE - 1, NANOSECONDS));
                case AWAIT_NANOS_MAX -> assertTrue(c.awaitNanos(Long.MAX_VALUE) > Long.MAX_VALUE / 2);
                case AWAIT_NANOS_NEAR_MAX -> assertTrue(c.awaitNanos(Long.MAX_VALUE - 1) > Long.MAX_VALUE / 2);
                case AWAIT_UNTIL_MAX_DATE -> assertTrue(c.awaitUntil(new Date(Long.MAX_VALUE)));
            }
        }
    }

    static Stream<Arguments> kindsAndHugeTimeoutAwaits() {
        return Arrays.stream(Kind.values())
                .flatMap(k -> Arrays.stream(HugeTimeoutAwait.values()).map(m -> Arguments.of(k, m)));
    }

    static Stream<Arguments> kindsAndAwaitMethods() {
        return Arrays.stream(Kind.values())
                .flatMap(k -> Arrays.stream(AwaitMethod.values()).map(m -> Arguments.of(k, m)));
    }

    static Stream<Arguments> kindsAndInterruptibleAwaitMethods() {
        return kindsAndAwaitMethods().filter(a -> a.get()[1] != AwaitMethod.AWAIT_UNINTERRUPTIBLY);
    }

    static Stream<Arguments> kindsAndTimedAwaitMethods() {
        return kindsAndAwaitMethods().filter(a -> a.get()[1] == AwaitMethod.AWAIT_TIMED
                || a.get()[1] == AwaitMethod.AWAIT_NANOS || a.get()[1] == AwaitMethod.AWAIT_UNTIL);
    }

    // ---------------------------------------------------------------------------------------------
    // threads and helpers

    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

    /** Starts a daemon thread running {@code body}; whatever it throws fails the test. */
    Thread start(String name, Executable body) {
        Thread t = new Thread(() -> {
            try {
                body.execute();
            } catch (Throwable e) {
                failures.add(e);
            }
        }, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
        return t;
    }

    /** Joins {@code t}, failing if it does not end within {@link #LONG_MS}. */
    static void awaitTermination(Thread t) throws InterruptedException {
        t.join(LONG_MS);
        assertFalse(t.isAlive(), () -> t.getName() + " did not terminate");
    }

    /** Interrupts and joins every thread the test started; reports what they threw. */
    @AfterEach
    void cleanUp() throws Throwable {
        long deadline = System.nanoTime() + MILLISECONDS.toNanos(LONG_MS);
        for (Thread t : threads) {
            if (t.isAlive()) {
                t.interrupt();
            }
        }
        for (Thread t : threads) {
            t.join(Math.max(1L, NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        Throwable first = failures.poll();
        if (first != null) {
            for (Throwable more; (more = failures.poll()) != null; ) {
                first.addSuppressed(more);
            }
            throw first;
        }
        for (Thread t : threads) {
            assertFalse(t.isAlive(), () -> t.getName() + " still alive after the test");
        }
    }

    /** Polls until {@code condition} holds, failing after {@link #LONG_MS}. */
    static void waitUntil(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + MILLISECONDS.toNanos(LONG_MS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting until " + what);
            }
            LockSupport.parkNanos(100_000L);
        }
    }

    /** Polls until {@code t} is queued on {@code lock}. */
    static void waitForQueuedThread(ReentrantLockApi lock, Thread t) {
        waitUntil(t.getName() + " is queued", () -> lock.hasQueuedThread(t));
        assertTrue(t.isAlive());
        assertNotSame(t, lock.getOwner());
    }

    /** Polls until {@code t} is blocked (waiting or timed waiting). */
    static void assertThreadBlocks(Thread t) {
        waitUntil(t.getName() + " blocks", () -> {
            Thread.State s = t.getState();
            return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
        });
    }

    static void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(LONG_MS, MILLISECONDS), "latch not released");
    }

    static void assertNotLocked(ReentrantLockApi lock) {
        assertFalse(lock.isLocked());
        assertFalse(lock.isHeldByCurrentThread());
        assertNull(lock.getOwner());
        assertEquals(0, lock.getHoldCount());
    }

    static void assertLockedBy(ReentrantLockApi lock, Thread owner) {
        assertTrue(lock.isLocked());
        assertSame(owner, lock.getOwner());
        boolean me = owner == Thread.currentThread();
        assertEquals(me, lock.isHeldByCurrentThread());
        assertEquals(me, lock.getHoldCount() > 0);
    }

    static void assertLockedByMe(ReentrantLockApi lock) {
        assertLockedBy(lock, Thread.currentThread());
    }

    /**
     * Releases a lock held once by the current thread and checks the thread no longer holds it (a
     * waiting thread may own it at once).
     */
    static void release(ReentrantLockApi lock) {
        assertLockedByMe(lock);
        assertEquals(1, lock.getHoldCount());
        lock.unlock();
        assertFalse(lock.isHeldByCurrentThread());
        assertEquals(0, lock.getHoldCount());
        assertNotSame(Thread.currentThread(), lock.getOwner());
    }

    /** Checks every queue inspection method agrees that exactly {@code queued} wait for the lock. */
    static void assertQueued(ReentrantLockApi lock, Thread... queued) {
        assertEquals(queued.length > 0, lock.hasQueuedThreads());
        assertEquals(queued.length, lock.getQueueLength());
        assertEquals(Set.of(queued), new HashSet<>(lock.getQueuedThreads()));
        assertEquals(queued.length, lock.getQueuedThreads().size());
        for (Thread t : queued) {
            assertTrue(lock.hasQueuedThread(t), () -> t.getName() + " should be queued");
        }
    }

    /** Checks, holding the lock (reentrantly), that exactly {@code waiters} wait on {@code c}. */
    static void assertHasWaiters(ReentrantLockApi lock, Condition c, Thread... waiters) {
        lock.lock();
        try {
            assertEquals(waiters.length > 0, lock.hasWaiters(c));
            assertEquals(waiters.length, lock.getWaitQueueLength(c));
            assertEquals(waiters.length, lock.getWaitingThreads(c).size());
            assertEquals(Set.of(waiters), new HashSet<>(lock.getWaitingThreads(c)));
        } finally {
            lock.unlock();
        }
    }

    static void assertHasNoWaiters(ReentrantLockApi lock, Condition c) {
        assertHasWaiters(lock, c);
    }

    static long elapsedNanos(long start) {
        return System.nanoTime() - start;
    }

    @SuppressWarnings("unchecked")
    static <T> T serialClone(T o) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    /** A condition of no lock: for the foreign-condition checks. */
    static final class StubCondition implements Condition {
        @Override public void await() { throw new UnsupportedOperationException(); }
        @Override public void awaitUninterruptibly() { throw new UnsupportedOperationException(); }
        @Override public long awaitNanos(long nanosTimeout) { throw new UnsupportedOperationException(); }
        @Override public boolean await(long time, TimeUnit unit) { throw new UnsupportedOperationException(); }
        @Override public boolean awaitUntil(Date deadline) { throw new UnsupportedOperationException(); }
        @Override public void signal() { throw new UnsupportedOperationException(); }
        @Override public void signalAll() { throw new UnsupportedOperationException(); }
    }

    // ---------------------------------------------------------------------------------------------
    // construction, lock, unlock

    /** The constructors set the given fairness (the default is unfair) and make an unlocked lock. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void constructorSetsFairnessAndStartsUnlocked(Kind kind) {
        ReentrantLockApi lock = kind.create();
        assertEquals(kind.fair, lock.isFair());
        assertNotLocked(lock);
        assertQueued(lock);
        ReentrantLockApi byDefault = kind.createDefault();
        assertFalse(byDefault.isFair());
        assertNotLocked(byDefault);
    }

    /** Locking an unlocked lock succeeds and makes the current thread its owner; unlock frees it. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void lockOnUnlockedLockSucceeds(Kind kind) {
        ReentrantLockApi lock = kind.create();
        lock.lock();
        assertLockedByMe(lock);
        assertEquals(1, lock.getHoldCount());
        release(lock);
    }

    /** Unlocking an unlocked lock throws IllegalMonitorStateException and leaves it unlocked. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void unlockOfUnlockedLockThrowsIMSE(Kind kind) {
        ReentrantLockApi lock = kind.create();
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
        assertNotLocked(lock);
        lock.lock();
        release(lock);
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
        assertNotLocked(lock);
    }

    /** Unlock by a thread other than the owner throws IllegalMonitorStateException; the owner keeps every hold. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void unlockByNonOwnerThrowsIMSE(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        Thread owner = start("owner", () -> {
            lock.lock();
            lock.lock();
            held.countDown();
            await(checked);
            assertEquals(2, lock.getHoldCount());
            assertLockedByMe(lock);
            lock.unlock();
            lock.unlock();
            assertFalse(lock.isHeldByCurrentThread());
        });
        await(held);
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
        assertLockedBy(lock, owner);
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
        assertLockedBy(lock, owner);
        checked.countDown();
        awaitTermination(owner);
        assertNotLocked(lock);
    }

    /** tryLock acquires an unlocked lock, and re-acquires (incrementing the hold count) a lock the caller holds. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void tryLockWhenFreeOrReentrantSucceeds(Kind kind) {
        ReentrantLockApi lock = kind.create();
        assertTrue(lock.tryLock());
        assertLockedByMe(lock);
        assertTrue(lock.tryLock());
        assertEquals(2, lock.getHoldCount());
        lock.unlock();
        release(lock);
    }

    /** tryLock, and timed tryLock with a zero or negative time, fail at once on a lock another thread holds. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void tryLockWhenHeldByAnotherFails(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        lock.lock();
        Thread t = start("trier", () -> {
            long start = System.nanoTime();
            assertFalse(lock.tryLock());
            assertFalse(lock.tryLock(0, MILLISECONDS));
            assertFalse(lock.tryLock(-1, MILLISECONDS));
            assertFalse(lock.tryLock(Long.MIN_VALUE, NANOSECONDS));
            assertTrue(elapsedNanos(start) < MILLISECONDS.toNanos(LONG_MS));
            assertEquals(0, lock.getHoldCount());
            assertFalse(lock.isHeldByCurrentThread());
        });
        awaitTermination(t);
        assertQueued(lock);
        release(lock);
    }

    /** Timed tryLock with a zero or negative time acquires a free lock, and re-acquires a held one, without waiting. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void timedTryLockWithNonPositiveTimeOnlyTries(Kind kind) throws InterruptedException {
        ReentrantLockApi lock = kind.create();
        assertTrue(lock.tryLock(0, SECONDS));
        assertLockedByMe(lock);
        assertTrue(lock.tryLock(-1, SECONDS));
        assertTrue(lock.tryLock(Long.MIN_VALUE, NANOSECONDS));
        assertEquals(3, lock.getHoldCount());
        lock.unlock();
        lock.unlock();
        release(lock);
        assertTrue(lock.tryLock(-5, MILLISECONDS));
        release(lock);
    }

    /** Timed tryLock on a lock held by another thread times out, returning false no earlier than the timeout. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void timedTryLockTimesOut(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        lock.lock();
        Thread t = start("trier", () -> {
            long start = System.nanoTime();
            assertFalse(lock.tryLock(SHORT_MS, MILLISECONDS));
            assertTrue(elapsedNanos(start) >= MILLISECONDS.toNanos(SHORT_MS), "returned early");
            assertFalse(lock.isHeldByCurrentThread());
        });
        awaitTermination(t);
        assertFalse(lock.hasQueuedThread(t));
        assertQueued(lock);
        release(lock);
    }

    /** Timed tryLock succeeds when the lock is released within the waiting time. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void timedTryLockSucceedsWhenReleasedInTime(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        lock.lock();
        Thread t = start("trier", () -> {
            assertTrue(lock.tryLock(LONG_MS, MILLISECONDS));
            assertLockedByMe(lock);
            release(lock);
        });
        waitForQueuedThread(lock, t);
        release(lock);
        awaitTermination(t);
        assertNotLocked(lock);
    }

    /** Timed tryLock with Long.MAX_VALUE days never times out (no overflow) and acquires once the lock is released. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void timedTryLockWithMaxDaysWaitsUntilReleased(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        lock.lock();
        Thread t = start("trier", () -> {
            assertTrue(lock.tryLock(Long.MAX_VALUE, DAYS));
            release(lock);
        });
        waitForQueuedThread(lock, t);
        assertThreadBlocks(t);
        assertTrue(lock.hasQueuedThread(t));
        release(lock);
        awaitTermination(t);
    }

    /** Timed tryLock with Long.MAX_VALUE - 1 nanoseconds (a finite, overflowing deadline) waits until released. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void timedTryLockWithNearMaxNanosWaitsUntilReleased(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        lock.lock();
        Thread t = start("trier", () -> {
            assertTrue(lock.tryLock(Long.MAX_VALUE - 1, NANOSECONDS));
            release(lock);
        });
        waitForQueuedThread(lock, t);
        assertThreadBlocks(t);
        assertTrue(lock.hasQueuedThread(t));
        release(lock);
        awaitTermination(t);
    }

    /** Timed tryLock interrupted while waiting throws InterruptedException, clears the status, and does not acquire. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void timedTryLockIsInterruptible(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        lock.lock();
        Thread t = start("trier", () -> {
            assertThrows(InterruptedException.class, () -> lock.tryLock(LONG_MS, MILLISECONDS));
            assertFalse(Thread.currentThread().isInterrupted());
            assertFalse(lock.isHeldByCurrentThread());
            assertEquals(0, lock.getHoldCount());
        });
        waitForQueuedThread(lock, t);
        t.interrupt();
        awaitTermination(t);
        assertQueued(lock);
        release(lock);
    }

    /** Timed tryLock by an already interrupted thread throws InterruptedException even when the lock is free or held by the caller. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void timedTryLockInterruptedBeforeThrows(Kind kind) {
        ReentrantLockApi lock = kind.create();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> lock.tryLock(LONG_MS, MILLISECONDS));
        assertFalse(Thread.interrupted());
        assertNotLocked(lock);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> lock.tryLock(0, MILLISECONDS));
        assertFalse(Thread.interrupted());
        assertNotLocked(lock);
        lock.lock();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> lock.tryLock(LONG_MS, MILLISECONDS));
        assertFalse(Thread.interrupted());
        assertEquals(1, lock.getHoldCount());
        release(lock);
    }

    /** lockInterruptibly acquires a free lock, and re-acquires a lock the caller holds. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void lockInterruptiblySucceedsWhenFreeOrReentrant(Kind kind) throws InterruptedException {
        ReentrantLockApi lock = kind.create();
        lock.lockInterruptibly();
        assertLockedByMe(lock);
        lock.lockInterruptibly();
        assertEquals(2, lock.getHoldCount());
        lock.unlock();
        release(lock);
    }

    /** lockInterruptibly by an already interrupted thread throws InterruptedException, clears the status and does not acquire, even when free or held by the caller. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void lockInterruptiblyInterruptedBeforeThrows(Kind kind) {
        ReentrantLockApi lock = kind.create();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, lock::lockInterruptibly);
        assertFalse(Thread.interrupted());
        assertNotLocked(lock);
        lock.lock();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, lock::lockInterruptibly);
        assertFalse(Thread.interrupted());
        assertEquals(1, lock.getHoldCount());
        release(lock);
    }

    /** lockInterruptibly interrupted while waiting throws InterruptedException, clears the status, and does not acquire. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void lockInterruptiblyInterruptedWhileWaitingThrows(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        lock.lock();
        Thread t = start("waiter", () -> {
            assertThrows(InterruptedException.class, lock::lockInterruptibly);
            assertFalse(Thread.currentThread().isInterrupted());
            assertFalse(lock.isHeldByCurrentThread());
            assertEquals(0, lock.getHoldCount());
        });
        waitForQueuedThread(lock, t);
        t.interrupt();
        assertLockedByMe(lock);
        awaitTermination(t);
        assertQueued(lock);
        release(lock);
    }

    /** lock() by an interrupted thread acquires the lock and keeps the interrupt status. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void lockKeepsInterruptStatus(Kind kind) {
        ReentrantLockApi lock = kind.create();
        Thread.currentThread().interrupt();
        lock.lock();
        assertTrue(Thread.interrupted());
        release(lock);
    }

    /** lock() is not ended by an interrupt while waiting: it acquires once released, with the interrupt status set. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void lockIgnoresInterruptWhileWaiting(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        lock.lock();
        Thread t = start("waiter", () -> {
            lock.lock();
            try {
                assertLockedByMe(lock);
                assertTrue(Thread.interrupted());
            } finally {
                lock.unlock();
            }
        });
        waitForQueuedThread(lock, t);
        t.interrupt();
        assertThreadBlocks(t);
        assertTrue(lock.hasQueuedThread(t));
        assertTrue(t.isAlive());
        release(lock);
        awaitTermination(t);
        assertNotLocked(lock);
    }

    // ---------------------------------------------------------------------------------------------
    // hold counts and ownership

    /** getHoldCount counts the current thread's holds, by every acquisition method, down to zero. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void getHoldCountCountsReentrantHolds(Kind kind) throws InterruptedException {
        ReentrantLockApi lock = kind.create();
        int n = 0;
        for (int round = 0; round < 5; round++) {
            lock.lock();
            assertEquals(++n, lock.getHoldCount());
            assertTrue(lock.tryLock());
            assertEquals(++n, lock.getHoldCount());
            lock.lockInterruptibly();
            assertEquals(++n, lock.getHoldCount());
            assertTrue(lock.tryLock(1, SECONDS));
            assertEquals(++n, lock.getHoldCount());
        }
        while (n > 0) {
            assertTrue(lock.isLocked());
            assertLockedByMe(lock);
            lock.unlock();
            assertEquals(--n, lock.getHoldCount());
        }
        assertNotLocked(lock);
    }

    /** Another thread's holds show in isLocked and getOwner, but not in getHoldCount or isHeldByCurrentThread. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void ownershipIsVisibleToOtherThreads(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        Thread owner = start("owner", () -> {
            lock.lock();
            lock.lock();
            held.countDown();
            await(checked);
            assertEquals(2, lock.getHoldCount());
            lock.unlock();
            lock.unlock();
        });
        await(held);
        assertLockedBy(lock, owner);
        assertEquals(0, lock.getHoldCount());
        assertFalse(lock.isHeldByCurrentThread());
        checked.countDown();
        awaitTermination(owner);
        assertNotLocked(lock);
    }

    // ---------------------------------------------------------------------------------------------
    // queue inspection

    /** hasQueuedThreads, hasQueuedThread, getQueueLength and getQueuedThreads track threads as they block, give up, and acquire. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void queueInspectionTracksWaiters(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        assertQueued(lock);
        lock.lock();
        assertQueued(lock);
        Thread t2 = start("interruptible", () -> {
            assertThrows(InterruptedException.class, lock::lockInterruptibly);
            assertFalse(lock.isHeldByCurrentThread());
        });
        waitForQueuedThread(lock, t2);
        assertQueued(lock, t2);
        Thread t3 = start("plain", () -> {
            lock.lock();
            lock.unlock();
        });
        waitForQueuedThread(lock, t3);
        assertQueued(lock, t2, t3);
        Thread t4 = start("timed", () -> {
            assertTrue(lock.tryLock(LONG_MS, MILLISECONDS));
            lock.unlock();
        });
        waitForQueuedThread(lock, t4);
        assertQueued(lock, t2, t3, t4);
        assertFalse(lock.hasQueuedThread(Thread.currentThread()));
        t2.interrupt(); // queued in lockInterruptibly: gives up and leaves the queue
        awaitTermination(t2);
        assertFalse(lock.hasQueuedThread(t2));
        assertQueued(lock, t3, t4);
        release(lock);
        awaitTermination(t3);
        awaitTermination(t4);
        assertQueued(lock);
        assertNotLocked(lock);
    }

    /** A timed tryLock that times out leaves the queue. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void timedOutWaiterLeavesQueue(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        lock.lock();
        Thread t = start("trier", () -> assertFalse(lock.tryLock(SHORT_MS, MILLISECONDS)));
        awaitTermination(t);
        assertFalse(lock.hasQueuedThread(t));
        assertQueued(lock);
        release(lock);
    }

    /** hasQueuedThread(null) throws NullPointerException. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void hasQueuedThreadOfNullThrowsNPE(Kind kind) {
        ReentrantLockApi lock = kind.create();
        assertThrows(NullPointerException.class, () -> lock.hasQueuedThread(null));
        lock.lock();
        assertThrows(NullPointerException.class, () -> lock.hasQueuedThread(null));
        release(lock);
    }

    // ---------------------------------------------------------------------------------------------
    // fairness

    /** A fair lock grants itself to queued threads in arrival order, whichever acquisition method they wait in. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"REENTRANT_LOCK_FAIR", "REENTRANT_MUTEX_FAIR"})
    void fairLockGrantsInArrivalOrder(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        lock.lock();
        Thread[] waiters = new Thread[6];
        for (int i = 0; i < waiters.length; i++) {
            int id = i;
            waiters[i] = start("waiter-" + i, () -> {
                switch (id % 3) {
                    case 0 -> lock.lock();
                    case 1 -> lock.lockInterruptibly();
                    default -> assertTrue(lock.tryLock(LONG_MS, MILLISECONDS));
                }
                try {
                    order.add(id);
                } finally {
                    lock.unlock();
                }
            });
            waitForQueuedThread(lock, waiters[i]);
        }
        assertQueued(lock, waiters);
        release(lock);
        for (Thread t : waiters) {
            awaitTermination(t);
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5), order);
    }

    /** On a fair lock, a signalled thread queues behind the threads already waiting for the lock. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"REENTRANT_LOCK_FAIR", "REENTRANT_MUTEX_FAIR"})
    void fairLockQueuesSignalledThreadBehindEarlierWaiters(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        Condition c = lock.newCondition();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch locked = new CountDownLatch(1);
        Thread awaiter = start("awaiter", () -> {
            lock.lock();
            try {
                locked.countDown();
                c.await();
                order.add("awaiter");
            } finally {
                lock.unlock();
            }
        });
        await(locked);
        lock.lock();
        assertHasWaiters(lock, c, awaiter);
        Thread waiter = start("waiter", () -> {
            lock.lock();
            try {
                order.add("waiter");
            } finally {
                lock.unlock();
            }
        });
        waitForQueuedThread(lock, waiter);
        c.signal();
        assertQueued(lock, waiter, awaiter);
        release(lock);
        awaitTermination(waiter);
        awaitTermination(awaiter);
        assertEquals(List.of("waiter", "awaiter"), order);
    }

    // ---------------------------------------------------------------------------------------------
    // conditions: ownership checks

    /** Every await form throws IllegalMonitorStateException when the lock is not held. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void awaitWithoutLockThrowsIMSE(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        Condition c = lock.newCondition();
        for (AwaitMethod m : AwaitMethod.values()) {
            long start = System.nanoTime();
            assertThrows(IllegalMonitorStateException.class, () -> m.await(c), m.name());
            assertTrue(elapsedNanos(start) < MILLISECONDS.toNanos(LONG_MS));
        }
        assertThrows(IllegalMonitorStateException.class, () -> c.awaitNanos(0));
        assertThrows(IllegalMonitorStateException.class, () -> c.await(-1, MILLISECONDS));
        // held by another thread: still not held by the caller
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        Thread owner = start("owner", () -> {
            lock.lock();
            try {
                held.countDown();
                await(checked);
            } finally {
                lock.unlock();
            }
        });
        await(held);
        for (AwaitMethod m : AwaitMethod.values()) {
            assertThrows(IllegalMonitorStateException.class, () -> m.await(c), m.name());
        }
        checked.countDown();
        awaitTermination(owner);
        assertHasNoWaiters(lock, c);
    }

    /** Awaiting a condition of another lock, while holding only this one, throws IllegalMonitorStateException. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void awaitOnConditionOfOtherLockThrowsIMSE(Kind kind) {
        ReentrantLockApi lock = kind.create();
        ReentrantLockApi other = kind.create();
        Condition c = other.newCondition();
        lock.lock();
        for (AwaitMethod m : AwaitMethod.values()) {
            assertThrows(IllegalMonitorStateException.class, () -> m.await(c), m.name());
        }
        release(lock);
    }

    /** signal and signalAll throw IllegalMonitorStateException when the lock is not held. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void signalWithoutLockThrowsIMSE(Kind kind) {
        ReentrantLockApi lock = kind.create();
        Condition c = lock.newCondition();
        assertThrows(IllegalMonitorStateException.class, c::signal);
        assertThrows(IllegalMonitorStateException.class, c::signalAll);
    }

    /** signal and signalAll with no waiters do nothing. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void signalWithNoWaitersIsNoOp(Kind kind) {
        ReentrantLockApi lock = kind.create();
        Condition c = lock.newCondition();
        lock.lock();
        c.signal();
        c.signalAll();
        assertHasNoWaiters(lock, c);
        assertQueued(lock);
        release(lock);
    }

    // ---------------------------------------------------------------------------------------------
    // conditions: waiting and signalling

    /** Each await form returns when signalled, re-holding the lock; until the signaller unlocks, the thread waits for the lock. */
    @ParameterizedTest
    @MethodSource("kindsAndAwaitMethods")
    void awaitReturnsWhenSignalled(Kind kind, AwaitMethod method) throws Exception {
        ReentrantLockApi lock = kind.create();
        Condition c = lock.newCondition();
        CountDownLatch locked = new CountDownLatch(1);
        Thread t = start("awaiter", () -> {
            lock.lock();
            try {
                locked.countDown();
                method.await(c);
                assertLockedByMe(lock);
                assertEquals(1, lock.getHoldCount());
            } finally {
                lock.unlock();
            }
        });
        await(locked);
        lock.lock(); // t is waiting on c: it held the lock until it released it in await
        assertHasWaiters(lock, c, t);
        assertFalse(lock.hasQueuedThread(t)); // condition waiters do not wait for the lock
        c.signal();
        assertHasNoWaiters(lock, c);
        assertQueued(lock, t);
        assertTrue(t.isAlive());
        release(lock);
        awaitTermination(t);
        assertNotLocked(lock);
    }

    /** signalAll wakes every waiter, whatever await form it uses. */
    @ParameterizedTest
    @MethodSource("kindsAndAwaitMethods")
    void signalAllWakesAllWaiters(Kind kind, AwaitMethod method) throws Exception {
        ReentrantLockApi lock = kind.create();
        Condition c = lock.newCondition();
        CountDownLatch locked = new CountDownLatch(3);
        Thread[] ts = new Thread[3];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = start("awaiter-" + i, () -> {
                lock.lock();
                try {
                    locked.countDown();
                    method.await(c);
                    assertLockedByMe(lock);
                } finally {
                    lock.unlock();
                }
            });
        }
        await(locked);
        lock.lock();
        assertHasWaiters(lock, c, ts);
        c.signalAll();
        assertHasNoWaiters(lock, c);
        assertQueued(lock, ts);
        release(lock);
        for (Thread t : ts) {
            awaitTermination(t);
        }
        assertNotLocked(lock);
    }

    /** signal wakes waiters in the order they began waiting. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void signalWakesInFifoOrder(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        Condition c = lock.newCondition();
        CountDownLatch locked1 = new CountDownLatch(1);
        CountDownLatch locked2 = new CountDownLatch(1);
        Thread t1 = start("awaiter-1", () -> {
            lock.lock();
            try {
                locked1.countDown();
                c.await();
            } finally {
                lock.unlock();
            }
        });
        await(locked1);
        Thread t2 = start("awaiter-2", () -> {
            lock.lock();
            try {
                locked2.countDown();
                c.await();
            } finally {
                lock.unlock();
            }
        });
        await(locked2);
        lock.lock();
        assertHasWaiters(lock, c, t1, t2);
        assertQueued(lock);
        c.signal();
        assertHasWaiters(lock, c, t2);
        assertQueued(lock, t1);
        c.signal();
        assertHasNoWaiters(lock, c);
        assertQueued(lock, t1, t2);
        release(lock);
        awaitTermination(t1);
        awaitTermination(t2);
    }

    /** awaitNanos without a signal times out no earlier than the timeout, returns a value <= 0, and restores the hold count. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void awaitNanosTimesOut(Kind kind) throws InterruptedException {
        ReentrantLockApi lock = kind.create();
        Condition c = lock.newCondition();
        long timeout = MILLISECONDS.toNanos(SHORT_MS);
        lock.lock();
        lock.lock();
        long start = System.nanoTime();
        long remaining = c.awaitNanos(timeout);
        assertTrue(elapsedNanos(start) >= timeout, "returned early");
        assertTrue(remaining <= 0, "awaitNanos returned " + remaining);
        assertEquals(2, lock.getHoldCount());
        assertHasNoWaiters(lock, c);
        lock.unlock();
        release(lock);
    }

    /** Timed await without a signal returns false no earlier than the timeout, holding the lock. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void timedAwaitTimesOut(Kind kind) throws InterruptedException {
        ReentrantLockApi lock = kind.create();
        Condition c = lock.newCondition();
        lock.lock();
        long start = System.nanoTime();
        assertFalse(c.await(SHORT_MS, MILLISECONDS));
        assertTrue(elapsedNanos(start) >= MILLISECONDS.toNanos(SHORT_MS), "returned early");
        assertHasNoWaiters(lock, c);
        release(lock);
    }

    /** awaitUntil with a deadline in the future and no signal returns false, not before the deadline. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void awaitUntilFutureDeadlineTimesOut(Kind kind) throws InterruptedException {
        ReentrantLockApi lock = kind.create();
        Condition c = lock.newCondition();
        lock.lock();
        Date deadline = new Date(System.currentTimeMillis() + SHORT_MS);
        assertFalse(c.awaitUntil(deadline));
        assertTrue(System.currentTimeMillis() >= deadline.getTime(), "returned before the deadline");
        assertHasNoWaiters(lock, c);
        release(lock);
    }

    /** awaitUntil with a deadline in the past returns false at once, holding the lock. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void awaitUntilPastDeadlineReturnsFalse(Kind kind) throws InterruptedException {
        ReentrantLockApi lock = kind.create();
        Condition c = lock.newCondition();
        lock.lock();
        long start = System.nanoTime();
        assertFalse(c.awaitUntil(new Date(System.currentTimeMillis() - 1_000)));
        assertFalse(c.awaitUntil(new Date(0)));
        assertTrue(elapsedNanos(start) < MILLISECONDS.toNanos(LONG_MS));
        assertHasNoWaiters(lock, c);
        release(lock);
    }

    /** awaitNanos and timed await with a zero or negative time report a timeout at once, holding the lock. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void nonPositiveAwaitTimeoutsReturnAtOnce(Kind kind) throws InterruptedException {
        ReentrantLockApi lock = kind.create();
        Condition c = lock.newCondition();
        lock.lock();
        assertTrue(c.awaitNanos(0) <= 0);
        assertTrue(c.awaitNanos(-1) <= 0);
        assertTrue(c.awaitNanos(Long.MIN_VALUE) <= 0);
        assertFalse(c.await(0, MILLISECONDS));
        assertFalse(c.await(-1, SECONDS));
        assertLockedByMe(lock);
        assertHasNoWaiters(lock, c);
        release(lock);
    }

    /** A timed await that times out while another thread holds the lock returns only after re-acquiring it. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void timedOutAwaitReacquiresBeforeReturning(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        Condition c = lock.newCondition();
        Thread main = Thread.currentThread();
        CountDownLatch locked = new CountDownLatch(1);
        Thread t = start("awaiter", () -> {
            lock.lock();
            try {
                locked.countDown();
                waitUntil("the test thread is queued", () -> lock.hasQueuedThread(main));
                assertFalse(c.await(4 * SHORT_MS, MILLISECONDS));
                assertLockedByMe(lock);
            } finally {
                lock.unlock();
            }
        });
        await(locked);
        // The awaiter starts its wait only once this thread is queued for the lock, so this thread takes
        // the lock as the wait releases it. Should this thread not have run by the time the wait times
        // out (an unfair lock may then let the awaiter re-take it first), only what holds either way is
        // checked: the await returns false, holding the lock.
        lock.lock();
        waitUntil("the awaiter timed out", () -> lock.hasQueuedThread(t) || !t.isAlive());
        if (t.isAlive()) { // timed out while this thread held the lock: waits for it
            assertTrue(lock.hasQueuedThread(t));
            assertHasNoWaiters(lock, c);
            assertLockedByMe(lock);
        }
        release(lock);
        awaitTermination(t);
        assertNotLocked(lock);
    }

    /** awaitUninterruptibly is not ended by interrupts, before or during the wait, and returns with the interrupt status set. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void awaitUninterruptiblyIgnoresInterrupts(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        Condition c = lock.newCondition();
        CountDownLatch locked = new CountDownLatch(2);
        Thread before = start("interrupted-before", () -> {
            lock.lock();
            try {
                locked.countDown();
                Thread.currentThread().interrupt();
                c.awaitUninterruptibly();
                assertTrue(Thread.interrupted());
                assertLockedByMe(lock);
            } finally {
                lock.unlock();
            }
        });
        Thread during = start("interrupted-during", () -> {
            lock.lock();
            try {
                locked.countDown();
                c.awaitUninterruptibly();
                assertTrue(Thread.interrupted());
                assertLockedByMe(lock);
            } finally {
                lock.unlock();
            }
        });
        await(locked);
        assertHasWaiters(lock, c, before, during);
        during.interrupt();
        assertThreadBlocks(before);
        assertThreadBlocks(during);
        lock.lock();
        assertHasWaiters(lock, c, before, during);
        c.signalAll();
        release(lock);
        awaitTermination(before);
        awaitTermination(during);
        assertNotLocked(lock);
    }

    /**
     * An await form interrupted while waiting throws InterruptedException only after re-acquiring the
     * lock (every hold), with the status cleared.
     */
    @ParameterizedTest
    @MethodSource("kindsAndInterruptibleAwaitMethods")
    void awaitInterruptedThrowsAndReacquires(Kind kind, AwaitMethod method) throws Exception {
        ReentrantLockApi lock = kind.create();
        Condition c = lock.newCondition();
        CountDownLatch locked = new CountDownLatch(1);
        Thread t = start("awaiter", () -> {
            lock.lock();
            lock.lock();
            try {
                locked.countDown();
                assertThrows(InterruptedException.class, () -> method.await(c));
                assertLockedByMe(lock);
                assertEquals(2, lock.getHoldCount());
                assertFalse(Thread.currentThread().isInterrupted());
                assertHasNoWaiters(lock, c);
            } finally {
                lock.unlock();
                lock.unlock();
            }
        });
        await(locked);
        lock.lock();
        assertHasWaiters(lock, c, t);
        t.interrupt();
        waitForQueuedThread(lock, t); // it must re-acquire the lock before throwing
        assertTrue(t.isAlive());
        assertHasNoWaiters(lock, c);
        release(lock);
        awaitTermination(t);
        assertNotLocked(lock);
    }

    /** An await form entered with the interrupt status set throws InterruptedException at once, still holding the lock. */
    @ParameterizedTest
    @MethodSource("kindsAndInterruptibleAwaitMethods")
    void awaitInterruptedBeforeThrows(Kind kind, AwaitMethod method) {
        ReentrantLockApi lock = kind.create();
        Condition c = lock.newCondition();
        lock.lock();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> method.await(c));
        assertFalse(Thread.interrupted());
        assertLockedByMe(lock);
        assertHasNoWaiters(lock, c);
        release(lock);
    }

    /** Awaiting releases every hold, letting another thread lock, and restores the hold count on return. */
    @ParameterizedTest
    @MethodSource("kindsAndAwaitMethods")
    void awaitRestoresHoldCount(Kind kind, AwaitMethod method) throws Exception {
        ReentrantLockApi lock = kind.create();
        Condition c = lock.newCondition();
        CountDownLatch locked = new CountDownLatch(1);
        Thread t = start("awaiter", () -> {
            lock.lock();
            lock.lock();
            lock.lock();
            try {
                assertEquals(3, lock.getHoldCount());
                locked.countDown();
                method.await(c);
                assertLockedByMe(lock);
                assertEquals(3, lock.getHoldCount());
            } finally {
                lock.unlock();
                lock.unlock();
                lock.unlock();
            }
            assertFalse(lock.isHeldByCurrentThread());
        });
        await(locked);
        lock.lock();
        assertEquals(1, lock.getHoldCount());
        assertLockedByMe(lock);
        assertHasWaiters(lock, c, t);
        c.signal();
        release(lock);
        awaitTermination(t);
        assertNotLocked(lock);
    }

    /** Timed waits with the largest timeouts (Long.MAX_VALUE days or nanos, the last Date) wait until signalled. */
    @ParameterizedTest
    @MethodSource("kindsAndHugeTimeoutAwaits")
    void hugeAwaitTimeoutsWaitUntilSignalled(Kind kind, HugeTimeoutAwait method) throws Exception {
        ReentrantLockApi lock = kind.create();
        Condition c = lock.newCondition();
        CountDownLatch locked = new CountDownLatch(1);
        Thread t = start("awaiter", () -> {
            lock.lock();
            try {
                locked.countDown();
                method.await(c);
                assertLockedByMe(lock);
            } finally {
                lock.unlock();
            }
        });
        await(locked);
        assertThreadBlocks(t);
        assertHasWaiters(lock, c, t);
        lock.lock();
        c.signal();
        release(lock);
        awaitTermination(t);
        assertNotLocked(lock);
    }

    /**
     * A thread interrupted after it was signalled, while it waits to re-acquire the lock, returns
     * normally from any await form (reporting the signal) with its interrupt status set.
     */
    @ParameterizedTest
    @MethodSource("kindsAndInterruptibleAwaitMethods")
    void interruptAfterSignalIsKeptNotThrown(Kind kind, AwaitMethod method) throws Exception {
        ReentrantLockApi lock = kind.create();
        Condition c = lock.newCondition();
        CountDownLatch locked = new CountDownLatch(1);
        Thread t = start("awaiter", () -> {
            lock.lock();
            try {
                locked.countDown();
                method.await(c); // asserts that a timed form reports the signal
                assertTrue(Thread.interrupted());
                assertLockedByMe(lock);
            } finally {
                lock.unlock();
            }
        });
        await(locked);
        lock.lock();
        assertHasWaiters(lock, c, t);
        c.signal();
        assertQueued(lock, t);
        t.interrupt();
        // Polled in this order: the interrupt makes t leave the queue and re-enter it (its condvar park is
        // interruptible), and in between it may block on a bucket lock without being queued.
        waitForQueuedThread(lock, t);
        assertThreadBlocks(t);
        release(lock);
        awaitTermination(t);
        assertNotLocked(lock);
    }

    /**
     * A timed await that was signalled reports the signal (await and awaitUntil return true) even if
     * its time elapses while it waits to re-acquire the lock; awaitNanos returns, holding the lock.
     */
    @ParameterizedTest
    @MethodSource("kindsAndTimedAwaitMethods")
    void signalledTimedAwaitReportsSignalAfterLateReacquire(Kind kind, AwaitMethod method) throws Exception {
        ReentrantLockApi lock = kind.create();
        Condition c = lock.newCondition();
        long timeoutMs = 2 * SHORT_MS;
        CountDownLatch locked = new CountDownLatch(1);
        Thread t = start("awaiter", () -> {
            lock.lock();
            try {
                locked.countDown();
                switch (method) {
                    case AWAIT_TIMED -> assertTrue(c.await(timeoutMs, MILLISECONDS));
                    case AWAIT_UNTIL -> assertTrue(c.awaitUntil(new Date(System.currentTimeMillis() + timeoutMs)));
                    // no sign to assert: the JDK starts the clock only after releasing the lock, so the
                    // wait may in principle start after this test's deadline estimate
                    case AWAIT_NANOS -> assertTrue(c.awaitNanos(MILLISECONDS.toNanos(timeoutMs)) <= MILLISECONDS.toNanos(timeoutMs));
                    default -> throw new AssertionError(method);
                }
                assertLockedByMe(lock);
            } finally {
                lock.unlock();
            }
        });
        await(locked);
        lock.lock();
        // The awaiter's clock started about when it released the lock: its time has most likely elapsed
        // by `until` (if not, the test still holds, exercising the plain signal path instead).
        long until = System.nanoTime() + MILLISECONDS.toNanos(timeoutMs + SHORT_MS);
        assertHasWaiters(lock, c, t);
        c.signal();
        waitUntil("the awaiter's time elapsed", () -> System.nanoTime() - until >= 0);
        assertTrue(lock.hasQueuedThread(t));
        release(lock);
        awaitTermination(t);
        assertNotLocked(lock);
    }

    /** A signal given after one waiter timed out (but before it re-acquired the lock) wakes another waiter: it is not lost. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void signalAfterWaiterTimedOutWakesAnother(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        Condition c = lock.newCondition();
        Thread main = Thread.currentThread();
        CountDownLatch locked2 = new CountDownLatch(1);
        CountDownLatch locked1 = new CountDownLatch(1);
        Thread patient = start("patient", () -> {
            lock.lock();
            try {
                locked2.countDown();
                c.await();
                assertLockedByMe(lock);
            } finally {
                lock.unlock();
            }
        });
        await(locked2);
        Thread hasty = start("hasty", () -> {
            lock.lock();
            try {
                locked1.countDown();
                waitUntil("the test thread is queued", () -> lock.hasQueuedThread(main));
                assertFalse(c.await(4 * SHORT_MS, MILLISECONDS));
                assertLockedByMe(lock);
            } finally {
                lock.unlock();
            }
        });
        await(locked1);
        lock.lock();
        waitUntil("hasty timed out", () -> lock.hasQueuedThread(hasty) || !hasty.isAlive());
        assertHasWaiters(lock, c, patient);
        c.signal();
        assertHasNoWaiters(lock, c);
        assertTrue(lock.hasQueuedThread(patient));
        release(lock);
        awaitTermination(hasty);
        awaitTermination(patient);
        assertNotLocked(lock);
    }

    /** Signalling one condition leaves the waiters of another condition of the same lock waiting. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void conditionsOfOneLockAreIndependent(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        Condition c1 = lock.newCondition();
        Condition c2 = lock.newCondition();
        CountDownLatch locked = new CountDownLatch(2);
        Thread t1 = start("awaiter-1", () -> {
            lock.lock();
            try {
                locked.countDown();
                c1.await();
            } finally {
                lock.unlock();
            }
        });
        Thread t2 = start("awaiter-2", () -> {
            lock.lock();
            try {
                locked.countDown();
                c2.await();
            } finally {
                lock.unlock();
            }
        });
        await(locked);
        lock.lock();
        assertHasWaiters(lock, c1, t1);
        assertHasWaiters(lock, c2, t2);
        c1.signalAll();
        assertHasNoWaiters(lock, c1);
        assertHasWaiters(lock, c2, t2);
        assertQueued(lock, t1);
        release(lock);
        awaitTermination(t1);
        assertTrue(t2.isAlive());
        assertHasWaiters(lock, c2, t2);
        lock.lock();
        c2.signal();
        release(lock);
        awaitTermination(t2);
        assertNotLocked(lock);
    }

    /** awaitUntil with a deadline at the far end of the past (Long.MIN_VALUE millis) returns false at once. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(value = 5, unit = SECONDS) // "at once": a hang here means the deadline arithmetic overflowed
    void awaitUntilFarPastDeadlineReturnsFalse(Kind kind) throws InterruptedException {
        ReentrantLockApi lock = kind.create();
        Condition c = lock.newCondition();
        lock.lock();
        try {
            assertFalse(c.awaitUntil(new Date(Long.MIN_VALUE)));
            assertLockedByMe(lock);
        } finally {
            lock.unlock();
        }
    }

    /** A null TimeUnit or Date throws NullPointerException, whether or not the lock is held. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void nullTimeArgumentsThrowNPE(Kind kind) {
        ReentrantLockApi lock = kind.create();
        Condition c = lock.newCondition();
        assertThrows(NullPointerException.class, () -> lock.tryLock(1, null));
        assertNotLocked(lock);
        assertThrows(NullPointerException.class, () -> c.await(1, null));
        assertThrows(NullPointerException.class, () -> c.awaitUntil(null));
        lock.lock();
        assertThrows(NullPointerException.class, () -> lock.tryLock(1, null));
        assertThrows(NullPointerException.class, () -> c.await(1, null));
        assertThrows(NullPointerException.class, () -> c.awaitUntil(null));
        assertEquals(1, lock.getHoldCount());
        release(lock);
    }

    // ---------------------------------------------------------------------------------------------
    // under contention

    /**
     * Every acquisition method, under contention with timeouts and interrupts, gives mutual exclusion:
     * one owner at a time, and an unsynchronized counter counts every successful acquisition.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void mutualExclusionUnderMixedAcquisition(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        int workers = 4;
        int iterations = 3_000;
        int[] counter = {0};
        int[] inside = {0};
        long[] acquired = new long[workers];
        AtomicBoolean running = new AtomicBoolean(true);
        Thread[] ts = new Thread[workers];
        for (int w = 0; w < workers; w++) {
            int id = w;
            ts[w] = start("worker-" + w, () -> {
                for (int i = 0; i < iterations; i++) {
                    boolean got;
                    try {
                        switch ((i + id) % 4) {
                            case 0 -> { lock.lock(); got = true; }
                            case 1 -> got = lock.tryLock();
                            case 2 -> got = lock.tryLock(10_000L * (i % 8), NANOSECONDS);
                            default -> { lock.lockInterruptibly(); got = true; }
                        }
                    } catch (InterruptedException e) {
                        got = false;
                    }
                    if (got) {
                        try {
                            assertEquals(1, ++inside[0]);
                            assertSame(Thread.currentThread(), lock.getOwner());
                            assertEquals(1, lock.getHoldCount());
                            counter[0]++;
                            acquired[id]++;
                            inside[0]--;
                        } finally {
                            lock.unlock();
                        }
                    }
                }
                Thread.interrupted();
            });
        }
        Thread interrupter = start("interrupter", () -> {
            int n = 0;
            while (running.get()) {
                ts[n++ % workers].interrupt();
                LockSupport.parkNanos(200_000L);
            }
        });
        for (Thread t : ts) {
            awaitTermination(t);
        }
        running.set(false);
        awaitTermination(interrupter);
        lock.lock(); // happens-after every worker's last unlock
        long total = 0;
        for (long a : acquired) {
            total += a;
        }
        assertEquals(total, counter[0]);
        assertEquals(0, inside[0]);
        assertTrue(total >= (long) workers * iterations / 4, "the lock() calls alone acquire " + workers * iterations / 4);
        assertQueued(lock);
        release(lock);
        assertNotLocked(lock);
    }

    /** A bounded buffer with notFull and notEmpty conditions passes every item exactly once between producers and consumers. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void boundedBufferWithTwoConditions(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        Condition notFull = lock.newCondition();
        Condition notEmpty = lock.newCondition();
        int capacity = 4;
        int perProducer = 2_000;
        int[] buffer = new int[capacity];
        int[] state = new int[3]; // putIndex, takeIndex, count
        long[] consumedSum = new long[2];
        Executable[] roles = new Executable[4];
        for (int p = 0; p < 2; p++) {
            int base = p * perProducer;
            roles[p] = () -> {
                for (int i = 1; i <= perProducer; i++) {
                    lock.lock();
                    try {
                        while (state[2] == capacity) {
                            notFull.await();
                        }
                        buffer[state[0]] = base + i;
                        state[0] = (state[0] + 1) % capacity;
                        state[2]++;
                        notEmpty.signal();
                    } finally {
                        lock.unlock();
                    }
                }
            };
        }
        for (int q = 0; q < 2; q++) {
            int id = q;
            roles[2 + q] = () -> {
                for (int i = 0; i < perProducer; i++) {
                    lock.lock();
                    try {
                        while (state[2] == 0) {
                            notEmpty.await();
                        }
                        consumedSum[id] += buffer[state[1]];
                        state[1] = (state[1] + 1) % capacity;
                        state[2]--;
                        notFull.signal();
                    } finally {
                        lock.unlock();
                    }
                }
            };
        }
        List<Thread> ts = new ArrayList<>();
        for (int r = 0; r < roles.length; r++) {
            ts.add(start((r < 2 ? "producer-" : "consumer-") + r, roles[r]));
        }
        for (Thread t : ts) {
            awaitTermination(t);
        }
        long n = 2L * perProducer;
        lock.lock();
        try {
            assertEquals(n * (n + 1) / 2, consumedSum[0] + consumedSum[1]);
            assertEquals(0, state[2]);
            assertFalse(lock.hasWaiters(notFull));
            assertFalse(lock.hasWaiters(notEmpty));
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // conditions: monitoring

    /** hasWaiters, getWaitQueueLength and getWaitingThreads throw IllegalMonitorStateException unless the caller holds the lock. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void conditionMonitoringRequiresLock(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        Condition c = lock.newCondition();
        assertThrows(IllegalMonitorStateException.class, () -> lock.hasWaiters(c));
        assertThrows(IllegalMonitorStateException.class, () -> lock.getWaitQueueLength(c));
        assertThrows(IllegalMonitorStateException.class, () -> lock.getWaitingThreads(c));
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        Thread owner = start("owner", () -> {
            lock.lock();
            try {
                held.countDown();
                await(checked);
            } finally {
                lock.unlock();
            }
        });
        await(held);
        assertThrows(IllegalMonitorStateException.class, () -> lock.hasWaiters(c));
        assertThrows(IllegalMonitorStateException.class, () -> lock.getWaitQueueLength(c));
        assertThrows(IllegalMonitorStateException.class, () -> lock.getWaitingThreads(c));
        checked.countDown();
        awaitTermination(owner);
    }

    /** hasWaiters, getWaitQueueLength and getWaitingThreads throw IllegalArgumentException for a condition not of this lock. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void conditionMonitoringRejectsForeignCondition(Kind kind) {
        ReentrantLockApi lock = kind.create();
        List<Condition> foreign = List.of(kind.create().newCondition(), new StubCondition());
        for (Condition c : foreign) {
            // not holding the lock: the argument check comes first
            assertThrows(IllegalArgumentException.class, () -> lock.hasWaiters(c));
            assertThrows(IllegalArgumentException.class, () -> lock.getWaitQueueLength(c));
            assertThrows(IllegalArgumentException.class, () -> lock.getWaitingThreads(c));
        }
        lock.lock();
        for (Condition c : foreign) {
            assertThrows(IllegalArgumentException.class, () -> lock.hasWaiters(c));
            assertThrows(IllegalArgumentException.class, () -> lock.getWaitQueueLength(c));
            assertThrows(IllegalArgumentException.class, () -> lock.getWaitingThreads(c));
        }
        release(lock);
    }

    /** hasWaiters, getWaitQueueLength and getWaitingThreads throw NullPointerException for a null condition. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void conditionMonitoringRejectsNull(Kind kind) {
        ReentrantLockApi lock = kind.create();
        assertThrows(NullPointerException.class, () -> lock.hasWaiters(null));
        assertThrows(NullPointerException.class, () -> lock.getWaitQueueLength(null));
        assertThrows(NullPointerException.class, () -> lock.getWaitingThreads(null));
        lock.lock();
        assertThrows(NullPointerException.class, () -> lock.hasWaiters(null));
        assertThrows(NullPointerException.class, () -> lock.getWaitQueueLength(null));
        assertThrows(NullPointerException.class, () -> lock.getWaitingThreads(null));
        release(lock);
    }

    /** hasWaiters, getWaitQueueLength and getWaitingThreads report exactly the threads waiting, and none after signalAll. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void conditionMonitoringTracksWaiters(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        Condition c = lock.newCondition();
        Condition other = lock.newCondition();
        CountDownLatch locked1 = new CountDownLatch(1);
        CountDownLatch locked2 = new CountDownLatch(1);
        assertHasNoWaiters(lock, c);
        Thread t1 = start("awaiter-1", () -> {
            lock.lock();
            try {
                assertFalse(lock.hasWaiters(c));
                assertEquals(0, lock.getWaitQueueLength(c));
                assertTrue(lock.getWaitingThreads(c).isEmpty());
                locked1.countDown();
                c.await();
            } finally {
                lock.unlock();
            }
        });
        await(locked1);
        assertHasWaiters(lock, c, t1);
        Thread t2 = start("awaiter-2", () -> {
            lock.lock();
            try {
                assertTrue(lock.hasWaiters(c));
                assertEquals(1, lock.getWaitQueueLength(c));
                assertEquals(List.of(t1), new ArrayList<>(lock.getWaitingThreads(c)));
                locked2.countDown();
                c.await();
            } finally {
                lock.unlock();
            }
        });
        await(locked2);
        lock.lock();
        assertHasWaiters(lock, c, t1, t2);
        assertHasNoWaiters(lock, other);
        c.signalAll();
        assertHasNoWaiters(lock, c);
        release(lock);
        awaitTermination(t1);
        awaitTermination(t2);
        assertHasNoWaiters(lock, c);
    }

    // ---------------------------------------------------------------------------------------------
    // serialization and toString

    /** A lock serialized while locked (twice) deserializes unlocked, with the same fairness, and independent of the original. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void deserializedLockIsUnlockedWithSameFairness(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        lock.lock();
        lock.lock();
        ReentrantLockApi clone = lock.serialClone();
        assertNotSame(lock.unwrap(), clone.unwrap());
        assertEquals(kind.fair, clone.isFair());
        assertNotLocked(clone);
        assertQueued(clone);
        assertEquals(2, lock.getHoldCount());
        clone.lock();
        clone.lock();
        assertEquals(2, clone.getHoldCount());
        assertLockedByMe(clone);
        clone.unlock();
        clone.unlock();
        assertNotLocked(clone);
        assertLockedByMe(lock);
        assertEquals(2, lock.getHoldCount());
        lock.unlock();
        release(lock);
        ReentrantLockApi unlockedClone = lock.serialClone();
        assertEquals(kind.fair, unlockedClone.isFair());
        assertNotLocked(unlockedClone);
    }

    /** A lock serialized while another thread owns it and one waits deserializes with no owner and no queue, and works. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void deserializedContendedLockHasNoOwnerOrQueue(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        AtomicBoolean serialized = new AtomicBoolean();
        Thread owner = start("owner", () -> {
            lock.lock();
            try {
                held.countDown();
                await(done);
            } finally {
                lock.unlock();
            }
        });
        await(held);
        Thread waiter = start("waiter", () -> {
            lock.lock();
            try {
                assertTrue(serialized.get());
            } finally {
                lock.unlock();
            }
        });
        waitForQueuedThread(lock, waiter);
        ReentrantLockApi clone = lock.serialClone();
        serialized.set(true);
        done.countDown();
        assertNotLocked(clone);
        assertQueued(clone);
        Condition c = clone.newCondition();
        clone.lock();
        assertTrue(c.awaitNanos(MILLISECONDS.toNanos(1)) <= 0);
        assertHasNoWaiters(clone, c);
        release(clone);
        awaitTermination(owner);
        awaitTermination(waiter);
        assertNotLocked(lock);
    }

    /** toString is the identity string followed by [Unlocked] or [Locked by thread name]. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void toStringReportsState(Kind kind) throws Exception {
        ReentrantLockApi lock = kind.create();
        Object raw = lock.unwrap();
        String identity = raw.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(raw));
        assertEquals(identity + "[Unlocked]", lock.toString());
        lock.lock();
        assertEquals(identity + "[Locked by thread " + Thread.currentThread().getName() + "]", lock.toString());
        lock.lock();
        assertTrue(lock.toString().contains("Locked by thread " + Thread.currentThread().getName()));
        lock.unlock();
        release(lock);
        assertTrue(lock.toString().contains("Unlocked"));

        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        Thread owner = start("toString-owner", () -> {
            lock.lock();
            try {
                held.countDown();
                await(checked);
            } finally {
                lock.unlock();
            }
        });
        await(held);
        assertEquals(identity + "[Locked by thread toString-owner]", lock.toString());
        checked.countDown();
        awaitTermination(owner);
        assertEquals(identity + "[Unlocked]", lock.toString());
    }
}
