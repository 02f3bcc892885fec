package org.parkinglot.benchmarks.lockbench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code lockbench}: the one-command lock comparison, in the style of parking_lot's own harness
 * ({@code benchmark/src/bin/mutex.rs} and {@code rwlock.rs}). Threads start on a barrier and take one
 * lock in a loop for a fixed time, doing parking_lot's floating-point work inside and between critical
 * sections; the report gives throughput with its 95% interval over the runs, the ratio to
 * {@code ReentrantLock}, the per-thread spread (average, median, standard deviation in kHz), the longest
 * single wait and the bytes per lock, then a summary of which differences are larger than the noise.
 *
 * <p>Run it from the repository root with {@code ./lockbench} (which builds the jar when needed), or
 * directly:
 * <pre>
 * java -Djol.magicFieldOffset=true -Djdk.attach.allowAttachSelf=true \
 *      -cp benchmarks/target/benchmarks.jar org.parkinglot.benchmarks.lockbench.LockBench --help
 * </pre>
 * Output: a table on stdout, a progress line on stderr, and {@code results.json} and
 * {@code throughput.png} in {@code --out} (default {@code lockbench-out/}). See
 * {@code benchmarks/LOCKBENCH.md}.
 */
public final class LockBench {

    /** Exit status: everything ran. */
    public static final int OK = 0;
    /** Exit status: a run failed (a lock got stuck, a forked JVM died, the report could not be written). */
    public static final int FAILED = 1;
    /** Exit status: bad command line. */
    public static final int USAGE = 2;

    private LockBench() {
    }

    /**
     * Runs {@code lockbench} and exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs {@code lockbench}: parses the arguments, runs every lock, prints and writes the report.
     *
     * @param args the command line
     * @param out  receives the help text, the table and the names of the files written
     * @param err  receives the progress line and error messages
     * @return {@link #OK}, {@link #FAILED} or {@link #USAGE}
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (Options.wantsHelp(args)) {
            out.print(Options.usage());
            out.flush();
            return OK;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (UsageException e) {
            err.println("lockbench: error: " + e.getMessage());
            err.println();
            err.print(Options.usage());
            err.flush();
            return USAGE;
        }

        long start = System.nanoTime();
        Map<String, OptionalLong> footprints;
        Map<String, Map<ThreadConfig, List<RunResult>>> results = new LinkedHashMap<>();
        try (Progress progress = new Progress(err, options)) {
            progress.status("measuring bytes per lock (JOL)");
            footprints = Footprint.measure(options.locks());
            RunListener collector = new RunListener() {
                @Override
                public void warmupStarted(Competitor lock, ThreadConfig config) {
                    progress.warmupStarted(lock, config);
                }

                @Override
                public void runStarted(Competitor lock, ThreadConfig config, int iteration) {
                    progress.runStarted(lock, config, iteration);
                }

                @Override
                public void runFinished(Competitor lock, ThreadConfig config, int iteration, RunResult result) {
                    results.computeIfAbsent(lock.name(), k -> new HashMap<>())
                            .computeIfAbsent(config, k -> new ArrayList<>()).add(result);
                    progress.runFinished(lock, config, iteration, result);
                }
            };
            if (options.fork()) {
                for (int round = 1; round <= options.iterations(); round++) {
                    for (Competitor lock : options.locks()) {
                        progress.status("starting a JVM for " + lock.name());
                        Runner.runForked(options, lock, round, collector,
                                line -> progress.message("[" + lock.name() + "] " + line));
                    }
                }
            } else {
                for (Competitor lock : options.locks()) {
                    Runner.runInProcess(options, lock, collector);
                }
            }
        } catch (BenchmarkException e) {
            err.println("lockbench: failed: " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("lockbench: interrupted");
            return FAILED;
        }

        Report report = Report.build(options, results, footprints);
        out.print(TableWriter.render(report));
        out.println();
        if (options.fairness()) {
            out.print(FairnessWriter.render(report));
            out.println();
        }
        Path dir = options.out();
        try {
            out.println("Wrote " + ResultsFile.write(report, dir));
        } catch (IOException | RuntimeException e) {
            err.println("lockbench: cannot write " + dir.resolve(ResultsFile.FILE_NAME) + ": " + e);
            return FAILED;
        }
        try {
            out.println("Wrote " + ChartWriter.write(report, dir));
        } catch (IOException | RuntimeException | LinkageError e) {
            err.println("lockbench: cannot draw " + dir.resolve(ChartWriter.FILE_NAME) + ": " + e);
            return FAILED;
        }
        out.println("Took " + Fmt.clock((System.nanoTime() - start) / 1e9) + ".");
        out.flush();
        return OK;
    }
}
