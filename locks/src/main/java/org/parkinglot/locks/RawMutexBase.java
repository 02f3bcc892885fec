/*
 * Ported from parking_lot `src/raw_mutex.rs` (lock, try_lock, try_lock_for, unlock, unlock_fair, bump).
 */
package org.parkinglot.locks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.core.internal.Timeouts;

/**
 * The non-reentrant mutexes {@link RawMutex} and {@link RawFairMutex}: everything but the fairness
 * of {@code unlock()}. Fast paths are one CAS; everything else is in {@link MutexAlgorithm}.
 */
abstract sealed class RawMutexBase extends AbstractMutex permits RawMutex, RawFairMutex {

    RawMutexBase() {
    }

    /**
     * Acquires the lock, waiting if another thread holds it. Spins briefly while no other thread is
     * parked, then parks until the lock is released to it. Interrupts do not end the wait; the
     * interrupt status is kept.
     */
    @Override
    public final void lock() {
        if (!lockFast()) {
            ALGORITHM.lockSlow(this, 0L, ParkingLot.FOREVER, false, spinOption());
        }
        if (OwnerTracking.ENABLED) { // deadlock finder: see OwnerTracking
            OwnerTracking.exclusiveAcquired(this);
        }
    }

    /**
     * Acquires the lock unless the current thread is interrupted. If the lock is held, the thread lies
     * dormant until it acquires the lock or another thread interrupts it.
     *
     * @throws InterruptedException if the current thread is interrupted on entry or while waiting; its
     *                              interrupt status is cleared
     */
    @Override
    public final void lockInterruptibly() throws InterruptedException {
        Timeouts.throwIfInterrupted();
        if (!lockFast()
                && ALGORITHM.lockSlow(this, 0L, ParkingLot.FOREVER, true, spinOption()) == MutexAlgorithm.INTERRUPTED) {
            throw Timeouts.clearInterrupt();
        }
        if (OwnerTracking.ENABLED) {
            OwnerTracking.exclusiveAcquired(this);
        }
    }

    /**
     * Acquires the lock if it is free at the time of the call, even if other threads are parked
     * waiting for it (barging).
     *
     * @return {@code true} if the lock was acquired
     */
    @Override
    public final boolean tryLock() {
        boolean acquired = ALGORITHM.tryLock(this, 0L);
        if (OwnerTracking.ENABLED && acquired) {
            OwnerTracking.exclusiveAcquired(this);
        }
        return acquired;
    }

    /**
     * Acquires the lock if it becomes free within the waiting time. The thread lies dormant until it
     * acquires the lock, the time elapses, or another thread interrupts it. A zero or negative time
     * tries once; {@code Long.MAX_VALUE} nanoseconds or more waits forever.
     *
     * @param time the most to wait
     * @param unit the unit of {@code time}
     * @return {@code true} if acquired, {@code false} if the time elapsed first
     * @throws InterruptedException if the current thread is interrupted on entry or while waiting; its
     *                              interrupt status is cleared
     * @throws NullPointerException if {@code unit} is null
     */
    @Override
    public final boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        long nanos = Timeouts.toNanos(time, unit);
        Timeouts.throwIfInterrupted();
        if (tryLock()) {
            return true;
        }
        if (nanos <= 0L) {
            return false;
        }
        int r = ALGORITHM.lockSlow(this, 0L, nanos, true, spinOption());
        if (r == MutexAlgorithm.INTERRUPTED) {
            throw Timeouts.clearInterrupt();
        }
        if (OwnerTracking.ENABLED && r == MutexAlgorithm.ACQUIRED) {
            OwnerTracking.exclusiveAcquired(this);
        }
        return r == MutexAlgorithm.ACQUIRED;
    }

    /**
     * Releases the lock and, if a thread is parked waiting for it, hands the lock directly to the
     * longest-waiting one (a fair unlock). Any thread may release; the mutex does not track owners.
     *
     * @throws IllegalMonitorStateException if the lock is not held (the state is left unchanged)
     */
    public final void unlockFair() {
        if (OwnerTracking.ENABLED) { // before the release: the next owner records itself after it
            OwnerTracking.exclusiveReleased(this);
        }
        if (!STATE.weakCompareAndSetRelease(this, MutexAlgorithm.LOCKED, 0)) { // no waiters: a plain release suffices
            ALGORITHM.unlock(this, 0L, true);
        }
    }

    /**
     * If a thread is parked waiting for the lock, hands it the lock (a fair unlock) and then
     * re-acquires it, waiting as {@link #lock()} does; otherwise does nothing. Call while holding the
     * lock, to let waiters through during a long critical section.
     */
    public final void bump() {
        if (OwnerTracking.ENABLED) { // the lock may pass through other threads' hands meanwhile
            OwnerTracking.exclusiveReleased(this);
        }
        ALGORITHM.bump(this, 0L);
        if (OwnerTracking.ENABLED) {
            OwnerTracking.exclusiveAcquired(this);
        }
    }

    /**
     * Acquires the lock as {@link #lock()} does and returns a guard that releases it: for
     * {@code try (var held = mutex.locked()) { ... }}. See {@link LockGuard}.
     *
     * @return the guard of this acquisition
     */
    public final LockGuard locked() {
        lock();
        return new LockGuard(this, guardMode());
    }

    /**
     * Acquires the lock as {@link #lockInterruptibly()} does and returns a guard that releases it.
     *
     * @return the guard of this acquisition
     * @throws InterruptedException if the current thread is interrupted on entry or while waiting (nothing
     *                              is held then); its interrupt status is cleared
     */
    public final LockGuard lockedInterruptibly() throws InterruptedException {
        lockInterruptibly();
        return new LockGuard(this, guardMode());
    }

    /**
     * Acquires the lock if it is free, as {@link #tryLock()} does, and returns a guard that releases it.
     *
     * @return the guard of this acquisition, or {@code null} if the lock is held (try-with-resources
     *         skips closing a {@code null} resource)
     */
    public final LockGuard tryLocked() {
        return tryLock() ? new LockGuard(this, guardMode()) : null;
    }

    /**
     * Acquires the lock if it becomes free within the waiting time, as {@link #tryLock(long, TimeUnit)}
     * does, and returns a guard that releases it.
     *
     * @param time the most to wait
     * @param unit the unit of {@code time}
     * @return the guard of this acquisition, or {@code null} if the time elapsed first
     * @throws InterruptedException if the current thread is interrupted on entry or while waiting (nothing
     *                              is held then); its interrupt status is cleared
     * @throws NullPointerException if {@code unit} is null
     */
    public final LockGuard tryLocked(long time, TimeUnit unit) throws InterruptedException {
        return tryLock(time, unit) ? new LockGuard(this, guardMode()) : null;
    }

    /**
     * Returns whether some thread holds the lock: a snapshot, for monitoring, not for synchronization.
     *
     * @return {@code true} if the lock is held
     */
    public final boolean isLocked() {
        return ALGORITHM.isLocked(this, 0L);
    }

    /**
     * Returns a new {@link Condition} bound to this mutex, backed by a {@link Condvar}. Its methods
     * throw {@link IllegalMonitorStateException} if the mutex is not locked when called (this mutex
     * cannot tell which thread holds it).
     *
     * @return a new condition
     */
    @Override
    public final Condition newCondition() {
        return new BoundCondition(this);
    }

    /**
     * The fast path of acquisition: one acquire CAS from the word just read, if LOCKED is clear. It
     * barges past PARKED and WOKEN, as the slow path would: a free lock whose word still carries them
     * (a woken waiter in flight) costs no more than a free, quiet one.
     *
     * @return {@code true} if acquired
     */
    private boolean lockFast() {
        int s = state;
        return (s & MutexAlgorithm.LOCKED) == 0 && STATE.weakCompareAndSetAcquire(this, s, s | MutexAlgorithm.LOCKED);
    }

    /** How a {@link LockGuard} releases this mutex. */
    private int guardMode() {
        return this instanceof RawFairMutex ? LockGuard.RAW_FAIR_MUTEX : LockGuard.RAW_MUTEX;
    }

    /** {@link MutexAlgorithm#FAIR_SPIN} for the fair mutex, else 0. */
    private int spinOption() {
        return this instanceof RawFairMutex ? MutexAlgorithm.FAIR_SPIN : 0;
    }

    @Override
    final int holdsForWait() {
        if (!isLocked()) {
            throw new IllegalMonitorStateException("mutex is not locked");
        }
        return 1;
    }

    @Override
    final void releaseAllForWait() {
        unlock();
    }

    @Override
    final void reacquireAfterWait(int holds, long unparkToken) {
        ALGORITHM.relockAfterWait(this, 0L, unparkToken, spinOption());
        if (OwnerTracking.ENABLED) { // recorded here for every path (lock() is not called)
            OwnerTracking.exclusiveAcquired(this);
        }
    }

    /**
     * Returns a string identifying this mutex and its state, for monitoring: whether it is locked and, if
     * threads are queued for it, how many (a raw mutex has no owner to name).
     *
     * @return the class and identity, followed by {@code [Unlocked]}, {@code [Locked]} or
     *         {@code [Locked, n queued]}
     */
    @Override
    public final String toString() {
        int queued = ParkingLot.queueLength(this, 0L);
        return super.toString() + (isLocked() ? "[Locked" : "[Unlocked") + (queued == 0 ? "]" : ", " + queued + " queued]");
    }
}
