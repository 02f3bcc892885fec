package org.parkinglot.locks;

import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * The {@link Condition} returned by {@code newCondition()} of the mutexes of this package: a
 * {@link Condvar} bound to one mutex. Every method throws {@link IllegalMonitorStateException} if the
 * current thread does not hold the mutex (for mutexes that do not track their owner: if it is not
 * locked).
 */
final class BoundCondition extends Condvar implements Condition {

    /** The mutex this condition belongs to. */
    final CondvarLock owner;

    BoundCondition(CondvarLock owner) {
        this.owner = owner;
    }

    @Override
    public void await() throws InterruptedException {
        await(owner);
    }

    @Override
    public void awaitUninterruptibly() {
        awaitUninterruptibly(owner);
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        return awaitNanos(owner, nanosTimeout);
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        return await(owner, time, unit);
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        return awaitUntil(owner, deadline);
    }

    @Override
    public void signal() {
        owner.holdsForWait(); // ownership check
        notifyOne();
    }

    @Override
    public void signalAll() {
        owner.holdsForWait(); // ownership check
        notifyAllWaiters();
    }
}
