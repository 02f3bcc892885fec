package org.parkinglot.benchmarks;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Shared and exclusive acquisitions of one read-write lock, alone and under a mix of readers and
 * writers, for every competitor of {@link LockType} it lists: {@code RawRwLock}, {@code ReentrantRwLock} and
 * {@code ReentrantReadWriteLock} (each unfair and fair) and {@code StampedLock} (pessimistic read and write
 * locks, no optimistic reads).
 * The lock guards a pair of longs ({@link LockedPair}): a write sets both to the next value, a read
 * loads both and returns their difference (consumed by JMH).
 * <ul>
 *   <li>{@link #uncontendedRead()}, {@link #uncontendedWrite()}: one thread takes the shared (resp.
 *       exclusive) lock nobody else touches, reads (resp. writes) the pair and releases it; average time
 *       per operation in ns/op. Run them without {@code -t} (one thread).</li>
 *   <li>{@link #mix(Ops)}: every benchmark thread, on the same lock, reads with probability
 *       {@code readPercent}% ({@code @Param} 100, 95, 50) and writes otherwise, then burns
 *       {@value #WORK_OUTSIDE} tokens of {@link Blackhole#consumeCPU(long)} outside the lock; total
 *       throughput of all threads in ops/µs. The thread count is chosen with {@code -t} (2 without it).
 *       </li>
 * </ul>
 *
 * <p>Run with (from the repository root; {@code JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}):
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * $JAVA -jar benchmarks/target/benchmarks.jar 'RwLockBenchmark.uncontended' -f 3 -wi 5 -i 5 -w 1s -r 1s
 * $JAVA -jar benchmarks/target/benchmarks.jar 'RwLockBenchmark.mix' -t 2 -f 3 -wi 5 -i 5 -w 1s -r 1s
 * $JAVA -jar benchmarks/target/benchmarks.jar 'RwLockBenchmark.mix' -t 4 -f 3 -wi 5 -i 5 -w 1s -r 1s
 * $JAVA -jar benchmarks/target/benchmarks.jar 'RwLockBenchmark.mix' -t 8 -f 3 -wi 5 -i 5 -w 1s -r 1s
 * $JAVA -jar benchmarks/target/benchmarks.jar 'RwLockBenchmark.readersWriter' -tg 3,1 -f 3 -wi 5 -i 5 -w 1s -r 1s
 * }</pre>
 * ({@code readersWriter} is a JMH group of dedicated reader threads and one writer thread; {@code -tg}
 * sets the counts), or the three mixed runs in one loop:
 * <pre>{@code
 * for t in 2 4 8; do
 *   $JAVA -jar benchmarks/target/benchmarks.jar 'RwLockBenchmark.mix' -t $t -f 3 -wi 5 -i 5 -w 1s -r 1s
 * done
 * }</pre>
 * Each command runs every competitor (and, for {@code mix}, every {@code readPercent}) in one JMH run:
 * take ratios between competitors from within one run, never across runs. Add
 * {@code -p type=RAW_RW_LOCK,REENTRANT_RW_LOCK} to run some competitors only, {@code -p readPercent=95}
 * for one mix.
 *
 * <p>Reading the numbers. Uncontended, every competitor pays a read-modify-write of its state word to
 * lock and another to unlock, in both modes; the differences are bookkeeping ({@code
 * ReentrantReadWriteLock} counts each reader's holds for reentrancy, in a thread-local once a second
 * reader has come). In the mixes readers do not exclude each other but still all write the one lock word,
 * so even at 100% reads the threads contend for its cache line; with writers, the fair and task-fair
 * locks make arriving readers wait behind a queued writer, and a writer's unlock wakes parked readers,
 * so the cost of a scheduler wake-up shows up as soon as threads park. With more threads than the
 * machine's cores, a preempted lock holder stalls everyone behind it.
 */
@Fork(3)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class RwLockBenchmark {

    /*
     * Implementation notes.
     *
     * One state for all three benchmarks, Scope.Benchmark: under `mix` every thread shares the one pair
     * and its lock; under the uncontended benchmarks the single thread has it to itself. JMH forks each
     * parameter combination into its own JVM (unless -f 0), so the read() and write() call sites and the
     * lock calls inside them are monomorphic in every measured fork; each competitor's pair holds its
     * lock in fields of the lock's exact classes for the same reason.
     *
     * The read/write choice of `mix` comes from a per-thread xorshift32 generator in a Scope.Thread
     * state (Ops, which JMH pads against false sharing): three shifts, three xors and one unsigned
     * compare against a threshold precomputed from readPercent, a few cycles against the lock round
     * trip plus the work outside. ThreadLocalRandom.nextInt() (an update of a field of the current
     * Thread and a two-multiply mix) would cost little more; this generator is chosen because it is
     * replayable: the tests rebuild a thread's sequence of choices from its seed to know exactly how
     * many writes it made.
     * readPercent lives in Ops so that it multiplies only `mix`, not the uncontended benchmarks.
     *
     * A read returns first - second and JMH consumes it, so the loads under the shared lock cannot be
     * removed; a write stores into a heap object reachable from the state, so it cannot either. The
     * locks escape (they live in the state), so no lock elision.
     */

    /** Tokens of {@link Blackhole#consumeCPU(long)} each thread burns outside the lock in {@link #mix(Ops)}. */
    public static final long WORK_OUTSIDE = 20L;

    /** The competitor. */
    @Param({"RAW_RW_LOCK", "PL_REENTRANT_RW_LOCK", "PL_REENTRANT_RW_LOCK_FAIR", "REENTRANT_RW_LOCK",
            "REENTRANT_RW_LOCK_FAIR", "STAMPED_LOCK"})
    public LockType type;

    /** The pair and its lock, shared by every benchmark thread. */
    LockedPair pair;

    /** 128 bytes allocated right after the lock, so that nothing written by the threads follows it on its line. */
    long[] lockLineGuard;

    /** Creates the benchmark state; the setup does the work. */
    public RwLockBenchmark() {
    }

    /** Makes the pair and its lock for this trial. */
    @Setup(Level.Trial)
    public void setUp() {
        pair = LockedPair.of(type);
        // The lock was allocated last, inside the constructor: keep the next allocation off its cache
        // line too (the guarded data is padded inside its own object, see its "Layout").
        lockLineGuard = new long[16];
    }

    /** One thread: shared lock, read the pair, shared unlock; nobody else touches the lock. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Threads(1)
    public long uncontendedRead() {
        return pair.read();
    }

    /** One thread: exclusive lock, write the pair, exclusive unlock; nobody else touches the lock. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Threads(1)
    public void uncontendedWrite() {
        pair.write();
    }

    /**
     * Every thread: a read (with probability {@code readPercent}%) or a write of the shared pair, then a
     * little work outside the lock.
     *
     * @param ops this thread's read/write chooser
     * @return the read's {@code first - second} ({@code 0} unless torn), or {@code 0} after a write
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(2)
    public long mix(Ops ops) {
        long tear = 0L;
        if (ops.nextIsRead()) {
            tear = pair.read();
        } else {
            pair.write();
        }
        Blackhole.consumeCPU(WORK_OUTSIDE);
        return tear;
    }

    /**
     * The reader side of the {@code readersWriter} group: a read of the shared pair, then work outside
     * the lock. The group runs 3 readers and 1 writer by default; {@code -tg R,W} picks other counts
     * (e.g. {@code -tg 7,1}). Throughput per side and for the group in ops/µs.
     *
     * @return the read's {@code first - second} ({@code 0} unless torn)
     */
    @Benchmark
    @Group("readersWriter")
    @GroupThreads(3)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long groupReader() {
        long tear = pair.read();
        Blackhole.consumeCPU(WORK_OUTSIDE);
        return tear;
    }

    /** The writer side of the {@code readersWriter} group: a write of the shared pair, then work outside. */
    @Benchmark
    @Group("readersWriter")
    @GroupThreads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void groupWriter() {
        pair.write();
        Blackhole.consumeCPU(WORK_OUTSIDE);
    }

    /**
     * One benchmark thread's choice between read and write in {@link #mix(Ops)}: a xorshift32 generator
     * (Marsaglia's 13/17/5 triple) whose draws below a threshold mean "read".
     */
    @State(Scope.Thread)
    public static class Ops {

        /** Percentage of the operations of {@link #mix(Ops)} that are reads, 0 to 100. */
        @Param({"100", "95", "50"})
        public int readPercent;

        /** The generator's state, never 0; read and written only by the owning thread. */
        int rng;

        /** A draw (as an unsigned 32-bit value) below this is a read: {@code readPercent * 2^32 / 100}. */
        long readBelow;

        /** Creates the chooser; the setup (or {@link #init(int)}) does the work. */
        public Ops() {
        }

        /** Seeds this thread's generator at random and computes the read threshold. */
        @Setup(Level.Trial)
        public void setUp() {
            init(ThreadLocalRandom.current().nextInt() | 1);
        }

        /**
         * Seeds the generator and computes the read threshold from {@link #readPercent}.
         *
         * @param seed the generator's initial state, not 0
         * @throws IllegalArgumentException if {@code seed} is 0 or {@link #readPercent} is outside 0..100
         */
        void init(int seed) {
            if (seed == 0) {
                throw new IllegalArgumentException("xorshift seed must not be 0");
            }
            if (readPercent < 0 || readPercent > 100) {
                throw new IllegalArgumentException("readPercent " + readPercent + " is not in 0..100");
            }
            rng = seed;
            readBelow = ((long) readPercent << 32) / 100;
        }

        /**
         * Draws the next choice.
         *
         * @return {@code true} for a read, {@code false} for a write
         */
        boolean nextIsRead() {
            int x = rng;
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            rng = x;
            return Integer.toUnsignedLong(x) < readBelow;
        }
    }
}
