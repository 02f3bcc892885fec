package org.parkinglot.benchmarks.lockbench;

import java.util.Locale;

/**
 * What a run measures: a lock used as a mutex, a read/write lock with separate readers and writers, or
 * keyed locking (each acquisition locks a random key of a large key space).
 */
public enum Mode {
    /** Every thread takes the lock exclusively (parking_lot {@code benchmark/src/bin/mutex.rs}). */
    MUTEX,
    /** Writer threads take the lock exclusively, reader threads shared (parking_lot {@code bin/rwlock.rs}). */
    RWLOCK,
    /**
     * Every thread locks a random key of {@link org.parkinglot.benchmarks.lockbench.Competitors#KEY_SPACE}
     * keys exclusively, so threads rarely want the same key: keyed-locking structures (exact per-key
     * locks, striped locks, a map of locks) race on their own overheads and false contention.
     */
    KEYED;

    /**
     * Tells whether a run's threads all take the lock exclusively, so a configuration is a thread count
     * ({@code --threads}) rather than writers and readers.
     *
     * @return true for mutex and keyed mode
     */
    public boolean threadsOnly() {
        return this != RWLOCK;
    }

    /**
     * Returns the name used on the command line and in reports.
     *
     * @return {@code mutex}, {@code rwlock} or {@code keyed}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
