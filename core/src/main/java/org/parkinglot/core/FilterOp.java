/*
 * Ported from parking_lot `core/src/parking_lot.rs` (FilterOp).
 */
package org.parkinglot.core;

/** The decision of an {@link ParkingLot#unparkFilter unparkFilter} filter for one queued thread. */
public enum FilterOp {
    /** Wake this thread and continue with the next one. */
    UNPARK,
    /** Leave this thread queued and continue with the next one. */
    SKIP,
    /** Leave this thread and every later one queued. */
    STOP
}
