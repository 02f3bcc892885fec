package org.parkinglot.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Control;

/**
 * Condition variables under the two patterns that stress them, for every competitor of
 * {@link LockType} it lists ({@code RawMutex} and {@code ReentrantMutex} with their {@code Condvar}-backed
 * conditions, the JDK's {@code ReentrantLock} with its AQS condition, and {@code synchronized} with
 * {@code wait}/{@code notify}):
 * <ul>
 *   <li>{@code pingPong} ({@link #ping(PingPongState, Control)} and {@link #pong(PingPongState, Control)}
 *       in one JMH group of two threads): a turn passed back and forth under one lock and one
 *       condition; each pass waits for the partner's signal, so every operation is a condvar wake-up
 *       hand-off. Throughput in passes/µs (the group's score is both sides together).</li>
 *   <li>{@link #notifyAllBarrier(Control)}: a cyclic barrier of all benchmark threads ({@code -t N},
 *       default 4): the last arrival advances the generation and wakes every waiter with one notify-all
 *       ({@code Condvar} wakes one and requeues the rest onto the mutex; AQS transfers them to the lock
 *       queue; a monitor moves them to its entry list). Throughput in arrivals/µs.</li>
 * </ul>
 * Waits are bounded to 1 ms and give up when JMH stops the measurement (JMH ends an iteration thread by
 * thread, so a partner may already be gone); in steady state every wait ends by a signal.
 *
 * <p>Run with (from the repository root; {@code JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}):
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * $JAVA -jar benchmarks/target/benchmarks.jar 'CondvarBenchmark.pingPong' -f 3 -wi 5 -i 5 -w 1s -r 1s
 * $JAVA -jar benchmarks/target/benchmarks.jar 'CondvarBenchmark.notifyAllBarrier' -t 4 -f 3 -wi 5 -i 5 -w 1s -r 1s
 * $JAVA -jar benchmarks/target/benchmarks.jar 'CondvarBenchmark.notifyAllBarrier' -t 8 -f 3 -wi 5 -i 5 -w 1s -r 1s
 * }</pre>
 * Take ratios between competitors from within one run.
 */
@Fork(3)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class CondvarBenchmark {

    /** The competitor. */
    @Param({"RAW_MUTEX", "REENTRANT_MUTEX", "REENTRANT_LOCK", "SYNCHRONIZED"})
    public LockType type;

    /** The barrier's lock, condition and counters, shared by every thread of {@link #notifyAllBarrier}. */
    Handshake barrier;
    /** How many threads meet at the barrier: the benchmark's thread count. */
    int parties;

    /** Creates the benchmark state; the setup does the work. */
    public CondvarBenchmark() {
    }

    /**
     * Makes the barrier for this trial.
     *
     * @param params JMH's parameters, for the thread count
     */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        barrier = Handshake.of(type);
        parties = params.getThreads();
    }

    /** Forgets arrivals of threads that gave up when the previous iteration stopped. */
    @Setup(Level.Iteration)
    public void resetBarrier() {
        barrier.resetBarrier();
    }

    /** The lock, condition and turn of one ping-pong pair (one per JMH group). */
    @State(Scope.Group)
    public static class PingPongState {
        /** The competitor, read from the enclosing benchmark's parameter. */
        Handshake handshake;

        /** Creates the state; the setup does the work. */
        public PingPongState() {
        }

        /**
         * Makes the pair's lock and condition.
         *
         * @param benchmark the benchmark state, for the competitor
         */
        @Setup(Level.Trial)
        public void setUp(CondvarBenchmark benchmark) {
            handshake = Handshake.of(benchmark.type);
        }
    }

    /**
     * Side 0 of the ping-pong: waits for its turn, passes it to side 1 and signals.
     *
     * @param state the pair
     * @param ctl   JMH's control
     * @throws InterruptedException if interrupted while waiting
     */
    @Benchmark
    @Group("pingPong")
    @GroupThreads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void ping(PingPongState state, Control ctl) throws InterruptedException {
        state.handshake.passTurn(0, ctl);
    }

    /**
     * Side 1 of the ping-pong.
     *
     * @param state the pair
     * @param ctl   JMH's control
     * @throws InterruptedException if interrupted while waiting
     */
    @Benchmark
    @Group("pingPong")
    @GroupThreads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void pong(PingPongState state, Control ctl) throws InterruptedException {
        state.handshake.passTurn(1, ctl);
    }

    /**
     * Every thread arrives at the shared barrier; the last arrival of each generation notifies all.
     *
     * @param ctl JMH's control
     * @throws InterruptedException if interrupted while waiting
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(4)
    public void notifyAllBarrier(Control ctl) throws InterruptedException {
        barrier.arrive(parties, ctl);
    }
}
