package org.parkinglot.benchmarks.lockbench;

import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The number formats of the table. The JSON file holds the unrounded values; formatting a JSON value
 * with the same method gives the table's text.
 */
public final class Fmt {

    /** What the table shows for a value that could not be measured. */
    public static final String NOT_AVAILABLE = "n/a";
    /** What the table shows for a value that does not apply (readers' spread in a run without readers). */
    public static final String NONE = "-";

    private Fmt() {
    }

    /**
     * Formats a throughput in millions of operations per second, three decimals.
     *
     * @param opsPerSecond operations per second
     * @return for example {@code 23.457}
     */
    public static String mops(double opsPerSecond) {
        return String.format(Locale.ROOT, "%.3f", opsPerSecond / 1e6);
    }

    /**
     * Formats a rate in kHz, one decimal.
     *
     * @param kHz thousands per second
     * @return for example {@code 1234.5}
     */
    public static String kHz(double kHz) {
        return String.format(Locale.ROOT, "%.1f", kHz);
    }

    /**
     * Formats a ratio to the baseline, two decimals.
     *
     * @param ratio the ratio, if known
     * @return for example {@code 1.25}, or {@link #NOT_AVAILABLE}
     */
    public static String ratio(OptionalDouble ratio) {
        return ratio.isPresent() ? String.format(Locale.ROOT, "%.2f", ratio.getAsDouble()) : NOT_AVAILABLE;
    }

    /**
     * Formats a duration in the largest unit that keeps it at least 1: ns, us, ms or s, three
     * significant digits or more.
     *
     * @param nanos the duration
     * @return for example {@code 850 ns}, {@code 12.3 us}, {@code 1.50 ms}, {@code 2.00 s}
     */
    public static String nanos(long nanos) {
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000) {
            return scaled(nanos / 1e3, "us");
        }
        if (nanos < 1_000_000_000) {
            return scaled(nanos / 1e6, "ms");
        }
        return scaled(nanos / 1e9, "s");
    }

    private static String scaled(double v, String unit) {
        String f = v >= 100 ? "%.0f %s" : v >= 10 ? "%.1f %s" : "%.2f %s";
        return String.format(Locale.ROOT, f, v, unit);
    }

    /**
     * Formats a footprint in bytes.
     *
     * @param bytes the footprint, if measured
     * @return for example {@code 16}, or {@link #NOT_AVAILABLE}
     */
    public static String bytes(OptionalLong bytes) {
        return bytes.isPresent() ? Long.toString(bytes.getAsLong()) : NOT_AVAILABLE;
    }

    /**
     * Formats seconds compactly: no trailing zeros beyond one decimal.
     *
     * @param seconds the seconds
     * @return for example {@code 1.0}, {@code 0.25}
     */
    public static String seconds(double seconds) {
        String s = String.format(Locale.ROOT, "%.3f", seconds);
        while (s.endsWith("0") && !s.endsWith(".0")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /**
     * Formats a time left as minutes and seconds.
     *
     * @param seconds seconds left (rounded up)
     * @return for example {@code 1m05s} or {@code 42s}
     */
    public static String clock(double seconds) {
        long s = (long) Math.ceil(Math.max(0, seconds));
        return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
