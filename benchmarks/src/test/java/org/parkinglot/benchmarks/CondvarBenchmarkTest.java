package org.parkinglot.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jmh.infra.Control;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Keeps {@link CondvarBenchmark} and the {@code readersWriter} group of {@link RwLockBenchmark} from
 * rotting: tiny in-process JMH runs that must report a score per competitor, and a direct check that
 * the handshakes really hand the turn over and complete barrier generations. Speed is not asserted.
 */
class CondvarBenchmarkTest {

    /** Passes per side, and barrier rounds, in the direct checks. */
    private static final int ROUNDS = 20_000;

    private static Options tiny(String include, int threads) {
        return new OptionsBuilder()
                .include(include)
                .forks(0)
                .threads(threads)
                .warmupIterations(1)
                .warmupTime(TimeValue.milliseconds(100))
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
    }

    /** The ping-pong group and the 3-thread notify-all barrier report a finite positive score per competitor. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void jmhReportsAScorePerBenchmarkAndCompetitor() throws Exception {
        Map<String, Set<LockType>> seen = new HashMap<>();
        String prefix = "^" + Pattern.quote(CondvarBenchmark.class.getName());
        Collection<RunResult> results = new ArrayList<>(new Runner(tiny(prefix + "\\.pingPong$", 1)).run());
        results.addAll(new Runner(tiny(prefix + "\\.notifyAllBarrier$", 3)).run());
        for (RunResult result : results) {
            String benchmark = result.getParams().getBenchmark();
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            LockType type = LockType.valueOf(result.getParams().getParam("type"));
            double score = result.getPrimaryResult().getScore();
            assertTrue(score > 0 && Double.isFinite(score), method + " " + type + " scored " + score);
            assertTrue(seen.computeIfAbsent(method, m -> EnumSet.noneOf(LockType.class)).add(type),
                    method + " " + type + " reported twice");
        }
        Set<LockType> listed = EnumSet.copyOf(types().toList());
        assertEquals(Map.of("pingPong", listed, "notifyAllBarrier", listed), seen);
    }

    /** The readers/writer group of RwLockBenchmark reports a finite positive score per competitor. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void readersWriterGroupReportsAScorePerCompetitor() throws Exception {
        Collection<RunResult> results = new Runner(
                tiny("^" + Pattern.quote(RwLockBenchmark.class.getName()) + "\\.readersWriter$", 1)).run();
        Set<LockType> seen = EnumSet.noneOf(LockType.class);
        for (RunResult result : results) {
            LockType type = LockType.valueOf(result.getParams().getParam("type"));
            double score = result.getPrimaryResult().getScore();
            assertTrue(score > 0 && Double.isFinite(score), type + " scored " + score);
            assertTrue(seen.add(type), type + " reported twice");
        }
        assertEquals(EnumSet.copyOf(ParamValues.lockTypes(RwLockBenchmark.class, "type")), seen);
    }

    /** Two threads passing the turn complete exactly their rounds: every pass was handed over and woken. */
    @ParameterizedTest
    @MethodSource("types")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void pingPongHandsTheTurnOver(LockType type) throws Exception {
        Handshake handshake = Handshake.of(type);
        Control ctl = new Control();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] sides = new Thread[2];
        for (int me = 0; me < 2; me++) {
            int side = me;
            sides[me] = new Thread(() -> {
                try {
                    for (int i = 0; i < ROUNDS; i++) {
                        handshake.passTurn(side, ctl);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
            sides[me].start();
        }
        for (Thread t : sides) {
            t.join();
        }
        assertEquals(null, failure.get());
        assertEquals(0, handshake.turn, "after equal passes by both sides the turn is back at side 0");
    }

    /** Three threads at the barrier complete exactly their generations: every notify-all woke every waiter. */
    @ParameterizedTest
    @MethodSource("types")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void barrierCompletesEveryGeneration(LockType type) throws Exception {
        int parties = 3;
        Handshake handshake = Handshake.of(type);
        Control ctl = new Control();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] threads = new Thread[parties];
        for (int p = 0; p < parties; p++) {
            threads[p] = new Thread(() -> {
                try {
                    for (int i = 0; i < ROUNDS / 10; i++) {
                        handshake.arrive(parties, ctl);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
            threads[p].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(null, failure.get());
        assertEquals(ROUNDS / 10, handshake.generation);
        assertEquals(0, handshake.arrived);
    }

    /** The competitors {@link CondvarBenchmark#type} lists. */
    static Stream<LockType> types() {
        return ParamValues.lockTypes(CondvarBenchmark.class, "type").stream();
    }
}
