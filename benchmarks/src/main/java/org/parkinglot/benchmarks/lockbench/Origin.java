package org.parkinglot.benchmarks.lockbench;

import java.util.Locale;

/**
 * Where a competitor comes from, which decides how the chart draws it and whether the summary
 * compares it with the baseline.
 */
public enum Origin {
    /** A lock of this project (its class is in {@code org.parkinglot.locks}): solid line, in the summary. */
    PROJECT,
    /** A peer to compare with (the JDK, Guava): dashed line. */
    PEER,
    /** A straw man built for contrast ({@link Competitors#isStrawMan}): dotted line, not run by default. */
    STRAW_MAN;

    /** The package of this project's locks. */
    private static final String PROJECT_PACKAGE = "org.parkinglot.locks";

    /**
     * Classifies a competitor by the class of the lock it measures.
     *
     * @param competitor the competitor
     * @return its origin; {@link #PEER} if its footprint sample cannot be made
     */
    public static Origin of(Competitor competitor) {
        if (Competitors.isStrawMan(competitor.name())) {
            return STRAW_MAN;
        }
        try {
            return competitor.footprintSample().get().getClass().getPackageName().equals(PROJECT_PACKAGE)
                    ? PROJECT : PEER;
        } catch (RuntimeException e) {
            return PEER;
        }
    }

    /**
     * Tells whether a lock is a fair one, by the naming convention of the registry: {@code -fair} or
     * {@code Fair} in the name ({@code RawFairMutex}, {@code ReentrantLock-fair}). The chart draws fair
     * locks in their own panel, and the summary compares them with the fair baseline.
     *
     * @param name a competitor's name
     * @return true for a fair lock
     */
    public static boolean isFair(String name) {
        return name.toLowerCase(Locale.ROOT).contains("fair");
    }
}
