package org.parkinglot.locks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.parkinglot.core.ParkingLot;

/**
 * The {@link Lock} view of one holder's {@link FieldMutex} ({@link FieldMutex#asLock(Object)}), and the
 * {@link CondvarLock} hooks that let a {@link Condvar} wait with it. Its parking-lot key is (holder, lane),
 * the key the field lock's own waiters use, so notified condvar waiters are requeued onto that queue.
 */
final class FieldMutexLock extends CondvarLock {

    /** The field mutex (an {@link IntFieldMutex} or a {@link LongFieldMutex}). */
    private final FieldMutex mutex;
    /** The object whose field holds the lock. */
    private final Object holder;
    /** The mutex's algorithm projection. */
    private final MutexAlgorithm word;
    /** The mutex's lane. */
    private final long lane;

    FieldMutexLock(FieldMutex mutex, Object holder, MutexAlgorithm word, long lane) {
        this.mutex = mutex;
        this.holder = holder;
        this.word = word;
        this.lane = lane;
    }

    /** Acquires the lock as {@link FieldMutex#lock(Object)}. */
    @Override
    public void lock() {
        mutex.lock(holder);
    }

    /**
     * Acquires the lock unless interrupted, as {@link FieldMutex#lockInterruptibly(Object)}.
     *
     * @throws InterruptedException if the current thread is interrupted on entry or while waiting; its
     *                              interrupt status is cleared
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        mutex.lockInterruptibly(holder);
    }

    /**
     * Acquires the lock if it is free, as {@link FieldMutex#tryLock(Object)}.
     *
     * @return {@code true} if acquired
     */
    @Override
    public boolean tryLock() {
        return mutex.tryLock(holder);
    }

    /**
     * Acquires the lock if it becomes free within the time, as {@link FieldMutex#tryLock(Object, long, TimeUnit)}.
     *
     * @return {@code true} if acquired
     * @throws InterruptedException if the current thread is interrupted on entry or while waiting; its
     *                              interrupt status is cleared
     */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return mutex.tryLock(holder, time, unit);
    }

    /**
     * Releases the lock as {@link FieldMutex#unlock(Object)}.
     *
     * @throws IllegalMonitorStateException if the lock is not held
     */
    @Override
    public void unlock() {
        mutex.unlock(holder);
    }

    /**
     * Returns a new condition bound to this lock, backed by a {@link Condvar}. Its methods throw
     * {@link IllegalMonitorStateException} if the lock is not locked when called.
     *
     * @return a new condition
     */
    @Override
    public Condition newCondition() {
        return new BoundCondition(this);
    }

    @Override
    Object queueKey() {
        return holder;
    }

    @Override
    long queueLane() {
        return lane;
    }

    @Override
    int holdsForWait() {
        if (!mutex.isLocked(holder)) {
            throw new IllegalMonitorStateException("mutex is not locked");
        }
        return 1;
    }

    @Override
    void releaseAllForWait() {
        mutex.unlock(holder);
    }

    /** As {@link RawMutexBase}'s: a hand-off means the lock is ours; the woken successor re-takes it as one. */
    @Override
    void reacquireAfterWait(int holds, long unparkToken) {
        word.relockAfterWait(holder, lane, unparkToken, 0);
    }

    @Override
    boolean markParkedIfLocked() {
        return word.markParkedIfLocked(holder, lane);
    }

    @Override
    void markParked() {
        word.markParked(holder, lane);
    }

    /**
     * Returns the mutex, the holder and the lock's state, for monitoring.
     *
     * @return for example {@code FieldMutex[Node.flags, bits 29..31] of Node@1b6d3586[Locked, 2 queued]}
     */
    @Override
    public String toString() {
        int queued = ParkingLot.queueLength(holder, lane);
        String holderName = holder.getClass().getSimpleName() + "@"
                + Integer.toHexString(System.identityHashCode(holder));
        return mutex + " of " + holderName + (mutex.isLocked(holder) ? "[Locked" : "[Unlocked")
                + (queued == 0 ? "]" : ", " + queued + " queued]");
    }
}
