package org.parkinglot.locks;

import static org.parkinglot.locks.RawRwLock.STATE;

/**
 * {@link RwLockAlgorithm} on the {@code state} field of a {@link RawRwLock}: the accesses of its slow paths,
 * through RawRwLock's VarHandle. The single instance is {@link RawRwLock#ALGORITHM}.
 */
final class RawRwLockAlgorithm extends RwLockAlgorithm {

    RawRwLockAlgorithm() {
    }

    @Override
    int state(Object lock) {
        return (int) STATE.getVolatile((RawRwLock) lock);
    }

    @Override
    int stateAcquire(Object lock) {
        return (int) STATE.getAcquire((RawRwLock) lock);
    }

    @Override
    boolean weakCasStateAcquire(Object lock, int expect, int update) {
        return STATE.weakCompareAndSetAcquire((RawRwLock) lock, expect, update);
    }

    @Override
    int compareAndExchangeStateAcquire(Object lock, int expect, int update) {
        return (int) STATE.compareAndExchangeAcquire((RawRwLock) lock, expect, update);
    }

    @Override
    void setBits(Object lock, int bits) {
        STATE.getAndBitwiseOr((RawRwLock) lock, bits);
    }

    @Override
    boolean casState(Object lock, int expect, int update) {
        return STATE.compareAndSet((RawRwLock) lock, expect, update);
    }

    @Override
    int compareAndExchangeState(Object lock, int expect, int update) {
        return (int) STATE.compareAndExchange((RawRwLock) lock, expect, update);
    }

    @Override
    int getAndAddStateRelease(Object lock, int delta) {
        return (int) STATE.getAndAddRelease((RawRwLock) lock, delta);
    }

    @Override
    void clearBitsRelease(Object lock, int bits) {
        STATE.getAndBitwiseAndRelease((RawRwLock) lock, ~bits);
    }

    @Override
    void setStateRelease(Object lock, int s) {
        STATE.setRelease((RawRwLock) lock, s);
    }

    @Override
    int compareAndExchangeStateRelease(Object lock, int expect, int update) {
        return (int) STATE.compareAndExchangeRelease((RawRwLock) lock, expect, update);
    }
}
