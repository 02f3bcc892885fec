/*
 * Ported from parking_lot `core/src/parking_lot.rs` (Bucket, FairTimeout).
 */
package org.parkinglot.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One bucket of the parking lot's hash table: a {@link WordLock}, a FIFO queue of the threads of every
 * key that hashes here, and the bucket's fair-timeout timer. Every method but construction must be
 * called with the bucket's lock held.
 */
public final class Bucket extends BucketPad1 {

    /**
     * Creates an empty bucket.
     *
     * @param seed nonzero seed of the bucket's xorshift generator
     * @param now  the current {@code System.nanoTime()}: the first unpark after it reports fair
     */
    public Bucket(int seed, long now) {
        this.seed = seed;
        this.fairTimeout = now;
    }

    /**
     * Appends {@code node} to the queue.
     *
     * @param node a node not queued anywhere
     * @return the queue length afterwards
     */
    public int enqueue(WaitNode node) {
        node.next = null;
        if (queueTail == null) {
            queueHead = node;
        } else {
            queueTail.next = node;
        }
        queueTail = node;
        return ++count;
    }

    /**
     * Unlinks {@code node}, whose predecessor is {@code prev} ({@code null} for the head).
     *
     * @param prev the node before {@code node}, or {@code null}
     * @param node a node of this queue
     */
    public void unlink(WaitNode prev, WaitNode node) {
        WaitNode next = node.next;
        if (prev == null) {
            queueHead = next;
        } else {
            prev.next = next;
        }
        if (queueTail == node) {
            queueTail = prev;
        }
        node.next = null;
        count--;
    }

    /**
     * Unlinks {@code node} if it is queued here.
     *
     * @param node the node to remove
     * @return {@code true} if it was found and removed
     */
    public boolean remove(WaitNode node) {
        WaitNode prev = null;
        for (WaitNode n = queueHead; n != null; prev = n, n = n.next) {
            if (n == node) {
                unlink(prev, n);
                return true;
            }
        }
        return false;
    }

    /**
     * Returns whether any queued thread waits on the key.
     *
     * @param key  the key's object
     * @param lane the key's lane
     * @return {@code true} if some node has that key
     */
    public boolean hasKey(Object key, long lane) {
        for (WaitNode n = queueHead; n != null; n = n.next) {
            if (n.hasKey(key, lane)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the oldest node of the queue.
     *
     * @return the head, or {@code null} if empty
     */
    public WaitNode head() {
        return queueHead;
    }

    /**
     * Returns the newest node of the queue.
     *
     * @return the tail, or {@code null} if empty
     */
    public WaitNode tail() {
        return queueTail;
    }

    /**
     * Appends a chain of nodes linked through {@code next} ({@code last.next} must be {@code null}).
     *
     * @param first  the first node of the chain
     * @param last   the last node of the chain
     * @param length how many nodes the chain holds
     */
    public void appendChain(WaitNode first, WaitNode last, int length) {
        if (queueTail == null) {
            queueHead = first;
        } else {
            queueTail.next = first;
        }
        queueTail = last;
        count += length;
    }

    /** Forgets every node (after a table growth moved them all to a new table). */
    public void clear() {
        queueHead = null;
        queueTail = null;
        count = 0;
    }

    /**
     * Returns how many nodes the queue holds. Read racily (without the lock) only as a sizing hint.
     *
     * @return the queue length
     */
    public int count() {
        return count;
    }

    /**
     * The fair timeout: whether a fair unlock is due, and if so, arms the next one a uniformly random
     * 0-1 ms from now (xorshift32), so fair unlocks happen on average every 0.5 ms per bucket.
     *
     * @return {@code true} if the timeout had expired
     */
    public boolean shouldTimeout() {
        long now = System.nanoTime();
        if (now - fairTimeout > 0L) {
            int x = seed;
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            seed = x;
            // opaque: an untorn value for fairTimeoutPassed's racy readers; ordering comes from the lock
            FAIR_TIMEOUT.setOpaque(this, now + Integer.remainderUnsigned(x, 1_000_000));
            return true;
        }
        return false;
    }

    /**
     * Whether the fair timeout has passed at {@code now}: a racy read, callable without the lock. A
     * stale answer costs at most one early or late fair unlock; {@link #shouldTimeout()} under the lock
     * decides.
     *
     * @param now a {@code System.nanoTime()} reading
     * @return {@code true} if the timeout had passed
     */
    public boolean fairTimeoutPassed(long now) {
        return now - (long) FAIR_TIMEOUT.getOpaque(this) > 0L; // opaque: untorn; no ordering needed for a hint
    }

    // VarHandle mechanics
    private static final VarHandle FAIR_TIMEOUT;

    static {
        try {
            FAIR_TIMEOUT = MethodHandles.lookup().findVarHandle(BucketFields.class, "fairTimeout", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}

/** Fields of a bucket, all guarded by its lock (except racy reads of {@code count} as a sizing hint). */
abstract class BucketFields extends WordLock {
    /** Oldest queued node, of any key hashing here. */
    WaitNode queueHead;
    /** Newest queued node. */
    WaitNode queueTail;
    /** Number of queued nodes. */
    int count;
    /** {@code System.nanoTime()} after which the next unpark reports {@code beFair}; written under the lock (opaque), read racily by {@code fairTimeoutPassed}. */
    long fairTimeout;
    /** xorshift32 state, never zero. */
    int seed;
}

/** Trailing padding of a bucket: keeps the next object off this bucket's cache lines. */
@SuppressWarnings("unused")
abstract class BucketPad1 extends BucketFields {
    long q00, q01, q02, q03, q04, q05, q06, q07;
    long q08, q09, q10, q11, q12, q13, q14;
}
