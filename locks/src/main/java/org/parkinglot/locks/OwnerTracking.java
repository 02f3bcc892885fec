package org.parkinglot.locks;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The opt-in owner tracking of the locks that keep no owner ({@link RawMutex}, {@link RawFairMutex},
 * {@link RawRwLock}), so that {@link Deadlocks} can name who holds them. Off unless the JVM starts with
 * {@code -Dorg.parkinglot.trackOwners=true}.
 *
 * <p>Every call site reads {@link #ENABLED} first: {@code if (OwnerTracking.ENABLED) OwnerTracking.x(..)}.
 */
final class OwnerTracking {

    /*
     * Implementation notes.
     *
     * Free when off. ENABLED is a static final boolean, read once from the system property when this
     * class is initialized (the first time a lock's code reads it). The JIT compiles static final
     * fields of an initialized class as constants, so with tracking off every guarded call is dead code
     * and is removed: the fast paths compile to exactly what they were without tracking (the guard
     * costs nothing at run time, and the interpreter pays one getstatic). The call sites are kept
     * small (one static call each) so that, with tracking on, the fast paths still inline.
     *
     * What is recorded. One immutable Holders value per lock in a ConcurrentHashMap keyed by the lock
     * object (none of these locks overrides equals or hashCode, so the map compares identities),
     * replaced atomically with compute(): the exclusive holder (a mutex's locker; a rwlock's WRITER
     * owner, also while it waits for readers to leave), the upgradable reader, and the shared readers
     * (a thread once per hold). An entry is removed as soon as it holds nobody, so the map keeps only
     * held locks (and their holders) alive; a lock abandoned while held stays, as it would stay held.
     *
     * Why a false record cannot make a false deadlock. A thread records an acquisition right after it
     * (a window with the lock held and unrecorded: at worst a deadlock not seen yet) and erases a
     * release right before it (mutexes, exclusive and upgradable modes: the slot belongs to the lock,
     * so whoever unlocks erases it, also when it is not the thread that locked; a lock unlocked by
     * another thread leaves no stale owner). Both happen while the thread runs, before it parks again,
     * so a thread that sleeps in the parking lot has no stale record of its own: Deadlocks only follows
     * records to sleeping threads (and reads them after seeing them asleep, which orders their records
     * before its reads). The one record no thread can erase for itself is a shared hold released by
     * another thread (unlockShared by a thread with no shared hold recorded): it cannot tell whose
     * hold ended, so it marks the lock's readers unknown; Deadlocks then follows no edge to that lock's
     * readers until the reader count next drops to zero, which clears every shared record of the lock.
     */

    /** Whether owner tracking is on: {@code -Dorg.parkinglot.trackOwners=true}; read once. */
    static final boolean ENABLED = Boolean.getBoolean("org.parkinglot.trackOwners");

    /** Who holds each held lock; see the implementation notes. */
    private static final ConcurrentHashMap<Object, Holders> HOLDERS = new ConcurrentHashMap<>();

    private OwnerTracking() {
    }

    /**
     * Who holds one lock; immutable, replaced as a whole.
     *
     * @param exclusive      a mutex's holder, or a rwlock's WRITER owner (holding, or waiting for readers)
     * @param upgradable     a rwlock's upgradable reader
     * @param readers        a rwlock's shared readers, once per hold
     * @param readersUnknown a shared hold was released by a thread that held none: readers unreliable
     */
    record Holders(Thread exclusive, Thread upgradable, List<Thread> readers, boolean readersUnknown) {
        static final Holders NONE = new Holders(null, null, List.of(), false);

        boolean isEmpty() {
            return exclusive == null && upgradable == null && readers.isEmpty() && !readersUnknown;
        }

        Holders withExclusive(Thread t) {
            return new Holders(t, upgradable, readers, readersUnknown);
        }

        Holders withUpgradable(Thread t) {
            return new Holders(exclusive, t, readers, readersUnknown);
        }

        Holders plusReader(Thread t) {
            Thread[] r = readers.toArray(new Thread[readers.size() + 1]);
            r[r.length - 1] = t;
            return new Holders(exclusive, upgradable, List.of(r), readersUnknown);
        }

        Holders minusReader(Thread t) {
            int i = readers.indexOf(t);
            if (i < 0) {
                return new Holders(exclusive, upgradable, readers, true);
            }
            Thread[] r = new Thread[readers.size() - 1];
            for (int j = 0, k = 0; j < readers.size(); j++) {
                if (j != i) {
                    r[k++] = readers.get(j);
                }
            }
            return new Holders(exclusive, upgradable, List.of(r), readersUnknown);
        }

        Holders noReaders() {
            return new Holders(exclusive, upgradable, List.of(), false);
        }
    }

    /** The functional form of one update of a lock's holders. */
    @FunctionalInterface
    private interface Update {
        Holders apply(Holders h, Thread me);
    }

    private static void update(Object lock, Update u) {
        Thread me = Thread.currentThread();
        HOLDERS.compute(lock, (k, h) -> {
            Holders next = u.apply(h == null ? Holders.NONE : h, me);
            return next.isEmpty() ? null : next;
        });
    }

    // ---------------------------------------------------------------------------------------------
    // exclusive (mutexes, and a rwlock's WRITER)

    /** The current thread acquired {@code lock} exclusively (or claimed a rwlock's WRITER). */
    static void exclusiveAcquired(Object lock) {
        update(lock, (h, me) -> h.withExclusive(me));
    }

    /** {@code lock}'s exclusive hold (or WRITER claim) is about to end, whoever ends it. */
    static void exclusiveReleased(Object lock) {
        update(lock, (h, me) -> h.withExclusive(null));
    }

    // ---------------------------------------------------------------------------------------------
    // rwlock: upgradable and shared holds, and the conversions

    /** The current thread acquired {@code lock}'s upgradable read. */
    static void upgradableAcquired(Object lock) {
        update(lock, (h, me) -> h.withUpgradable(me));
    }

    /** {@code lock}'s upgradable read is about to end, whoever ends it. */
    static void upgradableReleased(Object lock) {
        update(lock, (h, me) -> h.withUpgradable(null));
    }

    /** The upgradable reader turned its hold into the WRITER claim (upgrade, before waiting for readers). */
    static void upgraded(Object lock) {
        update(lock, (h, me) -> new Holders(me, null, h.readers(), h.readersUnknown()));
    }

    /** A timed upgrade gave the WRITER claim back: the current thread holds the upgradable read again. */
    static void upgradeAbandoned(Object lock) {
        update(lock, (h, me) -> new Holders(null, me, h.readers(), h.readersUnknown()));
    }

    /** The current thread turned its exclusive hold into a shared one (downgrade). */
    static void downgradedToShared(Object lock) {
        update(lock, (h, me) -> h.withExclusive(null).plusReader(me));
    }

    /** The current thread turned its exclusive hold into the upgradable read. */
    static void downgradedToUpgradable(Object lock) {
        update(lock, (h, me) -> new Holders(null, me, h.readers(), h.readersUnknown()));
    }

    /** The current thread turned its upgradable read into a shared one. */
    static void upgradableDowngraded(Object lock) {
        update(lock, (h, me) -> h.withUpgradable(null).plusReader(me));
    }

    /** The current thread acquired a shared hold of {@code lock}. */
    static void sharedAcquired(Object lock) {
        update(lock, (h, me) -> h.plusReader(me));
    }

    /**
     * A shared hold of {@code lock} ended (released by the current thread, which may hold none: then
     * whose hold ended is unknown). If it left no shared hold (besides an upgradable one), every shared
     * record of the lock is cleared, also an unknown one.
     *
     * @param lock   the lock
     * @param before the lock's state word just before the release (the witness of its CAS)
     */
    static void sharedReleased(RawRwLock lock, int before) {
        int after = before - RawRwLock.ONE_READER;
        int upgradableUnit = (after & RawRwLock.UPGRADABLE) != 0 ? RawRwLock.ONE_READER : 0;
        boolean noReadersLeft = (after & RawRwLock.READERS_MASK) == upgradableUnit;
        update(lock, (h, me) -> noReadersLeft ? h.noReaders() : h.minusReader(me));
    }

    // ---------------------------------------------------------------------------------------------
    // queries (Deadlocks, tests)

    /**
     * Returns who holds {@code lock} as far as tracking knows.
     *
     * @param lock a lock
     * @return its holders; {@link Holders#NONE} if none is recorded (or tracking is off)
     */
    static Holders holders(Object lock) {
        Holders h = HOLDERS.get(lock);
        return h == null ? Holders.NONE : h;
    }

    /** Test hook: how many locks have a record (held locks, or readers unknown). */
    static int trackedLocks() {
        return HOLDERS.size();
    }
}
