package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.parkinglot.locks.MutexTestSupport.awaitTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.parkinglot.core.ParkingLot;

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

    /** Asserts the threads a deadlock reports, in cycle order from the one with the smallest id. */
    static void assertThreads(Deadlock d, Thread... threads) {
        assertEquals(Set.of(threads), Set.copyOf(d.threads()), d::toString);
    }
}
