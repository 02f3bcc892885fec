package org.parkinglot.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Compares competitors of one JMH benchmark with forks taken in interleaved rounds, so that every
 * ratio is a paired comparison under the same machine conditions.
 *
 * <p><b>Why.</b> {@code java -jar benchmarks.jar ... -p type=A,B -f 5} runs the five forks of
 * {@code A}, then the five of {@code B}. On the 2-vCPU VM where this project is measured, whole forks
 * of one lock differ by up to 1.3x and the host's load drifts over minutes, so the ratio of two
 * blocks of forks taken a minute apart measures the drift as much as the locks: the same jar gave
 * {@code RawMutex} 1.12x and 0.85x {@code ReentrantLock} at 4 threads in two such runs an hour apart.
 * Here each round runs one fork of every competitor back to back (the order rotates from round to
 * round, so no competitor always goes first), and the statistic is the per-round ratio: drift slower
 * than a round cancels out.
 *
 * <p><b>What it prints.</b> For each thread count and parameter combination: every round's scores,
 * then per competitor the mean score over rounds, and for each competitor against the first one
 * (the subject): the geometric mean of the per-round ratios subject / competitor, a 95% percentile
 * bootstrap interval of that geometric mean over rounds (10 000 resamples, fixed seed), and in how
 * many rounds the subject was below. With {@code --csv FILE} every fork's score is also written to
 * {@code FILE} ({@code threads,params,round,type,score}).
 *
 * <p>Run with (from the repository root, after {@code mvn -B -q -pl benchmarks -am package -DskipTests}):
 * <pre>{@code
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp benchmarks/target/benchmarks.jar \
 *     org.parkinglot.benchmarks.PairedForks BENCHMARK TYPE[,TYPE...] [--threads 2,4,8] [--rounds 8]
 *     [--param NAME=V1,V2...]... [--warmup 5] [--iterations 5] [--seconds 1] [--csv FILE]
 * }</pre>
 * {@code BENCHMARK} is a benchmark method, {@code Class.method} (for example
 * {@code MutexBenchmark.contended}); the {@code TYPE}s are values of its {@code type} parameter, the
 * first being the subject. {@code --param} fixes or sweeps another {@code @Param} (for example
 * {@code --param readPercent=100,95,50}). Each fork runs {@code warmup} and {@code iterations}
 * iterations of {@code seconds} each; its score is the mean over its measured iterations. Example:
 * {@code PairedForks MutexBenchmark.contended RAW_MUTEX,REENTRANT_LOCK --threads 4 --rounds 8}.
 */
public final class PairedForks {

    /** Bootstrap resamples per interval. */
    static final int RESAMPLES = 10_000;
    private static final String USAGE = "usage: PairedForks BENCHMARK TYPE[,TYPE...] [--threads 2,4,8] "
            + "[--rounds 8] [--param NAME=V1,V2...]... [--warmup 5] [--iterations 5] [--seconds 1] [--csv FILE]";

    private PairedForks() {
    }

    /**
     * The settings of one comparison.
     *
     * @param benchmark  the benchmark method, {@code Class.method} (simple or qualified class name)
     * @param types      the competitors (values of the {@code type} parameter); the first is the subject
     * @param threads    the thread counts, each compared separately
     * @param rounds     how many rounds (one fork of every competitor each)
     * @param params     other {@code @Param}s: name to the values to sweep, in order
     * @param warmup     warm-up iterations per fork
     * @param iterations measured iterations per fork
     * @param seconds    seconds per iteration
     * @param forks      forks per competitor per round: 1, or 0 to run in this JVM (tests only: without a
     *                   fresh JVM per fork the comparison means little)
     */
    record Settings(String benchmark, List<String> types, int[] threads, int rounds,
                    Map<String, List<String>> params, int warmup, int iterations, double seconds, int forks) {
        Settings {
            Objects.requireNonNull(benchmark, "benchmark");
            types = List.copyOf(types);
            threads = threads.clone();
            params = new LinkedHashMap<>(params);
            if (types.size() < 2) {
                throw new IllegalArgumentException("need at least two types to compare, got " + types);
            }
            if (threads.length == 0 || Arrays.stream(threads).anyMatch(t -> t < 1)) {
                throw new IllegalArgumentException("thread counts must be positive: " + Arrays.toString(threads));
            }
            if (rounds < 1 || warmup < 0 || iterations < 1 || !(seconds > 0) || forks < 0 || forks > 1) {
                throw new IllegalArgumentException("rounds and iterations must be positive, warm-up not negative, "
                        + "seconds positive, forks 0 or 1");
            }
        }
    }

    /**
     * Runs the comparison and prints the report.
     *
     * @param args see the class documentation
     * @throws Exception if JMH fails or the CSV file cannot be written
     */
    public static void main(String[] args) throws Exception {
        CommandLine parsed;
        try {
            parsed = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        run(parsed.settings(), System.out, parsed.csv());
    }

    /**
     * A parsed command line.
     *
     * @param settings what to compare
     * @param csv      where to write every fork's score, or null
     */
    record CommandLine(Settings settings, Path csv) {
    }

    /**
     * Parses the command line.
     *
     * @return the settings and the CSV path (null if none)
     * @throws IllegalArgumentException on a malformed command line
     */
    static CommandLine parse(String[] args) {
        ToolArgs parsed = ToolArgs.parse(args, Set.of("--threads", "--rounds", "--warmup", "--iterations", "--seconds",
                "--csv", "--param"));
        Map<String, List<String>> params = parsed.params();
        if (params.containsKey("type")) {
            throw new IllegalArgumentException("the types are the second argument, not a --param");
        }
        List<String> positional = parsed.positional;
        if (positional.size() != 2) {
            throw new IllegalArgumentException("expected BENCHMARK and TYPE[,TYPE...], got " + positional);
        }
        Settings settings = new Settings(positional.get(0), List.of(positional.get(1).split(",")),
                parsed.intListOption("--threads", new int[] {2, 4, 8}), parsed.intOption("--rounds", 8), params,
                parsed.intOption("--warmup", 5), parsed.intOption("--iterations", 5),
                parsed.doubleOption("--seconds", 1.0), 1);
        return new CommandLine(settings, parsed.pathOption("--csv"));
    }

    /**
     * Runs every round and prints the report.
     *
     * @param settings what to compare
     * @param out      where the report goes
     * @param csv      where every fork's score goes, or null
     * @return the per-fork scores: one {@link Comparison} per thread count and parameter combination
     * @throws RunnerException if JMH fails
     * @throws IOException     if the CSV file cannot be written
     */
    static List<Comparison> run(Settings settings, PrintStream out, Path csv) throws RunnerException, IOException {
        List<Comparison> comparisons = new ArrayList<>();
        try (Writer csvOut = csv == null ? Writer.nullWriter() : Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            csvOut.write("threads,params,round,type,score\n");
            for (int t : settings.threads()) {
                for (Map<String, String> combo : combinations(settings.params())) {
                    Comparison c = new Comparison(t, combo, settings.types(), settings.rounds());
                    out.printf(Locale.ROOT, "%s, %d threads%s, %d rounds%n", settings.benchmark(), t,
                            combo.isEmpty() ? "" : ", " + combo, settings.rounds());
                    for (int r = 0; r < settings.rounds(); r++) {
                        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  round %2d:", r + 1));
                        int n = settings.types().size();
                        for (int k = 0; k < n; k++) {
                            int ti = (r + k) % n; // rotate who goes first
                            String type = settings.types().get(ti);
                            double score = runFork(settings, t, combo, type);
                            c.scores[ti][r] = score;
                            line.append(String.format(Locale.ROOT, "  %s %.3f", type, score));
                            csvOut.write(String.format(Locale.ROOT, "%d,\"%s\",%d,%s,%.6f%n", t, combo, r + 1, type, score));
                        }
                        csvOut.flush();
                        out.println(line);
                    }
                    c.print(out);
                    comparisons.add(c);
                }
            }
        }
        return comparisons;
    }

    private static double runFork(Settings s, int threads, Map<String, String> combo, String type)
            throws RunnerException {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include(ToolArgs.includeRegex(s.benchmark()))
                .forks(s.forks())
                .threads(threads)
                .warmupIterations(s.warmup())
                .warmupTime(TimeValue.milliseconds(Math.round(s.seconds() * 1000)))
                .measurementIterations(s.iterations())
                .measurementTime(TimeValue.milliseconds(Math.round(s.seconds() * 1000)))
                .param("type", type)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        for (Map.Entry<String, String> p : combo.entrySet()) {
            b.param(p.getKey(), p.getValue());
        }
        RunResult result = new Runner(b.build()).runSingle();
        return result.getPrimaryResult().getScore();
    }

    /** Every combination of the swept parameters, in order (one empty map if there are none). */
    static List<Map<String, String>> combinations(Map<String, List<String>> params) {
        List<Map<String, String>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> c : combos) {
                for (String v : p.getValue()) {
                    Map<String, String> m = new LinkedHashMap<>(c);
                    m.put(p.getKey(), v);
                    next.add(m);
                }
            }
            combos = next;
        }
        return combos;
    }

    /** The per-fork scores of one thread count and parameter combination: {@code scores[type][round]}. */
    static final class Comparison {
        final int threads;
        final Map<String, String> params;
        final List<String> types;
        final double[][] scores;

        Comparison(int threads, Map<String, String> params, List<String> types, int rounds) {
            this.threads = threads;
            this.params = params;
            this.types = types;
            this.scores = new double[types.size()][rounds];
        }

        /** The subject's (type 0) ratio against type {@code k} in each round. */
        double[] ratios(int k) {
            double[] r = new double[scores[0].length];
            for (int i = 0; i < r.length; i++) {
                r[i] = scores[0][i] / scores[k][i];
            }
            return r;
        }

        void print(PrintStream out) {
            for (int k = 0; k < types.size(); k++) {
                out.printf(Locale.ROOT, "  %-24s mean %.3f%n", types.get(k), mean(scores[k]));
            }
            for (int k = 1; k < types.size(); k++) {
                double[] r = ratios(k);
                double[] ci = bootstrapGeometricMean(r, RESAMPLES, new SplittableRandom(1));
                long below = Arrays.stream(r).filter(x -> x < 1.0).count();
                out.printf(Locale.ROOT, "  %s / %s: %.3fx (95%% bootstrap over rounds %.3f-%.3f), below 1 in %d of %d rounds%n",
                        types.get(0), types.get(k), geometricMean(r), ci[0], ci[1], below, r.length);
            }
        }
    }

    /** Arithmetic mean. */
    static double mean(double[] xs) {
        double sum = 0;
        for (double x : xs) {
            sum += x;
        }
        return sum / xs.length;
    }

    /**
     * Geometric mean, the average that suits ratios (a 2x and a 0.5x average to 1x).
     *
     * @throws IllegalArgumentException if a value is not positive
     */
    static double geometricMean(double[] xs) {
        double logSum = 0;
        for (double x : xs) {
            if (!(x > 0)) {
                throw new IllegalArgumentException("geometric mean of a non-positive value: " + x);
            }
            logSum += Math.log(x);
        }
        return Math.exp(logSum / xs.length);
    }

    /**
     * A 95% percentile bootstrap interval of the geometric mean: resample the values with replacement
     * {@code resamples} times and take the 2.5th and 97.5th percentiles of the resampled means.
     *
     * @return {lower, upper}
     */
    static double[] bootstrapGeometricMean(double[] xs, int resamples, SplittableRandom random) {
        double[] means = new double[resamples];
        double[] sample = new double[xs.length];
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < xs.length; i++) {
                sample[i] = xs[random.nextInt(xs.length)];
            }
            means[b] = geometricMean(sample);
        }
        Arrays.sort(means);
        return ToolArgs.percentileInterval95(means);
    }
}
