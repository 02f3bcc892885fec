package org.parkinglot.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Keeps {@link RwLockBenchmark} from rotting: a tiny JMH run of every benchmark for every competitor
 * (and every read share of the mix), a direct check that every competitor's locks exclude writers from
 * readers and from each other, and a check of the read/write chooser. Speed is not asserted.
 */
class RwLockBenchmarkTest {

    /** Operations per thread in the mutual-exclusion check. */
    private static final int OPS = 200_000;

    /** The read shares of {@link RwLockBenchmark.Ops#readPercent}'s {@code @Param}. */
    private static final Set<Integer> READ_PERCENTS = Set.of(100, 95, 50);

    /** JMH runs the uncontended benchmarks (1 thread) and the mix (2 threads) in process, each reporting a score per competitor. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void jmhReportsAScorePerBenchmarkAndCompetitor() throws Exception {
        Options options = new OptionsBuilder()
                .include("^" + Pattern.quote(RwLockBenchmark.class.getName()) + "\\.(uncontendedRead|uncontendedWrite|mix)$")
                .forks(0)
                .warmupIterations(1)
                .warmupTime(TimeValue.milliseconds(100))
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();

        Collection<RunResult> results = new Runner(options).run();

        Map<String, Set<String>> seen = new HashMap<>();
        for (RunResult result : results) {
            String benchmark = result.getParams().getBenchmark();
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            LockType type = LockType.valueOf(result.getParams().getParam("type"));
            String readPercent = result.getParams().getParam("readPercent");
            String run = method.equals("mix") ? type + "@" + readPercent : type.name();
            double score = result.getPrimaryResult().getScore();
            assertTrue(score > 0 && Double.isFinite(score), method + " " + run + " scored " + score);
            assertTrue(seen.computeIfAbsent(method, m -> new HashSet<>()).add(run), method + " " + run + " reported twice");
            assertEquals(method.equals("mix") ? 2 : 1, result.getParams().getThreads(), method + " threads");
        }
        Set<String> single = new HashSet<>();
        Set<String> mixed = new HashSet<>();
        for (LockType type : ParamValues.lockTypes(RwLockBenchmark.class, "type")) {
            single.add(type.name());
            for (int readPercent : READ_PERCENTS) {
                mixed.add(type + "@" + readPercent);
            }
        }
        assertEquals(Map.of("uncontendedRead", single, "uncontendedWrite", single, "mix", mixed), seen);
    }

    /**
     * Two threads running the 50/50 mix and a third alternating the uncontended read and write benchmark
     * methods, all on one lock, never read a torn pair, and the pair ends at exactly the number of writes.
     */
    @ParameterizedTest
    @MethodSource("types")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void readersNeverSeeATornPairAndNoWriteIsLost(LockType type) throws Exception {
        RwLockBenchmark state = new RwLockBenchmark();
        state.type = type;
        state.setUp();
        List<Integer> seeds = List.of(0x2545F491, 0x9E3779B9);
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong tornReads = new AtomicLong();
        Thread[] mixers = new Thread[seeds.size()];
        for (int i = 0; i < mixers.length; i++) {
            RwLockBenchmark.Ops ops = ops(50, seeds.get(i));
            mixers[i] = new Thread(() -> {
                try {
                    start.await();
                    long torn = 0;
                    for (int n = 0; n < OPS; n++) {
                        if (state.mix(ops) != 0L) {
                            torn++;
                        }
                    }
                    tornReads.addAndGet(torn);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "rwlock-test-mix-" + i);
        }
        for (Thread mixer : mixers) {
            mixer.start();
        }
        try {
            start.countDown();
            for (int n = 0; n < OPS; n++) { // a third thread on the same lock, through the other benchmark methods
                if ((n & 1) == 0) {
                    if (state.uncontendedRead() != 0L) {
                        tornReads.incrementAndGet();
                    }
                } else {
                    state.uncontendedWrite();
                }
            }
        } finally {
            for (Thread mixer : mixers) {
                mixer.join();
            }
        }
        assertNull(failure.get());
        long writes = OPS / 2;
        for (int seed : seeds) {
            writes += writesOf(50, seed, OPS);
        }
        assertTrue(writes > OPS, "the mix wrote too rarely to test anything: " + writes);
        assertEquals(0L, tornReads.get(), type + " let a reader see a torn pair");
        assertEquals(writes, state.pair.first, type + " lost writes");
        assertEquals(writes, state.pair.second, type + " lost writes");
    }

    /** Over 100,000 draws from a fixed seed, the chooser reads readPercent% of the time, to within 0.5 points. */
    @ParameterizedTest
    @ValueSource(ints = {0, 50, 95, 100})
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void chooserReadsTheRequestedShare(int readPercent) {
        int draws = 100_000;
        long writes = writesOf(readPercent, 0x2545F491, draws);
        double readShare = 100.0 * (draws - writes) / draws;
        if (readPercent == 0 || readPercent == 100) {
            assertEquals(readPercent, readShare, 0.0);
        } else {
            assertEquals(readPercent, readShare, 0.5);
        }
    }

    /** The chooser refuses the seed 0 (xorshift would stay at 0) and read shares outside 0..100. */
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void chooserRejectsBadSeedAndShare() {
        assertThrows(IllegalArgumentException.class, () -> ops(50, 0));
        assertThrows(IllegalArgumentException.class, () -> ops(101, 1));
        assertThrows(IllegalArgumentException.class, () -> ops(-1, 1));
    }

    /** A chooser with the given read share and seed, as JMH's setup would make it (but not at random). */
    private static RwLockBenchmark.Ops ops(int readPercent, int seed) {
        RwLockBenchmark.Ops ops = new RwLockBenchmark.Ops();
        ops.readPercent = readPercent;
        ops.init(seed);
        return ops;
    }

    /** Replays a chooser's first {@code draws} choices and counts the writes among them. */
    private static long writesOf(int readPercent, int seed, int draws) {
        RwLockBenchmark.Ops ops = ops(readPercent, seed);
        long writes = 0;
        for (int n = 0; n < draws; n++) {
            if (!ops.nextIsRead()) {
                writes++;
            }
        }
        return writes;
    }

    /** The competitors {@link RwLockBenchmark#type} lists. */
    static Stream<LockType> types() {
        return ParamValues.lockTypes(RwLockBenchmark.class, "type").stream();
    }
}
