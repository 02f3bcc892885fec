/*
 * Ported from parking_lot `core/src/parking_lot.rs` (UnparkResult).
 */
package org.parkinglot.core;

/**
 * What an unpark operation did, handed to its callback (under the bucket lock) and returned to its
 * caller.
 *
 * @param unparkedThreads how many threads were (or, inside a callback, are about to be) woken
 * @param requeuedThreads how many threads were moved to another key without waking
 *                        ({@link ParkingLot#unparkRequeue unparkRequeue} only)
 * @param haveMoreThreads whether threads of the key remain queued after this operation
 * @param beFair          whether the bucket's fair timeout has expired: a lock should then hand itself
 *                        directly to the woken thread instead of releasing (eventual fairness; true on
 *                        average about once every 0.5 ms per bucket, and only when a thread is woken)
 */
public record UnparkResult(int unparkedThreads, int requeuedThreads, boolean haveMoreThreads, boolean beFair) {

    /** The result of an operation that found no thread to wake or move. */
    public static final UnparkResult EMPTY = new UnparkResult(0, 0, false, false);
}
