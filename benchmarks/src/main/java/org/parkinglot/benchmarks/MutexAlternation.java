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
 * {@link MutexBenchmark#contended()} for two competitors in one JVM, switching between them from one
 * iteration to the next in the order A, B, B, A (repeated), so that two locks are compared over the
 * same fraction of a second of machine time. {@link AlternatingIterations} runs it and turns the
 * iterations into ratios; the JMH score of a fork alone (the mean over both competitors) means nothing.
 *
 * <p><b>Why.</b> On the 2-vCPU VM where this project is measured, the host's speed changes by up to
 * 1.6x for seconds at a time: one thread running {@code MutexBenchmark.contended} alone scored 39.8
 * ops/µs for ten 1 s iterations in a row, then 24 to 26 for the next seven, in one fork. Forks of two
 * competitors taken back to back still land in different phases; iterations of
 * 200 ms taken back to back mostly do not.
 *
 * <p>Each iteration runs one competitor only: JMH stops every thread between iterations, so no
 * thread is still parked on A when B starts. The {@code counter.increment()} call site sees two
 * receiver classes, which C2 inlines both behind a class check (bimorphic inlining); both competitors
 * pay that check. Warm-up must be a multiple of 4 iterations (whole A-B-B-A cycles), so that the
 * measured ones start with A.
 */
@Fork(1)
@Warmup(iterations = 16, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 40, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class MutexAlternation {

    /** Competitor A: runs iterations 0 and 3 of every cycle of four. */
    @Param("RAW_MUTEX")
    public LockType a;

    /**
     * Whether A and B swap places: B runs iterations 0 and 3 of every cycle and its lock is allocated
     * first. {@link AlternatingIterations} {@code --order balanced} runs half the forks swapped.
     */
    @Param("false")
    public boolean swapped;

    /** Competitor B: runs iterations 1 and 2 of every cycle of four. */
    @Param("REENTRANT_LOCK")
    public LockType b;

    /** A's counter and lock. */
    LockedCounter counterA;
    /** 128 bytes after A's lock, as in {@link MutexBenchmark}. */
    long[] lockLineGuardA;
    /** B's counter and lock. */
    LockedCounter counterB;
    /** 128 bytes after B's lock. */
    long[] lockLineGuardB;

    /** The competitor of the current iteration. */
    LockedCounter active;

    /** Iterations begun in this fork, warm-up included. */
    int iteration;

    /** Creates the benchmark state; the setup does the work. */
    public MutexAlternation() {
    }

    /** Makes both counters for this trial. */
    @Setup(Level.Trial)
    public void setUp() {
        if (swapped) {
            counterB = LockedCounter.of(b);
            lockLineGuardB = new long[16];
        }
        counterA = LockedCounter.of(a);
        lockLineGuardA = new long[16];
        if (!swapped) {
            counterB = LockedCounter.of(b);
            lockLineGuardB = new long[16];
        }
        iteration = 0;
    }

    /** Picks this iteration's competitor: A, B, B, A, A, B, B, A, ... (B, A, A, B, ... when swapped) */
    @Setup(Level.Iteration)
    public void nextIteration() {
        active = AlternatingIterations.isA(iteration++) != swapped ? counterA : counterB;
    }

    /** Every thread: lock this iteration's lock, increment, unlock, then a little work outside the lock. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(2)
    public void contended() {
        active.increment();
        Blackhole.consumeCPU(MutexBenchmark.WORK_OUTSIDE);
    }
}
