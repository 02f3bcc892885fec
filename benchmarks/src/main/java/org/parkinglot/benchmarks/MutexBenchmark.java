package org.parkinglot.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Lock and unlock of one mutex, alone and under contention, for every competitor of
 * {@link LockType} it lists: {@code RawMutex}, {@code RawFairMutex}, {@code ReentrantMutex} (unfair and fair),
 * {@code ReentrantLock} (unfair and fair), {@code synchronized}, {@code StampedLock}'s write lock, the
 * CAS + CAS floor, and {@code FieldMutex} in an int and a long field. The critical section increments a
 * field guarded by the lock.
 * <ul>
 *   <li>{@link #uncontended()}: one thread locks and unlocks a lock nobody else touches; average time
 *       per lock + increment + unlock, in ns/op. Run it without {@code -t} (one thread).</li>
 *   <li>{@link #contended()}: every benchmark thread locks the same lock, increments, unlocks, then
 *       burns {@value #WORK_OUTSIDE} tokens of {@link Blackhole#consumeCPU(long)} outside the lock;
 *       total throughput of all threads in ops/µs. The thread count is chosen with {@code -t}
 *       (2 without it).</li>
 * </ul>
 *
 * <p>Run with (from the repository root; {@code JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}):
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * $JAVA -jar benchmarks/target/benchmarks.jar 'MutexBenchmark.uncontended' -f 3 -wi 5 -i 5 -w 1s -r 1s
 * $JAVA -jar benchmarks/target/benchmarks.jar 'MutexBenchmark.contended' -t 2 -f 3 -wi 5 -i 5 -w 1s -r 1s
 * $JAVA -jar benchmarks/target/benchmarks.jar 'MutexBenchmark.contended' -t 4 -f 3 -wi 5 -i 5 -w 1s -r 1s
 * $JAVA -jar benchmarks/target/benchmarks.jar 'MutexBenchmark.contended' -t 8 -f 3 -wi 5 -i 5 -w 1s -r 1s
 * }</pre>
 * or the three contended runs in one loop:
 * <pre>{@code
 * for t in 2 4 8; do
 *   $JAVA -jar benchmarks/target/benchmarks.jar 'MutexBenchmark.contended' -t $t -f 3 -wi 5 -i 5 -w 1s -r 1s
 * done
 * }</pre>
 * Add {@code -p type=RAW_MUTEX,REENTRANT_LOCK} to run some competitors only.
 *
 * <p>JFR events (org.parkinglot.ContendedAcquisition, org.parkinglot.LongHold; docs/jfr.md). Disabled,
 * they must cost nothing: compare a run of the commit before them with the same run after, as above.
 * Their classes absent: add the JVM option that hides the {@code jdk.jfr} module from the forks (and
 * {@code jdk.management.jfr}, the one module that needs it):
 * <pre>{@code
 * NOJFR=$($JAVA --list-modules | cut -d@ -f1 | grep -vx -e jdk.jfr -e jdk.management.jfr | paste -sd, -)
 * $JAVA -jar benchmarks/target/benchmarks.jar 'MutexBenchmark' -p type=RAW_MUTEX,REENTRANT_MUTEX \
 *     -jvmArgsAppend "--limit-modules=$NOJFR" -f 3 -wi 5 -i 5 -w 1s -r 1s
 * }</pre>
 * Enabled (threshold 0, every contended park recorded: the worst case), add {@code -p jfr=on}; the
 * default {@code off} starts no recording.
 *
 * <p>Reading the numbers. Uncontended, the floor is what any lock that can park must pay (a
 * read-modify-write to lock and another to unlock, to see whether a waiter needs waking); the rest is
 * each lock's own bookkeeping (owner and hold count for the reentrant ones). Contended, the unfair locks
 * let the unlocking thread re-acquire at once while a waiter wakes up, the fair ones hand the lock to a
 * parked thread on every contended unlock and so pay a scheduler wake-up per hand-off; the floor never
 * parks, so with more threads than cores its waiters burn the time slices the holder needs. Fairness
 * itself (who gets the lock, how long a waiter waits) is measured by {@code lockbench --fairness}, not here.
 */
@Fork(3)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class MutexBenchmark {

    /*
     * Implementation notes.
     *
     * One state for both benchmarks, Scope.Benchmark: under `contended` every thread shares the one
     * counter and its lock; under `uncontended` the single thread has it to itself. JMH forks each
     * parameter value into its own JVM (unless -f 0), so the call to increment() and the lock calls
     * inside it are monomorphic in every measured fork; each competitor's counter holds its lock in a
     * field of the lock's exact class for the same reason.
     *
     * The increment writes a heap field reachable from the state, so neither the critical section nor
     * the lock around it can be removed as dead code; lock elision needs the lock object not to escape,
     * and it escapes (it lives in the state).
     */

    /** Tokens of {@link Blackhole#consumeCPU(long)} each thread burns outside the lock in {@link #contended()}. */
    public static final long WORK_OUTSIDE = 20L;

    /** The competitor. */
    @Param({"RAW_MUTEX", "RAW_FAIR_MUTEX", "REENTRANT_MUTEX", "REENTRANT_MUTEX_FAIR", "REENTRANT_LOCK",
        "REENTRANT_LOCK_FAIR", "SYNCHRONIZED", "STAMPED_LOCK", "FLOOR",
        "FIELD_MUTEX", "FIELD_MUTEX_LONG"})
    public LockType type;

    /**
     * {@code on}: record this package's JFR events (threshold 0) during the trial; {@code off} (also the
     * value when the state is built outside JMH, as the unit tests do): no recording.
     */
    @Param({"off"})
    public String jfr = "off";

    /** The counter and its lock, shared by every benchmark thread. */
    LockedCounter counter;

    /** The recording of {@code jfr=on}, else null; typed AutoCloseable so that jdk.jfr is touched only then. */
    AutoCloseable recording;

    /** 128 bytes allocated right after the lock, so that nothing written by the threads follows it on its line. */
    long[] lockLineGuard;

    /** Creates the benchmark state; the setup does the work. */
    public MutexBenchmark() {
    }

    /** Makes the counter and its lock for this trial. */
    @Setup(Level.Trial)
    public void setUp() {
        counter = LockedCounter.of(type);
        // The lock was allocated last, inside the constructor: keep the next allocation off its cache
        // line too (the guarded data is padded inside its own object, see its "Layout").
        lockLineGuard = new long[16];
        if (jfr.equals("on")) {
            recording = EventsRecording.start();
        } else if (!jfr.equals("off")) {
            throw new IllegalArgumentException("jfr must be on or off: " + jfr);
        }
    }

    /** Ends the recording of {@code jfr=on} (discarded, never written out). */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (recording != null) {
            recording.close();
            recording = null;
        }
    }

    /** Starts a recording of the locks' events; a class of its own, loaded only with {@code jfr=on}. */
    static final class EventsRecording {
        private EventsRecording() {
        }

        static AutoCloseable start() {
            Recording r = new Recording();
            r.enable("org.parkinglot.ContendedAcquisition").withThreshold(Duration.ZERO);
            r.enable("org.parkinglot.LongHold").withThreshold(Duration.ZERO);
            r.start();
            return r;
        }
    }

    /** One thread: lock, increment, unlock; nobody else touches the lock. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Threads(1)
    public void uncontended() {
        counter.increment();
    }

    /** Every thread: lock the shared lock, increment, unlock, then a little work outside the lock. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(2)
    public void contended() {
        counter.increment();
        Blackhole.consumeCPU(WORK_OUTSIDE);
    }
}
