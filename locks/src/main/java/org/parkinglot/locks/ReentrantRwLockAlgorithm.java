package org.parkinglot.locks;

import static org.parkinglot.locks.ReentrantRwLock.STATE;

/**
 * {@link RwLockAlgorithm} on the {@code state} field of a {@link ReentrantRwLock}: the accesses of its slow paths,
 * through ReentrantRwLock's VarHandle. The single instance is {@link ReentrantRwLock#ALGORITHM}.
 */
final class ReentrantRwLockAlgorithm extends RwLockAlgorithm {

    ReentrantRwLockAlgorithm() {
    }

    @Override
    int state(Object lock) {
        return (int) STATE.getVolatile((ReentrantRwLock) lock);
    }

    @Override
    int stateAcquire(Object lock) {
        return (int) STATE.getAcquire((ReentrantRwLock) lock);
    }

    @Override
    boolean weakCasStateAcquire(Object lock, int expect, int update) {
        return STATE.weakCompareAndSetAcquire((ReentrantRwLock) lock, expect, update);
    }

    @Override
    int compareAndExchangeStateAcquire(Object lock, int expect, int update) {
        return (int) STATE.compareAndExchangeAcquire((ReentrantRwLock) lock, expect, update);
    }

    @Override
    void setBits(Object lock, int bits) {
        STATE.getAndBitwiseOr((ReentrantRwLock) lock, bits);
    }

    @Override
    boolean casState(Object lock, int expect, int update) {
        return STATE.compareAndSet((ReentrantRwLock) lock, expect, update);
    }

    @Override
    int compareAndExchangeState(Object lock, int expect, int update) {
        return (int) STATE.compareAndExchange((ReentrantRwLock) lock, expect, update);
    }

    @Override
    int getAndAddStateRelease(Object lock, int delta) {
        return (int) STATE.getAndAddRelease((ReentrantRwLock) lock, delta);
    }

    @Override
    void clearBitsRelease(Object lock, int bits) {
        STATE.getAndBitwiseAndRelease((ReentrantRwLock) lock, ~bits);
    }

    @Override
    void setStateRelease(Object lock, int s) {
        STATE.setRelease((ReentrantRwLock) lock, s);
    }

    @Override
    int compareAndExchangeStateRelease(Object lock, int expect, int update) {
        return (int) STATE.compareAndExchangeRelease((ReentrantRwLock) lock, expect, update);
    }
}
