/**
 * The parking lot: one global hash table of wait queues keyed by object identity, on which compact
 * locks are built. See {@link org.parkinglot.core.ParkingLot}.
 */
@SuppressWarnings("module") // the qualified export's target is not on the path while core compiles alone
module org.parkinglot.core {
    exports org.parkinglot.core;
    // Deadline and interrupt helpers (Timeouts) shared with the locks; not part of the public API.
    exports org.parkinglot.core.internal to org.parkinglot.locks;
}
