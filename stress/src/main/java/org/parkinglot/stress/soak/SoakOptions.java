package org.parkinglot.stress.soak;

import java.util.Locale;

/**
 * The command line of {@link Soak}.
 *
 * @param durationNanos how long the workers run
 * @param platform      platform worker threads
 * @param virtual       virtual worker threads
 * @param seed          seeds every worker's random choice of operations (thread timing is not seeded)
 * @param hangNanos     a worker without progress for this long counts as hung
 * @param progressNanos interval of the progress line
 * @param sabotage      a bug the tool plants in its own use of the primitives, to show it catches that kind
 * @param help          print the usage and exit
 */
record SoakOptions(long durationNanos, int platform, int virtual, long seed, long hangNanos, long progressNanos,
                   Sabotage sabotage, boolean help) {

    /** Bugs the tool can plant in its own code (never in the library) to prove that its checks can fail. */
    enum Sabotage {
        /** None: the normal run. */
        NONE,
        /** Now and then a worker enters RawMutex#1's critical section without taking the lock. */
        EXCLUSION,
        /** The second gate's openers change the generation without notifying the waiters. */
        WAKEUP,
        /** The first worker stops making progress (it parks until the end of the run). */
        HANG
    }

    private static final java.util.Set<String> OPTIONS =
            java.util.Set.of("--duration", "--threads", "--virtual", "--seed", "--hang", "--progress", "--sabotage");

    static final String USAGE = """
            Usage: ./soak [options]
            Runs every primitive of parkinglot-java together under random operations (mutexes fair and
            unfair, reentrant, rwlock in every mode with upgrades and downgrades, condvars, the raw parking
            lot), on platform and virtual threads, with timeouts of 0, 1 ns, short and Long.MAX_VALUE, random
            interrupts and throwing callbacks. Exit status 0 only if no invariant was violated, no timed wait
            returned early, no wake-up was lost and no thread hung.
              --duration D   how long to run: 500ms, 30s, 10m, 1h (default 30s)
              --threads N    platform worker threads (default 4)
              --virtual N    virtual worker threads (default 8)
              --seed S       seed of the operation mix (default: random, printed)
              --hang D       a worker without progress for D is hung; a thread dump is printed (default 10s)
              --progress D   interval of the progress line on stderr (default: duration / 20, at least 5s)
              --sabotage K   plant a bug in the tool's own use of the locks to see the checks fail:
                             exclusion, wakeup or hang (default none)
              --help         this text
            """;

    /**
     * Parses the arguments.
     *
     * @param args the command line
     * @return the options
     * @throws IllegalArgumentException with a message for the user if an argument is wrong
     */
    static SoakOptions parse(String... args) {
        long duration = parseDuration("30s");
        int platform = 4;
        int virtual = 8;
        long seed = System.nanoTime() ^ 0x5DEECE66DL;
        long hang = parseDuration("10s");
        long progress = -1;
        boolean help = false;
        Sabotage sabotage = Sabotage.NONE;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (!OPTIONS.contains(arg)) {
                throw new IllegalArgumentException("unknown option " + arg + " (try --help)");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                value = args[++i];
            }
            switch (arg) {
                case "--duration" -> duration = parseDuration(value);
                case "--threads" -> platform = parseCount(arg, value);
                case "--virtual" -> virtual = parseCount(arg, value);
                case "--seed" -> seed = parseLong(arg, value);
                case "--hang" -> hang = parseDuration(value);
                case "--progress" -> progress = parseDuration(value);
                case "--sabotage" -> sabotage = parseSabotage(value);
                default -> throw new AssertionError(arg);
            }
        }
        if (platform + virtual < 2) {
            throw new IllegalArgumentException("needs at least 2 worker threads in all");
        }
        if (progress < 0) {
            progress = Math.max(parseDuration("5s"), duration / 20);
        }
        if (hang <= 0 || progress <= 0) {
            throw new IllegalArgumentException("--hang and --progress must be positive");
        }
        if (hang <= Checks.FALLBACK_NANOS) {
            // A condvar or futex waiter may wait this long on purpose when no wake-up comes: a hang limit
            // at or below it would count such a worker as hung.
            throw new IllegalArgumentException("--hang must be longer than " + formatDuration(Checks.FALLBACK_NANOS)
                    + ", the longest a worker waits on purpose");
        }
        return new SoakOptions(duration, platform, virtual, seed, hang, progress, sabotage, help);
    }

    private static Sabotage parseSabotage(String value) {
        for (Sabotage s : Sabotage.values()) {
            if (s.name().equalsIgnoreCase(value.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("--sabotage takes none, exclusion, wakeup or hang, not '" + value + "'");
    }

    /**
     * Parses a duration: a number followed by {@code ms}, {@code s}, {@code m} or {@code h} (a bare number
     * is seconds); fractions are allowed ({@code 1.5s}).
     *
     * @param text the duration
     * @return nanoseconds
     * @throws IllegalArgumentException if it is not a non-negative duration
     */
    static long parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit;
        String number;
        if (t.endsWith("ms")) {
            unit = 1_000_000L;
            number = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            unit = 1_000_000_000L;
            number = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            unit = 60_000_000_000L;
            number = t.substring(0, t.length() - 1);
        } else if (t.endsWith("h")) {
            unit = 3_600_000_000_000L;
            number = t.substring(0, t.length() - 1);
        } else {
            unit = 1_000_000_000L;
            number = t;
        }
        double value;
        try {
            value = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (e.g. 500ms, 30s, 10m, 1h)");
        }
        if (!(value >= 0) || value * unit > Long.MAX_VALUE / 4) {
            throw new IllegalArgumentException("not a usable duration: '" + text + "'");
        }
        return Math.round(value * unit);
    }

    private static int parseCount(String option, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0 && n <= 10_000) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(option + " takes a count from 0 to 10000, not '" + value + "'");
    }

    private static long parseLong(String option, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes an integer, not '" + value + "'");
        }
    }

    /**
     * Formats nanoseconds as {@code 1m05s} or {@code 12.3s}, for the progress line and the summary.
     *
     * @param nanos a duration
     * @return its short form
     */
    static String formatDuration(long nanos) {
        long seconds = nanos / 1_000_000_000L;
        if (seconds >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
    }
}
