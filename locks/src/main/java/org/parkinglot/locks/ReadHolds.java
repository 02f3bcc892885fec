package org.parkinglot.locks;

import java.util.Arrays;

/**
 * The read holds of one thread on the {@link ReentrantRwLock}s it has read-locked: a tiny map lock ->
 * count, reached through one static {@link ThreadLocal} shared by every lock (a
 * {@code ReentrantReadWriteLock} has a ThreadLocal object per lock, 16 of its 120 bytes, plus a counter
 * object per reading thread and lock). An entry exists only while its thread holds the lock (or, for the
 * length of one acquisition, reserves a slot with count 0), so the map holds no lock its thread no
 * longer uses and a lock is not kept alive by threads that once read it.
 *
 * <p>The common case, a thread that read-locks one lock at a time, lives in the first slot ({@link #first},
 * {@link #firstCount}); further locks held at the same time go to two small parallel arrays, scanned
 * linearly (a thread rarely read-holds more than a few locks at once). Accessed only by its own thread:
 * plain fields, no synchronization.
 */
final class ReadHolds {

    /** The one ThreadLocal of every ReentrantRwLock. */
    private static final ThreadLocal<ReadHolds> HOLDS = new PerThread();

    /** No slot: the lock is not in the map. */
    static final int NONE = -2;
    /** The slot of {@link #first}. */
    static final int FIRST = -1;

    /** The lock in the first slot, or null. */
    ReentrantRwLock first;
    /** The hold count of {@link #first}; 0 while an acquisition has reserved the slot. */
    int firstCount;
    /** Further locks held at the same time (null slots are free), or null if none ever were. */
    private ReentrantRwLock[] locks;
    /** The hold counts of {@link #locks}, index for index. */
    private int[] counts;

    private ReadHolds() {
    }

    /**
     * Returns the current thread's read holds.
     *
     * @return the map of the current thread
     */
    static ReadHolds current() {
        return HOLDS.get();
    }

    /**
     * Returns whether this thread holds no read lock of any ReentrantRwLock (nor reserves a slot): the fast
     * path's test before it takes the first slot.
     *
     * @return {@code true} if the map is empty
     */
    boolean isEmpty() {
        return first == null && locks == null;
    }

    /**
     * Returns the slot of {@code lock}, or {@link #NONE}.
     *
     * @param lock the lock
     * @return {@link #FIRST}, an array index, or {@link #NONE}
     */
    int find(ReentrantRwLock lock) {
        if (first == lock) {
            return FIRST;
        }
        ReentrantRwLock[] l = locks;
        if (l != null) {
            for (int i = 0; i < l.length; i++) {
                if (l[i] == lock) {
                    return i;
                }
            }
        }
        return NONE;
    }

    /**
     * Returns the read hold count of {@code lock} by this thread.
     *
     * @param lock the lock
     * @return the count, 0 if not held
     */
    int count(ReentrantRwLock lock) {
        return count(find(lock));
    }

    /**
     * Returns the count in {@code slot}.
     *
     * @param slot a slot from {@link #find} or {@link #reserve}, or {@link #NONE}
     * @return the count (0 for {@link #NONE})
     */
    int count(int slot) {
        return slot == FIRST ? firstCount : slot == NONE ? 0 : counts[slot];
    }

    /**
     * Returns the slot of {@code lock}, creating an entry with count 0 if there is none, so that recording
     * the hold after the acquiring CAS cannot fail for want of memory. Undo with {@link #trim} if the
     * acquisition fails.
     *
     * @param lock the lock
     * @return the slot
     */
    int reserve(ReentrantRwLock lock) {
        int slot = find(lock);
        if (slot != NONE) {
            return slot;
        }
        if (first == null) {
            first = lock;
            firstCount = 0;
            return FIRST;
        }
        ReentrantRwLock[] l = locks;
        if (l == null) {
            locks = l = new ReentrantRwLock[2];
            counts = new int[2];
        }
        for (int i = 0; i < l.length; i++) {
            if (l[i] == null) {
                l[i] = lock;
                counts[i] = 0;
                return i;
            }
        }
        int n = l.length;
        locks = l = Arrays.copyOf(l, n * 2);
        counts = Arrays.copyOf(counts, n * 2);
        l[n] = lock;
        return n;
    }

    /**
     * Adds one hold in {@code slot} (reserved for the lock just acquired).
     *
     * @param slot the slot
     */
    void increment(int slot) {
        if (slot == FIRST) {
            firstCount++;
        } else {
            counts[slot]++;
        }
    }

    /**
     * Removes one hold of {@code lock}, dropping its entry at zero.
     *
     * @param lock the lock
     * @return {@code false} if this thread holds no read lock of {@code lock} (nothing changed)
     */
    boolean decrement(ReentrantRwLock lock) {
        int slot = find(lock);
        int c = count(slot);
        if (c <= 0) {
            return false;
        }
        if (slot == FIRST) {
            firstCount = c - 1;
        } else {
            counts[slot] = c - 1;
        }
        trim(slot);
        return true;
    }

    /**
     * Drops the entry in {@code slot} if its count is 0 (after a release, or an acquisition that failed).
     *
     * @param slot the slot, or {@link #NONE}
     */
    void trim(int slot) {
        if (slot == FIRST) {
            if (firstCount == 0) {
                first = null;
            }
        } else if (slot != NONE && counts[slot] == 0) {
            ReentrantRwLock[] l = locks;
            l[slot] = null;
            for (ReentrantRwLock x : l) {
                if (x != null) {
                    return;
                }
            }
            locks = null; // no second lock held: back to the fast path's empty test
            counts = null;
        }
    }

    /** The ThreadLocal's initial value, as a named class (no lambda on a first-use path). */
    private static final class PerThread extends ThreadLocal<ReadHolds> {
        @Override
        protected ReadHolds initialValue() {
            return new ReadHolds();
        }
    }
}
