package org.parkinglot.locks;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Lock;

/**
 * A fixed number of mutexes ("stripes") chosen by hashing a key: the compact alternative to Guava's
 * {@code Striped.lock(n)}, with the same shape ({@link #get(Object)}, {@link #getAt(int)},
 * {@link #size()}, {@link #bulkGet(Iterable)}). Each stripe is one byte of a {@link MutexArray}, so
 * {@code new StripedMutex(1024)} takes about 1.1 KB where Guava's eagerly created, padded
 * {@code ReentrantLock}s take about 76 bytes per stripe. Equal keys always map to the same stripe;
 * different keys may share one (and then exclude each other).
 *
 * <pre>{@code
 * StripedMutex locks = new StripedMutex(64);
 * Lock lock = locks.get(accountId);
 * lock.lock();
 * try {
 *     // ... work on the account
 * } finally {
 *     lock.unlock();
 * }
 * }</pre>
 *
 * <h2>Differences from Guava's {@code Striped.lock(n)}</h2>
 * <ul>
 *   <li>The stripes are not reentrant (as {@link RawMutex}): a thread that locks a stripe it holds,
 *       for example through two keys that hash to the same stripe, deadlocks with itself. Hence
 *       {@link #bulkGet(Iterable)} returns each stripe once, where Guava's may repeat one.</li>
 *   <li>The stripes do not track their owner: any thread may unlock a stripe, and an unlock of an
 *       unlocked stripe throws {@link IllegalMonitorStateException}.</li>
 *   <li>{@link #get(Object)} and {@link #getAt(int)} return a new small view per call (24 bytes,
 *       usually eliminated by the JIT when it does not escape); views of one stripe are interchangeable
 *       and {@link Object#equals equal}. Each view's {@code newCondition()} is a condition of that
 *       stripe.</li>
 *   <li>Neighbouring stripes share cache lines (Guava pads each lock to its own): two hot keys whose
 *       stripes are close slow each other down through false sharing, without blocking each other.</li>
 * </ul>
 * As in Guava, the number of stripes is rounded up to a power of two.
 *
 * <h2>Fairness</h2>
 * By default, as {@link RawMutex}: eventually fair (about every 0.5 ms an unlock hands a stripe to its
 * longest waiter). Made with {@code fair = true}, every unlock of a stripe with waiters hands it to the
 * longest-waiting one, as {@link RawFairMutex}: waiters of a stripe acquire in arrival order
 * ({@code tryLock()} still barges).
 *
 * <h2>Memory synchronization</h2>
 * Per stripe, as {@link Lock}: an unlock of a stripe happens-before the next successful lock of that
 * stripe.
 *
 * @see MutexArray
 */
public final class StripedMutex {

    /*
     * Implementation notes.
     *
     * A MutexArray of size() mutexes (all state and queues are its: waiters of stripe i park under
     * (the MutexArray, i)); get(key) = getAt(spread(key.hashCode()) & mask), and the views are
     * MutexArray.Element with this striped mutex's fairness. spread is MurmurHash3's 32-bit finalizer
     * (fmix32): every input bit affects every output bit, so the low bits the mask keeps depend on the
     * whole hash code (Guava smears the hash for the same reason). bulkGet sorts the stripe indexes
     * and drops repeats: locking in ascending index order is a global order, so two bulk lockers
     * cannot deadlock, and a repeated stripe would deadlock a non-reentrant lock with itself.
     */

    /** The largest number of stripes: 2^30 (one byte each). */
    public static final int MAX_STRIPES = 1 << 30;

    /** The stripes. */
    private final MutexArray mutexes;
    /** {@code size() - 1}: size() is a power of two, so {@code hash & mask} is a stripe index. */
    private final int mask;
    /** Whether every unlock hands the stripe over to a waiter. */
    private final boolean fair;

    /**
     * Creates an eventually fair striped mutex of {@code stripes} stripes, rounded up to a power of
     * two.
     *
     * @param stripes the minimum number of stripes
     * @throws IllegalArgumentException if {@code stripes} is not positive or exceeds {@link #MAX_STRIPES}
     */
    public StripedMutex(int stripes) {
        this(stripes, false);
    }

    /**
     * Creates a striped mutex of {@code stripes} stripes, rounded up to a power of two.
     *
     * @param stripes the minimum number of stripes
     * @param fair    {@code true} for stripes whose every unlock hands over to the longest waiter
     *                (arrival order), {@code false} for eventually fair stripes (faster under contention)
     * @throws IllegalArgumentException if {@code stripes} is not positive or exceeds {@link #MAX_STRIPES}
     */
    public StripedMutex(int stripes, boolean fair) {
        if (stripes <= 0 || stripes > MAX_STRIPES) {
            throw new IllegalArgumentException("stripes must be in 1.." + MAX_STRIPES + ": " + stripes);
        }
        int size = stripes == 1 ? 1 : Integer.highestOneBit(stripes - 1) << 1;
        this.mutexes = new MutexArray(size);
        this.mask = size - 1;
        this.fair = fair;
    }

    /**
     * Returns the stripe of {@code key}: always the same one for equal keys.
     *
     * @param key the key, hashed with its {@code hashCode()}
     * @return a view of the key's stripe (a new object each call)
     * @throws NullPointerException if {@code key} is null
     */
    public Lock get(Object key) {
        return new MutexArray.Element(mutexes, indexFor(key), fair);
    }

    /**
     * Returns the stripe at {@code index}.
     *
     * @param index the stripe's index, from 0 to {@code size() - 1}
     * @return a view of the stripe (a new object each call)
     * @throws IndexOutOfBoundsException if {@code index} is negative or not less than {@link #size()}
     */
    public Lock getAt(int index) {
        Objects.checkIndex(index, mask + 1);
        return new MutexArray.Element(mutexes, index, fair);
    }

    /**
     * Returns the number of stripes: the number given to the constructor, rounded up to a power of two.
     *
     * @return the number of stripes
     */
    public int size() {
        return mask + 1;
    }

    /**
     * Returns whether every unlock hands the stripe over to its longest waiter.
     *
     * @return the fairness given to the constructor
     */
    public boolean isFair() {
        return fair;
    }

    /**
     * Returns the stripes of {@code keys}, each stripe once, in ascending stripe index order: locking
     * them in the order returned (and unlocking them in any order) cannot deadlock with another thread
     * doing the same with other keys. Unlike Guava's {@code Striped.bulkGet}, which may return a stripe
     * twice (its stripes are reentrant), a stripe shared by several keys appears once, since locking a
     * stripe twice would deadlock.
     *
     * <pre>{@code
     * List<Lock> held = new ArrayList<>();
     * try {
     *     for (Lock lock : locks.bulkGet(List.of(from, to))) {
     *         lock.lock();
     *         held.add(lock);
     *     }
     *     // ... transfer
     * } finally {
     *     for (Lock lock : held) {
     *         lock.unlock();
     *     }
     * }
     * }</pre>
     *
     * @param keys the keys, iterated once
     * @return an unmodifiable list of distinct stripes in ascending index order (empty if {@code keys} is)
     * @throws NullPointerException if {@code keys} is null or contains null
     */
    public Iterable<Lock> bulkGet(Iterable<?> keys) {
        Objects.requireNonNull(keys, "keys");
        int[] indexes = new int[8];
        int n = 0;
        for (Object key : keys) {
            if (n == indexes.length) {
                indexes = Arrays.copyOf(indexes, n * 2);
            }
            indexes[n++] = indexFor(key);
        }
        Arrays.sort(indexes, 0, n);
        Lock[] stripes = new Lock[n];
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || indexes[i] != indexes[i - 1]) {
                stripes[distinct++] = new MutexArray.Element(mutexes, indexes[i], fair);
            }
        }
        return List.of(Arrays.copyOf(stripes, distinct));
    }

    /**
     * Returns the index of the stripe of {@code key}.
     *
     * @param key the key
     * @return its stripe index, from 0 to {@code size() - 1}
     * @throws NullPointerException if {@code key} is null
     */
    int indexFor(Object key) {
        return spread(Objects.requireNonNull(key, "key").hashCode()) & mask;
    }

    /** MurmurHash3's fmix32: a bijection of int in which every input bit affects every output bit. */
    static int spread(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    /**
     * Returns a string identifying this striped mutex, its number of stripes and fairness.
     *
     * @return the class and identity, followed by {@code [stripes = n]} or {@code [stripes = n, fair]}
     */
    @Override
    public String toString() {
        return super.toString() + "[stripes = " + size() + (fair ? ", fair]" : "]");
    }
}
