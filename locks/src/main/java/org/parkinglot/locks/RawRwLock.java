/*
 * Ported from parking_lot `src/raw_rwlock.rs` (Amanieu d'Antras, MIT/Apache-2.0), whose design follows
 * Boost's upgrade_mutex.
 */
package org.parkinglot.locks;

import static org.parkinglot.locks.RwLockTries.checkExclusive;
import static org.parkinglot.locks.RwLockTries.checkUpgradable;
import static org.parkinglot.locks.RwLockTries.throwIfInterrupted;
import static org.parkinglot.locks.RwLockTries.timedResult;
import static org.parkinglot.locks.RwLockWaits.lockCommon;
import static org.parkinglot.locks.RwLockWaits.lockExclusiveSlow;
import static org.parkinglot.locks.RwLockWaits.waitForReaders;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReadWriteLock;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.core.SpinWait;
import org.parkinglot.core.internal.Timeouts;

/**
 * A task-fair read-write lock in two {@code int}s, the state and an optimistic readers' version (24
 * bytes per instance with HotSpot's default 12-byte object header, 16 with
 * {@code -XX:+UseCompactObjectHeaders}; also after contention), with upgradable and optimistic reads.
 * Not reentrant (except {@link #lockSharedRecursive()}), and it does not track owners.
 *
 * <p>Three modes:
 * <ul>
 *   <li><b>shared</b> ({@link #lockShared()}): any number of readers at once;</li>
 *   <li><b>exclusive</b> ({@link #lockExclusive()}): one writer, no readers;</li>
 *   <li><b>upgradable</b> ({@link #lockUpgradable()}): one upgradable reader at a time, alongside plain
 *       readers; it can {@link #upgrade()} to exclusive without letting a writer in between, and
 *       exclusive can {@link #downgrade()} to shared or {@link #downgradeToUpgradable()}.</li>
 * </ul>
 * and optimistic reads, as {@code StampedLock}'s: {@link #tryOptimisticRead()}, read, {@link #validate(long)}.
 *
 * <h2>Fairness</h2>
 * Task-fair: a writer that wants the lock blocks new readers (it takes the writer bit at once and then
 * waits for the readers present to leave), so a stream of readers cannot starve writers; an unlocking
 * writer wakes every queued reader in one batch plus at most one writer or upgrader, so readers cannot
 * starve either. While the writer or upgrader of such a batch is still on its way to the lock, further
 * unfair exclusive and upgradable unlocks leave the next wake-up to it rather than waking another
 * batch (as {@code AbstractQueuedSynchronizer} keeps one woken successor). Eventual fairness as in {@link RawMutex}: when the parking lot's fair timeout fires
 * (on average every 0.5 ms) an unlock hands the lock directly to the woken threads. A thread that
 * already holds a read lock and reads again with {@link #lockShared()} may deadlock if a writer queued
 * in between: use {@link #lockSharedRecursive()}, which passes a waiting writer.
 *
 * <h2>Memory synchronization</h2>
 * As {@link ReadWriteLock}: an exclusive unlock happens-before every later acquisition in any mode; a
 * shared unlock happens-before the next exclusive acquisition; upgrade and downgrade keep the lock held
 * throughout, so no other writer's actions can come in between. Reads made between
 * {@link #tryOptimisticRead()} and a {@link #validate(long)} returning {@code true} see the writes of every
 * exclusive hold released before the stamp was issued and none of a later one.
 *
 * @see #asReadWriteLock()
 */
public final class RawRwLock {

    /*
     * Implementation notes.
     *
     * State word (int), ported from parking_lot's raw_rwlock.rs:
     *
     *   bits 5..31  reader count (readers, plus the upgradable reader), at most 2^27 - 1
     *   bit 4       WOKEN: a woken writer or upgradable reader (the successor) is in flight;
     *               meanwhile unfair exclusive and upgradable unlocks release without waking anyone
     *               (see MutexAlgorithm, "The WOKEN bit" and "WOKEN in RawRwLock")
     *   bit 3       WRITER: with no readers, a writer holds the lock; with readers, a writer (or an
     *               upgrading reader) has claimed it and waits for them to leave (new readers refused)
     *   bit 2       UPGRADABLE: an upgradable reader holds the lock (its unit is in the reader count)
     *   bit 1       WRITER_PARKED: the thread owning WRITER is parked (or about to park) on lane 1
     *               waiting for readers. Set by that thread with a CAS that sees WRITER and readers;
     *               cleared under lane 1's bucket lock, by its timeout or by the unparkOne of the
     *               reader that took the count to zero. That reader decrements first and wakes after,
     *               so the writer can see zero readers, stop waiting and even unlock before the bit
     *               is cleared: a stale WRITER_PARKED can outlive the wait (and WRITER) briefly. It
     *               is harmless: lane 1's validate re-reads the count under the bucket lock, a writer
     *               woken by the late unparkOne re-checks the count (and sets the bit again to park),
     *               and a next writer that finds the bit still set and parks is woken by the late
     *               unparkOne, which finds it on lane 1, or by the reader that empties the count
     *   bit 0       PARKED: threads are parked (or about to park) on lane 0. Set by a thread about to
     *               park, with a CAS that sees a bit it waits for (WRITER, or UPGRADABLE for writers
     *               and upgraders) set, so the release of that bit sees PARKED and wakes; set on a word
     *               without such a bit, it would outlive its parker (readers never clear it). Cleared
     *               only under lane 0's bucket lock
     *
     * Queues: (this, 0) holds every thread waiting to acquire; (this, 1) holds at most the one thread
     * that owns WRITER and waits for readers to drain. Park tokens are the state delta each waiter
     * wants (ONE_READER, WRITER, ONE_READER | UPGRADABLE), so an unlocker can sum the tokens of the
     * threads it wakes to compute the state it hands over (RwLockWakes.Wake): every queued reader, and
     * at most one writer or upgrader (a writer ends the scan). Readers never look at PARKED: a reader
     * waits only while WRITER is set.
     *
     * The woken successor (WOKEN): MutexAlgorithm's protocol on this word, explained once there
     * (MutexAlgorithm, "The WOKEN bit" and "WOKEN in RawRwLock").
     *
     * Acquisition CASes have acquire semantics; releases use release CASes or release stores inside
     * unpark callbacks (under the bucket lock, where no one else writes the word except by CAS).
     * Hand-offs are ordered as in MutexAlgorithm: release store of the state, then unparkLock()'s
     * release, then the woken thread's acquire when its park ends. wait_for_readers re-reads the state
     * with acquire so the readers' release decrements order their critical sections before the writer's.
     * PARKED / WRITER_PARKED changes use volatile RMWs; they steer who takes a slow path and are
     * re-validated under bucket locks.
     *
     * Optimistic reads: the version field, advanced by the exclusive owner before every release of
     * exclusive ownership; a storeStoreFence after every exclusive acquisition. Why a second word, the
     * wrap risk and the ordering argument: RwLockVersion.
     *
     * Where the code is. This class: the public API, the fast paths and the try steps. RwLockWaits: the
     * slow paths that park (lockCommon, waitForReaders) and their park callbacks. RwLockTries: the
     * try steps of the slow paths. RwLockWakes: the slow paths of unlocks and downgrades and their unpark
     * callbacks (which threads a release wakes, what state it hands them). ReadWriteView: the Lock and
     * Condition views, with the write view's condvar hooks. Allocation: see RwLockWaits and RwLockWakes.
     * The slow paths reach the word through RwLockAlgorithm (RawRwLockAlgorithm here), so ReentrantRwLock
     * runs the same protocol on a word of its own.
     *
     * JFR. The three wrappers RwLockWaits.lockExclusiveSlow, lockCommon and waitForReaders each own one
     * LockEvents record (one ContendedAcquisition per acquisition, a write lock's two waits included);
     * RwLockWaits marks each park in it. Fast paths and unlocks emit nothing (JfrLockEvents).
     *
     * Differences from parking_lot: reader-count overflow throws Error("Maximum lock count exceeded")
     * with the state unchanged, as ReentrantReadWriteLock does (parking_lot panics); unlock operations
     * check the state they release (IllegalMonitorStateException where the misuse is detectable), so the
     * shared unlock is a CAS loop instead of fetch_sub; interruptible waits; unlockUpgradableFair is
     * forced fair (parking_lot's passes force_fair = false).
     */

    /** Threads are parked (or about to park) on lane 0; cleared only under lane 0's bucket lock. */
    static final int PARKED = 0b0001;
    /** The WRITER owner is parked on lane 1 waiting for readers to leave; only set with WRITER. */
    static final int WRITER_PARKED = 0b0010;
    /** An upgradable reader holds the lock; its reader unit is in the reader count. */
    static final int UPGRADABLE = 0b0100;
    /** No readers: a writer holds the lock. Readers: a writer claimed it and waits for them to leave. */
    static final int WRITER = 0b1000;
    /** A woken writer or upgradable reader is in flight: unfair exclusive and upgradable unlocks skip the wake-up. */
    static final int WOKEN = 0b1_0000;
    /** One unit of the reader count: the first bit above the flags. */
    static final int ONE_READER = WOKEN << 1;
    /** How far the reader count is shifted: {@code (state & READERS_MASK) >>> READER_SHIFT} readers. */
    static final int READER_SHIFT = Integer.numberOfTrailingZeros(ONE_READER);
    /** The reader count's bits. */
    static final int READERS_MASK = ~(ONE_READER - 1);

    /** The queue lane of the threads waiting to acquire, in any mode: key (this, ACQUIRE_LANE). */
    static final long ACQUIRE_LANE = 0L;
    /** The queue lane of the WRITER owner waiting for the readers to leave: key (this, DRAIN_LANE). */
    static final long DRAIN_LANE = 1L;

    /** Park token of a reader: the state it adds. */
    static final long TOKEN_SHARED = ONE_READER;
    /** Park token of a writer: the state it adds. */
    static final long TOKEN_EXCLUSIVE = WRITER;
    /** Park token of an upgradable reader: the state it adds. */
    static final long TOKEN_UPGRADABLE = ONE_READER | UPGRADABLE;

    private static final int ACQUIRED = MutexAlgorithm.ACQUIRED;
    static final long TOKEN_NORMAL = MutexAlgorithm.TOKEN_NORMAL;
    static final long TOKEN_HANDOFF = MutexAlgorithm.TOKEN_HANDOFF;
    /** Unpark token of a batch whose writer or upgradable reader is the woken successor (WOKEN set). */
    static final long TOKEN_WOKEN = MutexAlgorithm.TOKEN_WOKEN;

    /** The state word; see the implementation notes. */
    private volatile int state;

    /** The optimistic readers' version: written only by the exclusive owner; read racily (RwLockVersion). */
    private int version;

    /** Creates an unlocked read-write lock. */
    public RawRwLock() {
    }

    // =============================================================================================
    // shared

    /**
     * Acquires a shared (read) lock, waiting while a writer holds or waits for the lock. Interrupts do
     * not end the wait; the interrupt status is kept.
     *
     * @throws Error if the reader count would exceed 2<sup>27</sup> - 1 (the state is unchanged)
     */
    public void lockShared() {
        if (!tryLockSharedFast(false)) {
            lockCommon(this, false, 0L, false, TOKEN_SHARED, RwLockTries.SHARED, WRITER);
        }
        if (OwnerTracking.ENABLED) { // deadlock finder: see OwnerTracking
            OwnerTracking.sharedAcquired(this);
        }
    }

    /**
     * Acquires a shared lock unless interrupted.
     *
     * @throws InterruptedException if interrupted on entry or while waiting; the status is cleared
     * @throws Error if the reader count would overflow
     */
    public void lockSharedInterruptibly() throws InterruptedException {
        Timeouts.throwIfInterrupted();
        if (!tryLockSharedFast(false)) {
            throwIfInterrupted(lockCommon(this, false, 0L, true, TOKEN_SHARED, RwLockTries.SHARED, WRITER));
        }
        if (OwnerTracking.ENABLED) {
            OwnerTracking.sharedAcquired(this);
        }
    }

    /**
     * Acquires a shared lock if no writer holds or waits for the lock at the time of the call.
     *
     * @return {@code true} if acquired
     * @throws Error if the reader count would overflow
     */
    public boolean tryLockShared() {
        return tracked(tryLockSharedFast(false) || RwLockTries.tryLockShared(ALGORITHM, this, false), TRACK_SHARED);
    }

    /**
     * Acquires a shared lock if it becomes available within the waiting time. A zero or negative time
     * tries once; {@code Long.MAX_VALUE} nanoseconds or more waits forever.
     *
     * @param time the most to wait
     * @param unit the unit of {@code time}
     * @return {@code true} if acquired, {@code false} if the time elapsed first
     * @throws InterruptedException if interrupted on entry or while waiting; the status is cleared
     * @throws NullPointerException if {@code unit} is null
     * @throws Error if the reader count would overflow
     */
    public boolean tryLockShared(long time, TimeUnit unit) throws InterruptedException {
        long nanos = Timeouts.toNanos(time, unit);
        Timeouts.throwIfInterrupted();
        if (tryLockShared()) {
            return true;
        }
        return tracked(nanos > 0L && timedResult(lockCommon(this, true, Timeouts.deadline(nanos), true, TOKEN_SHARED,
                RwLockTries.SHARED, WRITER)), TRACK_SHARED);
    }

    /**
     * Acquires a shared lock even if a writer waits for the lock, provided other readers hold it: for a
     * thread that already holds a shared lock and must read again (a plain {@link #lockShared()} would
     * queue behind the waiting writer, which waits for this thread: a deadlock). Waits only while a
     * writer holds the lock or no reader does.
     *
     * @throws Error if the reader count would overflow
     */
    public void lockSharedRecursive() {
        if (!tryLockSharedFast(true)) {
            lockCommon(this, false, 0L, false, TOKEN_SHARED, RwLockTries.SHARED_RECURSIVE, WRITER);
        }
        if (OwnerTracking.ENABLED) {
            OwnerTracking.sharedAcquired(this);
        }
    }

    /**
     * As {@link #tryLockShared()}, but passes a waiting writer when other readers hold the lock.
     *
     * @return {@code true} if acquired
     * @throws Error if the reader count would overflow
     */
    public boolean tryLockSharedRecursive() {
        return tracked(tryLockSharedFast(true) || RwLockTries.tryLockShared(ALGORITHM, this, true), TRACK_SHARED);
    }

    /**
     * Releases a shared lock. If it was the last reader and a writer waits for readers to leave, wakes
     * that writer.
     *
     * @throws IllegalMonitorStateException if no shared lock is held (the state is unchanged)
     */
    public void unlockShared() {
        int s = state;
        for (;;) {
            int readers = s & READERS_MASK;
            if (readers == 0 || ((s & UPGRADABLE) != 0 && readers == ONE_READER)) {
                throw new IllegalMonitorStateException("no shared lock is held");
            }
            int witness = (int) STATE.compareAndExchangeRelease(this, s, s - ONE_READER);
            if (witness == s) {
                break;
            }
            s = witness;
        }
        if (OwnerTracking.ENABLED) { // after the CAS, whose witness tells whether readers are left
            OwnerTracking.sharedReleased(this, s);
        }
        if ((s & (READERS_MASK | WRITER_PARKED)) == (ONE_READER | WRITER_PARKED)) {
            RwLockWakes.unlockSharedSlow(ALGORITHM, this);
        }
    }

    /**
     * Releases a shared lock; shared unlocks are always fair here (a reader never hands the lock to a
     * queued thread: the only thread it can wake is a writer waiting for readers, which already owns
     * the writer claim), so this is {@link #unlockShared()}.
     *
     * @throws IllegalMonitorStateException if no shared lock is held
     */
    public void unlockSharedFair() {
        unlockShared();
    }

    /**
     * If a writer holds or waits for the lock, releases this shared lock and acquires it again, letting
     * the writer through; otherwise does nothing.
     *
     * @throws IllegalMonitorStateException if no shared lock is held
     */
    public void bumpShared() {
        int s = state;
        if ((s & READERS_MASK) == 0 || ((s & UPGRADABLE) != 0 && (s & READERS_MASK) == ONE_READER)) {
            throw new IllegalMonitorStateException("no shared lock is held");
        }
        if ((s & WRITER) != 0) {
            unlockShared();
            lockShared();
        }
    }

    // =============================================================================================
    // exclusive

    /**
     * Acquires the exclusive (write) lock: claims the writer bit as soon as no writer or upgradable
     * reader holds it (refusing new readers from then on), then waits for the current readers to leave.
     * Interrupts do not end the wait; the interrupt status is kept.
     */
    public void lockExclusive() {
        if (!tryLockExclusiveFast()) {
            lockExclusiveSlow(this, false, 0L, false, false); // records the WRITER claim itself
        } else if (OwnerTracking.ENABLED) {
            OwnerTracking.exclusiveAcquired(this);
        }
    }

    /**
     * Acquires the exclusive lock unless interrupted.
     *
     * @throws InterruptedException if interrupted on entry or while waiting; the status is cleared
     */
    public void lockExclusiveInterruptibly() throws InterruptedException {
        Timeouts.throwIfInterrupted();
        if (!tryLockExclusiveFast()) {
            throwIfInterrupted(lockExclusiveSlow(this, false, 0L, true, false));
        } else if (OwnerTracking.ENABLED) {
            OwnerTracking.exclusiveAcquired(this);
        }
    }

    /**
     * Acquires the exclusive lock if no thread holds it in any mode at the time of the call, even if
     * other threads are queued for it (barging, as {@link RawMutex#tryLock()} does).
     *
     * @return {@code true} if acquired
     */
    public boolean tryLockExclusive() {
        int s = state;
        while ((s & (WRITER | UPGRADABLE | READERS_MASK)) == 0) {
            int witness = (int) STATE.compareAndExchangeAcquire(this, s, s | WRITER);
            if (witness == s) {
                VarHandle.storeStoreFence(); // RwLockVersion: WRITER before our writes
                return tracked(true, TRACK_EXCLUSIVE);
            }
            s = witness;
        }
        return false;
    }

    /**
     * Acquires the exclusive lock if it becomes available within the waiting time (both phases: the
     * writer claim and the readers leaving). A zero or negative time tries once; {@code Long.MAX_VALUE}
     * nanoseconds or more waits forever.
     *
     * @param time the most to wait
     * @param unit the unit of {@code time}
     * @return {@code true} if acquired, {@code false} if the time elapsed first (nothing is held then)
     * @throws InterruptedException if interrupted on entry or while waiting; the status is cleared
     * @throws NullPointerException if {@code unit} is null
     */
    public boolean tryLockExclusive(long time, TimeUnit unit) throws InterruptedException {
        long nanos = Timeouts.toNanos(time, unit);
        Timeouts.throwIfInterrupted();
        if (tryLockExclusive()) {
            return true;
        }
        return nanos > 0L && timedResult(lockExclusiveSlow(this, true, Timeouts.deadline(nanos), true, false));
    }

    /**
     * Releases the exclusive lock, waking the queued readers and at most one writer or upgradable
     * reader; usually they compete with arriving threads, but if the fair timeout has expired the lock is
     * handed to them directly.
     *
     * @throws IllegalMonitorStateException if the exclusive lock is not held (the state is unchanged)
     */
    public void unlockExclusive() {
        if (OwnerTracking.ENABLED) { // before the release: the next owner records itself after it
            OwnerTracking.exclusiveReleased(this);
        }
        int s = state;
        checkExclusive(s);
        advanceVersion();
        // One CAS from the word read: nobody queued, or a woken successor is already in flight.
        if (!RwLockWakes.releasesWithoutWake(s) || !STATE.weakCompareAndSetRelease(this, s, s & ~WRITER)) {
            RwLockWakes.unlockExclusiveSlow(ALGORITHM, this, false);
        }
    }

    /**
     * Releases the exclusive lock and, if threads are queued, hands it directly to the ones it wakes.
     *
     * @throws IllegalMonitorStateException if the exclusive lock is not held (the state is unchanged)
     */
    public void unlockExclusiveFair() {
        if (OwnerTracking.ENABLED) {
            OwnerTracking.exclusiveReleased(this);
        }
        int s = state;
        checkExclusive(s);
        advanceVersion();
        if (s != WRITER || !STATE.weakCompareAndSetRelease(this, WRITER, 0)) {
            RwLockWakes.unlockExclusiveSlow(ALGORITHM, this, true);
        }
    }

    /**
     * If threads are queued, hands them the lock (a fair unlock) and acquires it again; otherwise does
     * nothing.
     *
     * @throws IllegalMonitorStateException if the exclusive lock is not held
     */
    public void bumpExclusive() {
        int s = state;
        checkExclusive(s);
        if ((s & PARKED) != 0) {
            if (OwnerTracking.ENABLED) {
                OwnerTracking.exclusiveReleased(this);
            }
            advanceVersion();
            RwLockWakes.unlockExclusiveSlow(ALGORITHM, this, true);
            lockExclusive();
        }
    }

    /**
     * Atomically turns the exclusive lock into a shared lock, waking queued readers and upgradable
     * readers; no writer can acquire the lock in between.
     *
     * @throws IllegalMonitorStateException if the exclusive lock is not held (the state is unchanged)
     */
    public void downgrade() {
        checkExclusive(state);
        if (OwnerTracking.ENABLED) { // before: the readers it wakes record themselves after
            OwnerTracking.downgradedToShared(this);
        }
        advanceVersion();
        int s = (int) STATE.getAndAddRelease(this, ONE_READER - WRITER);
        if ((s & PARKED) != 0) {
            RwLockWakes.downgradeSlow(ALGORITHM, this, ONE_READER);
        }
    }

    /**
     * Atomically turns the exclusive lock into an upgradable lock, waking queued readers.
     *
     * @throws IllegalMonitorStateException if the exclusive lock is not held (the state is unchanged)
     */
    public void downgradeToUpgradable() {
        checkExclusive(state);
        if (OwnerTracking.ENABLED) {
            OwnerTracking.downgradedToUpgradable(this);
        }
        advanceVersion();
        int s = (int) STATE.getAndAddRelease(this, (ONE_READER | UPGRADABLE) - WRITER);
        if ((s & PARKED) != 0) {
            RwLockWakes.downgradeSlow(ALGORITHM, this, ONE_READER | UPGRADABLE);
        }
    }

    // =============================================================================================
    // upgradable

    /**
     * Acquires the upgradable lock: a shared lock that at most one thread holds at a time, which can be
     * upgraded to exclusive. Waits while a writer or another upgradable reader holds the lock.
     * Interrupts do not end the wait; the interrupt status is kept.
     *
     * @throws Error if the reader count would overflow
     */
    public void lockUpgradable() {
        if (!tryLockUpgradableFast()) {
            lockCommon(this, false, 0L, false, TOKEN_UPGRADABLE, RwLockTries.UPGRADABLE_READER, WRITER | UPGRADABLE);
        }
        if (OwnerTracking.ENABLED) {
            OwnerTracking.upgradableAcquired(this);
        }
    }

    /**
     * Acquires the upgradable lock unless interrupted.
     *
     * @throws InterruptedException if interrupted on entry or while waiting; the status is cleared
     * @throws Error if the reader count would overflow
     */
    public void lockUpgradableInterruptibly() throws InterruptedException {
        Timeouts.throwIfInterrupted();
        if (!tryLockUpgradableFast()) {
            throwIfInterrupted(lockCommon(this, false, 0L, true, TOKEN_UPGRADABLE, RwLockTries.UPGRADABLE_READER,
                    WRITER | UPGRADABLE));
        }
        if (OwnerTracking.ENABLED) {
            OwnerTracking.upgradableAcquired(this);
        }
    }

    /**
     * Acquires the upgradable lock if no writer or upgradable reader holds the lock at the time of the call.
     *
     * @return {@code true} if acquired
     * @throws Error if the reader count would overflow
     */
    public boolean tryLockUpgradable() {
        return tracked(tryLockUpgradableFast() || RwLockTries.tryLockUpgradable(ALGORITHM, this, false),
                TRACK_UPGRADABLE);
    }

    /**
     * Acquires the upgradable lock if it becomes available within the waiting time.
     *
     * @param time the most to wait
     * @param unit the unit of {@code time}
     * @return {@code true} if acquired, {@code false} if the time elapsed first
     * @throws InterruptedException if interrupted on entry or while waiting; the status is cleared
     * @throws NullPointerException if {@code unit} is null
     * @throws Error if the reader count would overflow
     */
    public boolean tryLockUpgradable(long time, TimeUnit unit) throws InterruptedException {
        long nanos = Timeouts.toNanos(time, unit);
        Timeouts.throwIfInterrupted();
        if (tryLockUpgradable()) {
            return true;
        }
        return tracked(nanos > 0L && timedResult(lockCommon(this, true, Timeouts.deadline(nanos), true,
                TOKEN_UPGRADABLE, RwLockTries.UPGRADABLE_READER, WRITER | UPGRADABLE)), TRACK_UPGRADABLE);
    }

    /**
     * Releases the upgradable lock.
     *
     * @throws IllegalMonitorStateException if the upgradable lock is not held (the state is unchanged)
     */
    public void unlockUpgradable() {
        int s = state;
        checkUpgradable(s);
        if (OwnerTracking.ENABLED) { // before the release: the next owner records itself after it
            OwnerTracking.upgradableReleased(this);
        }
        if (RwLockWakes.releasesWithoutWake(s) && STATE.weakCompareAndSetRelease(this, s, s - (ONE_READER | UPGRADABLE))) {
            return;
        }
        RwLockWakes.unlockUpgradableSlow(ALGORITHM, this, false);
    }

    /**
     * Releases the upgradable lock, handing it to the threads it wakes if any are queued.
     *
     * @throws IllegalMonitorStateException if the upgradable lock is not held (the state is unchanged)
     */
    public void unlockUpgradableFair() {
        checkUpgradable(state);
        if (OwnerTracking.ENABLED) {
            OwnerTracking.upgradableReleased(this);
        }
        RwLockWakes.unlockUpgradableSlow(ALGORITHM, this, true);
    }

    /**
     * If threads are queued, hands them the lock (a fair unlock) and acquires the upgradable lock
     * again; otherwise does nothing.
     *
     * @throws IllegalMonitorStateException if the upgradable lock is not held
     */
    public void bumpUpgradable() {
        int s = state;
        checkUpgradable(s);
        if ((s & PARKED) != 0) {
            if (OwnerTracking.ENABLED) {
                OwnerTracking.upgradableReleased(this);
            }
            RwLockWakes.unlockUpgradableSlow(ALGORITHM, this, true);
            lockUpgradable();
        }
    }

    /**
     * Upgrades the upgradable lock to exclusive: atomically claims the writer bit (no writer can come in
     * between), then waits for the other readers to leave. Interrupts do not end the wait.
     *
     * @throws IllegalMonitorStateException if the upgradable lock is not held (the state is unchanged)
     */
    public void upgrade() {
        checkUpgradable(state);
        int s = (int) STATE.getAndAddAcquire(this, WRITER - (ONE_READER | UPGRADABLE));
        if (OwnerTracking.ENABLED) { // the WRITER claim, before waiting for the readers
            OwnerTracking.upgraded(this);
        }
        VarHandle.storeStoreFence(); // RwLockVersion: WRITER before our writes
        if ((s & READERS_MASK) != ONE_READER) {
            waitForReaders(this, false, 0L, false, ONE_READER | UPGRADABLE);
        }
    }

    /**
     * Upgrades to exclusive if no other reader holds the lock at the time of the call.
     *
     * @return {@code true} if upgraded; {@code false} leaves the upgradable lock held
     * @throws IllegalMonitorStateException if the upgradable lock is not held
     */
    public boolean tryUpgrade() {
        int s = state;
        checkUpgradable(s);
        while ((s & READERS_MASK) == ONE_READER) {
            int witness = (int) STATE.compareAndExchangeAcquire(this, s, s - (ONE_READER | UPGRADABLE) + WRITER);
            if (witness == s) {
                VarHandle.storeStoreFence(); // RwLockVersion: WRITER before our writes
                if (OwnerTracking.ENABLED) {
                    OwnerTracking.upgraded(this);
                }
                return true;
            }
            s = witness;
        }
        return false;
    }

    /**
     * Upgrades to exclusive if the other readers leave within the waiting time. On timeout or interrupt
     * the upgradable lock is still held.
     *
     * @param time the most to wait
     * @param unit the unit of {@code time}
     * @return {@code true} if upgraded, {@code false} if the time elapsed first
     * @throws InterruptedException if interrupted on entry or while waiting; the status is cleared
     * @throws IllegalMonitorStateException if the upgradable lock is not held
     * @throws NullPointerException if {@code unit} is null
     */
    public boolean tryUpgrade(long time, TimeUnit unit) throws InterruptedException {
        long nanos = Timeouts.toNanos(time, unit);
        Timeouts.throwIfInterrupted();
        if (tryUpgrade()) {
            return true;
        }
        if (nanos <= 0L) {
            return false;
        }
        int s = (int) STATE.getAndAddAcquire(this, WRITER - (ONE_READER | UPGRADABLE));
        if (OwnerTracking.ENABLED) {
            OwnerTracking.upgraded(this);
        }
        if ((s & READERS_MASK) == ONE_READER) {
            VarHandle.storeStoreFence(); // RwLockVersion: WRITER before our writes
            return true;
        }
        int r = waitForReaders(this, true, Timeouts.deadline(nanos), true, ONE_READER | UPGRADABLE);
        if (OwnerTracking.ENABLED && r != ACQUIRED) { // the claim was given back: upgradable again
            OwnerTracking.upgradeAbandoned(this);
        }
        return timedResult(r);
    }

    /**
     * Turns the upgradable lock into a plain shared lock, waking a queued upgradable reader or writer.
     *
     * @throws IllegalMonitorStateException if the upgradable lock is not held (the state is unchanged)
     */
    public void downgradeUpgradable() {
        checkUpgradable(state);
        if (OwnerTracking.ENABLED) {
            OwnerTracking.upgradableDowngraded(this);
        }
        int s = (int) STATE.getAndAdd(this, -UPGRADABLE);
        if ((s & PARKED) != 0) {
            RwLockWakes.downgradeSlow(ALGORITHM, this, ONE_READER);
        }
    }

    // =============================================================================================
    // optimistic reads

    /**
     * Returns a stamp for an optimistic read, or zero if {@link #isLockedExclusive()}. Takes no lock and
     * writes nothing: read the guarded fields into locals, then use them only if {@link #validate(long)}
     * returns {@code true} (else retry, or fall back to {@link #lockShared()}).
     *
     * @return a non-zero stamp, or zero if exclusively locked
     */
    public long tryOptimisticRead() {
        int v = (int) VERSION.getAcquire(this); // before the state read (RwLockVersion)
        return (state & WRITER) == 0 ? RwLockVersion.stamp(v) : 0L;
    }

    /**
     * Returns whether no thread has held the lock exclusively since {@code stamp} was issued by
     * {@link #tryOptimisticRead()}: then the reads made in between saw a consistent state. Shared and
     * upgradable holds keep a stamp valid; every exclusive hold fails it (also one gained by
     * {@link #upgrade()} or left by a downgrade). Reads before this call are not reordered after its
     * check (an acquire fence, as in {@code StampedLock.validate}). Stamps are 32-bit versions and recycle:
     * one validates wrongly only after exactly a multiple of 2<sup>32</sup> exclusive holds (no sooner
     * than some 40 seconds of back-to-back write locking).
     *
     * @param stamp a stamp from {@link #tryOptimisticRead()}
     * @return {@code true} if no exclusive hold came in between; {@code false} for a zero stamp
     */
    public boolean validate(long stamp) {
        VarHandle.acquireFence(); // the caller's reads before the re-reads below
        return (state & WRITER) == 0 && RwLockVersion.matches(stamp, (int) VERSION.getOpaque(this));
    }

    // =============================================================================================
    // queries and views

    /**
     * Returns whether the lock is held in any mode (or a writer claimed it): a snapshot for monitoring.
     *
     * @return {@code true} if locked
     */
    public boolean isLocked() {
        return (state & (WRITER | READERS_MASK)) != 0;
    }

    /**
     * Returns whether a writer holds the lock or has claimed it and waits for readers: a snapshot.
     *
     * @return {@code true} if the writer bit is set
     */
    public boolean isLockedExclusive() {
        return (state & WRITER) != 0;
    }

    /**
     * Returns a {@link ReadWriteLock} view: {@code readLock()} is the shared mode,
     * {@code writeLock()} the exclusive mode. The read lock's {@code newCondition()} throws
     * {@link UnsupportedOperationException}; the write lock's returns a {@link Condition} backed by a
     * {@link Condvar} (its methods throw {@link IllegalMonitorStateException} if the lock is not held
     * exclusively). Each call returns a new view of this lock.
     *
     * @return a read-write lock view of this lock
     */
    public ReadWriteLock asReadWriteLock() {
        return new ReadWriteView(this);
    }

    /**
     * Returns a string identifying this lock and its state, in the form of {@code ReentrantReadWriteLock},
     * followed by the number of queued threads (readers and writers, including a writer waiting for
     * readers to leave) when there are any.
     *
     * @return the identity followed by {@code [Write locks = w, Read locks = r]} or
     *         {@code [Write locks = w, Read locks = r, n queued]}
     */
    @Override
    public String toString() {
        int s = state;
        int readers = (s & READERS_MASK) >>> READER_SHIFT;
        int writers = (s & WRITER) != 0 && readers == 0 ? 1 : 0;
        int queued = ParkingLot.queueLength(this, ACQUIRE_LANE) + ParkingLot.queueLength(this, DRAIN_LANE);
        return super.toString() + "[Write locks = " + writers + ", Read locks = " + readers
                + (queued == 0 ? "]" : ", " + queued + " queued]");
    }

    /** {@return a guard of a shared hold taken as by {@link #lockShared()}} See {@link LockGuard}. */
    public LockGuard sharedLocked() {
        return LockGuard.shared(this);
    }

    /** {@return a guard of the exclusive hold taken as by {@link #lockExclusive()}} */
    public LockGuard exclusiveLocked() {
        return LockGuard.exclusive(this);
    }

    /** {@return a guard of the upgradable hold taken as by {@link #lockUpgradable()}} */
    public UpgradableGuard upgradableLocked() {
        return UpgradableGuard.upgradable(this);
    }

    // =============================================================================================
    // slow paths

    private boolean tryLockExclusiveFast() {
        int s = state;
        if ((s & (WRITER | UPGRADABLE | READERS_MASK)) == 0 && STATE.weakCompareAndSetAcquire(this, s, s | WRITER)) {
            VarHandle.storeStoreFence(); // RwLockVersion: WRITER before our writes
            return true;
        }
        return false;
    }

    private boolean tryLockSharedFast(boolean recursive) {
        int s = state;
        if ((s & WRITER) != 0 && (!recursive || (s & READERS_MASK) == 0)) {
            return false;
        }
        return (s & READERS_MASK) != READERS_MASK && STATE.weakCompareAndSetAcquire(this, s, s + ONE_READER);
    }

    private boolean tryLockUpgradableFast() {
        int s = state;
        return (s & (WRITER | UPGRADABLE)) == 0 && (s & READERS_MASK) != READERS_MASK
                && STATE.weakCompareAndSetAcquire(this, s, s + (ONE_READER | UPGRADABLE));
    }

    // =============================================================================================
    // helpers

    /** Before a release of exclusive ownership: advances the version, failing the stamps issued since. */
    private void advanceVersion() {
        VERSION.setOpaque(this, version + 1); // written only by the owner; the release that follows orders it
    }

    /** {@link #tracked}: a shared hold. */
    private static final int TRACK_SHARED = 0;
    /** {@link #tracked}: the exclusive hold. */
    private static final int TRACK_EXCLUSIVE = 1;
    /** {@link #tracked}: the upgradable hold. */
    private static final int TRACK_UPGRADABLE = 2;

    /**
     * Returns {@code acquired}, first recording the acquisition for the deadlock finder if it succeeded
     * and owner tracking is on (see OwnerTracking; with tracking off this is the identity).
     */
    private boolean tracked(boolean acquired, int mode) {
        if (OwnerTracking.ENABLED && acquired) {
            switch (mode) {
                case TRACK_SHARED -> OwnerTracking.sharedAcquired(this);
                case TRACK_EXCLUSIVE -> OwnerTracking.exclusiveAcquired(this);
                default -> OwnerTracking.upgradableAcquired(this);
            }
        }
        return acquired;
    }

    /** The protocol's slow paths projected onto {@link #state} (see {@link RwLockAlgorithm}). */
    static final RawRwLockAlgorithm ALGORITHM = new RawRwLockAlgorithm();

    // VarHandle mechanics
    /** The {@code state} field; package-private for {@link RawRwLockAlgorithm}. */
    static final VarHandle STATE;
    private static final VarHandle VERSION;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(RawRwLock.class, "state", int.class);
            VERSION = l.findVarHandle(RawRwLock.class, "version", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
