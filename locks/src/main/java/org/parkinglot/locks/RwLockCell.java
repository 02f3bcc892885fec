/*
 * After lock_api's `RwLock<R, T>` (parking_lot `lock_api/src/rwlock.rs`): a read-write lock that owns its
 * data, with upgradable reads.
 */
package org.parkinglot.locks;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A value guarded by a {@link RawRwLock} that owns it, after Rust's {@code lock_api::RwLock<T>}: the value
 * is reachable only through callbacks, which run with the lock held: {@link #read} in the shared mode
 * (any number of readers at once), {@link #write} in the exclusive mode, {@link #upgradableRead} in the
 * upgradable mode (alongside readers, and able to upgrade to exclusive with no writer in between).
 * <pre>{@code
 * RwLockCell<Map<String, Integer>> scores = new RwLockCell<>(new HashMap<>());
 * Integer ada = scores.read(m -> m.get("ada"));
 * scores.writeDo(m -> m.merge("ada", 1, Integer::sum));
 * int added = scores.upgradableRead((m, upgrader) -> {
 *     if (m.containsKey("bob")) {
 *         return 0;                // decided under the upgradable lock: readers were not blocked
 *     }
 *     upgrader.upgrade();          // now exclusive: no writer came in since the check
 *     m.put("bob", 0);
 *     return 1;
 * });
 * }</pre>
 * The lock is task-fair ({@link RawRwLock}); with {@code new RwLockCell<>(value, true)} every unlock is fair
 * too (hands the lock to the threads it wakes). It is not reentrant: a callback must not use the same cell
 * again (a read inside a read can wait forever behind a queued writer). An exception thrown by a callback
 * releases the lock and propagates; what the callback changed stays changed.
 *
 * <h2>What the type guarantees, and what it cannot</h2>
 * The value is handed out only to callbacks, in the mode they are documented with, and the upgrade handle
 * works only inside the callback it was given to: from any other thread, or after the callback returned,
 * its methods throw {@link IllegalStateException}. Java cannot stop a callback from storing the value it
 * is given, or from mutating it in a {@link #read} callback; the lock orders only what the callbacks do.
 * Immutable values are immune: replace them with {@link #update} or {@link Upgrader#set}.
 *
 * <h2>Allocation</h2>
 * Nothing per call, except the upgrade handle, allocated once per cell by the first
 * {@link #upgradableRead} and reused (only one thread at a time holds the upgradable lock). A capturing
 * lambda is an object per evaluation: the {@code (argument, BiFunction)} forms avoid the capture. 48 bytes
 * per cell with compressed references (this object and its 16-byte lock), 24 more once upgradable reads
 * have run.
 *
 * <h2>Memory synchronization</h2>
 * As {@link RawRwLock}: a write callback (or an upgraded part of an upgradable read) happens-before every
 * later callback; a read callback happens-before the next write callback.
 *
 * @param <T> the type of the value
 */
public final class RwLockCell<T> {

    /*
     * Implementation notes. `value` is written only with the exclusive lock held and read with any hold,
     * so RawRwLock's release/acquire edges order every access; plain field. `upgrader` is created by the
     * first holder of the upgradable lock and read only by later holders, whose acquisition
     * synchronizes-with the previous upgradable (or exclusive) unlock; plain field. Upgrader.holder is the
     * thread inside an upgradableRead callback (null between callbacks); only that thread writes it, so a
     * racy read by any other thread never sees its own Thread there: that is what makes the misuse checks
     * sound without synchronization. holder and upgraded are reset before the unlock that ends the
     * callback, so the next holder finds them clean.
     */

    /** The lock guarding {@link #value}; never exposed. */
    private final RawRwLock lock;
    /** Whether unlocks are fair. */
    private final boolean fair;
    /** The value; written only with the exclusive lock held, read with any hold. */
    private T value;
    /** The upgrade handle, created lazily under the upgradable lock; see the implementation notes. */
    private Upgrader<T> upgrader;

    /**
     * Creates a cell holding {@code initialValue} (which may be null), with normal (eventually fair) unlocks.
     *
     * @param initialValue the value
     */
    public RwLockCell(T initialValue) {
        this(initialValue, false);
    }

    /**
     * Creates a cell holding {@code initialValue} (which may be null).
     *
     * @param initialValue the value
     * @param fair         whether every unlock hands the lock directly to the threads it wakes
     */
    public RwLockCell(T initialValue, boolean fair) {
        this.lock = new RawRwLock();
        this.fair = fair;
        this.value = initialValue;
    }

    // ---------------------------------------------------------------------------------------------
    // read

    /**
     * Takes a shared lock (waiting as {@link RawRwLock#lockShared()}, ignoring interrupts), applies
     * {@code action} to the value, unlocks, and returns the result. Other readers may run at the same time.
     *
     * @param action what to do with the value, without changing it; must not use this cell
     * @param <R>    the type of the result
     * @return what {@code action} returned
     * @throws NullPointerException if {@code action} is null
     */
    public <R> R read(Function<? super T, ? extends R> action) {
        Objects.requireNonNull(action, "action");
        lock.lockShared();
        try {
            return action.apply(value);
        } finally {
            unlockShared();
        }
    }

    /**
     * As {@link #read(Function)}, passing {@code argument} to {@code action} too (no capturing lambda).
     *
     * @param argument the second argument of {@code action}
     * @param action   what to do with the value and the argument, without changing the value
     * @param <A>      the type of the argument
     * @param <R>      the type of the result
     * @return what {@code action} returned
     * @throws NullPointerException if {@code action} is null
     */
    public <A, R> R read(A argument, BiFunction<? super T, ? super A, ? extends R> action) {
        Objects.requireNonNull(action, "action");
        lock.lockShared();
        try {
            return action.apply(value, argument);
        } finally {
            unlockShared();
        }
    }

    /**
     * Applies {@code action} to the value under a shared lock if one is available at the time of the call
     * (no writer holds or waits for the lock), else does nothing.
     *
     * @param action what to do with the value, without changing it; must not use this cell
     * @param <R>    the type of the result
     * @return what {@code action} returned, or empty if the lock was not available (or {@code action}
     *         returned {@code null})
     * @throws NullPointerException if {@code action} is null
     */
    public <R> Optional<R> tryRead(Function<? super T, ? extends R> action) {
        Objects.requireNonNull(action, "action");
        if (!lock.tryLockShared()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(action.apply(value));
        } finally {
            unlockShared();
        }
    }

    /**
     * Applies {@code action} to the value under a shared lock if one becomes available within the waiting
     * time, else does nothing.
     *
     * @param time   the most to wait
     * @param unit   the unit of {@code time}
     * @param action what to do with the value, without changing it; must not use this cell
     * @param <R>    the type of the result
     * @return what {@code action} returned, or empty if the time elapsed first (or {@code action} returned
     *         {@code null})
     * @throws InterruptedException if interrupted on entry or while waiting ({@code action} did not run);
     *                              the status is cleared
     * @throws NullPointerException if {@code unit} or {@code action} is null
     */
    public <R> Optional<R> tryRead(long time, TimeUnit unit, Function<? super T, ? extends R> action)
            throws InterruptedException {
        Objects.requireNonNull(action, "action");
        if (!lock.tryLockShared(time, unit)) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(action.apply(value));
        } finally {
            unlockShared();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // write

    /**
     * Takes the exclusive lock (waiting as {@link RawRwLock#lockExclusive()}, ignoring interrupts), applies
     * {@code action} to the value, unlocks, and returns the result.
     *
     * @param action what to do with the value (it may change it); must not use this cell
     * @param <R>    the type of the result
     * @return what {@code action} returned
     * @throws NullPointerException if {@code action} is null
     */
    public <R> R write(Function<? super T, ? extends R> action) {
        Objects.requireNonNull(action, "action");
        lock.lockExclusive();
        try {
            return action.apply(value);
        } finally {
            unlockExclusive();
        }
    }

    /**
     * As {@link #write(Function)}, passing {@code argument} to {@code action} too (no capturing lambda).
     *
     * @param argument the second argument of {@code action}
     * @param action   what to do with the value and the argument; must not use this cell
     * @param <A>      the type of the argument
     * @param <R>      the type of the result
     * @return what {@code action} returned
     * @throws NullPointerException if {@code action} is null
     */
    public <A, R> R write(A argument, BiFunction<? super T, ? super A, ? extends R> action) {
        Objects.requireNonNull(action, "action");
        lock.lockExclusive();
        try {
            return action.apply(value, argument);
        } finally {
            unlockExclusive();
        }
    }

    /**
     * Takes the exclusive lock, passes the value to {@code action}, and unlocks: {@link #write(Function)}
     * for an action with no result.
     *
     * @param action what to do with the value; must not use this cell
     * @throws NullPointerException if {@code action} is null
     */
    public void writeDo(Consumer<? super T> action) {
        Objects.requireNonNull(action, "action");
        lock.lockExclusive();
        try {
            action.accept(value);
        } finally {
            unlockExclusive();
        }
    }

    /**
     * Applies {@code action} to the value under the exclusive lock if no thread holds the lock at the time
     * of the call, else does nothing.
     *
     * @param action what to do with the value; must not use this cell
     * @param <R>    the type of the result
     * @return what {@code action} returned, or empty if the lock was held (or {@code action} returned
     *         {@code null})
     * @throws NullPointerException if {@code action} is null
     */
    public <R> Optional<R> tryWrite(Function<? super T, ? extends R> action) {
        Objects.requireNonNull(action, "action");
        if (!lock.tryLockExclusive()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(action.apply(value));
        } finally {
            unlockExclusive();
        }
    }

    /**
     * Applies {@code action} to the value under the exclusive lock if it becomes available within the
     * waiting time, else does nothing.
     *
     * @param time   the most to wait
     * @param unit   the unit of {@code time}
     * @param action what to do with the value; must not use this cell
     * @param <R>    the type of the result
     * @return what {@code action} returned, or empty if the time elapsed first (or {@code action} returned
     *         {@code null})
     * @throws InterruptedException if interrupted on entry or while waiting ({@code action} did not run);
     *                              the status is cleared
     * @throws NullPointerException if {@code unit} or {@code action} is null
     */
    public <R> Optional<R> tryWrite(long time, TimeUnit unit, Function<? super T, ? extends R> action)
            throws InterruptedException {
        Objects.requireNonNull(action, "action");
        if (!lock.tryLockExclusive(time, unit)) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(action.apply(value));
        } finally {
            unlockExclusive();
        }
    }

    /**
     * Replaces the value with {@code updater}'s result under the exclusive lock, and returns the new value.
     *
     * @param updater computes the new value from the old one; must not use this cell
     * @return the new value
     * @throws NullPointerException if {@code updater} is null
     */
    public T update(UnaryOperator<T> updater) {
        Objects.requireNonNull(updater, "updater");
        lock.lockExclusive();
        try {
            T next = updater.apply(value);
            value = next;
            return next;
        } finally {
            unlockExclusive();
        }
    }

    /**
     * Replaces the value with {@code newValue} (which may be null) under the exclusive lock, and returns
     * the old value, which the cell no longer guards.
     *
     * @param newValue the new value
     * @return the previous value
     */
    public T replace(T newValue) {
        lock.lockExclusive();
        try {
            T old = value;
            value = newValue;
            return old;
        } finally {
            unlockExclusive();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // upgradable read

    /**
     * Takes the upgradable lock (waiting while a writer or another upgradable reader holds the lock;
     * plain readers keep running), applies {@code action} to the value and to this cell's upgrade handle,
     * releases the lock (exclusive if {@code action} upgraded, else upgradable), and returns the result.
     * The action reads the value, decides, and if it must change the value calls
     * {@link Upgrader#upgrade()} first: no writer can come in between the reading and the change. After an
     * upgrade the action may change the value in place or replace it with {@link Upgrader#set}.
     *
     * @param action what to do with the value, given the upgrade handle; must not use this cell
     * @param <R>    the type of the result
     * @return what {@code action} returned
     * @throws IllegalStateException if called from inside an upgradable-read callback of this cell (it
     *                               would wait for itself)
     * @throws NullPointerException if {@code action} is null
     */
    public <R> R upgradableRead(BiFunction<? super T, ? super Upgrader<T>, ? extends R> action) {
        Objects.requireNonNull(action, "action");
        Upgrader<T> u = upgrader; // racy: only a check; see the implementation notes
        if (u != null && u.holder == Thread.currentThread()) {
            throw new IllegalStateException("upgradableRead called from inside its own callback");
        }
        lock.lockUpgradable();
        u = upgrader; // under the upgradable lock now
        if (u == null) {
            try {
                upgrader = u = new Upgrader<>(this);
            } catch (Throwable e) { // OutOfMemoryError: give the lock back
                unlockUpgradable();
                throw e;
            }
        }
        u.holder = Thread.currentThread();
        try {
            return action.apply(value, u);
        } finally {
            boolean exclusive = u.upgraded;
            u.upgraded = false;
            u.holder = null;
            if (exclusive) {
                unlockExclusive();
            } else {
                unlockUpgradable();
            }
        }
    }

    /**
     * The upgrade handle of an {@link #upgradableRead} callback: upgrades the callback's upgradable lock to
     * exclusive (and back), and replaces the value once upgraded. Usable only by the thread running the
     * callback it was given to, and only until that callback returns; otherwise every method throws
     * {@link IllegalStateException}.
     *
     * @param <T> the type of the cell's value
     */
    public static final class Upgrader<T> {
        private final RwLockCell<T> cell;
        /** The thread inside the upgradable-read callback, else null; written only by that thread. */
        Thread holder;
        /** Whether the callback's hold is exclusive; written only by the holder. */
        boolean upgraded;

        Upgrader(RwLockCell<T> cell) {
            this.cell = cell;
        }

        /**
         * Upgrades to the exclusive lock, waiting for the other readers to leave; no writer can come in
         * between. Does nothing if already upgraded. Interrupts do not end the wait.
         *
         * @throws IllegalStateException if not called from inside this handle's callback
         */
        public void upgrade() {
            checkHolder();
            if (!upgraded) {
                cell.lock.upgrade();
                upgraded = true;
            }
        }

        /**
         * Upgrades to the exclusive lock if no other reader holds the lock at the time of the call.
         *
         * @return {@code true} if upgraded (or already upgraded), {@code false} if still upgradable
         * @throws IllegalStateException if not called from inside this handle's callback
         */
        public boolean tryUpgrade() {
            checkHolder();
            if (!upgraded) {
                upgraded = cell.lock.tryUpgrade();
            }
            return upgraded;
        }

        /**
         * Upgrades to the exclusive lock if the other readers leave within the waiting time.
         *
         * @param time the most to wait
         * @param unit the unit of {@code time}
         * @return {@code true} if upgraded (or already upgraded), {@code false} if the time elapsed first
         * @throws InterruptedException if interrupted on entry or while waiting (the upgradable lock is still
         *                              held); the status is cleared
         * @throws IllegalStateException if not called from inside this handle's callback
         * @throws NullPointerException if {@code unit} is null
         */
        public boolean tryUpgrade(long time, TimeUnit unit) throws InterruptedException {
            checkHolder();
            if (!upgraded) {
                upgraded = cell.lock.tryUpgrade(time, unit);
            }
            return upgraded;
        }

        /**
         * Turns the exclusive lock back into the upgradable lock, letting readers in again. Does nothing if
         * not upgraded.
         *
         * @throws IllegalStateException if not called from inside this handle's callback
         */
        public void downgrade() {
            checkHolder();
            if (upgraded) {
                cell.lock.downgradeToUpgradable();
                upgraded = false;
            }
        }

        /**
         * Returns whether the callback holds the exclusive lock now.
         *
         * @return {@code true} if upgraded
         * @throws IllegalStateException if not called from inside this handle's callback
         */
        public boolean isUpgraded() {
            checkHolder();
            return upgraded;
        }

        /**
         * Replaces the cell's value; allowed only after an upgrade. The callback's own argument still refers
         * to the old value.
         *
         * @param newValue the new value (may be null)
         * @return the previous value
         * @throws IllegalStateException if not called from inside this handle's callback, or not upgraded
         */
        public T set(T newValue) {
            checkHolder();
            if (!upgraded) {
                throw new IllegalStateException("set needs the exclusive lock: upgrade first");
            }
            T old = cell.value;
            cell.value = newValue;
            return old;
        }

        private void checkHolder() {
            if (holder != Thread.currentThread()) {
                throw new IllegalStateException("upgrade handle used outside its upgradableRead callback");
            }
        }

        /**
         * Returns a string naming the handle's state as seen by the calling thread.
         *
         * @return a description of this handle
         */
        @Override
        public String toString() {
            return "Upgrader[" + (holder != Thread.currentThread() ? "inactive" : upgraded ? "exclusive" : "upgradable")
                    + "]";
        }
    }

    // ---------------------------------------------------------------------------------------------
    // queries

    /**
     * Returns whether the lock is held in any mode: a snapshot, for monitoring.
     *
     * @return {@code true} if locked
     */
    public boolean isLocked() {
        return lock.isLocked();
    }

    /**
     * Returns whether unlocks are fair.
     *
     * @return {@code true} if created fair
     */
    public boolean isFair() {
        return fair;
    }

    /**
     * Returns a string identifying this cell and its lock state, in the form of {@link RawRwLock#toString()}
     * without the lock's identity; it does not show the value.
     *
     * @return the class and identity followed by the lock's state
     */
    @Override
    public String toString() {
        String s = lock.toString();
        return super.toString() + s.substring(s.indexOf('['));
    }

    /** Test hook: the lock (its acquire queue's key is (lock, 0)). */
    RawRwLock lockForTest() {
        return lock;
    }

    private void unlockShared() {
        lock.unlockShared(); // shared unlocks are fair already (RawRwLock.unlockSharedFair)
    }

    private void unlockExclusive() {
        if (fair) {
            lock.unlockExclusiveFair();
        } else {
            lock.unlockExclusive();
        }
    }

    private void unlockUpgradable() {
        if (fair) {
            lock.unlockUpgradableFair();
        } else {
            lock.unlockUpgradable();
        }
    }
}
