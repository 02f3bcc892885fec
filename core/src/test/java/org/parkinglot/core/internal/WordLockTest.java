package org.parkinglot.core.internal;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Unit tests of {@link WordLock}, the parking lot's bucket lock: mutual exclusion, misuse, interrupt policy
 * and virtual threads.
 */
class WordLockTest {

    /** A counter touched only under the lock: lost updates show as a short count. */
    static final class Guarded {
        final WordLock lock = new WordLock();
        int count; // plain on purpose: only the lock orders the increments
        final AtomicInteger inside = new AtomicInteger();
        final AtomicBoolean overlap = new AtomicBoolean();

        void increment() {
            lock.lock();
            try {
                if (inside.incrementAndGet() != 1) {
                    overlap.set(true);
                }
                count++;
                inside.decrementAndGet();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Runs {@code n} threads that each increment {@code perThread} times, all starting together. */
    private static void hammer(Guarded g, int n, int perThread, boolean virtual) throws Exception {
        CyclicBarrier start = new CyclicBarrier(n);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Runnable body = () -> {
                try {
                    start.await();
                    for (int j = 0; j < perThread; j++) {
                        g.increment();
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            };
            threads.add(virtual ? Thread.ofVirtual().start(body) : Thread.ofPlatform().daemon().start(body));
        }
        for (Thread t : threads) {
            t.join(SECONDS.toMillis(60));
            assertFalse(t.isAlive(), "a thread is stuck in the lock");
        }
        assertNull(failure.get());
    }

    /** Platform threads incrementing a plain counter under the lock never overlap and lose no increment. */
    @Test
    @Timeout(value = 90, threadMode = ThreadMode.SEPARATE_THREAD)
    void mutualExclusionPlatformThreads() throws Exception {
        Guarded g = new Guarded();
        hammer(g, 4, 100_000, false);
        assertEquals(400_000, g.count);
        assertFalse(g.overlap.get());
        assertFalse(g.lock.isLocked());
    }

    /** Virtual threads incrementing a plain counter under the lock never overlap and lose no increment. */
    @Test
    @Timeout(value = 90, threadMode = ThreadMode.SEPARATE_THREAD)
    void mutualExclusionVirtualThreads() throws Exception {
        Guarded g = new Guarded();
        hammer(g, 200, 2_000, true);
        assertEquals(400_000, g.count);
        assertFalse(g.overlap.get());
        assertFalse(g.lock.isLocked());
    }

    /** Unlocking a lock that is not held throws IllegalMonitorStateException and leaves the lock usable. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void unlockOfUnlockedLockThrows() {
        WordLock lock = new WordLock();
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
        assertFalse(lock.isLocked());
        lock.lock();
        assertTrue(lock.isLocked());
        lock.unlock();
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
        lock.lock();
        assertTrue(lock.isLocked());
        lock.unlock();
        assertFalse(lock.isLocked());
    }

    /** lock() by an interrupted thread acquires the free lock and keeps the interrupt status. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void lockKeepsInterruptStatusUncontended() {
        WordLock lock = new WordLock();
        try {
            Thread.currentThread().interrupt();
            lock.lock();
            assertTrue(lock.isLocked());
            lock.unlock();
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    /** A thread interrupted while waiting for the lock keeps waiting, acquires it later, and keeps the status. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void lockKeepsInterruptStatusWhenContended() throws Exception {
        for (boolean virtual : new boolean[] {false, true}) {
            WordLock lock = new WordLock();
            AtomicBoolean acquired = new AtomicBoolean();
            AtomicBoolean interruptedInside = new AtomicBoolean();
            lock.lock();
            Runnable body = () -> {
                lock.lock();
                acquired.set(true);
                interruptedInside.set(Thread.currentThread().isInterrupted());
                lock.unlock();
            };
            Thread t = virtual ? Thread.ofVirtual().start(body) : Thread.ofPlatform().daemon().start(body);
            try {
                awaitParkedOn(t, lock);
                t.interrupt();
                Thread.sleep(20);
                assertFalse(acquired.get(), "acquired a held lock");
                assertTrue(t.isAlive());
            } finally {
                lock.unlock();
            }
            t.join(SECONDS.toMillis(20));
            assertFalse(t.isAlive());
            assertTrue(acquired.get());
            assertTrue(interruptedInside.get(), "interrupt status lost");
            assertFalse(lock.isLocked());
        }
    }

    /**
     * Virtual threads queued on the lock unmount while they wait: with more waiters than carrier threads, a virtual
     * holder that itself blocks (on a CountDownLatch) can still be scheduled to unlock, and every waiter gets in.
     */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void waitingVirtualThreadsDoNotPinCarriers() throws Exception {
        Guarded g = new Guarded();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual().start(() -> {
            g.lock.lock();
            try {
                held.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                g.lock.unlock();
            }
        });
        assertTrue(held.await(20, SECONDS));
        int waiters = 4 * Runtime.getRuntime().availableProcessors() + 16;
        List<Thread> threads = new ArrayList<>();
        try {
            for (int i = 0; i < waiters; i++) {
                threads.add(Thread.ofVirtual().start(g::increment));
            }
            for (Thread t : threads) {
                awaitParkedOn(t, g.lock);
            }
            assertEquals(0, g.count);
        } finally {
            release.countDown();
        }
        holder.join(SECONDS.toMillis(20));
        assertFalse(holder.isAlive(), "holder never ran again: carriers pinned");
        for (Thread t : threads) {
            t.join(SECONDS.toMillis(20));
            assertFalse(t.isAlive());
        }
        assertEquals(waiters, g.count);
        assertFalse(g.overlap.get());
    }

    /** Polls until {@code t} is parked inside {@code lock} (its LockSupport blocker is the lock). */
    private static void awaitParkedOn(Thread t, WordLock lock) throws InterruptedException {
        long deadline = System.nanoTime() + SECONDS.toNanos(20);
        while (LockSupport.getBlocker(t) != lock) {
            if (!t.isAlive() || System.nanoTime() - deadline > 0) {
                fail(t + " never parked on the lock");
            }
            Thread.sleep(1);
        }
    }
}
