/**
 * Locks, condition variables and once cells built on the parking lot of {@code org.parkinglot.core}.
 */
module org.parkinglot.locks {
    requires transitive org.parkinglot.core;
    // Optional: the JFR events (JfrLockEvents); without jdk.jfr at run time they are off for good.
    requires static jdk.jfr;

    exports org.parkinglot.locks;
}
