package org.parkinglot.locks;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value computed on first use, once, by a supplier: the first {@link #get()} runs the supplier and
 * caches its result; concurrent callers wait for it (parked in the global
 * {@link org.parkinglot.core.ParkingLot}); later calls return the cached value. Built on the same
 * protocol as {@link Once} (after Rust's {@code LazyLock}), in one object of 24 bytes on a 64-bit JVM
 * with default flags, plus the value: the state word and one reference that holds the supplier, then
 * the value. The supplier is dropped when it has run, so it and what it captured can be collected.
 *
 * <pre>{@code
 * private static final Lazy<Config> CONFIG = Lazy.of(() -> Config.load(Path.of("app.conf")));
 *
 * Config config = CONFIG.get(); // loaded by the first caller, shared by all
 * }</pre>
 *
 * <h2>Poisoning</h2>
 * If the supplier throws, the exception propagates to the caller that ran it, and this lazy is
 * poisoned for good: threads that waited for that run and every later {@code get()} throw
 * {@link IllegalStateException} with the original exception as its cause. The supplier is not run
 * again (create a new {@code Lazy} to retry).
 *
 * <h2>Waiting</h2>
 * Uninterruptible, as {@link Once#call}: an interrupt does not end the wait and the interrupt status is
 * kept. A supplier that calls {@code get()} on its own lazy gets {@link IllegalStateException} instead
 * of waiting for itself forever.
 *
 * <h2>Memory synchronization</h2>
 * Everything the supplier did, and the value it returned, happen-before the return of every
 * {@code get()}: the value is safely published even if it has no final fields. A {@code get()} on an
 * initialized lazy costs one volatile read and one plain read. Like any object with mutable fields, the
 * {@code Lazy} itself must be safely published (stored in a final or volatile field, as usual) for
 * other threads to see its supplier.
 *
 * @param <T> the type of the value ({@code null} is a valid value)
 * @see Once
 */
public final class Lazy<T> extends AbstractOnce implements Supplier<T> {

    /*
     * Implementation notes.
     *
     * AbstractOnce's state word and protocol, with its slot reused for everything this class holds:
     * the supplier while NEW, the running thread while IN_PROGRESS, the value when DONE, the cause when
     * POISONED (so no field of its own: 24 bytes, as a Once). No forced retry: the supplier is gone
     * once it has run (successfully or not), so POISONED is terminal here. get()'s fast path is
     * AbstractOnce's done check (volatile read of the word == DONE) followed by a plain read of the slot,
     * ordered by it (AbstractOnce's notes, "Orderings").
     */

    private Lazy(Supplier<? extends T> supplier) {
        super(supplier);
    }

    /**
     * Creates a lazy value that {@code supplier} computes on the first {@link #get()}.
     *
     * @param supplier computes the value; called at most once
     * @param <T>      the type of the value
     * @return a new, uninitialized lazy value
     * @throws NullPointerException if {@code supplier} is null
     */
    public static <T> Lazy<T> of(Supplier<? extends T> supplier) {
        return new Lazy<>(Objects.requireNonNull(supplier, "supplier"));
    }

    /**
     * Returns the value, computing it first if no thread has: runs the supplier if this is the first
     * call, waits (uninterruptibly) if another thread is running it.
     *
     * @return the value (as the supplier returned it, possibly {@code null})
     * @throws IllegalStateException if the supplier threw on an earlier call (the cause is that
     *                               exception), or if called by the supplier itself (recursion)
     * @throws RuntimeException      or {@link Error}: whatever the supplier threw, if this call ran it
     */
    @Override
    @SuppressWarnings("unchecked")
    public T get() {
        if (state != DONE) {
            callSlow(null, false);
        }
        return (T) slot; // plain: after the volatile read that saw DONE, or written by this thread
    }

    /**
     * Whether the value has been computed: then {@link #get()} returns it at once.
     *
     * @return {@code true} if initialized
     */
    public boolean isInitialized() {
        return state == DONE;
    }

    /**
     * The current state, as {@link Once#state()}: {@code NEW}, {@code IN_PROGRESS}, {@code POISONED}
     * (for good) or {@code DONE}.
     *
     * @return what this lazy value is doing
     */
    public Once.State state() {
        return stateOf(state);
    }

    /**
     * Describes this lazy value without computing it: {@code Lazy[value]} with the value's
     * {@code toString()} if initialized, otherwise {@code Lazy[<not initialized>]},
     * {@code Lazy[<in progress>]} or {@code Lazy[<poisoned>]}.
     *
     * @return the description
     */
    @Override
    public String toString() {
        int s = state;
        if (s == DONE) {
            return "Lazy[" + slot + "]"; // plain read of the slot: after the volatile read of DONE
        }
        return switch (stateOf(s)) {
            case IN_PROGRESS -> "Lazy[<in progress>]";
            case POISONED -> "Lazy[<poisoned>]";
            default -> "Lazy[<not initialized>]";
        };
    }

    @Override
    Object perform(Object action, Object payload) {
        return ((Supplier<?>) payload).get();
    }
}
