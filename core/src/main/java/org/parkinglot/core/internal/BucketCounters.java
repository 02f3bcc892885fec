package org.parkinglot.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The statistics counters of a bucket: what the parking lot did under this bucket's lock since the
 * bucket was created. The parking lot's statistics are the sum over the buckets of the current table
 * plus what the tables it replaced had counted (see {@code ParkingTable}). Every {@code count} method
 * must be called with the bucket's lock held; {@link #addCountsTo} may be called without it.
 */
abstract class BucketCounters extends BucketFields {

    /*
     * Implementation notes.
     *
     * Why per-bucket fields. Every event counted here happens on a slow path of the parking lot that
     * already holds this bucket's lock (a park, an unpark, a requeue, a thread leaving its queue on
     * a timeout), so a count is a plain read and an opaque store to a cache line this thread already
     * owns: no atomic read-modify-write, no shared global cache line that every bucket's slow path
     * would contend for (a LongAdder costs a CAS per event and its cells are shared across buckets).
     * The locks' fast paths never reach the parking lot, so they pay nothing.
     *
     * Why opaque. The lock orders the writers, so each field has one writer at a time, which reads its
     * last value plainly (the bucket lock's acquire made it visible) and stores the next one opaquely.
     * Readers (statistics) take no lock: an opaque read of a long cannot tear (JLS 17.7 allows a plain
     * one to), and coherence makes successive reads of one field non-decreasing. A sum over buckets
     * is therefore racy as a whole (each field is read at a different moment) but never goes
     * backwards for a given counter; see ParkingTable for how a resize carries the counts over.
     *
     * The fields come after BucketFields' in the object (HotSpot lays out superclass fields first), so
     * the lock word and the queue heads keep their cache line; the counters follow them, before the
     * trailing padding.
     */

    /** Index of {@link #parks} in the arrays {@link #addCountsTo} fills. */
    public static final int PARKS = 0;
    /** Index of {@link #invalidParks}. */
    public static final int INVALID_PARKS = 1;
    /** Index of {@link #unparks}. */
    public static final int UNPARKS = 2;
    /** Index of {@link #fairUnparks}. */
    public static final int FAIR_UNPARKS = 3;
    /** Index of {@link #requeues}. */
    public static final int REQUEUES = 4;
    /** Index of {@link #timeouts}. */
    public static final int TIMEOUTS = 5;
    /** Index of {@link #interrupts}. */
    public static final int INTERRUPTS = 6;
    /** Index of {@link #abortedParks}. */
    public static final int ABORTED_PARKS = 7;
    /** Index of {@link #longestChain}: summed as a maximum, not a total. */
    public static final int LONGEST_CHAIN = 8;
    /** How many counters a bucket keeps: the length {@link #addCountsTo} needs at least. */
    public static final int COUNTERS = LONGEST_CHAIN + 1;

    /** Threads queued here by a park (they went to sleep). Guarded by the bucket lock; read opaquely. */
    long parks;
    /** Parks whose {@code validate} returned false here. Guarded by the bucket lock; read opaquely. */
    long invalidParks;
    /** Threads dequeued and chosen by an unpark operation here. Guarded by the bucket lock; read opaquely. */
    long unparks;
    /** Unpark operations here whose result reported {@code beFair}. Guarded by the bucket lock; read opaquely. */
    long fairUnparks;
    /** Threads a requeue moved from a key of this bucket. Guarded by the bucket lock; read opaquely. */
    long requeues;
    /** Queued threads that left this bucket on their timeout. Guarded by the bucket lock; read opaquely. */
    long timeouts;
    /** Queued threads that left this bucket on an interrupt. Guarded by the bucket lock; read opaquely. */
    long interrupts;
    /** Queued threads that left this bucket because beforeSleep threw. Guarded by the bucket lock; read opaquely. */
    long abortedParks;
    /** The most keys this bucket has held at once, seen when a key queue started here. Same guard. */
    int longestChain;

    /** Counts a thread queued by a park, and the chain length it left; under the bucket lock. */
    public final void countParked() {
        PARKS_VH.setOpaque(this, parks + 1); // plain read: the bucket lock orders every writer
        observeChain();
    }

    /** Counts a park whose validate returned false; under the bucket lock. */
    public final void countInvalidPark() {
        INVALID_PARKS_VH.setOpaque(this, invalidParks + 1); // plain read: the bucket lock orders every writer
    }

    /**
     * Counts the threads an unpark operation chose; under the bucket lock.
     *
     * @param threads how many threads it dequeued to wake (at least one)
     * @param beFair  whether its result reported {@code beFair}
     */
    public final void countUnparked(int threads, boolean beFair) {
        UNPARKS_VH.setOpaque(this, unparks + threads); // plain reads: the bucket lock orders every writer
        if (beFair) {
            FAIR_UNPARKS_VH.setOpaque(this, fairUnparks + 1);
        }
    }

    /**
     * Counts the threads a requeue moved from a key of this bucket; under the bucket lock.
     *
     * @param threads how many threads it moved
     */
    public final void countRequeued(int threads) {
        REQUEUES_VH.setOpaque(this, requeues + threads); // plain read: the bucket lock orders every writer
    }

    /**
     * Counts a queued thread that left its queue by itself; under the bucket lock.
     *
     * @param counter why: {@link #TIMEOUTS}, {@link #INTERRUPTS} or {@link #ABORTED_PARKS}
     */
    public final void countLeft(int counter) {
        // plain reads: the bucket lock orders every writer
        switch (counter) {
            case TIMEOUTS -> TIMEOUTS_VH.setOpaque(this, timeouts + 1);
            case INTERRUPTS -> INTERRUPTS_VH.setOpaque(this, interrupts + 1);
            case ABORTED_PARKS -> ABORTED_PARKS_VH.setOpaque(this, abortedParks + 1);
            default -> throw new IllegalArgumentException("not a reason to leave a queue: " + counter);
        }
    }

    /**
     * Records the number of keys this bucket holds now if it is the most seen here; under the bucket
     * lock, or before the bucket is published (a table resize fills new buckets).
     */
    public final void observeChain() {
        int keys = this.keys;
        if (keys > longestChain) {
            LONGEST_CHAIN_VH.setOpaque(this, keys); // plain read of longestChain: same argument as above
        }
    }

    /**
     * Adds this bucket's counters to {@code sums} (and raises {@code sums[LONGEST_CHAIN]} to this
     * bucket's longest chain). Takes no lock: each field is read opaquely, so each is a value the
     * field really had, and later calls never see an older one.
     *
     * @param sums an array of at least {@link #COUNTERS} elements, indexed by the constants here
     */
    public final void addCountsTo(long[] sums) {
        sums[PARKS] += (long) PARKS_VH.getOpaque(this);
        sums[INVALID_PARKS] += (long) INVALID_PARKS_VH.getOpaque(this);
        sums[UNPARKS] += (long) UNPARKS_VH.getOpaque(this);
        sums[FAIR_UNPARKS] += (long) FAIR_UNPARKS_VH.getOpaque(this);
        sums[REQUEUES] += (long) REQUEUES_VH.getOpaque(this);
        sums[TIMEOUTS] += (long) TIMEOUTS_VH.getOpaque(this);
        sums[INTERRUPTS] += (long) INTERRUPTS_VH.getOpaque(this);
        sums[ABORTED_PARKS] += (long) ABORTED_PARKS_VH.getOpaque(this);
        sums[LONGEST_CHAIN] = Math.max(sums[LONGEST_CHAIN], (int) LONGEST_CHAIN_VH.getOpaque(this));
    }

    // VarHandle mechanics: named after their fields with _VH, the plain names being the index constants
    private static final VarHandle PARKS_VH;
    private static final VarHandle INVALID_PARKS_VH;
    private static final VarHandle UNPARKS_VH;
    private static final VarHandle FAIR_UNPARKS_VH;
    private static final VarHandle REQUEUES_VH;
    private static final VarHandle TIMEOUTS_VH;
    private static final VarHandle INTERRUPTS_VH;
    private static final VarHandle ABORTED_PARKS_VH;
    private static final VarHandle LONGEST_CHAIN_VH;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PARKS_VH = l.findVarHandle(BucketCounters.class, "parks", long.class);
            INVALID_PARKS_VH = l.findVarHandle(BucketCounters.class, "invalidParks", long.class);
            UNPARKS_VH = l.findVarHandle(BucketCounters.class, "unparks", long.class);
            FAIR_UNPARKS_VH = l.findVarHandle(BucketCounters.class, "fairUnparks", long.class);
            REQUEUES_VH = l.findVarHandle(BucketCounters.class, "requeues", long.class);
            TIMEOUTS_VH = l.findVarHandle(BucketCounters.class, "timeouts", long.class);
            INTERRUPTS_VH = l.findVarHandle(BucketCounters.class, "interrupts", long.class);
            ABORTED_PARKS_VH = l.findVarHandle(BucketCounters.class, "abortedParks", long.class);
            LONGEST_CHAIN_VH = l.findVarHandle(BucketCounters.class, "longestChain", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
