package org.parkinglot.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The command line of the JMH-driving tools ({@link PairedForks}, {@link AlternatingIterations}):
 * positional arguments and {@code --name value} options, read with defaults. Every malformed input is
 * an {@link IllegalArgumentException} whose message names the option.
 */
final class ToolArgs {

    /** The arguments that do not start with {@code --}, in order. */
    final List<String> positional;
    /** Each option's values, in order of appearance; single-valued options use the last. */
    private final Map<String, List<String>> options;

    private ToolArgs(List<String> positional, Map<String, List<String>> options) {
        this.positional = positional;
        this.options = options;
    }

    /**
     * Splits a command line.
     *
     * @param args  the command line
     * @param known the option names the tool accepts, with their {@code --}
     * @return the parsed arguments
     * @throws IllegalArgumentException on an unknown option or an option without a value
     */
    static ToolArgs parse(String[] args, Set<String> known) {
        List<String> positional = new ArrayList<>();
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                positional.add(a);
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            if (!known.contains(a)) {
                throw new IllegalArgumentException("unknown option " + a);
            }
            options.computeIfAbsent(a, k -> new ArrayList<>()).add(args[++i]);
        }
        return new ToolArgs(positional, options);
    }

    /** The option's last value converted, or {@code defaultValue} if absent. */
    private <T> T last(String name, T defaultValue, Function<String, T> convert) {
        List<String> values = options.get(name);
        if (values == null) {
            return defaultValue;
        }
        String v = values.get(values.size() - 1);
        try {
            return convert.apply(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number in " + name + " " + v, e);
        }
    }

    /** A string option. */
    String stringOption(String name, String defaultValue) {
        return last(name, defaultValue, Function.identity());
    }

    /** An {@code int} option. */
    int intOption(String name, int defaultValue) {
        return last(name, defaultValue, Integer::parseInt);
    }

    /** A {@code double} option. */
    double doubleOption(String name, double defaultValue) {
        return last(name, defaultValue, Double::parseDouble);
    }

    /** A comma-separated list of {@code int}s, such as {@code --threads 2,4,8}. */
    int[] intListOption(String name, int[] defaultValue) {
        return last(name, defaultValue, v -> Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray());
    }

    /** A path option, or {@code null} if absent. */
    Path pathOption(String name) {
        return last(name, null, Path::of);
    }

    /** Every value of a repeatable option, in order (empty if absent). */
    List<String> allValues(String name) {
        return List.copyOf(options.getOrDefault(name, List.of()));
    }

    /**
     * The {@code --param NAME=V1,V2...} options: name to the values to sweep, in order.
     *
     * @throws IllegalArgumentException if a value is not of that form
     */
    Map<String, List<String>> params() {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String v : allValues("--param")) {
            int eq = v.indexOf('=');
            if (eq <= 0 || eq == v.length() - 1) {
                throw new IllegalArgumentException("--param wants NAME=V1,V2..., got " + v);
            }
            params.put(v.substring(0, eq), List.of(v.substring(eq + 1).split(",")));
        }
        return params;
    }

    /**
     * The JMH include pattern of exactly one benchmark method: {@code Class.method} (simple or qualified
     * class name) must match at a word boundary and at the end, so {@code MutexBenchmark.contended}
     * does not also select {@code FooMutexBenchmark.contended} or {@code contendedFair}.
     */
    static String includeRegex(String benchmark) {
        String[] parts = benchmark.split("\\.");
        return parts.length >= 2
                ? "\\b" + Pattern.quote(parts[parts.length - 2]) + "\\." + Pattern.quote(parts[parts.length - 1]) + "$"
                : Pattern.quote(benchmark) + "$";
    }

    /**
     * The 95% percentile interval of bootstrap resample statistics.
     *
     * @param sorted the resampled statistics, sorted ascending
     * @return {2.5th percentile, 97.5th percentile}
     */
    static double[] percentileInterval95(double[] sorted) {
        int n = sorted.length;
        return new double[] {sorted[(int) Math.floor(0.025 * (n - 1))], sorted[(int) Math.ceil(0.975 * (n - 1))]};
    }
}
