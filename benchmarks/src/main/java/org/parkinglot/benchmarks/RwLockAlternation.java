package org.parkinglot.benchmarks;

import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link RwLockBenchmark#mix(RwLockBenchmark.Ops)} for two competitors in one JVM, switching between
 * them from one iteration to the next in the order A, B, B, A (repeated); see {@link MutexAlternation}
 * for why, and {@link AlternatingIterations} for the runner that turns the iterations into ratios.
 * The read percentage is {@link RwLockBenchmark.Ops#readPercent}.
 */
@Fork(1)
@Warmup(iterations = 16, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 40, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class RwLockAlternation {

    /** Competitor A: runs iterations 0 and 3 of every cycle of four. */
    @Param("RAW_RW_LOCK")
    public LockType a;

    /**
     * Whether A and B swap places: B runs iterations 0 and 3 of every cycle and its lock is allocated
     * first. {@link AlternatingIterations} {@code --order balanced} runs half the forks swapped.
     */
    @Param("false")
    public boolean swapped;

    /** Competitor B: runs iterations 1 and 2 of every cycle of four. */
    @Param("REENTRANT_RW_LOCK")
    public LockType b;

    /** A's pair and lock. */
    LockedPair pairA;
    /** 128 bytes after A's lock, as in {@link RwLockBenchmark}. */
    long[] lockLineGuardA;
    /** B's pair and lock. */
    LockedPair pairB;
    /** 128 bytes after B's lock. */
    long[] lockLineGuardB;

    /** The competitor of the current iteration. */
    LockedPair active;

    /** Iterations begun in this fork, warm-up included. */
    int iteration;

    /** Creates the benchmark state; the setup does the work. */
    public RwLockAlternation() {
    }

    /** Makes both pairs for this trial. */
    @Setup(Level.Trial)
    public void setUp() {
        if (swapped) {
            pairB = LockedPair.of(b);
            lockLineGuardB = new long[16];
        }
        pairA = LockedPair.of(a);
        lockLineGuardA = new long[16];
        if (!swapped) {
            pairB = LockedPair.of(b);
            lockLineGuardB = new long[16];
        }
        iteration = 0;
    }

    /** Picks this iteration's competitor: A, B, B, A, A, B, B, A, ... (B, A, A, B, ... when swapped) */
    @Setup(Level.Iteration)
    public void nextIteration() {
        active = AlternatingIterations.isA(iteration++) != swapped ? pairA : pairB;
    }

    /**
     * Every thread: a read (with probability {@code readPercent}%) or a write of this iteration's pair,
     * then a little work outside the lock.
     *
     * @param ops this thread's read/write chooser
     * @return the read's {@code first - second} ({@code 0} unless torn), or {@code 0} after a write
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(2)
    public long mix(RwLockBenchmark.Ops ops) {
        LockedPair pair = active;
        long tear = 0L;
        if (ops.nextIsRead()) {
            tear = pair.read();
        } else {
            pair.write();
        }
        Blackhole.consumeCPU(RwLockBenchmark.WORK_OUTSIDE);
        return tear;
    }
}
