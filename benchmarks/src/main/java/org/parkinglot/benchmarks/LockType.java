package org.parkinglot.benchmarks;

import com.google.common.util.concurrent.Striped;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Supplier;
import org.parkinglot.benchmarks.strawman.BargingMutex;
import org.parkinglot.benchmarks.strawman.FloorLock;
import org.parkinglot.benchmarks.strawman.SpinLock;
import org.parkinglot.benchmarks.strawman.UnparkAllLock;
import org.parkinglot.locks.FieldMutex;
import org.parkinglot.locks.RawFairMutex;
import org.parkinglot.locks.RawMutex;
import org.parkinglot.locks.RawRwLock;
import org.parkinglot.locks.ReentrantMutex;
import org.parkinglot.locks.ReentrantRwLock;
import org.parkinglot.locks.StripedMutex;

/**
 * The one registry of lock competitors, for the JMH suite and for {@code lockbench} (in the manner of
 * Caffeine's {@code CacheType}): this project's locks, the JDK's, Guava's {@link Striped}, and the straw
 * men of {@link org.parkinglot.benchmarks.strawman}. Each constant has the name {@code lockbench} prints,
 * a {@link Kind}, one line of description, and a factory for a fresh, unlocked lock.
 *
 * <p>Each harness adapts the lock object to its own shape: {@link LockedCounter#of}, {@link LockedPair#of}
 * and {@link Handshake#of} for the JMH benchmarks (one final class per lock, so that a JIT-compiled call
 * site sees one concrete lock class), {@code lockbench.Competitors} for {@code lockbench}. A JMH benchmark
 * takes a constant as its {@code type} {@code @Param}; its {@code @Param} list names the constants it
 * supports, and an adapter refuses the others.
 *
 * <p><b>Adding a lock:</b> add a constant here (a {@code java.util.concurrent.locks.Lock} or
 * {@code ReadWriteLock} needs nothing else for {@code lockbench}), and a case to the JMH adapters that
 * should run it.
 */
public enum LockType {

    /** {@link RawMutex}: not reentrant, unfair with eventual fairness. */
    RAW_MUTEX("RawMutex", Kind.MUTEX, "this project: one int, eventually fair (fair unlock about every 0.5 ms)",
            RawMutex::new),
    /** {@link RawFairMutex}: every unlock with a waiter hands the lock over. */
    RAW_FAIR_MUTEX("RawFairMutex", Kind.MUTEX, "this project: every unlock hands the lock to the next waiter",
            RawFairMutex::new),
    /** {@code new ReentrantMutex()}: the drop-in for {@code ReentrantLock}, eventually fair. */
    REENTRANT_MUTEX("ReentrantMutex", Kind.MUTEX, "this project: drop-in for ReentrantLock, unfair",
            ReentrantMutex::new),
    /** {@code new ReentrantMutex(true)}: fair, waiters acquire in arrival order. */
    REENTRANT_MUTEX_FAIR("ReentrantMutex-fair", Kind.MUTEX, "this project: drop-in for ReentrantLock, fair",
            () -> new ReentrantMutex(true)),
    /** {@link FieldMutex} in bits 13..15 of a {@code volatile int} field of the lock object itself (16 bytes). */
    FIELD_MUTEX("FieldMutex", Kind.MUTEX, "this project: 3 bits of the user's own int field, RawMutex's protocol",
            FieldMutexLocks.IntFieldLock::new),
    /** {@link FieldMutex} in bits 40..42 of a {@code volatile long} field of the lock object itself. */
    FIELD_MUTEX_LONG("FieldMutex-long", Kind.MUTEX, "this project: 3 bits of the user's own long field",
            FieldMutexLocks.LongFieldLock::new),
    /** {@code new ReentrantLock()}: the JDK's AQS lock, unfair; {@code lockbench}'s mutex baseline. */
    REENTRANT_LOCK("ReentrantLock", Kind.MUTEX, "JDK ReentrantLock, unfair (the baseline of the ratio column)",
            ReentrantLock::new),
    /** {@code new ReentrantLock(true)}: the JDK's AQS lock, fair. */
    REENTRANT_LOCK_FAIR("ReentrantLock-fair", Kind.MUTEX, "JDK ReentrantLock, fair", () -> new ReentrantLock(true)),
    /** A {@code synchronized} block on a plain {@code Object}: the JVM's monitor. */
    SYNCHRONIZED("synchronized", Kind.MUTEX, "JDK monitor: synchronized on a plain Object", Object::new),
    /** {@link RawRwLock}: task-fair, eventually fair, not reentrant; as a mutex, its exclusive mode. */
    RAW_RW_LOCK("RawRwLock", Kind.RWLOCK, "this project: one int, task-fair, upgradable reads", RawRwLock::new),
    /** {@code new ReentrantReadWriteLock()}, unfair; {@code lockbench}'s rwlock baseline; as a mutex, its write lock. */
    REENTRANT_RW_LOCK("ReentrantReadWriteLock", Kind.RWLOCK,
            "JDK ReentrantReadWriteLock, unfair (the baseline of the rwlock ratio column)", ReentrantReadWriteLock::new),
    /** {@code new ReentrantReadWriteLock(true)}, fair. */
    REENTRANT_RW_LOCK_FAIR("ReentrantReadWriteLock-fair", Kind.RWLOCK, "JDK ReentrantReadWriteLock, fair",
            () -> new ReentrantReadWriteLock(true)),
    /** {@code new ReentrantRwLock()}: this project's drop-in for {@code ReentrantReadWriteLock}, unfair. */
    PL_REENTRANT_RW_LOCK("ReentrantRwLock", Kind.RWLOCK, "this project: drop-in for ReentrantReadWriteLock, unfair",
            ReentrantRwLock::new),
    /** {@code new ReentrantRwLock(true)}: fair, every write unlock hands the lock to the queue. */
    PL_REENTRANT_RW_LOCK_FAIR("ReentrantRwLock-fair", Kind.RWLOCK,
            "this project: drop-in for ReentrantReadWriteLock, fair", () -> new ReentrantRwLock(true)),
    /**
     * {@link StampedLock}, pessimistic modes only: {@code writeLock()}/{@code unlockWrite(stamp)} (also as a
     * mutex) and {@code readLock()}/{@code unlockRead(stamp)}; no optimistic reads.
     */
    STAMPED_LOCK("StampedLock", Kind.RWLOCK, "JDK StampedLock, writeLock() and readLock() (not optimistic reads)",
            StampedLock::new),
    /** Guava {@code Striped.lock(16)}, looked up by key on every acquisition, one key for all threads. */
    STRIPED("Striped", Kind.MUTEX, "Guava Striped.lock(" + LockType.STRIPES + ").get(key), one key for all threads",
            () -> Striped.lock(LockType.STRIPES)),
    /** {@code new StripedMutex(16)}: this project's compact {@code Striped}, looked up by key on every acquisition. */
    STRIPED_MUTEX("StripedMutex", Kind.MUTEX,
            "this project: StripedMutex(" + LockType.STRIPES + ").get(key), a byte per stripe, one key for all threads",
            () -> new StripedMutex(LockType.STRIPES)),
    /** {@code new StripedMutex(16, true)}: every unlock of a stripe hands it to the next waiter. */
    STRIPED_MUTEX_FAIR("StripedMutex-fair", Kind.MUTEX,
            "this project: StripedMutex(" + LockType.STRIPES + ", fair).get(key), one key for all threads",
            () -> new StripedMutex(LockType.STRIPES, true)),
    /** {@link FloorLock}: CAS to lock, CAS to unlock, spins; the least a parking lock pays uncontended. */
    FLOOR("Floor", Kind.STRAW_MAN, "straw man: CAS + CAS spin lock, the floor of any parking lock", FloorLock::new),
    /** {@link SpinLock}: CAS, then {@code onSpinWait}, then {@code yield}; never parks. */
    SPIN_LOCK("SpinLock", Kind.STRAW_MAN, "straw man: CAS + onSpinWait/yield, never parks", SpinLock::new),
    /** {@link UnparkAllLock}: parks in the parking lot, and an unlock wakes every waiter. */
    UNPARK_ALL_LOCK("UnparkAllLock", Kind.STRAW_MAN, "straw man: parks in the parking lot, unlock wakes every waiter",
            UnparkAllLock::new),
    /** {@link BargingMutex}: {@code RawMutex}'s protocol with the fair hand-off removed. */
    BARGING_MUTEX("BargingMutex", Kind.STRAW_MAN, "straw man: RawMutex without eventual fairness (never hands over)",
            BargingMutex::new);

    /** What a competitor can be used as. */
    public enum Kind {
        /** A lock with an exclusive mode only. */
        MUTEX,
        /** A read-write lock: an exclusive mode (usable as a mutex) and a shared one. */
        RWLOCK,
        /** A mutex shown for contrast, not for use (see {@link org.parkinglot.benchmarks.strawman}). */
        STRAW_MAN
    }

    /** How many stripes the {@link #STRIPED} and {@link #STRIPED_MUTEX} competitors have. */
    public static final int STRIPES = 16;

    private final String displayName;
    private final Kind kind;
    private final String description;
    private final Supplier<Object> factory;

    LockType(String displayName, Kind kind, String description, Supplier<Object> factory) {
        this.displayName = displayName;
        this.kind = kind;
        this.description = description;
        this.factory = factory;
    }

    /**
     * Returns the name {@code lockbench} uses in {@code --locks}, tables, JSON and the chart.
     *
     * @return for example {@code RawMutex} or {@code ReentrantLock-fair}
     */
    public String displayName() {
        return displayName;
    }

    /**
     * Returns what this competitor can be used as.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Returns one line for {@code lockbench --help}.
     *
     * @return the description
     */
    public String description() {
        return description;
    }

    /**
     * Makes a fresh, unlocked lock: a {@code Lock}, a {@code ReadWriteLock}, a {@link RawRwLock}, a
     * {@link StampedLock}, a {@link Striped}, a {@link StripedMutex}, a straw man, or a plain {@code Object} to
     * synchronize on.
     *
     * @return the lock
     */
    public Object newLock() {
        return factory.get();
    }

    /**
     * Returns how many locks one {@link #newLock()} holds: {@value #STRIPES} for {@link #STRIPED},
     * {@link #STRIPED_MUTEX} and {@link #STRIPED_MUTEX_FAIR}, else 1.
     *
     * @return the count a footprint is divided by
     */
    public int locksPerInstance() {
        return this == STRIPED || this == STRIPED_MUTEX || this == STRIPED_MUTEX_FAIR ? STRIPES : 1;
    }

    /**
     * Finds a competitor by its {@link #displayName()}, ignoring case.
     *
     * @param name the name as typed
     * @return the competitor, or empty
     */
    public static Optional<LockType> byName(String name) {
        for (LockType t : values()) {
            if (t.displayName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * The exception of a harness asked to run a competitor it has no adapter for.
     *
     * @param harness the benchmark's name
     * @return an exception to throw
     */
    IllegalArgumentException notIn(String harness) {
        return new IllegalArgumentException(name() + " is not a competitor of " + harness);
    }
}
