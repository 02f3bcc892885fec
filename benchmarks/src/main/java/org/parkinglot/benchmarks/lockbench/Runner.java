package org.parkinglot.benchmarks.lockbench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the timed runs of one lock: a warm-up, then each configuration, either {@code iterations} times
 * in this JVM, or once in a fresh JVM (the default, as JMH forks; {@link LockBench} starts one such
 * JVM per lock and round, the rounds one after another).
 *
 * <p><b>Why fork.</b> HotSpot compiles the benchmark loop with the type profile it has seen. In one JVM,
 * the call to the lock inside the loop soon sees a dozen lock classes and stops being inlined, so every
 * lock after the first pays for the others; the parking lot's tables, the heap and JIT state also carry
 * over. A fresh JVM per lock gives each lock the same clean start. {@code --in-process} trades that
 * for speed.
 *
 * <p><b>Why one JVM per run.</b> The spread the report prints must contain what differs from one JVM to
 * the next (JIT decisions, where the heap lands) and the machine's slow and fast phases, which last
 * seconds. Runs of one lock in one JVM, back to back, see neither, and their interval would be too
 * narrow. Rounds (every lock once, then every lock again) also spread each lock's runs over the whole
 * session, so a slow phase of the machine hits all locks alike instead of one.
 *
 * <p><b>Fork protocol.</b> The forked JVM runs {@link ForkedRun} with {@link Options#forkArgs} and
 * prints one line per event on stdout, fields separated by single spaces, prefixed by {@link #PREFIX}:
 * {@code warmup CONFIG}, {@code start CONFIG ITERATION},
 * {@code result CONFIG ITERATION ELAPSED_NANOS WRITER_COUNTS READER_COUNTS MAX_WAITS WAITS_1MS WAITS_2MS}
 * (comma lists, {@code -} when empty) and {@code error MESSAGE}. CONFIG indexes {@link Options#configs()}.
 * Other lines are passed on to stderr.
 */
public final class Runner {

    /** The prefix of protocol lines from a forked JVM. */
    static final String PREFIX = "@lockbench ";

    private Runner() {
    }

    /**
     * Runs one lock in this JVM.
     *
     * @param options  the settings
     * @param lock     the lock
     * @param listener hears each run start and end
     * @throws InterruptedException if interrupted
     * @throws BenchmarkException   if a run got stuck or failed
     */
    public static void runInProcess(Options options, Competitor lock, RunListener listener)
            throws InterruptedException, BenchmarkException {
        List<ThreadConfig> configs = options.configs();
        if (options.warmupSeconds() > 0) {
            ThreadConfig biggest = configs.get(configs.size() - 1);
            listener.warmupStarted(lock, biggest);
            Workload.run(lock, biggest, options.workInside(), options.workBetweenFor(biggest),
                    nanos(options.warmupSeconds()));
        }
        for (ThreadConfig config : configs) {
            for (int i = 1; i <= options.iterations(); i++) {
                listener.runStarted(lock, config, i);
                RunResult r = Workload.run(lock, config, options.workInside(), options.workBetweenFor(config),
                        nanos(options.seconds()));
                listener.runFinished(lock, config, i, r);
            }
        }
    }

    private static long nanos(double seconds) {
        return Math.max(1, Math.round(seconds * 1e9));
    }

    /**
     * Runs one round of one lock in a fresh JVM (the same java, class path and JVM options as this
     * one): a warm-up, then each configuration once.
     *
     * @param options  the settings
     * @param lock     the lock
     * @param round    which round this is, from 1 to {@code options.iterations()}; the listener hears it
     *                 as the iteration
     * @param listener hears each run start and end
     * @param stderr   receives the forked JVM's other output
     * @throws InterruptedException if interrupted (the forked JVM is destroyed)
     * @throws BenchmarkException   if the forked JVM reported an error, broke the protocol or died
     */
    public static void runForked(Options options, Competitor lock, int round, RunListener listener,
                                 Consumer<String> stderr)
            throws InterruptedException, BenchmarkException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ForkedRun.class.getName());
        command.addAll(options.forkArgs(lock, 1));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new BenchmarkException("cannot start a JVM for " + lock.name() + ": " + e.getMessage(), e);
        }
        Thread killer = new Thread(process::destroyForcibly, "lockbench-fork-killer");
        Runtime.getRuntime().addShutdownHook(killer);
        String error = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith(PREFIX)) {
                    stderr.accept(line);
                    continue;
                }
                String[] f = line.substring(PREFIX.length()).split(" ", -1);
                try {
                    switch (f[0]) {
                        case "warmup" -> listener.warmupStarted(lock, config(options, f[1]));
                        case "start" -> listener.runStarted(lock, config(options, f[1]), round + Integer.parseInt(f[2]) - 1);
                        case "result" -> listener.runFinished(lock, config(options, f[1]), round + Integer.parseInt(f[2]) - 1,
                                new RunResult(Long.parseLong(f[3]), longs(f[4]), longs(f[5]), longs(f[6]),
                                        longs(f[7]), longs(f[8])));
                        case "error" -> error = line.substring(PREFIX.length() + "error ".length());
                        default -> throw new IllegalArgumentException("unknown event " + f[0]);
                    }
                } catch (RuntimeException e) { // a malformed line: report it, do not guess
                    throw new BenchmarkException("the JVM running " + lock.name() + " sent a bad line: " + line, e);
                }
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new BenchmarkException("the JVM running " + lock.name() + " did not exit");
            }
        } catch (IOException e) {
            throw new BenchmarkException("lost the JVM running " + lock.name() + ": " + e.getMessage(), e);
        } finally {
            process.destroyForcibly();
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs anyway
            }
        }
        if (error != null) {
            throw new BenchmarkException(error);
        }
        if (process.exitValue() != 0) {
            throw new BenchmarkException("the JVM running " + lock.name() + " exited with status " + process.exitValue());
        }
    }

    private static ThreadConfig config(Options options, String index) {
        return options.configs().get(Integer.parseInt(index));
    }

    /**
     * Formats counts for the protocol.
     *
     * @param values the counts
     * @return a comma list, or {@code -} if empty
     */
    static String csv(long[] values) {
        if (values.length == 0) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        for (long v : values) {
            b.append(b.isEmpty() ? "" : ",").append(v);
        }
        return b.toString();
    }

    static long[] longs(String csv) {
        return csv.equals("-") ? new long[0] : Arrays.stream(csv.split(",")).mapToLong(Long::parseLong).toArray();
    }

    /**
     * The JVM options to pass on: this JVM's own, minus debugger and agent options.
     *
     * @return the options
     */
    static List<String> jvmOptions() {
        List<String> opts = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-agentlib:") || a.startsWith("-javaagent:") || a.startsWith("-Xrunjdwp")
                    || a.equals("-Xdebug") || a.startsWith("-agentpath:")) {
                continue;
            }
            opts.add(a);
        }
        return opts;
    }
}
