/**
 * Compact locks on the global parking lot: {@link org.parkinglot.locks.RawMutex},
 * {@link org.parkinglot.locks.RawFairMutex}, {@link org.parkinglot.locks.ReentrantMutex} (a drop-in
 * {@link java.util.concurrent.locks.ReentrantLock}), {@link org.parkinglot.locks.RawRwLock} (a task-fair
 * read-write lock with upgradable and optimistic reads), {@link org.parkinglot.locks.ReentrantRwLock} (a
 * drop-in {@link java.util.concurrent.locks.ReentrantReadWriteLock}) and {@link org.parkinglot.locks.Condvar};
 * locks inside memory the user already has: {@link org.parkinglot.locks.FieldMutex} (bits of the user's own
 * field), {@link org.parkinglot.locks.MutexArray} (a byte per lock), {@link org.parkinglot.locks.StripedMutex}
 * and {@link org.parkinglot.locks.KeyedMutex}; {@link org.parkinglot.locks.Once} and
 * {@link org.parkinglot.locks.Lazy}; try-with-resources guards ({@link org.parkinglot.locks.LockGuard},
 * {@link org.parkinglot.locks.UpgradableGuard}) and data-owning locks ({@link org.parkinglot.locks.MutexCell},
 * {@link org.parkinglot.locks.RwLockCell}).
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
