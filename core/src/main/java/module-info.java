/**
 * The parking lot: one global hash table of wait queues keyed by object identity, on which compact
 * locks are built. See {@link org.parkinglot.core.ParkingLot}.
 */
@SuppressWarnings("module") // the qualified export's target is not on the path while core compiles alone
module org.parkinglot.core {
    // Only ParkingLot.registerMXBean (class ParkingLotJmx) uses it. Static, so an application that never
    // registers the MXBean does not need the module (a jlink image without it works) and never loads its
    // classes; a plain requires would force it into every module graph that holds the parking lot.
    // registerMXBean checks that it is present and says how to add it if not.
    requires static java.management;

    exports org.parkinglot.core;
    // Deadline and interrupt helpers (Timeouts) shared with the locks; not part of the public API.
    exports org.parkinglot.core.internal to org.parkinglot.locks;
}
