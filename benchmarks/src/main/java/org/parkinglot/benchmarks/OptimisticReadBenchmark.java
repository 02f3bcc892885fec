package org.parkinglot.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.StampedLock;
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
import org.parkinglot.locks.RawRwLock;

/**
 * Optimistic reads of a pair of longs, {@link RawRwLock} against {@link StampedLock} with the same code
 * shape: take a stamp, read both fields, validate; on a failed validation read again under the read
 * lock. Writes take the write lock. The pair is {@link LockedPair}'s padded layout.
 * <ul>
 *   <li>{@link #uncontendedRead()}: one thread, optimistic reads only; ns/op.</li>
 *   <li>{@link #mix(RwLockBenchmark.Ops)}: every thread reads (with probability {@code readPercent}%) or
 *       writes, then burns {@value RwLockBenchmark#WORK_OUTSIDE} tokens of
 *       {@link Blackhole#consumeCPU(long)}, as {@link RwLockBenchmark#mix}; total ops/µs. The read shares
 *       of issue 17 are 100 and 95 ({@code -p readPercent=100,95}); threads with {@code -t}.</li>
 * </ul>
 *
 * <p>Run with (from the repository root; {@code JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}):
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * $JAVA -jar benchmarks/target/benchmarks.jar 'OptimisticReadBenchmark.uncontendedRead' -f 3 -wi 5 -i 5 -w 1s -r 1s
 * for t in 1 2 4; do
 *   $JAVA -jar benchmarks/target/benchmarks.jar 'OptimisticReadBenchmark.mix' -p readPercent=100,95 -t $t \
 *       -f 3 -wi 5 -i 5 -w 1s -r 1s
 * done
 * }</pre>
 * Take ratios between the two competitors from within one run.
 *
 * <p>Reading the numbers. An optimistic read writes nothing, so at 100% reads the readers share the lock's
 * cache line without bouncing it: both competitors should scale with the threads. With writers, a
 * failed validation costs a read lock; {@code RawRwLock} also refuses stamps while a writer waits for
 * readers to drain (its writer bit is set from the claim), where {@code StampedLock} refuses them only
 * while the write lock is held.
 */
@Fork(3)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class OptimisticReadBenchmark {

    /** The competitor. */
    @Param({"RAW_RW_LOCK", "STAMPED_LOCK"})
    public LockType type;

    /** The pair and its lock, shared by every benchmark thread. */
    OptimisticPair pair;

    /** 128 bytes allocated right after the lock, so that nothing written by the threads follows it on its line. */
    long[] lockLineGuard;

    /** Creates the benchmark state; the setup does the work. */
    public OptimisticReadBenchmark() {
    }

    /** Makes the pair and its lock for this trial. */
    @Setup(Level.Trial)
    public void setUp() {
        pair = OptimisticPair.of(type);
        lockLineGuard = new long[16];
    }

    /**
     * One thread: an optimistic read of the pair; nobody else touches the lock.
     *
     * @return {@code first - second} ({@code 0} unless torn)
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Threads(1)
    public long uncontendedRead() {
        return pair.read();
    }

    /**
     * Every thread: an optimistic read (with probability {@code readPercent}%) or a write of the shared
     * pair, then a little work outside the lock.
     *
     * @param ops this thread's read/write chooser
     * @return the read's {@code first - second} ({@code 0} unless torn), or {@code 0} after a write
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(2)
    public long mix(RwLockBenchmark.Ops ops) {
        long tear = 0L;
        if (ops.nextIsRead()) {
            tear = pair.read();
        } else {
            pair.write();
        }
        Blackhole.consumeCPU(RwLockBenchmark.WORK_OUTSIDE);
        return tear;
    }

    /**
     * The pair of {@link LockedPair} read optimistically: one final class per competitor, holding its lock
     * in a field of the lock's exact class (monomorphic call sites).
     */
    abstract static class OptimisticPair extends PairPad1 {

        /**
         * Reads both fields optimistically, again under the read lock if the stamp does not validate.
         *
         * @return {@code first - second}: {@code 0} unless a torn pair was validated
         */
        abstract long read();

        /** Under the write lock, sets both fields to {@code first + 1}. */
        abstract void write();

        /**
         * Makes a pair guarded by a fresh lock of a competitor.
         *
         * @param type {@code RAW_RW_LOCK} or {@code STAMPED_LOCK}
         * @return a new pair at zero, its lock free
         * @throws IllegalArgumentException for another competitor
         */
        static OptimisticPair of(LockType type) {
            return switch (type) {
                case RAW_RW_LOCK -> new RawRwLockOptimisticPair();
                case STAMPED_LOCK -> new StampedLockOptimisticPair();
                default -> throw type.notIn("OptimisticReadBenchmark");
            };
        }
    }

    /** {@link RawRwLock}: tryOptimisticRead/validate, lockShared on failure, lockExclusive to write. */
    static final class RawRwLockOptimisticPair extends OptimisticPair {
        private final RawRwLock lock = new RawRwLock();

        @Override
        long read() {
            long stamp = lock.tryOptimisticRead();
            long a = first;
            long b = second;
            if (!lock.validate(stamp)) {
                lock.lockShared();
                try {
                    a = first;
                    b = second;
                } finally {
                    lock.unlockShared();
                }
            }
            return a - b;
        }

        @Override
        void write() {
            lock.lockExclusive();
            try {
                long next = first + 1;
                first = next;
                second = next;
            } finally {
                lock.unlockExclusive();
            }
        }
    }

    /** {@link StampedLock}: tryOptimisticRead/validate, readLock on failure, writeLock to write. */
    static final class StampedLockOptimisticPair extends OptimisticPair {
        private final StampedLock lock = new StampedLock();

        @Override
        long read() {
            long stamp = lock.tryOptimisticRead();
            long a = first;
            long b = second;
            if (!lock.validate(stamp)) {
                stamp = lock.readLock();
                try {
                    a = first;
                    b = second;
                } finally {
                    lock.unlockRead(stamp);
                }
            }
            return a - b;
        }

        @Override
        void write() {
            long stamp = lock.writeLock();
            try {
                long next = first + 1;
                first = next;
                second = next;
            } finally {
                lock.unlockWrite(stamp);
            }
        }
    }
}
