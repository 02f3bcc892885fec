package org.parkinglot.locks;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * One acquisition of a lock, released by {@link #close()}: the try-with-resources form of
 * {@code lock(); try { ... } finally { unlock(); }}.
 * <pre>{@code
 * RawMutex mutex = new RawMutex();
 * try (var held = mutex.locked()) {
 *     // ... guarded work
 * }
 * }</pre>
 * Guards come from the locks of this package ({@link RawMutex#locked()}, {@link RawFairMutex#locked()},
 * {@link ReentrantMutex#locked()}, {@link RawRwLock#sharedLocked()}, {@link RawRwLock#exclusiveLocked()};
 * the upgradable mode has its own {@link UpgradableGuard}) and, for any other {@link Lock}, from
 * {@link #locked(Lock)}. Every factory returns a guard only after a successful acquisition; the
 * {@code tryLocked} forms return {@code null} when they do not acquire the lock, which try-with-resources
 * accepts (it skips closing a {@code null} resource):
 * <pre>{@code
 * try (var held = mutex.tryLocked(10, TimeUnit.MILLISECONDS)) {
 *     if (held == null) {
 *         return false; // timed out: nothing is held, nothing will be released
 *     }
 *     // ... guarded work
 * }
 * }</pre>
 *
 * <h2>What a guard guarantees</h2>
 * <ul>
 *   <li>It releases exactly the lock, in exactly the mode, that was acquired to create it: there is no
 *       way to point it at another lock.</li>
 *   <li>It releases at most once. {@link #close()} is idempotent, as {@link java.io.Closeable#close()}
 *       is: a second call does nothing. So a block may release early ({@code held.close()} before a long
 *       computation that needs no lock) and let try-with-resources close it again on the way out. A
 *       second close throwing would instead turn that legitimate pattern into an error, and would
 *       replace the block's own exception with a suppressed-exception pile in the misuse case.</li>
 *   <li>Its close releases with the lock's own {@code unlock}, so the lock's checks apply: closing a
 *       {@link ReentrantMutex} guard in a thread that does not own the mutex throws
 *       {@link IllegalMonitorStateException} and leaves the guard (and the lock) held.</li>
 * </ul>
 * A guard cannot tell whether the lock was released behind its back (a raw lock's {@code unlock()} called
 * directly while the guard is open): then its close releases whatever hold the lock has, as that direct
 * {@code unlock()} would have. Do not mix guard and direct unlocks of one acquisition.
 *
 * <h2>Threads and allocation</h2>
 * A guard belongs to the thread that acquired it, like the critical section it delimits. It has no
 * synchronization of its own: hand it to another thread (to release a raw lock there) only through a
 * happens-before edge. A guard is a small object (16 bytes with compressed class pointers, 24 without);
 * used as above, within one method and never stored, the JIT's escape analysis removes it, so a guarded
 * block allocates nothing (checked by {@code GuardBenchmark} with {@code -prof gc}). A guard stored in a
 * field, or passed to a method the JIT does not inline, is allocated.
 */
public final class LockGuard implements AutoCloseable {

    /*
     * Implementation notes.
     *
     * One class for every lock and mode, with the mode as a constant int, rather than an interface with
     * a class per lock: the factories are tiny and inlined, so after escape analysis the mode is a
     * constant and release()'s switch folds to one direct, inlinable unlock call (the casts are to final
     * classes). A class per lock would give the same code but more types to learn; an interface call on
     * Lock (the generic LOCK mode) is devirtualized only when the JIT knows the lock's class.
     *
     * `lock` is null once released; written and read by the owning thread only (see the class javadoc).
     * It is cleared after the unlock returns, so a close that throws (a ReentrantMutex closed by the
     * wrong thread) leaves the guard able to release later.
     *
     * Adding a lock: a mode constant, a case in release(), and factories in the lock class that acquire
     * and then return new LockGuard(this, MODE). A lock that implements Lock needs nothing here: its
     * factories may return locked(view) (ReentrantRwLock: readLocked() = locked(readLock())).
     */

    /** Mode: a {@link RawMutex}, released with {@link RawMutex#unlock()}. */
    static final int RAW_MUTEX = 0;
    /** Mode: a {@link RawFairMutex}, released with {@link RawFairMutex#unlock()}. */
    static final int RAW_FAIR_MUTEX = 1;
    /** Mode: a {@link ReentrantMutex}, released with {@link ReentrantMutex#unlock()} (one hold). */
    static final int REENTRANT_MUTEX = 2;
    /** Mode: a shared hold of a {@link RawRwLock}, released with {@link RawRwLock#unlockShared()}. */
    static final int RW_SHARED = 3;
    /** Mode: the exclusive hold of a {@link RawRwLock}, released with {@link RawRwLock#unlockExclusive()}. */
    static final int RW_EXCLUSIVE = 4;
    /** Mode: any other {@link Lock}, released with {@link Lock#unlock()}. */
    static final int LOCK = 5;

    /** The lock to release; null once released. Owner thread only. */
    private Object lock;
    /** How to release {@link #lock}: one of the mode constants. */
    private final int mode;

    /** Called only after {@code lock} was acquired in {@code mode}. */
    LockGuard(Object lock, int mode) {
        this.lock = lock;
        this.mode = mode;
    }

    /**
     * Acquires {@code lock} with {@link Lock#lock()} and returns a guard that releases it with
     * {@link Lock#unlock()}: the guard form for any {@link Lock}, such as the views of
     * {@link RawRwLock#asReadWriteLock()} or a lock of {@code java.util.concurrent}.
     *
     * @param lock the lock to acquire
     * @return the guard of the acquisition
     * @throws NullPointerException if {@code lock} is null
     */
    public static LockGuard locked(Lock lock) {
        Objects.requireNonNull(lock, "lock").lock();
        return new LockGuard(lock, LOCK);
    }

    /**
     * Acquires {@code lock} with {@link Lock#lockInterruptibly()} and returns a guard that releases it.
     *
     * @param lock the lock to acquire
     * @return the guard of the acquisition
     * @throws InterruptedException as {@code lock.lockInterruptibly()} (nothing is held then)
     * @throws NullPointerException if {@code lock} is null
     */
    public static LockGuard lockedInterruptibly(Lock lock) throws InterruptedException {
        Objects.requireNonNull(lock, "lock").lockInterruptibly();
        return new LockGuard(lock, LOCK);
    }

    /**
     * Acquires {@code lock} with {@link Lock#tryLock(long, TimeUnit)} and returns a guard that releases
     * it, or {@code null} if the time elapsed first.
     *
     * @param lock the lock to acquire
     * @param time the most to wait
     * @param unit the unit of {@code time}
     * @return the guard of the acquisition, or {@code null} if the lock was not acquired
     * @throws InterruptedException as {@code lock.tryLock(time, unit)} (nothing is held then)
     * @throws NullPointerException if {@code lock} or {@code unit} is null
     */
    public static LockGuard tryLocked(Lock lock, long time, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        return Objects.requireNonNull(lock, "lock").tryLock(time, unit) ? new LockGuard(lock, LOCK) : null;
    }

    /** {@link RawRwLock#sharedLocked()}: acquires a shared hold and returns its guard. */
    static LockGuard shared(RawRwLock lock) {
        lock.lockShared();
        return new LockGuard(lock, RW_SHARED);
    }

    /** {@link RawRwLock#exclusiveLocked()}: acquires the exclusive hold and returns its guard. */
    static LockGuard exclusive(RawRwLock lock) {
        lock.lockExclusive();
        return new LockGuard(lock, RW_EXCLUSIVE);
    }

    /**
     * Releases the lock this guard holds, unless it was already released through this guard (then does
     * nothing). Throws no checked exception.
     *
     * @throws IllegalMonitorStateException if the lock refuses the release (a {@link ReentrantMutex} closed by
     *                                      a thread that does not own it, or a raw lock already released
     *                                      directly); the guard stays open then
     */
    @Override
    public void close() {
        Object l = lock;
        if (l != null) {
            release(l, mode);
            lock = null;
        }
    }

    /**
     * Returns whether this guard still holds its lock, that is, has not been closed.
     *
     * @return {@code true} until the first successful {@link #close()}
     */
    public boolean isHeld() {
        return lock != null;
    }

    /**
     * Returns a string naming the mode and the lock, and whether this guard still holds it.
     *
     * @return a description of this guard
     */
    @Override
    public String toString() {
        Object l = lock;
        return "LockGuard[" + (l == null ? "released" : MODE_NAMES[mode] + " " + l) + "]";
    }

    private static final String[] MODE_NAMES = {"mutex", "fair mutex", "reentrant mutex", "shared", "exclusive",
            "lock"};

    /** Releases {@code l} as {@code mode} says. */
    private static void release(Object l, int mode) {
        switch (mode) {
            case RAW_MUTEX -> ((RawMutex) l).unlock();
            case RAW_FAIR_MUTEX -> ((RawFairMutex) l).unlock();
            case REENTRANT_MUTEX -> ((ReentrantMutex) l).unlock();
            case RW_SHARED -> ((RawRwLock) l).unlockShared();
            case RW_EXCLUSIVE -> ((RawRwLock) l).unlockExclusive();
            default -> ((Lock) l).unlock();
        }
    }
}
