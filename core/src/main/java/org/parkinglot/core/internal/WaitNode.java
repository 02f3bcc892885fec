/*
 * Ported from parking_lot `core/src/parking_lot.rs` (ThreadData).
 */
package org.parkinglot.core.internal;

/**
 * One parked thread in a key's queue (see {@link Bucket} for how a bucket's queues are linked). A
 * fresh node serves each park (allocated on the slow path only, as AbstractQueuedSynchronizer does),
 * so a node is never reused while an unparker may still hold it.
 *
 * <p>Every mutable field is guarded by the lock of the bucket the node is queued in; a requeue moves
 * the node between buckets while holding both buckets' locks.
 */
public final class WaitNode extends ThreadParker {

    /** The key's object; changed only by a requeue, under both buckets' locks. Read racily only as a hint. */
    public Object key;
    /** The key's lane; changed only by a requeue, under both buckets' locks. */
    public long lane;
    /** Next node of the same key's queue (FIFO); after dequeuing, the next node to wake. */
    public WaitNode next;
    /** In a key's head (its oldest node): the head of the next key queue of the bucket; else {@code null}. */
    public WaitNode nextKey;
    /** In a key's head: the key's newest node; else {@code null}. */
    public WaitNode keyTail;
    /** In a key's head: how many nodes the key's queue holds; else {@code 0}. */
    public int keyCount;
    /**
     * In a key's head: {@code System.nanoTime()} when an unparker last woke one of the key's threads,
     * or when {@code ParkingLot.fairnessOverdue} first asked about a queue that had none woken yet
     * ({@link #NOT_SERVED} until then: a new queue costs no clock read); carried to the next head when
     * the head leaves. Else stale.
     */
    public long keyServedAt;

    /** {@link #keyServedAt} of a key queue that has had no thread woken and no fairness question yet. */
    public static final long NOT_SERVED = Long.MIN_VALUE;
    /** The token the thread parked with; written before the node is queued, then read-only. */
    public final long parkToken;
    /** The token handed over by the unparker; written under the bucket lock before {@link #unparkLock()}. */
    public long unparkToken;
    /** Marks a node chosen by an unparkFilter filter between its two passes; guarded by the bucket lock. */
    public boolean selected;

    /**
     * Creates a node for the current thread.
     *
     * @param key       the key's object, also the blocker thread dumps report
     * @param lane      the key's lane
     * @param parkToken the token the thread parks with
     */
    public WaitNode(Object key, long lane, long parkToken) {
        super(key);
        this.key = key;
        this.lane = lane;
        this.parkToken = parkToken;
    }

    /**
     * Returns the thread this node parks.
     *
     * @return the parked thread
     */
    public Thread thread() {
        return thread;
    }

    /**
     * Returns whether this node waits on the key ({@code key}, {@code lane}).
     *
     * @param key  the key's object
     * @param lane the key's lane
     * @return {@code true} if both parts are the same
     */
    public boolean hasKey(Object key, long lane) {
        return this.key == key && this.lane == lane;
    }
}
