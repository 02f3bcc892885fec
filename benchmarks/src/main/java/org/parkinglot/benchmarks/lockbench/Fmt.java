package org.parkinglot.benchmarks.lockbench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.Charset;
import java.util.Locale;
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
    /**
     * The sign before a spread: {@code ±}, or {@code +-} when stdout's encoding (the terminal's) cannot
     * print it.
     */
    public static final String PLUS_MINUS = canPrint('\u00b1') ? "\u00b1" : "+-";

    private Fmt() {
    }

    private static boolean canPrint(char c) {
        try {
            return Charset.forName(System.getProperty("stdout.encoding", Charset.defaultCharset().name()))
                    .newEncoder().canEncode(c);
        } catch (RuntimeException e) {
            return false;
        }
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
     * @param ratio the ratio, or null if unknown
     * @return for example {@code 1.25}, or {@link #NOT_AVAILABLE}
     */
    public static String ratio(Interval ratio) {
        return ratio == null ? NOT_AVAILABLE : String.format(Locale.ROOT, "%.2f", ratio.mean());
    }

    /**
     * Formats the spread of an interval as its half-width relative to the mean: one decimal below 10%,
     * none above.
     *
     * @param interval the interval
     * @return for example {@code ±4.1%} or {@code ±23%}; empty for a single run (no spread known)
     */
    public static String spread(Interval interval) {
        if (!interval.hasSpread()) {
            return "";
        }
        double percent = interval.relativeHalfWidth() * 100;
        return PLUS_MINUS + String.format(Locale.ROOT, percent < 9.95 ? "%.1f%%" : "%.0f%%", percent);
    }

    /**
     * Formats a positive number for log-axis labels: whole numbers as they are, others with two
     * significant digits (three below 1) and no trailing zeros.
     *
     * @param value the number
     * @return for example {@code 0.125}, {@code 1}, {@code 1.4} or {@code 512}
     */
    public static String significant(double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        if (value >= 1 && value == Math.rint(value) && value < 1e15) {
            return Long.toString((long) value);
        }
        return new BigDecimal(value).round(new MathContext(value < 1 ? 3 : 2)).stripTrailingZeros().toPlainString();
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
