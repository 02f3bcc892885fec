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

    /** The four results of waking one thread, indexed by {@code haveMoreThreads * 2 + beFair}. */
    private static final UnparkResult[] ONE = {
        new UnparkResult(1, 0, false, false), new UnparkResult(1, 0, false, true),
        new UnparkResult(1, 0, true, false), new UnparkResult(1, 0, true, true),
    };

    /**
     * The result of waking exactly one thread, without allocating (every {@code unparkOne} that finds a
     * thread returns one of four shared instances; a record compares by value, so sharing is invisible).
     *
     * @param haveMoreThreads whether threads of the key remain queued
     * @param beFair          whether the bucket's fair timeout has expired
     * @return the result
     */
    static UnparkResult one(boolean haveMoreThreads, boolean beFair) {
        return ONE[(haveMoreThreads ? 2 : 0) + (beFair ? 1 : 0)];
    }
}
