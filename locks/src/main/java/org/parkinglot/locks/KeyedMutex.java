package org.parkinglot.locks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.core.internal.Timeouts;

/**
 * Exact per-key mutual exclusion for any object key: {@code lock(k)} excludes every other thread that
 * locks a key {@linkplain Object#equals equal} to {@code k}, and nobody else. Distinct keys never block
 * each other, even when their hash codes collide. No lock object is kept for a key that is free: memory
 * is proportional to the keys locked or waited for at this moment (about 40 bytes each), plus a small
 * fixed table (about a kilobyte on a machine of up to 4 CPUs, see {@link #KeyedMutex()}).
 *
 * <p>Usage:
 * <pre>{@code
 * KeyedMutex<String> accounts = new KeyedMutex<>();
 * accounts.lock(accountId);
 * try {
 *     // ... only this thread works on accountId
 * } finally {
 *     accounts.unlock(accountId);
 * }
 * }</pre>
 *
 * <p>Keys must behave as hash keys: their {@code equals} and {@code hashCode} must be consistent and must
 * not change while the key is locked or waited for. Locks are not reentrant and are owned: only the
 * thread that locked a key may unlock it. A thread that tries to lock a key it already holds would wait
 * for itself forever, so {@link #lock}, {@link #lockInterruptibly} and {@link #lockAll} throw
 * {@link IllegalStateException} instead, and {@link #tryLock(Object)} and
 * {@link #tryLock(Object, long, TimeUnit)} return {@code false} at once.
 *
 * <p>Several keys at once: {@link #lockAll(Collection)} takes a set of keys in one canonical order, so two
 * threads calling it with overlapping sets never deadlock each other (see the method).
 *
 * <h2>Fairness</h2>
 * As {@link RawMutex}: unfair with eventual fairness. An unlock with waiters wakes one, which competes
 * with arriving threads; about every 0.5 ms (per parking-lot bucket) an unlock hands the key directly to
 * the longest-waiting thread instead.
 *
 * <h2>Memory synchronization</h2>
 * Locking a key has the memory effects of a successful {@link Lock#lock()}: everything a thread did
 * before unlocking a key happens-before everything the next thread to lock an equal key does after
 * locking it.
 *
 * @param <K> the type of the keys
 * @see RawMutex
 */
public final class KeyedMutex<K> {

    /*
     * Implementation notes.
     *
     * Structure. A fixed power-of-two array of stripes, chosen by the top bits of the key's spread hash.
     * A stripe is a short internal mutex (its int word driven by MutexAlgorithm, waiters parked under
     * (stripe, 0)) guarding a small open hash table of its own: Entry[] table (INITIAL_SLOTS slots from
     * construction, so that locking a key on an empty stripe allocates only its entry), chained by
     * Entry.next, indexed by the low bits of the spread hash, grown (doubled) when the stripe holds more
     * entries than slots and shrunk (halved, down to INITIAL_SLOTS) when it holds fewer than a quarter.
     * Chains therefore stay about one entry long however many keys are held
     * (100,000 virtual threads each holding a key: 16 stripes of 8,192 slots each), and an idle
     * KeyedMutex is back to its fixed table. The stripe count is fixed (4 per CPU, 16 to 1024: see
     * defaultStripes) because it only bounds contention on the short stripe locks; the per-stripe tables
     * are what grow. The stripe lock is held only for a lookup, a link or an unlink, and a resize (O(n),
     * amortized O(1)); never while waiting for a key.
     *
     * Entry = {key, spread hash, next, owner, refs, state}: one per key that is held or waited for, the
     * only entry for that key (find-or-create under the stripe lock). Fields:
     *   refs   the holder (if any) plus the threads counted in as waiters. Guarded by the stripe lock.
     *          The entry is linked in the table iff refs > 0; whoever brings refs to 0 unlinks it.
     *   state  the key's mutex word (MutexAlgorithm's LOCKED, PARKED, WOKEN; state table there); waiters
     *          park under (entry, 0). An entry is born LOCKED by the thread that creates it.
     *   owner  the holding thread, or null. Written only by the owner thread (set after it acquired the
     *          word, cleared under the stripe lock before it releases it); read by other threads under
     *          the stripe lock only to compare with themselves, which needs no ordering: a thread
     *          reading its own identity there can only have written it itself (program order), and it
     *          clears the field itself before releasing, so it never sees a stale "me".
     *
     * lock(k): under the stripe lock, find the entry; none: create it LOCKED with owner = me, link it,
     * done (no CAS on the entry at all). Found: refs++ (or IllegalStateException if owner == me), release
     * the stripe lock, acquire the entry's word (MutexAlgorithm.tryLock, else lockSlow), set owner.
     * A timeout or interrupt counts out: under the stripe lock refs--, unlinking at 0.
     *
     * unlock(k): under the stripe lock, find the entry, check owner == me (else
     * IllegalMonitorStateException, nothing changed), clear owner, refs--. At 0 the entry is unlinked and
     * dropped with its word still LOCKED: no other thread can reach it (every thread that could, counted
     * itself in, and has counted itself out), so nobody waits on it. Above 0, release the stripe lock,
     * then release the word (MutexAlgorithm.unlock: wakes a waiter if one is parked).
     *
     * No false contention: a thread waits only on the word of an entry whose key equals its own, and on
     * stripe locks, which no thread holds while it waits. Colliding hashes share a chain, not a word.
     *
     * Orderings. The stripe lock is an acquire/release mutex, so everything done under it (chain links,
     * refs, the fields of a new entry including its LOCKED word) is visible to the next thread that takes
     * it. Hand-over of a key happens either through the stripe lock (the holder unlinked the entry under
     * it, and the next locker creates a fresh one under it after acquiring it) or through the entry's
     * word (release CAS in MutexAlgorithm.unlock, acquire CAS in tryLock/lockSlow). A holder that finds
     * refs > 0 releases the word after it released the stripe lock; meanwhile the word stays LOCKED, so
     * nobody enters early. If a waiter then times out and brings refs to 0, it unlinks the entry while
     * the old holder may still be inside MutexAlgorithm.unlock on it: harmless, the word of an unlinked
     * entry is never waited on again, and the next locker of the key, which creates a fresh entry, is
     * ordered after the old holder's unlock by the stripe lock (holder's release, waiter's acquire and
     * release, new locker's acquire).
     *
     * Exceptions. Every stripe-locked section releases the stripe lock in a finally block; an
     * OutOfMemoryError while creating an entry or growing a table leaves the table as it was (a grow
     * allocates first, then moves). An OutOfMemoryError while parking on the entry propagates from
     * lockSlow with the thread still counted in (as MutexAlgorithm documents, the word is consistent);
     * the catch-all in acquireSlow counts it out.
     *
     * Conditions. asLock(k).newCondition() throws UnsupportedOperationException: a condition waiter would
     * have to stay counted in for the whole wait and be requeued onto an entry that may be replaced, which
     * the Condvar protocol does not model.
     */

    /** Fewest stripes. */
    static final int MIN_STRIPES = 16;
    /** Most stripes. */
    static final int MAX_STRIPES = 1024;
    /** Slots of a stripe's table when it gets its first entry. */
    static final int INITIAL_SLOTS = 4;

    /** The stripes; a power-of-two count, chosen by the top bits of the spread hash. */
    private final Stripe[] stripes;
    /** {@code 32 - log2(stripes.length)}: the shift that turns a spread hash into a stripe index. */
    private final int stripeShift;

    /**
     * Creates a keyed mutex with about four stripes per available processor (a power of two, 16 to 1024).
     * Stripes only bound contention on the short internal lock taken to find a key's entry; the number of
     * keys that may be held is unlimited, whatever the stripe count.
     */
    public KeyedMutex() {
        this(defaultStripes());
    }

    /**
     * Creates a keyed mutex with {@code stripes} internal stripes, rounded up to a power of two (at most
     * {@value #MAX_STRIPES}). More stripes mean less contention on the internal lock taken to find a
     * key's entry, at about 56 bytes each; they never limit how many keys can be held.
     *
     * @param stripes the number of stripes, at least 1
     * @throws IllegalArgumentException if {@code stripes} is less than 1 or more than {@value #MAX_STRIPES}
     */
    public KeyedMutex(int stripes) {
        if (stripes < 1 || stripes > MAX_STRIPES) {
            throw new IllegalArgumentException("stripes must be 1 to " + MAX_STRIPES + ": " + stripes);
        }
        int n = Integer.highestOneBit(stripes);
        if (n < stripes) {
            n <<= 1;
        }
        Stripe[] s = new Stripe[n];
        for (int i = 0; i < n; i++) {
            s[i] = new Stripe();
        }
        this.stripes = s;
        this.stripeShift = n == 1 ? 32 : 32 - Integer.numberOfTrailingZeros(n);
    }

    /** Four stripes per processor, a power of two from {@value #MIN_STRIPES} to {@value #MAX_STRIPES}. */
    private static int defaultStripes() {
        int wanted = 4 * Runtime.getRuntime().availableProcessors();
        return Math.clamp(wanted, MIN_STRIPES, MAX_STRIPES);
    }

    // ---------------------------------------------------------------------------------------------
    // public API

    /**
     * Acquires the lock of {@code key}, waiting while another thread holds an equal key. Interrupts do
     * not end the wait; the interrupt status is kept.
     *
     * @param key the key
     * @throws NullPointerException  if {@code key} is null
     * @throws IllegalStateException if the current thread already holds {@code key} (waiting would
     *                               deadlock)
     */
    public void lock(K key) {
        Entry e = countIn(key, true);
        if (e != null) {
            acquire(e, Timeouts.FOREVER, false);
        }
    }

    /**
     * Acquires the lock of {@code key} unless the current thread is interrupted. If another thread holds
     * an equal key, the thread lies dormant until it acquires the lock or another thread interrupts it.
     *
     * @param key the key
     * @throws InterruptedException  if the current thread is interrupted on entry or while waiting; its
     *                               interrupt status is cleared
     * @throws NullPointerException  if {@code key} is null
     * @throws IllegalStateException if the current thread already holds {@code key}
     */
    public void lockInterruptibly(K key) throws InterruptedException {
        Objects.requireNonNull(key, "key");
        Timeouts.throwIfInterrupted();
        Entry e = countIn(key, true);
        if (e != null && acquire(e, Timeouts.FOREVER, true) == MutexAlgorithm.INTERRUPTED) {
            throw Timeouts.clearInterrupt();
        }
    }

    /**
     * Acquires the lock of {@code key} if no thread holds an equal key at the time of the call (barging
     * past threads waiting for it, as {@link RawMutex#tryLock()}).
     *
     * @param key the key
     * @return {@code true} if acquired; {@code false} if another thread holds it, or the current thread
     *         already does
     * @throws NullPointerException if {@code key} is null
     */
    public boolean tryLock(K key) {
        Objects.requireNonNull(key, "key");
        int h = spread(key.hashCode());
        Stripe s = stripeFor(h);
        Thread me = Thread.currentThread();
        lockStripe(s);
        try {
            Entry e = s.find(key, h);
            if (e == null) {
                s.insert(new Entry(key, h, me));
                return true;
            }
            if (e.owner == me || !ALGORITHM.tryLock(e, 0L)) {
                return false;
            }
            e.refs++;
            e.owner = me;
            return true;
        } finally {
            unlockStripe(s);
        }
    }

    /**
     * Acquires the lock of {@code key} if it becomes free within the waiting time. The thread lies
     * dormant until it acquires the lock, the time elapses, or another thread interrupts it. A zero or
     * negative time tries once; {@code Long.MAX_VALUE} nanoseconds or more waits forever.
     *
     * @param key  the key
     * @param time the most to wait
     * @param unit the unit of {@code time}
     * @return {@code true} if acquired; {@code false} if the time elapsed first, or at once if the current
     *         thread already holds {@code key}
     * @throws InterruptedException if the current thread is interrupted on entry or while waiting; its
     *                              interrupt status is cleared
     * @throws NullPointerException if {@code key} or {@code unit} is null
     */
    public boolean tryLock(K key, long time, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(key, "key");
        long nanos = Timeouts.toNanos(time, unit);
        Timeouts.throwIfInterrupted();
        if (nanos <= 0L) {
            return tryLock(key);
        }
        Entry e = countIn(key, false);
        if (e == null) {
            return true;
        }
        if (e == SELF) {
            return false;
        }
        int r = acquire(e, nanos, true);
        if (r == MutexAlgorithm.INTERRUPTED) {
            throw Timeouts.clearInterrupt();
        }
        return r == MutexAlgorithm.ACQUIRED;
    }

    /**
     * Releases the lock of {@code key}, held by the current thread. If threads wait for an equal key, one
     * of them is woken; otherwise nothing of the key remains in memory.
     *
     * @param key the key (any key equal to the one locked)
     * @throws NullPointerException         if {@code key} is null
     * @throws IllegalMonitorStateException if the current thread does not hold {@code key} (nothing changes)
     */
    public void unlock(K key) {
        Objects.requireNonNull(key, "key");
        int h = spread(key.hashCode());
        Stripe s = stripeFor(h);
        Thread me = Thread.currentThread();
        Entry e;
        lockStripe(s);
        try {
            e = s.find(key, h);
            if (e == null || e.owner != me) {
                throw new IllegalMonitorStateException(e == null ? "key is not locked: " + key
                        : "key is locked by another thread: " + key);
            }
            e.owner = null;
            if (--e.refs == 0) {
                s.remove(e);
                return; // nobody else can reach e: its word is dropped as it is
            }
        } finally {
            unlockStripe(s);
        }
        ALGORITHM.release(e, 0L);
    }

    /**
     * Returns whether some thread holds the lock of {@code key}: a snapshot, for monitoring, not for
     * synchronization.
     *
     * @param key the key
     * @return {@code true} if a thread holds a key equal to {@code key}
     * @throws NullPointerException if {@code key} is null
     */
    public boolean isLocked(K key) {
        Objects.requireNonNull(key, "key");
        int h = spread(key.hashCode());
        Stripe s = stripeFor(h);
        lockStripe(s);
        try {
            Entry e = s.find(key, h);
            return e != null && ALGORITHM.isLocked(e, 0L);
        } finally {
            unlockStripe(s);
        }
    }

    /**
     * Returns whether the current thread holds the lock of {@code key}.
     *
     * @param key the key
     * @return {@code true} if the current thread holds a key equal to {@code key}
     * @throws NullPointerException if {@code key} is null
     */
    public boolean isHeldByCurrentThread(K key) {
        Objects.requireNonNull(key, "key");
        int h = spread(key.hashCode());
        Stripe s = stripeFor(h);
        lockStripe(s);
        try {
            Entry e = s.find(key, h);
            return e != null && e.owner == Thread.currentThread();
        } finally {
            unlockStripe(s);
        }
    }

    /**
     * Acquires the locks of every key of {@code keys} (equal keys once), waiting as {@link #lock} does, in
     * a canonical order that cannot deadlock with another thread's {@code lockAll}: keys are taken in
     * ascending order of their (spread) hash code; keys whose hash codes are equal, which have no order,
     * are taken as one group by locking one of them and try-locking the others, and on a failure releasing
     * the group and waiting for the key that failed before trying the group again. A thread thus only ever
     * waits while holding keys of strictly smaller hash than the one it waits for, so no cycle of waits
     * can form. Interrupts do not end the wait; the interrupt status is kept.
     *
     * <p>If an exception leaves this method, no key of {@code keys} is held by the current thread because
     * of this call.
     *
     * @param keys the keys; may be empty
     * @throws NullPointerException  if {@code keys} or one of its elements is null
     * @throws IllegalStateException if the current thread already holds one of the keys
     */
    public void lockAll(Collection<? extends K> keys) {
        Object[] sorted = canonical(keys);
        int taken = 0;
        try {
            while (taken < sorted.length) {
                int end = taken + 1;
                int h = spread(sorted[taken].hashCode());
                while (end < sorted.length && spread(sorted[end].hashCode()) == h) {
                    end++;
                }
                lockGroup(sorted, taken, end);
                taken = end;
            }
        } catch (Throwable t) {
            for (int i = taken - 1; i >= 0; i--) {
                unlock(key(sorted[i]));
            }
            throw t;
        }
    }

    /**
     * Releases the locks of every key of {@code keys} (equal keys once), all held by the current thread.
     * Checks every key first: if one is not held by the current thread, none is released.
     *
     * @param keys the keys, as given to {@link #lockAll(Collection)} or a set of keys held
     * @throws NullPointerException         if {@code keys} or one of its elements is null
     * @throws IllegalMonitorStateException if the current thread does not hold one of the keys (nothing
     *                                      changes)
     */
    public void unlockAll(Collection<? extends K> keys) {
        Object[] sorted = canonical(keys);
        for (Object k : sorted) {
            if (!isHeldByCurrentThread(key(k))) {
                throw new IllegalMonitorStateException("key is not locked by the current thread: " + k);
            }
        }
        for (int i = sorted.length - 1; i >= 0; i--) {
            unlock(key(sorted[i]));
        }
    }

    /**
     * Returns a {@link Lock} view of the lock of {@code key}: its methods call this keyed mutex's methods
     * with {@code key}. Views are cheap, hold no lock state, and any number may exist for one key.
     * {@code newCondition()} throws {@link UnsupportedOperationException}.
     *
     * @param key the key
     * @return the view
     * @throws NullPointerException if {@code key} is null
     */
    public Lock asLock(K key) {
        return new KeyLock<>(this, Objects.requireNonNull(key, "key"));
    }

    /**
     * Returns a string identifying this keyed mutex and how many keys are held or waited for now.
     *
     * @return the class and identity, followed by {@code [n keys in use]}
     */
    @Override
    public String toString() {
        return super.toString() + "[" + entryCount() + " keys in use]";
    }

    // ---------------------------------------------------------------------------------------------
    // slow paths and helpers

    /** What {@link #countIn} returns when the current thread already holds the key and must not wait. */
    private static final Entry SELF = new Entry(new Object(), 0, null);

    /**
     * Under the stripe lock: creates the key's entry (the caller then holds the key: returns null), or
     * counts the caller in on the existing one (returns it: the caller must acquire its word or count
     * out). If the current thread holds the key already, throws if {@code throwOnSelf}, else returns
     * {@link #SELF}.
     */
    private Entry countIn(K key, boolean throwOnSelf) {
        Objects.requireNonNull(key, "key");
        int h = spread(key.hashCode());
        Stripe s = stripeFor(h);
        Thread me = Thread.currentThread();
        lockStripe(s);
        try {
            Entry e = s.find(key, h);
            if (e == null) {
                s.insert(new Entry(key, h, me));
                return null;
            }
            if (e.owner == me) {
                if (throwOnSelf) {
                    throw new IllegalStateException("key already held by the current thread (would self-deadlock): "
                            + key);
                }
                return SELF;
            }
            e.refs++;
            return e;
        } finally {
            unlockStripe(s);
        }
    }

    /**
     * Acquires the word of an entry the caller is counted in on; on failure (timeout, interrupt, an
     * exception) counts the caller out.
     *
     * @return {@link MutexAlgorithm#ACQUIRED}, {@link MutexAlgorithm#TIMED_OUT} or
     *         {@link MutexAlgorithm#INTERRUPTED} (interrupt status still set)
     */
    private int acquire(Entry e, long nanos, boolean interruptible) {
        if (ALGORITHM.tryLock(e, 0L)) {
            e.owner = Thread.currentThread();
            return MutexAlgorithm.ACQUIRED;
        }
        return acquireSlow(e, nanos, interruptible);
    }

    /** The waiting part of {@link #acquire}. */
    private int acquireSlow(Entry e, long nanos, boolean interruptible) {
        int r;
        try {
            r = ALGORITHM.lockSlow(e, 0L, nanos, interruptible);
        } catch (Throwable t) {
            countOut(e);
            throw t;
        }
        if (r == MutexAlgorithm.ACQUIRED) {
            e.owner = Thread.currentThread();
        } else {
            countOut(e);
        }
        return r;
    }

    /** Under the stripe lock: a waiter that gave up leaves the entry, unlinking it if it was the last. */
    private void countOut(Entry e) {
        Stripe s = stripeFor(e.hash);
        lockStripe(s);
        try {
            if (--e.refs == 0) {
                s.remove(e);
            }
        } finally {
            unlockStripe(s);
        }
    }

    /**
     * Locks keys {@code sorted[from..to)}, which have equal hash codes: blocks on one, try-locks the rest;
     * on a failure releases what it took and blocks on the key that failed first.
     */
    private void lockGroup(Object[] sorted, int from, int to) {
        if (to - from == 1) {
            lock(key(sorted[from]));
            return;
        }
        boolean[] held = new boolean[to - from];
        int first = from;
        try {
            for (;;) {
                lock(key(sorted[first]));
                held[first - from] = true;
                int failed = -1;
                for (int i = from; i < to && failed < 0; i++) {
                    if (i != first) {
                        if (tryLock(key(sorted[i]))) {
                            held[i - from] = true;
                        } else {
                            failed = i;
                        }
                    }
                }
                if (failed < 0) {
                    return;
                }
                releaseHeld(sorted, from, held);
                first = failed;
                Thread.yield(); // let the holder of the failed key make progress before we block on it
            }
        } catch (Throwable t) {
            releaseHeld(sorted, from, held);
            throw t;
        }
    }

    /** Unlocks the keys of a group marked in {@code held} and clears the marks. */
    private void releaseHeld(Object[] sorted, int from, boolean[] held) {
        for (int i = 0; i < held.length; i++) {
            if (held[i]) {
                held[i] = false;
                unlock(key(sorted[from + i]));
            }
        }
    }

    /**
     * The distinct keys of {@code keys} in canonical order: ascending unsigned spread hash, then order of
     * appearance among equal hashes; duplicates (equal keys) dropped.
     */
    private static Object[] canonical(Collection<?> keys) {
        Object[] given = Objects.requireNonNull(keys, "keys").toArray();
        long[] order = new long[given.length];
        for (int i = 0; i < given.length; i++) {
            Object k = Objects.requireNonNull(given[i], "keys contains null");
            order[i] = (Integer.toUnsignedLong(spread(k.hashCode())) << 32) | i;
        }
        Arrays.sort(order);
        Object[] out = new Object[given.length];
        int n = 0;
        int groupStart = 0;
        for (int j = 0; j < order.length; j++) {
            Object k = given[(int) order[j]];
            int h = (int) (order[j] >>> 32);
            if (n > 0 && spread(out[n - 1].hashCode()) != h) {
                groupStart = n;
            }
            boolean duplicate = false;
            for (int i = groupStart; i < n && !duplicate; i++) {
                duplicate = out[i].equals(k);
            }
            if (!duplicate) {
                out[n++] = k;
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** An element of a collection of {@code K}, typed back (it came from a {@code Collection<? extends K>}). */
    @SuppressWarnings("unchecked")
    private K key(Object k) {
        return (K) k;
    }

    /**
     * Spreads a hash code: a bijection (multiply by an odd constant, then fold the high half into the
     * low), so equal spread hashes mean equal hash codes. The top bits choose the stripe, the low bits
     * the slot.
     */
    static int spread(int h) {
        int m = h * 0x9E3779B9;
        return m ^ (m >>> 16);
    }

    private Stripe stripeFor(int spreadHash) {
        return stripes[stripeShift == 32 ? 0 : spreadHash >>> stripeShift];
    }

    private static void lockStripe(Stripe s) {
        if (!STATE.weakCompareAndSetAcquire(s, 0, MutexAlgorithm.LOCKED)) {
            ALGORITHM.lockSlow(s, 0L, ParkingLot.FOREVER, false);
        }
    }

    private static void unlockStripe(Stripe s) {
        if (!STATE.weakCompareAndSetRelease(s, MutexAlgorithm.LOCKED, 0)) {
            ALGORITHM.release(s, 0L);
        }
    }

    /**
     * Test hook: how many entries (keys held or waited for) exist now.
     *
     * @return the number of entries over all stripes
     */
    int entryCount() {
        int n = 0;
        for (Stripe s : stripes) {
            lockStripe(s);
            try {
                n += s.count;
            } finally {
                unlockStripe(s);
            }
        }
        return n;
    }

    /** Test hook: the number of stripes. */
    int stripeCount() {
        return stripes.length;
    }

    /** Test hook: the longest chain of any stripe's table. */
    int longestChain() {
        int longest = 0;
        for (Stripe s : stripes) {
            lockStripe(s);
            try {
                Entry[] t = s.table;
                for (int i = 0; i < t.length; i++) {
                    int len = 0;
                    for (Entry e = t[i]; e != null; e = e.next) {
                        len++;
                    }
                    longest = Math.max(longest, len);
                }
            } finally {
                unlockStripe(s);
            }
        }
        return longest;
    }

    // ---------------------------------------------------------------------------------------------
    // storage

    /** An object carrying one mutex word, driven by {@link #ALGORITHM}; waiters park under (this, 0). */
    abstract static class Word {
        /** The mutex word (state table in {@link MutexAlgorithm}). */
        volatile int state;

        Word(int initial) {
            this.state = initial;
        }
    }

    /** A stripe: its internal lock (the inherited word) and its table of entries. */
    static final class Stripe extends Word {
        /** The slots, each a chain of entries; at least {@link #INITIAL_SLOTS}. Guarded by this stripe's lock. */
        Entry[] table;
        /** How many entries are linked. Guarded by this stripe's lock. */
        int count;

        Stripe() {
            super(0);
            table = new Entry[INITIAL_SLOTS];
        }

        /** The entry of a key equal to {@code key}, or null. */
        Entry find(Object key, int h) {
            Entry[] t = table;
            for (Entry e = t[h & (t.length - 1)]; e != null; e = e.next) {
                if (e.hash == h && (e.key == key || e.key.equals(key))) {
                    return e;
                }
            }
            return null;
        }

        /** Links a new entry, growing the table first if needed. */
        void insert(Entry e) {
            Entry[] t = table;
            if (count >= t.length) {
                t = resize(t, t.length << 1);
            }
            int i = e.hash & (t.length - 1);
            e.next = t[i];
            t[i] = e;
            count++;
        }

        /** Unlinks an entry that is linked, shrinking the table if it got sparse. */
        void remove(Entry e) {
            Entry[] t = table;
            int i = e.hash & (t.length - 1);
            Entry p = t[i];
            if (p == e) {
                t[i] = e.next;
            } else {
                while (p.next != e) {
                    p = p.next;
                }
                p.next = e.next;
            }
            e.next = null;
            if (--count < t.length >>> 2 && t.length > INITIAL_SLOTS) {
                resize(t, t.length >>> 1);
            }
        }

        /** Moves every entry to a new table of {@code slots} slots (allocated before anything moves). */
        private Entry[] resize(Entry[] old, int slots) {
            Entry[] t = new Entry[slots];
            for (Entry head : old) {
                Entry e = head;
                while (e != null) {
                    Entry next = e.next;
                    int i = e.hash & (slots - 1);
                    e.next = t[i];
                    t[i] = e;
                    e = next;
                }
            }
            table = t;
            return t;
        }
    }

    /** The lock of one key held or waited for (see the implementation notes). */
    static final class Entry extends Word {
        /** The key, as given by the thread that created the entry. */
        final Object key;
        /** The spread hash of {@link #key}. */
        final int hash;
        /** The next entry of the chain. Guarded by the stripe lock. */
        Entry next;
        /** The holding thread, or null; written only by that thread (see the implementation notes). */
        Thread owner;
        /** The holder plus the waiters counted in. Guarded by the stripe lock. */
        int refs;

        /** An entry born locked by {@code owner}, with one reference (the owner's). */
        Entry(Object key, int hash, Thread owner) {
            super(MutexAlgorithm.LOCKED);
            this.key = key;
            this.hash = hash;
            this.owner = owner;
            this.refs = 1;
        }
    }

    /** The {@link Lock} view of one key. */
    private record KeyLock<K>(KeyedMutex<K> mutex, K key) implements Lock {
        @Override
        public void lock() {
            mutex.lock(key);
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            mutex.lockInterruptibly(key);
        }

        @Override
        public boolean tryLock() {
            return mutex.tryLock(key);
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            return mutex.tryLock(key, time, unit);
        }

        @Override
        public void unlock() {
            mutex.unlock(key);
        }

        /** Not supported: see the implementation notes of {@link KeyedMutex}. */
        @Override
        public Condition newCondition() {
            throw new UnsupportedOperationException("KeyedMutex key locks have no conditions");
        }
    }

    /** The mutex algorithm projected onto {@link Word#state}. */
    static final WordAlgorithm ALGORITHM = new WordAlgorithm();

    /** {@link MutexAlgorithm} on the {@code state} field of a {@link Word}; index is ignored. */
    static final class WordAlgorithm extends MutexAlgorithm {
        @Override
        int load(Object holder, long index) {
            return ((Word) holder).state;
        }

        @Override
        boolean weakCasAcquire(Object holder, long index, int expect, int update) {
            return STATE.weakCompareAndSetAcquire((Word) holder, expect, update);
        }

        @Override
        boolean casRelease(Object holder, long index, int expect, int update) {
            return (int) STATE.compareAndExchangeRelease((Word) holder, expect, update) == expect;
        }

        @Override
        boolean cas(Object holder, long index, int expect, int update) {
            return STATE.compareAndSet((Word) holder, expect, update);
        }

        @Override
        int getAndBitwiseAndRelease(Object holder, long index, int mask) {
            return (int) STATE.getAndBitwiseAndRelease((Word) holder, mask);
        }

        @Override
        int getAndBitwiseOr(Object holder, long index, int bits) {
            return (int) STATE.getAndBitwiseOr((Word) holder, bits);
        }
    }

    // VarHandle mechanics
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Word.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
