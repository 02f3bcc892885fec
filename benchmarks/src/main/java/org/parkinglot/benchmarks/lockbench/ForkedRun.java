package org.parkinglot.benchmarks.lockbench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The main class of a forked JVM: runs the one lock named by {@code --locks} with the given settings and
 * reports each event on stdout in {@link Runner}'s protocol. Not meant to be run by hand.
 */
public final class ForkedRun {

    private ForkedRun() {
    }

    /**
     * Runs one lock and exits: 0 when done, 1 on a failed run, 2 on bad arguments.
     *
     * @param args {@link Options#forkArgs} of the parent
     */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.exit(run(args, out));
    }

    static int run(String[] args, PrintStream out) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (UsageException e) {
            out.println(Runner.PREFIX + "error bad arguments for the forked JVM: " + e.getMessage());
            return 2;
        }
        if (options.locks().size() != 1) {
            out.println(Runner.PREFIX + "error the forked JVM needs exactly one lock");
            return 2;
        }
        RunListener protocol = new RunListener() {
            @Override
            public void warmupStarted(Competitor lock, ThreadConfig config) {
                out.println(Runner.PREFIX + "warmup " + options.configs().indexOf(config));
            }

            @Override
            public void runStarted(Competitor lock, ThreadConfig config, int iteration) {
                out.println(Runner.PREFIX + "start " + options.configs().indexOf(config) + " " + iteration);
            }

            @Override
            public void runFinished(Competitor lock, ThreadConfig config, int iteration, RunResult r) {
                out.println(Runner.PREFIX + "result " + options.configs().indexOf(config) + " " + iteration + " "
                        + r.elapsedNanos() + " " + Runner.csv(r.writerIterations()) + " "
                        + Runner.csv(r.readerIterations()) + " " + Runner.csv(r.maxWaitNanos()) + " "
                        + Runner.csv(r.waitsAtLeast1ms()) + " " + Runner.csv(r.waitsAtLeast2ms()));
            }
        };
        try {
            Runner.runInProcess(options, options.locks().get(0), protocol);
            return 0;
        } catch (BenchmarkException e) {
            out.println(Runner.PREFIX + "error " + e.getMessage().replace('\n', ' '));
            return 1;
        } catch (InterruptedException e) {
            out.println(Runner.PREFIX + "error interrupted");
            return 1;
        }
    }
}
