/*
 * Ported from parking_lot `core/src/parking_lot.rs` (Bucket, FairTimeout); the per-key queues are this
 * port's own (parking_lot keeps one list of all threads of the bucket).
 */
package org.parkinglot.core.internal;

/**
 * One bucket of the parking lot's hash table: a {@link WordLock}, the wait queues of the keys that hash
 * here, and the bucket's fair-timeout timer. Every method but construction must be called with the
 * bucket's lock held.
 *
 * <p>The queues form a list of lists:
 * <pre>
 *   firstKey -> head(A) --nextKey--> head(B) --nextKey--> null
 *                 |                    |
 *                next                 next
 *                 v                    v
 *               A2 -> A3 -> null     null           head(A).keyTail == A3, head(A).keyCount == 3
 * </pre>
 * The first waiting node of each key is the key's head: it links to the next key's head and keeps its
 * key's newest node and node count. The other nodes of the key follow it through {@code next}, oldest
 * first. So finding a key scans only the distinct keys of the bucket, a whole key moves in O(1), and a
 * table resize re-links heads, not nodes. The order of the keys in the list means nothing.
 *
 * <p>A plain bucket is compact (about 112 bytes: the lock, the queue heads, the fair timer and the
 * counters); {@link #padded} makes one padded against false sharing with the next object, for tables
 * small enough that a few busy locks share them (see {@code ParkingTable}).
 */
public class Bucket extends BucketCounters {

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
     * Creates an empty bucket padded against false sharing: it takes about 290 bytes instead of 112.
     *
     * @param seed nonzero seed of the bucket's xorshift generator
     * @param now  the current {@code System.nanoTime()}: the first unpark after it reports fair
     * @return the bucket
     */
    public static Bucket padded(int seed, long now) {
        return new PaddedBucket(seed, now);
    }

    /**
     * Returns the head of the queue of (key, lane) in this bucket.
     *
     * @param key  the key's object
     * @param lane the key's lane
     * @return the key's oldest node, or {@code null} if no thread waits on that key here
     */
    public WaitNode find(Object key, long lane) {
        for (WaitNode h = firstKey; h != null; h = h.nextKey) {
            if (h.hasKey(key, lane)) {
                return h;
            }
        }
        return null;
    }

    /**
     * Appends {@code node} to the queue of its key ({@code node.key}, {@code node.lane}), starting that
     * key's queue if it has none here.
     *
     * @param node a node not queued anywhere
     * @return {@code true} if the node started a new key queue
     */
    public boolean enqueue(WaitNode node) {
        return appendChain(node, node, 1);
    }

    /**
     * Appends a chain of nodes linked through {@code next}, all carrying the same key, to that key's
     * queue, starting the queue if the key has none here.
     *
     * @param first  the first node of the chain (its key is the chain's key)
     * @param last   the last node of the chain
     * @param length how many nodes the chain holds
     * @return {@code true} if the chain started a new key queue
     */
    public boolean appendChain(WaitNode first, WaitNode last, int length) {
        last.next = null;
        WaitNode head = find(first.key, first.lane);
        if (head != null) {
            head.keyTail.next = first;
            head.keyTail = last;
            head.keyCount += length;
            first.nextKey = null; // first stops being (or never was) a head
            first.keyTail = null;
            first.keyCount = 0;
            return false;
        }
        first.keyTail = last;
        first.keyCount = length;
        first.keyServedAt = WaitNode.NOT_SERVED;
        adoptKey(first);
        return true;
    }

    /**
     * Links the head of an existing key queue into this bucket (table resizes; the key must not be
     * queued here already).
     *
     * @param head a key's head, its {@code keyTail} and {@code keyCount} set
     */
    public void adoptKey(WaitNode head) {
        head.nextKey = firstKey;
        firstKey = head;
        keys++;
    }

    /**
     * Removes the oldest node of a key; the next node, if any, becomes the key's head.
     *
     * @param head the key's head
     * @return how many nodes the key keeps
     */
    public int removeFirst(WaitNode head) {
        WaitNode next = head.next;
        int left = head.keyCount - 1;
        if (next != null) {
            next.keyTail = head.keyTail;
            next.keyCount = left;
            next.keyServedAt = head.keyServedAt;
        }
        replaceHead(head, next);
        head.next = null;
        return left;
    }

    /**
     * Removes a whole key queue. The nodes stay linked through {@code next} from {@code head}; the
     * caller reads {@code head.keyTail} and {@code head.keyCount} first (this clears them).
     *
     * @param head the key's head
     */
    public void removeKey(WaitNode head) {
        replaceHead(head, null);
    }

    /**
     * Unlinks {@code node} if it is queued here under the key its fields name; its key fields are read
     * under this lock, so they are exact if the node is queued here.
     *
     * @param node the node to remove
     * @return how many nodes its key keeps, or {@code -1} if the node is not queued here under that key
     */
    public int remove(WaitNode node) {
        WaitNode head = find(node.key, node.lane);
        if (head == null) {
            return -1;
        }
        if (head == node) {
            return removeFirst(head);
        }
        for (WaitNode prev = head, n = head.next; n != null; prev = n, n = n.next) {
            if (n == node) {
                prev.next = n.next;
                if (head.keyTail == n) {
                    head.keyTail = prev;
                }
                n.next = null;
                return --head.keyCount;
            }
        }
        return -1;
    }

    /**
     * Takes the nodes an unpark filter marked {@link WaitNode#selected} out of a key's queue, clearing
     * their marks: the key keeps its other nodes in their order (or leaves the bucket if none is left).
     *
     * @param head     the key's current head
     * @param selected how many of the key's nodes are marked (at least one)
     * @param now      the current {@code System.nanoTime()}: the key's remaining head records it as
     *                 {@link WaitNode#keyServedAt}
     * @return the marked nodes in queue order, linked through {@code next}
     */
    public WaitNode takeSelected(WaitNode head, int selected, long now) {
        int kept = head.keyCount - selected;
        WaitNode wakeHead = null;
        WaitNode wakeTail = null;
        WaitNode keepFirst = null;
        WaitNode keepLast = null;
        for (WaitNode n = head; n != null; ) {
            WaitNode next = n.next;
            if (n.selected) {
                n.selected = false;
                if (wakeTail == null) {
                    wakeHead = n;
                } else {
                    wakeTail.next = n;
                }
                wakeTail = n;
            } else {
                if (keepLast == null) {
                    keepFirst = n;
                } else {
                    keepLast.next = n;
                }
                keepLast = n;
            }
            n = next;
        }
        wakeTail.next = null;
        keepOnly(head, keepFirst, keepLast, kept);
        if (keepFirst != null) {
            keepFirst.keyServedAt = now;
        }
        return wakeHead;
    }

    /**
     * Replaces a key's queue by the given sub-chain of its nodes (an unpark filter took the others).
     *
     * @param head  the key's current head
     * @param first the first node the key keeps, or {@code null} to drop the key
     * @param last  the last node the key keeps (its {@code next} is cleared)
     * @param count how many nodes the key keeps
     */
    public void keepOnly(WaitNode head, WaitNode first, WaitNode last, int count) {
        if (first == null) {
            replaceHead(head, null);
            return;
        }
        last.next = null;
        first.keyTail = last;
        first.keyCount = count;
        if (first != head) {
            first.keyServedAt = head.keyServedAt;
            replaceHead(head, first);
        }
    }

    /**
     * Puts {@code replacement} (or nothing) in the key list where {@code old} was, and clears
     * {@code old}'s key-head fields.
     */
    private void replaceHead(WaitNode old, WaitNode replacement) {
        WaitNode after = old.nextKey;
        WaitNode link;
        if (replacement != null) {
            replacement.nextKey = after;
            link = replacement;
        } else {
            keys--;
            link = after;
        }
        if (firstKey == old) {
            firstKey = link;
        } else {
            WaitNode p = firstKey;
            while (p.nextKey != old) {
                p = p.nextKey;
            }
            p.nextKey = link;
        }
        old.nextKey = null;
        old.keyTail = null;
        old.keyCount = 0;
    }

    /**
     * Returns the head of the first key queue; the others follow through {@link WaitNode#nextKey}.
     *
     * @return the first key's head, or {@code null} if no thread waits here
     */
    public WaitNode firstKey() {
        return firstKey;
    }

    /**
     * Returns how many distinct keys have threads queued here.
     *
     * @return the number of key queues
     */
    public int keyCount() {
        return keys;
    }

    /**
     * Whether the fair timeout has expired, without arming the next one.
     *
     * @param now the current {@code System.nanoTime()}
     * @return {@code true} if the next unpark would report {@code beFair}
     */
    public boolean fairTimeoutExpired(long now) {
        return now - fairTimeout > 0L;
    }

    /** Forgets every key (after a table resize moved them all to a new table). */
    public void clear() {
        firstKey = null;
        keys = 0;
    }

    /**
     * The fair timeout: whether a fair unlock is due, and if so, arms the next one a uniformly random
     * 0-1 ms from now (xorshift32), so fair unlocks happen on average every 0.5 ms per bucket.
     *
     * @param now the current {@code System.nanoTime()}
     * @return {@code true} if the timeout had expired
     */
    public boolean shouldTimeout(long now) {
        if (fairTimeoutExpired(now)) {
            int x = seed;
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            seed = x;
            fairTimeout = now + Integer.remainderUnsigned(x, 1_000_000);
            return true;
        }
        return false;
    }

}

/** Fields of a bucket, all guarded by its lock. */
abstract class BucketFields extends WordLock {
    /** Head of the first key queue; the others follow through {@link WaitNode#nextKey}. */
    WaitNode firstKey;
    /** Number of key queues (distinct keys with a thread queued here). */
    int keys;
    /** {@code System.nanoTime()} after which the next unpark reports {@code beFair}. */
    long fairTimeout;
    /** xorshift32 state, never zero. */
    int seed;
}

/**
 * A bucket padded against false sharing, for the small tables (see {@code ParkingTable}): 120 bytes
 * after its fields keep the next object, in a table the next bucket, off this bucket's lock word and
 * queue heads (a table allocates its buckets one after the other, and a collection that copies them
 * usually keeps that order; the first bucket may share a line with the end of the table's array). The
 * counters (8 longs and an int, written only by the bucket lock's
 * holder) come before the padding, so a bucket's hot fields (lock word, queue heads, fair timer) are
 * at least 188 bytes from the next bucket's.
 */
@SuppressWarnings("unused")
final class PaddedBucket extends Bucket {
    long q00, q01, q02, q03, q04, q05, q06, q07;
    long q08, q09, q10, q11, q12, q13, q14;

    PaddedBucket(int seed, long now) {
        super(seed, now);
    }
}
