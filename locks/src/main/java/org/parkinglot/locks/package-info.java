/**
 * Compact locks on the global parking lot: {@link org.parkinglot.locks.RawMutex},
 * {@link org.parkinglot.locks.RawFairMutex}, {@link org.parkinglot.locks.ReentrantMutex} (a drop-in
 * {@link java.util.concurrent.locks.ReentrantLock}), {@link org.parkinglot.locks.RawRwLock} (a task-fair
 * read-write lock with upgradable reads) and {@link org.parkinglot.locks.Condvar}.
 * Each lock is a word of state; waiting threads queue in {@link org.parkinglot.core.ParkingLot}.
 */
package org.parkinglot.locks;
