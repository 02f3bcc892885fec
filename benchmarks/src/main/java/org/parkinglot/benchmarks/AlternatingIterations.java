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
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Compares two competitors inside the same JVM, iteration by iteration: runs {@link MutexAlternation}
 * or {@link RwLockAlternation}, whose iterations alternate A, B, B, A, and reports the ratio A / B per
 * cycle of four iterations.
 *
 * <p><b>Why.</b> The host under this project's benchmarks changes speed for seconds at a time (see
 * {@link MutexAlternation}); {@link PairedForks} cancels drift slower than a round of forks (tens of
 * seconds), this cancels drift slower than a cycle (4 iterations of 200 ms by default). The A, B, B, A
 * order also cancels a linear trend inside the cycle: a cycle's ratio is {@code (A1 + A4) / (B2 + B3)},
 * which is exactly 1 for one lock whose score grows or shrinks steadily over the four iterations.
 *
 * <p><b>What it prints.</b> For each thread count and parameter combination, per fork the mean
 * score of A and of B and the fork's ratio, then the geometric mean of all cycle ratios with a 95%
 * two-level bootstrap interval (resample the forks, then the cycles inside each chosen fork; 10 000
 * resamples, fixed seed: cycles of one fork share that JVM's compiled code and are not independent),
 * and in how many cycles A was below B. With {@code --csv FILE} every measured iteration is written to
 * {@code FILE} ({@code threads,params,fork,iteration,competitor,score}).
 *
 * <p>Run with (from the repository root, after {@code mvn -B -q -pl benchmarks -am package -DskipTests}):
 * <pre>{@code
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp benchmarks/target/benchmarks.jar \
 *     org.parkinglot.benchmarks.AlternatingIterations BENCHMARK A B [--threads 2,4,8] [--forks 3]
 *     [--cycles 10] [--warmup-cycles 4] [--millis 200] [--order ab|balanced] [--param NAME=V1,V2...]...
 *     [--jvm-arg ARG]... [--csv FILE]
 * }</pre>
 * {@code BENCHMARK} is {@code MutexAlternation.contended} (A and B are {@link LockType}s) or
 * {@code RwLockAlternation.mix} (A and B are {@link LockType}s; {@code --param
 * readPercent=100,95,50}). Example: {@code AlternatingIterations MutexAlternation.contended RAW_MUTEX
 * REENTRANT_LOCK --threads 8 --forks 4}. Running a competitor against itself ({@code RAW_MUTEX
 * RAW_MUTEX}, two separate locks) shows what the method reads when there is no difference.
 *
 * <p>{@code --order balanced} runs half the forks with the competitors as given and half with A and B
 * swapped (B in the first and last iteration of each cycle, and B's lock allocated first), and reports
 * every ratio as A / B: whatever favours the competitor in A's place (a lock against itself reads
 * about 0.99x) then cancels. It needs an even {@code --forks}. The default, {@code --order ab}, keeps A
 * first in every fork.
 *
 * <p>{@code --jvm-arg} (repeatable) passes an argument to every forked JVM. Both competitors of a run
 * share the JVM and so its flags; to try a flag, run the same pair with and without it and compare the
 * two ratios against the common competitor.
 */
public final class AlternatingIterations {

    /** Bootstrap resamples per interval. */
    static final int RESAMPLES = 10_000;
    private static final String USAGE = "usage: AlternatingIterations BENCHMARK A B [--threads 2,4,8] [--forks 3] "
            + "[--cycles 10] [--warmup-cycles 4] [--millis 200] [--order ab|balanced] [--param NAME=V1,V2...]... "
            + "[--jvm-arg ARG]... [--csv FILE]";

    private AlternatingIterations() {
    }

    /**
     * Whether iteration {@code i} of a fork (warm-up included, from 0) runs competitor A: positions 0
     * and 3 of every cycle of four.
     *
     * @param i the iteration's index in the fork
     * @return {@code true} for A, {@code false} for B
     */
    static boolean isA(int i) {
        int phase = i & 3;
        return phase == 0 || phase == 3;
    }

    /**
     * The settings of one comparison.
     *
     * @param benchmark    the benchmark method, {@code Class.method}
     * @param a            competitor A (the subject)
     * @param b            competitor B
     * @param threads      the thread counts, each compared separately
     * @param forks        forks per thread count and combination; 0 runs in this JVM (tests only)
     * @param cycles       measured cycles of four iterations per fork
     * @param warmupCycles warm-up cycles per fork
     * @param millis       milliseconds per iteration
     * @param params       other {@code @Param}s: name to the values to sweep, in order
     * @param jvmArgs      extra arguments for every forked JVM (for example {@code -Dname=value})
     * @param balanced     half the forks run with A and B swapped ({@code forks} must be even; with 0,
     *                     one in-process run per order)
     */
    record Settings(String benchmark, String a, String b, int[] threads, int forks, int cycles, int warmupCycles,
                    int millis, Map<String, List<String>> params, List<String> jvmArgs, boolean balanced) {
        Settings {
            jvmArgs = List.copyOf(jvmArgs);
            Objects.requireNonNull(benchmark, "benchmark");
            Objects.requireNonNull(a, "a");
            Objects.requireNonNull(b, "b");
            threads = threads.clone();
            params = new LinkedHashMap<>(params);
            if (threads.length == 0 || Arrays.stream(threads).anyMatch(t -> t < 1)) {
                throw new IllegalArgumentException("thread counts must be positive: " + Arrays.toString(threads));
            }
            if (forks < 0 || cycles < 1 || warmupCycles < 0 || millis < 1) {
                throw new IllegalArgumentException("forks and warm-up cycles must not be negative, cycles and "
                        + "milliseconds must be positive");
            }
            if (balanced && forks % 2 != 0) {
                throw new IllegalArgumentException("--order balanced needs an even number of forks, got " + forks);
            }
            if (params.containsKey("a") || params.containsKey("b")) {
                throw new IllegalArgumentException("the competitors are the second and third arguments, not a --param");
            }
        }
    }

    /**
     * A parsed command line.
     *
     * @param settings what to compare
     * @param csv      where to write every iteration's score, or null
     */
    record CommandLine(Settings settings, Path csv) {
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
     * Parses the command line.
     *
     * @return the settings and the CSV path (null if none)
     * @throws IllegalArgumentException on a malformed command line
     */
    static CommandLine parse(String[] args) {
        ToolArgs parsed = ToolArgs.parse(args, Set.of("--threads", "--forks", "--cycles", "--warmup-cycles", "--millis",
                "--csv", "--jvm-arg", "--param", "--order"));
        Map<String, List<String>> params = parsed.params();
        List<String> positional = parsed.positional;
        if (positional.size() != 3) {
            throw new IllegalArgumentException("expected BENCHMARK A B, got " + positional);
        }
        String order = parsed.stringOption("--order", "ab");
        if (!order.equals("ab") && !order.equals("balanced")) {
            throw new IllegalArgumentException("--order is ab or balanced, got " + order);
        }
        boolean balanced = order.equals("balanced");
        int forks = parsed.intOption("--forks", balanced ? 4 : 3);
        if (forks == 0) {
            throw new IllegalArgumentException("--forks must be at least 1");
        }
        Settings settings = new Settings(positional.get(0), positional.get(1), positional.get(2),
                parsed.intListOption("--threads", new int[] {2, 4, 8}), forks, parsed.intOption("--cycles", 10),
                parsed.intOption("--warmup-cycles", 4), parsed.intOption("--millis", 200), params,
                parsed.allValues("--jvm-arg"), balanced);
        return new CommandLine(settings, parsed.pathOption("--csv"));
    }

    /**
     * Runs every comparison and prints the report.
     *
     * @param settings what to compare
     * @param out      where the report goes
     * @param csv      where every measured iteration's score goes, or null
     * @return one {@link Comparison} per thread count and parameter combination
     * @throws RunnerException if JMH fails
     * @throws IOException     if the CSV file cannot be written
     */
    static List<Comparison> run(Settings settings, PrintStream out, Path csv) throws RunnerException, IOException {
        List<Comparison> comparisons = new ArrayList<>();
        try (Writer csvOut = csv == null ? Writer.nullWriter() : Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            csvOut.write("threads,params,fork,iteration,competitor,score\n");
            for (int t : settings.threads()) {
                for (Map<String, String> combo : PairedForks.combinations(settings.params())) {
                    out.printf(Locale.ROOT, "%s, %s vs %s, %d threads%s, %d forks of %d cycles of 4 x %d ms%n",
                            settings.benchmark(), settings.a(), settings.b(), t,
                            combo.isEmpty() ? "" : ", " + combo,
                            settings.balanced() ? Math.max(2, settings.forks()) : Math.max(1, settings.forks()),
                            settings.cycles(), settings.millis());
                    Comparison c;
                    if (settings.balanced()) {
                        int half = settings.forks() / 2;
                        double[][] asGiven = runForks(settings, t, combo, settings.a(), settings.b(), half);
                        double[][] swapped = runForks(settings, t, combo, settings.b(), settings.a(), half);
                        c = Comparison.balanced(t, combo, settings.a(), settings.b(), asGiven, swapped);
                    } else {
                        double[][] scores = runForks(settings, t, combo, settings.a(), settings.b(), settings.forks());
                        c = new Comparison(t, combo, settings.a(), settings.b(), scores, new boolean[scores.length]);
                    }
                    for (int f = 0; f < c.scores.length; f++) {
                        for (int i = 0; i < c.scores[f].length; i++) {
                            csvOut.write(String.format(Locale.ROOT, "%d,\"%s\",%d,%d,%s,%.6f%n", t, combo, f + 1, i,
                                    c.competitorAt(f, i), c.scores[f][i]));
                        }
                    }
                    csvOut.flush();
                    c.print(out);
                    comparisons.add(c);
                }
            }
        }
        return comparisons;
    }

    /**
     * Runs the forks of one comparison with {@code first} in A's place (iterations 1 and 4 of each
     * cycle) and {@code second} in B's; returns {@code scores[fork][measured iteration]}.
     */
    private static double[][] runForks(Settings s, int threads, Map<String, String> combo, String first, String second,
                                       int forks) throws RunnerException {
        TimeValue time = TimeValue.milliseconds(s.millis());
        ChainedOptionsBuilder builder = new OptionsBuilder()
                .include(ToolArgs.includeRegex(s.benchmark()))
                .forks(forks)
                .threads(threads)
                .warmupIterations(4 * s.warmupCycles())
                .warmupTime(time)
                .measurementIterations(4 * s.cycles())
                .measurementTime(time)
                .param("a", first)
                .param("b", second)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        for (Map.Entry<String, String> p : combo.entrySet()) {
            builder.param(p.getKey(), p.getValue());
        }
        if (!s.jvmArgs().isEmpty()) {
            builder.jvmArgsAppend(s.jvmArgs().toArray(new String[0]));
        }
        RunResult result = new Runner(builder.build()).runSingle();
        List<double[]> perFork = new ArrayList<>();
        for (BenchmarkResult fork : result.getBenchmarkResults()) {
            double[] iterations = fork.getIterationResults().stream()
                    .mapToDouble(it -> it.getPrimaryResult().getScore())
                    .toArray();
            if (iterations.length != 4 * s.cycles()) {
                throw new IllegalStateException("expected " + 4 * s.cycles() + " iterations, JMH reported "
                        + iterations.length);
            }
            perFork.add(iterations);
        }
        return perFork.toArray(new double[0][]);
    }

    /**
     * The ratio A / B of each cycle of a fork's measured iterations (A, B, B, A, ...):
     * {@code (A1 + A4) / (B2 + B3)}, exact 1 under a linear trend of equal locks.
     *
     * @param iterations one fork's measured scores, a whole number of cycles
     * @return one ratio per cycle
     * @throws IllegalArgumentException if the length is not a positive multiple of 4 or a score is not positive
     */
    static double[] cycleRatios(double[] iterations) {
        if (iterations.length == 0 || iterations.length % 4 != 0) {
            throw new IllegalArgumentException("need whole cycles of 4 iterations, got " + iterations.length);
        }
        double[] ratios = new double[iterations.length / 4];
        for (int c = 0; c < ratios.length; c++) {
            double a1 = iterations[4 * c];
            double b2 = iterations[4 * c + 1];
            double b3 = iterations[4 * c + 2];
            double a4 = iterations[4 * c + 3];
            if (!(a1 > 0 && b2 > 0 && b3 > 0 && a4 > 0)) {
                throw new IllegalArgumentException("scores must be positive in cycle " + c);
            }
            ratios[c] = (a1 + a4) / (b2 + b3);
        }
        return ratios;
    }

    /**
     * A 95% two-level percentile bootstrap interval of the geometric mean of every cycle ratio: each
     * resample draws as many forks as there are, with replacement, and inside each drawn fork as many
     * cycles as it has, with replacement.
     *
     * @param ratios    {@code ratios[fork][cycle]}
     * @param resamples how many resamples
     * @param random    the generator (seeded, for a reproducible report)
     * @return {lower, upper}
     */
    static double[] bootstrapOverForksAndCycles(double[][] ratios, int resamples, SplittableRandom random) {
        double[] means = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double logSum = 0;
            int n = 0;
            for (int f = 0; f < ratios.length; f++) {
                double[] fork = ratios[random.nextInt(ratios.length)];
                for (int c = 0; c < fork.length; c++) {
                    logSum += Math.log(fork[random.nextInt(fork.length)]);
                    n++;
                }
            }
            means[r] = Math.exp(logSum / n);
        }
        Arrays.sort(means);
        return ToolArgs.percentileInterval95(means);
    }

    /** The measured iterations of one thread count and parameter combination, and their statistics. */
    static final class Comparison {
        final int threads;
        final Map<String, String> params;
        final String a;
        final String b;
        /** {@code scores[fork][measured iteration]}. */
        final double[][] scores;
        /** {@code swapped[fork]}: that fork ran B in A's place (iterations 1 and 4 of each cycle). */
        final boolean[] swapped;

        Comparison(int threads, Map<String, String> params, String a, String b, double[][] scores, boolean[] swapped) {
            if (swapped.length != scores.length) {
                throw new IllegalArgumentException(scores.length + " forks, " + swapped.length + " swap flags");
            }
            this.threads = threads;
            this.params = params;
            this.a = a;
            this.b = b;
            this.scores = scores;
            this.swapped = swapped.clone();
        }

        /** The forks run as given, then the forks run with A and B swapped. */
        static Comparison balanced(int threads, Map<String, String> params, String a, String b, double[][] asGiven,
                                   double[][] swapped) {
            double[][] scores = new double[asGiven.length + swapped.length][];
            boolean[] flags = new boolean[scores.length];
            System.arraycopy(asGiven, 0, scores, 0, asGiven.length);
            System.arraycopy(swapped, 0, scores, asGiven.length, swapped.length);
            Arrays.fill(flags, asGiven.length, flags.length, true);
            return new Comparison(threads, params, a, b, scores, flags);
        }

        /** Whether A ran measured iteration {@code i} of fork {@code f}. */
        boolean ranA(int f, int i) {
            return isA(i) != swapped[f];
        }

        /** The competitor that ran measured iteration {@code i} of fork {@code f}. */
        String competitorAt(int f, int i) {
            return ranA(f, i) ? a : b;
        }

        /** {@code ratios[fork][cycle]}, always A / B: a swapped fork's cycle ratios are inverted. */
        double[][] ratios() {
            double[][] r = new double[scores.length][];
            for (int f = 0; f < scores.length; f++) {
                r[f] = cycleRatios(scores[f]);
                if (swapped[f]) {
                    for (int c = 0; c < r[f].length; c++) {
                        r[f][c] = 1.0 / r[f][c];
                    }
                }
            }
            return r;
        }

        /** The geometric mean of every cycle ratio of every fork. */
        double ratio() {
            return PairedForks.geometricMean(Arrays.stream(ratios()).flatMapToDouble(Arrays::stream).toArray());
        }

        void print(PrintStream out) {
            double[][] ratios = ratios();
            for (int f = 0; f < scores.length; f++) {
                double[] fa = new double[scores[f].length / 2];
                double[] fb = new double[scores[f].length / 2];
                for (int i = 0, ia = 0, ib = 0; i < scores[f].length; i++) {
                    if (ranA(f, i)) {
                        fa[ia++] = scores[f][i];
                    } else {
                        fb[ib++] = scores[f][i];
                    }
                }
                out.printf(Locale.ROOT, "  fork %d%s: %s %.3f, %s %.3f, ratio %.3fx%n", f + 1,
                        swapped[f] ? " (" + b + " first)" : "", a, PairedForks.mean(fa), b, PairedForks.mean(fb),
                        PairedForks.geometricMean(ratios[f]));
            }
            double[] all = Arrays.stream(ratios).flatMapToDouble(Arrays::stream).toArray();
            double[] ci = bootstrapOverForksAndCycles(ratios, RESAMPLES, new SplittableRandom(1));
            long below = Arrays.stream(all).filter(x -> x < 1.0).count();
            out.printf(Locale.ROOT, "  %s / %s: %.3fx (95%% bootstrap over forks and cycles %.3f-%.3f), below 1 in %d of %d cycles%n",
                    a, b, PairedForks.geometricMean(all), ci[0], ci[1], below, all.length);
        }
    }
}
