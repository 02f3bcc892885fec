package org.parkinglot.benchmarks.lockbench;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The parsed command line of {@code lockbench}. Parse with {@link #parse(String...)}; a bad argument is a
 * {@link UsageException} whose message names the option and the value.
 *
 * @param mode          mutex, rwlock or keyed
 * @param locks         the competitors, in report order
 * @param configs       the thread configurations, in run order (ascending)
 * @param workInside    units of work per critical section
 * @param workBetween   units of work between critical sections (per thread of the run if
 *                      {@code betweenPerThread})
 * @param betweenPerThread whether {@code workBetween} is multiplied by the run's thread count, as
 *                      Abseil's {@code BM_Contended} does ({@code --work-between 40xT})
 * @param seconds       length of one timed run
 * @param iterations    timed runs per lock and configuration
 * @param warmupSeconds untimed run per lock before its timed runs (0: none)
 * @param out           the directory for results.json and the chart
 * @param fork          whether each lock runs in its own JVM (the default) or in this one
 * @param progress      whether to draw the live progress line
 * @param fairness      whether to print the fairness table too (mutex and keyed mode)
 */
public record Options(Mode mode, List<Competitor> locks, List<ThreadConfig> configs, int workInside,
                      int workBetween, boolean betweenPerThread, double seconds, int iterations, double warmupSeconds, Path out,
                      boolean fork, boolean progress, boolean fairness) {

    /** The most threads one run may start. */
    public static final int MAX_THREADS = 1024;
    /** The most units of work per critical section or between two. */
    public static final int MAX_WORK = 1_000_000;

    static final String DEFAULT_THREADS = "1,2,4,8";
    static final String DEFAULT_WRITERS = "1";
    static final String DEFAULT_READERS = "1,3,7";
    /**
     * The default workload, after Abseil's {@code BM_Contended}: about 50 ns of work inside the lock
     * and about 100 ns per thread of the run outside it, so the lock's share of the work stays the same
     * at every thread count (see LOCKBENCH.md, "The default workload").
     */
    static final int DEFAULT_WORK_INSIDE = 20;
    /** See {@link #DEFAULT_WORK_INSIDE}. */
    static final String DEFAULT_WORK_BETWEEN = "40xT";
    static final double DEFAULT_SECONDS = 1.0;
    static final int DEFAULT_ITERATIONS = 3;
    /** The suffix of {@code --work-between} that multiplies it by the thread count. */
    static final String PER_THREAD_SUFFIX = "xT";
    static final double DEFAULT_WARMUP = 0.3;
    static final String DEFAULT_OUT = "lockbench-out";

    /** Options taking a value. */
    private static final Set<String> VALUED = Set.of("--locks", "--threads", "--writers", "--readers",
            "--work-inside", "--work-between", "--seconds", "--iterations", "--warmup", "--mode", "--out");
    /** Options without a value. */
    private static final Set<String> FLAGS = Set.of("--in-process", "--no-progress", "--fairness", "--keyed");

    /**
     * Checks and freezes the components.
     *
     * @throws NullPointerException if a component is null
     */
    public Options {
        Objects.requireNonNull(mode, "mode");
        locks = List.copyOf(locks);
        configs = List.copyOf(configs);
        Objects.requireNonNull(out, "out");
    }

    /**
     * Tells whether the arguments ask for help ({@code -h} or {@code --help} anywhere).
     *
     * @param args the command line
     * @return true if help is asked for
     */
    public static boolean wantsHelp(String... args) {
        for (String a : args) {
            if (a.equals("-h") || a.equals("--help")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses a command line. Options are {@code --name value} or {@code --name=value}; each at most once.
     *
     * @param args the arguments (without the program name)
     * @return the options, defaults filled in
     * @throws UsageException if an argument is unknown, repeated, missing its value or out of range
     */
    public static Options parse(String... args) throws UsageException {
        Map<String, String> given = new LinkedHashMap<>();
        Set<String> flags = new LinkedHashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (FLAGS.contains(name)) {
                if (value != null) {
                    throw new UsageException("option " + name + " takes no value");
                }
                if (!flags.add(name)) {
                    throw new UsageException("option " + name + " given twice");
                }
                continue;
            }
            if (!VALUED.contains(name)) {
                throw new UsageException(arg.startsWith("-")
                        ? "unknown option '" + arg + "'"
                        : "unexpected argument '" + arg + "' (options are --name value)");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("option " + name + " needs a value");
                }
                value = args[++i];
            }
            if (given.put(name, value) != null) {
                throw new UsageException("option " + name + " given twice");
            }
        }

        if (flags.contains("--keyed") && given.containsKey("--mode")
                && !given.get("--mode").equalsIgnoreCase(Mode.KEYED.label())) {
            throw new UsageException("--keyed is --mode keyed; it contradicts --mode " + given.get("--mode"));
        }
        Mode mode = parseMode(given.getOrDefault("--mode", flags.contains("--keyed") ? "keyed" : "mutex"));
        List<Competitor> locks = given.containsKey("--locks") ? parseLocks(mode, given.get("--locks"))
                : defaultLocks(mode);
        List<ThreadConfig> configs;
        if (mode.threadsOnly()) {
            for (String rw : List.of("--writers", "--readers")) {
                if (given.containsKey(rw)) {
                    throw new UsageException(rw + " applies to --mode rwlock; use --threads in " + mode.label()
                            + " mode");
                }
            }
            configs = parseCounts("--threads", given.getOrDefault("--threads", DEFAULT_THREADS), 1)
                    .stream().map(ThreadConfig::mutex).toList();
        } else {
            if (flags.contains("--fairness")) {
                throw new UsageException("--fairness applies to --mode mutex or keyed");
            }
            if (given.containsKey("--threads")) {
                throw new UsageException("--threads applies to --mode mutex or keyed; use --writers and --readers in rwlock mode");
            }
            List<Integer> writers = parseCounts("--writers", given.getOrDefault("--writers", DEFAULT_WRITERS), 0);
            List<Integer> readers = parseCounts("--readers", given.getOrDefault("--readers", DEFAULT_READERS), 0);
            List<ThreadConfig> list = new ArrayList<>();
            for (int w : writers) {
                for (int r : readers) {
                    if (w + r == 0) {
                        continue; // as parking_lot's rwlock.rs: nothing to run
                    }
                    if (w + r > MAX_THREADS) {
                        throw new UsageException("--writers plus --readers must be at most " + MAX_THREADS
                                + " threads, got " + w + " + " + r);
                    }
                    list.add(new ThreadConfig(w, r));
                }
            }
            if (list.isEmpty()) {
                throw new UsageException("--writers and --readers give no run with at least one thread");
            }
            configs = list;
        }
        int inside = parseInt("--work-inside", given.getOrDefault("--work-inside", "" + DEFAULT_WORK_INSIDE), 0, MAX_WORK);
        String betweenText = given.getOrDefault("--work-between", DEFAULT_WORK_BETWEEN).strip();
        boolean perThread = betweenText.toLowerCase(Locale.ROOT).endsWith(PER_THREAD_SUFFIX.toLowerCase(Locale.ROOT));
        if (perThread) {
            betweenText = betweenText.substring(0, betweenText.length() - PER_THREAD_SUFFIX.length());
        }
        int between = parseInt("--work-between", betweenText, 0, MAX_WORK);
        if (perThread && (long) between * MAX_THREADS > MAX_WORK) {
            throw new UsageException("--work-between: " + between + PER_THREAD_SUFFIX + " is out of range (at most "
                    + MAX_WORK / MAX_THREADS + PER_THREAD_SUFFIX + ")");
        }
        double seconds = parseSeconds("--seconds", given.getOrDefault("--seconds", "" + DEFAULT_SECONDS), false);
        int iterations = parseInt("--iterations", given.getOrDefault("--iterations", "" + DEFAULT_ITERATIONS), 1, 1000);
        double warmup = parseSeconds("--warmup", given.getOrDefault("--warmup", "" + DEFAULT_WARMUP), true);
        String outText = given.getOrDefault("--out", DEFAULT_OUT);
        if (outText.isBlank()) {
            throw new UsageException("--out needs a directory name");
        }
        Path out;
        try {
            out = Path.of(outText);
        } catch (InvalidPathException e) {
            throw new UsageException("--out: not a valid path '" + outText + "'");
        }
        return new Options(mode, locks, configs, inside, between, perThread, seconds, iterations, warmup, out,
                !flags.contains("--in-process"), !flags.contains("--no-progress"), flags.contains("--fairness"));
    }

    /**
     * Parses a list of counts: values and ranges separated by commas, a range being {@code start:end}
     * or {@code start:end:step} (inclusive, as parking_lot's harness). The result is sorted, without
     * duplicates.
     *
     * @param option the option's name, for messages
     * @param spec   the text, for example {@code 1,2,4,8}, {@code 1:8} or {@code 2:16:2}
     * @param min    the smallest count allowed
     * @return the counts, ascending
     * @throws UsageException if the text is empty, not numeric, an inverted range, or out of bounds
     */
    public static List<Integer> parseCounts(String option, String spec, int min) throws UsageException {
        if (spec.isBlank()) {
            throw new UsageException(option + " needs a value such as 4, 1,2,4 or 1:8");
        }
        TreeSet<Integer> counts = new TreeSet<>();
        for (String part : spec.split(",", -1)) {
            String p = part.strip();
            if (p.isEmpty()) {
                throw new UsageException(option + ": empty item in '" + spec + "'");
            }
            String[] bits = p.split(":", -1);
            if (bits.length > 3) {
                throw new UsageException(option + ": '" + p + "' is neither a number nor start:end[:step]");
            }
            int start = parseInt(option, bits[0], min, MAX_THREADS);
            int end = bits.length >= 2 ? parseInt(option, bits[1], min, MAX_THREADS) : start;
            int step = bits.length == 3 ? parseInt(option, bits[2], 1, MAX_THREADS) : 1;
            if (start > end) {
                throw new UsageException(option + ": range '" + p + "' is inverted (start must not exceed end)");
            }
            for (long v = start; v <= end; v += step) {
                counts.add((int) v);
            }
        }
        return List.copyOf(counts);
    }

    private static Mode parseMode(String text) throws UsageException {
        for (Mode m : Mode.values()) {
            if (m.label().equals(text.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new UsageException("--mode must be mutex, rwlock or keyed, not '" + text + "'");
    }

    /**
     * Returns the locks run when {@code --locks} is not given: every lock of the mode except the straw men.
     *
     * @param mode the mode
     * @return the locks, in report order
     */
    static List<Competitor> defaultLocks(Mode mode) {
        return Competitors.defaults(mode);
    }

    /**
     * Returns the units of work between two critical sections in a configuration.
     *
     * @param config the thread configuration
     * @return {@code workBetween}, times the thread count if {@code betweenPerThread}
     */
    public int workBetweenFor(ThreadConfig config) {
        return betweenPerThread ? workBetween * config.threads() : workBetween;
    }

    /**
     * Returns {@code --work-between} as given: for example {@code 0} or {@code 40xT}.
     *
     * @return the text
     */
    public String workBetweenText() {
        return workBetween + (betweenPerThread ? PER_THREAD_SUFFIX : "");
    }

    private static List<Competitor> parseLocks(Mode mode, String spec) throws UsageException {
        LinkedHashSet<Competitor> chosen = new LinkedHashSet<>();
        for (String part : spec.split(",", -1)) {
            String name = part.strip();
            if (name.isEmpty()) {
                throw new UsageException("--locks: empty name in '" + spec + "'");
            }
            if (name.equalsIgnoreCase("all")) {
                chosen.addAll(Competitors.defaults(mode)); // the straw men run only when named
                continue;
            }
            Competitor c = Competitors.find(mode, name).orElse(null);
            if (c == null) {
                throw new UsageException("--locks: unknown lock '" + name + "' for --mode " + mode.label()
                        + "; valid: " + validNames(mode) + ", or all");
            }
            chosen.add(c);
        }
        return List.copyOf(chosen);
    }

    /**
     * Returns the names {@code --locks} accepts in a mode, comma-separated.
     *
     * @param mode the mode
     * @return the names, in report order
     */
    public static String validNames(Mode mode) {
        return Competitors.all(mode).stream().map(Competitor::name).collect(Collectors.joining(", "));
    }

    private static int parseInt(String option, String text, int min, int max) throws UsageException {
        String t = text.strip();
        int v;
        try {
            v = Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": '" + text + "' is not a whole number");
        }
        if (v < min || v > max) {
            throw new UsageException(option + ": " + v + " is out of range (" + min + " to " + max + ")");
        }
        return v;
    }

    private static double parseSeconds(String option, String text, boolean zeroAllowed) throws UsageException {
        double v;
        try {
            v = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": '" + text + "' is not a number of seconds");
        }
        if (Double.isNaN(v) || Double.isInfinite(v) || v < 0 || (v == 0 && !zeroAllowed)) {
            throw new UsageException(option + ": " + text + " seconds is not allowed (must be "
                    + (zeroAllowed ? "zero or more" : "more than zero") + ")");
        }
        if (v > 3600) {
            throw new UsageException(option + ": " + text + " seconds is more than an hour");
        }
        return v;
    }

    /**
     * Returns the arguments a forked JVM needs to run one lock with these settings: the same options,
     * spelled canonically, with {@code --locks} narrowed to {@code lock}.
     *
     * @param lock       the lock the fork runs
     * @param iterations the timed runs per configuration the fork makes
     * @return the arguments, which {@link #parse(String...)} turns back into the same configurations
     */
    public List<String> forkArgs(Competitor lock, int iterations) {
        List<String> a = new ArrayList<>(List.of("--mode", mode.label(), "--locks", lock.name()));
        if (mode.threadsOnly()) {
            a.addAll(List.of("--threads", configs.stream().map(c -> Integer.toString(c.writers()))
                    .collect(Collectors.joining(","))));
        } else {
            a.addAll(List.of("--writers", configs.stream().map(c -> Integer.toString(c.writers())).distinct()
                    .collect(Collectors.joining(","))));
            a.addAll(List.of("--readers", configs.stream().map(c -> Integer.toString(c.readers())).distinct()
                    .collect(Collectors.joining(","))));
        }
        a.addAll(List.of("--work-inside", Integer.toString(workInside), "--work-between", workBetweenText(),
                "--seconds", Double.toString(seconds), "--iterations", Integer.toString(iterations),
                "--warmup", Double.toString(warmupSeconds), "--out", out.toString(), "--no-progress"));
        return a;
    }

    /**
     * Returns the usage text printed by {@code --help} and after a bad argument.
     *
     * @return the text, ending with a newline
     */
    public static String usage() {
        StringBuilder b = new StringBuilder();
        b.append("""
                Usage: ./lockbench [options]

                Races this project's locks against the JDK's and Guava's, parking_lot style: N threads
                take one lock in a loop for a fixed time, doing a little arithmetic inside and between
                critical sections. Prints a table, writes results.json and throughput.png.

                Options (each --name value or --name=value):
                  --locks LIST          comma-separated lock names; all means every lock but the
                                        straw men (default: all; e.g. all,SpinLock adds one)
                  --mode mutex|rwlock|keyed
                                        mutex: every thread locks exclusively (default);
                                        rwlock: separate writer and reader threads;
                                        keyed: every critical section locks a random key
                                        of %d (per-key locking structures)
                  --keyed               the same as --mode keyed
                  --threads COUNTS      mutex and keyed mode: thread counts (default: %s)
                  --writers COUNTS      rwlock mode: writer thread counts (default: %s)
                  --readers COUNTS      rwlock mode: reader thread counts (default: %s);
                                        every writers x readers pair runs
                  --work-inside N       units of work per critical section (default: %d)
                  --work-between N|NxT  units of work between critical sections; NxT: N times
                                        the run's thread count (default: %s)
                  --seconds S           length of one timed run, may be fractional (default: %s)
                  --iterations N        timed runs per lock and thread count, each lock in a
                                        fresh JVM per run (default: %d)
                  --warmup S            untimed run per lock before its timed runs (default: %s)
                  --out DIR             where results.json and throughput.png go (default: %s/)
                  --in-process          run every lock in this JVM instead of one fresh JVM per lock
                  --no-progress         no live progress line on stderr
                  --fairness            mutex and keyed mode: also print per-thread counts, min/max and the
                                        counts of waits of 1 ms and 2 ms or more
                  -h, --help            this text

                COUNTS is a list of values and ranges: 4, 1,2,4,8, 1:8 (1 to 8), 2:16:2 (step 2).
                A unit of work is parking_lot's: shared += value; shared *= 1.01; value = shared
                (a few ns). The old default, maximum contention: --work-inside 1 --work-between 0.
                Environment: LOCKBENCH_JAVA_OPTS adds JVM options (passed on to the forked JVMs).
                """.formatted(Competitors.KEY_SPACE, DEFAULT_THREADS, DEFAULT_WRITERS, DEFAULT_READERS, DEFAULT_WORK_INSIDE,
                DEFAULT_WORK_BETWEEN, DEFAULT_SECONDS, DEFAULT_ITERATIONS, DEFAULT_WARMUP, DEFAULT_OUT));
        for (Mode m : Mode.values()) {
            b.append('\n').append("Locks, --mode ").append(m.label()).append(":\n");
            for (Competitor c : Competitors.all(m)) {
                b.append(String.format(Locale.ROOT, "  %-28s %s%n", c.name(), c.description()));
            }
        }
        return b.toString();
    }
}
