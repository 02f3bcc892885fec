/*
 * After lock_api's `Mutex<R, T>` (parking_lot `lock_api/src/mutex.rs`): a mutex that owns its data.
 */
package org.parkinglot.locks;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.parkinglot.core.internal.Timeouts;

/**
 * A value guarded by a mutex that owns it, after Rust's {@code lock_api::Mutex<T>}: the value is reachable
 * only through callbacks that run with the mutex held, so no code path reads or writes it unlocked.
 * <pre>{@code
 * MutexCell<List<String>> names = new MutexCell<>(new ArrayList<>());
 * names.withLockDo(list -> list.add("ada"));
 * int count = names.withLock(List::size);
 * }</pre>
 * The mutex is a {@link RawMutex}, or a {@link RawFairMutex} with {@code new MutexCell<>(value, true)}; it is
 * not reentrant, so a callback must not use the same cell again (it would wait for itself forever, as with
 * Rust's {@code Mutex}). An exception thrown by a callback releases the mutex and propagates; whatever the
 * callback changed in the value before throwing stays changed (there is no poisoning).
 *
 * <h2>What the type guarantees, and what it cannot</h2>
 * This class never hands out its value outside a callback (except {@link #replace} and {@link #update},
 * which hand back values that are no longer in the cell), and every callback runs between a lock and an
 * unlock. Java cannot stop a callback from storing the reference it is given, or returning it, and using
 * it later without the lock; Rust's borrow checker forbids exactly that, Java's type system cannot. Keep
 * mutable values inside their callbacks: return copies or derived values, not the value itself. For an
 * immutable value (a record, a {@code String}, a boxed number) that is moot: {@link #update} swaps it under
 * the lock and sharing the old one is harmless.
 *
 * <h2>Waiting for the value to change</h2>
 * {@link #awaitWhile(Condvar, Predicate, Function)} waits with a {@link Condvar} until a predicate of the
 * value turns false, then runs an action, all with the mutex held in between waits (a guarded block):
 * <pre>{@code
 * MutexCell<Deque<Job>> queue = new MutexCell<>(new ArrayDeque<>());
 * Condvar nonEmpty = new Condvar();
 * // consumer
 * Job job = queue.awaitWhile(nonEmpty, Deque::isEmpty, Deque::poll);
 * // producer
 * queue.withLockDo(q -> q.add(job));
 * nonEmpty.notifyOne();
 * }</pre>
 *
 * <h2>Allocation</h2>
 * The cell allocates nothing per call. A lambda that captures variables is a new object per evaluation
 * (unless the JIT's escape analysis removes it); {@link #withLock(Object, BiFunction)} takes that variable
 * as an argument instead, so its lambda captures nothing and is a constant. 40 bytes per cell with
 * compressed references (this object and its 16-byte mutex).
 *
 * <h2>Memory synchronization</h2>
 * As the mutex's: everything a callback did happens-before every later callback of the same cell.
 *
 * @param <T> the type of the value
 */
public final class MutexCell<T> {

    /*
     * Implementation notes. `value` is read and written only with `mutex` held (in callbacks and in
     * replace/update), so the mutex's unlock-to-lock happens-before edge orders every access; plain field.
     * Each method is lock; try { ... } finally { unlock } with the user code inside the try, so a throwing
     * callback cannot leave the mutex held. No lambdas here: the waits loop on Condvar's own methods.
     */

    /** The mutex guarding {@link #value}; never exposed, so only this class can unlock it. */
    private final RawMutexBase mutex;
    /** The value; accessed only with {@link #mutex} held. */
    private T value;

    /**
     * Creates a cell holding {@code initialValue} (which may be null), guarded by a {@link RawMutex}.
     *
     * @param initialValue the value
     */
    public MutexCell(T initialValue) {
        this(initialValue, false);
    }

    /**
     * Creates a cell holding {@code initialValue} (which may be null), guarded by a {@link RawFairMutex} if
     * {@code fair}, else by a {@link RawMutex}.
     *
     * @param initialValue the value
     * @param fair         whether every unlock hands the mutex to the longest-waiting thread
     */
    public MutexCell(T initialValue, boolean fair) {
        this.mutex = fair ? new RawFairMutex() : new RawMutex();
        this.value = initialValue;
    }

    /**
     * Locks the mutex (waiting as {@link RawMutex#lock()} does, ignoring interrupts), applies
     * {@code action} to the value, unlocks, and returns the result.
     *
     * @param action what to do with the value; must not use this cell
     * @param <R>    the type of the result
     * @return what {@code action} returned
     * @throws NullPointerException if {@code action} is null
     */
    public <R> R withLock(Function<? super T, ? extends R> action) {
        Objects.requireNonNull(action, "action");
        mutex.lock();
        try {
            return action.apply(value);
        } finally {
            mutex.unlock();
        }
    }

    /**
     * As {@link #withLock(Function)}, passing {@code argument} to {@code action} too, so that the action
     * need not capture it (a non-capturing lambda is allocated once, not per call).
     *
     * @param argument the second argument of {@code action}
     * @param action   what to do with the value and the argument; must not use this cell
     * @param <A>      the type of the argument
     * @param <R>      the type of the result
     * @return what {@code action} returned
     * @throws NullPointerException if {@code action} is null
     */
    public <A, R> R withLock(A argument, BiFunction<? super T, ? super A, ? extends R> action) {
        Objects.requireNonNull(action, "action");
        mutex.lock();
        try {
            return action.apply(value, argument);
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Locks the mutex, passes the value to {@code action}, and unlocks: {@link #withLock(Function)} for an
     * action with no result.
     *
     * @param action what to do with the value; must not use this cell
     * @throws NullPointerException if {@code action} is null
     */
    public void withLockDo(Consumer<? super T> action) {
        Objects.requireNonNull(action, "action");
        mutex.lock();
        try {
            action.accept(value);
        } finally {
            mutex.unlock();
        }
    }

    /**
     * As {@link #withLock(Function)}, but the wait for the mutex ends if the current thread is interrupted.
     *
     * @param action what to do with the value; must not use this cell
     * @param <R>    the type of the result
     * @return what {@code action} returned
     * @throws InterruptedException if the current thread is interrupted on entry or while waiting for the
     *                              mutex ({@code action} did not run); its interrupt status is cleared
     * @throws NullPointerException if {@code action} is null
     */
    public <R> R withLockInterruptibly(Function<? super T, ? extends R> action) throws InterruptedException {
        Objects.requireNonNull(action, "action");
        mutex.lockInterruptibly();
        try {
            return action.apply(value);
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Applies {@code action} to the value if the mutex is free at the time of the call (barging, as
     * {@link RawMutex#tryLock()}), else does nothing.
     *
     * @param action what to do with the value; must not use this cell
     * @param <R>    the type of the result
     * @return what {@code action} returned, or empty if the mutex was held (or {@code action} returned
     *         {@code null}: use {@link #withLockDo}-style side effects if that must be told apart)
     * @throws NullPointerException if {@code action} is null
     */
    public <R> Optional<R> tryWithLock(Function<? super T, ? extends R> action) {
        Objects.requireNonNull(action, "action");
        if (!mutex.tryLock()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(action.apply(value));
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Applies {@code action} to the value if the mutex becomes free within the waiting time (as
     * {@link RawMutex#tryLock(long, TimeUnit)}), else does nothing.
     *
     * @param time   the most to wait
     * @param unit   the unit of {@code time}
     * @param action what to do with the value; must not use this cell
     * @param <R>    the type of the result
     * @return what {@code action} returned, or empty if the time elapsed first (or {@code action} returned
     *         {@code null})
     * @throws InterruptedException if the current thread is interrupted on entry or while waiting ({@code action}
     *                              did not run); its interrupt status is cleared
     * @throws NullPointerException if {@code unit} or {@code action} is null
     */
    public <R> Optional<R> tryWithLock(long time, TimeUnit unit, Function<? super T, ? extends R> action)
            throws InterruptedException {
        Objects.requireNonNull(action, "action");
        if (!mutex.tryLock(time, unit)) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(action.apply(value));
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Replaces the value with {@code updater}'s result, under the mutex, and returns the new value.
     *
     * @param updater computes the new value from the old one; must not use this cell
     * @return the new value
     * @throws NullPointerException if {@code updater} is null
     */
    public T update(UnaryOperator<T> updater) {
        Objects.requireNonNull(updater, "updater");
        mutex.lock();
        try {
            T next = updater.apply(value);
            value = next;
            return next;
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Replaces the value with {@code newValue} (which may be null), under the mutex, and returns the old
     * value, which the cell no longer guards.
     *
     * @param newValue the new value
     * @return the previous value
     */
    public T replace(T newValue) {
        mutex.lock();
        try {
            T old = value;
            value = newValue;
            return old;
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Locks the mutex, waits on {@code condvar} while {@code waitWhile} holds for the value, then applies
     * {@code action} to the value and unlocks (after lock_api's {@code Condvar::wait_while}). Each wait
     * releases the mutex, so other threads can change the value and then notify {@code condvar}; on every
     * wake-up {@code waitWhile} is evaluated again, with the mutex held. Returns without waiting if
     * {@code waitWhile} is false at once.
     *
     * @param condvar   the condition variable that threads changing the value notify
     * @param waitWhile what keeps the thread waiting; must not use this cell
     * @param action    what to do with the value once {@code waitWhile} is false; must not use this cell
     * @param <R>       the type of the result
     * @return what {@code action} returned
     * @throws InterruptedException if the current thread is interrupted on entry, while waiting for the
     *                              mutex, or while waiting on {@code condvar} ({@code action} did not run;
     *                              the mutex is released); its interrupt status is cleared
     * @throws IllegalStateException if other threads wait on {@code condvar} with a different mutex
     * @throws NullPointerException if an argument is null
     */
    public <R> R awaitWhile(Condvar condvar, Predicate<? super T> waitWhile, Function<? super T, ? extends R> action)
            throws InterruptedException {
        checkWaitArguments(condvar, waitWhile, action);
        mutex.lockInterruptibly();
        try {
            while (waitWhile.test(value)) {
                condvar.await(mutex);
            }
            return action.apply(value);
        } finally {
            mutex.unlock();
        }
    }

    /**
     * As {@link #awaitWhile(Condvar, Predicate, Function)}, but gives up once the waiting time has elapsed
     * in all (waiting for the mutex included): then {@code action} does not run. A zero or negative time
     * tests {@code waitWhile} once (if the mutex is free); {@code Long.MAX_VALUE} nanoseconds or more waits
     * forever.
     *
     * @param condvar   the condition variable that threads changing the value notify
     * @param waitWhile what keeps the thread waiting; must not use this cell
     * @param time      the most to wait
     * @param unit      the unit of {@code time}
     * @param action    what to do with the value once {@code waitWhile} is false; must not use this cell
     * @param <R>       the type of the result
     * @return what {@code action} returned, or empty if the time elapsed first (or {@code action} returned
     *         {@code null})
     * @throws InterruptedException as {@link #awaitWhile(Condvar, Predicate, Function)}
     * @throws IllegalStateException if other threads wait on {@code condvar} with a different mutex
     * @throws NullPointerException if an argument is null
     */
    public <R> Optional<R> awaitWhile(Condvar condvar, Predicate<? super T> waitWhile, long time, TimeUnit unit,
                                      Function<? super T, ? extends R> action) throws InterruptedException {
        long nanos = Timeouts.toNanos(time, unit);
        checkWaitArguments(condvar, waitWhile, action);
        long deadline = Timeouts.deadline(nanos);
        if (!mutex.tryLock(nanos, TimeUnit.NANOSECONDS)) {
            return Optional.empty();
        }
        try {
            while (waitWhile.test(value)) {
                long remaining = Timeouts.remaining(deadline);
                if (remaining <= 0L) {
                    return Optional.empty();
                }
                condvar.awaitNanos(mutex, remaining);
            }
            return Optional.ofNullable(action.apply(value));
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Returns whether some thread holds the cell's mutex: a snapshot, for monitoring.
     *
     * @return {@code true} if a callback of this cell is running (or a wait is between its steps)
     */
    public boolean isLocked() {
        return mutex.isLocked();
    }

    /**
     * Returns whether the cell's mutex is fair ({@link RawFairMutex}).
     *
     * @return {@code true} if created fair
     */
    public boolean isFair() {
        return mutex instanceof RawFairMutex;
    }

    /**
     * Returns a string identifying this cell and whether it is locked; it does not show the value, which
     * can only be read with the mutex held.
     *
     * @return the class and identity, followed by {@code [Locked]} or {@code [Unlocked]}
     */
    @Override
    public String toString() {
        return super.toString() + (mutex.isLocked() ? "[Locked]" : "[Unlocked]");
    }

    /** Test hook: the mutex (its parking-lot key is (mutex, 0)). */
    RawMutexBase mutexForTest() {
        return mutex;
    }

    private static void checkWaitArguments(Condvar condvar, Predicate<?> waitWhile, Function<?, ?> action) {
        Objects.requireNonNull(condvar, "condvar");
        Objects.requireNonNull(waitWhile, "waitWhile");
        Objects.requireNonNull(action, "action");
    }
}
