package org.parkinglot.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Keeps {@link OptimisticReadBenchmark} from rotting: a tiny in-process JMH run of both benchmarks for
 * both competitors, and a direct check that each competitor's optimistic reads never return a torn pair.
 * Speed is not asserted.
 */
class OptimisticReadBenchmarkTest {

    /** JMH reports a score for each benchmark and competitor (the mix at 95% reads, 2 threads). */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void jmhReportsAScorePerBenchmarkAndCompetitor() throws Exception {
        Options options = new OptionsBuilder()
                .include("^" + Pattern.quote(OptimisticReadBenchmark.class.getName()) + "\\.(uncontendedRead|mix)$")
                .param("readPercent", "95")
                .forks(0)
                .warmupIterations(1)
                .warmupTime(TimeValue.milliseconds(100))
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Set<String> seen = new HashSet<>();
        for (RunResult r : results) {
            assertTrue(r.getPrimaryResult().getScore() > 0, r.getParams().toString());
            seen.add(r.getParams().getBenchmark().replaceAll(".*\\.", "") + "/" + r.getParams().getParam("type"));
        }
        assertEquals(Set.of("uncontendedRead/RAW_RW_LOCK", "uncontendedRead/STAMPED_LOCK",
                "mix/RAW_RW_LOCK", "mix/STAMPED_LOCK"), seen);
    }

    /** Two writers and two optimistic readers: no read returns a torn pair, and no write is lost. */
    @ParameterizedTest
    @EnumSource(value = LockType.class, names = {"RAW_RW_LOCK", "STAMPED_LOCK"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void optimisticReadsAreNeverTorn(LockType type) throws InterruptedException {
        OptimisticReadBenchmark.OptimisticPair pair = OptimisticReadBenchmark.OptimisticPair.of(type);
        int ops = 100_000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            boolean writer = i < 2;
            threads.add(Thread.ofPlatform().daemon().start(() -> {
                try {
                    for (int k = 0; k < ops; k++) {
                        if (writer) {
                            pair.write();
                        } else if (pair.read() != 0L) {
                            throw new AssertionError("torn pair read");
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join(30_000);
            assertTrue(!t.isAlive(), "thread did not finish");
        }
        assertNull(failure.get());
        assertEquals(2L * ops, pair.first);
        assertEquals(0L, pair.read());
    }
}
