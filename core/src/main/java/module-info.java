/**
 * The parking lot: one global hash table of wait queues keyed by object identity, on which compact
 * locks are built. See {@link org.parkinglot.core.ParkingLot}.
 */
module org.parkinglot.core {
    exports org.parkinglot.core;
}
