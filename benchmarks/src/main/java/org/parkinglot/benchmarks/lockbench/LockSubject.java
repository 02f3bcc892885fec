package org.parkinglot.benchmarks.lockbench;

import java.util.Objects;

/**
 * One lock under test, seen the way parking_lot's harness sees it: "run this closure with the lock
 * held" (its {@code Mutex::lock(f)} and {@code RwLock::read(f)}/{@code write(f)}). The closure shape
 * lets {@code synchronized} take part, which has no separate lock and unlock calls.
 *
 * <p>Every implementation measures the acquisition the same way: {@link System#nanoTime()} just before
 * the lock call and again just after it returns, and passes the difference to the section.
 */
public interface LockSubject {

    /**
     * Runs {@code section} holding the lock exclusively, then releases it.
     *
     * @param section the guarded work
     */
    void exclusive(CriticalSection section);

    /**
     * Runs {@code section} holding the lock shared, then releases it. Only read/write locks support it.
     *
     * @param section the guarded work
     * @throws UnsupportedOperationException if the lock has no shared mode
     */
    default void shared(CriticalSection section) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no shared mode");
    }

    /**
     * Adapts any read/write lock given as four actions, for example
     * {@code readWrite(l::lockShared, l::unlockShared, l::lockExclusive, l::unlockExclusive)}.
     * This is the extension point for read/write locks without a {@link java.util.concurrent.locks.ReadWriteLock}
     * view (see {@link Competitors}).
     *
     * @param lockShared      acquires the lock shared
     * @param unlockShared    releases a shared hold
     * @param lockExclusive   acquires the lock exclusively
     * @param unlockExclusive releases an exclusive hold
     * @return a subject calling the four actions
     * @throws NullPointerException if an argument is null
     */
    static LockSubject readWrite(Runnable lockShared, Runnable unlockShared, Runnable lockExclusive,
                                 Runnable unlockExclusive) {
        Objects.requireNonNull(lockShared, "lockShared");
        Objects.requireNonNull(unlockShared, "unlockShared");
        Objects.requireNonNull(lockExclusive, "lockExclusive");
        Objects.requireNonNull(unlockExclusive, "unlockExclusive");
        return new LockSubject() {
            @Override
            public void exclusive(CriticalSection section) {
                long start = System.nanoTime();
                lockExclusive.run();
                try {
                    section.run(System.nanoTime() - start);
                } finally {
                    unlockExclusive.run();
                }
            }

            @Override
            public void shared(CriticalSection section) {
                long start = System.nanoTime();
                lockShared.run();
                try {
                    section.run(System.nanoTime() - start);
                } finally {
                    unlockShared.run();
                }
            }
        };
    }
}
