/*
 * After parking_lot `benchmark/src/bin/mutex.rs` and `rwlock.rs` (run_benchmark): same workload and
 * shape, plus the longest single wait.
 */
package org.parkinglot.benchmarks.lockbench;

import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One timed run: starts the threads of a {@link ThreadConfig} on a barrier, lets them take one fresh
 * lock in a loop for the given time, then clears a volatile flag and collects their counts.
 *
 * <p>The workload is parking_lot's. A writer does, per iteration, under the exclusive lock
 * {@code workInside} times {@code shared += value; shared *= 1.01; value = shared}, then outside the
 * lock {@code workBetween} times the same on a thread-local double. A reader does, under the shared
 * lock, {@code local += value; local *= shared; value = local}. The lock and the shared double sit
 * between two 300-byte arrays, allocated in that order (bump allocation puts them next to each other),
 * so that no other hot data shares their cache lines.
 *
 * <p>Every critical section also counts itself in a plain field under the lock, and a run whose count
 * disagrees with the threads' own counts fails: a mutual-exclusion check. In keyed mode
 * ({@link Mode#KEYED}) threads hold different keys at once, so each writer works on a value of its own
 * (allocated by its thread) and there is no shared count to check; per-key exclusion is the keyed
 * structures' own tests' business. Every lock call is timed,
 * for the longest wait and the counts of waits of {@value #LONG_WAIT_NANOS} ns and
 * {@value #VERY_LONG_WAIT_NANOS} ns or more ({@code --fairness}).
 */
public final class Workload {

    /** Bytes of each pad around the lock, as parking_lot's harness ({@code [0u8; 300]}). */
    static final int PAD_BYTES = 300;
    /** How long after the stop flag the threads may take to finish before the run counts as stuck. */
    static final long STUCK_AFTER_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** A wait this long or longer counts as long: 1 ms. */
    static final long LONG_WAIT_NANOS = 1_000_000L;
    /** A wait this long or longer counts as very long: 2 ms, the longest wait the mutex issue aims for. */
    static final long VERY_LONG_WAIT_NANOS = 2_000_000L;

    private Workload() {
    }

    /** The data the critical sections guard. */
    static final class SharedValue {
        /** Written under the exclusive lock, read under the shared or exclusive lock. */
        double shared;
        /** Exclusive critical sections so far; written under the exclusive lock, read after the join. */
        long sections;
    }

    /** One thread's lock waits (touched by that thread only, read by the main thread after the join). */
    abstract static class Waits {
        /** The longest wait. */
        long maxWait;
        /** Waits of at least {@link #LONG_WAIT_NANOS}. */
        long longWaits;
        /** Waits of at least {@link #VERY_LONG_WAIT_NANOS}. */
        long veryLongWaits;

        /** Records one wait. */
        final void record(long waitedNanos) {
            if (waitedNanos > maxWait) {
                maxWait = waitedNanos;
            }
            if (waitedNanos >= LONG_WAIT_NANOS) {
                longWaits++;
                if (waitedNanos >= VERY_LONG_WAIT_NANOS) {
                    veryLongWaits++;
                }
            }
        }
    }

    /** The stop flag, read by every thread on every iteration. */
    static final class Flag {
        /** Cleared once by the main thread. */
        volatile boolean running = true;
    }

    /** A writer's critical section and its per-thread state (touched by one thread only). */
    static final class WriterSection extends Waits implements CriticalSection {
        private final SharedValue cell;
        private final int inside;
        double value;

        WriterSection(SharedValue cell, int inside) {
            this.cell = cell;
            this.inside = inside;
        }

        @Override
        public void run(long waitedNanos) {
            record(waitedNanos);
            SharedValue c = cell;
            c.sections++;
            for (int i = 0; i < inside; i++) {
                c.shared += value;
                c.shared *= 1.01;
                value = c.shared;
            }
        }
    }

    /** A reader's critical section and its per-thread state (touched by one thread only). */
    static final class ReaderSection extends Waits implements CriticalSection {
        private final SharedValue cell;
        private final int inside;
        double value;
        double local;

        ReaderSection(SharedValue cell, int inside) {
            this.cell = cell;
            this.inside = inside;
        }

        @Override
        public void run(long waitedNanos) {
            record(waitedNanos);
            SharedValue c = cell;
            for (int i = 0; i < inside; i++) {
                local += value;
                local *= c.shared;
                value = local;
            }
        }
    }

    /**
     * Runs one lock for one configuration.
     *
     * @param competitor  the lock
     * @param config      how many writer and reader threads
     * @param workInside  units of work per critical section
     * @param workBetween units of work between critical sections
     * @param nanos       how long the threads run
     * @return the counts
     * @throws InterruptedException if the calling thread is interrupted
     * @throws BenchmarkException  if a thread did not finish within {@link #STUCK_AFTER_NANOS} of the stop
     *                             flag (the lock was probably never released), a thread failed, or the
     *                             critical sections' own count disagrees with the threads' (no exclusion)
     */
    public static RunResult run(Competitor competitor, ThreadConfig config, int workInside, int workBetween,
                                long nanos) throws InterruptedException, BenchmarkException {
        byte[] padBefore = new byte[PAD_BYTES];
        LockSubject subject = competitor.newSubject();
        SharedValue cell = new SharedValue();
        byte[] padAfter = new byte[PAD_BYTES];

        int n = config.threads();
        Flag flag = new Flag();
        CyclicBarrier barrier = new CyclicBarrier(n + 1);
        long[] iterations = new long[n];
        Waits[] waits = new Waits[n];
        double[] sinks = new double[n];
        Throwable[] failures = new Throwable[n];
        Thread[] threads = new Thread[n];
        boolean keyed = competitor.mode() == Mode.KEYED;
        for (int t = 0; t < n; t++) {
            final int index = t;
            final boolean writer = t < config.writers();
            threads[t] = Thread.ofPlatform()
                    .name("lockbench-" + (writer ? "writer-" + t : "reader-" + (t - config.writers())))
                    .daemon(true)
                    .unstarted(() -> {
                        try {
                            barrier.await();
                            if (writer) {
                                SharedValue guarded = keyed ? new SharedValue() : cell; // keyed: see the class doc
                                writerLoop(subject, new WriterSection(guarded, workInside), flag, workBetween,
                                        index, iterations, waits, sinks);
                            } else {
                                readerLoop(subject, new ReaderSection(cell, workInside), flag, workBetween,
                                        index, iterations, waits, sinks);
                            }
                        } catch (Throwable e) {
                            failures[index] = e;
                        }
                    });
        }
        for (Thread t : threads) {
            t.start();
        }
        try {
            barrier.await(STUCK_AFTER_NANOS, TimeUnit.NANOSECONDS);
        } catch (BrokenBarrierException | TimeoutException e) {
            flag.running = false;
            throw new BenchmarkException(competitor.name() + ": threads did not start: " + e);
        }
        long start = System.nanoTime();
        TimeUnit.NANOSECONDS.sleep(nanos);
        flag.running = false;
        long end = System.nanoTime();

        long deadline = end + STUCK_AFTER_NANOS;
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            if (t.isAlive()) {
                throw new BenchmarkException(competitor.name() + ", " + config.label(competitor.mode())
                        + " threads: " + t.getName() + " still running 30 s after the run ended"
                        + " (is the lock never released?)");
            }
        }
        for (int t = 0; t < n; t++) {
            if (failures[t] != null) {
                throw new BenchmarkException(competitor.name() + ": " + threads[t].getName() + " failed: "
                        + failures[t], failures[t]);
            }
        }
        Reference.reachabilityFence(padBefore);
        Reference.reachabilityFence(padAfter);
        Blackhole.consume(sinks);

        long[] writerIterations = new long[config.writers()];
        long[] readerIterations = new long[config.readers()];
        System.arraycopy(iterations, 0, writerIterations, 0, writerIterations.length);
        System.arraycopy(iterations, writerIterations.length, readerIterations, 0, readerIterations.length);
        long exclusive = Arrays.stream(writerIterations).sum();
        if (!keyed && cell.sections != exclusive) {
            throw new BenchmarkException(competitor.name() + ": mutual exclusion broken: " + exclusive
                    + " exclusive critical sections, but their shared counter reads " + cell.sections);
        }
        return new RunResult(end - start, writerIterations, readerIterations,
                Arrays.stream(waits).mapToLong(w -> w.maxWait).toArray(),
                Arrays.stream(waits).mapToLong(w -> w.longWaits).toArray(),
                Arrays.stream(waits).mapToLong(w -> w.veryLongWaits).toArray());
    }

    private static void writerLoop(LockSubject subject, WriterSection section, Flag flag, int between,
                                   int index, long[] iterations, Waits[] waits, double[] sinks) {
        long count = 0;
        double local = 0.0;
        while (flag.running) {
            subject.exclusive(section);
            double value = section.value;
            for (int i = 0; i < between; i++) {
                local += value;
                local *= 1.01;
                value = local;
            }
            section.value = value;
            count++;
        }
        iterations[index] = count;
        waits[index] = section;
        sinks[index] = section.value + local;
    }

    private static void readerLoop(LockSubject subject, ReaderSection section, Flag flag, int between,
                                   int index, long[] iterations, Waits[] waits, double[] sinks) {
        long count = 0;
        while (flag.running) {
            subject.shared(section);
            double value = section.value;
            double local = section.local;
            for (int i = 0; i < between; i++) {
                local += value;
                local *= 1.01;
                value = local;
            }
            section.value = value;
            section.local = local;
            count++;
        }
        iterations[index] = count;
        waits[index] = section;
        sinks[index] = section.value + section.local;
    }

    /** Keeps results alive so the JIT cannot drop the work that produced them. */
    private static final class Blackhole {
        private static volatile double sink;

        static void consume(double[] values) {
            double s = 0;
            for (double v : values) {
                s += v;
            }
            sink = s;
        }
    }
}
