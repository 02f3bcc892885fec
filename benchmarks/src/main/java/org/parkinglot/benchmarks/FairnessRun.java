package org.parkinglot.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * A fairness harness in the style of WebKit's {@code LockFairnessTest.cpp}: N threads hammer one lock
 * with a tiny critical section for a few seconds, and the report shows who got the lock how often and
 * how long the unluckiest wait was. Locks compared ({@link FairnessLock}): {@code RawMutex} (eventual
 * fairness: a fair hand-off on average every 0.5 ms), {@code RawMutex(no fairness)},
 * {@code RawFairMutex}, {@code ReentrantLock} and {@code ReentrantLock(fair)}.
 *
 * <p>{@code RawMutex(no fairness)} is not a mode of the library (it has no switch to disable eventual
 * fairness): it is {@link BargingMutex}, a straw man written in this module that follows
 * {@code RawMutex}'s protocol on the parking lot (LOCKED and PARKED bits, park validated under the
 * bucket lock) but whose unlock always releases and never hands over. The difference between the two
 * rows is what the fair hand-off buys.
 *
 * <p>Protocol, per lock and thread count: the main thread locks the lock, starts the threads (each
 * calls {@code lock()} at once and blocks), holds the lock 100 ms more, then releases it and sleeps for
 * the run time; then it raises a stop flag and joins the threads (each leaves after its current
 * acquisition). Each thread loops {@code lock(); shared++; unlock();}, counting its acquisitions and
 * timing every {@code lock()} call ({@link System#nanoTime()} before the call to after it returns; the
 * first wait counts from the release, not from the start) into its own HdrHistogram. The report prints,
 * per lock: throughput (acquisitions of all threads per second of run time), the longest single wait,
 * how many waits took 1 ms or more and how many 2 ms or more, the ratio of the smallest to
 * the largest per-thread count (1 is perfectly even), and each thread's acquisitions. The shared counter
 * is checked against the sum of the per-thread counts (a mutual-exclusion check).
 *
 * <p>Why more than the longest wait: on a small machine the longest wait measures the scheduler as much
 * as the lock. A waiter whose lock holder is preempted waits out the holder's time off the CPU whatever
 * the lock does (on the 2-core test machine every lock, fair ones included, showed single waits of
 * 4 to 6 ms at 2 threads), and even one thread alone, never contending, saw single {@code lock()} calls
 * of 1 to 3.5 ms (its own preemption): run with 1 thread to see the floor. The counts of long waits
 * show how often it happens, not only the worst case.
 *
 * <p>Run with (from the repository root, after {@code mvn -B -q -pl benchmarks -am package -DskipTests}):
 * <pre>{@code
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp benchmarks/target/benchmarks.jar \
 *     org.parkinglot.benchmarks.FairnessRun [threads[,threads...]] [seconds] [LOCK...]
 * }</pre>
 * Defaults: threads {@code 2,4}, seconds {@code 2}, every lock; {@code LOCK} names are the constants
 * of {@link FairnessLock} ({@code RAW_MUTEX}, {@code RAW_MUTEX_NO_FAIRNESS}, {@code RAW_FAIR_MUTEX},
 * {@code REENTRANT_LOCK}, {@code REENTRANT_LOCK_FAIR}), case-insensitive. Example:
 * {@code FairnessRun 2 2} runs every lock with 2 threads for 2 s each. The run ends in bounded time:
 * about (0.1 s + seconds) per lock and thread count, and a thread that does not stop within
 * {@value #STOP_TIMEOUT_SECONDS} s of the stop flag fails the run.
 *
 * <p>The throughput column is indicative only: it includes two {@code nanoTime()} calls per
 * acquisition, all locks share one JVM (the adapter's call to {@code lock()} is polymorphic once a
 * second lock kind has run), and there is no warm-up beyond the first 100 ms. Use
 * {@link MutexBenchmark} for speed; this harness is for the distribution.
 */
public final class FairnessRun {

    /** How long the main thread keeps the lock after starting the threads, in milliseconds. */
    static final long HOLD_MILLIS = 100L;
    /** How long the threads get to stop after the stop flag is raised, in seconds. */
    static final long STOP_TIMEOUT_SECONDS = 30L;
    /** How long the threads get to reach their first {@code lock()} call, in seconds. */
    private static final long START_TIMEOUT_SECONDS = 30L;
    /** A wait this long or longer counts as long in the report: 1 ms, in nanoseconds. */
    static final long LONG_WAIT_NANOS = 1_000_000L;
    /** The second threshold of the report: 2 ms, the longest wait the mutex issue aims for, in nanoseconds. */
    static final long VERY_LONG_WAIT_NANOS = 2_000_000L;
    /** The histograms' range: 1 ns to 60 s, with 2 significant digits. */
    private static final long HISTOGRAM_MAX_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Default thread counts. */
    private static final int[] DEFAULT_THREADS = {2, 4};
    /** Default run time per lock and thread count, in seconds. */
    private static final double DEFAULT_SECONDS = 2.0;
    private static final String USAGE = "usage: FairnessRun [threads[,threads...]] [seconds] [LOCK...]"
            + "  (defaults: 2,4  2  all of " + Arrays.toString(FairnessLock.values()) + ")";

    private FairnessRun() {
    }

    /**
     * Lock and unlock, nothing else: what the harness needs of a lock. Implemented by adapters over
     * {@link java.util.concurrent.locks.Lock} and by {@link BargingMutex}.
     */
    interface Mutex {
        /** Acquires the lock, waiting as long as it takes. */
        void lock();

        /** Releases the lock. */
        void unlock();
    }

    /**
     * The outcome of one run of one lock.
     *
     * @param lock             the lock kind
     * @param elapsedNanos     the run time, from the main thread's release to the stop flag
     * @param acquisitions     each thread's acquisition count (including its last one, after the stop flag)
     * @param longestWaitNanos the longest single {@code lock()} call of any thread
     * @param waits            every thread's {@code lock()} times, in nanoseconds (2 significant digits)
     * @param shared           the counter the critical section incremented
     */
    record Result(FairnessLock lock, long elapsedNanos, long[] acquisitions, long longestWaitNanos,
                  Histogram waits, long shared) {

        /**
         * How many {@code lock()} calls took at least {@code nanos} (within the histogram's 2 significant
         * digits).
         */
        long waitsOfAtLeast(long nanos) {
            return waits.getTotalCount() - waits.getCountBetweenValues(0L, nanos - 1L);
        }

        /**
         * Returns the acquisitions of all threads.
         *
         * @return the sum of the per-thread counts
         */
        long total() {
            return Arrays.stream(acquisitions).sum();
        }

        /**
         * Returns the acquisitions of all threads per second of run time.
         *
         * @return the throughput
         */
        double perSecond() {
            return total() * 1e9 / elapsedNanos;
        }

        /**
         * Returns the smallest per-thread count divided by the largest.
         *
         * @return a number in [0, 1]; 1 when every thread acquired equally often
         */
        double minOverMax() {
            long min = Arrays.stream(acquisitions).min().orElse(0L);
            long max = Arrays.stream(acquisitions).max().orElse(0L);
            return max == 0L ? 0.0 : (double) min / max;
        }
    }

    /**
     * Runs the harness with the command-line arguments and prints the report to standard output.
     * Exits with status 2 on bad arguments.
     *
     * @param args {@code [threads[,threads...]] [seconds] [LOCK...]}
     * @throws InterruptedException if interrupted while running
     */
    public static void main(String[] args) throws InterruptedException {
        try {
            run(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
    }

    /**
     * Parses the arguments, runs every selected lock at every thread count, prints the report.
     *
     * @param args as for {@link #main}
     * @param out  where the report goes
     * @return the results, in report order
     * @throws IllegalArgumentException if an argument is malformed
     * @throws IllegalStateException    if a thread failed or did not start or stop in time
     * @throws InterruptedException     if interrupted while running
     */
    static List<Result> run(String[] args, PrintStream out) throws InterruptedException {
        int[] threadCounts = args.length > 0 ? parseThreads(args[0]) : DEFAULT_THREADS;
        double seconds = args.length > 1 ? parseSeconds(args[1]) : DEFAULT_SECONDS;
        Set<FairnessLock> locks = EnumSet.noneOf(FairnessLock.class);
        for (int i = 2; i < args.length; i++) {
            try {
                locks.add(FairnessLock.valueOf(args[i].toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown lock: " + args[i], e);
            }
        }
        if (locks.isEmpty()) {
            locks = EnumSet.allOf(FairnessLock.class);
        }
        long runNanos = (long) (seconds * 1e9);
        List<Result> results = new ArrayList<>();
        for (int threads : threadCounts) {
            out.printf(Locale.ROOT, "# FairnessRun: %d threads, %s s per lock, critical section: one shared increment;"
                    + " the main thread holds each lock for the first %d ms%n", threads, seconds == Math.rint(seconds)
                    ? String.valueOf((long) seconds) : String.valueOf(seconds), HOLD_MILLIS);
            out.printf(Locale.ROOT, "%-22s %16s %18s %12s %12s %8s  %s%n", "lock", "acquisitions/s",
                    "longest wait (ms)", "waits >=1ms", "waits >=2ms", "min/max", "acquisitions per thread");
            for (FairnessLock lock : locks) {
                Result r = measure(lock, threads, runNanos);
                results.add(r);
                out.printf(Locale.ROOT, "%-22s %16.0f %18.3f %12d %12d %8.3f  %s%n", lock.displayName,
                        r.perSecond(), r.longestWaitNanos() / 1e6, r.waitsOfAtLeast(LONG_WAIT_NANOS),
                        r.waitsOfAtLeast(VERY_LONG_WAIT_NANOS), r.minOverMax(), Arrays.toString(r.acquisitions()));
                out.flush();
            }
            out.println();
        }
        return results;
    }

    /**
     * One run of one lock: start the threads behind the held lock, release, let them run, stop them.
     *
     * @param kind     the lock to make
     * @param threads  how many threads compete
     * @param runNanos how long they run after the release
     * @return the counts and the longest wait
     * @throws IllegalStateException if the shared counter disagrees with the per-thread counts, a thread
     *                               failed, or a thread did not start or stop in time
     * @throws InterruptedException  if interrupted while running
     */
    static Result measure(FairnessLock kind, int threads, long runNanos) throws InterruptedException {
        return new Trial(kind, threads).run(runNanos);
    }

    /** The state of one run: the lock, the threads, and what they report. */
    private static final class Trial {
        final FairnessLock kind;
        final Mutex mutex;
        final Thread[] workers;
        /** Each thread's count; written once by its thread at its end, read by the main thread after join. */
        final long[] acquisitions;
        /** Each thread's longest wait; written and read as {@link #acquisitions}. */
        final long[] longestWaits;
        /** Each thread's waits; recorded only by its thread, read by the main thread after join. */
        final Histogram[] waits;
        /** Counted down by each thread right before its first {@code lock()}. */
        final CountDownLatch ready;
        /** When the main thread released the lock; written before that release, so read after any acquisition. */
        volatile long releasedNanos;
        /** Raised once by the main thread: each thread leaves after its current acquisition. */
        volatile boolean stop;
        /** What ended a thread abnormally, if anything. */
        volatile Throwable failure;
        /** The critical section's counter; guarded by {@link #mutex}. */
        long shared;

        Trial(FairnessLock kind, int threads) {
            this.kind = kind;
            this.mutex = kind.newMutex();
            this.workers = new Thread[threads];
            this.acquisitions = new long[threads];
            this.longestWaits = new long[threads];
            this.waits = new Histogram[threads];
            this.ready = new CountDownLatch(threads);
            for (int i = 0; i < threads; i++) {
                int index = i;
                waits[i] = new Histogram(HISTOGRAM_MAX_NANOS, 2);
                workers[i] = new Thread(() -> work(index), "fairness-" + kind + "-" + i);
                workers[i].setDaemon(true); // never keeps the JVM alive if a lock is broken
            }
        }

        Result run(long runNanos) throws InterruptedException {
            long stoppedNanos;
            mutex.lock();
            boolean holding = true;
            try {
                for (Thread worker : workers) {
                    worker.start();
                }
                if (!ready.await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(kind + ": threads did not start within "
                            + START_TIMEOUT_SECONDS + " s");
                }
                Thread.sleep(HOLD_MILLIS); // let every thread reach lock() and queue behind us
                releasedNanos = System.nanoTime();
                holding = false;
                mutex.unlock();
                TimeUnit.NANOSECONDS.sleep(runNanos);
                stoppedNanos = System.nanoTime();
            } finally {
                stop = true;
                if (holding) {
                    mutex.unlock();
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_TIMEOUT_SECONDS);
            for (Thread worker : workers) {
                long left = deadline - System.nanoTime();
                if (left > 0L) {
                    TimeUnit.NANOSECONDS.timedJoin(worker, left);
                }
                if (worker.isAlive()) {
                    throw new IllegalStateException(kind + ": " + worker.getName() + " did not stop within "
                            + STOP_TIMEOUT_SECONDS + " s of the stop flag");
                }
            }
            Throwable t = failure;
            if (t != null) {
                throw new IllegalStateException(kind + ": a thread failed", t);
            }
            long[] counts = acquisitions.clone();
            long sum = Arrays.stream(counts).sum();
            if (sum != shared) {
                throw new IllegalStateException(kind + ": mutual exclusion broken: " + sum
                        + " acquisitions but the shared counter reads " + shared);
            }
            long longest = Arrays.stream(longestWaits).max().orElse(0L);
            Histogram all = new Histogram(HISTOGRAM_MAX_NANOS, 2);
            for (Histogram h : waits) {
                all.add(h);
            }
            return new Result(kind, stoppedNanos - releasedNanos, counts, longest, all, shared);
        }

        /** One thread: lock, increment, unlock until the stop flag; record the count and the waits. */
        private void work(int index) {
            try {
                Mutex m = mutex;
                Histogram h = waits[index];
                ready.countDown();
                long before = System.nanoTime();
                m.lock();
                long after = System.nanoTime();
                shared++;
                m.unlock();
                long count = 1L;
                long longest = after - Math.max(before, releasedNanos); // the wait began at the release
                h.recordValue(Math.min(longest, HISTOGRAM_MAX_NANOS));
                while (!stop) {
                    before = System.nanoTime();
                    m.lock();
                    after = System.nanoTime();
                    shared++;
                    m.unlock();
                    count++;
                    long wait = after - before;
                    longest = Math.max(longest, wait);
                    h.recordValue(Math.min(wait, HISTOGRAM_MAX_NANOS));
                }
                acquisitions[index] = count;
                longestWaits[index] = longest;
            } catch (Throwable t) {
                failure = t;
            }
        }
    }

    private static int[] parseThreads(String arg) {
        String[] parts = arg.split(",", -1);
        int[] counts = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                counts[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad thread count: " + parts[i], e);
            }
            if (counts[i] < 1 || counts[i] > 1024) {
                throw new IllegalArgumentException("thread count out of range 1..1024: " + counts[i]);
            }
        }
        return counts;
    }

    private static double parseSeconds(String arg) {
        double seconds;
        try {
            seconds = Double.parseDouble(arg);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad seconds: " + arg, e);
        }
        if (!(seconds > 0.0 && seconds <= 3600.0)) {
            throw new IllegalArgumentException("seconds out of range (0, 3600]: " + arg);
        }
        return seconds;
    }
}
