/*
 * Ported from parking_lot `core/src/parking_lot.rs` (HashTable, grow_hashtable, lock_bucket,
 * lock_bucket_pair); sizing by queued keys and shrinking are this port's own.
 */
package org.parkinglot.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.parkinglot.core.internal.Bucket;
import org.parkinglot.core.internal.WaitNode;

/**
 * The parking lot's hash table of buckets: finding and locking the bucket of a key, counting queued
 * keys, and growing or shrinking the table. {@link ParkingLot} holds the queue operations; this class
 * holds where the queues live.
 */
final class ParkingTable {

    /*
     * Implementation notes.
     *
     * Growth. The nodes of one key always share a bucket, so what keeps scans short is the number of
     * distinct keys per bucket, not of threads: 100 000 threads parked on one key never grow the table.
     * parking_lot sizes its table by the number of live threads, which does not fit virtual threads.
     * Here a LongAdder counts queued keys (changed under the lock of the bucket where a key queue
     * appears or disappears, so it is exact whenever no operation is in flight). A park that starts a
     * key queue in a bucket that already holds another key checks, after its beforeSleep (where a
     * condition variable releases its mutex: nobody should wait for that mutex while the table is
     * rehashed) and only if no unparker has chosen it yet, whether queued keys exceed MAX_LOAD (2) per
     * bucket; if so the table grows to 2 * highestOneBit(keys) buckets (load 1/2 to 1 afterwards, so
     * at least 4x the buckets). An unparker or timed-out thread that empties a bucket, in a table above
     * its initial size, checks after releasing its bucket and waking its threads whether keys fell
     * below one per SHRINK_RATIO (8) buckets; if so the table shrinks to max(64, 2 * highestOneBit(keys))
     * buckets (load 1/2 to 1). Each check costs O(1) (a LongAdder sum: one read per striped cell, at
     * most about one per CPU). A resize costs O(old buckets + keys) (it rehashes key heads, not nodes);
     * a growth at least quadruples the table, a shrink divides it by 8 or more, and the key count must
     * at least double after a shrink before the next growth, or fall 4x after a growth before the next
     * shrink, so resizing costs amortized O(1) per key queue started or ended.
     *
     * Why 4x steps and compact buckets (issue 13: a million virtual threads, each parked on a lock of
     * its own). Every resize holds the whole table for a while, and each thread that parks meanwhile
     * blocks on a bucket lock, which for a virtual thread is a second unmount and remount (and a second
     * stack chunk kept). Doubling took 13 resizes to reach a million keys; quadrupling takes 7, and the
     * load after a growth is 1/2 to 1, so a park that starts a key scans fewer other keys' heads (each a
     * cache miss). Buckets of tables above PADDED_BUCKETS_MAX (1024) are compact (about 112 bytes
     * instead of about 290 padded against false sharing): the padded doublings allocated about 300 MB
     * for a million keys, all live while the burst lasted, and each young collection copied them
     * along with the million parked stacks. A large table spreads keys over more buckets than there
     * are cores, so two busy neighbours sharing a cache line are rare there; the small tables, where
     * a few busy locks meet, keep their padding.
     *
     * A resize is done by one thread at a time, the holder of the RESIZING flag, with no bucket lock
     * held on entry: it allocates the new table before taking any lock, then locks every bucket of the
     * old table in index order, moves every key head to its new bucket (the chains behind the heads
     * move with them), empties the old buckets, publishes the new table with a volatile store, and
     * unlocks. The resizer must not lose its processor while it holds the table: a virtual thread that
     * parks or yields is rescheduled behind every runnable virtual thread (a million after a burst),
     * and each of those finds its bucket locked meanwhile. So a virtual thread resizes on its carrier
     * only if it never has to wait (resizeWithoutBlocking): it takes each old bucket by tryLock,
     * spinning a little on a held one, and if one stays held (its holder may be an unmounted virtual
     * thread, say one waiting for the second bucket of a pair) it unlocks what it took, having changed
     * nothing, and falls back: it hands the resize to a short-lived platform thread and joins it. That
     * platform resizer takes each old bucket by tryLock, spinning and then polling with short timed
     * parks, never queuing in the bucket's WordLock behind virtual threads that would each have to be
     * scheduled first (lockForResize). On a single processor a virtual thread always hands over
     * (spinning cannot let the holder run). Resizing on the carrier matters during a burst: a platform
     * thread must be started and then scheduled by the OS between busy carriers, and while it waited
     * for a core (milliseconds on a loaded machine) tens of thousands of keys piled into the small
     * table, a hundred and more per bucket, and every park scanned them all. Whoever waited on an
     * old bucket lock sees the table changed and retries; nothing then refers to the old table, which
     * becomes garbage. Pair locking (lockPair) also takes the lower index first, so the two cannot
     * deadlock. A thread that wants a resize but finds the flag taken leaves at once;
     * the resizer clears the flag with a volatile store and checks the count again, which sees every
     * key change made before that thread's failed CAS, so no needed resize is lost (in particular the
     * table returns to 64 buckets once every thread has left).
     *
     * Fairness questions (fairnessOverdue). A key's head carries keyServedAt: the clock reading of the
     * last unpark that woke one of the key's threads and left others queued (unparkOne, unparkFilter,
     * unparkRequeue stamp the new head with the time they already read for the fair timer), carried
     * from head to head as heads leave (removeFirst, keepOnly); a new queue starts NOT_SERVED and the
     * first question stamps it, so parking never reads the clock for it. The answer needs the bucket
     * lock and one clock read; it is asked only by a lock's unlock that skips a wake-up, one in 256.
     *
     * Statistics. Each bucket counts what happens under its lock (BucketCounters); a table also keeps,
     * in carried, the totals of the tables it replaced and its own growth and shrink counts. A resize
     * fills the new table's carried with the old one's plus every old bucket's counters, summed while
     * it holds every old bucket lock and before it publishes the new table: no operation can count in
     * an old bucket after that (whoever locks one then sees the table changed and retries before doing
     * anything), so not a count is lost or counted twice; the new buckets start from zero. A reader
     * (statistics) reads the table once, then carried and the buckets' counters without locks: it sees
     * either a table still in use, whose counters only grow, or a replaced one, whose counters are
     * frozen at no more than its successor's carried totals. Either way no counter of a later snapshot
     * is smaller than in an earlier one.
     *
     * Statistics. Each event is counted where its bucket lock is already held, in fields of that
     * bucket (BucketCounters: why per-bucket fields rather than a LongAdder); ParkingTable sums them
     * without locks and carries them over when it resizes. A queued node leaves its queue exactly once,
     * and is counted then: by the unparker that chose it (unparks), or by itself in dequeueAfterTimeout
     * (timeouts, interrupts, abortedParks); so queuedThreads is derived, not counted. The JMX glue is
     * in ParkingLotJmx, the only class that names java.management types; ParkingLotManagement checks the
     * module is present and readable (module-info requires it static) before it calls there, and never
     * loads it otherwise.
     */

    /** Initial and smallest number of buckets (a power of two). */
    private static final int INITIAL_BUCKETS = 64;
    /** Largest table whose buckets are padded against false sharing; larger ones are compact. */
    private static final int PADDED_BUCKETS_MAX = 1024;
    /** Largest number of buckets (a power of two); beyond it, chains lengthen instead. */
    private static final int MAX_BUCKETS = 1 << 28;
    /** The table grows when queued keys outnumber buckets by more than this factor. */
    private static final int MAX_LOAD = 2;
    /** The table shrinks when buckets outnumber queued keys by more than this factor. */
    private static final int SHRINK_RATIO = 8;
    /** Spin hints a resizer spends on a held bucket before it polls it with timed parks (lockForResize). */
    private static final int RESIZE_SPIN_LIMIT = 1 << 10;
    /** How long a resizer sleeps between two tries of a held bucket after spinning. */
    private static final long RESIZE_POLL_NANOS = 20_000L;
    /** Spinning is pointless when the lock holder cannot run meanwhile. */
    private static final boolean MULTIPROCESSOR = Runtime.getRuntime().availableProcessors() > 1;
    /** Fibonacci hashing multiplier (2^64 / golden ratio). */
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    /** Index of the number of table growths in {@link Table#carried}, after the buckets' counters. */
    static final int GROWS = Bucket.COUNTERS;
    /** Index of the number of table shrinks in {@link Table#carried}. */
    static final int SHRINKS = GROWS + 1;
    /** Length of {@link Table#carried}. */
    static final int TABLE_COUNTERS = SHRINKS + 1;

    /**
     * A table of buckets; its array is fixed at construction. A replaced table is garbage once the
     * threads that read it before the replacement have locked a stale bucket, seen the change and
     * moved on: nothing else refers to it, and the resize emptied its buckets.
     */
    static final class Table {
        final Bucket[] buckets;
        final int hashBits;
        /**
         * What the tables this one replaced had counted, indexed as BucketCounters' counters (a maximum
         * for LONGEST_CHAIN), then GROWS and SHRINKS: written by the resizer under every old bucket lock,
         * before the volatile store that publishes this table, never after; read racily by statistics().
         */
        final long[] carried = new long[TABLE_COUNTERS];

        Table(int size) {
            int bits = Integer.numberOfTrailingZeros(size);
            Bucket[] b = new Bucket[size];
            long now = System.nanoTime();
            boolean padded = size <= PADDED_BUCKETS_MAX;
            for (int i = 0; i < size; i++) {
                b[i] = padded ? Bucket.padded(i + 1, now) : new Bucket(i + 1, now);
            }
            this.buckets = b;
            this.hashBits = bits;
        }

        int index(int identityHash, long lane) {
            long h = (identityHash + lane * GOLDEN) * GOLDEN;
            return (int) (h >>> (Long.SIZE - hashBits));
        }

        Bucket bucket(int identityHash, long lane) {
            return buckets[index(identityHash, lane)];
        }
    }

    /** The current table; replaced only by {@link #rehash}, under every old bucket's lock. */
    private static volatile Table table = new Table(INITIAL_BUCKETS);
    /**
     * How many distinct keys have threads queued, in all buckets: changed under the lock of the bucket
     * whose key queue appears or disappears, read racily (summed) to decide resizes.
     */
    private static final LongAdder QUEUED_KEYS = new LongAdder();
    /** 1 while a thread resizes the table; set by CAS, cleared by that thread (see resizeIfNeeded). */
    private static volatile int resizing;

    private ParkingTable() {
    }

    /** Locks the bucket of (key, lane) in the current table. */
    static Bucket lockBucket(Object key, long lane) {
        int hash = System.identityHashCode(key);
        for (;;) {
            Table t = table;
            Bucket bucket = t.buckets[t.index(hash, lane)];
            bucket.lock();
            // A resizer publishes the new table while holding every old bucket lock, so having locked
            // an old bucket after the resize, this volatile read sees the new table.
            if (t == table) {
                return bucket;
            }
            bucket.unlock();
        }
    }

    /**
     * Locks the buckets of two keys in the current table, the lower index first (once if they share a
     * bucket), and returns that table: the order a resize locks buckets in, so the two cannot deadlock.
     * The caller finds the buckets with {@link Table#bucket} and unlocks them.
     */
    static Table lockPair(int hashA, long laneA, int hashB, long laneB) {
        for (;;) {
            Table t = table;
            int i = t.index(hashA, laneA);
            int j = t.index(hashB, laneB);
            Bucket first = t.buckets[Math.min(i, j)];
            first.lock();
            if (t != table) { // replaced meanwhile: see lockBucket
                first.unlock();
                continue;
            }
            if (i != j) {
                t.buckets[Math.max(i, j)].lock();
            }
            return t;
        }
    }

    /** Counts a key queue that an enqueue just started; called under that bucket's lock. */
    static void keyAdded() {
        // Under the lock, so the key is counted before any unparker can see it and uncount it: once
        // every operation has returned, the count is exact, and the last remover sees it reach zero.
        QUEUED_KEYS.increment();
    }

    /**
     * Uncounts a key queue that just disappeared from {@code bucket}; called under its lock.
     *
     * @return whether the bucket has no key left (the caller then checks for a shrink, unlocked)
     */
    static boolean keyRemoved(Bucket bucket) {
        QUEUED_KEYS.decrement();
        return bucket.keyCount() == 0;
    }

    /** After a bucket emptied: resizes if the table is above its initial size and too sparse. */
    static void shrinkIfNeeded() {
        if (table.buckets.length > INITIAL_BUCKETS) {
            resizeIfNeeded();
        }
    }

    /**
     * The size the table should have for {@code keys} queued keys: its current size unless that is
     * overloaded (more than MAX_LOAD keys per bucket) or sparse (fewer than one key per SHRINK_RATIO
     * buckets, above the initial size).
     */
    private static int targetSize(int size, long keys) {
        if (keys > (long) size * MAX_LOAD && size < MAX_BUCKETS) {
            // Load 1/2 to 1 afterwards: at least 4x the buckets, more after a burst.
            return (int) Math.min(MAX_BUCKETS, Long.highestOneBit(keys) << 1);
        }
        if (size > INITIAL_BUCKETS && keys < size / SHRINK_RATIO) {
            // Load 1/2 to 1 afterwards: keys must double to grow again, or fall 4x to shrink again.
            return (int) Math.max(INITIAL_BUCKETS, Long.highestOneBit(keys) << 1);
        }
        return size;
    }

    /**
     * Resizes the table until its size suits the number of queued keys; called with no bucket lock
     * held. One thread at a time resizes (the RESIZING flag); a thread that finds the flag taken
     * leaves, because the resizer checks the count again after it clears the flag. A virtual thread
     * resizes on its carrier if no bucket stays held (resizeWithoutBlocking), else has a platform
     * thread do the work (see resizeOnPlatformThread) and waits for it.
     */
    static void resizeIfNeeded() {
        for (;;) {
            Table old = table;
            int size = targetSize(old.buckets.length, QUEUED_KEYS.sum());
            if (size == old.buckets.length || !RESIZING.compareAndSet(0, 1)) {
                return;
            }
            try {
                if (!Thread.currentThread().isVirtual()) {
                    resize(null);
                } else if (!MULTIPROCESSOR) {
                    resizeOnPlatformThread(null);
                } else {
                    Table unused = resizeWithoutBlocking();
                    if (unused != null) {
                        resizeOnPlatformThread(unused);
                    }
                }
            } finally {
                // A volatile store, not a release: the count read by the next round must not move
                // above it, or a key removed by a thread that saw the flag taken could go unseen.
                resizing = 0;
            }
        }
    }

    /**
     * Runs {@link #resize} on a new platform thread and waits for it (uninterruptibly, keeping the
     * interrupt status). The resizer holds every bucket lock while it rehashes; a virtual thread that
     * had to wait for one more bucket would be unmounted and rescheduled behind every runnable
     * virtual thread (after a burst: hundreds of thousands, each of which then finds its bucket
     * locked), holding the whole table meanwhile. A platform thread waits for the bucket's holder
     * only. If no thread can be started, the caller resizes itself. The wait is a LockSupport park on
     * the task's volatile flag (no monitor, as everywhere in core); a stray unpark meant for the
     * caller's queued node only makes it re-check the flag, and its ThreadParker loops on its own state.
     */
    private static void resizeOnPlatformThread(Table prepared) {
        ResizeTask task = new ResizeTask(Thread.currentThread(), prepared);
        try {
            Thread.ofPlatform().daemon().name("parkinglot-resize").start(task);
        } catch (OutOfMemoryError e) {
            resize(prepared);
            return;
        }
        boolean interrupted = false;
        while (!task.done) {
            LockSupport.park(task);
            if (Thread.interrupted()) {
                interrupted = true; // else park would return at once until the resize ends
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The body of a resize; the caller holds RESIZING and no bucket lock.
     *
     * @param prepared a table a virtual resizer allocated and could not use, taken if its size is
     *                 still the one needed (a million buckets are worth not allocating twice), or null
     */
    private static void resize(Table prepared) {
        Table old = table; // read under the flag: only this thread replaces it now
        int size = targetSize(old.buckets.length, QUEUED_KEYS.sum());
        if (size == old.buckets.length) {
            return;
        }
        Table next = prepared != null && prepared.buckets.length == size ? prepared : allocate(size);
        if (next != null) {
            rehash(old, next);
        }
    }

    /** A new table of {@code size} buckets, or null if there is no memory for it. */
    private static Table allocate(int size) {
        try {
            return new Table(size); // allocated before any lock is taken
        } catch (OutOfMemoryError e) {
            return null; // a table of the wrong size is slower, not wrong
        }
    }

    /**
     * The resize of a virtual thread, done on its own carrier if that needs no waiting: takes every
     * old bucket by tryLock, spinning a little on each held one, and gives up (unlocking what it took,
     * having changed nothing) as soon as one stays held, since the holder may be an unmounted virtual
     * thread that needs this carrier to finish. The caller holds RESIZING.
     *
     * @return null if done (or nothing to do), else the new table it allocated and gave up on: the
     *         caller resizes on a platform thread instead, which may use that table
     */
    private static Table resizeWithoutBlocking() {
        Table old = table; // read under the flag: only this thread replaces it now
        int size = targetSize(old.buckets.length, QUEUED_KEYS.sum());
        Table next = size == old.buckets.length ? null : allocate(size);
        if (next == null) {
            return null;
        }
        Bucket[] buckets = old.buckets;
        for (int i = 0; i < buckets.length; i++) {
            if (!tryLockForResize(buckets[i])) { // index order, as pair locking: no deadlock
                for (int j = 0; j < i; j++) {
                    buckets[j].unlock();
                }
                return next;
            }
        }
        moveAndPublish(old, next);
        return null;
    }

    /** Replaces {@code old} by {@code next}, moving every key queue; the caller holds RESIZING. */
    private static void rehash(Table old, Table next) {
        for (Bucket b : old.buckets) {
            lockForResize(b); // index order, as pair locking: no deadlock
        }
        moveAndPublish(old, next);
    }

    /**
     * The body of {@link #rehash}, once every bucket of {@code old} is locked: moves every key queue to
     * {@code next}, publishes it and unlocks the old buckets.
     */
    private static void moveAndPublish(Table old, Table next) {
        Bucket[] buckets = old.buckets;
        try {
            for (Bucket b : buckets) {
                WaitNode h = b.firstKey();
                while (h != null) {
                    WaitNode nextKey = h.nextKey;
                    Bucket to = next.buckets[next.index(System.identityHashCode(h.key), h.lane)];
                    to.adoptKey(h);
                    to.observeChain(); // the new table is not published yet: only this thread sees it
                    h = nextKey;
                }
                b.clear(); // nothing of the old table may keep a queued node reachable
            }
            carryCounts(old, next);
            // Publish before unlocking: a thread blocked on an old bucket lock re-reads the table.
            table = next;
        } finally {
            for (Bucket b : buckets) {
                b.unlock();
            }
        }
    }

    /**
     * Fills {@code next.carried} with everything {@code old} counted; the caller holds every bucket
     * lock of {@code old}, and {@code next} is not published yet (see the statistics notes).
     */
    private static void carryCounts(Table old, Table next) {
        long[] carried = next.carried;
        System.arraycopy(old.carried, 0, carried, 0, TABLE_COUNTERS);
        for (Bucket b : old.buckets) {
            b.addCountsTo(carried);
        }
        carried[next.buckets.length > old.buckets.length ? GROWS : SHRINKS]++;
    }

    /**
     * After an imprecise timeout (or interrupt, or a throwing beforeSleep): leaves the queue unless an
     * unparker already chose the node, running timedOut under the lock.
     *
     * @param reason the bucket counter a node that leaves counts in: Bucket.TIMEOUTS, INTERRUPTS or
     *               ABORTED_PARKS (a node an unparker chose was counted by it)
     * @return true if the node left the queue itself, false if it had been unparked
     */
    static boolean dequeueAfterTimeout(WaitNode node, ParkingLot.ParkCallbacks callbacks, CallbackGuard guard,
                                       int reason) {
        for (;;) {
            // Racy hints: a requeue may be moving the node, and the two fields may even be torn (the
            // key of one requeue with the lane of another), naming a bucket no requeuer ever locked.
            // So the only proof of where the node is: finding it in the key queue of the bucket we hold.
            Bucket bucket = lockBucket(node.key, node.lane);
            int left;
            boolean emptied = false;
            guard.holdsBucketLock = true;
            try {
                if (!node.stillParked()) {
                    return false; // an unparker chose it (volatile read; the token was written first)
                }
                left = bucket.remove(node);
                if (left >= 0) {
                    // The node was in this bucket, so whoever last set its key held this lock: stable now.
                    bucket.countLeft(reason);
                    if (left == 0) {
                        emptied = keyRemoved(bucket);
                    }
                    callbacks.timedOut(node.key, node.lane, left == 0);
                }
            } finally {
                guard.holdsBucketLock = false;
                bucket.unlock();
            }
            if (left >= 0) {
                if (emptied) {
                    shrinkIfNeeded();
                }
                return true;
            }
            Thread.onSpinWait(); // moved by a requeue meanwhile: look again
        }
    }

    /** {@link ParkingLot#queueLength}, after its checks: under the bucket lock. */
    static int queueLength(Object key, long lane) {
        Bucket bucket = lockBucket(key, lane);
        try {
            WaitNode head = bucket.find(key, lane);
            return head == null ? 0 : head.keyCount;
        } finally {
            bucket.unlock();
        }
    }

    /** {@link ParkingLot#fairnessOverdue}, after its checks: under the bucket lock. */
    static boolean fairnessOverdue(Object key, long lane, long quietNanos) {
        Bucket bucket = lockBucket(key, lane);
        try {
            WaitNode head = bucket.find(key, lane);
            if (head == null) {
                return false;
            }
            long now = System.nanoTime();
            if (head.keyServedAt == WaitNode.NOT_SERVED) {
                head.keyServedAt = now; // the quiet period starts with the first question
                return false;
            }
            return now - head.keyServedAt >= quietNanos && bucket.fairTimeoutExpired(now);
        } finally {
            bucket.unlock();
        }
    }

    /** {@link ParkingLot#isQueued}, after its checks: under the bucket lock. */
    static boolean isQueued(Object key, long lane, Thread thread) {
        Bucket bucket = lockBucket(key, lane);
        try {
            for (WaitNode n = bucket.find(key, lane); n != null; n = n.next) {
                if (n.thread() == thread) {
                    return true;
                }
            }
            return false;
        } finally {
            bucket.unlock();
        }
    }

    /** {@link ParkingLot#queuedThreads}, after its checks: under the bucket lock, oldest first. */
    static List<Thread> queuedThreads(Object key, long lane) {
        List<Thread> threads = new ArrayList<>();
        Bucket bucket = lockBucket(key, lane);
        try {
            for (WaitNode n = bucket.find(key, lane); n != null; n = n.next) {
                threads.add(n.thread());
            }
        } finally {
            bucket.unlock();
        }
        return threads;
    }

    /**
     * {@link ParkingLot#statistics()}: the carried totals of the current table plus its buckets'
     * counters, read without locks. Racy as a whole, but no counter is ever smaller than in an earlier
     * call (see the statistics notes). O(buckets).
     */
    static ParkingLotStatistics statistics() {
        Table t = table; // volatile read: t.carried was filled before t was published
        long[] c = t.carried.clone();
        for (Bucket b : t.buckets) {
            b.addCountsTo(c);
        }
        // Every queued node leaves exactly once: chosen by an unparker, or by itself (three reasons).
        long queued = c[Bucket.PARKS] - c[Bucket.UNPARKS] - c[Bucket.TIMEOUTS] - c[Bucket.INTERRUPTS]
                - c[Bucket.ABORTED_PARKS];
        return new ParkingLotStatistics(c[Bucket.PARKS], c[Bucket.INVALID_PARKS], c[Bucket.UNPARKS],
                c[Bucket.FAIR_UNPARKS], c[Bucket.REQUEUES], c[Bucket.TIMEOUTS], c[Bucket.INTERRUPTS],
                c[Bucket.ABORTED_PARKS], Math.max(0L, queued), Math.max(0L, QUEUED_KEYS.sum()), t.buckets.length,
                (int) c[Bucket.LONGEST_CHAIN], c[GROWS], c[SHRINKS]);
    }

    /**
     * Locks a bucket of the table being replaced without queuing in its WordLock: spins, then polls
     * with short timed parks. A queued resizer would wait until every waiter queued before it had been
     * woken and scheduled and had taken and released the lock, and with virtual threads each of those
     * steps waits its turn behind every runnable virtual thread; polling takes the lock as soon as its
     * holder (a few instructions) lets go. The resizer is normally a platform thread, so polling
     * occupies no carrier.
     */
    private static void lockForResize(Bucket b) {
        for (int i = 0; !b.tryLock(); i++) {
            if (MULTIPROCESSOR && i < RESIZE_SPIN_LIMIT) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(b, RESIZE_POLL_NANOS);
            }
        }
    }

    /**
     * Locks a bucket of the table being replaced for a virtual resizer: tryLock, spinning up to
     * RESIZE_SPIN_LIMIT hints while it is held; never parks or yields (see resizeWithoutBlocking).
     *
     * @return whether the bucket is now locked
     */
    private static boolean tryLockForResize(Bucket b) {
        for (int i = 0; !b.tryLock(); i++) {
            if (i == RESIZE_SPIN_LIMIT) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    /** The task of a platform resizer thread: resizes, then wakes the thread that waits for it. */
    private static final class ResizeTask implements Runnable {
        /** The thread that holds RESIZING and waits. */
        private final Thread caller;
        /** A table the caller allocated and could not use, or null. */
        private final Table prepared;
        /** Set once the resize has ended (also by an exception); read by the caller. */
        volatile boolean done;

        ResizeTask(Thread caller, Table prepared) {
            this.caller = caller;
            this.prepared = prepared;
        }

        @Override
        public void run() {
            try {
                resize(prepared);
            } finally {
                done = true;
                LockSupport.unpark(caller);
            }
        }
    }

    /** How many times {@link #snapshot()} restarts because a resize replaced the table mid-walk. */
    private static final int SNAPSHOT_RETRIES = 4;

    /**
     * Every queued thread, read bucket by bucket, each under its own lock (never the whole table at
     * once: no park or unpark waits for more than one bucket's walk). Restarts, a few times at most, if
     * a resize replaced the table during the walk (the nodes moved, so some could be missed or seen
     * twice); a requeue during the walk can do the same to the nodes it moves. Off every hot path.
     */
    static List<ParkedThread> snapshot() {
        List<ParkedThread> parked = new ArrayList<>();
        for (int attempt = 0; ; attempt++) {
            Table t = table;
            for (Bucket b : t.buckets) {
                b.lock();
                try {
                    for (WaitNode h = b.firstKey(); h != null; h = h.nextKey) {
                        for (WaitNode n = h; n != null; n = n.next) {
                            parked.add(new ParkedThread(n));
                        }
                    }
                } finally {
                    b.unlock();
                }
            }
            if (t == table || attempt == SNAPSHOT_RETRIES) {
                return parked;
            }
            parked.clear();
        }
    }

    /** Test hook (through ParkingLot): the current number of buckets. */
    static int bucketCount() {
        return table.buckets.length;
    }

    /** Test hook: the index of the bucket of (key, lane) in the current table. */
    static int bucketIndex(Object key, long lane) {
        return table.index(System.identityHashCode(key), lane);
    }

    /** Test hook: the current table, to check that a replaced one becomes unreachable. */
    static Object currentTable() {
        return table;
    }

    /** Test hook: how many times the table has been replaced since the class was loaded. */
    static int resizeCount() {
        long[] carried = table.carried;
        return (int) (carried[GROWS] + carried[SHRINKS]);
    }

    /** Test hook: the racy global count of queued keys that drives resizing. */
    static long queuedKeysHint() {
        return QUEUED_KEYS.sum();
    }

    /** Test hook: the number of threads queued in the whole table, counted under each bucket's lock. */
    static int totalQueued() {
        for (;;) {
            Table t = table;
            int total = 0;
            for (Bucket b : t.buckets) {
                b.lock();
                for (WaitNode h = b.firstKey(); h != null; h = h.nextKey) {
                    total += h.keyCount;
                }
                b.unlock();
            }
            if (t == table) {
                return total;
            }
        }
    }

    /** Test hook: the number of distinct keys queued in the whole table, counted under each bucket's lock. */
    static int totalKeys() {
        for (;;) {
            Table t = table;
            int total = 0;
            for (Bucket b : t.buckets) {
                b.lock();
                total += b.keyCount();
                b.unlock();
            }
            if (t == table) {
                return total;
            }
        }
    }

    // VarHandle mechanics
    private static final VarHandle RESIZING;

    static {
        try {
            RESIZING = MethodHandles.lookup().findStaticVarHandle(ParkingTable.class, "resizing", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
