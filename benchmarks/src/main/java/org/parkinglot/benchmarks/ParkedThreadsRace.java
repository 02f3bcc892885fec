package org.parkinglot.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@link ParkedThreadsBenchmark} with both competitors in one JVM (issue 13: "measured in the same
 * JVM"): after warm-up shots, it alternates shots of {@code ReentrantMutex} and {@code ReentrantLock}
 * (mutex, lock, mutex, lock, ...), prints each shot and then the ratio of the two medians. JMH runs each
 * competitor in forks of its own; here both share the heap, the JIT's state and the virtual-thread
 * scheduler, and a slow phase of the host hits both alike. A plain {@code main}: one shot is one call
 * of the benchmark's own setup, measured method and teardown (which fails the run if a thread is lost).
 *
 * <p>Run with (from the repository root):
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -Xms4g -Xmx4g -cp benchmarks/target/benchmarks.jar \
 *   org.parkinglot.benchmarks.ParkedThreadsRace [threads] [rounds] [warm-up rounds]
 * }</pre>
 * (defaults: 1 000 000 threads, 5 measured rounds after 2 warm-up rounds; a round is one shot of each
 * competitor). The heap flags are those of the JMH benchmark's forks. Each shot starts after
 * {@code System.gc()}, so that neither competitor collects the garbage of the other's last shot. Each
 * shot also reports the CPU time the whole process spent in it (all threads, the collector's too),
 * which a busy host inflates less than the wall-clock time; the ratio to quote is the wall-clock one.
 */
public final class ParkedThreadsRace {

    /** The two competitors, in the order each round runs them. */
    private static final LockType[] TYPES = {LockType.REENTRANT_MUTEX, LockType.REENTRANT_LOCK};

    private ParkedThreadsRace() {
    }

    /**
     * Runs the warm-up and measured rounds and prints every shot and the ratio of medians.
     *
     * @param args {@code [threads] [rounds] [warm-up rounds]}
     * @throws InterruptedException if the main thread is interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int warmups = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        System.out.printf(Locale.ROOT, "%d threads, %d warm-up and %d measured rounds, %s, %d CPUs%n",
                threads, warmups, rounds, Runtime.version(), Runtime.getRuntime().availableProcessors());
        double[][] ms = new double[TYPES.length][rounds];
        double[][] cpu = new double[TYPES.length][rounds];
        for (int round = -warmups; round < rounds; round++) {
            StringBuilder line = new StringBuilder(round < 0 ? "warm-up " + (round + warmups + 1) : "round " + (round + 1));
            for (int k = 0; k < TYPES.length; k++) {
                double[] shot = shot(TYPES[k], threads);
                if (round >= 0) {
                    ms[k][round] = shot[0];
                    cpu[k][round] = shot[1];
                }
                line.append(String.format(Locale.ROOT, "  %s %.0f ms (cpu %.0f)", TYPES[k], shot[0], shot[1]));
            }
            if (round >= 0) {
                line.append(String.format(Locale.ROOT, "  ratio %.2fx", ms[0][round] / ms[1][round]));
            }
            System.out.println(line);
        }
        double mutex = median(ms[0]);
        double lock = median(ms[1]);
        System.out.printf(Locale.ROOT, "median %s %.0f ms, %s %.0f ms: ratio of medians %.2fx (cpu %.2fx)%n",
                TYPES[0], mutex, TYPES[1], lock, mutex / lock, median(cpu[0]) / median(cpu[1]));
    }

    /**
     * One shot of {@code type}: the benchmark's setup, then its measured method timed, then its
     * teardown (releases every lock and fails if a thread never acquires).
     *
     * @return the measured method's time in ms, and the process's CPU time meanwhile in ms
     */
    static double[] shot(LockType type, int threads) throws InterruptedException {
        ParkedThreadsBenchmark state = new ParkedThreadsBenchmark();
        state.type = type;
        state.threads = threads;
        System.gc();
        state.lockAll();
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        state.startUntilAllParked();
        long elapsed = System.nanoTime() - start;
        long cpu = processCpuNanos() - cpuStart;
        state.releaseAndCheck();
        return new double[] {elapsed / 1e6, cpu / 1e6};
    }

    /** CPU time of the whole process so far, in ns ({@code -1} where the platform does not tell). */
    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1L;
    }

    /** The median of {@code values} (the mean of the middle two for an even count). */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
