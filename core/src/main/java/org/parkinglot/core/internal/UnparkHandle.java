/*
 * Ported from parking_lot `core/src/thread_parker/mod.rs` (UnparkHandleT).
 */
package org.parkinglot.core.internal;

/**
 * Phase two of the two-phase unpark: the wake-up itself, called only after every bucket lock has been
 * released (waking a platform thread signals an OS condition variable; waking a virtual thread
 * submits its continuation to a scheduler: neither belongs inside a bucket's critical section).
 */
public interface UnparkHandle {

    /** Wakes the thread whose parker returned this handle from {@link ThreadParker#unparkLock()}. */
    void unpark();
}
