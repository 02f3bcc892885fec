package org.parkinglot.core;

import static java.util.concurrent.TimeUnit.MICROSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven torture test of park / unparkOne / unparkAll, after the {@code test!} rows of parking_lot's
 * {@code core/src/parking_lot.rs} ({@code unpark_one_one_fast}, {@code unpark_all_hundred}, ...).
 *
 * <p>Each row starts {@code threads} threads on each of {@code latches} latches; every thread waits on its latch.
 * The unparker then, {@code singleUnparks} times, sleeps {@code delay} and releases one permit on every latch with
 * an {@code unparkOne}, waiting each time until exactly one more thread of that latch has passed; finally it sleeps
 * {@code delay} again and opens every latch with one {@code unparkAll}. Rows with delay 0 ("fast") race the
 * unparks against threads that are still on their way to park; rows with a delay let most threads park first.
 * A lost wake-up shows as a permit no thread takes or a thread that never returns; both fail the row with a
 * message rather than by the row's timeout. Repeat counts are lower than parking_lot's to keep the suite short.
 */
class ParkingLotTortureTest {

    /** How long the unparker waits for one expected step before declaring a wake-up lost. */
    private static final long STEP_NANOS = SECONDS.toNanos(20);
    private static final long SINGLE_TOKEN = 1;
    private static final long ALL_TOKEN = 2;

    /**
     * One row of the table.
     *
     * @param name          parking_lot's test name (suffixed {@code _virtual} for virtual-thread rows)
     * @param repeats       how many times the row runs
     * @param latches       independent latches, each with its own threads
     * @param delayMicros   sleep before each single unpark and before the final unparkAll
     * @param threads       waiting threads per latch
     * @param singleUnparks permits released one at a time before the latch opens
     * @param virtual       whether the waiting threads are virtual threads
     */
    record Row(String name, int repeats, int latches, long delayMicros, int threads, int singleUnparks,
               boolean virtual) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("unpark_all_one_fast", 200, 1, 0, 1, 0, false),
                new Row("unpark_all_hundred_fast", 20, 1, 0, 100, 0, false),
                new Row("unpark_one_one_fast", 200, 1, 0, 1, 1, false),
                new Row("unpark_one_hundred_fast", 5, 1, 0, 100, 100, false),
                new Row("unpark_one_fifty_then_fifty_all_fast", 10, 1, 0, 100, 50, false),
                new Row("unpark_all_one", 10, 1, 10_000, 1, 0, false),
                new Row("unpark_all_hundred", 5, 1, 10_000, 100, 0, false),
                new Row("unpark_one_one", 10, 1, 10_000, 1, 1, false),
                new Row("unpark_one_fifty", 1, 1, 10_000, 50, 50, false),
                new Row("unpark_one_fifty_then_fifty_all", 2, 1, 10_000, 100, 50, false),
                new Row("hundred_unpark_all_one_fast", 20, 100, 0, 1, 0, false),
                new Row("hundred_unpark_all_one", 1, 100, 10_000, 1, 0, false),
                new Row("unpark_one_hundred_fast_virtual", 10, 1, 0, 100, 100, true),
                new Row("unpark_one_fifty_then_fifty_all_fast_virtual", 10, 1, 0, 100, 50, true),
                new Row("unpark_all_thousand_fast_virtual", 5, 1, 0, 1000, 0, true),
                new Row("hundred_unpark_one_ten_fast_virtual", 3, 100, 0, 10, 10, true));
    }

    /**
     * A latch: a counter of permits plus an "open" flag. A waiter takes a permit if one is free, passes if the
     * latch is open, and otherwise parks on (this, 0) with a validate that re-checks both under the bucket lock,
     * so a permit or an opening that races with the park is never missed.
     */
    static final class Latch {
        final AtomicInteger permits = new AtomicInteger();
        volatile boolean open;
        final AtomicInteger passed = new AtomicInteger();
        final AtomicInteger passedByPermit = new AtomicInteger();
        final List<String> errors = new CopyOnWriteArrayList<>();

        void await() {
            for (;;) {
                if (open) {
                    passed.incrementAndGet();
                    return;
                }
                int p = permits.get();
                if (p > 0) {
                    if (permits.compareAndSet(p, p - 1)) {
                        passedByPermit.incrementAndGet();
                        passed.incrementAndGet();
                        return;
                    }
                    continue;
                }
                ParkResult r = ParkingLot.park(this, 0, () -> !open && permits.get() == 0, () -> { },
                        (k, l, last) -> errors.add("timedOut ran"), 0, ParkingLot.FOREVER, false);
                if (r.isUnparked() ? r.unparkToken() != SINGLE_TOKEN && r.unparkToken() != ALL_TOKEN
                        : r != ParkResult.INVALID) {
                    errors.add("unexpected park result " + r);
                }
            }
        }

        UnparkResult releaseOne() {
            permits.incrementAndGet();
            return ParkingLot.unparkOne(this, 0, r -> SINGLE_TOKEN);
        }

        int open() {
            open = true;
            return ParkingLot.unparkAll(this, 0, ALL_TOKEN);
        }
    }

    /** Every thread of every row returns: no permit and no opening of a latch is ever lost. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    @Timeout(value = 90, threadMode = ThreadMode.SEPARATE_THREAD)
    void everyThreadReturns(Row row) throws Exception {
        for (int repeat = 0; repeat < row.repeats(); repeat++) {
            runOnce(row, repeat);
        }
    }

    private static void runOnce(Row row, int repeat) throws InterruptedException {
        String where = row.name() + " repeat " + repeat;
        List<Latch> latches = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try {
            for (int l = 0; l < row.latches(); l++) {
                Latch latch = new Latch();
                latches.add(latch);
                for (int t = 0; t < row.threads(); t++) {
                    Runnable body = latch::await;
                    threads.add(row.virtual() ? Thread.ofVirtual().start(body)
                            : Thread.ofPlatform().daemon().start(body));
                }
            }

            for (int i = 0; i < row.singleUnparks(); i++) {
                sleepMicros(row.delayMicros());
                for (Latch latch : latches) {
                    int queued = ParkingLot.queueLength(latch, 0);
                    assertTrue(queued <= row.threads() - i, where + ": " + queued + " queued after " + i + " passed");
                    UnparkResult r = latch.releaseOne();
                    assertTrue(r.unparkedThreads() <= 1, where + ": " + r);
                    awaitPassed(latch, i + 1, where + ", single unpark " + i);
                    assertEquals(i + 1, latch.passed.get(), where + ": a permit let two threads pass");
                }
            }

            sleepMicros(row.delayMicros());
            for (Latch latch : latches) {
                int woken = latch.open();
                assertTrue(woken <= row.threads() - row.singleUnparks(), where + ": unparkAll woke " + woken);
            }
            for (Thread t : threads) {
                t.join(SECONDS.toMillis(20));
                assertFalse(t.isAlive(), where + ": a thread never returned (lost wake-up)");
            }
            for (Latch latch : latches) {
                assertEquals(List.of(), latch.errors, where);
                assertEquals(row.threads(), latch.passed.get(), where);
                assertEquals(row.singleUnparks(), latch.passedByPermit.get(), where);
                assertEquals(0, ParkingLot.queueLength(latch, 0), where);
            }
        } finally {
            for (Latch latch : latches) {
                if (!latch.open) {
                    latch.open();
                }
            }
            for (Thread t : threads) {
                while (t.isAlive()) {
                    for (Latch latch : latches) {
                        ParkingLot.unparkAll(latch, 0, ALL_TOKEN);
                    }
                    t.join(10);
                }
            }
        }
    }

    /** Waits until {@code count} threads passed the latch; fails (instead of hanging) after {@link #STEP_NANOS}. */
    private static void awaitPassed(Latch latch, int count, String where) {
        long deadline = System.nanoTime() + STEP_NANOS;
        while (latch.passed.get() < count) {
            if (System.nanoTime() - deadline > 0) {
                fail(where + ": a free permit was never taken (lost wake-up); queued "
                        + ParkingLot.queueLength(latch, 0) + ", permits " + latch.permits.get());
            }
            Thread.yield();
        }
    }

    private static void sleepMicros(long micros) throws InterruptedException {
        if (micros > 0) {
            MICROSECONDS.sleep(micros);
        }
    }
}
