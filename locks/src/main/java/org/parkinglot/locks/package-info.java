/**
 * Compact locks on the global parking lot: {@link org.parkinglot.locks.RawMutex},
 * {@link org.parkinglot.locks.RawFairMutex}, {@link org.parkinglot.locks.ReentrantMutex} (a drop-in
 * {@link java.util.concurrent.locks.ReentrantLock}), {@link org.parkinglot.locks.RawRwLock} (a task-fair
 * read-write lock with upgradable reads) and {@link org.parkinglot.locks.Condvar}.
 * Each lock is a word of state; waiting threads queue in {@link org.parkinglot.core.ParkingLot}.
 *
 * <h2>Flight Recorder events</h2>
 * Two JFR events, disabled by default and free when disabled (the fast paths do not call into them),
 * emitted by a thread that parked for a lock: {@code org.parkinglot.ContendedAcquisition} (one per
 * acquisition that parked: lock class and identity hash, mode, wait time, whether the lock was handed
 * over, how many threads were still queued; default threshold 10 ms) and {@code org.parkinglot.LongHold}
 * (a waiter slept until an unlock woke it, so the lock was held at least that long; the holder for
 * {@link org.parkinglot.locks.ReentrantMutex}; default threshold 100 ms). The settings file
 * {@code org/parkinglot/locks/parkinglot.jfc} in this module's jar enables both:
 * <pre>{@code
 * java -XX:StartFlightRecording:filename=rec.jfr,settings=parkinglot.jfc ...
 * jfr summary rec.jfr
 * jfr print --events org.parkinglot.ContendedAcquisition,org.parkinglot.LongHold rec.jfr
 * }</pre>
 * Every field and the limits of each event: {@code docs/jfr.md} in the project's repository. Without
 * the {@code jdk.jfr} module the locks work as usual, without events.
 */
package org.parkinglot.locks;
