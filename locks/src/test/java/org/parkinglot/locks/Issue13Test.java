package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parkinglot.locks.MutexTestSupport.awaitQueued;
import static org.parkinglot.locks.MutexTestSupport.awaitTrue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.locks.MutexTestSupport.Kind;
import org.parkinglot.locks.MutexTestSupport.TestThreads;

/**
 * Regressions of issue 13 in the locks: eventual fairness while a woken waiter is away from the CPU,
 * and a condvar wait whose release of the mutex throws after the thread was already chosen.
 */
class Issue13Test {

    /** How long the barging threads keep going before the test gives up on the parked waiter. */
    private static final long BARGE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    // ---------------------------------------------------------------------------------------------
    // Edge 1: eventual fairness with a woken waiter in flight

    /** The unfair mutexes, whose unlocks skip the wake-up while a woken waiter is in flight. */
    enum Unfair {
        RAW(RawMutex::new, AbstractMutex.STATE, AbstractMutex.ALGORITHM),
        REENTRANT(ReentrantMutex::new, ReentrantMutex.STATE, ReentrantMutex.ALGORITHM);

        final Supplier<Lock> factory;
        final VarHandle state;
        final MutexAlgorithm algorithm;

        Unfair(Supplier<Lock> factory, VarHandle state, MutexAlgorithm algorithm) {
            this.factory = factory;
            this.state = state;
            this.algorithm = algorithm;
        }
    }

    /**
     * A parked waiter gets an unfair mutex while other threads barge in and out of it, though a woken
     * waiter is in flight the whole time. The test thread plays that woken waiter: it sets WOKEN as an
     * unlock does when it chooses a waiter, releases the lock, and stays away (to the lock, exactly a
     * woken thread the scheduler keeps off the CPU) until the parked waiter was served or the time is
     * up; then it takes and releases the lock as the woken successor does. Before the fix every unlock
     * meanwhile saw WOKEN and released without a look at the queue, so the parked waiter starved for as
     * long as the barging went on (seen: both mutexes, 10 s of barging, millions of acquisitions).
     */
    @ParameterizedTest
    @EnumSource(Unfair.class)
    @Timeout(60)
    void parkedWaiterServedWhileWokenWaiterIsAway(Unfair kind) throws Exception {
        Lock m = kind.factory.get();
        AtomicBoolean served = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger barges = new AtomicInteger();
        try (TestThreads threads = new TestThreads()) {
            m.lock();
            threads.start("waiter", () -> {
                m.lock();
                served.set(true);
                m.unlock();
            });
            awaitQueued(m, 1);
            kind.state.getAndBitwiseOr(m, MutexAlgorithm.WOKEN); // this thread is now the woken one
            m.unlock(); // the lock is free; nobody is woken (unless this unlock asks and a hand-off is overdue)
            long start = System.nanoTime();
            startBargers(threads, stop, barges, () -> {
                m.lock();
                Thread.onSpinWait();
                m.unlock();
            });
            boolean servedWhileAway = awaitServedOrTimeUp(served);
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            stop.set(true);
            // Back on the CPU: the woken successor takes the lock (clearing WOKEN) and releases it.
            kind.algorithm.lockSlow(m, 0L, ParkingLot.FOREVER, false, MutexAlgorithm.AS_WOKEN);
            kind.algorithm.release(m, 0L);
            threads.joinAll();
            assertTrue(servedWhileAway, "the parked waiter starved through " + barges.get() + " barging acquisitions");
            assertTrue(served.get());
            System.out.printf("%s: parked waiter served after %d ms, %d barging acquisitions%n",
                    kind, waitedMillis, barges.get());
        }
    }

    /** Starts two threads that run {@code barge} until {@code stop}, counting their rounds. */
    private static void startBargers(TestThreads threads, AtomicBoolean stop, AtomicInteger barges, Runnable barge)
            throws InterruptedException {
        CountDownLatch running = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            threads.start("barger-" + i, () -> {
                running.countDown();
                while (!stop.get()) {
                    barge.run();
                    barges.incrementAndGet();
                }
            });
        }
        running.await();
    }

    /** Waits until {@code served} is set or {@link #BARGE_LIMIT_NANOS} have passed; returns {@code served}. */
    private static boolean awaitServedOrTimeUp(AtomicBoolean served) throws InterruptedException {
        long deadline = System.nanoTime() + BARGE_LIMIT_NANOS;
        while (!served.get() && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
        }
        return served.get();
    }

    /** The rwlocks' unfair exclusive unlocks, which skip the wake-up while a woken successor is in flight. */
    enum UnfairRw {
        /** RawRwLock, the bargers alternating exclusive and upgradable holds. */
        RAW_RW_LOCK,
        /** ReentrantRwLock (unfair), the bargers taking the write lock. */
        REENTRANT_RW_LOCK
    }

    /**
     * The same for the rwlocks: a parked writer gets the lock while two threads barge (exclusive and
     * upgradable holds), a woken successor in flight the whole time. Failed before the fix as the
     * mutex test did (the writer starved through 10 s of barging).
     */
    @ParameterizedTest
    @EnumSource(UnfairRw.class)
    @Timeout(60)
    void parkedWriterServedWhileWokenSuccessorIsAway(UnfairRw kind) throws Exception {
        RawRwLock raw = kind == UnfairRw.RAW_RW_LOCK ? new RawRwLock() : null;
        ReentrantRwLock reentrant = raw == null ? new ReentrantRwLock() : null;
        Lock write = raw != null ? raw.asReadWriteLock().writeLock() : reentrant.writeLock();
        Object key = raw != null ? raw : reentrant;
        VarHandle state = raw != null ? RW_STATE : REENTRANT_RW_STATE;
        AtomicBoolean served = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger barges = new AtomicInteger();
        AtomicInteger round = new AtomicInteger();
        try (TestThreads threads = new TestThreads()) {
            write.lock();
            threads.start("writer", () -> {
                write.lock();
                served.set(true);
                write.unlock();
            });
            awaitQueued(key, 1);
            state.getAndBitwiseOr(key, RawRwLock.WOKEN); // this thread is now the woken successor
            write.unlock(); // the lock is free; nobody is woken
            long start = System.nanoTime();
            startBargers(threads, stop, barges, () -> {
                if (raw != null && (round.incrementAndGet() & 1) == 0) {
                    raw.lockUpgradable();
                    Thread.onSpinWait();
                    raw.unlockUpgradable();
                } else {
                    write.lock();
                    Thread.onSpinWait();
                    write.unlock();
                }
            });
            boolean servedWhileAway = awaitServedOrTimeUp(served);
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            stop.set(true);
            if (raw != null) {
                RwLockWaits.lockExclusiveAsWoken(raw); // back on the CPU: the woken writer takes the lock
            } else {
                state.getAndBitwiseAnd(key, ~RawRwLock.WOKEN); // the woken writer parks again, clearing WOKEN
                write.lock();
            }
            write.unlock();
            threads.joinAll();
            assertTrue(servedWhileAway, "the parked writer starved through " + barges.get() + " barging acquisitions");
            assertTrue(served.get());
            System.out.printf("%s: parked writer served after %d ms, %d barging acquisitions%n",
                    kind, waitedMillis, barges.get());
        }
    }


    // ---------------------------------------------------------------------------------------------
    // Edge 2: a condvar wait whose beforeSleep throws after the thread was chosen

    /** The failure a {@link FailingRelease} lock throws from its first release for a wait. */
    static final class SimulatedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SimulatedFailure() {
            super("simulated failure after the mutex was released");
        }
    }

    /**
     * A mutex of this package whose first release for a condvar wait releases the real lock, then
     * stops (so the test can choose the waiter meanwhile), then throws: what an error thrown late in a
     * release (an OutOfMemoryError, a StackOverflowError) does to the wait. Everything else delegates.
     */
    static final class FailingRelease extends CondvarLock {
        final CondvarLock inner;
        final CountDownLatch released = new CountDownLatch(1);
        final CountDownLatch proceed = new CountDownLatch(1);
        private final AtomicBoolean failNext = new AtomicBoolean(true);

        FailingRelease(CondvarLock inner) {
            this.inner = inner;
        }

        @Override
        void releaseAllForWait() {
            inner.releaseAllForWait();
            if (failNext.getAndSet(false)) {
                released.countDown();
                try {
                    proceed.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                throw new SimulatedFailure();
            }
        }

        @Override
        Object queueKey() {
            return inner.queueKey();
        }

        @Override
        long waitParkToken() {
            return inner.waitParkToken();
        }

        @Override
        int holdsForWait() {
            return inner.holdsForWait();
        }

        @Override
        void reacquireAfterWait(int holds, long unparkToken) {
            inner.reacquireAfterWait(holds, unparkToken);
        }

        @Override
        boolean markParkedIfLocked() {
            return inner.markParkedIfLocked();
        }

        @Override
        void markParked() {
            inner.markParked();
        }

        @Override
        public void lock() {
            inner.lock();
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            inner.lockInterruptibly();
        }

        @Override
        public boolean tryLock() {
            return inner.tryLock();
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            return inner.tryLock(time, unit);
        }

        @Override
        public void unlock() {
            inner.unlock();
        }

        @Override
        public Condition newCondition() {
            return new BoundCondition(this);
        }
    }

    /** Every condvar-capable lock of this package. */
    enum Waitable {
        RAW(RawMutex::new),
        RAW_FAIR(RawFairMutex::new),
        REENTRANT(() -> Condvar.asMutex(new ReentrantMutex())),
        REENTRANT_FAIR(() -> Condvar.asMutex(new ReentrantMutex(true))),
        RW_WRITE(() -> (CondvarLock) new RawRwLock().asReadWriteLock().writeLock());

        final Supplier<CondvarLock> factory;

        Waitable(Supplier<CondvarLock> factory) {
            this.factory = factory;
        }
    }

    /**
     * A condvar waiter that a notify moved onto the mutex and the mutex's unlock then chose (handing it
     * the lock, or the woken-successor role) passes that on when its release throws: the mutex ends up
     * free, with no WOKEN bit left behind, and a later waiter is woken by a later unlock. Before the fix
     * the token was lost with the exception: a fair mutex stayed locked for good, and an unfair one kept
     * WOKEN set, so its unlocks never woke anyone again.
     */
    @ParameterizedTest
    @EnumSource(Waitable.class)
    @Timeout(60)
    void waiterChosenByTheMutexPassesItOnWhenItsReleaseThrows(Waitable kind) throws Exception {
        CondvarLock real = kind.factory.get();
        FailingRelease failing = new FailingRelease(real);
        Condvar cv = new Condvar();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (TestThreads threads = new TestThreads()) {
            Thread waiter = threads.start("waiter", () -> {
                failing.lock();
                try {
                    cv.awaitUninterruptibly(failing);
                } catch (SimulatedFailure e) {
                    thrown.set(e);
                }
            });
            assertTrue(failing.released.await(30, TimeUnit.SECONDS), "the waiter did not start waiting");
            real.lock();
            assertTrue(cv.notifyOne(), "the notify found no waiter");
            assertEquals(1, ParkingLot.queueLength(real.queueKey(), 0L), "the waiter was not moved onto the mutex");
            real.unlock(); // chooses the waiter: hand-off (fair) or woken successor (unfair)
            failing.proceed.countDown();
            threads.join(waiter);
            assertTrue(thrown.get() instanceof SimulatedFailure, "the wait did not end with the failure: " + thrown.get());

            assertFreeAndWaking(real, threads);
        }
    }

    /**
     * A waiter a notify woke straight from the condvar passes the notify on to the next waiter when its
     * release throws. Before the fix the notify was lost with the exception and the second waiter slept
     * until its timeout.
     */
    @Test
    @Timeout(60)
    void notifiedWaiterPassesTheNotifyOnWhenItsReleaseThrows() throws Exception {
        RawMutex real = new RawMutex();
        FailingRelease failing = new FailingRelease(real);
        Condvar cv = new Condvar();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean secondNotified = new AtomicBoolean();
        try (TestThreads threads = new TestThreads()) {
            Thread first = threads.start("first", () -> {
                failing.lock();
                try {
                    cv.awaitUninterruptibly(failing);
                } catch (SimulatedFailure e) {
                    thrown.set(e);
                }
            });
            assertTrue(failing.released.await(30, TimeUnit.SECONDS));
            Thread second = threads.start("second", () -> {
                real.lock();
                try {
                    secondNotified.set(cv.await(real, 20, TimeUnit.SECONDS));
                } finally {
                    real.unlock();
                }
            });
            awaitQueued(cv, 2);
            assertTrue(cv.notifyOne()); // the mutex is free: wakes the first waiter straight away
            failing.proceed.countDown();
            threads.join(first);
            assertTrue(thrown.get() instanceof SimulatedFailure, String.valueOf(thrown.get()));
            threads.join(second);
            assertTrue(secondNotified.get(), "the second waiter timed out: the notify was lost");
        }
    }

    /** The lock is free with no flag left over, and a waiter parked on it is woken by the next unlock. */
    private static void assertFreeAndWaking(CondvarLock lock, TestThreads threads) throws InterruptedException {
        if (!(lock.queueKey() instanceof RawRwLock)) {
            assertEquals(0, Kind.mutexBits(lock.queueKey()), "mutex bits left over");
        } else {
            RawRwLock rw = (RawRwLock) lock.queueKey();
            assertEquals(0, (int) RW_STATE.getVolatile(rw), "rwlock state left over");
        }
        assertTrue(lock.tryLock(), "the lock is still held");
        AtomicBoolean acquired = new AtomicBoolean();
        Thread next = threads.start("next", () -> {
            lock.lock();
            acquired.set(true);
            lock.unlock();
        });
        awaitQueued(lock.queueKey(), 1);
        lock.unlock();
        threads.join(next);
        assertTrue(acquired.get());
        awaitTrue("no thread queued", () -> ParkingLot.queueLength(lock.queueKey(), 0L) == 0);
    }

    private static final VarHandle RW_STATE;
    private static final VarHandle REENTRANT_RW_STATE;

    static {
        try {
            RW_STATE = MethodHandles.privateLookupIn(RawRwLock.class, MethodHandles.lookup())
                    .findVarHandle(RawRwLock.class, "state", int.class);
            REENTRANT_RW_STATE = MethodHandles.lookup().findVarHandle(ReentrantRwLock.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
