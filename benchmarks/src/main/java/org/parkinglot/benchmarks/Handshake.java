package org.parkinglot.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.infra.Control;
import org.parkinglot.locks.RawMutex;
import org.parkinglot.locks.ReentrantMutex;

/**
 * The two condition-variable protocols {@link CondvarBenchmark} measures, over one lock and one
 * condition: a turn passed back and forth between two threads, and a cyclic barrier whose last arrival
 * wakes every waiter. Every wait is bounded ({@link #WAIT_NANOS}) and gives up once JMH stops the
 * measurement, because JMH ends an iteration thread by thread: a partner may already be gone.
 */
abstract class Handshake {

    /** The longest single wait before re-checking whether JMH stopped the measurement. */
    static final long WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Whose turn it is (0 or 1); guarded by the lock. */
    int turn;
    /** Barrier arrivals in the current generation; guarded by the lock. */
    int arrived;
    /** Barrier generation, advanced by the last arrival; guarded by the lock. */
    long generation;

    /**
     * Waits for {@code me}'s turn, then gives the turn to the other side and wakes it.
     *
     * @param me  0 or 1
     * @param ctl JMH's control, to give up when the measurement stops
     * @throws InterruptedException if interrupted while waiting
     */
    abstract void passTurn(int me, Control ctl) throws InterruptedException;

    /**
     * Arrives at the barrier of {@code parties} threads: the last arrival wakes all others with one
     * notify-all; the others wait for it.
     *
     * @param parties how many threads use the barrier
     * @param ctl     JMH's control, to give up when the measurement stops
     * @throws InterruptedException if interrupted while waiting
     */
    abstract void arrive(int parties, Control ctl) throws InterruptedException;

    /**
     * Creates a fresh lock, condition and shared state for a {@link CondvarBenchmark} competitor. Each
     * competitor has its own class, so the call sites of a forked JMH run see one class only.
     *
     * @param type the competitor
     * @return the handshake
     * @throws IllegalArgumentException if {@code type} has no handshake here
     */
    static Handshake of(LockType type) {
        return switch (type) {
            case RAW_MUTEX -> new RawMutexHandshake(new RawMutex());
            case REENTRANT_MUTEX -> new ReentrantMutexHandshake(new ReentrantMutex());
            case REENTRANT_LOCK -> new ReentrantLockHandshake(new ReentrantLock());
            case SYNCHRONIZED -> new MonitorHandshake();
            default -> throw type.notIn("CondvarBenchmark");
        };
    }

    /** Forgets a half-filled barrier generation (between iterations, when no thread is inside). */
    final void resetBarrier() {
        arrived = 0;
    }

    /** Lock + Condition protocols, written once against the interfaces; subclasses fix the classes. */
    abstract static class LockHandshake<L extends java.util.concurrent.locks.Lock> extends Handshake {
        final L lock;
        final Condition condition;

        LockHandshake(L lock) {
            this.lock = lock;
            this.condition = lock.newCondition();
        }

        @Override
        final void passTurn(int me, Control ctl) throws InterruptedException {
            lock.lock();
            try {
                while (turn != me) {
                    if (ctl.stopMeasurement) {
                        return;
                    }
                    condition.awaitNanos(WAIT_NANOS);
                }
                turn = 1 - me;
                condition.signal();
            } finally {
                lock.unlock();
            }
        }

        @Override
        final void arrive(int parties, Control ctl) throws InterruptedException {
            lock.lock();
            try {
                long gen = generation;
                if (++arrived >= parties) {
                    arrived = 0;
                    generation = gen + 1;
                    condition.signalAll();
                    return;
                }
                while (generation == gen) {
                    if (ctl.stopMeasurement) {
                        return;
                    }
                    condition.awaitNanos(WAIT_NANOS);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** {@link RawMutex} and its {@code Condvar}-backed condition. */
    static final class RawMutexHandshake extends LockHandshake<RawMutex> {
        RawMutexHandshake(RawMutex lock) {
            super(lock);
        }
    }

    /** {@link ReentrantMutex} and its {@code Condvar}-backed condition. */
    static final class ReentrantMutexHandshake extends LockHandshake<ReentrantMutex> {
        ReentrantMutexHandshake(ReentrantMutex lock) {
            super(lock);
        }
    }

    /** The JDK's {@link ReentrantLock} and its AQS condition. */
    static final class ReentrantLockHandshake extends LockHandshake<ReentrantLock> {
        ReentrantLockHandshake(ReentrantLock lock) {
            super(lock);
        }
    }

    /** A JVM monitor: {@code synchronized}, {@code wait(timeout)}, {@code notify}, {@code notifyAll}. */
    static final class MonitorHandshake extends Handshake {
        private final Object monitor = new Object();

        @Override
        void passTurn(int me, Control ctl) throws InterruptedException {
            synchronized (monitor) {
                while (turn != me) {
                    if (ctl.stopMeasurement) {
                        return;
                    }
                    monitor.wait(1L);
                }
                turn = 1 - me;
                monitor.notify();
            }
        }

        @Override
        void arrive(int parties, Control ctl) throws InterruptedException {
            synchronized (monitor) {
                long gen = generation;
                if (++arrived >= parties) {
                    arrived = 0;
                    generation = gen + 1;
                    monitor.notifyAll();
                    return;
                }
                while (generation == gen) {
                    if (ctl.stopMeasurement) {
                        return;
                    }
                    monitor.wait(1L);
                }
            }
        }
    }
}
