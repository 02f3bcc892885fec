/*
 * Ported from parking_lot `core/src/parking_lot.rs` (RequeueOp).
 */
package org.parkinglot.core;

/** What {@link ParkingLot#unparkRequeue unparkRequeue} should do, as chosen by its validate callback. */
public enum RequeueOp {
    /** Do nothing: no thread is woken or moved, and the callback is not called. */
    ABORT,
    /** Wake the first thread of the source key and move all the others to the target key. */
    UNPARK_ONE_REQUEUE_REST,
    /** Move every thread of the source key to the target key without waking any. */
    REQUEUE_ALL,
    /** Wake the first thread of the source key; leave the rest where they are. */
    UNPARK_ONE,
    /** Move the first thread of the source key to the target key without waking it. */
    REQUEUE_ONE
}
