/**
 * Locks, condition variables and once cells built on the parking lot of {@code org.parkinglot.core}.
 */
module org.parkinglot.locks {
    requires transitive org.parkinglot.core;

    exports org.parkinglot.locks;
}
