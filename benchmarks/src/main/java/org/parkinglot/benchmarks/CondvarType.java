package org.parkinglot.benchmarks;

import java.util.concurrent.locks.ReentrantLock;
import org.parkinglot.locks.RawMutex;
import org.parkinglot.locks.ReentrantMutex;

/**
 * The competitors of {@link CondvarBenchmark}: a lock with one condition. Each builds its own
 * {@link Handshake} class, so the call sites of a forked JMH run see one class only.
 */
public enum CondvarType {
    /** {@link RawMutex} with a condition from {@code newCondition()} (a {@code Condvar}). */
    RAW_MUTEX {
        @Override
        Handshake newHandshake() {
            return new Handshake.RawMutexHandshake(new RawMutex());
        }
    },
    /** {@link ReentrantMutex} (unfair) with a condition from {@code newCondition()}. */
    REENTRANT_MUTEX {
        @Override
        Handshake newHandshake() {
            return new Handshake.ReentrantMutexHandshake(new ReentrantMutex());
        }
    },
    /** The JDK's {@link ReentrantLock} (unfair) with an AQS {@code ConditionObject}. */
    REENTRANT_LOCK {
        @Override
        Handshake newHandshake() {
            return new Handshake.ReentrantLockHandshake(new ReentrantLock());
        }
    },
    /** A JVM monitor: {@code synchronized} with {@code wait} / {@code notify} / {@code notifyAll}. */
    SYNCHRONIZED {
        @Override
        Handshake newHandshake() {
            return new Handshake.MonitorHandshake();
        }
    };

    /**
     * Creates a fresh lock, condition and shared state.
     *
     * @return the handshake
     */
    abstract Handshake newHandshake();
}
