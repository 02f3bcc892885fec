package org.parkinglot.core;

import org.parkinglot.core.internal.WaitNode;

/**
 * One thread queued in the parking lot, as {@link ParkingLot#parkedThreads()} saw it: the thread, the
 * key it waits under, its park token, and whether it had started to sleep. A monitoring snapshot (for
 * deadlock finders and diagnostics), not a handle: it does not change when the thread moves on.
 *
 * <p>Each park of a thread is a separate wait: {@link #sameWait} tells whether two snapshots saw the
 * same one. A thread seen in the same wait, under the same key, by two snapshots was queued there
 * without interruption in between (a wait never rejoins a queue it left; only a requeue moves it,
 * and a requeue changes its key).
 */
public final class ParkedThread {

    private final Thread thread;
    private final Object key;
    private final long lane;
    private final long parkToken;
    private final boolean sleeping;
    /** The wait's node: its identity is the identity of the wait (a fresh node serves each park). */
    private final WaitNode wait;

    /** Read under the node's bucket lock. */
    ParkedThread(WaitNode node) {
        this.thread = node.thread();
        this.key = node.key;
        this.lane = node.lane;
        this.parkToken = node.parkToken;
        this.sleeping = node.isSleeping();
        this.wait = node;
    }

    /**
     * Returns the queued thread.
     *
     * @return the thread
     */
    public Thread thread() {
        return thread;
    }

    /**
     * Returns the object of the key the thread was queued under (a requeue may have moved it from the
     * key it parked with).
     *
     * @return the key's object
     */
    public Object key() {
        return key;
    }

    /**
     * Returns the lane of the key the thread was queued under.
     *
     * @return the key's lane
     */
    public long lane() {
        return lane;
    }

    /**
     * Returns the token the thread parked with.
     *
     * @return the park token
     */
    public long parkToken() {
        return parkToken;
    }

    /**
     * Returns whether the thread had started to sleep: it had finished its park's {@code beforeSleep}
     * (where a condition variable releases its mutex), so it runs nothing until an unparker chooses it,
     * its time elapses, or (interruptible parks) it is interrupted. A thread not yet sleeping may still
     * be releasing what it holds.
     *
     * @return {@code true} if the thread had started to sleep
     */
    public boolean sleeping() {
        return sleeping;
    }

    /**
     * Returns whether {@code other} saw the same wait of the same thread under the same key.
     *
     * @param other another snapshot entry
     * @return {@code true} if both entries saw one wait, queued under one key
     */
    public boolean sameWait(ParkedThread other) {
        return other.wait == wait && other.key == key && other.lane == lane;
    }

    /**
     * Returns a description of the entry, for diagnostics.
     *
     * @return the thread's name, the key's class and identity hash, the lane and the park token
     */
    @Override
    public String toString() {
        return "ParkedThread[" + thread.getName() + " on " + key.getClass().getName() + "@"
                + Integer.toHexString(System.identityHashCode(key)) + ", lane " + lane + ", token " + parkToken
                + (sleeping ? "" : ", not yet sleeping") + "]";
    }
}
