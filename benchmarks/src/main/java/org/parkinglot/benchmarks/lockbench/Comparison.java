package org.parkinglot.benchmarks.lockbench;

import java.util.Objects;

/**
 * One line item of the summary: one of this project's locks against a JDK reference in one thread
 * configuration, and whether the difference is larger than the spread of the runs.
 *
 * @param lock    this project's lock
 * @param against the reference: the baseline, or for a fair lock the fair baseline when it ran
 * @param config  the thread configuration
 * @param ratio   the lock's throughput divided by the reference's, with the range both intervals allow
 * @param verdict faster or slower (the intervals do not overlap), within noise, or no spread known
 */
public record Comparison(String lock, String against, ThreadConfig config, Interval ratio, Interval.Verdict verdict) {

    /**
     * Checks the components the summary computes with.
     *
     * @throws NullPointerException if the ratio or the verdict is null
     */
    public Comparison {
        Objects.requireNonNull(ratio, "ratio");
        Objects.requireNonNull(verdict, "verdict");
    }

    /**
     * Compares two rows of the same configuration.
     *
     * @param row       this project's lock
     * @param reference the reference lock, with a positive throughput
     * @return the comparison
     */
    public static Comparison of(Row row, Row reference) {
        return new Comparison(row.lock(), reference.lock(), row.config(),
                row.throughput().ratioTo(reference.throughput()), row.throughput().compareTo(reference.throughput()));
    }
}
