package org.parkinglot.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Unit tests of {@link Bucket}'s list of per-key queues, single-threaded (the bucket lock is not
 * exercised here): every edit keeps each key's FIFO order, its head's tail and count, and the key list.
 * The nodes are never parked; they only carry keys.
 */
class BucketTest {

    private final Bucket bucket = new Bucket(1, System.nanoTime());
    private final Object a = new Object();
    private final Object b = new Object();

    private WaitNode node(Object key, long lane) {
        return new WaitNode(key, lane, 0L);
    }

    private WaitNode[] enqueue(Object key, int n) {
        WaitNode[] nodes = new WaitNode[n];
        for (int i = 0; i < n; i++) {
            nodes[i] = node(key, 0L);
            assertEquals(i == 0, bucket.enqueue(nodes[i]), "only the first node starts the key's queue");
        }
        return nodes;
    }

    /** The key's queue, oldest first, after checking the head's tail and count and every node's key. */
    private List<WaitNode> queue(Object key) {
        List<WaitNode> list = new ArrayList<>();
        WaitNode head = bucket.find(key, 0L);
        for (WaitNode n = head; n != null; n = n.next) {
            assertTrue(n.hasKey(key, 0L), "a node of another key in the queue");
            if (n != head) {
                assertNull(n.keyTail, "key-head field left in a plain node");
                assertEquals(0, n.keyCount, "key-head field left in a plain node");
            }
            list.add(n);
        }
        if (head != null) {
            assertSame(list.get(list.size() - 1), head.keyTail, "stale tail");
            assertEquals(list.size(), head.keyCount, "stale count");
        }
        return list;
    }

    /** The keys' heads by walking the key list; checks the bucket's key count. */
    private Set<WaitNode> heads() {
        Set<WaitNode> heads = new HashSet<>();
        for (WaitNode h = bucket.firstKey(); h != null; h = h.nextKey) {
            assertTrue(heads.add(h), "key list has a cycle");
        }
        assertEquals(heads.size(), bucket.keyCount());
        return heads;
    }

    /** Nodes of one key queue behind its head in arrival order; distinct keys (also lanes) get their own queues. */
    @Test
    void enqueueKeepsOneFifoQueuePerKey() {
        WaitNode[] as = enqueue(a, 3);
        WaitNode[] bs = enqueue(b, 2);
        WaitNode lane1 = node(a, 1L);
        assertTrue(bucket.enqueue(lane1));
        assertEquals(List.of(as), queue(a));
        assertEquals(List.of(bs), queue(b));
        assertSame(lane1, bucket.find(a, 1L));
        assertEquals(Set.of(as[0], bs[0], lane1), heads());
        assertNull(bucket.find(new Object(), 0L));
    }

    /** Removing the head promotes the next node with the key's tail and count; the last removal drops the key. */
    @Test
    void removeFirstPromotesTheNextNode() {
        WaitNode[] bs = enqueue(b, 1);
        WaitNode[] as = enqueue(a, 3);
        assertEquals(2, bucket.removeFirst(as[0]));
        assertEquals(List.of(as[1], as[2]), queue(a));
        assertNull(as[0].next);
        assertNull(as[0].nextKey);
        assertEquals(Set.of(as[1], bs[0]), heads());
        assertEquals(1, bucket.removeFirst(as[1]));
        assertEquals(0, bucket.removeFirst(as[2]));
        assertNull(bucket.find(a, 0L));
        assertEquals(Set.of(bs[0]), heads());
    }

    /** A timed-out node leaves from the head, the middle or the tail; a node not queued under its key is not found. */
    @Test
    void removeFromAnyPosition() {
        enqueue(b, 2);
        WaitNode[] as = enqueue(a, 5);
        assertEquals(4, bucket.remove(as[2]));
        assertEquals(3, bucket.remove(as[4]));
        assertEquals(List.of(as[0], as[1], as[3]), queue(a));
        assertEquals(2, bucket.remove(as[0]));
        assertEquals(List.of(as[1], as[3]), queue(a));
        assertEquals(-1, bucket.remove(as[0]), "removed twice");
        assertEquals(-1, bucket.remove(node(a, 0L)), "a node never queued");
        // Queued in another bucket under a key this bucket also has (what a stale key read can lead to).
        Bucket other = new Bucket(2, System.nanoTime());
        WaitNode elsewhere = node(b, 0L);
        other.enqueue(elsewhere);
        assertEquals(-1, bucket.remove(elsewhere));
        assertEquals(List.of(elsewhere), List.of(other.find(b, 0L)));
        assertEquals(1, bucket.remove(as[1]));
        assertEquals(0, bucket.remove(as[3]));
        assertEquals(1, heads().size());
    }

    /** A whole key leaves in one step, its nodes still chained, and can be appended behind another key's queue. */
    @Test
    void removeKeyThenAppendChainToAnotherKey() {
        WaitNode[] as = enqueue(a, 3);
        WaitNode[] bs = enqueue(b, 2);
        WaitNode tail = as[0].keyTail;
        bucket.removeKey(as[0]);
        assertNull(bucket.find(a, 0L));
        assertSame(as[2], tail);
        assertSame(as[1], as[0].next);
        for (WaitNode n : as) {
            n.key = b;
        }
        assertFalse(bucket.appendChain(as[0], tail, 3), "b's queue already existed");
        assertEquals(List.of(bs[0], bs[1], as[0], as[1], as[2]), queue(b));
        assertEquals(Set.of(bs[0]), heads());
    }

    /** A chain appended to a key with no queue starts one, with its own tail and count. */
    @Test
    void appendChainStartsAMissingKey() {
        WaitNode[] bs = enqueue(b, 1);
        WaitNode x = node(a, 0L);
        WaitNode y = node(a, 0L);
        x.next = y;
        assertTrue(bucket.appendChain(x, y, 2));
        assertEquals(List.of(x, y), queue(a));
        assertEquals(Set.of(x, bs[0]), heads());
    }

    /** An unpark filter's leftovers become the key's queue, whichever nodes it took (head, middle, tail, all). */
    @Test
    void keepOnlyRebuildsTheKey() {
        WaitNode[] bs = enqueue(b, 1);
        WaitNode[] as = enqueue(a, 4);
        // Keep the two middle nodes: the filter took the head and the tail.
        as[1].next = as[2];
        bucket.keepOnly(as[0], as[1], as[2], 2);
        assertEquals(List.of(as[1], as[2]), queue(a));
        assertEquals(Set.of(as[1], bs[0]), heads());
        // Keep the head only.
        bucket.keepOnly(as[1], as[1], as[1], 1);
        assertEquals(List.of(as[1]), queue(a));
        // Keep nothing.
        bucket.keepOnly(as[1], null, null, 0);
        assertNull(bucket.find(a, 0L));
        assertEquals(Set.of(bs[0]), heads());
    }

    /** A resize moves key heads with their whole queues into another bucket and empties the old one. */
    @Test
    void adoptKeyMovesWholeQueues() {
        WaitNode[] as = enqueue(a, 3);
        WaitNode[] bs = enqueue(b, 2);
        Bucket other = new Bucket(2, System.nanoTime());
        for (WaitNode h = bucket.firstKey(); h != null; ) {
            WaitNode next = h.nextKey;
            other.adoptKey(h);
            h = next;
        }
        bucket.clear();
        assertNull(bucket.firstKey());
        assertEquals(0, bucket.keyCount());
        assertSame(as[0], other.find(a, 0L));
        assertSame(bs[0], other.find(b, 0L));
        assertEquals(2, other.keyCount());
        assertSame(as[2], as[0].keyTail);
        assertEquals(3, as[0].keyCount);
    }
}
