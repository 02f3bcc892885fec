package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.parkinglot.locks.MutexTestSupport.TestThreads;

/**
 * A bounded stress test of {@link Once} (about 2 s): rounds of a fresh once raced by three platform and
 * three virtual threads mixing {@code call} and {@code callForce}; in some rounds the first run throws.
 * Per round: at most one action completes, the once ends DONE or POISONED accordingly, every caller that
 * returned normally saw the completing action's write, and no thread is left parked.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OnceStressTest {

    private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int WORKERS = 6;

    private final TestThreads threads = new TestThreads();

    private volatile Once current;
    private volatile boolean stop;
    /** Written plainly by the completing action (the round number); read plainly by callers. */
    private int data;
    private final AtomicInteger completions = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger badReads = new AtomicInteger();

    @AfterEach
    void cleanUp() {
        threads.close();
    }

    /** Races call and callForce on fresh onces, some of whose first runs throw; checks every round's outcome. */
    @Test
    void racingCallsAndRetries() throws Exception {
        CyclicBarrier start = new CyclicBarrier(WORKERS + 1);
        CyclicBarrier end = new CyclicBarrier(WORKERS + 1);
        AtomicInteger roundNumber = new AtomicInteger();
        for (int w = 0; w < WORKERS; w++) {
            int id = w;
            MutexTestSupport.Body body = () -> {
                while (true) {
                    start.await();
                    if (stop) {
                        return;
                    }
                    Once once = current;
                    int round = roundNumber.get();
                    boolean throwFirst = round % 3 == 0;
                    boolean force = id % 2 == 0;
                    Runnable action = () -> {
                        if (throwFirst && failures.get() == 0) {
                            failures.incrementAndGet();
                            throw new IllegalStateException("planned failure in round " + round);
                        }
                        completions.incrementAndGet();
                        data = round;
                    };
                    try {
                        if (force) {
                            once.callForce(action);
                        } else {
                            once.call(action);
                        }
                        if (data != round) {
                            badReads.incrementAndGet();
                        }
                    } catch (IllegalStateException expected) {
                        // the planned failure itself, or a poisoned once seen by a non-forcing caller
                    }
                    end.await();
                }
            };
            if (w % 2 == 0) {
                threads.start("worker-" + w, body);
            } else {
                threads.startVirtual("worker-" + w, body);
            }
        }
        long begin = System.nanoTime();
        int rounds = 0;
        while (System.nanoTime() - begin < RUN_NANOS) {
            Once once = new Once();
            current = once;
            completions.set(0);
            failures.set(0);
            roundNumber.set(rounds);
            start.await(30, TimeUnit.SECONDS);
            end.await(30, TimeUnit.SECONDS);
            boolean throwFirst = rounds % 3 == 0;
            int c = completions.get();
            assertTrue(c <= 1, "round " + rounds + ": " + c + " completions");
            // Forcing workers (half of them) always complete it if it is not done: at least one completion.
            assertEquals(1, c, "round " + rounds + ": completions (first run throws: " + throwFirst + ")");
            assertEquals(Once.State.DONE, once.state());
            assertEquals(0, org.parkinglot.core.ParkingLot.queueLength(once, 0L));
            rounds++;
        }
        stop = true;
        start.await(30, TimeUnit.SECONDS);
        threads.joinAll();
        assertEquals(0, badReads.get(), "callers that returned without seeing the action's write");
        assertTrue(rounds > 10, "rounds: " + rounds);
    }
}
