package org.parkinglot.benchmarks;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
import org.parkinglot.benchmarks.KeyedLockType.KeyedLocks;

/**
 * Keyed locking: every thread locks a random key out of {@code keys} (many more keys than threads, so
 * equal keys rarely meet), burns {@value #WORK_INSIDE} tokens of {@link Blackhole#consumeCPU(long)}
 * holding it, unlocks, and burns {@value #WORK_OUTSIDE} tokens outside; total throughput of all threads
 * in ops/µs. Competitors: {@link KeyedLockType} ({@code KeyedMutex}, Guava {@code Striped.lock(stripes)},
 * a {@code ConcurrentHashMap} of {@code ReentrantLock}s). The keys are pre-boxed {@code Integer}s, so
 * the benchmark itself allocates nothing; what a competitor allocates per lock is its own cost.
 *
 * <p>What to expect: {@code KeyedMutex} pays a short internal stripe lock twice per key (to find or make
 * the key's entry, and to drop it) and allocates one 40-byte entry per lock; {@code Striped} pays one
 * lock and one unlock but makes keys of one stripe wait for each other; the map pays a lookup and keeps
 * a lock for every key ever used (its footprint grows with the key space: see {@link KeyedLockFootprint}).
 *
 * <p>Run with (from the repository root; {@code JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}):
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * $JAVA -jar benchmarks/target/benchmarks.jar 'KeyedLockBenchmark' -t 4 -f 3 -wi 5 -i 5 -w 1s -r 1s
 * $JAVA -jar benchmarks/target/benchmarks.jar 'KeyedLockBenchmark' -t 8 -f 3 -wi 5 -i 5 -w 1s -r 1s
 * $JAVA -cp benchmarks/target/benchmarks.jar -Djol.magicFieldOffset=true org.parkinglot.benchmarks.KeyedLockFootprint
 * }</pre>
 * Add {@code -p type=KEYED_MUTEX,STRIPED} to run some competitors only, {@code -p stripes=64} for fewer
 * stripes (Guava's footprint shrinks, its false contention grows).
 */
@Fork(3)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class KeyedLockBenchmark {

    /** Tokens of {@link Blackhole#consumeCPU(long)} while holding the key. */
    static final int WORK_INSIDE = 20;
    /** Tokens of {@link Blackhole#consumeCPU(long)} between two keys. */
    static final int WORK_OUTSIDE = 40;

    /** The competitor. */
    @Param({"KEYED_MUTEX", "STRIPED_MUTEX", "STRIPED", "CHM_REENTRANT_LOCK"})
    KeyedLockType type;

    /** The size of the key space the threads pick from. */
    @Param({"1024", "1000000"})
    int keys;

    /** The stripes of the striped competitors. */
    @Param({"" + KeyedLockType.DEFAULT_STRIPES})
    int stripes;

    /** The competitor instance. */
    KeyedLocks locks;
    /** The key space: {@code Integer}s boxed once, so that no benchmark iteration allocates a key. */
    Object[] keySpace;

    /** Makes the competitor and the key space. */
    @Setup
    public void setUp() {
        locks = type.newLocks(stripes);
        keySpace = keySpace(keys);
    }

    /**
     * Returns {@code n} distinct boxed keys, {@code 0} to {@code n - 1}.
     *
     * @param n how many
     * @return the keys
     */
    static Object[] keySpace(int n) {
        Object[] k = new Object[n];
        for (int i = 0; i < n; i++) {
            k[i] = i; // Integer.valueOf: cached below 128, fresh above; equal keys compare by equals anyway
        }
        return k;
    }

    /**
     * Locks a random key, works, unlocks, works outside.
     *
     * @return a value JMH sinks
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(4)
    public Object lockRandomKey() {
        Object key = keySpace[ThreadLocalRandom.current().nextInt(keySpace.length)];
        locks.lock(key);
        try {
            Blackhole.consumeCPU(WORK_INSIDE);
        } finally {
            locks.unlock(key);
        }
        Blackhole.consumeCPU(WORK_OUTSIDE);
        return key;
    }
}
