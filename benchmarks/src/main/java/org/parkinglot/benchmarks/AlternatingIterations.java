package org.parkinglot.benchmarks;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The project's one tool for comparing two locks: runs {@link MutexAlternation} or
 * {@link RwLockAlternation}, whose iterations alternate between two competitors A, B, B, A inside one
 * JVM, and reports the ratio A / B per cycle of four iterations.
 *
 * <p><b>Why.</b> The host under this project's benchmarks changes speed for seconds at a time (see
 * {@link MutexAlternation}), so forks of two locks taken back to back can land in different phases;
 * iterations of 200 ms taken back to back mostly do not. The A, B, B, A order also cancels a linear
 * trend inside the cycle: a cycle's ratio is {@code (A1 + A4) / (B2 + B3)}, exactly 1 for one lock whose
 * score grows or shrinks steadily over the four iterations.
 *
 * <p><b>What it prints.</b> For each thread count and parameter combination, per fork the mean score
 * of A and of B and the fork's ratio, then the geometric mean of all cycle ratios with a 95% two-level
 * bootstrap interval (forks, then cycles inside each chosen fork: cycles of one fork share its compiled
 * code) and in how many cycles A was below B. JMH runs the forks; {@code --json FILE} keeps JMH's own
 * JSON of every result (a fork's iterations in {@code primaryMetric.rawData}).
 *
 * <p>Run with (from the repository root, after {@code mvn -B -q -pl benchmarks -am package -DskipTests}):
 * <pre>{@code
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp benchmarks/target/benchmarks.jar \
 *     org.parkinglot.benchmarks.AlternatingIterations BENCHMARK A B [--threads 2,4,8] [--forks 3]
 *     [--cycles 10] [--warmup-cycles 4] [--millis 200] [--order ab|balanced] [--param NAME=V1,V2...]...
 *     [--jvm-arg ARG]... [--json FILE]
 * }</pre>
 * {@code BENCHMARK} is {@code MutexAlternation.contended} or {@code RwLockAlternation.mix}
 * ({@code --param readPercent=100,95,50}); A and B are {@link LockType} names, for example
 * {@code AlternatingIterations MutexAlternation.contended RAW_MUTEX REENTRANT_LOCK --threads 8 --forks 4}.
 * A competitor against itself ({@code RAW_MUTEX RAW_MUTEX}, two separate locks) shows what the method
 * reads when there is no difference.
 *
 * <p>{@code --order balanced} runs half the forks with A and B swapped (B in the first and last
 * iteration of each cycle, and B's lock allocated first) and reports every ratio as A / B, so that
 * whatever favours the competitor in A's place cancels; it needs an even {@code --forks} (default 4).
 * {@code --jvm-arg} (repeatable) passes an argument to every forked JVM; both competitors share it, so
 * to try a flag, run the same pair with and without it and compare the two ratios.
 */
public final class AlternatingIterations {

    /** Bootstrap resamples per interval. */
    static final int RESAMPLES = 10_000;
    private static final Set<String> OPTIONS = Set.of("--threads", "--forks", "--cycles", "--warmup-cycles",
            "--millis", "--order", "--param", "--jvm-arg", "--json");
    private static final String USAGE = "usage: AlternatingIterations BENCHMARK A B [--threads 2,4,8] [--forks 3] "
            + "[--cycles 10] [--warmup-cycles 4] [--millis 200] [--order ab|balanced] [--param NAME=V1,V2...]... "
            + "[--jvm-arg ARG]... [--json FILE]";

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
     * @param json         where JMH writes every result as JSON, or null
     */
    record Settings(String benchmark, String a, String b, int[] threads, int forks, int cycles, int warmupCycles,
                    int millis, Map<String, List<String>> params, List<String> jvmArgs, boolean balanced, Path json) {
        Settings {
            Objects.requireNonNull(benchmark, "benchmark");
            Objects.requireNonNull(a, "a");
            Objects.requireNonNull(b, "b");
            threads = threads.clone();
            params = new LinkedHashMap<>(params);
            jvmArgs = List.copyOf(jvmArgs);
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
            if (params.containsKey("a") || params.containsKey("b") || params.containsKey("swapped")) {
                throw new IllegalArgumentException("the competitors and their order are set by the command line, "
                        + "not by a --param");
            }
        }
    }

    /**
     * Runs the comparison and prints the report; exits with status 2 on a malformed command line.
     *
     * @param args see the class documentation
     * @throws RunnerException if JMH fails
     */
    public static void main(String[] args) throws RunnerException {
        Settings settings;
        try {
            settings = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        run(settings, System.out);
    }

    /**
     * Parses the command line: three positional arguments and {@code --name value} options; a repeated
     * single-valued option keeps its last value.
     *
     * @param args the command line
     * @return the settings
     * @throws IllegalArgumentException on a malformed command line
     */
    static Settings parse(String[] args) {
        List<String> positional = new ArrayList<>();
        Map<String, List<String>> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                positional.add(args[i]);
            } else if (!OPTIONS.contains(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            } else if (i + 1 == args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            } else {
                options.computeIfAbsent(args[i], k -> new ArrayList<>()).add(args[++i]);
            }
        }
        if (positional.size() != 3) {
            throw new IllegalArgumentException("expected BENCHMARK A B, got " + positional);
        }
        String order = last(options, "--order", "ab");
        if (!order.equals("ab") && !order.equals("balanced")) {
            throw new IllegalArgumentException("--order is ab or balanced, got " + order);
        }
        boolean balanced = order.equals("balanced");
        int forks = one(options, "--forks", balanced ? "4" : "3");
        if (forks == 0) {
            throw new IllegalArgumentException("--forks must be at least 1");
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String p : options.getOrDefault("--param", List.of())) {
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                throw new IllegalArgumentException("--param wants NAME=V1,V2..., got " + p);
            }
            params.put(p.substring(0, eq), List.of(p.substring(eq + 1).split(",")));
        }
        String json = last(options, "--json", null);
        return new Settings(positional.get(0), positional.get(1), positional.get(2), ints(options, "--threads", "2,4,8"),
                forks, one(options, "--cycles", "10"), one(options, "--warmup-cycles", "4"),
                one(options, "--millis", "200"), params, options.getOrDefault("--jvm-arg", List.of()), balanced,
                json == null ? null : Path.of(json));
    }

    private static String last(Map<String, List<String>> options, String name, String defaultValue) {
        List<String> values = options.get(name);
        return values == null ? defaultValue : values.get(values.size() - 1);
    }

    /** A comma-separated list of {@code int}s (a single-valued option is a list of one). */
    private static int[] ints(Map<String, List<String>> options, String name, String defaultValue) {
        String v = last(options, name, defaultValue);
        try {
            return Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number in " + name + " " + v, e);
        }
    }

    private static int one(Map<String, List<String>> options, String name, String defaultValue) {
        int[] v = ints(options, name, defaultValue);
        if (v.length != 1) {
            throw new IllegalArgumentException(name + " takes one number, got " + Arrays.toString(v));
        }
        return v[0];
    }

    /**
     * Runs every comparison through JMH and prints the report.
     *
     * @param s   what to compare
     * @param out where the report goes
     * @return one {@link Comparison} per thread count and parameter combination
     * @throws RunnerException if JMH fails
     */
    static List<Comparison> run(Settings s, PrintStream out) throws RunnerException {
        String[] parts = s.benchmark().split("\\.");
        String include = parts.length >= 2 // Class.method at a word boundary: not FooClass.method nor methodFair
                ? "\\b" + Pattern.quote(parts[parts.length - 2]) + "\\." + Pattern.quote(parts[parts.length - 1]) + "$"
                : Pattern.quote(s.benchmark()) + "$";
        TimeValue time = TimeValue.milliseconds(s.millis());
        List<RunResult> all = new ArrayList<>();
        List<Comparison> comparisons = new ArrayList<>();
        for (int t : s.threads()) {
            ChainedOptionsBuilder builder = new OptionsBuilder().include(include)
                    .forks(s.balanced() ? s.forks() / 2 : s.forks()).threads(t)
                    .warmupIterations(4 * s.warmupCycles()).warmupTime(time)
                    .measurementIterations(4 * s.cycles()).measurementTime(time)
                    .param("a", s.a()).param("b", s.b()).param("swapped", s.balanced() ? new String[] {"false", "true"}
                            : new String[] {"false"})
                    .shouldFailOnError(true).verbosity(VerboseMode.SILENT);
            if (!s.jvmArgs().isEmpty()) {
                builder.jvmArgsAppend(s.jvmArgs().toArray(new String[0]));
            }
            s.params().forEach((name, values) -> builder.param(name, values.toArray(new String[0])));
            List<RunResult> results = new ArrayList<>(new Runner(builder.build()).run());
            results.sort(Comparator.comparing((RunResult r) -> r.getParams().getParam("swapped"))); // stable: as given first
            all.addAll(results);
            Map<Map<String, String>, Comparison> byCombo = new LinkedHashMap<>();
            for (RunResult r : results) {
                Map<String, String> combo = new LinkedHashMap<>();
                s.params().keySet().forEach(name -> combo.put(name, r.getParams().getParam(name)));
                Comparison c = byCombo.computeIfAbsent(combo, k -> new Comparison(combo, s.a(), s.b(), new ArrayList<>()));
                for (BenchmarkResult fork : r.getBenchmarkResults()) {
                    c.forks().add(Fork.of(fork.getIterationResults().stream()
                            .mapToDouble(i -> i.getPrimaryResult().getScore()).toArray(),
                            Boolean.parseBoolean(r.getParams().getParam("swapped"))));
                }
            }
            for (Comparison c : byCombo.values()) {
                out.printf(Locale.ROOT, "%s, %s vs %s, %d threads%s, %d forks of %d cycles of 4 x %d ms%n",
                        s.benchmark(), s.a(), s.b(), t, c.params().isEmpty() ? "" : ", " + c.params(), c.forks().size(),
                        s.cycles(), s.millis());
                c.print(out);
                comparisons.add(c);
            }
        }
        if (s.json() != null) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, s.json().toString()).writeOut(all);
        }
        return comparisons;
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
            double[] x = Arrays.copyOfRange(iterations, 4 * c, 4 * c + 4);
            if (Arrays.stream(x).anyMatch(v -> !(v > 0))) {
                throw new IllegalArgumentException("scores must be positive in cycle " + c);
            }
            ratios[c] = (x[0] + x[3]) / (x[1] + x[2]);
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
        return new double[] {means[(int) Math.floor(0.025 * (resamples - 1))],
            means[(int) Math.ceil(0.975 * (resamples - 1))]};
    }

    private static double geometricMean(double[] xs) {
        return Math.exp(Arrays.stream(xs).map(Math::log).average().orElseThrow());
    }

    /**
     * One fork's measured iterations, reduced: each competitor's mean score and the cycle ratios, always
     * A / B (a swapped fork, which ran B in A's place, has its ratios inverted).
     *
     * @param meanA   A's mean score
     * @param meanB   B's mean score
     * @param ratios  one ratio A / B per cycle
     * @param swapped whether B ran iterations 1 and 4 of each cycle
     */
    record Fork(double meanA, double meanB, double[] ratios, boolean swapped) {
        static Fork of(double[] scores, boolean swapped) {
            double[] ratios = cycleRatios(scores);
            double[] first = IntStream.range(0, scores.length).filter(AlternatingIterations::isA)
                    .mapToDouble(i -> scores[i]).toArray();
            double[] second = IntStream.range(0, scores.length).filter(i -> !isA(i)).mapToDouble(i -> scores[i]).toArray();
            double firstMean = Arrays.stream(first).average().orElseThrow();
            double secondMean = Arrays.stream(second).average().orElseThrow();
            return swapped ? new Fork(secondMean, firstMean, Arrays.stream(ratios).map(x -> 1.0 / x).toArray(), true)
                    : new Fork(firstMean, secondMean, ratios, false);
        }
    }

    /**
     * The forks of one thread count and parameter combination, and their statistics.
     *
     * @param params the combination of swept parameters
     * @param a      competitor A
     * @param b      competitor B
     * @param forks  the forks, those as given first
     */
    record Comparison(Map<String, String> params, String a, String b, List<Fork> forks) {

        /** The cycle ratios of every fork: {@code ratios[fork][cycle]}. */
        double[][] ratios() {
            return forks.stream().map(Fork::ratios).toArray(double[][]::new);
        }

        /** The geometric mean of every cycle ratio of every fork. */
        double ratio() {
            return geometricMean(Arrays.stream(ratios()).flatMapToDouble(Arrays::stream).toArray());
        }

        void print(PrintStream out) {
            for (int f = 0; f < forks.size(); f++) {
                Fork fork = forks.get(f);
                out.printf(Locale.ROOT, "  fork %d%s: %s %.3f, %s %.3f, ratio %.3fx%n", f + 1,
                        fork.swapped() ? " (" + b + " first)" : "", a, fork.meanA(), b, fork.meanB(),
                        geometricMean(fork.ratios()));
            }
            double[] all = Arrays.stream(ratios()).flatMapToDouble(Arrays::stream).toArray();
            double[] ci = bootstrapOverForksAndCycles(ratios(), RESAMPLES, new SplittableRandom(1));
            out.printf(Locale.ROOT, "  %s / %s: %.3fx (95%% bootstrap over forks and cycles %.3f-%.3f), below 1 in %d of %d cycles%n",
                    a, b, ratio(), ci[0], ci[1], Arrays.stream(all).filter(x -> x < 1.0).count(), all.length);
        }
    }
}
