package org.parkinglot.benchmarks.lockbench;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * One lock {@code lockbench} can race: its command-line name, how to make a fresh instance wrapped as a
 * {@link LockSubject}, and what to hand JOL to measure its size.
 *
 * @param name            the name used by {@code --locks}, in tables, JSON and the chart
 * @param mode            the mode it takes part in
 * @param description     one line for {@code --help}
 * @param factory         makes a fresh, unlocked lock wrapped as a subject
 * @param footprintSample makes a fresh instance of just the lock (or a structure holding several
 *                        locks) for the footprint probe
 * @param locksPerSample  how many locks one footprint sample holds (its size is divided by this)
 */
public record Competitor(String name, Mode mode, String description, Supplier<LockSubject> factory,
                         Supplier<Object> footprintSample, int locksPerSample) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException     if a component is null
     * @throws IllegalArgumentException if {@code locksPerSample} is not positive
     */
    public Competitor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(footprintSample, "footprintSample");
        if (locksPerSample < 1) {
            throw new IllegalArgumentException("locksPerSample must be positive: " + locksPerSample);
        }
    }

    /**
     * Makes a fresh, unlocked instance to race.
     *
     * @return a new subject
     */
    public LockSubject newSubject() {
        return factory.get();
    }

    @Override
    public String toString() {
        return name;
    }
}
