package org.parkinglot.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
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
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Keeps {@link ParkedThreadsBenchmark}, {@link ParkedThreadsRace} and {@link BurstRetention} from rotting: a
 * tiny JMH run with 1 000 threads per competitor, the benchmark's own loss check, one small race, and one
 * small burst of each scenario. Speed and memory are not asserted.
 */
class ParkedThreadsBenchmarkTest {

    /** JMH runs one single shot of 1 000 threads in process for each competitor and reports a time. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void jmhReportsAScorePerCompetitor() throws Exception {
        Options options = new OptionsBuilder()
                .include("^" + Pattern.quote(ParkedThreadsBenchmark.class.getName()) + "\\.")
                .param("threads", "1000")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();

        Collection<RunResult> results = new Runner(options).run();

        Set<LockType> seen = EnumSet.noneOf(LockType.class);
        for (RunResult result : results) {
            LockType type = LockType.valueOf(result.getParams().getParam("type"));
            double score = result.getPrimaryResult().getScore();
            assertTrue(score > 0 && Double.isFinite(score), type + " scored " + score);
            assertTrue(seen.add(type), type + " reported twice");
        }
        assertEquals(EnumSet.copyOf(types().toList()), seen);
    }

    /** The teardown fails the shot when a thread never acquires its lock (here: one lock is left held). */
    @ParameterizedTest
    @MethodSource("types")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void teardownReportsALostThread(LockType type) throws Exception {
        ParkedThreadsBenchmark state = new ParkedThreadsBenchmark();
        state.type = type;
        state.threads = 100;
        state.lockAll();
        state.startUntilAllParked();
        state.locks[7].lock(); // a second hold: the teardown's one unlock leaves thread 7 waiting
        Thread stuck = state.waiters[7];
        Lock lock = state.locks[7];
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> state.releaseAndCheck(1));
        assertTrue(e.getMessage().startsWith("thread 7 of 100 "), e.getMessage());
        lock.unlock();
        stuck.join(10_000);
        assertFalse(stuck.isAlive());
    }

    /** A burst of each scenario runs to the end for every lock type, and the heap figure is plausible. */
    @ParameterizedTest
    @MethodSource("types")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void burstRetentionRunsBothScenarios(LockType type) throws Exception {
        BurstRetention.burst(type, 1_000, true);
        BurstRetention.burst(type, 1_000, false);
        assertTrue(BurstRetention.settledHeapUsed() > 0);
    }

    /** A shot of the same-JVM race times a competitor (and its teardown's loss check passes); the median is right. */
    @ParameterizedTest
    @MethodSource("types")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void raceShotReportsATime(LockType type) throws Exception {
        double[] shot = ParkedThreadsRace.shot(type, 1_000);
        assertTrue(shot[0] > 0 && Double.isFinite(shot[0]), type + " took " + shot[0] + " ms");
        assertEquals(2.0, ParkedThreadsRace.median(new double[] {3, 1, 2}));
        assertEquals(2.5, ParkedThreadsRace.median(new double[] {4, 1, 3, 2}));
    }

    /** The competitors {@link ParkedThreadsBenchmark#type} lists. */
    static Stream<LockType> types() {
        return ParamValues.lockTypes(ParkedThreadsBenchmark.class, "type").stream();
    }
}
