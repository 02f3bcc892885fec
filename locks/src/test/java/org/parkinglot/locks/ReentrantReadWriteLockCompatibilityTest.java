package org.parkinglot.locks;

import static java.util.concurrent.TimeUnit.DAYS;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour of {@link ReentrantReadWriteLock}, run through an adapter against every implementation in
 * {@link #implementations()}, each unfair and fair. The JDK lock passing a test shows the test is right; another
 * implementation passing it shows the drop-in claim holds for that property. Modelled on the jsr166 TCK's
 * {@code ReentrantReadWriteLockTest} (its behaviours, written anew in this project's style), plus the details a
 * drop-in must match that the TCK leaves implicit: downgrade, no upgrade, reentrant reads while a writer waits, new
 * readers queueing behind a waiting writer, barging read {@code tryLock()}, arrival order on a fair lock.
 *
 * <p>Threads are polled into the state a test needs ({@link #waitForQueuedThread}, {@link #assertThreadBlocks}, a
 * latch counted down while the lock is held); no fixed sleep stands in for synchronization. Every thread a test
 * starts is a daemon, joined by the test, and interrupted and joined again by {@link #cleanUp()}; an assertion that
 * fails inside one fails the test.
 */
@Timeout(value = 60, unit = SECONDS)
class ReentrantReadWriteLockCompatibilityTest {

    /** A timeout the tests expect to elapse. */
    static final long SHORT_MS = 50;
    /** A timeout the tests never expect to elapse: "forever" for waits that end by a release or signal. */
    static final long LONG_MS = 10_000;

    // ---------------------------------------------------------------------------------------------
    // the implementations under test

    /**
     * The public API of {@link ReentrantReadWriteLock}, with its protected monitoring methods made public, and the
     * write lock's own {@code isHeldByCurrentThread()} / {@code getHoldCount()} reachable without its class.
     */
    interface ReentrantReadWriteLockApi extends ReadWriteLock {
        /** The write lock's {@code isHeldByCurrentThread()}. */
        boolean writeLockIsHeldByCurrentThread();

        /** The write lock's {@code getHoldCount()}. */
        int writeLockHoldCount();

        boolean isFair();

        int getReadLockCount();

        boolean isWriteLocked();

        boolean isWriteLockedByCurrentThread();

        int getWriteHoldCount();

        int getReadHoldCount();

        boolean hasQueuedThreads();

        boolean hasQueuedThread(Thread thread);

        int getQueueLength();

        boolean hasWaiters(Condition condition);

        int getWaitQueueLength(Condition condition);

        Thread getOwner();

        Collection<Thread> getQueuedWriterThreads();

        Collection<Thread> getQueuedReaderThreads();

        Collection<Thread> getQueuedThreads();

        Collection<Thread> getWaitingThreads(Condition condition);

        /** The lock this adapter wraps. */
        Object unwrap();

        /** Serializes the wrapped lock and wraps the deserialized copy. */
        ReentrantReadWriteLockApi serialClone() throws IOException, ClassNotFoundException;
    }

    /** Exposes the protected monitoring methods, as the TCK's {@code PublicReentrantReadWriteLock} does. */
    static final class PublicReentrantReadWriteLock extends ReentrantReadWriteLock {
        @Serial
        private static final long serialVersionUID = 1L;

        PublicReentrantReadWriteLock() {
        }

        PublicReentrantReadWriteLock(boolean fair) {
            super(fair);
        }

        @Override
        public Thread getOwner() {
            return super.getOwner();
        }

        @Override
        public Collection<Thread> getQueuedWriterThreads() {
            return super.getQueuedWriterThreads();
        }

        @Override
        public Collection<Thread> getQueuedReaderThreads() {
            return super.getQueuedReaderThreads();
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

    /** {@link ReentrantReadWriteLockApi} over the JDK lock. */
    record JdkRwLock(PublicReentrantReadWriteLock delegate) implements ReentrantReadWriteLockApi {
        @Override public Lock readLock() { return delegate.readLock(); }
        @Override public Lock writeLock() { return delegate.writeLock(); }
        @Override public boolean writeLockIsHeldByCurrentThread() {
            return delegate.writeLock().isHeldByCurrentThread();
        }
        @Override public int writeLockHoldCount() { return delegate.writeLock().getHoldCount(); }
        @Override public boolean isFair() { return delegate.isFair(); }
        @Override public int getReadLockCount() { return delegate.getReadLockCount(); }
        @Override public boolean isWriteLocked() { return delegate.isWriteLocked(); }
        @Override public boolean isWriteLockedByCurrentThread() { return delegate.isWriteLockedByCurrentThread(); }
        @Override public int getWriteHoldCount() { return delegate.getWriteHoldCount(); }
        @Override public int getReadHoldCount() { return delegate.getReadHoldCount(); }
        @Override public boolean hasQueuedThreads() { return delegate.hasQueuedThreads(); }
        @Override public boolean hasQueuedThread(Thread thread) { return delegate.hasQueuedThread(thread); }
        @Override public int getQueueLength() { return delegate.getQueueLength(); }
        @Override public boolean hasWaiters(Condition c) { return delegate.hasWaiters(c); }
        @Override public int getWaitQueueLength(Condition c) { return delegate.getWaitQueueLength(c); }
        @Override public Thread getOwner() { return delegate.getOwner(); }
        @Override public Collection<Thread> getQueuedWriterThreads() { return delegate.getQueuedWriterThreads(); }
        @Override public Collection<Thread> getQueuedReaderThreads() { return delegate.getQueuedReaderThreads(); }
        @Override public Collection<Thread> getQueuedThreads() { return delegate.getQueuedThreads(); }
        @Override public Collection<Thread> getWaitingThreads(Condition c) { return delegate.getWaitingThreads(c); }
        @Override public Object unwrap() { return delegate; }
        @Override public ReentrantReadWriteLockApi serialClone() throws IOException, ClassNotFoundException {
            return new JdkRwLock(ReentrantReadWriteLockCompatibilityTest.serialClone(delegate));
        }
        @Override public String toString() { return delegate.toString(); }
    }

    /** {@link ReentrantRwLock}: its monitoring methods are public, so no subclass is needed. */
    record RwLock(ReentrantRwLock delegate) implements ReentrantReadWriteLockApi {
        @Override public Lock readLock() { return delegate.readLock(); }
        @Override public Lock writeLock() { return delegate.writeLock(); }
        @Override public boolean writeLockIsHeldByCurrentThread() {
            return delegate.writeLock().isHeldByCurrentThread();
        }
        @Override public int writeLockHoldCount() { return delegate.writeLock().getHoldCount(); }
        @Override public boolean isFair() { return delegate.isFair(); }
        @Override public int getReadLockCount() { return delegate.getReadLockCount(); }
        @Override public boolean isWriteLocked() { return delegate.isWriteLocked(); }
        @Override public boolean isWriteLockedByCurrentThread() { return delegate.isWriteLockedByCurrentThread(); }
        @Override public int getWriteHoldCount() { return delegate.getWriteHoldCount(); }
        @Override public int getReadHoldCount() { return delegate.getReadHoldCount(); }
        @Override public boolean hasQueuedThreads() { return delegate.hasQueuedThreads(); }
        @Override public boolean hasQueuedThread(Thread thread) { return delegate.hasQueuedThread(thread); }
        @Override public int getQueueLength() { return delegate.getQueueLength(); }
        @Override public boolean hasWaiters(Condition c) { return delegate.hasWaiters(c); }
        @Override public int getWaitQueueLength(Condition c) { return delegate.getWaitQueueLength(c); }
        @Override public Thread getOwner() { return delegate.getOwner(); }
        @Override public Collection<Thread> getQueuedWriterThreads() { return delegate.getQueuedWriterThreads(); }
        @Override public Collection<Thread> getQueuedReaderThreads() { return delegate.getQueuedReaderThreads(); }
        @Override public Collection<Thread> getQueuedThreads() { return delegate.getQueuedThreads(); }
        @Override public Collection<Thread> getWaitingThreads(Condition c) { return delegate.getWaitingThreads(c); }
        @Override public Object unwrap() { return delegate; }
        @Override public ReentrantReadWriteLockApi serialClone() throws IOException, ClassNotFoundException {
            return new RwLock(ReentrantReadWriteLockCompatibilityTest.serialClone(delegate));
        }
        @Override public String toString() { return delegate.toString(); }
    }

    /**
     * The locks under test.
     *
     * <p>The JDK's lock and {@link ReentrantRwLock}, each unfair and fair. For {@code ReentrantRwLock} the
     * second argument {@code false} says its {@code readLock()}/{@code writeLock()} may return a new (equal)
     * view per call. The intended
     * differences are allowed for in the assertions, not by skipping: views are compared with {@code equals} (and
     * {@code assertSame} only where {@link #sameViewInstances}); the {@code toString} checks build the expected
     * prefix from the object's own class name and {@code hashCode()}, so {@code ReentrantRwLock} and its
     * {@code ReentrantRwLock$ReadLock} / {@code $WriteLock} class names pass where the JDK form would.
     */
    enum Kind {
        /** {@code new ReentrantReadWriteLock(false)}. */
        JDK_RW_LOCK(false, true) {
            @Override ReentrantReadWriteLockApi create() { return jdk(new PublicReentrantReadWriteLock(false)); }
            @Override ReentrantReadWriteLockApi createDefault() { return jdk(new PublicReentrantReadWriteLock()); }
        },
        /** {@code new ReentrantReadWriteLock(true)}. */
        JDK_RW_LOCK_FAIR(true, true) {
            @Override ReentrantReadWriteLockApi create() { return jdk(new PublicReentrantReadWriteLock(true)); }
            @Override ReentrantReadWriteLockApi createDefault() { return jdk(new PublicReentrantReadWriteLock()); }
        },
        /** {@code new ReentrantRwLock(false)}. */
        REENTRANT_RW_LOCK(false, false) {
            @Override ReentrantReadWriteLockApi create() { return new RwLock(new ReentrantRwLock(false)); }
            @Override ReentrantReadWriteLockApi createDefault() { return new RwLock(new ReentrantRwLock()); }
        },
        /** {@code new ReentrantRwLock(true)}. */
        REENTRANT_RW_LOCK_FAIR(true, false) {
            @Override ReentrantReadWriteLockApi create() { return new RwLock(new ReentrantRwLock(true)); }
            @Override ReentrantReadWriteLockApi createDefault() { return new RwLock(new ReentrantRwLock()); }
        };

        /** The fairness {@link #create()} asks for. */
        final boolean fair;
        /** Whether {@code readLock()} and {@code writeLock()} return the same object on every call. */
        final boolean sameViewInstances;

        Kind(boolean fair, boolean sameViewInstances) {
            this.fair = fair;
            this.sameViewInstances = sameViewInstances;
        }

        /** A new lock of this kind, with this kind's fairness. */
        abstract ReentrantReadWriteLockApi create();

        /** A new lock of this implementation, made by the no-argument constructor. */
        abstract ReentrantReadWriteLockApi createDefault();

        private static ReentrantReadWriteLockApi jdk(PublicReentrantReadWriteLock lock) {
            return new JdkRwLock(lock);
        }
    }

    /** Every lock under test: the method source of every test. */
    static Stream<Kind> implementations() {
        return Arrays.stream(Kind.values());
    }

    /** The fair locks under test. */
    static Stream<Kind> fairImplementations() {
        return implementations().filter(k -> k.fair);
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

    static Stream<Arguments> implementationsAndAwaitMethods() {
        return implementations().flatMap(k -> Arrays.stream(AwaitMethod.values()).map(m -> Arguments.of(k, m)));
    }

    static Stream<Arguments> implementationsAndInterruptibleAwaitMethods() {
        return implementationsAndAwaitMethods().filter(a -> a.get()[1] != AwaitMethod.AWAIT_UNINTERRUPTIBLY);
    }

    // ---------------------------------------------------------------------------------------------
    // threads and helpers

    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

    /** Starts a daemon platform thread running {@code body}; whatever it throws fails the test. */
    Thread start(String name, Executable body) {
        return start(Thread.ofPlatform().daemon(true).name(name), body);
    }

    /** Starts a virtual thread (always a daemon) running {@code body}; whatever it throws fails the test. */
    Thread startVirtual(String name, Executable body) {
        return start(Thread.ofVirtual().name(name), body);
    }

    private Thread start(Thread.Builder builder, Executable body) {
        Thread t = builder.unstarted(() -> {
            try {
                body.execute();
            } catch (Throwable e) {
                failures.add(e);
            }
        });
        threads.add(t);
        t.start();
        return t;
    }

    /**
     * Starts a thread that takes {@code view} with {@code lock()} and holds it until {@code release} is counted
     * down; returns once the thread holds it.
     */
    Thread startHolder(String name, Lock view, CountDownLatch release) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        Thread t = start(name, () -> {
            view.lock();
            try {
                held.countDown();
                await(release);
            } finally {
                view.unlock();
            }
        });
        await(held);
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
    static void waitForQueuedThread(ReentrantReadWriteLockApi lock, Thread t) {
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

    /** Polls until {@code t} is queued on {@code lock} and parked there. */
    static void waitForBlockedQueuedThread(ReentrantReadWriteLockApi lock, Thread t) {
        waitForQueuedThread(lock, t);
        assertThreadBlocks(t);
        assertTrue(lock.hasQueuedThread(t));
    }

    static void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(LONG_MS, MILLISECONDS), "latch not released");
    }

    /**
     * Checks every ownership and count query: {@code writer} holds the write lock (null: nobody), the current
     * thread holds it {@code myWriteHolds} times, there are {@code readHolds} read holds in all, of which
     * {@code myReadHolds} are the current thread's.
     */
    static void assertState(ReentrantReadWriteLockApi lock, Thread writer, int myWriteHolds, int readHolds,
            int myReadHolds) {
        assertEquals(writer != null, lock.isWriteLocked(), "isWriteLocked");
        assertSame(writer, lock.getOwner(), "getOwner");
        boolean me = writer == Thread.currentThread();
        assertEquals(me, lock.isWriteLockedByCurrentThread(), "isWriteLockedByCurrentThread");
        assertEquals(me, lock.writeLockIsHeldByCurrentThread(), "writeLock().isHeldByCurrentThread");
        assertEquals(myWriteHolds, lock.getWriteHoldCount(), "getWriteHoldCount");
        assertEquals(myWriteHolds, lock.writeLockHoldCount(), "writeLock().getHoldCount");
        assertEquals(readHolds, lock.getReadLockCount(), "getReadLockCount");
        assertEquals(myReadHolds, lock.getReadHoldCount(), "getReadHoldCount");
    }

    /** Checks nobody holds the write lock and the current thread holds no read lock. */
    static void assertNotWriteLocked(ReentrantReadWriteLockApi lock) {
        assertFalse(lock.isWriteLocked());
        assertFalse(lock.isWriteLockedByCurrentThread());
        assertFalse(lock.writeLockIsHeldByCurrentThread());
        assertEquals(0, lock.getWriteHoldCount());
        assertEquals(0, lock.writeLockHoldCount());
        assertNull(lock.getOwner());
    }

    /** Checks nobody holds the lock at all. */
    static void assertUnlocked(ReentrantReadWriteLockApi lock) {
        assertState(lock, null, 0, 0, 0);
    }

    /** Checks {@code owner} holds the write lock (and the current thread holds it iff it is the owner). */
    static void assertWriteLockedBy(ReentrantReadWriteLockApi lock, Thread owner) {
        assertTrue(lock.isWriteLocked());
        assertSame(owner, lock.getOwner());
        boolean me = owner == Thread.currentThread();
        assertEquals(me, lock.isWriteLockedByCurrentThread());
        assertEquals(me, lock.writeLockIsHeldByCurrentThread());
        assertEquals(me, lock.getWriteHoldCount() > 0);
        assertEquals(me, lock.writeLockHoldCount() > 0);
    }

    static void assertWriteLockedByMe(ReentrantReadWriteLockApi lock) {
        assertWriteLockedBy(lock, Thread.currentThread());
    }

    /** Releases a write lock held once by the current thread and checks it no longer holds it. */
    static void releaseWriteLock(ReentrantReadWriteLockApi lock) {
        assertWriteLockedByMe(lock);
        assertEquals(1, lock.getWriteHoldCount());
        lock.writeLock().unlock();
        assertFalse(lock.isWriteLockedByCurrentThread());
        assertFalse(lock.writeLockIsHeldByCurrentThread());
        assertEquals(0, lock.getWriteHoldCount());
        assertNotSame(Thread.currentThread(), lock.getOwner());
    }

    /** Checks every queue inspection method agrees that exactly {@code queued} wait for the lock. */
    static void assertQueued(ReentrantReadWriteLockApi lock, Thread... queued) {
        assertEquals(queued.length > 0, lock.hasQueuedThreads());
        assertEquals(queued.length, lock.getQueueLength());
        assertEquals(Set.of(queued), new HashSet<>(lock.getQueuedThreads()));
        assertEquals(queued.length, lock.getQueuedThreads().size());
        for (Thread t : queued) {
            assertTrue(lock.hasQueuedThread(t), () -> t.getName() + " should be queued");
        }
    }

    /** Checks, holding the write lock (reentrantly), that exactly {@code waiters} wait on {@code c}. */
    static void assertHasWaiters(ReentrantReadWriteLockApi lock, Condition c, Thread... waiters) {
        lock.writeLock().lock();
        try {
            assertEquals(waiters.length > 0, lock.hasWaiters(c));
            assertEquals(waiters.length, lock.getWaitQueueLength(c));
            assertEquals(waiters.length, lock.getWaitingThreads(c).size());
            assertEquals(Set.of(waiters), new HashSet<>(lock.getWaitingThreads(c)));
        } finally {
            lock.writeLock().unlock();
        }
    }

    static void assertHasNoWaiters(ReentrantReadWriteLockApi lock, Condition c) {
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

    /** The identity part of {@code Object.toString()}: class name, '@', hash code in hex. */
    static String identity(Object o) {
        return o.getClass().getName() + "@" + Integer.toHexString(o.hashCode());
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
    // construction, views, lock, unlock

    /** The constructors set the given fairness (the default is unfair) and make an unlocked lock. */
    @ParameterizedTest
    @MethodSource("implementations")
    void constructorSetsFairnessAndStartsUnlocked(Kind kind) {
        ReentrantReadWriteLockApi lock = kind.create();
        assertEquals(kind.fair, lock.isFair());
        assertUnlocked(lock);
        assertQueued(lock);
        ReentrantReadWriteLockApi byDefault = kind.createDefault();
        assertFalse(byDefault.isFair());
        assertUnlocked(byDefault);
        assertQueued(byDefault);
    }

    /**
     * readLock() and writeLock() return equal views on every call (the same object for the JDK lock), the read view
     * differs from the write view, and the views of another lock differ from both.
     */
    @ParameterizedTest
    @MethodSource("implementations")
    void viewsAreStableAndDistinct(Kind kind) {
        ReentrantReadWriteLockApi lock = kind.create();
        ReentrantReadWriteLockApi other = kind.create();
        assertEquals(lock.readLock(), lock.readLock());
        assertEquals(lock.readLock().hashCode(), lock.readLock().hashCode());
        assertEquals(lock.writeLock(), lock.writeLock());
        assertEquals(lock.writeLock().hashCode(), lock.writeLock().hashCode());
        if (kind.sameViewInstances) {
            assertSame(lock.readLock(), lock.readLock());
            assertSame(lock.writeLock(), lock.writeLock());
        }
        assertNotEquals(lock.readLock(), lock.writeLock());
        assertNotEquals(lock.writeLock(), lock.readLock());
        assertNotEquals(lock.readLock(), other.readLock());
        assertNotEquals(lock.writeLock(), other.writeLock());
        // views taken at different times act on the same lock
        Lock read = lock.readLock();
        lock.readLock().lock();
        assertEquals(1, lock.getReadHoldCount());
        read.unlock();
        assertUnlocked(lock);
    }

    /** The read lock has no conditions: newCondition throws UnsupportedOperationException. */
    @ParameterizedTest
    @MethodSource("implementations")
    void readLockNewConditionThrowsUOE(Kind kind) {
        ReentrantReadWriteLockApi lock = kind.create();
        assertThrows(UnsupportedOperationException.class, () -> lock.readLock().newCondition());
        lock.readLock().lock();
        assertThrows(UnsupportedOperationException.class, () -> lock.readLock().newCondition());
        lock.readLock().unlock();
        assertUnlocked(lock);
    }

    /** Write-locking and read-locking an unlocked lock succeed; unlocking frees it. */
    @ParameterizedTest
    @MethodSource("implementations")
    void writeAndReadLockOnUnlockedLockSucceed(Kind kind) {
        ReentrantReadWriteLockApi lock = kind.create();
        lock.writeLock().lock();
        assertState(lock, Thread.currentThread(), 1, 0, 0);
        releaseWriteLock(lock);
        assertUnlocked(lock);
        lock.readLock().lock();
        assertState(lock, null, 0, 1, 1);
        lock.readLock().unlock();
        assertUnlocked(lock);
    }

    /** getWriteHoldCount and the write lock's getHoldCount count the current thread's holds, by every method. */
    @ParameterizedTest
    @MethodSource("implementations")
    void writeHoldCountsCountReentrantHolds(Kind kind) throws InterruptedException {
        ReentrantReadWriteLockApi lock = kind.create();
        Lock w = lock.writeLock();
        int n = 0;
        for (int round = 0; round < 4; round++) {
            w.lock();
            assertState(lock, Thread.currentThread(), ++n, 0, 0);
            assertTrue(w.tryLock());
            assertState(lock, Thread.currentThread(), ++n, 0, 0);
            w.lockInterruptibly();
            assertState(lock, Thread.currentThread(), ++n, 0, 0);
            assertTrue(w.tryLock(LONG_MS, MILLISECONDS));
            assertState(lock, Thread.currentThread(), ++n, 0, 0);
        }
        while (n > 1) {
            w.unlock();
            assertState(lock, Thread.currentThread(), --n, 0, 0);
        }
        releaseWriteLock(lock);
        assertUnlocked(lock);
    }

    /** getReadHoldCount and getReadLockCount count the current thread's read holds, by every method. */
    @ParameterizedTest
    @MethodSource("implementations")
    void readHoldCountsCountReentrantHolds(Kind kind) throws InterruptedException {
        ReentrantReadWriteLockApi lock = kind.create();
        Lock r = lock.readLock();
        int n = 0;
        for (int round = 0; round < 4; round++) {
            r.lock();
            assertState(lock, null, 0, ++n, n);
            assertTrue(r.tryLock());
            assertState(lock, null, 0, ++n, n);
            r.lockInterruptibly();
            assertState(lock, null, 0, ++n, n);
            assertTrue(r.tryLock(LONG_MS, MILLISECONDS));
            assertState(lock, null, 0, ++n, n);
        }
        while (n > 0) {
            r.unlock();
            assertState(lock, null, 0, --n, n);
        }
        assertUnlocked(lock);
    }

    /**
     * Unlocking the write lock without holding it throws IllegalMonitorStateException: when unlocked, when held by
     * another thread (whose holds stay), and when the caller holds only the read lock.
     */
    @ParameterizedTest
    @MethodSource("implementations")
    void writeUnlockWhenNotHeldThrowsIMSE(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        assertThrows(IllegalMonitorStateException.class, () -> lock.writeLock().unlock());
        assertUnlocked(lock);
        lock.readLock().lock();
        assertThrows(IllegalMonitorStateException.class, () -> lock.writeLock().unlock());
        assertState(lock, null, 0, 1, 1);
        lock.readLock().unlock();

        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        Thread owner = start("owner", () -> {
            lock.writeLock().lock();
            lock.writeLock().lock();
            held.countDown();
            await(checked);
            assertState(lock, Thread.currentThread(), 2, 0, 0);
            lock.writeLock().unlock();
            lock.writeLock().unlock();
        });
        await(held);
        assertThrows(IllegalMonitorStateException.class, () -> lock.writeLock().unlock());
        assertState(lock, owner, 0, 0, 0);
        checked.countDown();
        awaitTermination(owner);
        assertUnlocked(lock);
    }

    /**
     * Unlocking the read lock without holding it throws IllegalMonitorStateException: when unlocked, when only other
     * threads hold read locks (their holds stay), and when the caller holds only the write lock.
     */
    @ParameterizedTest
    @MethodSource("implementations")
    void readUnlockWhenNotHeldThrowsIMSE(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        assertThrows(IllegalMonitorStateException.class, () -> lock.readLock().unlock());
        assertUnlocked(lock);
        lock.writeLock().lock();
        assertThrows(IllegalMonitorStateException.class, () -> lock.readLock().unlock());
        assertState(lock, Thread.currentThread(), 1, 0, 0);
        releaseWriteLock(lock);

        CountDownLatch release = new CountDownLatch(1);
        Thread reader = startHolder("reader", lock.readLock(), release);
        assertThrows(IllegalMonitorStateException.class, () -> lock.readLock().unlock());
        assertState(lock, null, 0, 1, 0);
        lock.readLock().lock(); // one hold of its own: a second unlock is still unmatched
        lock.readLock().unlock();
        assertThrows(IllegalMonitorStateException.class, () -> lock.readLock().unlock());
        assertState(lock, null, 0, 1, 0);
        release.countDown();
        awaitTermination(reader);
        assertUnlocked(lock);
    }

    // ---------------------------------------------------------------------------------------------
    // tryLock and timeouts

    /** The write lock's tryLock acquires an unlocked lock, and re-acquires one the caller holds. */
    @ParameterizedTest
    @MethodSource("implementations")
    void writeTryLockWhenFreeOrReentrantSucceeds(Kind kind) {
        ReentrantReadWriteLockApi lock = kind.create();
        assertTrue(lock.writeLock().tryLock());
        assertWriteLockedByMe(lock);
        assertTrue(lock.writeLock().tryLock());
        assertEquals(2, lock.getWriteHoldCount());
        lock.writeLock().unlock();
        releaseWriteLock(lock);
        assertUnlocked(lock);
    }

    /** Both tryLocks, and timed tryLocks with a zero or negative time, fail at once when another thread writes. */
    @ParameterizedTest
    @MethodSource("implementations")
    void tryLocksFailWhenWriteLockedByAnother(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        lock.writeLock().lock();
        Thread t = start("trier", () -> {
            for (Lock view : List.of(lock.readLock(), lock.writeLock())) {
                assertFalse(view.tryLock());
                assertFalse(view.tryLock(0, MILLISECONDS));
                assertFalse(view.tryLock(-1, MILLISECONDS));
                assertFalse(view.tryLock(Long.MIN_VALUE, NANOSECONDS));
            }
            assertState(lock, lock.getOwner(), 0, 0, 0);
        });
        awaitTermination(t);
        assertQueued(lock);
        releaseWriteLock(lock);
        assertUnlocked(lock);
    }

    /** The read lock's tryLock succeeds when other threads hold read locks. */
    @ParameterizedTest
    @MethodSource("implementations")
    void readTryLockSucceedsWhenReadLocked(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        lock.readLock().lock();
        Thread t = start("reader", () -> {
            assertTrue(lock.readLock().tryLock());
            assertState(lock, null, 0, 2, 1);
            lock.readLock().unlock();
            assertTrue(lock.readLock().tryLock(0, MILLISECONDS));
            lock.readLock().unlock();
            assertTrue(lock.readLock().tryLock(LONG_MS, MILLISECONDS));
            lock.readLock().unlock();
            assertEquals(0, lock.getReadHoldCount());
        });
        awaitTermination(t);
        assertState(lock, null, 0, 1, 1);
        lock.readLock().unlock();
        assertUnlocked(lock);
    }

    /** The write lock's tryLock fails when another thread holds a read lock. */
    @ParameterizedTest
    @MethodSource("implementations")
    void writeTryLockFailsWhenReadLocked(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        lock.readLock().lock();
        Thread t = start("trier", () -> {
            assertFalse(lock.writeLock().tryLock());
            assertFalse(lock.writeLock().tryLock(0, MILLISECONDS));
            assertNotWriteLocked(lock);
        });
        awaitTermination(t);
        assertState(lock, null, 0, 1, 1);
        lock.readLock().unlock();
        assertUnlocked(lock);
    }

    /** Timed tryLocks with a zero or negative time acquire a free lock, and re-acquire a held one, without waiting. */
    @ParameterizedTest
    @MethodSource("implementations")
    void timedTryLocksWithNonPositiveTimeOnlyTry(Kind kind) throws InterruptedException {
        ReentrantReadWriteLockApi lock = kind.create();
        assertTrue(lock.writeLock().tryLock(0, SECONDS));
        assertTrue(lock.writeLock().tryLock(-1, SECONDS));
        assertTrue(lock.readLock().tryLock(Long.MIN_VALUE, NANOSECONDS));
        assertState(lock, Thread.currentThread(), 2, 1, 1);
        lock.readLock().unlock();
        lock.writeLock().unlock();
        releaseWriteLock(lock);
        assertTrue(lock.readLock().tryLock(0, SECONDS));
        assertTrue(lock.readLock().tryLock(-5, MILLISECONDS));
        assertState(lock, null, 0, 2, 2);
        lock.readLock().unlock();
        lock.readLock().unlock();
        assertUnlocked(lock);
    }

    /** The write lock's timed tryLock times out (not early) on a write- or read-locked lock, and leaves the queue. */
    @ParameterizedTest
    @MethodSource("implementations")
    void writeTimedTryLockTimesOut(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        for (Lock held : List.of(lock.writeLock(), lock.readLock())) {
            held.lock();
            Thread t = start("trier", () -> {
                long start = System.nanoTime();
                assertFalse(lock.writeLock().tryLock(SHORT_MS, MILLISECONDS));
                assertTrue(elapsedNanos(start) >= MILLISECONDS.toNanos(SHORT_MS), "returned early");
                assertFalse(lock.writeLockIsHeldByCurrentThread());
            });
            awaitTermination(t);
            assertFalse(lock.hasQueuedThread(t));
            assertQueued(lock);
            held.unlock();
            assertUnlocked(lock);
        }
    }

    /** The read lock's timed tryLock times out (not early) on a write-locked lock, and leaves the queue. */
    @ParameterizedTest
    @MethodSource("implementations")
    void readTimedTryLockTimesOut(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        lock.writeLock().lock();
        Thread t = start("trier", () -> {
            long start = System.nanoTime();
            assertFalse(lock.readLock().tryLock(SHORT_MS, MILLISECONDS));
            assertTrue(elapsedNanos(start) >= MILLISECONDS.toNanos(SHORT_MS), "returned early");
            assertEquals(0, lock.getReadHoldCount());
        });
        awaitTermination(t);
        assertFalse(lock.hasQueuedThread(t));
        assertQueued(lock);
        assertTrue(lock.writeLockIsHeldByCurrentThread());
        releaseWriteLock(lock);
        assertUnlocked(lock);
    }

    /** Timed tryLocks of both views succeed when the lock is released within the waiting time. */
    @ParameterizedTest
    @MethodSource("implementations")
    void timedTryLocksSucceedWhenReleasedInTime(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        lock.writeLock().lock();
        Thread reader = start("reader", () -> {
            assertTrue(lock.readLock().tryLock(LONG_MS, MILLISECONDS));
            assertEquals(1, lock.getReadHoldCount());
            lock.readLock().unlock();
        });
        Thread writer = start("writer", () -> {
            assertTrue(lock.writeLock().tryLock(LONG_MS, MILLISECONDS));
            assertWriteLockedByMe(lock);
            releaseWriteLock(lock);
        });
        waitForQueuedThread(lock, reader);
        waitForQueuedThread(lock, writer);
        releaseWriteLock(lock);
        awaitTermination(reader);
        awaitTermination(writer);
        assertUnlocked(lock);
    }

    /**
     * Timed tryLocks of both views with Long.MAX_VALUE days or Long.MAX_VALUE - 1 nanoseconds never time out (no
     * overflow) and acquire once the lock is released.
     */
    @ParameterizedTest
    @MethodSource("implementations")
    void timedTryLocksWithHugeTimeoutsWaitUntilReleased(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        lock.writeLock().lock();
        List<Thread> ts = List.of(
                start("reader-days", () -> {
                    assertTrue(lock.readLock().tryLock(Long.MAX_VALUE, DAYS));
                    lock.readLock().unlock();
                }),
                start("reader-nanos", () -> {
                    assertTrue(lock.readLock().tryLock(Long.MAX_VALUE - 1, NANOSECONDS));
                    lock.readLock().unlock();
                }),
                start("writer-days", () -> {
                    assertTrue(lock.writeLock().tryLock(Long.MAX_VALUE, DAYS));
                    lock.writeLock().unlock();
                }),
                start("writer-nanos", () -> {
                    assertTrue(lock.writeLock().tryLock(Long.MAX_VALUE - 1, NANOSECONDS));
                    lock.writeLock().unlock();
                }));
        for (Thread t : ts) {
            waitForBlockedQueuedThread(lock, t);
        }
        assertQueued(lock, ts.toArray(new Thread[0]));
        releaseWriteLock(lock);
        for (Thread t : ts) {
            awaitTermination(t);
        }
        assertUnlocked(lock);
    }

    /** A null TimeUnit throws NullPointerException from both timed tryLocks, and acquires nothing. */
    @ParameterizedTest
    @MethodSource("implementations")
    void nullTimeUnitThrowsNPE(Kind kind) {
        ReentrantReadWriteLockApi lock = kind.create();
        assertThrows(NullPointerException.class, () -> lock.readLock().tryLock(1, null));
        assertThrows(NullPointerException.class, () -> lock.writeLock().tryLock(1, null));
        assertUnlocked(lock);
    }

    // ---------------------------------------------------------------------------------------------
    // interrupts

    /** The write lock's lockInterruptibly and timed tryLock, interrupted while waiting, throw and acquire nothing. */
    @ParameterizedTest
    @MethodSource("implementations")
    void writeLockWaitsAreInterruptible(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        lock.writeLock().lockInterruptibly();
        List<Executable> waits = List.of(
                () -> lock.writeLock().lockInterruptibly(),
                () -> lock.writeLock().tryLock(LONG_MS, MILLISECONDS));
        for (Executable wait : waits) {
            Thread t = start("waiter", () -> {
                assertThrows(InterruptedException.class, wait);
                assertFalse(Thread.currentThread().isInterrupted());
                assertState(lock, lock.getOwner(), 0, 0, 0);
            });
            waitForQueuedThread(lock, t);
            t.interrupt();
            assertWriteLockedByMe(lock);
            awaitTermination(t);
            assertQueued(lock);
        }
        releaseWriteLock(lock);
        assertUnlocked(lock);
    }

    /** The read lock's lockInterruptibly and timed tryLock, interrupted while waiting, throw and acquire nothing. */
    @ParameterizedTest
    @MethodSource("implementations")
    void readLockWaitsAreInterruptible(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        lock.readLock().lockInterruptibly(); // succeeds on a free lock
        lock.readLock().unlock();
        lock.writeLock().lockInterruptibly();
        List<Executable> waits = List.of(
                () -> lock.readLock().lockInterruptibly(),
                () -> lock.readLock().tryLock(LONG_MS, MILLISECONDS));
        for (Executable wait : waits) {
            Thread t = start("waiter", () -> {
                assertThrows(InterruptedException.class, wait);
                assertFalse(Thread.currentThread().isInterrupted());
                assertEquals(0, lock.getReadHoldCount());
            });
            waitForQueuedThread(lock, t);
            t.interrupt();
            awaitTermination(t);
            assertQueued(lock);
            assertState(lock, Thread.currentThread(), 1, 0, 0);
        }
        releaseWriteLock(lock);
        assertUnlocked(lock);
    }

    /**
     * lockInterruptibly and timed tryLock (even with a zero time) of both views, called with the interrupt status
     * set, throw InterruptedException and clear it, even when the lock is free or already held by the caller.
     */
    @ParameterizedTest
    @MethodSource("implementations")
    void interruptibleAcquisitionsThrowWhenInterruptedBefore(Kind kind) {
        ReentrantReadWriteLockApi lock = kind.create();
        for (boolean holding : new boolean[] {false, true}) {
            if (holding) {
                lock.writeLock().lock();
            }
            for (Lock view : List.of(lock.readLock(), lock.writeLock())) {
                List<Executable> acquisitions = List.of(
                        view::lockInterruptibly,
                        () -> view.tryLock(LONG_MS, MILLISECONDS),
                        () -> view.tryLock(0, MILLISECONDS));
                for (Executable acquire : acquisitions) {
                    Thread.currentThread().interrupt();
                    assertThrows(InterruptedException.class, acquire);
                    assertFalse(Thread.interrupted());
                    assertState(lock, holding ? Thread.currentThread() : null, holding ? 1 : 0, 0, 0);
                }
            }
        }
        releaseWriteLock(lock);
        assertUnlocked(lock);
    }

    /** lock() of either view by an interrupted thread acquires and keeps the interrupt status. */
    @ParameterizedTest
    @MethodSource("implementations")
    void lockKeepsInterruptStatus(Kind kind) {
        ReentrantReadWriteLockApi lock = kind.create();
        Thread.currentThread().interrupt();
        lock.readLock().lock();
        assertTrue(Thread.currentThread().isInterrupted());
        lock.readLock().unlock();
        lock.writeLock().lock();
        assertTrue(Thread.interrupted());
        releaseWriteLock(lock);
        assertUnlocked(lock);
    }

    /** lock() of either view is not ended by an interrupt while waiting: it acquires once released, status set. */
    @ParameterizedTest
    @MethodSource("implementations")
    void lockIgnoresInterruptWhileWaiting(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        lock.writeLock().lock();
        Thread reader = start("reader", () -> {
            lock.readLock().lock();
            try {
                assertTrue(Thread.interrupted());
                assertEquals(1, lock.getReadHoldCount());
            } finally {
                lock.readLock().unlock();
            }
        });
        Thread writer = start("writer", () -> {
            lock.writeLock().lock();
            try {
                assertTrue(Thread.interrupted());
                assertWriteLockedByMe(lock);
            } finally {
                lock.writeLock().unlock();
            }
        });
        waitForQueuedThread(lock, reader);
        waitForQueuedThread(lock, writer);
        reader.interrupt();
        writer.interrupt();
        assertThreadBlocks(reader);
        assertThreadBlocks(writer);
        assertQueued(lock, reader, writer);
        releaseWriteLock(lock);
        awaitTermination(reader);
        awaitTermination(writer);
        assertUnlocked(lock);
    }

    // ---------------------------------------------------------------------------------------------
    // readers and writers

    /** Several threads hold the read lock at once, by every acquisition method. */
    @ParameterizedTest
    @MethodSource("implementations")
    void multipleThreadsHoldReadLock(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        lock.readLock().lock();
        CountDownLatch allIn = new CountDownLatch(3);
        List<Executable> acquisitions = List.of(
                () -> lock.readLock().lock(),
                () -> lock.readLock().lockInterruptibly(),
                () -> assertTrue(lock.readLock().tryLock(LONG_MS, MILLISECONDS)));
        List<Thread> ts = new ArrayList<>();
        for (Executable acquire : acquisitions) {
            ts.add(start("reader", () -> {
                acquire.execute();
                try {
                    allIn.countDown();
                    await(allIn); // every reader holds the lock at this point
                    assertEquals(1, lock.getReadHoldCount());
                    assertTrue(lock.getReadLockCount() >= 2);
                    assertNotWriteLocked(lock);
                } finally {
                    lock.readLock().unlock();
                }
            }));
        }
        for (Thread t : ts) {
            awaitTermination(t);
        }
        assertState(lock, null, 0, 1, 1);
        lock.readLock().unlock();
        assertUnlocked(lock);
    }

    /** A writer waits until every reader (every read hold) has unlocked. */
    @ParameterizedTest
    @MethodSource("implementations")
    void writeLockWaitsForAllReaders(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        lock.readLock().lock();
        lock.readLock().lock();
        CountDownLatch release = new CountDownLatch(1);
        Thread reader = startHolder("reader", lock.readLock(), release);
        Thread writer = start("writer", () -> {
            assertEquals(3, lock.getReadLockCount());
            lock.writeLock().lock();
            assertState(lock, Thread.currentThread(), 1, 0, 0);
            lock.writeLock().unlock();
        });
        waitForQueuedThread(lock, writer);
        assertState(lock, null, 0, 3, 2);
        lock.readLock().unlock();
        assertState(lock, null, 0, 2, 1);
        release.countDown();
        awaitTermination(reader);
        assertState(lock, null, 0, 1, 1);
        assertTrue(writer.isAlive());
        assertQueued(lock, writer);
        lock.readLock().unlock();
        awaitTermination(writer);
        assertUnlocked(lock);
    }

    /** Readers wait until the writer unlocks, then all get in. */
    @ParameterizedTest
    @MethodSource("implementations")
    void readLocksWaitForWriter(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        lock.writeLock().lock();
        lock.writeLock().lock();
        CountDownLatch bothIn = new CountDownLatch(2);
        Thread[] readers = new Thread[2];
        for (int i = 0; i < readers.length; i++) {
            readers[i] = start("reader-" + i, () -> {
                lock.readLock().lock();
                try {
                    bothIn.countDown();
                    await(bothIn);
                    assertNotWriteLocked(lock);
                } finally {
                    lock.readLock().unlock();
                }
            });
        }
        waitForQueuedThread(lock, readers[0]);
        waitForQueuedThread(lock, readers[1]);
        lock.writeLock().unlock();
        assertQueued(lock, readers); // still held once
        releaseWriteLock(lock);
        awaitTermination(readers[0]);
        awaitTermination(readers[1]);
        assertUnlocked(lock);
    }

    /**
     * The write-lock holder may take the read lock (lock and tryLock) and the write lock again, even while readers and
     * writers are queued.
     */
    @ParameterizedTest
    @MethodSource("implementations")
    void writerReacquiresDespiteQueuedThreads(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        lock.writeLock().lock();
        assertTrue(lock.readLock().tryLock());
        lock.readLock().unlock();
        Thread reader = start("reader", () -> {
            lock.readLock().lock();
            lock.readLock().unlock();
        });
        Thread writer = start("writer", () -> {
            lock.writeLock().lock();
            lock.writeLock().unlock();
        });
        waitForQueuedThread(lock, reader);
        waitForQueuedThread(lock, writer);
        assertState(lock, Thread.currentThread(), 1, 0, 0);
        lock.readLock().lock();
        assertTrue(lock.readLock().tryLock());
        assertTrue(lock.readLock().tryLock(0, SECONDS));
        assertState(lock, Thread.currentThread(), 1, 3, 3);
        lock.writeLock().lock();
        assertTrue(lock.writeLock().tryLock());
        assertTrue(lock.writeLock().tryLock(0, SECONDS));
        assertState(lock, Thread.currentThread(), 4, 3, 3);
        for (int i = 0; i < 3; i++) {
            lock.readLock().unlock();
            lock.writeLock().unlock();
        }
        assertState(lock, Thread.currentThread(), 1, 0, 0);
        assertQueued(lock, reader, writer);
        releaseWriteLock(lock);
        awaitTermination(reader);
        awaitTermination(writer);
        assertUnlocked(lock);
    }

    /**
     * Downgrade: the writer takes the read lock, then unlocks the write lock; it then holds only the read lock, other
     * readers get in, and writers wait until it unlocks.
     */
    @ParameterizedTest
    @MethodSource("implementations")
    void writeLockDowngradesToReadLock(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        lock.writeLock().lock();
        Thread writer = start("writer", () -> {
            lock.writeLock().lock();
            assertState(lock, Thread.currentThread(), 1, 0, 0);
            lock.writeLock().unlock();
        });
        waitForQueuedThread(lock, writer);
        lock.readLock().lock();
        assertState(lock, Thread.currentThread(), 1, 1, 1);
        lock.writeLock().unlock();
        assertState(lock, null, 0, 1, 1);
        Thread reader = start("reader", () -> {
            assertTrue(lock.readLock().tryLock());
            assertState(lock, null, 0, 2, 1);
            lock.readLock().unlock();
            assertFalse(lock.writeLock().tryLock());
        });
        awaitTermination(reader);
        assertTrue(writer.isAlive());
        assertQueued(lock, writer);
        assertState(lock, null, 0, 1, 1);
        lock.readLock().unlock();
        awaitTermination(writer);
        assertUnlocked(lock);
    }

    /**
     * No upgrade: a thread holding the read lock cannot take the write lock, even as the only reader; tryLock fails,
     * a timed tryLock times out, lockInterruptibly waits until interrupted; the read hold stays.
     */
    @ParameterizedTest
    @MethodSource("implementations")
    void readLockDoesNotUpgrade(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        lock.readLock().lock();
        assertFalse(lock.writeLock().tryLock());
        assertFalse(lock.writeLock().tryLock(0, SECONDS));
        long start = System.nanoTime();
        assertFalse(lock.writeLock().tryLock(SHORT_MS, MILLISECONDS));
        assertTrue(elapsedNanos(start) >= MILLISECONDS.toNanos(SHORT_MS), "returned early");
        assertState(lock, null, 0, 1, 1);
        assertQueued(lock);
        lock.readLock().unlock();
        assertUnlocked(lock);

        Thread upgrader = start("upgrader", () -> {
            lock.readLock().lock();
            try {
                assertThrows(InterruptedException.class, () -> lock.writeLock().lockInterruptibly());
                assertState(lock, null, 0, 1, 1);
            } finally {
                lock.readLock().unlock();
            }
        });
        waitForBlockedQueuedThread(lock, upgrader);
        assertState(lock, null, 0, 1, 0);
        upgrader.interrupt();
        awaitTermination(upgrader);
        assertUnlocked(lock);
        assertQueued(lock);
    }

    /**
     * A thread asking for a first read hold (lock()) queues behind a writer already waiting for the readers, also on
     * an unfair lock; the writer gets the lock before it.
     */
    @ParameterizedTest
    @MethodSource("implementations")
    void newReaderQueuesBehindWaitingWriter(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        AtomicBoolean writerDone = new AtomicBoolean();
        lock.readLock().lock();
        Thread writer = start("writer", () -> {
            lock.writeLock().lock();
            try {
                assertEquals(0, lock.getReadLockCount());
                writerDone.set(true);
            } finally {
                lock.writeLock().unlock();
            }
        });
        waitForBlockedQueuedThread(lock, writer);
        Thread reader = start("reader", () -> {
            lock.readLock().lock();
            try {
                assertTrue(writerDone.get(), "the reader overtook the waiting writer");
                assertEquals(1, lock.getReadLockCount());
            } finally {
                lock.readLock().unlock();
            }
        });
        waitForBlockedQueuedThread(lock, reader);
        assertQueued(lock, writer, reader);
        assertState(lock, null, 0, 1, 1);
        lock.readLock().unlock();
        awaitTermination(writer);
        awaitTermination(reader);
        assertUnlocked(lock);
    }

    /**
     * A thread already holding the read lock re-acquires it (lock, lockInterruptibly, tryLock, timed tryLock) while
     * a writer waits for the readers: reentrant reads never queue behind the writer (that would deadlock).
     */
    @ParameterizedTest
    @MethodSource("implementations")
    void reentrantReadSucceedsWhileWriterWaits(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        lock.readLock().lock();
        CountDownLatch otherHolds = new CountDownLatch(1);
        CountDownLatch writerQueued = new CountDownLatch(1);
        Thread otherReader = start("other-reader", () -> {
            lock.readLock().lock();
            try {
                otherHolds.countDown();
                await(writerQueued);
                lock.readLock().lock();
                assertTrue(lock.readLock().tryLock(0, SECONDS));
                assertEquals(3, lock.getReadHoldCount());
                lock.readLock().unlock();
                lock.readLock().unlock();
            } finally {
                lock.readLock().unlock();
            }
        });
        await(otherHolds);
        Thread writer = start("writer", () -> {
            lock.writeLock().lock();
            assertState(lock, Thread.currentThread(), 1, 0, 0);
            lock.writeLock().unlock();
        });
        waitForBlockedQueuedThread(lock, writer);
        lock.readLock().lock();
        lock.readLock().lockInterruptibly();
        assertTrue(lock.readLock().tryLock());
        assertTrue(lock.readLock().tryLock(0, SECONDS));
        assertTrue(lock.readLock().tryLock(LONG_MS, MILLISECONDS));
        assertEquals(6, lock.getReadHoldCount());
        writerQueued.countDown();
        awaitTermination(otherReader);
        assertState(lock, null, 0, 6, 6);
        assertQueued(lock, writer);
        for (int i = 0; i < 6; i++) {
            lock.readLock().unlock();
        }
        awaitTermination(writer);
        assertUnlocked(lock);
    }

    /**
     * The read lock's tryLock() barges: it succeeds while the lock is read-held, even past a waiting writer and
     * readers queued behind it, fair or not; a timed tryLock, even with a zero time, does not barge.
     */
    @ParameterizedTest
    @MethodSource("implementations")
    void readTryLockBargesPastWaitingWriter(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        lock.readLock().lock();
        Thread writer = start("writer", () -> {
            lock.writeLock().lock();
            lock.writeLock().unlock();
        });
        waitForBlockedQueuedThread(lock, writer);
        Thread reader = start("queued-reader", () -> {
            lock.readLock().lock();
            lock.readLock().unlock();
        });
        waitForBlockedQueuedThread(lock, reader);
        Thread barger = start("barger", () -> {
            assertTrue(lock.readLock().tryLock());
            assertState(lock, null, 0, 2, 1);
            lock.readLock().unlock();
            assertFalse(lock.readLock().tryLock(0, SECONDS));
            assertEquals(0, lock.getReadHoldCount());
        });
        awaitTermination(barger);
        assertTrue(writer.isAlive());
        assertTrue(reader.isAlive());
        assertQueued(lock, writer, reader);
        assertState(lock, null, 0, 1, 1);
        lock.readLock().unlock();
        awaitTermination(writer);
        awaitTermination(reader);
        assertUnlocked(lock);
    }

    /**
     * A fair lock grants itself in arrival order: a writer, then two readers together, then a writer, then a reader,
     * whichever acquisition method each waits in.
     */
    @ParameterizedTest
    @MethodSource("fairImplementations")
    void fairLockGrantsInArrivalOrder(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch readersTogether = new CountDownLatch(2);
        lock.writeLock().lock();
        String[] roles = {"W1", "R1", "R2", "W2", "R3"};
        Thread[] ts = new Thread[roles.length];
        for (int i = 0; i < roles.length; i++) {
            String role = roles[i];
            boolean reads = role.startsWith("R");
            Lock view = reads ? lock.readLock() : lock.writeLock();
            int method = i % 3;
            ts[i] = start(role, () -> {
                switch (method) {
                    case 0 -> view.lock();
                    case 1 -> view.lockInterruptibly();
                    default -> assertTrue(view.tryLock(LONG_MS, MILLISECONDS));
                }
                try {
                    order.add(role);
                    if (role.equals("R1") || role.equals("R2")) {
                        readersTogether.countDown();
                        await(readersTogether); // both hold the read lock at once
                    }
                } finally {
                    view.unlock();
                }
            });
            waitForQueuedThread(lock, ts[i]);
        }
        assertQueued(lock, ts);
        releaseWriteLock(lock);
        for (Thread t : ts) {
            awaitTermination(t);
        }
        assertEquals("W1", order.get(0));
        assertEquals(Set.of("R1", "R2"), Set.copyOf(order.subList(1, 3)));
        assertEquals(List.of("W2", "R3"), order.subList(3, 5));
        assertUnlocked(lock);
    }

    /** On a fair lock, a signalled writer queues behind the threads already waiting for the lock. */
    @ParameterizedTest
    @MethodSource("fairImplementations")
    void fairLockQueuesSignalledThreadBehindEarlierWaiters(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        Condition c = lock.writeLock().newCondition();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch locked = new CountDownLatch(1);
        Thread awaiter = start("awaiter", () -> {
            lock.writeLock().lock();
            try {
                locked.countDown();
                c.await();
                order.add("awaiter");
            } finally {
                lock.writeLock().unlock();
            }
        });
        await(locked);
        lock.writeLock().lock();
        assertHasWaiters(lock, c, awaiter);
        Thread reader = start("reader", () -> {
            lock.readLock().lock();
            try {
                order.add("reader");
            } finally {
                lock.readLock().unlock();
            }
        });
        waitForQueuedThread(lock, reader);
        c.signal();
        assertQueued(lock, reader, awaiter);
        releaseWriteLock(lock);
        awaitTermination(reader);
        awaitTermination(awaiter);
        assertEquals(List.of("reader", "awaiter"), order);
    }

    // ---------------------------------------------------------------------------------------------
    // monitoring

    /**
     * Every ownership and count query reports the quiescent states right: free; read-held by this thread, by
     * another, by both; write-held by this thread (with reads), by another.
     */
    @ParameterizedTest
    @MethodSource("implementations")
    void monitoringValuesInQuiescentStates(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        Thread me = Thread.currentThread();
        assertUnlocked(lock);
        lock.readLock().lock();
        lock.readLock().lock();
        assertState(lock, null, 0, 2, 2);
        CountDownLatch release = new CountDownLatch(1);
        Thread reader = startHolder("reader", lock.readLock(), release);
        assertState(lock, null, 0, 3, 2);
        lock.readLock().unlock();
        lock.readLock().unlock();
        assertState(lock, null, 0, 1, 0);
        release.countDown();
        awaitTermination(reader);
        assertUnlocked(lock);

        lock.writeLock().lock();
        lock.writeLock().lock();
        lock.readLock().lock();
        assertState(lock, me, 2, 1, 1);
        lock.writeLock().unlock();
        assertState(lock, me, 1, 1, 1);
        lock.readLock().unlock();
        assertState(lock, me, 1, 0, 0);
        releaseWriteLock(lock);
        assertUnlocked(lock);

        CountDownLatch checked = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        Thread writer = start("writer", () -> {
            lock.writeLock().lock();
            lock.writeLock().lock();
            lock.readLock().lock();
            try {
                held.countDown();
                await(checked);
                assertState(lock, Thread.currentThread(), 2, 1, 1);
            } finally {
                lock.readLock().unlock();
                lock.writeLock().unlock();
                lock.writeLock().unlock();
            }
        });
        await(held);
        assertState(lock, writer, 0, 1, 0);
        assertQueued(lock);
        checked.countDown();
        awaitTermination(writer);
        assertUnlocked(lock);
    }

    /**
     * hasQueuedThreads, hasQueuedThread, getQueueLength and getQueuedThreads track readers and writers as they
     * block, give up (interrupted), and acquire.
     */
    @ParameterizedTest
    @MethodSource("implementations")
    void queueInspectionTracksWaiters(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        assertQueued(lock);
        lock.writeLock().lock();
        assertQueued(lock);
        Thread t1 = start("interruptible", () -> {
            assertThrows(InterruptedException.class, () -> lock.writeLock().lockInterruptibly());
        });
        waitForQueuedThread(lock, t1);
        assertQueued(lock, t1);
        Thread t2 = start("reader", () -> {
            lock.readLock().lock();
            lock.readLock().unlock();
        });
        waitForQueuedThread(lock, t2);
        assertQueued(lock, t1, t2);
        Thread t3 = start("writer", () -> {
            assertTrue(lock.writeLock().tryLock(LONG_MS, MILLISECONDS));
            lock.writeLock().unlock();
        });
        waitForQueuedThread(lock, t3);
        assertQueued(lock, t1, t2, t3);
        assertFalse(lock.hasQueuedThread(Thread.currentThread()));
        t1.interrupt();
        awaitTermination(t1);
        assertFalse(lock.hasQueuedThread(t1));
        assertQueued(lock, t2, t3);
        releaseWriteLock(lock);
        awaitTermination(t2);
        awaitTermination(t3);
        assertQueued(lock);
        assertUnlocked(lock);
    }

    /** getQueuedReaderThreads and getQueuedWriterThreads split the queued threads by what they wait for. */
    @ParameterizedTest
    @MethodSource("implementations")
    void queuedReadersAndWritersAreReportedApart(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        assertTrue(lock.getQueuedReaderThreads().isEmpty());
        assertTrue(lock.getQueuedWriterThreads().isEmpty());
        lock.writeLock().lock();
        Thread r1 = start("reader-1", () -> {
            lock.readLock().lock();
            lock.readLock().unlock();
        });
        waitForQueuedThread(lock, r1);
        Thread w1 = start("writer-1", () -> {
            lock.writeLock().lockInterruptibly();
            lock.writeLock().unlock();
        });
        waitForQueuedThread(lock, w1);
        Thread r2 = start("reader-2", () -> {
            assertTrue(lock.readLock().tryLock(LONG_MS, MILLISECONDS));
            lock.readLock().unlock();
        });
        waitForQueuedThread(lock, r2);
        assertQueued(lock, r1, w1, r2);
        assertEquals(Set.of(r1, r2), new HashSet<>(lock.getQueuedReaderThreads()));
        assertEquals(2, lock.getQueuedReaderThreads().size());
        assertEquals(List.of(w1), new ArrayList<>(lock.getQueuedWriterThreads()));
        releaseWriteLock(lock);
        awaitTermination(r1);
        awaitTermination(w1);
        awaitTermination(r2);
        assertTrue(lock.getQueuedReaderThreads().isEmpty());
        assertTrue(lock.getQueuedWriterThreads().isEmpty());
        assertQueued(lock);
    }

    /** hasQueuedThread(null) throws NullPointerException. */
    @ParameterizedTest
    @MethodSource("implementations")
    void hasQueuedThreadOfNullThrowsNPE(Kind kind) {
        ReentrantReadWriteLockApi lock = kind.create();
        assertThrows(NullPointerException.class, () -> lock.hasQueuedThread(null));
        lock.writeLock().lock();
        assertThrows(NullPointerException.class, () -> lock.hasQueuedThread(null));
        releaseWriteLock(lock);
    }

    // ---------------------------------------------------------------------------------------------
    // conditions of the write lock

    /**
     * Every await form, signal and signalAll throw IllegalMonitorStateException unless the caller holds the write
     * lock: when free, when holding only the read lock, and when another thread holds the write lock.
     */
    @ParameterizedTest
    @MethodSource("implementations")
    void conditionUseWithoutWriteLockThrowsIMSE(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        Condition c = lock.writeLock().newCondition();
        Runnable checks = () -> {
            for (AwaitMethod m : AwaitMethod.values()) {
                long start = System.nanoTime();
                assertThrows(IllegalMonitorStateException.class, () -> m.await(c), m.name());
                assertTrue(elapsedNanos(start) < MILLISECONDS.toNanos(LONG_MS));
            }
            assertThrows(IllegalMonitorStateException.class, () -> c.awaitNanos(0));
            assertThrows(IllegalMonitorStateException.class, c::signal);
            assertThrows(IllegalMonitorStateException.class, c::signalAll);
        };
        checks.run();
        assertUnlocked(lock);
        lock.readLock().lock();
        checks.run();
        assertState(lock, null, 0, 1, 1);
        lock.readLock().unlock();
        CountDownLatch release = new CountDownLatch(1);
        Thread owner = startHolder("owner", lock.writeLock(), release);
        checks.run();
        release.countDown();
        awaitTermination(owner);
        assertHasNoWaiters(lock, c);
    }

    /** Awaiting a condition of another lock's write lock, while holding only this one, throws IMSE. */
    @ParameterizedTest
    @MethodSource("implementations")
    void awaitOnConditionOfOtherLockThrowsIMSE(Kind kind) {
        ReentrantReadWriteLockApi lock = kind.create();
        Condition c = kind.create().writeLock().newCondition();
        lock.writeLock().lock();
        for (AwaitMethod m : AwaitMethod.values()) {
            assertThrows(IllegalMonitorStateException.class, () -> m.await(c), m.name());
        }
        releaseWriteLock(lock);
    }

    /** Timed waits without a signal time out no earlier than their time, holding the write lock with every hold. */
    @ParameterizedTest
    @MethodSource("implementations")
    void timedAwaitsTimeOut(Kind kind) throws InterruptedException {
        ReentrantReadWriteLockApi lock = kind.create();
        Condition c = lock.writeLock().newCondition();
        lock.writeLock().lock();
        lock.writeLock().lock();
        long timeout = MILLISECONDS.toNanos(SHORT_MS);
        long start = System.nanoTime();
        long remaining = c.awaitNanos(timeout);
        assertTrue(elapsedNanos(start) >= timeout, "awaitNanos returned early");
        assertTrue(remaining <= 0, "awaitNanos returned " + remaining);
        assertState(lock, Thread.currentThread(), 2, 0, 0);
        start = System.nanoTime();
        assertFalse(c.await(SHORT_MS, MILLISECONDS));
        assertTrue(elapsedNanos(start) >= timeout, "await returned early");
        assertState(lock, Thread.currentThread(), 2, 0, 0);
        Date deadline = new Date(System.currentTimeMillis() + SHORT_MS);
        assertFalse(c.awaitUntil(deadline));
        assertTrue(System.currentTimeMillis() >= deadline.getTime(), "awaitUntil returned before the deadline");
        assertState(lock, Thread.currentThread(), 2, 0, 0);
        assertTrue(c.awaitNanos(0) <= 0);
        assertFalse(c.await(-1, SECONDS));
        assertFalse(c.awaitUntil(new Date(0)));
        assertHasNoWaiters(lock, c);
        lock.writeLock().unlock();
        releaseWriteLock(lock);
    }

    /** Each await form returns when signalled, re-holding the write lock once the signaller unlocks. */
    @ParameterizedTest
    @MethodSource("implementationsAndAwaitMethods")
    void awaitReturnsWhenSignalled(Kind kind, AwaitMethod method) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        Condition c = lock.writeLock().newCondition();
        CountDownLatch locked = new CountDownLatch(1);
        Thread t = start("awaiter", () -> {
            lock.writeLock().lock();
            try {
                locked.countDown();
                method.await(c);
                assertState(lock, Thread.currentThread(), 1, 0, 0);
            } finally {
                lock.writeLock().unlock();
            }
        });
        await(locked);
        lock.writeLock().lock(); // t waits on c: it held the lock until await released it
        assertHasWaiters(lock, c, t);
        assertFalse(lock.hasQueuedThread(t)); // condition waiters do not wait for the lock
        c.signal();
        assertHasNoWaiters(lock, c);
        assertQueued(lock, t);
        assertEquals(List.of(t), new ArrayList<>(lock.getQueuedWriterThreads()));
        assertTrue(t.isAlive());
        releaseWriteLock(lock);
        awaitTermination(t);
        assertUnlocked(lock);
    }

    /** signalAll wakes every waiter, whatever await form it uses. */
    @ParameterizedTest
    @MethodSource("implementationsAndAwaitMethods")
    void signalAllWakesAllWaiters(Kind kind, AwaitMethod method) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        Condition c = lock.writeLock().newCondition();
        CountDownLatch locked = new CountDownLatch(2);
        Thread[] ts = new Thread[2];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = start("awaiter-" + i, () -> {
                lock.writeLock().lock();
                try {
                    locked.countDown();
                    method.await(c);
                    assertWriteLockedByMe(lock);
                } finally {
                    lock.writeLock().unlock();
                }
            });
        }
        await(locked);
        lock.writeLock().lock();
        assertHasWaiters(lock, c, ts);
        c.signalAll();
        assertHasNoWaiters(lock, c);
        assertQueued(lock, ts);
        releaseWriteLock(lock);
        for (Thread t : ts) {
            awaitTermination(t);
        }
        assertUnlocked(lock);
    }

    /** signal wakes waiters in the order they began waiting. */
    @ParameterizedTest
    @MethodSource("implementations")
    void signalWakesInFifoOrder(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        Condition c = lock.writeLock().newCondition();
        Thread[] ts = new Thread[2];
        for (int i = 0; i < ts.length; i++) {
            CountDownLatch locked = new CountDownLatch(1);
            ts[i] = start("awaiter-" + i, () -> {
                lock.writeLock().lock();
                try {
                    locked.countDown();
                    c.await();
                } finally {
                    lock.writeLock().unlock();
                }
            });
            await(locked);
            assertHasWaiters(lock, c, Arrays.copyOf(ts, i + 1)); // i.e. ts[i] now waits
        }
        lock.writeLock().lock();
        assertHasWaiters(lock, c, ts);
        assertQueued(lock);
        c.signal();
        assertHasWaiters(lock, c, ts[1]);
        assertQueued(lock, ts[0]);
        c.signal();
        assertHasNoWaiters(lock, c);
        assertQueued(lock, ts);
        releaseWriteLock(lock);
        awaitTermination(ts[0]);
        awaitTermination(ts[1]);
    }

    /** Awaiting releases every write hold, letting another thread in, and restores the hold count on return. */
    @ParameterizedTest
    @MethodSource("implementationsAndAwaitMethods")
    void awaitRestoresWriteHoldCount(Kind kind, AwaitMethod method) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        Condition c = lock.writeLock().newCondition();
        CountDownLatch locked = new CountDownLatch(1);
        Thread t = start("awaiter", () -> {
            lock.writeLock().lock();
            lock.writeLock().lock();
            lock.writeLock().lock();
            try {
                locked.countDown();
                method.await(c);
                assertState(lock, Thread.currentThread(), 3, 0, 0);
            } finally {
                lock.writeLock().unlock();
                lock.writeLock().unlock();
                lock.writeLock().unlock();
            }
            assertNotWriteLocked(lock);
        });
        await(locked);
        assertTrue(lock.readLock().tryLock(LONG_MS, MILLISECONDS)); // the wait released every write hold
        assertState(lock, null, 0, 1, 1);
        lock.readLock().unlock();
        lock.writeLock().lock();
        assertState(lock, Thread.currentThread(), 1, 0, 0);
        assertHasWaiters(lock, c, t);
        c.signal();
        releaseWriteLock(lock);
        awaitTermination(t);
        assertUnlocked(lock);
    }

    /** awaitUninterruptibly is not ended by interrupts, before or during the wait, and returns with the status set. */
    @ParameterizedTest
    @MethodSource("implementations")
    void awaitUninterruptiblyIgnoresInterrupts(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        Condition c = lock.writeLock().newCondition();
        CountDownLatch locked = new CountDownLatch(2);
        Thread before = start("interrupted-before", () -> {
            lock.writeLock().lock();
            try {
                locked.countDown();
                Thread.currentThread().interrupt();
                c.awaitUninterruptibly();
                assertTrue(Thread.interrupted());
                assertWriteLockedByMe(lock);
            } finally {
                lock.writeLock().unlock();
            }
        });
        Thread during = start("interrupted-during", () -> {
            lock.writeLock().lock();
            try {
                locked.countDown();
                c.awaitUninterruptibly();
                assertTrue(Thread.interrupted());
                assertWriteLockedByMe(lock);
            } finally {
                lock.writeLock().unlock();
            }
        });
        await(locked);
        assertHasWaiters(lock, c, before, during);
        during.interrupt();
        assertThreadBlocks(before);
        assertThreadBlocks(during);
        lock.writeLock().lock();
        assertHasWaiters(lock, c, before, during);
        c.signalAll();
        releaseWriteLock(lock);
        awaitTermination(before);
        awaitTermination(during);
        assertUnlocked(lock);
    }

    /**
     * An await form interrupted while waiting throws InterruptedException only after re-acquiring every write hold,
     * with the status cleared.
     */
    @ParameterizedTest
    @MethodSource("implementationsAndInterruptibleAwaitMethods")
    void awaitInterruptedThrowsAndReacquires(Kind kind, AwaitMethod method) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        Condition c = lock.writeLock().newCondition();
        CountDownLatch locked = new CountDownLatch(1);
        Thread t = start("awaiter", () -> {
            lock.writeLock().lock();
            lock.writeLock().lock();
            try {
                locked.countDown();
                assertThrows(InterruptedException.class, () -> method.await(c));
                assertState(lock, Thread.currentThread(), 2, 0, 0);
                assertFalse(Thread.currentThread().isInterrupted());
                assertHasNoWaiters(lock, c);
            } finally {
                lock.writeLock().unlock();
                lock.writeLock().unlock();
            }
        });
        await(locked);
        lock.writeLock().lock();
        assertHasWaiters(lock, c, t);
        t.interrupt();
        waitForQueuedThread(lock, t); // it must re-acquire the write lock before throwing
        assertTrue(t.isAlive());
        assertHasNoWaiters(lock, c);
        releaseWriteLock(lock);
        awaitTermination(t);
        assertUnlocked(lock);
    }

    /** An await form entered with the interrupt status set throws InterruptedException at once, still holding. */
    @ParameterizedTest
    @MethodSource("implementationsAndInterruptibleAwaitMethods")
    void awaitInterruptedBeforeThrows(Kind kind, AwaitMethod method) {
        ReentrantReadWriteLockApi lock = kind.create();
        Condition c = lock.writeLock().newCondition();
        lock.writeLock().lock();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> method.await(c));
        assertFalse(Thread.interrupted());
        assertHasNoWaiters(lock, c);
        releaseWriteLock(lock);
    }

    /** A null TimeUnit or Date throws NullPointerException from the timed await forms. */
    @ParameterizedTest
    @MethodSource("implementations")
    void nullAwaitTimeArgumentsThrowNPE(Kind kind) {
        ReentrantReadWriteLockApi lock = kind.create();
        Condition c = lock.writeLock().newCondition();
        lock.writeLock().lock();
        assertThrows(NullPointerException.class, () -> c.await(1, null));
        assertThrows(NullPointerException.class, () -> c.awaitUntil(null));
        assertHasNoWaiters(lock, c);
        releaseWriteLock(lock);
    }

    /** hasWaiters, getWaitQueueLength and getWaitingThreads throw NullPointerException for a null condition. */
    @ParameterizedTest
    @MethodSource("implementations")
    void conditionMonitoringRejectsNull(Kind kind) {
        ReentrantReadWriteLockApi lock = kind.create();
        for (int round = 0; round < 2; round++) {
            assertThrows(NullPointerException.class, () -> lock.hasWaiters(null));
            assertThrows(NullPointerException.class, () -> lock.getWaitQueueLength(null));
            assertThrows(NullPointerException.class, () -> lock.getWaitingThreads(null));
            lock.writeLock().lock();
        }
        lock.writeLock().unlock();
        releaseWriteLock(lock);
    }

    /**
     * hasWaiters, getWaitQueueLength and getWaitingThreads throw IllegalArgumentException for a condition not of this
     * lock, whether or not the caller holds the write lock (the argument check comes first).
     */
    @ParameterizedTest
    @MethodSource("implementations")
    void conditionMonitoringRejectsForeignCondition(Kind kind) {
        ReentrantReadWriteLockApi lock = kind.create();
        List<Condition> foreign = List.of(kind.create().writeLock().newCondition(), new StubCondition());
        for (int round = 0; round < 2; round++) {
            for (Condition c : foreign) {
                assertThrows(IllegalArgumentException.class, () -> lock.hasWaiters(c));
                assertThrows(IllegalArgumentException.class, () -> lock.getWaitQueueLength(c));
                assertThrows(IllegalArgumentException.class, () -> lock.getWaitingThreads(c));
            }
            lock.writeLock().lock();
        }
        lock.writeLock().unlock();
        releaseWriteLock(lock);
    }

    /**
     * hasWaiters, getWaitQueueLength and getWaitingThreads throw IllegalMonitorStateException unless the caller holds
     * the write lock: when free, when holding only the read lock, when another thread writes.
     */
    @ParameterizedTest
    @MethodSource("implementations")
    void conditionMonitoringRequiresWriteLock(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        Condition c = lock.writeLock().newCondition();
        Runnable checks = () -> {
            assertThrows(IllegalMonitorStateException.class, () -> lock.hasWaiters(c));
            assertThrows(IllegalMonitorStateException.class, () -> lock.getWaitQueueLength(c));
            assertThrows(IllegalMonitorStateException.class, () -> lock.getWaitingThreads(c));
        };
        checks.run();
        lock.readLock().lock();
        checks.run();
        lock.readLock().unlock();
        CountDownLatch release = new CountDownLatch(1);
        Thread owner = startHolder("owner", lock.writeLock(), release);
        checks.run();
        release.countDown();
        awaitTermination(owner);
        assertUnlocked(lock);
    }

    /** hasWaiters, getWaitQueueLength and getWaitingThreads report exactly the waiting threads, none after signal. */
    @ParameterizedTest
    @MethodSource("implementations")
    void conditionMonitoringTracksWaiters(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        Condition c = lock.writeLock().newCondition();
        Condition other = lock.writeLock().newCondition();
        assertHasNoWaiters(lock, c);
        CountDownLatch locked1 = new CountDownLatch(1);
        Thread t1 = start("awaiter-1", () -> {
            lock.writeLock().lock();
            try {
                assertFalse(lock.hasWaiters(c));
                assertEquals(0, lock.getWaitQueueLength(c));
                assertTrue(lock.getWaitingThreads(c).isEmpty());
                locked1.countDown();
                c.await();
                assertHasNoWaiters(lock, c);
            } finally {
                lock.writeLock().unlock();
            }
        });
        await(locked1);
        assertHasWaiters(lock, c, t1);
        CountDownLatch locked2 = new CountDownLatch(1);
        Thread t2 = start("awaiter-2", () -> {
            lock.writeLock().lock();
            try {
                assertTrue(lock.hasWaiters(c));
                assertEquals(1, lock.getWaitQueueLength(c));
                assertEquals(List.of(t1), new ArrayList<>(lock.getWaitingThreads(c)));
                locked2.countDown();
                c.await();
            } finally {
                lock.writeLock().unlock();
            }
        });
        await(locked2);
        lock.writeLock().lock();
        assertHasWaiters(lock, c, t1, t2);
        assertHasNoWaiters(lock, other);
        c.signal();
        assertHasWaiters(lock, c, t2);
        c.signalAll();
        assertHasNoWaiters(lock, c);
        releaseWriteLock(lock);
        awaitTermination(t1);
        awaitTermination(t2);
        assertHasNoWaiters(lock, c);
    }

    // ---------------------------------------------------------------------------------------------
    // under contention, virtual threads

    /**
     * Every acquisition method of both views, under contention with timeouts, interrupts and downgrades, keeps
     * writers exclusive and readers apart from writers; an unsynchronized counter counts every write.
     */
    @ParameterizedTest
    @MethodSource("implementations")
    void readersAndWritersExcludeUnderMixedAcquisition(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        int workers = 4;
        int iterations = 2_000;
        int[] counter = {0};
        long[] writes = new long[workers];
        AtomicInteger readersInside = new AtomicInteger();
        AtomicInteger writersInside = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread[] ts = new Thread[workers];
        for (int w = 0; w < workers; w++) {
            int id = w;
            ts[w] = start("worker-" + w, () -> {
                for (int i = 0; i < iterations; i++) {
                    boolean write = (i + id) % 3 == 0;
                    Lock view = write ? lock.writeLock() : lock.readLock();
                    boolean got;
                    try {
                        switch ((i / 3 + id) % 4) {
                            case 0 -> { view.lock(); got = true; }
                            case 1 -> got = view.tryLock();
                            case 2 -> got = view.tryLock(10_000L * (i % 8), NANOSECONDS);
                            default -> { view.lockInterruptibly(); got = true; }
                        }
                    } catch (InterruptedException e) {
                        got = false;
                    }
                    if (!got) {
                        continue;
                    }
                    if (write) {
                        assertEquals(1, writersInside.incrementAndGet());
                        assertEquals(0, readersInside.get());
                        assertSame(Thread.currentThread(), lock.getOwner());
                        counter[0]++;
                        writes[id]++;
                        if (i % 2 == 0) { // downgrade
                            lock.readLock().lock();
                            readersInside.incrementAndGet();
                            writersInside.decrementAndGet();
                            lock.writeLock().unlock();
                            assertEquals(0, writersInside.get());
                            assertFalse(lock.isWriteLocked());
                            readersInside.decrementAndGet();
                            lock.readLock().unlock();
                        } else {
                            writersInside.decrementAndGet();
                            lock.writeLock().unlock();
                        }
                    } else {
                        readersInside.incrementAndGet();
                        assertEquals(0, writersInside.get());
                        assertEquals(1, lock.getReadHoldCount());
                        readersInside.decrementAndGet();
                        lock.readLock().unlock();
                    }
                }
                Thread.interrupted();
                assertEquals(0, lock.getReadHoldCount());
                assertFalse(lock.isWriteLockedByCurrentThread());
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
        lock.writeLock().lock(); // happens-after every worker's last unlock
        long total = 0;
        for (long w : writes) {
            total += w;
        }
        assertEquals(total, counter[0]);
        assertEquals(0, readersInside.get());
        assertEquals(0, writersInside.get());
        assertQueued(lock);
        releaseWriteLock(lock);
        assertUnlocked(lock);
    }

    /** Virtual threads wait for the lock (read and write, plain, interruptible, timed) like platform threads. */
    @ParameterizedTest
    @MethodSource("implementations")
    void virtualThreadsReadAndWrite(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        lock.writeLock().lock();
        CountDownLatch readersTogether = new CountDownLatch(2);
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            readers.add(startVirtual("virtual-reader-" + i, () -> {
                lock.readLock().lock();
                try {
                    readersTogether.countDown();
                    await(readersTogether);
                    assertEquals(1, lock.getReadHoldCount());
                } finally {
                    lock.readLock().unlock();
                }
            }));
            // queued one by one ahead of the writer: else a reader behind the writer never meets the other
            waitForQueuedThread(lock, readers.get(i));
        }
        Thread writer = startVirtual("virtual-writer", () -> {
            assertTrue(lock.writeLock().tryLock(LONG_MS, MILLISECONDS));
            try {
                assertState(lock, Thread.currentThread(), 1, 0, 0);
            } finally {
                lock.writeLock().unlock();
            }
        });
        Thread interrupted = startVirtual("virtual-interruptible", () -> {
            assertThrows(InterruptedException.class, () -> lock.readLock().lockInterruptibly());
            assertEquals(0, lock.getReadHoldCount());
        });
        Thread timedOut = startVirtual("virtual-timed", () -> {
            assertFalse(lock.writeLock().tryLock(SHORT_MS, MILLISECONDS));
        });
        waitForQueuedThread(lock, writer);
        waitForQueuedThread(lock, interrupted);
        interrupted.interrupt();
        awaitTermination(interrupted);
        awaitTermination(timedOut);
        assertQueued(lock, readers.get(0), readers.get(1), writer);
        releaseWriteLock(lock);
        for (Thread t : readers) {
            awaitTermination(t);
        }
        awaitTermination(writer);
        assertUnlocked(lock);
    }

    // ---------------------------------------------------------------------------------------------
    // serialization and toString

    /**
     * A lock serialized while this thread holds the write lock (twice) and the read lock deserializes unlocked, with
     * the same fairness, independent of the original; it serializes unlocked when unlocked.
     */
    @ParameterizedTest
    @MethodSource("implementations")
    void deserializedLockIsUnlockedWithSameFairness(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        lock.writeLock().lock();
        lock.writeLock().lock();
        lock.readLock().lock();
        ReentrantReadWriteLockApi clone = lock.serialClone();
        assertNotSame(lock.unwrap(), clone.unwrap());
        assertEquals(kind.fair, clone.isFair());
        assertUnlocked(clone);
        assertQueued(clone);
        clone.writeLock().lock();
        clone.readLock().lock();
        clone.readLock().lock();
        assertState(clone, Thread.currentThread(), 1, 2, 2);
        assertState(lock, Thread.currentThread(), 2, 1, 1);
        clone.readLock().unlock();
        clone.readLock().unlock();
        releaseWriteLock(clone);
        assertUnlocked(clone);
        assertState(lock, Thread.currentThread(), 2, 1, 1);
        lock.readLock().unlock();
        lock.writeLock().unlock();
        releaseWriteLock(lock);
        ReentrantReadWriteLockApi unlockedClone = lock.serialClone();
        assertEquals(kind.fair, unlockedClone.isFair());
        assertUnlocked(unlockedClone);
    }

    /**
     * A lock serialized while another thread reads and a writer waits deserializes with no holder and no queue; its
     * write lock and a new condition of it work.
     */
    @ParameterizedTest
    @MethodSource("implementations")
    void deserializedContendedLockHasNoHoldersOrQueue(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        CountDownLatch release = new CountDownLatch(1);
        Thread reader = startHolder("reader", lock.readLock(), release);
        Thread writer = start("writer", () -> {
            lock.writeLock().lock();
            lock.writeLock().unlock();
        });
        waitForQueuedThread(lock, writer);
        ReentrantReadWriteLockApi clone = lock.serialClone();
        release.countDown();
        assertUnlocked(clone);
        assertQueued(clone);
        assertTrue(clone.writeLock().tryLock());
        Condition c = clone.writeLock().newCondition();
        assertTrue(c.awaitNanos(MILLISECONDS.toNanos(1)) <= 0);
        assertHasNoWaiters(clone, c);
        releaseWriteLock(clone);
        awaitTermination(reader);
        awaitTermination(writer);
        assertUnlocked(lock);
        assertUnlocked(clone);
    }

    /** toString is the identity string followed by [Write locks = w, Read locks = r], counting every hold. */
    @ParameterizedTest
    @MethodSource("implementations")
    void toStringReportsHoldCounts(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        String identity = identity(lock.unwrap());
        assertEquals(identity + "[Write locks = 0, Read locks = 0]", lock.toString());
        lock.writeLock().lock();
        assertEquals(identity + "[Write locks = 1, Read locks = 0]", lock.toString());
        lock.writeLock().lock();
        lock.readLock().lock();
        assertEquals(identity + "[Write locks = 2, Read locks = 1]", lock.toString());
        lock.readLock().unlock();
        lock.writeLock().unlock();
        releaseWriteLock(lock);
        lock.readLock().lock();
        lock.readLock().lock();
        CountDownLatch release = new CountDownLatch(1);
        Thread reader = startHolder("reader", lock.readLock(), release);
        assertEquals(identity + "[Write locks = 0, Read locks = 3]", lock.toString());
        release.countDown();
        awaitTermination(reader);
        lock.readLock().unlock();
        lock.readLock().unlock();
        assertEquals(identity + "[Write locks = 0, Read locks = 0]", lock.toString());
    }

    /**
     * The read lock's toString is its identity string followed by [Read locks = r] (all threads' holds); the write
     * lock's is its identity string followed by [Unlocked] or [Locked by thread name].
     */
    @ParameterizedTest
    @MethodSource("implementations")
    void viewToStringsReportState(Kind kind) throws Exception {
        ReentrantReadWriteLockApi lock = kind.create();
        Lock read = lock.readLock();
        Lock write = lock.writeLock();
        assertEquals(identity(read) + "[Read locks = 0]", read.toString());
        assertEquals(identity(write) + "[Unlocked]", write.toString());
        read.lock();
        read.lock();
        assertEquals(identity(read) + "[Read locks = 2]", read.toString());
        CountDownLatch release = new CountDownLatch(1);
        Thread reader = startHolder("reader", lock.readLock(), release);
        assertEquals(identity(read) + "[Read locks = 3]", read.toString());
        assertEquals(identity(write) + "[Unlocked]", write.toString());
        release.countDown();
        awaitTermination(reader);
        read.unlock();
        read.unlock();
        assertEquals(identity(read) + "[Read locks = 0]", read.toString());

        write.lock();
        assertEquals(identity(write) + "[Locked by thread " + Thread.currentThread().getName() + "]", write.toString());
        assertEquals(identity(read) + "[Read locks = 0]", read.toString());
        releaseWriteLock(lock);
        assertEquals(identity(write) + "[Unlocked]", write.toString());
        CountDownLatch releaseWriter = new CountDownLatch(1);
        Thread writer = startHolder("toString-writer", lock.writeLock(), releaseWriter);
        assertEquals(identity(write) + "[Locked by thread toString-writer]", write.toString());
        assertEquals(identity(write) + "[Locked by thread toString-writer]", lock.writeLock().toString());
        releaseWriter.countDown();
        awaitTermination(writer);
        assertEquals(identity(write) + "[Unlocked]", write.toString());
    }
}
