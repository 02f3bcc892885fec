package org.parkinglot.benchmarks.lockbench;

import java.util.Locale;

/** What a run measures: a lock used as a mutex, or a read/write lock with separate readers and writers. */
public enum Mode {
    /** Every thread takes the lock exclusively (parking_lot {@code benchmark/src/bin/mutex.rs}). */
    MUTEX,
    /** Writer threads take the lock exclusively, reader threads shared (parking_lot {@code bin/rwlock.rs}). */
    RWLOCK;

    /**
     * Returns the name used on the command line and in reports.
     *
     * @return {@code mutex} or {@code rwlock}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
