package org.parkinglot.locks;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.GraphLayout;

/**
 * What {@link ReentrantMutex} promises beyond the {@code ReentrantLock} behaviour that
 * {@link ReentrantLockCompatibilityTest} checks: the hold-count limit, state left untouched by a
 * rejected unlock, conditions used by virtual threads, and its footprint (measured with JOL, which on
 * JDK 25 needs {@code -Djol.magicFieldOffset=true}: see the surefire {@code argLine} in
 * {@code locks/pom.xml}).
 */
@Timeout(value = 60, unit = SECONDS)
class ReentrantMutexTest {

    /** A timeout no test expects to elapse. */
    static final long LONG_MS = 10_000;

    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

    /** Starts a platform (daemon) or virtual thread running {@code body}; whatever it throws fails the test. */
    Thread start(boolean virtual, String name, Executable body) {
        Runnable r = () -> {
            try {
                body.execute();
            } catch (Throwable e) {
                failures.add(e);
            }
        };
        Thread t = virtual ? Thread.ofVirtual().name(name).unstarted(r) : Thread.ofPlatform().name(name).daemon().unstarted(r);
        threads.add(t);
        t.start();
        return t;
    }

    static void awaitTermination(Thread t) throws InterruptedException {
        assertTrue(t.join(java.time.Duration.ofMillis(LONG_MS)), () -> t.getName() + " did not terminate");
    }

    /** Interrupts and joins every thread the test started; reports what they threw. */
    @AfterEach
    void cleanUp() throws Throwable {
        for (Thread t : threads) {
            if (t.isAlive()) {
                t.interrupt();
            }
        }
        long deadline = System.nanoTime() + MILLISECONDS.toNanos(LONG_MS);
        for (Thread t : threads) {
            t.join(Math.max(1L, MILLISECONDS.convert(deadline - System.nanoTime(), java.util.concurrent.TimeUnit.NANOSECONDS)));
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

    static void waitUntil(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + MILLISECONDS.toNanos(LONG_MS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting until " + what);
            }
            LockSupport.parkNanos(100_000L);
        }
    }

    static void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(LONG_MS, MILLISECONDS), "latch not released");
    }

    /**
     * Sets the private hold count of a mutex the current thread owns. Reaching the limit honestly takes
     * Integer.MAX_VALUE - 1 re-entries (several seconds to minutes, and as many unlocks to leave), so
     * the tests jump close to it and cross it with real lock calls.
     */
    static void setHolds(ReentrantMutex m, int holds) throws ReflectiveOperationException {
        Field f = ReentrantMutex.class.getDeclaredField("holds");
        f.setAccessible(true);
        f.setInt(m, holds);
    }

    // ---------------------------------------------------------------------------------------------
    // hold-count limit

    /**
     * Re-entering a mutex held Integer.MAX_VALUE times throws Error("Maximum lock count exceeded") from
     * every acquisition method, leaving owner, hold count and state word unchanged.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void holdCountOverflowThrowsErrorAndKeepsState(boolean fair) throws Exception {
        ReentrantMutex m = new ReentrantMutex(fair);
        m.lock();
        setHolds(m, Integer.MAX_VALUE - 1);
        m.lock(); // the last hold that fits
        assertEquals(Integer.MAX_VALUE, m.getHoldCount());
        int state = m.state;
        List<Executable> acquisitions = List.of(
                m::lock,
                m::tryLock,
                () -> m.tryLock(1, SECONDS),
                () -> m.tryLock(0, SECONDS),
                m::lockInterruptibly);
        for (Executable acquire : acquisitions) {
            Error e = assertThrows(Error.class, acquire);
            assertEquals("Maximum lock count exceeded", e.getMessage());
            assertEquals(Integer.MAX_VALUE, m.getHoldCount());
            assertSame(Thread.currentThread(), m.getOwner());
            assertTrue(m.isLocked());
            assertEquals(state, m.state);
        }
        m.unlock();
        assertEquals(Integer.MAX_VALUE - 1, m.getHoldCount());
        assertTrue(m.tryLock()); // room for one again
        assertEquals(Integer.MAX_VALUE, m.getHoldCount());
        setHolds(m, 1);
        m.unlock();
        assertFalse(m.isLocked());
        assertNull(m.getOwner());
        assertEquals(fair ? ReentrantMutex.FAIR : 0, m.state);
    }

    /** A condition wait releases and restores a hold count of Integer.MAX_VALUE. */
    @Test
    void awaitRestoresMaximalHoldCount() throws Exception {
        ReentrantMutex m = new ReentrantMutex();
        Condition c = m.newCondition();
        m.lock();
        setHolds(m, Integer.MAX_VALUE);
        Thread other = start(false, "other", () -> {
            m.lock(); // possible only while the wait has released every hold
            try {
                c.signal();
            } finally {
                m.unlock();
            }
        });
        c.await();
        assertEquals(Integer.MAX_VALUE, m.getHoldCount());
        assertSame(Thread.currentThread(), m.getOwner());
        awaitTermination(other);
        setHolds(m, 1);
        m.unlock();
        assertFalse(m.isLocked());
    }

    // ---------------------------------------------------------------------------------------------
    // rejected unlocks

    /** Unlocking an unlocked mutex throws IllegalMonitorStateException and leaves the state word as it was. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void unlockOfUnlockedMutexLeavesStateUnchanged(boolean fair) {
        ReentrantMutex m = new ReentrantMutex(fair);
        int state = m.state;
        assertThrows(IllegalMonitorStateException.class, m::unlock);
        assertEquals(state, m.state);
        assertNull(m.getOwner());
        assertFalse(m.isLocked());
        m.lock();
        m.unlock();
        assertThrows(IllegalMonitorStateException.class, m::unlock);
        assertEquals(state, m.state);
        assertEquals(fair, m.isFair());
    }

    /**
     * Unlock by a thread that does not own the mutex throws IllegalMonitorStateException and changes
     * nothing: the state word, the owner, its hold count, and the queued waiter (not woken, not handed
     * the lock) stay as they were.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void unlockByNonOwnerLeavesStateUnchanged(boolean fair) throws Exception {
        ReentrantMutex m = new ReentrantMutex(fair);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        Thread owner = start(false, "owner", () -> {
            m.lock();
            m.lock();
            m.lock();
            held.countDown();
            await(checked);
            assertEquals(3, m.getHoldCount());
            m.unlock();
            m.unlock();
            m.unlock();
        });
        await(held);
        Thread waiter = start(false, "waiter", () -> {
            m.lock();
            m.unlock();
        });
        waitUntil("the waiter is queued", () -> m.hasQueuedThread(waiter));
        int state = m.state;
        assertEquals(MutexAlgorithm.LOCKED | MutexAlgorithm.PARKED, state & MutexAlgorithm.MUTEX_BITS);
        for (int i = 0; i < 3; i++) {
            assertThrows(IllegalMonitorStateException.class, m::unlock);
            assertEquals(state, m.state);
            assertSame(owner, m.getOwner());
            assertTrue(m.hasQueuedThread(waiter));
            assertEquals(1, m.getQueueLength());
        }
        assertEquals(0, m.getHoldCount());
        checked.countDown();
        awaitTermination(owner);
        awaitTermination(waiter);
        assertFalse(m.isLocked());
        assertEquals(fair ? ReentrantMutex.FAIR : 0, m.state);
    }

    // ---------------------------------------------------------------------------------------------
    // virtual threads

    /** Hundreds of virtual threads wait on one condition; signalAll wakes every one, each re-holding the mutex in turn. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void signalAllWakesManyVirtualThreads(boolean fair) throws Exception {
        ReentrantMutex m = new ReentrantMutex(fair);
        Condition c = m.newCondition();
        int n = 500;
        boolean[] go = {false};
        int[] woken = {0};
        List<Thread> vs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            vs.add(start(true, "v-" + i, () -> {
                m.lock();
                try {
                    while (!go[0]) {
                        c.await();
                    }
                    assertSame(Thread.currentThread(), m.getOwner());
                    woken[0]++;
                } finally {
                    m.unlock();
                }
            }));
        }
        waitUntil("every virtual thread waits", () -> {
            m.lock();
            try {
                return m.getWaitQueueLength(c) == n;
            } finally {
                m.unlock();
            }
        });
        m.lock();
        try {
            assertEquals(new HashSet<>(vs), new HashSet<>(m.getWaitingThreads(c)));
            go[0] = true;
            c.signalAll();
            assertFalse(m.hasWaiters(c));
            assertEquals(n, m.getQueueLength());
        } finally {
            m.unlock();
        }
        for (Thread v : vs) {
            awaitTermination(v);
        }
        m.lock();
        try {
            assertEquals(n, woken[0]);
        } finally {
            m.unlock();
        }
        assertFalse(m.hasQueuedThreads());
    }

    /** Virtual threads hand items through a one-slot buffer guarded by a mutex and two conditions, losing none. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void virtualThreadsPassItemsThroughConditions(boolean fair) throws Exception {
        ReentrantMutex m = new ReentrantMutex(fair);
        Condition notFull = m.newCondition();
        Condition notEmpty = m.newCondition();
        int producers = 50;
        int perProducer = 100;
        int[] slot = {0}; // 0: empty
        long[] sum = {0};
        List<Thread> vs = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            vs.add(start(true, "producer-" + p, () -> {
                for (int i = 1; i <= perProducer; i++) {
                    m.lock();
                    try {
                        while (slot[0] != 0) {
                            notFull.await();
                        }
                        slot[0] = i;
                        notEmpty.signal();
                    } finally {
                        m.unlock();
                    }
                }
            }));
        }
        Thread consumer = start(true, "consumer", () -> {
            for (int i = 0; i < producers * perProducer; i++) {
                m.lock();
                try {
                    while (slot[0] == 0) {
                        notEmpty.await();
                    }
                    sum[0] += slot[0];
                    slot[0] = 0;
                    notFull.signal();
                } finally {
                    m.unlock();
                }
            }
        });
        for (Thread v : vs) {
            awaitTermination(v);
        }
        awaitTermination(consumer);
        m.lock();
        try {
            assertEquals((long) producers * perProducer * (perProducer + 1) / 2, sum[0]);
            assertFalse(m.hasWaiters(notFull));
            assertFalse(m.hasWaiters(notEmpty));
        } finally {
            m.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // footprint

    /** A ReentrantMutex instance takes at most 24 bytes, fair or not, before and after contention (it keeps no queue nodes). */
    @Test
    void footprintIsAtMost24Bytes() throws Exception {
        assertTrue(ClassLayout.parseClass(ReentrantMutex.class).instanceSize() <= 24,
                () -> ClassLayout.parseClass(ReentrantMutex.class).toPrintable());
        // the measure is deep: a contended ReentrantLock keeps its queue's head node
        ReentrantLock jdk = new ReentrantLock();
        contend(jdk::lock, jdk::unlock, () -> jdk.hasQueuedThreads());
        assertTrue(GraphLayout.parseInstance(jdk).totalSize() > 24);
        for (boolean fair : new boolean[] {false, true}) {
            ReentrantMutex m = new ReentrantMutex(fair);
            assertTrue(GraphLayout.parseInstance(m).totalSize() <= 24, () -> GraphLayout.parseInstance(m).toFootprint());
            contend(m::lock, m::unlock, m::hasQueuedThreads);
            assertFalse(m.isLocked());
            assertTrue(GraphLayout.parseInstance(m).totalSize() <= 24, () -> GraphLayout.parseInstance(m).toFootprint());
        }
    }

    /** A Condvar instance takes at most 16 bytes, as its javadoc says. */
    @Test
    void condvarFootprintIsAtMost16Bytes() {
        assertTrue(ClassLayout.parseClass(Condvar.class).instanceSize() <= 16,
                () -> ClassLayout.parseClass(Condvar.class).toPrintable());
        assertTrue(GraphLayout.parseInstance(new Condvar()).totalSize() <= 16);
    }

    /** Holds a lock while another thread queues on it, then lets that thread through. */
    private void contend(Runnable lock, Runnable unlock, BooleanSupplier queued) throws Exception {
        lock.run();
        Thread t = start(false, "contender", () -> {
            lock.run();
            unlock.run();
        });
        try {
            waitUntil("the contender is queued", queued);
        } finally {
            unlock.run();
        }
        awaitTermination(t);
    }
}
