package org.parkinglot.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.parkinglot.locks.ReentrantMutex;

/**
 * Many parked threads (issue 13): the time for {@code threads} virtual threads, each blocking on its
 * own lock that the benchmark thread holds, to start and all be parked. This is the load under which
 * the parking lot's table must grow (one key per thread) in amortized O(1) work per park; a table that
 * re-summed every bucket on growth checks took 94 s for a million threads where {@code ReentrantLock}
 * took 3.2 s. Competitors ({@link LockType}): {@code ReentrantMutex} and {@code ReentrantLock}.
 *
 * <p>Run with (from the repository root; both competitors, three forks each, in one invocation):
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar benchmarks/target/benchmarks.jar ParkedThreadsBenchmark
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar benchmarks/target/benchmarks.jar ParkedThreadsBenchmark -p threads=300000
 * }</pre>
 * (defaults: 1 000 000 threads, 3 forks of 2 warm-up and 3 measured single shots; a single shot at a
 * million threads takes seconds, plus as long again to release them). The score is the time in ms from
 * the first thread's start until every thread is parked in its lock's queue; the ratio to quote is
 * {@code REENTRANT_MUTEX / REENTRANT_LOCK}. JMH runs each competitor in forks of its own;
 * {@link ParkedThreadsRace} runs the same shots of both alternately in one JVM.
 *
 * <p>A thread counts as parked when it is queued in its lock ({@code hasQueuedThread}) and its state
 * is {@code WAITING}, so a thread still busy inside the lock's slow path (the parking lot runs its
 * growth check after queuing) is waited for. After each shot, the teardown unlocks every lock, joins
 * every thread (bounded) and fails the run unless each thread acquired its lock exactly once: no
 * thread may be lost.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@State(Scope.Thread)
public class ParkedThreadsBenchmark {

    /*
     * Implementation notes.
     *
     * The locks are taken in the iteration setup by the benchmark thread, which also releases them in
     * the teardown: JMH runs a Scope.Thread state's helpers on the benchmark thread, and both locks are
     * owned. The measured method only starts the threads and then polls them in start order, sleeping
     * 1 ms whenever the next one is not parked yet, so the poller takes little CPU from the two
     * carrier threads that run the virtual threads. Heap is fixed (-Xms4g -Xmx4g) so that neither
     * competitor's shots include heap resizing.
     */

    /** How long the teardown waits for all threads to acquire and finish before failing the run. */
    private static final long RELEASE_TIMEOUT_SECONDS = 300;

    /** The competitor. */
    @Param({"REENTRANT_MUTEX", "REENTRANT_LOCK"})
    public LockType type;

    /** How many virtual threads park, each on its own lock. */
    @Param({"1000000"})
    public int threads;

    /** The locks, held by the benchmark thread during the shot. */
    Lock[] locks;
    /** The waiting threads, in start order. */
    Thread[] waiters;
    /** How many threads acquired their lock after the release. */
    AtomicInteger acquired;

    /** Makes and locks {@link #threads} fresh locks. */
    @Setup(Level.Iteration)
    public void lockAll() {
        locks = new Lock[threads];
        for (int i = 0; i < threads; i++) {
            locks[i] = (Lock) type.newLock();
            locks[i].lock();
        }
        waiters = new Thread[threads];
        acquired = new AtomicInteger();
    }

    /**
     * Starts one virtual thread per lock, each blocking on its lock, and returns once all are parked.
     *
     * @throws InterruptedException if the benchmark thread is interrupted
     */
    @Benchmark
    public void startUntilAllParked() throws InterruptedException {
        AtomicInteger count = acquired;
        for (int i = 0; i < threads; i++) {
            Lock lock = locks[i];
            waiters[i] = Thread.ofVirtual().start(() -> {
                lock.lock();
                try {
                    count.incrementAndGet();
                } finally {
                    lock.unlock();
                }
            });
        }
        for (int i = 0; i < threads; i++) {
            Thread t = waiters[i];
            while (t.getState() != Thread.State.WAITING || !isQueued(locks[i], t)) {
                Thread.sleep(1);
            }
        }
    }

    /**
     * Releases every lock, waits for every thread to acquire it and finish, and fails if one did not.
     *
     * @throws InterruptedException if the benchmark thread is interrupted
     */
    @TearDown(Level.Iteration)
    public void releaseAndCheck() throws InterruptedException {
        releaseAndCheck(RELEASE_TIMEOUT_SECONDS);
    }

    /** {@link #releaseAndCheck()} with a bound of {@code timeoutSeconds} (tests use a short one). */
    void releaseAndCheck(long timeoutSeconds) throws InterruptedException {
        for (Lock lock : locks) {
            lock.unlock();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (int i = 0; i < threads; i++) {
            Thread t = waiters[i];
            if (t == null) {
                continue; // the shot failed before starting it
            }
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (t.isAlive()) {
                throw new IllegalStateException("thread " + i + " of " + threads + " never acquired its "
                        + type + " after the release: lost");
            }
        }
        if (acquired.get() != threads) {
            throw new IllegalStateException(acquired.get() + " of " + threads + " threads acquired their " + type);
        }
        locks = null;
        waiters = null;
    }

    /**
     * Whether {@code thread} waits in the queue of {@code lock}, a {@link ReentrantMutex} (in the parking
     * lot, under the mutex's key) or a {@link ReentrantLock} (in the lock's own AQS queue).
     *
     * @param lock   a lock of one of the two competitors
     * @param thread the thread to look for
     * @return {@code true} if it is queued
     */
    static boolean isQueued(Lock lock, Thread thread) {
        return lock instanceof ReentrantMutex m ? m.hasQueuedThread(thread) : ((ReentrantLock) lock).hasQueuedThread(thread);
    }
}
