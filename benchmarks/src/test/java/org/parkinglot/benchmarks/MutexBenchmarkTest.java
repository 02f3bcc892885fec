package org.parkinglot.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Keeps {@link MutexBenchmark} from rotting: a tiny JMH run of both benchmarks for every competitor, and a
 * direct check that every competitor's critical section really excludes. Speed is not asserted.
 */
class MutexBenchmarkTest {

    /** Increments per thread in the mutual-exclusion check. */
    private static final int INCREMENTS = 100_000;

    /** JMH runs uncontended (1 thread) and contended (2 threads) in process, reporting a score per competitor. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void jmhReportsAScorePerBenchmarkAndCompetitor() throws Exception {
        Options options = new OptionsBuilder()
                .include("^" + Pattern.quote(MutexBenchmark.class.getName()) + "\\.(uncontended|contended)$")
                .forks(0)
                .warmupIterations(1)
                .warmupTime(TimeValue.milliseconds(100))
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();

        Collection<RunResult> results = new Runner(options).run();

        Map<String, Set<LockType>> seen = new HashMap<>();
        for (RunResult result : results) {
            String benchmark = result.getParams().getBenchmark();
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            LockType type = LockType.valueOf(result.getParams().getParam("type"));
            double score = result.getPrimaryResult().getScore();
            assertTrue(score > 0 && Double.isFinite(score), method + " " + type + " scored " + score);
            assertTrue(seen.computeIfAbsent(method, m -> EnumSet.noneOf(LockType.class)).add(type),
                    method + " " + type + " reported twice");
            assertEquals(method.equals("contended") ? 2 : 1, result.getParams().getThreads(), method + " threads");
        }
        Set<LockType> listed = EnumSet.copyOf(types().toList());
        assertEquals(11, listed.size());
        assertEquals(Map.of("uncontended", listed, "contended", listed), seen);
    }

    /** Two threads calling the contended benchmark method lose no increment: every competitor's lock excludes. */
    @ParameterizedTest
    @MethodSource("types")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void contendedIncrementsAreMutuallyExclusive(LockType type) throws Exception {
        MutexBenchmark state = new MutexBenchmark();
        state.type = type;
        state.setUp();
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable hammer = () -> {
            try {
                start.await();
                for (int i = 0; i < INCREMENTS; i++) {
                    state.contended();
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
        Thread a = new Thread(hammer, "mutex-test-a");
        Thread b = new Thread(hammer, "mutex-test-b");
        a.start();
        b.start();
        try {
            start.countDown();
            for (int i = 0; i < INCREMENTS; i++) {
                state.uncontended(); // a third thread on the same lock, through the other benchmark method
            }
        } finally {
            a.join();
            b.join();
        }
        assertEquals(null, failure.get());
        assertEquals(3L * INCREMENTS, state.counter.count, type + " lost increments");
    }

    /** The competitors {@link MutexBenchmark#type} lists. */
    static Stream<LockType> types() {
        return ParamValues.lockTypes(MutexBenchmark.class, "type").stream();
    }

    /** A registry lock the benchmark has no counter for is refused by name, not run as something else. */
    @Test
    void unlistedCompetitorIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LockedCounter.of(LockType.SPIN_LOCK));
        assertEquals("SPIN_LOCK is not a competitor of MutexBenchmark", e.getMessage());
    }
}
