package org.parkinglot.locks;

import static java.util.concurrent.TimeUnit.DAYS;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jol.info.GraphLayout;

/**
 * The contract of {@link ReentrantRwLock}: ReentrantReadWriteLock's reentrancy, downgrade, fairness,
 * interrupts, timeouts, conditions, monitoring, serialization, misuse; plus its 32-byte footprint.
 */
@Timeout(60)
class ReentrantRwLockTest {

    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    @AfterEach
    void cleanUp() throws InterruptedException {
        for (Thread t : threads) {
            t.interrupt();
            t.join(10_000);
            assertFalse(t.isAlive(), "thread did not finish: " + t);
        }
        if (failure.get() != null) {
            throw new AssertionError("a helper thread failed", failure.get());
        }
    }

    interface Body {
        void run() throws Exception;
    }

    private Thread start(Body body) {
        return start(false, body);
    }

    private Thread start(boolean virtual, Body body) {
        Runnable r = () -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        };
        Thread t = virtual ? Thread.ofVirtual().unstarted(r) : Thread.ofPlatform().daemon().unstarted(r);
        threads.add(t);
        t.start();
        return t;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("condition not reached");
            }
            Thread.sleep(1);
        }
    }

    private static void join(Thread t) throws InterruptedException {
        t.join(20_000);
        assertFalse(t.isAlive(), "thread did not finish");
    }

    /** A fresh lock is unlocked, with zero counts, and keeps its fairness. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void freshLock(boolean fair) {
        ReentrantRwLock lock = new ReentrantRwLock(fair);
        assertEquals(fair, lock.isFair());
        assertFalse(new ReentrantRwLock().isFair());
        assertFalse(lock.isWriteLocked());
        assertEquals(0, lock.getReadLockCount());
        assertEquals(0, lock.getReadHoldCount());
        assertEquals(0, lock.getWriteHoldCount());
        assertNull(lock.getOwner());
        assertFalse(lock.hasQueuedThreads());
        assertEquals(0, lock.getQueueLength());
    }

    /** The write lock is reentrant and counts its holds; the read lock too, per thread. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void reentrancy(boolean fair) {
        ReentrantRwLock lock = new ReentrantRwLock(fair);
        for (int i = 1; i <= 5; i++) {
            lock.writeLock().lock();
            assertEquals(i, lock.getWriteHoldCount());
            assertEquals(i, lock.writeLock().getHoldCount());
        }
        assertTrue(lock.isWriteLocked());
        assertTrue(lock.isWriteLockedByCurrentThread());
        assertTrue(lock.writeLock().isHeldByCurrentThread());
        assertSame(Thread.currentThread(), lock.getOwner());
        for (int i = 5; i >= 1; i--) {
            lock.writeLock().unlock();
            assertEquals(i - 1, lock.getWriteHoldCount());
        }
        assertFalse(lock.isWriteLocked());
        for (int i = 1; i <= 5; i++) {
            lock.readLock().lock();
            assertEquals(i, lock.getReadHoldCount());
            assertEquals(i, lock.getReadLockCount());
        }
        assertFalse(lock.writeLock().tryLock()); // no upgrade
        for (int i = 5; i >= 1; i--) {
            lock.readLock().unlock();
        }
        assertEquals(0, lock.getReadLockCount());
        assertTrue(lock.writeLock().tryLock());
        lock.writeLock().unlock();
    }

    /** The writer may read; releasing the write lock then downgrades to the read lock, letting readers in. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void downgrade(boolean fair) throws InterruptedException {
        ReentrantRwLock lock = new ReentrantRwLock(fair);
        lock.writeLock().lock();
        lock.readLock().lock();
        lock.readLock().lock();
        assertEquals(2, lock.getReadHoldCount());
        assertEquals(2, lock.getReadLockCount());
        assertTrue(lock.toString().endsWith("[Write locks = 1, Read locks = 2]"), lock.toString());
        Thread reader = start(() -> {
            lock.readLock().lock();
            lock.readLock().unlock();
        });
        await(() -> lock.getQueueLength() == 1);
        lock.writeLock().unlock(); // downgrade
        join(reader);
        assertFalse(lock.isWriteLocked());
        assertEquals(2, lock.getReadLockCount());
        assertFalse(lock.writeLock().tryLock());
        Thread writer = start(() -> {
            lock.writeLock().lock();
            lock.writeLock().unlock();
        });
        await(() -> lock.hasQueuedThread(writer));
        lock.readLock().unlock();
        assertTrue(writer.isAlive());
        lock.readLock().unlock();
        join(writer); // no lost wake-up after the downgrade
        assertEquals(0, lock.getReadLockCount());
    }

    /** A thread holding the read lock gets it again while a writer waits for the readers to leave. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void reentrantReadPassesQueuedWriter(boolean fair) throws InterruptedException {
        ReentrantRwLock lock = new ReentrantRwLock(fair);
        lock.readLock().lock();
        Thread writer = start(() -> {
            lock.writeLock().lock();
            lock.writeLock().unlock();
        });
        await(() -> lock.hasQueuedThread(writer));
        lock.readLock().lock(); // would deadlock if it queued behind the writer
        assertTrue(lock.readLock().tryLock(0, NANOSECONDS));
        assertEquals(3, lock.getReadHoldCount());
        AtomicBoolean newReaderIn = new AtomicBoolean();
        Thread newReader = start(() -> {
            lock.readLock().lock(); // a new reader waits behind the writer
            newReaderIn.set(true);
            lock.readLock().unlock();
        });
        await(() -> lock.hasQueuedThread(newReader));
        assertFalse(newReaderIn.get());
        for (int i = 0; i < 3; i++) {
            lock.readLock().unlock();
        }
        join(writer);
        join(newReader);
        assertTrue(newReaderIn.get());
    }

    /** The read lock's tryLock() barges past a waiting writer (also fair); timed tryLock(0) does not. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readTryLockBarges(boolean fair) throws Exception {
        ReentrantRwLock lock = new ReentrantRwLock(fair);
        lock.readLock().lock();
        Thread writer = start(() -> {
            lock.writeLock().lock();
            lock.writeLock().unlock();
        });
        await(() -> lock.hasQueuedThread(writer));
        AtomicBoolean barged = new AtomicBoolean();
        AtomicBoolean timedZero = new AtomicBoolean(true);
        join(start(() -> {
            timedZero.set(lock.readLock().tryLock(0, MILLISECONDS));
            barged.set(lock.readLock().tryLock());
            if (barged.get()) {
                lock.readLock().unlock();
            }
        }));
        assertTrue(barged.get());
        assertFalse(timedZero.get());
        assertTrue(writer.isAlive());
        lock.readLock().unlock();
        join(writer);
    }

    /** tryLock fails while another thread holds the lock in the conflicting mode, and then succeeds. */
    @Test
    void tryLocksAgainstOtherThreads() throws Exception {
        ReentrantRwLock lock = new ReentrantRwLock();
        lock.writeLock().lock();
        join(start(() -> {
            assertFalse(lock.readLock().tryLock());
            assertFalse(lock.writeLock().tryLock());
            assertFalse(lock.readLock().tryLock(10, MILLISECONDS));
            assertFalse(lock.writeLock().tryLock(10, MILLISECONDS));
            assertFalse(lock.writeLock().tryLock(-1, DAYS));
        }));
        lock.writeLock().unlock();
        lock.readLock().lock();
        join(start(() -> {
            assertTrue(lock.readLock().tryLock());
            lock.readLock().unlock();
            assertFalse(lock.writeLock().tryLock());
            assertFalse(lock.writeLock().tryLock(10, MILLISECONDS));
        }));
        lock.readLock().unlock();
        assertEquals(0, lock.getReadLockCount());
        assertFalse(lock.isWriteLocked());
    }

    /** Timed waits with Long.MAX_VALUE wait until the lock is released. */
    @Test
    void timedWaitForever() throws Exception {
        ReentrantRwLock lock = new ReentrantRwLock();
        lock.writeLock().lock();
        AtomicInteger got = new AtomicInteger();
        Thread r = start(() -> {
            assertTrue(lock.readLock().tryLock(Long.MAX_VALUE, NANOSECONDS));
            got.incrementAndGet();
            lock.readLock().unlock();
        });
        Thread w = start(() -> {
            assertTrue(lock.writeLock().tryLock(Long.MAX_VALUE, DAYS));
            got.incrementAndGet();
            lock.writeLock().unlock();
        });
        await(() -> lock.getQueueLength() == 2);
        lock.writeLock().unlock();
        join(r);
        join(w);
        assertEquals(2, got.get());
    }

    /** A timed-out writer gives its claim back: the reader queued behind the claim gets the read lock. */
    @Test
    void timedOutWriterLetsReadersIn() throws Exception {
        ReentrantRwLock lock = new ReentrantRwLock();
        lock.readLock().lock();
        Thread writer = start(() -> assertFalse(lock.writeLock().tryLock(200, MILLISECONDS)));
        await(() -> lock.hasQueuedThread(writer));
        Thread reader = start(() -> {
            lock.readLock().lock();
            lock.readLock().unlock();
        });
        join(writer);
        join(reader); // while this thread still holds its read lock
        assertFalse(lock.isWriteLocked());
        assertEquals(1, lock.getReadLockCount());
        lock.readLock().unlock();
    }

    /** Interruptible and timed acquisitions throw InterruptedException when interrupted while waiting. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void interrupts(int kind) throws Exception {
        ReentrantRwLock lock = new ReentrantRwLock();
        lock.writeLock().lock();
        AtomicBoolean threw = new AtomicBoolean();
        Thread t = start(() -> {
            try {
                switch (kind) {
                    case 0 -> lock.readLock().lockInterruptibly();
                    case 1 -> lock.writeLock().lockInterruptibly();
                    case 2 -> lock.readLock().tryLock(1, DAYS);
                    default -> lock.writeLock().tryLock(1, DAYS);
                }
            } catch (InterruptedException e) {
                threw.set(!Thread.currentThread().isInterrupted());
            }
        });
        await(() -> lock.hasQueuedThread(t));
        t.interrupt();
        join(t);
        assertTrue(threw.get());
        assertEquals(0, lock.getReadLockCount());
        lock.writeLock().unlock();
        assertTrue(lock.writeLock().tryLock()); // nothing left behind
        lock.writeLock().unlock();
    }

    /** An interrupt status on entry makes interruptible acquisitions throw even if the lock is free. */
    @Test
    void interruptedOnEntry() {
        ReentrantRwLock lock = new ReentrantRwLock();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> lock.readLock().lockInterruptibly());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> lock.writeLock().tryLock(0, NANOSECONDS));
        assertFalse(Thread.interrupted());
        Thread.currentThread().interrupt();
        lock.readLock().lock(); // lock() keeps the status
        lock.writeLock().tryLock();
        assertTrue(Thread.interrupted());
        lock.readLock().unlock();
        assertEquals(0, lock.getReadHoldCount());
    }

    /** lock() is not ended by interrupts and keeps the status. */
    @Test
    void lockIgnoresInterrupt() throws Exception {
        ReentrantRwLock lock = new ReentrantRwLock();
        lock.writeLock().lock();
        AtomicBoolean keptStatus = new AtomicBoolean();
        Thread t = start(() -> {
            lock.writeLock().lock();
            keptStatus.set(Thread.currentThread().isInterrupted());
            lock.writeLock().unlock();
        });
        await(() -> lock.hasQueuedThread(t));
        t.interrupt();
        Thread.sleep(20); // the interrupt must not end the wait: checked below by the waiting state
        assertTrue(lock.hasQueuedThread(t));
        lock.writeLock().unlock();
        join(t);
        assertTrue(keptStatus.get());
    }

    /** Fair mode: after the writer, the queued threads acquire in arrival order (readers batched). */
    @Test
    void fairOrder() throws Exception {
        ReentrantRwLock lock = new ReentrantRwLock(true);
        List<String> order = new CopyOnWriteArrayList<>();
        lock.writeLock().lock();
        String[] kinds = {"w1", "r2", "w3", "w4", "r5"};
        for (String k : kinds) {
            int before = lock.getQueueLength();
            Lock l = k.startsWith("w") ? lock.writeLock() : lock.readLock();
            start(() -> {
                l.lock();
                order.add(k);
                l.unlock();
            });
            await(() -> lock.getQueueLength() == before + 1);
        }
        lock.writeLock().unlock();
        for (Thread t : threads) {
            join(t);
        }
        assertEquals(List.of(kinds), order);
    }

    /** Unlocking what is not held throws IllegalMonitorStateException and changes nothing. */
    @Test
    void misuse() throws Exception {
        ReentrantRwLock lock = new ReentrantRwLock();
        assertThrows(IllegalMonitorStateException.class, () -> lock.readLock().unlock());
        assertThrows(IllegalMonitorStateException.class, () -> lock.writeLock().unlock());
        lock.readLock().lock();
        join(start(() -> assertThrows(IllegalMonitorStateException.class, () -> lock.readLock().unlock())));
        assertEquals(1, lock.getReadLockCount());
        lock.readLock().unlock();
        lock.writeLock().lock();
        join(start(() -> assertThrows(IllegalMonitorStateException.class, () -> lock.writeLock().unlock())));
        assertTrue(lock.isWriteLocked());
        assertThrows(UnsupportedOperationException.class, () -> lock.readLock().newCondition());
        assertThrows(NullPointerException.class, () -> lock.readLock().tryLock(1, null));
        assertThrows(NullPointerException.class, () -> lock.writeLock().tryLock(1, null));
        assertThrows(NullPointerException.class, () -> lock.hasQueuedThread(null));
        assertThrows(NullPointerException.class, () -> lock.hasWaiters(null));
        Condition foreign = new ReentrantRwLock().writeLock().newCondition();
        assertThrows(IllegalArgumentException.class, () -> lock.getWaitQueueLength(foreign));
        lock.writeLock().unlock();
        Condition c = lock.writeLock().newCondition();
        assertThrows(IllegalMonitorStateException.class, () -> lock.hasWaiters(c));
        assertThrows(IllegalMonitorStateException.class, c::await);
        assertThrows(IllegalMonitorStateException.class, c::signal);
        assertEquals(0, lock.getReadLockCount());
    }

    /** Overflowing a hold count throws Error("Maximum lock count exceeded") with the state unchanged. */
    @Test
    void overflow() {
        ReentrantRwLock lock = new ReentrantRwLock();
        lock.writeLock().lock();
        lock.writeHolds = Integer.MAX_VALUE;
        Error e = assertThrows(Error.class, () -> lock.writeLock().lock());
        assertEquals("Maximum lock count exceeded", e.getMessage());
        assertEquals(Integer.MAX_VALUE, lock.getWriteHoldCount());
        lock.writeHolds = 1;
        lock.writeLock().unlock();
        // the reader count: put every unit but one in the word, as if other readers held them
        int almostFull = RawRwLock.READERS_MASK - RawRwLock.ONE_READER;
        ReentrantRwLock.STATE.setVolatile(lock, almostFull);
        lock.readLock().lock(); // the last unit
        assertThrows(Error.class, () -> lock.readLock().lock());
        assertThrows(Error.class, () -> lock.readLock().tryLock());
        assertEquals(1, lock.getReadHoldCount());
        lock.readLock().unlock();
        assertEquals(almostFull, lock.state);
    }

    /** Conditions of the write lock: await releases every hold (reads included), restores them; signal wakes. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void conditions(boolean fair) throws Exception {
        ReentrantRwLock lock = new ReentrantRwLock(fair);
        Condition c = lock.writeLock().newCondition();
        AtomicInteger stage = new AtomicInteger();
        Thread waiter = start(() -> {
            lock.writeLock().lock();
            lock.writeLock().lock();
            lock.readLock().lock();
            stage.set(1);
            while (stage.get() != 2) {
                c.await();
            }
            assertEquals(2, lock.getWriteHoldCount());
            assertEquals(1, lock.getReadHoldCount());
            assertEquals(1, lock.getReadLockCount());
            assertTrue(c.awaitNanos(-1) <= 0);
            assertFalse(c.await(1, MILLISECONDS));
            assertFalse(c.awaitUntil(new java.util.Date(System.currentTimeMillis() + 2)));
            lock.readLock().unlock();
            lock.writeLock().unlock();
            lock.writeLock().unlock();
        });
        await(() -> stage.get() == 1 && !lock.isWriteLocked());
        lock.writeLock().lock(); // the waiter released everything
        assertEquals(0, lock.getReadLockCount());
        assertTrue(lock.hasWaiters(c));
        assertEquals(1, lock.getWaitQueueLength(c));
        assertEquals(List.of(waiter), new ArrayList<>(lock.getWaitingThreads(c)));
        stage.set(2);
        c.signalAll();
        assertFalse(lock.hasWaiters(c));
        lock.writeLock().unlock();
        join(waiter);
        assertFalse(lock.isWriteLocked());
        assertEquals(0, lock.getReadLockCount());
    }

    /** awaitUninterruptibly keeps waiting through an interrupt and restores the status. */
    @Test
    void awaitUninterruptibly() throws Exception {
        ReentrantRwLock lock = new ReentrantRwLock();
        Condition c = lock.writeLock().newCondition();
        AtomicBoolean signalled = new AtomicBoolean();
        AtomicBoolean status = new AtomicBoolean();
        Thread t = start(() -> {
            lock.writeLock().lock();
            while (!signalled.get()) {
                c.awaitUninterruptibly();
            }
            status.set(Thread.interrupted());
            lock.writeLock().unlock();
        });
        await(() -> {
            lock.writeLock().lock();
            try {
                return lock.hasWaiters(c);
            } finally {
                lock.writeLock().unlock();
            }
        });
        t.interrupt();
        lock.writeLock().lock();
        signalled.set(true);
        c.signal();
        lock.writeLock().unlock();
        join(t);
        assertTrue(status.get());
    }

    /** Monitoring: queued writers and readers, owner, and the toString forms of the lock and its views. */
    @Test
    void monitoringAndToString() throws Exception {
        ReentrantRwLock lock = new ReentrantRwLock();
        assertTrue(lock.toString().endsWith("[Write locks = 0, Read locks = 0]"));
        assertTrue(lock.readLock().toString().endsWith("[Read locks = 0]"));
        assertTrue(lock.writeLock().toString().endsWith("[Unlocked]"));
        lock.writeLock().lock();
        lock.writeLock().lock();
        assertTrue(lock.toString().endsWith("[Write locks = 2, Read locks = 0]"), lock.toString());
        assertTrue(lock.writeLock().toString().endsWith("[Locked by thread " + Thread.currentThread().getName() + "]"));
        Thread w = start(() -> {
            lock.writeLock().lock();
            lock.writeLock().unlock();
        });
        await(() -> lock.hasQueuedThread(w));
        Thread r = start(() -> {
            lock.readLock().lock();
            lock.readLock().unlock();
        });
        await(() -> lock.hasQueuedThread(r));
        assertEquals(2, lock.getQueueLength());
        assertEquals(List.of(w), new ArrayList<>(lock.getQueuedWriterThreads()));
        assertEquals(List.of(r), new ArrayList<>(lock.getQueuedReaderThreads()));
        assertEquals(2, lock.getQueuedThreads().size());
        join(start(() -> {
            assertFalse(lock.isWriteLockedByCurrentThread());
            assertEquals(0, lock.getWriteHoldCount());
        }));
        lock.writeLock().unlock();
        lock.writeLock().unlock();
        join(w);
        join(r);
        assertFalse(lock.hasQueuedThreads());
    }

    /** Views: a new object per call, equal per kind and lock; equal hash codes. */
    @Test
    void views() {
        ReentrantRwLock lock = new ReentrantRwLock();
        assertEquals(lock.readLock(), lock.readLock());
        assertEquals(lock.readLock().hashCode(), lock.readLock().hashCode());
        assertEquals(lock.writeLock(), lock.writeLock());
        assertEquals(lock.writeLock().hashCode(), lock.writeLock().hashCode());
        assertNotEquals(lock.readLock(), (Object) lock.writeLock());
        assertNotEquals(lock.readLock(), new ReentrantRwLock().readLock());
    }

    /** A deserialized lock is unlocked and keeps its fairness. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void serialization(boolean fair) throws Exception {
        ReentrantRwLock lock = new ReentrantRwLock(fair);
        lock.writeLock().lock();
        lock.readLock().lock();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(lock);
        }
        ReentrantRwLock copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (ReentrantRwLock) in.readObject();
        }
        assertEquals(fair, copy.isFair());
        assertFalse(copy.isWriteLocked());
        assertEquals(0, copy.getReadLockCount());
        assertNull(copy.getOwner());
        assertTrue(copy.writeLock().tryLock());
        copy.writeLock().unlock();
        lock.readLock().unlock();
        lock.writeLock().unlock();
    }

    /** Virtual threads: readers and writers, reentrant and downgrading, on many virtual threads. */
    @Test
    void virtualThreads() throws Exception {
        ReentrantRwLock lock = new ReentrantRwLock();
        int[] counter = {0};
        AtomicInteger reads = new AtomicInteger();
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            int id = i;
            ts.add(start(true, () -> {
                for (int k = 0; k < 200; k++) {
                    if ((id + k) % 3 == 0) {
                        lock.writeLock().lock();
                        lock.writeLock().lock();
                        counter[0]++;
                        lock.readLock().lock();
                        lock.writeLock().unlock();
                        lock.writeLock().unlock(); // downgraded
                        reads.incrementAndGet();
                        lock.readLock().unlock();
                    } else {
                        lock.readLock().lock();
                        lock.readLock().lock();
                        reads.incrementAndGet();
                        lock.readLock().unlock();
                        lock.readLock().unlock();
                    }
                }
            }));
        }
        for (Thread t : ts) {
            join(t);
        }
        int expected = 0;
        for (int i = 0; i < 32; i++) {
            for (int k = 0; k < 200; k++) {
                expected += (i + k) % 3 == 0 ? 1 : 0;
            }
        }
        lock.readLock().lock();
        assertEquals(expected, counter[0]);
        lock.readLock().unlock();
        assertEquals(32 * 200, reads.get());
        assertQuiescent(lock);
    }

    /** 32 bytes deep, fresh and after contention (JOL; the JDK's ReentrantReadWriteLock takes 120). */
    @Test
    void footprint() throws Exception {
        ReentrantRwLock lock = new ReentrantRwLock(true);
        assertEquals(32L, GraphLayout.parseInstance(lock).totalSize());
        lock.readLock().lock();
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            boolean writer = i % 2 == 0;
            ts.add(start(() -> {
                for (int k = 0; k < 200; k++) {
                    Lock l = writer ? lock.writeLock() : lock.readLock();
                    l.lock();
                    l.unlock();
                }
            }));
        }
        await(() -> lock.getQueueLength() > 0);
        lock.readLock().unlock();
        for (Thread t : ts) {
            join(t);
        }
        assertEquals(32L, GraphLayout.parseInstance(lock).totalSize());
        assertEquals(32L, GraphLayout.parseInstance(new ReentrantRwLock()).totalSize());
    }

    /** A bounded stress run: writers (reentrant, some downgrading) exclude everyone; readers see no torn state. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void stress(boolean fair) throws Exception {
        ReentrantRwLock lock = new ReentrantRwLock(fair);
        long[] pair = new long[2];
        AtomicInteger writersInside = new AtomicInteger();
        long end = System.nanoTime() + MILLISECONDS.toNanos(1500);
        for (int i = 0; i < 4; i++) {
            int id = i;
            start(() -> {
                java.util.concurrent.ThreadLocalRandom rnd = java.util.concurrent.ThreadLocalRandom.current();
                while (System.nanoTime() - end < 0) {
                    int op = rnd.nextInt(10);
                    if (op < 3) {
                        Lock w = lock.writeLock();
                        if (op == 0 ? w.tryLock(1, MILLISECONDS) : tryOrLock(w, op == 1)) {
                            w.lock();
                            assertEquals(1, writersInside.incrementAndGet());
                            pair[0]++;
                            pair[1]++;
                            writersInside.decrementAndGet();
                            if (id % 2 == 0) {
                                lock.readLock().lock();
                                w.unlock();
                                w.unlock();
                                assertEquals(pair[0], pair[1]);
                                lock.readLock().unlock();
                            } else {
                                w.unlock();
                                w.unlock();
                            }
                        }
                    } else {
                        Lock r = lock.readLock();
                        if (op == 3 ? r.tryLock() : op == 4 ? r.tryLock(1, MILLISECONDS) : tryOrLock(r, false)) {
                            assertEquals(0, writersInside.get());
                            r.lock();
                            assertEquals(pair[0], pair[1]);
                            r.unlock();
                            r.unlock();
                        }
                    }
                }
            });
        }
        for (Thread t : threads) {
            join(t);
        }
        assertQuiescent(lock);
        assertEquals(pair[0], pair[1]);
    }

    /** Unlocked, nobody queued; a write unlock clears a PARKED bit its last parker left behind. */
    private static void assertQuiescent(ReentrantRwLock lock) {
        assertEquals(0, lock.getQueueLength());
        lock.writeLock().lock();
        lock.writeLock().unlock();
        assertEquals(0, lock.state, "state of the quiescent lock");
    }

    private static boolean tryOrLock(Lock l, boolean interruptibly) throws InterruptedException {
        if (interruptibly) {
            l.lockInterruptibly();
        } else {
            l.lock();
        }
        return true;
    }
}
