package org.parkinglot.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;

/**
 * Heap retained after a burst of parked threads (issue 13): {@code threads} virtual threads block on
 * locks the main thread holds, either all on one lock ({@code one-key}) or each on its own
 * ({@code distinct-keys}); then every lock is released, every thread acquires once and ends, and the
 * heap in use after {@code System.gc()} is compared with the figure before the burst. Whatever the
 * parking lot kept (a grown table, stale nodes) shows as the difference. A plain {@code main}, not JMH:
 * it measures memory once per scenario, not time.
 *
 * <p>Run with (from the repository root):
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp benchmarks/target/benchmarks.jar \
 *   org.parkinglot.benchmarks.BurstRetention [threads] [LOCK_TYPE...]
 * }</pre>
 * (defaults: 100 000 threads, {@code REENTRANT_MUTEX REENTRANT_LOCK}). Each scenario prints the heap
 * used before and after (MemoryMXBean, after {@code System.gc()} until two readings agree within
 * 64 KB) and the difference. Warm-up bursts run first, so that class loading, the JIT's first
 * compilations and the growth of the virtual-thread scheduler's queues (1.3 to 1.6 MB after the
 * first burst of 100 000 threads, whichever the lock, kept by the JDK) do not count as retained: one
 * full-size burst on {@code ReentrantLock}, which never touches the parking lot (so a table the
 * parking lot kept would still show), then small bursts of each type.
 */
public final class BurstRetention {

    /** How long to wait for the released threads to finish before declaring one lost. */
    private static final long JOIN_TIMEOUT_SECONDS = 120;

    private BurstRetention() {
    }

    /**
     * Runs both scenarios for each lock type and prints the figures.
     *
     * @param args {@code [threads] [LOCK_TYPE...]}
     * @throws InterruptedException if the main thread is interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        LockType[] types = {LockType.REENTRANT_MUTEX, LockType.REENTRANT_LOCK};
        if (args.length > 1) {
            types = new LockType[args.length - 1];
            for (int i = 1; i < args.length; i++) {
                types[i - 1] = LockType.valueOf(args[i]);
            }
        }
        // Warm-up, not reported: a full-size burst on ReentrantLock grows the JDK's own structures (the
        // virtual-thread scheduler's queues) to their size for the burst without touching the parking
        // lot; small bursts of each type load and compile the lock paths.
        burst(LockType.REENTRANT_LOCK, threads, false);
        for (LockType type : types) {
            burst(type, 1_000, true);
            burst(type, 1_000, false);
        }
        System.out.printf(Locale.ROOT, "%-16s %-14s %8s %12s %12s %12s%n",
                "lock", "scenario", "threads", "before (KB)", "after (KB)", "retained (KB)");
        for (LockType type : types) {
            for (boolean oneKey : new boolean[] {true, false}) {
                long before = settledHeapUsed();
                burst(type, threads, oneKey);
                long after = settledHeapUsed();
                System.out.printf(Locale.ROOT, "%-16s %-14s %8d %12d %12d %12d%n", type,
                        oneKey ? "one-key" : "distinct-keys", threads, before / 1024, after / 1024,
                        (after - before) / 1024);
            }
        }
    }

    /**
     * Parks {@code threads} virtual threads on held locks (one shared lock, or one each), waits until
     * all are queued, releases, and joins them; fails if one is lost. Nothing of it stays referenced.
     */
    static void burst(LockType type, int threads, boolean oneKey) throws InterruptedException {
        Lock[] locks = new Lock[oneKey ? 1 : threads];
        for (int i = 0; i < locks.length; i++) {
            locks[i] = (Lock) type.newLock();
            locks[i].lock();
        }
        AtomicInteger acquired = new AtomicInteger();
        Thread[] waiters = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            Lock lock = locks[oneKey ? 0 : i];
            waiters[i] = Thread.ofVirtual().start(() -> {
                lock.lock();
                try {
                    acquired.incrementAndGet();
                } finally {
                    lock.unlock();
                }
            });
        }
        for (int i = 0; i < threads; i++) {
            Thread t = waiters[i];
            while (t.getState() != Thread.State.WAITING || !ParkedThreadsBenchmark.isQueued(locks[oneKey ? 0 : i], t)) {
                Thread.sleep(1);
            }
        }
        for (Lock lock : locks) {
            lock.unlock();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(JOIN_TIMEOUT_SECONDS);
        for (int i = 0; i < threads; i++) {
            waiters[i].join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (waiters[i].isAlive()) {
                throw new IllegalStateException("thread " + i + " never acquired its " + type + ": lost");
            }
        }
        if (acquired.get() != threads) {
            throw new IllegalStateException(acquired.get() + " of " + threads + " threads acquired");
        }
    }

    /** Heap in use after {@code System.gc()}, repeated until two readings agree within 64 KB (at most 10). */
    static long settledHeapUsed() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(100);
            long used = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) < 64 * 1024) {
                return used;
            }
            previous = used;
        }
        return previous;
    }
}
