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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Park-to-unpark handoff latency: two threads ping-pong a token, each sleeping until the other wakes
 * it. The measured operation is one round trip: the benchmark thread wakes its partner, sleeps, and is
 * woken by the partner's reply. Competitors ({@link HandoffType}): bare {@code LockSupport} with a
 * volatile flag per direction, and {@code ParkingLot.park}/{@code unparkOne} on a key with one lane per
 * direction.
 *
 * <p>Run with (from the repository root):
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am package -DskipTests \
 *   && /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar benchmarks/target/benchmarks.jar HandoffBenchmark -f 3 -wi 5 -i 5
 * }</pre>
 * Add {@code -p type=PARKING_LOT} to run one competitor.
 *
 * <p>Both sides really sleep: neither spins before parking, and the benchmark thread asks for the
 * reply only after waking a partner that was asleep, so it checks the flag, finds it clear and parks;
 * the partner is woken from a park every round trip. A round trip therefore costs two
 * wake-ups of a sleeping thread (two {@code unpark}s of a parked thread, two scheduler hops), and the
 * difference between the competitors is what the parking lot adds to a bare {@code LockSupport} pair:
 * the bucket lock on both sides, the queue, the validate callback and the two-phase unpark. To check
 * that both sides sleep, add {@code -prof stack}: the two threads show as {@code WAITING} in
 * {@code LockSupport.park} for nearly every sample.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(3)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class HandoffBenchmark {

    /*
     * Implementation notes.
     *
     * Threading. The partner is a plain daemon thread started in the trial setup, not a second JMH
     * thread of a @Group: with a group, JMH ends each side's measurement loop independently (and with
     * synchronized iterations keeps calling one side while the other has left), so a side could sleep
     * forever waiting for a reply that never comes unless every park were timed. Here the benchmark
     * thread's round trip always completes while the partner lives, and the partner sleeps between
     * iterations until the teardown closes its signal. The state has Scope.Thread, so `-t N` runs N
     * independent pairs (each its own key).
     *
     * No hang. Teardown closes `ping` (a closed signal releases its waiter, present or future: the
     * closed flag is validated under the bucket lock for the parking lot, re-read after each park for
     * LockSupport) and joins with a bound. If the partner dies, its finally-block closes `pong`, so the
     * benchmark thread fails with an exception instead of waiting forever.
     */

    /** The lane of the requests, benchmark thread to partner. */
    static final long PING_LANE = 0L;
    /** The lane of the replies, partner to benchmark thread. */
    static final long PONG_LANE = 1L;
    /** How long teardown waits for the partner to stop before failing the trial. */
    private static final long STOP_TIMEOUT_MILLIS = TimeUnit.SECONDS.toMillis(10);

    /** The competitor. */
    @Param({"LOCK_SUPPORT", "PARKING_LOT"})
    public HandoffType type;

    /** Requests: raised by the benchmark thread, awaited by the partner. */
    Signal ping;
    /** Replies: raised by the partner, awaited by the benchmark thread. */
    Signal pong;
    /** Echoes every request with a reply until {@code ping} is closed. */
    Thread partner;
    /** What ended the partner abnormally, if anything; written before it closes {@code pong}. */
    volatile Throwable partnerFailure;

    /** Creates the benchmark state; the setup does the work. */
    public HandoffBenchmark() {
    }

    /** Makes both signals (keyed by this state) and starts the partner, which waits for the first request. */
    @Setup(Level.Trial)
    public void setUp() {
        ping = type.newSignal(this, PING_LANE);
        pong = type.newSignal(this, PONG_LANE);
        partner = new Thread(this::echo, "handoff-partner-" + type);
        partner.setDaemon(true); // never keeps a fork alive, whatever happens
        ping.bindWaiter(partner);
        partner.start();
    }

    /** The partner's loop: await a request, reply, until closed; on any exit, release the benchmark thread. */
    private void echo() {
        try {
            while (ping.await()) {
                pong.signal();
            }
        } catch (Throwable t) {
            partnerFailure = t;
        } finally {
            pong.close();
        }
    }

    /**
     * One round trip: wake the sleeping partner, sleep until it replies.
     *
     * @throws IllegalStateException if the partner stopped (it failed, or the state was torn down)
     */
    @Benchmark
    public void roundTrip() {
        pong.bindWaiter(Thread.currentThread());
        ping.signal();
        if (!pong.await()) {
            throw new IllegalStateException("handoff partner stopped", partnerFailure);
        }
    }

    /**
     * Stops the partner (close its signal, then join with a bound) and reports whether it failed.
     *
     * @throws InterruptedException  if interrupted while joining
     * @throws IllegalStateException if the partner failed or did not stop in time
     */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        ping.close();
        partner.join(STOP_TIMEOUT_MILLIS);
        if (partner.isAlive()) {
            throw new IllegalStateException("handoff partner did not stop within " + STOP_TIMEOUT_MILLIS + " ms");
        }
        Throwable failure = partnerFailure;
        if (failure != null) {
            throw new IllegalStateException("handoff partner failed", failure);
        }
    }
}
