package org.parkinglot.stress.soak;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The soak command (issue 13): every primitive together under random operations for a chosen time, on
 * platform and virtual threads, with timeouts of 0, 1 ns, short and {@code Long.MAX_VALUE}, interrupts at
 * random points and exceptions thrown from parking-lot callbacks. Every critical section checks an
 * invariant ({@link Workload} lists them); a watchdog counts workers without progress as hung and prints
 * a thread dump once. A progress line goes to stderr while it runs, a summary to stdout at the end.
 *
 * <p>Exit status: 0 if there was no invariant violation, no lost wake-up, no early timeout and no hung
 * thread; 1 otherwise; 2 for a bad command line.
 *
 * <p>Run: {@code ./soak --duration 10m} (or {@code java -cp stress/target/jcstress.jar
 * org.parkinglot.stress.soak.Soak --help}); {@code mvn verify} runs it for 20 s in the stress module.
 */
public final class Soak {

    /** How often the watchdog looks. */
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final SoakOptions options;
    private final Tally tally;
    private final Workload workload;
    /** Filled before any worker starts; read by the watchdog, the interrupter and the exit guard. */
    private final List<Worker> workers = new CopyOnWriteArrayList<>();
    private final PrintStream out;
    private final PrintStream err;
    /** {@code tty}: redraw one line; {@code plain}: append lines; {@code off}: none. */
    private final String progressStyle;
    private volatile boolean stop;
    private boolean dumped;

    Soak(SoakOptions options, PrintStream out, PrintStream err, String progressStyle) {
        this.options = options;
        this.tally = new Tally(err);
        this.workload = new Workload(tally, options.sabotage());
        this.out = out;
        this.err = err;
        this.progressStyle = progressStyle;
    }

    /**
     * Runs the soak and exits with its status.
     *
     * @param args see {@code --help}
     */
    public static void main(String[] args) {
        SoakOptions options;
        try {
            options = SoakOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("soak: " + e.getMessage());
            System.err.print(SoakOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(SoakOptions.USAGE);
            return;
        }
        String style = System.getProperty("soak.progress", "plain");
        Soak soak = new Soak(options, System.out, System.err, style);
        soak.startExitGuard();
        int status = soak.run();
        System.out.flush();
        System.exit(status);
    }

    /** The counters, for tests. */
    Tally tally() {
        return tally;
    }

    /**
     * Runs the workers for the chosen time, winds them down, prints the summary.
     *
     * @return the exit status
     */
    int run() {
        String header = String.format(Locale.ROOT, "%s, %d platform + %d virtual workers, seed %d, hang after %s, %s %s%s",
                SoakOptions.formatDuration(options.durationNanos()), options.platform(), options.virtual(),
                options.seed(), SoakOptions.formatDuration(options.hangNanos()), System.getProperty("java.vm.name"),
                System.getProperty("java.version"),
                options.sabotage() == SoakOptions.Sabotage.NONE ? "" : ", SABOTAGE " + options.sabotage());
        out.println("soak: " + header);
        out.flush();
        int n = options.platform() + options.virtual();
        for (int i = 0; i < n; i++) {
            boolean virtual = i >= options.platform();
            Worker w = new Worker(i, (virtual ? "soak-v" : "soak-p") + i, options.seed());
            Runnable body = () -> loop(w);
            w.thread = virtual ? Thread.ofVirtual().name(w.name).unstarted(body)
                    : Thread.ofPlatform().name(w.name).daemon(true).unstarted(body);
            workers.add(w);
        }
        Thread interrupter = Thread.ofPlatform().name("soak-interrupter").daemon(true)
                .unstarted(() -> interrupt(new SplittableRandom(options.seed() ^ 0x1L)));
        long start = System.nanoTime();
        workers.forEach(w -> w.thread.start());
        interrupter.start();

        long nextProgress = start + options.progressNanos();
        long end = start + options.durationNanos();
        for (long now = System.nanoTime(); now - end < 0; now = System.nanoTime()) {
            LockSupport.parkNanos(Math.min(TICK_NANOS, end - now));
            now = System.nanoTime();
            watch(now);
            if (now - nextProgress >= 0) {
                progress(now - start, false);
                nextProgress += options.progressNanos();
            }
        }
        long elapsed = System.nanoTime() - start;
        stop = true;
        interrupter.interrupt();

        // Wind down: wake what waits without a timeout until every worker is out, within the hang limit.
        Worker closer = new Worker(-1, "closer", options.seed());
        long giveUp = System.nanoTime() + options.hangNanos() + TimeUnit.SECONDS.toNanos(2);
        while (!allDone() && System.nanoTime() - giveUp < 0) {
            workload.release(closer);
            watch(System.nanoTime());
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        for (Worker w : workers) {
            if (!w.done && !w.reportedHung) {
                w.reportedHung = true;
                tally.hung.increment();
                tally.violation(w.name + " did not stop within " + SoakOptions.formatDuration(options.hangNanos())
                        + " of the end (doing: " + w.doing + ")");
            }
        }
        if (!allDone()) {
            dump("workers did not stop");
        }
        for (Worker w : workers) {
            if (w.done) {
                tally.selfInterrupts.add(w.selfInterrupts); // written by the worker before its volatile done
            }
        }
        progress(elapsed, true);
        String accounting = allDone() ? workload.checkQuiescent() : "not checked: some workers never stopped";
        tally.printSummary(out, header, accounting);
        return tally.exitStatus();
    }

    /**
     * The last resort that keeps the process bounded: if the run has not finished well after its end (the
     * wind-down or the final checks block, say on a wedged bucket lock), print the stacks and halt with
     * status 1.
     */
    private void startExitGuard() {
        long limit = options.durationNanos() + 2 * options.hangNanos() + TimeUnit.SECONDS.toNanos(30);
        long deadline = System.nanoTime() + limit;
        Thread.ofPlatform().name("soak-exit-guard").daemon(true).start(() -> {
            for (long left = limit; left > 0; left = deadline - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
            err.println();
            err.println("soak: not finished " + SoakOptions.formatDuration(limit - options.durationNanos())
                    + " after the end of the run; halting with status 1. Stacks:");
            for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
                printThread(e.getKey(), e.getValue());
            }
            for (Worker w : workers) {
                if (w.thread.isVirtual()) {
                    printThread(w.thread, w.thread.getStackTrace());
                }
            }
            err.flush();
            Runtime.getRuntime().halt(1);
        });
    }

    private void loop(Worker w) {
        try {
            if (options.sabotage() == SoakOptions.Sabotage.HANG && w.id == 0) {
                w.progress("sabotage: parked without progress");
                while (!stop) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // planted bug: no progress
                }
            }
            while (!stop) {
                w.progress("operation");
                workload.step(w);
            }
        } catch (Throwable t) {
            // The library threw what it should not (or the tool has a bug): a failure either way. The worker may
            // hold a lock now, so it stops rather than go on.
            tally.violation("unexpected " + t + " (worker stopped)");
            t.printStackTrace(err);
        } finally {
            Thread.interrupted();
            w.done = true;
        }
    }

    /** Interrupts a random worker every 0 to 2 ms. */
    private void interrupt(SplittableRandom rnd) {
        while (!stop) {
            LockSupport.parkNanos(rnd.nextLong(2_000_000));
            Worker w = workers.get(rnd.nextInt(workers.size()));
            if (!w.done && !stop) {
                w.deliverInterrupt();
                tally.interruptsSent.increment();
            }
        }
    }

    private boolean allDone() {
        for (Worker w : workers) {
            if (!w.done) {
                return false;
            }
        }
        return true;
    }

    /** Counts workers without progress for longer than the hang limit; dumps the threads the first time. */
    private void watch(long now) {
        boolean found = false;
        for (Worker w : workers) {
            if (!w.done && !w.reportedHung && now - w.lastProgress > options.hangNanos()) {
                w.reportedHung = true;
                tally.hung.increment();
                err.println();
                err.println("soak: HUNG " + w.name + ": no progress for "
                        + SoakOptions.formatDuration(now - w.lastProgress) + " (doing: " + w.doing + ")");
                found = true;
            }
        }
        if (found) {
            dump("hung workers");
        }
    }

    /** Once per run: every platform thread and every worker (virtual ones too), with park blockers, and the primitives. */
    private void dump(String why) {
        if (dumped) {
            return;
        }
        dumped = true;
        err.println("soak: THREAD DUMP (" + why + ")");
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            printThread(e.getKey(), e.getValue());
        }
        for (Worker w : workers) {
            if (w.thread.isVirtual()) {
                printThread(w.thread, w.thread.getStackTrace());
            }
        }
        err.println("soak: PRIMITIVES");
        for (String line : workload.describe()) {
            err.println("  " + line);
        }
        err.flush();
    }

    private void printThread(Thread t, StackTraceElement[] stack) {
        Object blocker = LockSupport.getBlocker(t);
        err.println("\"" + t.getName() + "\"" + (t.isVirtual() ? " virtual" : "") + " " + t.getState()
                + (blocker != null ? " parked on " + blocker : ""));
        for (StackTraceElement f : stack) {
            err.println("    at " + f);
        }
    }

    private void progress(long elapsed, boolean last) {
        if (progressStyle.equals("off")) {
            return;
        }
        String line = tally.progressLine(elapsed, options.durationNanos());
        if (progressStyle.equals("tty")) {
            err.print("\r" + line + "\u001b[K" + (last ? "\n" : ""));
        } else if (!last) {
            err.println(line);
        }
        err.flush();
    }
}
