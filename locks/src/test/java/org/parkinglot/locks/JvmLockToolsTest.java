package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parkinglot.locks.MutexTestSupport.awaitQueued;
import static org.parkinglot.locks.MutexTestSupport.awaitTrue;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parkinglot.locks.MutexTestSupport.TestThreads;

/**
 * The JVM's own lock tools see a {@link ReentrantMutex} as they see a {@code ReentrantLock}:
 * {@link ThreadMXBean#findDeadlockedThreads()} reports a cycle through it, {@link ThreadInfo} names the
 * holder of the lock a thread waits for, and the holder's locked ownable synchronizers (what
 * {@code jstack -l} prints) list it. The deadlocked threads wait interruptibly, so that the test's
 * clean-up can end them.
 */
class JvmLockToolsTest {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Two threads that each hold one mutex and wait for the other's: the JVM finds the cycle. */
    @ParameterizedTest(name = "fair={0}")
    @ValueSource(booleans = {false, true})
    @Timeout(60)
    void deadlockThroughTwoMutexesIsFound(boolean fair) throws Exception {
        assertDeadlockFound(new ReentrantMutex(fair), new ReentrantMutex(fair), true);
    }

    /**
     * The same cycle through two ReentrantLocks, the reference the test holds ReentrantMutex to (its
     * blocker is its internal Sync object, not the lock, so only the owners are compared).
     */
    @Test
    @Timeout(60)
    void deadlockThroughTwoReentrantLocksIsFound() throws Exception {
        assertDeadlockFound(new ReentrantLock(), new ReentrantLock(), false);
    }

    private static void assertDeadlockFound(Lock first, Lock second, boolean blockerIsTheLock) throws Exception {
        CountDownLatch bothHold = new CountDownLatch(2);
        try (TestThreads threads = new TestThreads()) {
            Thread a = threads.start("deadlock-a", () -> {
                first.lock();
                bothHold.countDown();
                bothHold.await();
                second.lockInterruptibly();
            });
            Thread b = threads.start("deadlock-b", () -> {
                second.lock();
                bothHold.countDown();
                bothHold.await();
                first.lockInterruptibly();
            });
            awaitDeadlocked(a, b);
            assertWaitsFor(a, blockerIsTheLock ? second : null, b);
            assertWaitsFor(b, blockerIsTheLock ? first : null, a);
        }
    }

    /**
     * A thread that took the mutex back after a condition wait owns it for the JVM too: a cycle through
     * the re-acquired mutex is found.
     */
    @ParameterizedTest(name = "fair={0}")
    @ValueSource(booleans = {false, true})
    @Timeout(60)
    void deadlockThroughAMutexRetakenAfterAConditionWaitIsFound(boolean fair) throws Exception {
        ReentrantMutex m1 = new ReentrantMutex(fair);
        ReentrantMutex m2 = new ReentrantMutex(fair);
        Condition c2 = m2.newCondition();
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch retaken = new CountDownLatch(1);
        try (TestThreads threads = new TestThreads()) {
            Thread waiter = threads.start("condition-waiter", () -> {
                m2.lock();
                waiting.countDown();
                c2.await(); // released; re-taken after the signal, before the other thread waits for it
                retaken.countDown();
                m1.lockInterruptibly();
            });
            Thread signaller = threads.start("signaller", () -> {
                waiting.await();
                m1.lock();
                m2.lock();
                c2.signal();
                m2.unlock();
                retaken.await();
                m2.lockInterruptibly();
            });
            awaitDeadlocked(waiter, signaller);
            assertWaitsFor(waiter, m1, signaller);
            assertWaitsFor(signaller, m2, waiter);
        }
    }

    /**
     * A thread that merely waits, even uninterruptibly and for long, is no deadlock: the waiter's
     * {@link ThreadInfo} names the holder, and nothing is reported.
     */
    @ParameterizedTest(name = "fair={0}")
    @ValueSource(booleans = {false, true})
    @Timeout(60)
    void aLongWaitIsNoDeadlockAndNamesTheHolder(boolean fair) throws Exception {
        ReentrantMutex m = new ReentrantMutex(fair);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        try (TestThreads threads = new TestThreads()) {
            Thread holder = threads.start("holder", MutexTestSupport.holdUntil(m, holding, release));
            holding.await();
            Thread waiter = threads.start("waiter", () -> {
                m.lock();
                m.unlock();
            });
            awaitQueued(m, 1);
            awaitTrue("the waiter is parked", () -> waiter.getState() == Thread.State.WAITING);
            Thread.sleep(200);
            assertNull(THREADS.findDeadlockedThreads(), "a wait reported as a deadlock");
            assertWaitsFor(waiter, m, holder);
            release.countDown();
            threads.joinAll();
            ThreadInfo after = THREADS.getThreadInfo(new long[] {Thread.currentThread().threadId()}, false, true)[0];
            assertTrue(Arrays.stream(after.getLockedSynchronizers()).noneMatch(l -> isLock(l, m)));
        }
    }

    /** Waits until the JVM reports exactly the two threads as deadlocked. */
    private static void awaitDeadlocked(Thread a, Thread b) throws InterruptedException {
        awaitTrue("the JVM reports " + a.getName() + " and " + b.getName() + " as deadlocked", () -> {
            long[] ids = THREADS.findDeadlockedThreads();
            return ids != null && ids.length == 2
                    && Arrays.stream(ids).anyMatch(id -> id == a.threadId())
                    && Arrays.stream(ids).anyMatch(id -> id == b.threadId());
        });
    }

    /**
     * The thread info of {@code waiter} names {@code lock} as what it waits for and {@code holder} as
     * its owner, and the holder's locked synchronizers include {@code lock}; if {@code lock} is null, only
     * the owner is checked.
     */
    private static void assertWaitsFor(Thread waiter, Lock lock, Thread holder) {
        ThreadInfo[] infos = THREADS.getThreadInfo(new long[] {waiter.threadId(), holder.threadId()}, false, true);
        ThreadInfo w = infos[0];
        assertNotNull(w, "no thread info for " + waiter.getName());
        assertEquals(holder.getName(), w.getLockOwnerName(), w.toString());
        assertEquals(holder.threadId(), w.getLockOwnerId());
        if (lock == null) {
            return;
        }
        assertTrue(isLock(w.getLockInfo(), lock), "waits for " + w.getLockName() + ", not " + lock);
        ThreadInfo h = infos[1];
        assertTrue(Arrays.stream(h.getLockedSynchronizers()).anyMatch(l -> isLock(l, lock)),
                () -> holder.getName() + "'s locked synchronizers " + Arrays.toString(h.getLockedSynchronizers())
                        + " lack " + lock);
    }

    private static boolean isLock(LockInfo info, Object lock) {
        return info != null && info.getIdentityHashCode() == System.identityHashCode(lock)
                && info.getClassName().equals(lock.getClass().getName());
    }
}
