package org.parkinglot.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.parkinglot.locks.MutexCell;
import org.parkinglot.locks.RawMutex;
import org.parkinglot.locks.RawRwLock;
import org.parkinglot.locks.ReentrantMutex;
import org.parkinglot.locks.RwLockCell;

/**
 * The cost, and above all the allocation, of the try-with-resources guards ({@code LockGuard},
 * {@code UpgradableGuard}) and of the data-owning locks ({@code MutexCell}, {@code RwLockCell}) on the
 * uncontended fast path, next to the plain {@code lock(); try { } finally { unlock(); }} they replace.
 * One thread; each operation takes the lock, increments a counter under it, and releases it.
 *
 * <p>The point is {@code gc.alloc.rate.norm}: a guard is an object per acquisition, and it must be
 * removed by escape analysis, so every benchmark here should report about 0 B/op. Run with (from the
 * repository root; {@code JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}):
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * $JAVA -jar benchmarks/target/benchmarks.jar 'GuardBenchmark' -f 1 -wi 3 -i 3 -prof gc
 * }</pre>
 */
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GuardBenchmark {

    /*
     * Implementation notes. The lambdas passed to the cells capture nothing (static final constants),
     * as the cells' documentation recommends, and return no freshly boxed number, so any allocation
     * measured is the cells' or the guards'.
     * Counters live in the state (a heap object), so the critical sections cannot be removed as dead
     * code; the locks live there too, so lock elision cannot remove them either.
     */

    /** Increments a {@link Counter}'s value (non-capturing; returns the counter: no boxing). */
    private static final Function<Counter, Counter> INCREMENT = c -> {
        c.value++;
        return c;
    };
    /** Reads a {@link Counter}'s value (non-capturing; returns a cached Boolean: no boxing). */
    private static final Function<Counter, Boolean> READ = c -> c.value > 0;
    /** Adds the argument to a {@link Counter}'s value (non-capturing; the argument form). */
    private static final BiFunction<Counter, Integer, Counter> ADD = (c, n) -> {
        c.value += n;
        return c;
    };

    final RawMutex rawMutex = new RawMutex();
    final ReentrantMutex reentrantMutex = new ReentrantMutex();
    final RawRwLock rwLock = new RawRwLock();
    final MutexCell<Counter> mutexCell = new MutexCell<>(new Counter());
    final RwLockCell<Counter> rwCell = new RwLockCell<>(new Counter());
    /** The counter the guard benchmarks increment. */
    int counter;
    /** A boxed 1, so the argument form does not box per call. */
    final Integer one = 1;

    /** Creates the benchmark state. */
    public GuardBenchmark() {
    }

    /** A mutable counter for the cells to guard. */
    public static final class Counter {
        int value;
    }

    /** Baseline: {@code RawMutex} with try/finally. */
    @Benchmark
    public int rawMutexTryFinally() {
        rawMutex.lock();
        try {
            return ++counter;
        } finally {
            rawMutex.unlock();
        }
    }

    /** {@code RawMutex} with a guard. */
    @Benchmark
    public int rawMutexGuard() {
        try (var held = rawMutex.locked()) {
            return ++counter;
        }
    }

    /** {@code ReentrantMutex} with a guard. */
    @Benchmark
    public int reentrantMutexGuard() {
        try (var held = reentrantMutex.locked()) {
            return ++counter;
        }
    }

    /** {@code RawRwLock}, shared mode, with a guard. */
    @Benchmark
    public int rwSharedGuard() {
        try (var held = rwLock.sharedLocked()) {
            return counter;
        }
    }

    /** {@code RawRwLock}, exclusive mode, with a guard. */
    @Benchmark
    public int rwExclusiveGuard() {
        try (var held = rwLock.exclusiveLocked()) {
            return ++counter;
        }
    }

    /** {@code RawRwLock}, upgradable mode upgraded to exclusive, with a guard. */
    @Benchmark
    public int rwUpgradableGuard() {
        try (var held = rwLock.upgradableLocked()) {
            held.upgrade();
            return ++counter;
        }
    }

    /** {@code MutexCell.withLock} with a non-capturing function. */
    @Benchmark
    public Counter mutexCellWithLock() {
        return mutexCell.withLock(INCREMENT);
    }

    /** {@code MutexCell.withLock} with an argument and a non-capturing function. */
    @Benchmark
    public Counter mutexCellWithLockArgument() {
        return mutexCell.withLock(one, ADD);
    }

    /** {@code RwLockCell.read} with a non-capturing function. */
    @Benchmark
    public Boolean rwCellRead() {
        return rwCell.read(READ);
    }

    /** {@code RwLockCell.write} with a non-capturing function. */
    @Benchmark
    public Counter rwCellWrite() {
        return rwCell.write(INCREMENT);
    }
}
