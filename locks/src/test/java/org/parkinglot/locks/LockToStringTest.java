package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.parkinglot.locks.MutexTestSupport.awaitQueued;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.parkinglot.locks.MutexTestSupport.TestThreads;

/**
 * The {@code toString} of every lock says whether it is held, by whom where the lock knows, and how many
 * threads are queued for it; a condvar says how many threads wait on it.
 */
class LockToStringTest {

    private static String identity(Object o) {
        return o.getClass().getName() + "@" + Integer.toHexString(o.hashCode());
    }

    /** Starts a thread that blocks in {@code lock.lock()} and waits until it is queued. */
    private static Thread queueOne(TestThreads threads, String name, Lock lock, Object key) throws InterruptedException {
        int before = org.parkinglot.core.ParkingLot.queueLength(key, 0L);
        Thread t = threads.start(name, () -> {
            lock.lock();
            lock.unlock();
        });
        awaitQueued(key, before + 1);
        return t;
    }

    @Test
    @Timeout(30)
    void rawMutexSaysLockedAndQueued() throws Exception {
        for (RawMutexBase m : new RawMutexBase[] {new RawMutex(), new RawFairMutex()}) {
            assertEquals(identity(m) + "[Unlocked]", m.toString());
            m.lock();
            assertEquals(identity(m) + "[Locked]", m.toString());
            try (TestThreads threads = new TestThreads()) {
                queueOne(threads, "first", m, m);
                queueOne(threads, "second", m, m);
                assertEquals(identity(m) + "[Locked, 2 queued]", m.toString());
                m.unlock();
                threads.joinAll();
            }
            assertEquals(identity(m) + "[Unlocked]", m.toString());
        }
    }

    @Test
    @Timeout(30)
    void reentrantMutexNamesItsOwnerAndCountsTheQueue() throws Exception {
        for (boolean fair : new boolean[] {false, true}) {
            ReentrantMutex m = new ReentrantMutex(fair);
            assertEquals(identity(m) + "[Unlocked]", m.toString());
            m.lock();
            String owner = Thread.currentThread().getName();
            assertEquals(identity(m) + "[Locked by thread " + owner + "]", m.toString());
            try (TestThreads threads = new TestThreads()) {
                queueOne(threads, "waiter", m, m);
                assertEquals(identity(m) + "[Locked by thread " + owner + ", 1 queued]", m.toString());
                m.unlock();
                threads.joinAll();
            }
            assertEquals(identity(m) + "[Unlocked]", m.toString());
        }
    }

    @Test
    @Timeout(30)
    void rwLockCountsHoldersAndTheQueue() throws Exception {
        RawRwLock rw = new RawRwLock();
        rw.lockShared();
        rw.lockShared();
        assertEquals(identity(rw) + "[Write locks = 0, Read locks = 2]", rw.toString());
        try (TestThreads threads = new TestThreads()) {
            threads.start("writer", () -> {
                rw.lockExclusive();
                rw.unlockExclusive();
            });
            // the writer claims the lock and waits for the two readers to leave (in the drain lane)
            MutexTestSupport.awaitTrue("the writer waits", () -> rw.toString().endsWith(", 1 queued]"));
            rw.unlockShared();
            rw.unlockShared();
            threads.joinAll();
        }
        assertEquals(identity(rw) + "[Write locks = 0, Read locks = 0]", rw.toString());
        rw.lockExclusive();
        assertEquals(identity(rw) + "[Write locks = 1, Read locks = 0]", rw.toString());
        rw.unlockExclusive();
    }

    @Test
    @Timeout(30)
    void condvarCountsItsWaiters() throws Exception {
        ReentrantMutex m = new ReentrantMutex();
        Condition c = m.newCondition();
        assertEquals(identity(c) + "[Waiting threads = 0]", c.toString());
        CountDownLatch done = new CountDownLatch(1);
        try (TestThreads threads = new TestThreads()) {
            threads.start("waiter", () -> {
                m.lock();
                try {
                    c.awaitUninterruptibly();
                } finally {
                    m.unlock();
                }
                done.countDown();
            });
            awaitQueued(c, 1);
            assertEquals(identity(c) + "[Waiting threads = 1]", c.toString());
            m.lock();
            c.signal();
            m.unlock();
            done.await();
            threads.joinAll();
        }
        assertEquals(identity(c) + "[Waiting threads = 0]", c.toString());
    }
}
