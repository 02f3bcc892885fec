package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.parkinglot.locks.MutexTestSupport.awaitTrue;
import static org.parkinglot.locks.MutexTestSupport.whileHolding;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.locks.MutexTestSupport.Body;
import org.parkinglot.locks.MutexTestSupport.TestThreads;

/** Helpers of the deadlock finder's tests ({@link DeadlocksTest}, {@link DeadlocksTrackingTest}). */
final class DeadlockTestSupport {

    private DeadlockTestSupport() {
    }

    /**
     * Polls {@link Deadlocks#find()} until it reports a deadlock of exactly {@code threads}, and returns
     * it; fails after {@link MutexTestSupport#POLL_LIMIT_NANOS}.
     */
    static Deadlock awaitDeadlockOf(Thread... threads) throws InterruptedException {
        Set<Thread> expected = Set.of(threads);
        AtomicReference<Deadlock> found = new AtomicReference<>();
        awaitTrue("a deadlock of " + expected + " is found", () -> {
            for (Deadlock d : Deadlocks.find()) {
                if (Set.copyOf(d.threads()).equals(expected) && d.entries().size() == threads.length) {
                    found.set(d);
                    return true;
                }
            }
            return false;
        });
        return found.get();
    }

    /** Asserts that {@code d}'s entry of {@code thread} waits for {@code waitingFor} and holds {@code holding}. */
    static void assertEntry(Deadlock d, Thread thread, Object waitingFor, Object holding) {
        Deadlock.Entry e = d.entries().stream().filter(x -> x.thread() == thread).findFirst()
                .orElseThrow(() -> new AssertionError(thread.getName() + " is not in " + d));
        assertTrue(e.waitingFor() == waitingFor,
                () -> thread.getName() + " waits for " + e.waitingFor() + ", not " + waitingFor);
        assertTrue(e.holding() == holding, () -> thread.getName() + " holds " + e.holding() + ", not " + holding);
    }

    /** Calls {@link Deadlocks#find()} repeatedly for {@code millis} ms and fails if it ever reports anything. */
    static void assertNoDeadlockFor(long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        int rounds = 0;
        do {
            List<Deadlock> found = Deadlocks.find();
            if (!found.isEmpty()) {
                fail("false deadlock reported after " + rounds + " rounds: " + found);
            }
            rounds++;
            Thread.sleep(1);
        } while (System.nanoTime() - end < 0L);
        assertTrue(rounds > 0);
    }

    /** Waits until {@code thread} sleeps in the parking lot under (key, lane). */
    static void awaitSleepingOn(Thread thread, Object key, long lane) throws InterruptedException {
        try {
            awaitTrue(thread.getName() + " sleeps on " + key + " lane " + lane, () -> ParkingLot.parkedThreads()
                    .stream().anyMatch(p -> p.thread() == thread && p.key() == key && p.lane() == lane && p.sleeping()));
        } catch (AssertionError e) {
            StringBuilder b = new StringBuilder(e.getMessage()).append("; ").append(thread.getName()).append(" is ")
                    .append(thread.getState()).append(", parked: ").append(ParkingLot.parkedThreads());
            for (StackTraceElement f : thread.getStackTrace()) {
                b.append("\n    at ").append(f);
            }
            throw new AssertionError(b.toString(), e);
        }
    }

    /** Waits until {@code thread} sleeps in the parking lot under (key, 0). */
    static void awaitSleepingOn(Thread thread, Object key) throws InterruptedException {
        awaitSleepingOn(thread, key, 0L);
    }

    /**
     * A body that takes {@code outer}, then {@code inner}, counts {@code waiting} down and runs
     * {@code await} (a condition wait releasing {@code inner} only), releasing both at the end.
     */
    static Body holdBothAndWait(Lock outer, Lock inner, CountDownLatch waiting, Body await) {
        return whileHolding(outer, whileHolding(inner, () -> {
            waiting.countDown();
            await.run();
        }));
    }

    /**
     * A body that takes {@code held}, runs {@code signal} (a notify that moves a waiter onto
     * {@code held}'s queue), then waits interruptibly for {@code wanted}.
     */
    static Body signalThenWaitFor(Lock held, Runnable signal, Lock wanted) {
        return whileHolding(held, () -> {
            signal.run();
            wanted.lockInterruptibly();
            wanted.unlock();
        });
    }

    /**
     * A waiter takes {@code m1}, then {@code m2}, and waits on a condition of {@code m2} (parking under
     * {@code conditionKey}); a signaller takes {@code m2}, signals (moving the waiter onto {@code m2}'s
     * queue, as {@code m2} is held) and waits for {@code m1}: the finder reports that deadlock.
     */
    static void assertSignalledWaiterDeadlock(Lock m1, Lock m2, Object conditionKey, Body await, Runnable signal)
            throws InterruptedException {
        CountDownLatch waiting = new CountDownLatch(1);
        try (TestThreads threads = new TestThreads()) {
            Thread waiter = threads.start("condition-waiter", holdBothAndWait(m1, m2, waiting, await));
            waiting.await();
            awaitSleepingOn(waiter, conditionKey);
            Thread signaller = threads.start("signaller", signalThenWaitFor(m2, signal, m1));
            Deadlock d = awaitDeadlockOf(waiter, signaller);
            assertEntry(d, waiter, m2, m1);
            assertEntry(d, signaller, m1, m2);
        }
    }

    /**
     * A body that reads {@code r}, counts {@code reading} down, waits for {@code proceed}, and reads
     * again, interruptibly and not recursively (so it queues behind a writer's claim).
     */
    static Body readThenReadAgain(RawRwLock r, CountDownLatch reading, CountDownLatch proceed) {
        return () -> {
            r.lockShared();
            try {
                reading.countDown();
                proceed.await();
                r.lockSharedInterruptibly();
                r.unlockShared();
            } finally {
                r.unlockShared();
            }
        };
    }

    /** One timed attempt to acquire something. */
    @FunctionalInterface
    interface TimedTry {
        /** Tries for at most {@code micros} microseconds. */
        boolean tryFor(long micros) throws InterruptedException;
    }

    /** Repeats short timed attempts (0 to 49 microseconds) until one acquires. */
    static void retryTimed(TimedTry attempt, ThreadLocalRandom rnd) throws InterruptedException {
        while (!attempt.tryFor(rnd.nextInt(50))) {
            Thread.onSpinWait();
        }
    }

    /** Takes {@code m} with {@code lock()}, {@code lockInterruptibly()} or repeated timed tries, at random. */
    static void lockSomehow(Lock m, ThreadLocalRandom rnd) throws InterruptedException {
        switch (rnd.nextInt(3)) {
            case 0 -> m.lock();
            case 1 -> m.lockInterruptibly();
            default -> retryTimed(us -> m.tryLock(us, TimeUnit.MICROSECONDS), rnd);
        }
    }

    /** How a contention run takes, uses and releases its locks; {@code H} is one hold. */
    interface Locking<H> {
        /** Takes lock {@code index} in some way. */
        H take(int index, ThreadLocalRandom rnd) throws InterruptedException;

        /** Does something with the innermost hold (a condition wait, a bump, a mode change). */
        void work(H hold, ThreadLocalRandom rnd) throws InterruptedException;

        /** Releases a hold. */
        void release(H hold);
    }

    /**
     * Runs 8 threads (half of them virtual) that take one or two of {@code lockCount} locks, always in
     * index order (so there are waits but no deadlock), for {@code millis} ms, while this thread calls
     * the finder in a loop and a background checker runs; fails if either reports anything.
     *
     * @return how many rounds the threads completed
     */
    static <H> int contendWithoutDeadlock(int lockCount, long millis, Locking<H> locking) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger rounds = new AtomicInteger();
        List<Deadlock> reported = new CopyOnWriteArrayList<>();
        Body body = () -> {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            while (!stop.get()) {
                int i = rnd.nextInt(lockCount);
                int j = i + 1 + rnd.nextInt(lockCount - i); // j == lockCount: one lock only
                H outer = locking.take(i, rnd);
                try {
                    if (j < lockCount) {
                        H inner = locking.take(j, rnd);
                        try {
                            locking.work(inner, rnd);
                        } finally {
                            locking.release(inner);
                        }
                    } else {
                        locking.work(outer, rnd);
                    }
                } finally {
                    locking.release(outer);
                }
                rounds.incrementAndGet();
            }
        };
        try (TestThreads threads = new TestThreads();
             Deadlocks.Checker checker = Deadlocks.startChecker(Duration.ofMillis(1), reported::add)) {
            for (int n = 0; n < 8; n++) {
                if (n % 2 == 0) {
                    threads.start("contender-" + n, body);
                } else {
                    threads.startVirtual("contender-" + n, body);
                }
            }
            assertNoDeadlockFor(millis);
            stop.set(true);
            threads.joinAll(); // condition waits are short and timed
            assertTrue(checker.isRunning());
        }
        assertTrue(reported.isEmpty(), reported::toString);
        assertTrue(rounds.get() > 100, "only " + rounds.get() + " rounds");
        return rounds.get();
    }

    /** Asserts the threads a deadlock reports, in cycle order from the one with the smallest id. */
    static void assertThreads(Deadlock d, Thread... threads) {
        assertEquals(Set.of(threads), Set.copyOf(d.threads()), d::toString);
    }
}
