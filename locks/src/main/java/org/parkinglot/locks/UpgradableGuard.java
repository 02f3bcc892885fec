package org.parkinglot.locks;

import java.util.concurrent.TimeUnit;

/**
 * An upgradable hold of a {@link RawRwLock}, released by {@link #close()}: the try-with-resources form of
 * {@link RawRwLock#lockUpgradable()}. While open it can be upgraded to the exclusive lock and downgraded
 * back; {@link #close()} releases whichever of the two it holds.
 * <pre>{@code
 * try (var held = rwlock.upgradableLocked()) {
 *     if (needsChange(data)) {
 *         held.upgrade(); // no other writer can come in between the check and the change
 *         change(data);
 *     }
 * } // releases the exclusive lock if upgraded, else the upgradable one
 * }</pre>
 * The guarantees are those of {@link LockGuard}: a guard exists only after a successful acquisition,
 * releases only its own lock, at most once ({@link #close()} is idempotent), belongs to the thread that
 * acquired it, and is removed by escape analysis when used within one method.
 */
public final class UpgradableGuard implements AutoCloseable {

    /*
     * Implementation notes. `lock` is null once released; `upgraded` says whether the hold is exclusive
     * (after upgrade) or upgradable. Both are written and read by the owning thread only. Each method
     * changes them only after the lock operation returned, so an exception leaves them describing the hold
     * that the lock still has.
     */

    /** The lock; null once released. Owner thread only. */
    private RawRwLock lock;
    /** Whether the hold is exclusive (upgraded) rather than upgradable. Owner thread only. */
    private boolean upgraded;

    /** Called only after {@code lock} was acquired in the upgradable mode. */
    UpgradableGuard(RawRwLock lock) {
        this.lock = lock;
    }

    /** {@link RawRwLock#upgradableLocked()}: acquires the upgradable hold and returns its guard. */
    static UpgradableGuard upgradable(RawRwLock lock) {
        lock.lockUpgradable();
        return new UpgradableGuard(lock);
    }

    /**
     * Upgrades the hold to exclusive, waiting for the other readers to leave (see
     * {@link RawRwLock#upgrade()}). Interrupts do not end the wait.
     *
     * @throws IllegalStateException if this guard is closed or already upgraded
     */
    public void upgrade() {
        upgradableLock().upgrade();
        upgraded = true;
    }

    /**
     * Upgrades the hold to exclusive if no other reader holds the lock at the time of the call.
     *
     * @return {@code true} if upgraded; {@code false} leaves the upgradable hold
     * @throws IllegalStateException if this guard is closed or already upgraded
     */
    public boolean tryUpgrade() {
        return upgraded = upgradableLock().tryUpgrade();
    }

    /**
     * Upgrades the hold to exclusive if the other readers leave within the waiting time (see
     * {@link RawRwLock#tryUpgrade(long, TimeUnit)}).
     *
     * @param time the most to wait
     * @param unit the unit of {@code time}
     * @return {@code true} if upgraded, {@code false} if the time elapsed first (the upgradable hold remains)
     * @throws InterruptedException if interrupted on entry or while waiting (the upgradable hold remains);
     *                              the status is cleared
     * @throws IllegalStateException if this guard is closed or already upgraded
     * @throws NullPointerException if {@code unit} is null
     */
    public boolean tryUpgrade(long time, TimeUnit unit) throws InterruptedException {
        return upgraded = upgradableLock().tryUpgrade(time, unit);
    }

    /**
     * Turns the exclusive hold of an upgraded guard back into an upgradable one (see
     * {@link RawRwLock#downgradeToUpgradable()}), letting readers in again.
     *
     * @throws IllegalStateException if this guard is closed or not upgraded
     */
    public void downgrade() {
        RawRwLock l = lock;
        if (l == null || !upgraded) {
            throw new IllegalStateException(l == null ? "guard is closed" : "guard is not upgraded");
        }
        l.downgradeToUpgradable();
        upgraded = false;
    }

    /**
     * Returns whether the hold is exclusive (upgraded) rather than upgradable.
     *
     * @return {@code true} between a successful upgrade and the next downgrade or close
     */
    public boolean isUpgraded() {
        return upgraded && lock != null;
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
     * Releases the exclusive hold if upgraded, else the upgradable hold, unless already released through
     * this guard (then does nothing). Throws no checked exception.
     *
     * @throws IllegalMonitorStateException if the lock no longer has the hold (released directly behind this
     *                                      guard's back); the guard stays open then
     */
    @Override
    public void close() {
        RawRwLock l = lock;
        if (l != null) {
            if (upgraded) {
                l.unlockExclusive();
            } else {
                l.unlockUpgradable();
            }
            lock = null;
        }
    }

    /**
     * Returns a string naming the mode and the lock, and whether this guard still holds it.
     *
     * @return a description of this guard
     */
    @Override
    public String toString() {
        RawRwLock l = lock;
        return "UpgradableGuard[" + (l == null ? "released" : (upgraded ? "upgraded " : "upgradable ") + l) + "]";
    }

    /** The lock of an open guard that is not upgraded. */
    private RawRwLock upgradableLock() {
        RawRwLock l = lock;
        if (l == null || upgraded) {
            throw new IllegalStateException(l == null ? "guard is closed" : "guard is already upgraded");
        }
        return l;
    }
}
