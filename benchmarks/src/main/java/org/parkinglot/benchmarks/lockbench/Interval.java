package org.parkinglot.benchmarks.lockbench;

/**
 * A mean with its spread across runs: the 95% confidence interval of the mean (Student's t, as JMH
 * reports its error at 99.9%), or a ratio of two such intervals.
 *
 * <p>Two intervals that do not overlap mark a difference larger than the run-to-run noise. For 95%
 * intervals of the mean that test is conservative (it errs towards "within noise"): two locks that
 * are in truth equally fast are called different in well under 1% of comparisons.
 *
 * @param mean the mean (for a ratio: the ratio of the means)
 * @param low  the lower end; equals {@code mean} with a single run
 * @param high the upper end; equals {@code mean} with a single run, may be infinite for a ratio
 * @param runs how many runs went in (for a ratio: the smaller of the two counts)
 */
public record Interval(double mean, double low, double high, int runs) {

    /** The confidence level of every interval. */
    public static final double CONFIDENCE = 0.95;

    /** Two-sided 95% quantiles of Student's t for 1 to 30 degrees of freedom. */
    private static final double[] T_95 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if the interval is inverted, does not hold its mean, or has no runs
     */
    public Interval {
        if (runs < 1 || !(low <= mean) || !(mean <= high)) {
            throw new IllegalArgumentException("bad interval: " + low + " <= " + mean + " <= " + high + ", " + runs + " runs");
        }
    }

    /**
     * The mean of some samples with its 95% confidence interval: {@code mean ± t * s / sqrt(n)}, s being
     * the sample standard deviation. A single sample gives a zero-width interval (no spread is known).
     *
     * @param samples one value per run; not empty
     * @return the interval
     * @throws IllegalArgumentException if there are no samples
     */
    public static Interval of(double[] samples) {
        int n = samples.length;
        if (n == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double sum = 0;
        for (double s : samples) {
            sum += s;
        }
        double mean = sum / n;
        if (n == 1) {
            return new Interval(mean, mean, mean, 1);
        }
        double squares = 0;
        for (double s : samples) {
            squares += (s - mean) * (s - mean);
        }
        double half = t95(n - 1) * Math.sqrt(squares / (n - 1) / n);
        return new Interval(mean, Math.min(mean, mean - half), Math.max(mean, mean + half), n);
    }

    /**
     * The two-sided 95% quantile of Student's t.
     *
     * @param degreesOfFreedom at least 1
     * @return t, tabled up to 30 degrees of freedom and approximated ({@code 1.96 + 2.4 / df}, within 0.2%)
     *         beyond
     */
    static double t95(int degreesOfFreedom) {
        if (degreesOfFreedom < 1) {
            throw new IllegalArgumentException("degrees of freedom must be positive: " + degreesOfFreedom);
        }
        return degreesOfFreedom <= T_95.length ? T_95[degreesOfFreedom - 1] : 1.96 + 2.4 / degreesOfFreedom;
    }

    /**
     * The ratio of this interval to another, with the widest range both allow: from
     * {@code this.low / other.high} to {@code this.high / other.low}. The range excludes 1 exactly when
     * the two intervals do not overlap.
     *
     * @param other the denominator, with a positive mean
     * @return the ratio; its upper end is infinite if {@code other.low} is not positive
     * @throws IllegalArgumentException if {@code other}'s mean is not positive
     */
    public Interval ratioTo(Interval other) {
        if (!(other.mean > 0)) {
            throw new IllegalArgumentException("ratio to a non-positive mean: " + other.mean);
        }
        double r = mean / other.mean;
        double lo = other.high > 0 ? Math.max(0, low) / other.high : 0;
        double hi = other.low > 0 ? high / other.low : Double.POSITIVE_INFINITY;
        return new Interval(r, Math.min(lo, r), Math.max(hi, r), Math.min(runs, other.runs));
    }

    /**
     * Tells whether the spread is known: at least two runs.
     *
     * @return true with two or more runs
     */
    public boolean hasSpread() {
        return runs >= 2;
    }

    /**
     * Returns the half-width of the interval relative to the mean, for the table's {@code ±} figure.
     *
     * @return {@code (high - low) / 2 / mean}, or 0 for a zero mean
     */
    public double relativeHalfWidth() {
        return mean == 0 ? 0 : (high - low) / 2 / Math.abs(mean);
    }

    /**
     * Compares this throughput with another: which is larger, if the intervals do not overlap.
     *
     * @param other the interval to compare with
     * @return the verdict from this interval's point of view
     */
    public Verdict compareTo(Interval other) {
        if (!hasSpread() || !other.hasSpread()) {
            return Verdict.NO_SPREAD;
        }
        if (low > other.high) {
            return Verdict.FASTER;
        }
        if (high < other.low) {
            return Verdict.SLOWER;
        }
        return Verdict.WITHIN_NOISE;
    }

    /** The outcome of comparing two throughputs by their intervals. */
    public enum Verdict {
        /** The intervals do not overlap and this one is higher. */
        FASTER("faster"),
        /** The intervals do not overlap and this one is lower. */
        SLOWER("slower"),
        /** The intervals overlap: the difference is not larger than the run-to-run spread. */
        WITHIN_NOISE("~"),
        /** One side has a single run, so no spread is known. */
        NO_SPREAD("?");

        private final String word;

        Verdict(String word) {
            this.word = word;
        }

        /**
         * Returns the word the summary prints.
         *
         * @return for example {@code faster} or {@code ~}
         */
        public String word() {
            return word;
        }

        /**
         * Returns the JSON spelling.
         *
         * @return for example {@code within noise}
         */
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }
}
