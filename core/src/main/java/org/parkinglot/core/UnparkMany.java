/*
 * Ported from parking_lot `core/src/parking_lot.rs` (unpark_all, unpark_requeue, unpark_filter).
 */
package org.parkinglot.core;

import java.util.Objects;
import java.util.function.Supplier;
import org.parkinglot.core.internal.Bucket;
import org.parkinglot.core.internal.UnparkHandle;
import org.parkinglot.core.internal.WaitNode;

/**
 * The bodies of {@link ParkingLot}'s operations that wake or move many threads at once:
 * {@link ParkingLot#unparkAll(Object, long, long) unparkAll},
 * {@link ParkingLot#unparkRequeue unparkRequeue} and {@link ParkingLot#unparkFilter unparkFilter}.
 * ParkingLot checks the arguments and the caller ({@link CallbackGuard}) and documents the contracts;
 * the rules of its implementation notes hold here too: callbacks run under the bucket lock before the
 * queue is edited (so a throw needs no repair), and threads are woken only after every bucket lock is
 * released (two-phase unpark).
 */
final class UnparkMany {

    private UnparkMany() {
    }

    /** {@link ParkingLot#unparkAll(Object, long, long)}, after its argument and re-entry checks. */
    static int all(Object key, long lane, long unparkToken) {
        WaitNode head;
        int count;
        boolean emptied;
        Bucket bucket = ParkingTable.lockBucket(key, lane);
        try {
            head = bucket.find(key, lane);
            if (head == null) {
                return 0;
            }
            count = head.keyCount;
            bucket.removeKey(head); // the whole key at once; its nodes stay chained through next
            emptied = ParkingTable.keyRemoved(bucket);
            bucket.countUnparked(count, false); // unparkAll reports no fairness
            for (WaitNode n = head; n != null; n = n.next) {
                n.unparkToken = unparkToken; // plain: published by unparkLock()'s release
                n.unparkLock();
            }
        } finally {
            bucket.unlock();
        }
        wakeChain(head);
        if (emptied) {
            ParkingTable.shrinkIfNeeded();
        }
        return count;
    }

    /** {@link ParkingLot#unparkRequeue}, after its argument and re-entry checks. */
    static UnparkResult requeue(Object keyFrom, long laneFrom, Object keyTo, long laneTo,
                                Supplier<RequeueOp> validate, ParkingLot.RequeueCallback callback,
                                CallbackGuard guard) {
        int hashFrom = System.identityHashCode(keyFrom);
        int hashTo = System.identityHashCode(keyTo);
        ParkingTable.Table t = ParkingTable.lockPair(hashFrom, laneFrom, hashTo, laneTo);
        Bucket from = t.bucket(hashFrom, laneFrom);
        Bucket to = t.bucket(hashTo, laneTo);
        UnparkHandle handle = null;
        UnparkResult result;
        boolean emptied = false;
        boolean checkGrowth = false;
        guard.holdsBucketLock = true;
        try {
            RequeueOp op = Objects.requireNonNull(validate.get(), "RequeueOp returned by validate");
            if (op == RequeueOp.ABORT) {
                return UnparkResult.EMPTY;
            }
            WaitNode head = from.find(keyFrom, laneFrom);
            int matches = head == null ? 0 : head.keyCount;
            int unparked;
            int requeued;
            boolean haveMore;
            switch (op) {
                case UNPARK_ONE_REQUEUE_REST -> {
                    unparked = Math.min(matches, 1);
                    requeued = matches - unparked;
                    haveMore = false;
                }
                case REQUEUE_ALL -> {
                    unparked = 0;
                    requeued = matches;
                    haveMore = false;
                }
                case UNPARK_ONE -> {
                    unparked = Math.min(matches, 1);
                    requeued = 0;
                    haveMore = matches > 1;
                }
                case REQUEUE_ONE -> {
                    unparked = 0;
                    requeued = Math.min(matches, 1);
                    haveMore = matches > 1;
                }
                default -> throw new AssertionError(op);
            }
            long now = unparked != 0 ? System.nanoTime() : 0L;
            boolean beFair = unparked != 0 && from.shouldTimeout(now);
            result = (unparked | requeued) == 0 && !haveMore
                    ? UnparkResult.EMPTY
                    : new UnparkResult(unparked, requeued, haveMore, beFair);
            long token = callback.onRequeue(op, result);

            // The plan is fixed and every callback has returned: now edit the queues.
            if (head != null) {
                WaitNode wake = null;
                WaitNode moveFirst;
                WaitNode moveLast;
                if (unparked + requeued == matches) {
                    moveLast = head.keyTail; // read before removeKey clears it
                    from.removeKey(head); // the whole key leaves: O(1)
                    emptied = ParkingTable.keyRemoved(from);
                    moveFirst = head;
                } else {
                    WaitNode next = head.next;
                    if (from.removeFirst(head) == 0) { // one node of several
                        emptied = ParkingTable.keyRemoved(from);
                    } else if (unparked != 0) {
                        next.keyServedAt = now; // the key's new head: a thread of the key was woken
                    }
                    moveFirst = head;
                    moveLast = head;
                }
                if (unparked != 0) {
                    from.countUnparked(unparked, beFair);
                    wake = moveFirst;
                    moveFirst = wake == moveLast ? null : wake.next;
                    wake.next = null;
                }
                if (moveFirst != null) {
                    // Every moved node gets the new key (plain stores: a node re-reads its key under a
                    // bucket lock), so that a node that times out finds the bucket it is queued in.
                    for (WaitNode n = moveFirst; ; n = n.next) {
                        n.key = keyTo;
                        n.lane = laneTo;
                        if (n == moveLast) {
                            break;
                        }
                    }
                    from.countRequeued(requeued);
                    if (to.appendChain(moveFirst, moveLast, requeued)) {
                        ParkingTable.keyAdded();
                        checkGrowth = to.keyCount() > 1;
                        to.observeChain();
                    }
                }
                if (wake != null) {
                    wake.unparkToken = token; // plain: published by unparkLock()'s release
                    handle = wake.unparkLock();
                }
            }
        } finally {
            guard.holdsBucketLock = false;
            if (from != to) {
                to.unlock();
            }
            from.unlock();
        }
        if (handle != null) {
            handle.unpark();
        }
        if (checkGrowth) {
            ParkingTable.resizeIfNeeded();
        } else if (emptied) {
            ParkingTable.shrinkIfNeeded();
        }
        return result;
    }

    /** {@link ParkingLot#unparkFilter}, after its argument and re-entry checks. */
    static UnparkResult filter(Object key, long lane, ParkingLot.ParkTokenFilter filter,
                               ParkingLot.UnparkCallback callback, CallbackGuard guard) {
        WaitNode wakeHead = null;
        UnparkResult result;
        boolean emptied = false;
        Bucket bucket = ParkingTable.lockBucket(key, lane);
        guard.holdsBucketLock = true;
        try {
            WaitNode head = bucket.find(key, lane);
            int selected = 0;
            boolean haveMore = false;
            long callbackToken;
            long now;
            try {
                for (WaitNode n = head; n != null; n = n.next) {
                    FilterOp op = Objects.requireNonNull(filter.filter(n.parkToken), "FilterOp returned by filter");
                    if (op == FilterOp.UNPARK) {
                        n.selected = true;
                        selected++;
                    } else if (op == FilterOp.SKIP) {
                        haveMore = true;
                    } else {
                        haveMore = true;
                        break;
                    }
                }
                now = selected != 0 ? System.nanoTime() : 0L;
                result = selected == 0 && !haveMore
                        ? UnparkResult.EMPTY
                        : new UnparkResult(selected, 0, haveMore, selected != 0 && bucket.shouldTimeout(now));
                callbackToken = callback.onUnpark(result);
            } catch (Throwable t) {
                for (WaitNode n = head; n != null; n = n.next) {
                    n.selected = false; // a throwing filter or callback leaves the queue as it was
                }
                throw t;
            }

            // Callbacks done: the selected nodes leave the key's queue, the others stay in order.
            if (selected != 0) {
                boolean keyLeft = selected == head.keyCount;
                wakeHead = bucket.takeSelected(head, selected, now);
                if (keyLeft) {
                    emptied = ParkingTable.keyRemoved(bucket);
                }
                bucket.countUnparked(selected, result.beFair());
                for (WaitNode n = wakeHead; n != null; n = n.next) {
                    n.unparkToken = callbackToken; // plain: published by unparkLock()'s release
                    n.unparkLock();
                }
            }
        } finally {
            guard.holdsBucketLock = false;
            bucket.unlock();
        }
        wakeChain(wakeHead);
        if (emptied) {
            ParkingTable.shrinkIfNeeded();
        }
        return result;
    }

    /** Phase two for a chain of dequeued nodes linked through {@code next}. */
    private static void wakeChain(WaitNode n) {
        while (n != null) {
            WaitNode next = n.next; // no one else touches a dequeued node's link
            n.unpark();
            n = next;
        }
    }
}
