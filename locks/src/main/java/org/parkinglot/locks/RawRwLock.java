/*
 * Ported from parking_lot `src/raw_rwlock.rs` (Amanieu d'Antras, MIT/Apache-2.0), whose design follows
 * Boost's upgrade_mutex.
 */
package org.parkinglot.locks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import org.parkinglot.core.FilterOp;
import org.parkinglot.core.ParkResult;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.core.SpinWait;
import org.parkinglot.core.UnparkResult;
import org.parkinglot.core.internal.Timeouts;

/**
 * A task-fair read-write lock in one {@code int} of state (16 bytes per instance, also after
 * contention), with upgradable reads. Not reentrant (except {@link #lockSharedRecursive()}), and it
 * does not track owners.
 *
 * <p>Three modes:
 * <ul>
 *   <li><b>shared</b> ({@link #lockShared()}): any number of readers at once;</li>
 *   <li><b>exclusive</b> ({@link #lockExclusive()}): one writer, no readers;</li>
 *   <li><b>upgradable</b> ({@link #lockUpgradable()}): one upgradable reader at a time, alongside plain
 *       readers; it can {@link #upgrade()} to exclusive without letting a writer in between, and
 *       exclusive can {@link #downgrade()} to shared or {@link #downgradeToUpgradable()}.</li>
 * </ul>
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
 * throughout, so no other writer's actions can come in between.
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
     *   bit 4       WOKEN: an unfair exclusive or upgradable unlock woke a batch that holds a writer
     *               or an upgradable reader (the successor) with TOKEN_WOKEN, and that successor has
     *               not yet claimed WRITER or UPGRADABLE nor gone back to park; meanwhile unfair
     *               exclusive and upgradable unlocks release without waking anyone (see below)
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
     * threads it wakes to compute the state it hands over (wakeParkedThreads): every queued reader, and
     * at most one writer or upgrader (a writer ends the scan). Readers never look at PARKED: a reader
     * waits only while WRITER is set.
     *
     * The woken successor (WOKEN), as in MutexAlgorithm. An unfair exclusive or upgradable unlock
     * that wakes a batch holding a writer or an upgradable reader sets WOKEN and hands the batch
     * TOKEN_WOKEN; that one thread (readers ignore the token) is the successor until it clears WOKEN,
     * in the CAS that claims WRITER or UPGRADABLE, or in the one that sets PARKED to park again.
     * While WOKEN is set, unfair exclusive and upgradable unlocks release without waking. No wake-up
     * is lost: every thread parked on lane 0 waits for WRITER or UPGRADABLE to clear, and a skipped
     * wake-up is made up by the successor: if it acquires, it holds WRITER or UPGRADABLE and its own
     * unlock sees WOKEN clear; if it parks again, its clearing CAS came first and the next unlock sees
     * WOKEN clear; if its validate then fails, it retries awake. Fair unlocks, downgrades and a
     * timed-out writer's give-back wake regardless of WOKEN (with TOKEN_NORMAL or TOKEN_HANDOFF). While
     * WOKEN is set the fair timer is not consulted (the gap, and why the obvious fix was not kept, are
     * in MutexAlgorithm's notes).
     *
     * Acquisition CASes have acquire semantics; releases use release CASes or release stores inside
     * unpark callbacks (under the bucket lock, where no one else writes the word except by CAS).
     * Hand-offs are ordered as in MutexAlgorithm: release store of the state, then unparkLock()'s
     * release, then the woken thread's acquire when its park ends. wait_for_readers re-reads the state
     * with acquire so the readers' release decrements order their critical sections before the writer's.
     * PARKED / WRITER_PARKED changes use volatile RMWs; they steer who takes a slow path and are
     * re-validated under bucket locks.
     *
     * Allocation. A park allocates only the parking lot's wait node: the park callbacks (LaneZeroWait,
     * ReaderDrainWait) are shared objects that find the lock through the key. A waking unlock allocates
     * its Wake (the filter sums the woken threads' park tokens into the state it hands over, per call)
     * or LastReaderWake, because the parking lot's unpark callbacks receive no key.
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
    /** One unit of the reader count. */
    static final int ONE_READER = 0b10_0000;
    /** The reader count's bits. */
    static final int READERS_MASK = ~(ONE_READER - 1);

    /** Park token of a reader: the state it adds. */
    static final long TOKEN_SHARED = ONE_READER;
    /** Park token of a writer: the state it adds. */
    static final long TOKEN_EXCLUSIVE = WRITER;
    /** Park token of an upgradable reader: the state it adds. */
    static final long TOKEN_UPGRADABLE = ONE_READER | UPGRADABLE;

    private static final int ACQUIRED = MutexAlgorithm.ACQUIRED;
    private static final int TIMED_OUT = MutexAlgorithm.TIMED_OUT;
    private static final int INTERRUPTED = MutexAlgorithm.INTERRUPTED;
    private static final long TOKEN_NORMAL = MutexAlgorithm.TOKEN_NORMAL;
    static final long TOKEN_HANDOFF = MutexAlgorithm.TOKEN_HANDOFF;
    /** Unpark token of a batch whose writer or upgradable reader is the woken successor (WOKEN set). */
    static final long TOKEN_WOKEN = MutexAlgorithm.TOKEN_WOKEN;

    /** The state word; see the implementation notes. */
    private volatile int state;

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
            lockCommon(false, 0L, false, TOKEN_SHARED, SHARED, WRITER);
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
            throwIfInterrupted(lockCommon(false, 0L, true, TOKEN_SHARED, SHARED, WRITER));
        }
    }

    /**
     * Acquires a shared lock if no writer holds or waits for the lock at the time of the call.
     *
     * @return {@code true} if acquired
     * @throws Error if the reader count would overflow
     */
    public boolean tryLockShared() {
        return tryLockSharedFast(false) || tryLockSharedSlow(false);
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
        return nanos > 0L && timedResult(lockCommon(true, Timeouts.deadline(nanos), true, TOKEN_SHARED, SHARED, WRITER));
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
            lockCommon(false, 0L, false, TOKEN_SHARED, SHARED_RECURSIVE, WRITER);
        }
    }

    /**
     * As {@link #tryLockShared()}, but passes a waiting writer when other readers hold the lock.
     *
     * @return {@code true} if acquired
     * @throws Error if the reader count would overflow
     */
    public boolean tryLockSharedRecursive() {
        return tryLockSharedFast(true) || tryLockSharedSlow(true);
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
        if ((s & (READERS_MASK | WRITER_PARKED)) == (ONE_READER | WRITER_PARKED)) {
            unlockSharedSlow();
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
            lockExclusiveSlow(false, 0L, false, false);
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
            throwIfInterrupted(lockExclusiveSlow(false, 0L, true, false));
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
                return true;
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
        return nanos > 0L && timedResult(lockExclusiveSlow(true, Timeouts.deadline(nanos), true, false));
    }

    /**
     * Releases the exclusive lock, waking the queued readers and at most one writer or upgradable
     * reader; usually they compete with arriving threads, but if the fair timeout has expired the lock is
     * handed to them directly.
     *
     * @throws IllegalMonitorStateException if the exclusive lock is not held (the state is unchanged)
     */
    public void unlockExclusive() {
        // One CAS from the word read: nobody queued, or a woken successor is already in flight.
        int s = state;
        if ((s & (WRITER | READERS_MASK)) != WRITER || ((s & PARKED) != 0 && (s & WOKEN) == 0)
                || !STATE.weakCompareAndSetRelease(this, s, s & ~WRITER)) {
            checkExclusive(state);
            unlockExclusiveSlow(false);
        }
    }

    /**
     * Releases the exclusive lock and, if threads are queued, hands it directly to the ones it wakes.
     *
     * @throws IllegalMonitorStateException if the exclusive lock is not held (the state is unchanged)
     */
    public void unlockExclusiveFair() {
        if (!STATE.weakCompareAndSetRelease(this, WRITER, 0)) {
            checkExclusive(state);
            unlockExclusiveSlow(true);
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
            unlockExclusiveSlow(true);
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
        int s = (int) STATE.getAndAddRelease(this, ONE_READER - WRITER);
        if ((s & PARKED) != 0) {
            downgradeSlow(ONE_READER);
        }
    }

    /**
     * Atomically turns the exclusive lock into an upgradable lock, waking queued readers.
     *
     * @throws IllegalMonitorStateException if the exclusive lock is not held (the state is unchanged)
     */
    public void downgradeToUpgradable() {
        checkExclusive(state);
        int s = (int) STATE.getAndAddRelease(this, (ONE_READER | UPGRADABLE) - WRITER);
        if ((s & PARKED) != 0) {
            downgradeSlow(ONE_READER | UPGRADABLE);
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
            lockCommon(false, 0L, false, TOKEN_UPGRADABLE, UPGRADABLE_TRY, WRITER | UPGRADABLE);
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
            throwIfInterrupted(lockCommon(false, 0L, true, TOKEN_UPGRADABLE, UPGRADABLE_TRY, WRITER | UPGRADABLE));
        }
    }

    /**
     * Acquires the upgradable lock if no writer or upgradable reader holds the lock at the time of the call.
     *
     * @return {@code true} if acquired
     * @throws Error if the reader count would overflow
     */
    public boolean tryLockUpgradable() {
        return tryLockUpgradableFast() || tryLockUpgradableSlow();
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
        return nanos > 0L && timedResult(lockCommon(true, Timeouts.deadline(nanos), true, TOKEN_UPGRADABLE, UPGRADABLE_TRY,
                WRITER | UPGRADABLE));
    }

    /**
     * Releases the upgradable lock.
     *
     * @throws IllegalMonitorStateException if the upgradable lock is not held (the state is unchanged)
     */
    public void unlockUpgradable() {
        int s = state;
        checkUpgradable(s);
        if (((s & PARKED) == 0 || (s & WOKEN) != 0)
                && STATE.weakCompareAndSetRelease(this, s, s - (ONE_READER | UPGRADABLE))) {
            return;
        }
        unlockUpgradableSlow(false);
    }

    /**
     * Releases the upgradable lock, handing it to the threads it wakes if any are queued.
     *
     * @throws IllegalMonitorStateException if the upgradable lock is not held (the state is unchanged)
     */
    public void unlockUpgradableFair() {
        checkUpgradable(state);
        unlockUpgradableSlow(true);
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
            unlockUpgradableSlow(true);
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
        if ((s & READERS_MASK) != ONE_READER) {
            waitForReaders(false, 0L, false, ONE_READER | UPGRADABLE);
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
        if ((s & READERS_MASK) == ONE_READER) {
            return true;
        }
        return timedResult(waitForReaders(true, Timeouts.deadline(nanos), true, ONE_READER | UPGRADABLE));
    }

    /**
     * Turns the upgradable lock into a plain shared lock, waking a queued upgradable reader or writer.
     *
     * @throws IllegalMonitorStateException if the upgradable lock is not held (the state is unchanged)
     */
    public void downgradeUpgradable() {
        checkUpgradable(state);
        int s = (int) STATE.getAndAdd(this, -UPGRADABLE);
        if ((s & PARKED) != 0) {
            downgradeSlow(ONE_READER);
        }
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
     * Returns a string identifying this lock and its state, in the form of {@code ReentrantReadWriteLock}.
     *
     * @return the identity followed by {@code [Write locks = w, Read locks = r]}
     */
    @Override
    public String toString() {
        int s = state;
        int readers = (s & READERS_MASK) >>> 5;
        int writers = (s & WRITER) != 0 && readers == 0 ? 1 : 0;
        return super.toString() + "[Write locks = " + writers + ", Read locks = " + readers + "]";
    }

    // =============================================================================================
    // slow paths

    /** A try-lock step of lockCommon; updates nothing but the state word. */
    @FunctionalInterface
    private interface TryLock {
        /**
         * @param clearWoken whether the acquiring CAS must also clear WOKEN (the woken successor)
         * @return true if acquired; false to park
         */
        boolean tryLock(RawRwLock lock, boolean clearWoken);
    }

    /** Readers are never the woken successor: they ignore clearWoken. */
    private static final TryLock SHARED = (lock, clearWoken) -> lock.tryLockSharedSlow(false);
    private static final TryLock SHARED_RECURSIVE = (lock, clearWoken) -> lock.tryLockSharedSlow(true);
    private static final TryLock UPGRADABLE_TRY = RawRwLock::tryLockUpgradableSlow;
    private static final TryLock EXCLUSIVE_CLAIM = RawRwLock::tryClaimWriter;

    private boolean tryLockExclusiveFast() {
        int s = state;
        return (s & (WRITER | UPGRADABLE | READERS_MASK)) == 0 && STATE.weakCompareAndSetAcquire(this, s, s | WRITER);
    }

    private boolean tryLockSharedFast(boolean recursive) {
        int s = state;
        if ((s & WRITER) != 0 && (!recursive || (s & READERS_MASK) == 0)) {
            return false;
        }
        return (s & READERS_MASK) != READERS_MASK && STATE.weakCompareAndSetAcquire(this, s, s + ONE_READER);
    }

    /**
     * One attempt at a shared lock (the try methods, and lockCommon's try step): CAS loop, with a short
     * back-off while other threads keep changing the word; fails only when a writer blocks readers.
     */
    private boolean tryLockSharedSlow(boolean recursive) {
        SpinWait backoff = null;
        int s = state;
        for (;;) {
            if ((s & WRITER) != 0 && (!recursive || (s & READERS_MASK) == 0)) {
                return false;
            }
            checkReaderOverflow(s);
            if (STATE.weakCompareAndSetAcquire(this, s, s + ONE_READER)) {
                return true;
            }
            if (backoff == null) {
                backoff = new SpinWait();
            }
            backoff.spinNoYield();
            s = state;
        }
    }

    private boolean tryLockUpgradableFast() {
        int s = state;
        return (s & (WRITER | UPGRADABLE)) == 0 && (s & READERS_MASK) != READERS_MASK
                && STATE.weakCompareAndSetAcquire(this, s, s + (ONE_READER | UPGRADABLE));
    }

    /** One attempt at the upgradable lock, as {@link #tryLockSharedSlow(boolean)}. */
    private boolean tryLockUpgradableSlow() {
        return tryLockUpgradableSlow(false);
    }

    /** As {@link #tryLockUpgradableSlow()}; {@code clearWoken}: the CAS also clears WOKEN. */
    private boolean tryLockUpgradableSlow(boolean clearWoken) {
        SpinWait backoff = null;
        int s = state;
        for (;;) {
            if ((s & (WRITER | UPGRADABLE)) != 0) {
                return false;
            }
            checkReaderOverflow(s);
            int update = s + (ONE_READER | UPGRADABLE);
            if (STATE.weakCompareAndSetAcquire(this, s, clearWoken ? update & ~WOKEN : update)) {
                return true;
            }
            if (backoff == null) {
                backoff = new SpinWait();
            }
            backoff.spinNoYield();
            s = state;
        }
    }

    /**
     * Step one of exclusive acquisition: take WRITER while no writer or upgradable reader holds it;
     * {@code clearWoken}: the CAS also clears WOKEN.
     */
    private boolean tryClaimWriter(boolean clearWoken) {
        int s = state;
        for (;;) {
            if ((s & (WRITER | UPGRADABLE)) != 0) {
                return false;
            }
            int witness = (int) STATE.compareAndExchangeAcquire(this, s, clearWoken ? (s | WRITER) & ~WOKEN : s | WRITER);
            if (witness == s) {
                return true;
            }
            s = witness;
        }
    }

    private int lockExclusiveSlow(boolean timed, long deadline, boolean interruptible, boolean woken) {
        int r = lockCommon(timed, deadline, interruptible, TOKEN_EXCLUSIVE, EXCLUSIVE_CLAIM, WRITER | UPGRADABLE, woken);
        if (r != ACQUIRED) {
            return r;
        }
        return waitForReaders(timed, deadline, interruptible, 0);
    }

    /**
     * The shared slow path of every acquisition on lane 0: try, spin while nobody is parked, set
     * PARKED (with a CAS that sees one of {@code validateFlags} set, so the unlock that clears that bit
     * also sees PARKED), park while PARKED and one of {@code validateFlags} are set.
     */
    private int lockCommon(boolean timed, long deadline, boolean interruptible, long token, TryLock tryLock,
                           int validateFlags) {
        return lockCommon(timed, deadline, interruptible, token, tryLock, validateFlags, false);
    }

    /**
     * {@link #lockCommon(boolean, long, boolean, long, TryLock, int)} for a thread that may be the
     * woken successor ({@code woken}): a writer or upgradable reader woken with TOKEN_WOKEN clears
     * WOKEN in the CAS that acquires, or in the one that announces it parks again.
     */
    private int lockCommon(boolean timed, long deadline, boolean interruptible, long token, TryLock tryLock,
                           int validateFlags, boolean woken) {
        int spins = 0;
        for (;;) {
            if (tryLock.tryLock(this, woken)) {
                return ACQUIRED;
            }
            int s = state;
            if ((s & validateFlags) == 0) {
                // Released since the try failed: try again. Setting PARKED here, on a word without the
                // bits we would wait for, would leave it set with nobody queued (parking_lot's CAS
                // expects the very word its failed try saw; ours re-reads, so it must check).
                continue;
            }
            if (((s & (PARKED | WRITER_PARKED)) == 0 || woken)
                    && MutexAlgorithm.backOff(spins++, woken ? MutexAlgorithm.WOKEN_SPIN_STEPS : MutexAlgorithm.SPIN_STEPS)) {
                continue;
            }
            int update = woken ? (s | PARKED) & ~WOKEN : s | PARKED;
            if (update != s && !STATE.compareAndSet(this, s, update)) {
                continue;
            }
            woken = false;
            LaneZeroWait wait = validateFlags == WRITER ? WAIT_FOR_WRITER : WAIT_FOR_WRITER_OR_UPGRADABLE;
            ParkResult result = ParkingLot.park(this, 0L, wait, token, Timeouts.remainingOrForever(timed, deadline), interruptible);
            ParkResult.Kind kind = result.kind();
            if (kind == ParkResult.Kind.UNPARKED) {
                long unparkToken = result.unparkToken();
                if (unparkToken == TOKEN_HANDOFF) {
                    return ACQUIRED; // the unlocker added our token's delta to the state for us
                }
                // A batch's writer or upgradable reader is its woken successor; readers are not.
                woken = unparkToken == TOKEN_WOKEN && (token & (WRITER | UPGRADABLE)) != 0;
            } else if (kind == ParkResult.Kind.TIMED_OUT) {
                return TIMED_OUT;
            } else if (kind == ParkResult.Kind.INTERRUPTED) {
                return INTERRUPTED;
            } // INVALID: the state changed before we queued; try again
            spins = 0;
        }
    }

    /**
     * Back-off steps of a writer (or upgrader) that owns the writer claim and waits for the readers
     * inside to leave, before it parks on lane 1: none. Its claim already keeps new readers out, so
     * the wait ends when the readers inside finish their critical sections; with more threads than
     * cores, those readers may be waiting for the very core the writer would spin on. Measured on the
     * 2-vCPU VM ({@code AlternatingIterations RwLockAlternation.mix RAW_RW_LOCK REENTRANT_RW_LOCK},
     * 3 forks of 10 cycles per setting, the settings run back to back through a temporary system
     * property, ratio against {@code ReentrantReadWriteLock}): 95% reads at 4 threads, 0 steps 1.067x
     * and 1.027x against 0.983x and 0.970x with 1 step (the mutex's {@link MutexAlgorithm#SPIN_STEPS}),
     * and 6 steps 0.91x twice; 50% reads at 4 threads, 1.077x against 1.051x. The other way round at
     * 8 threads (95% and 50% reads: 1.067x and 1.073x with 0 steps, 1.096x and 1.102x with 1) and at 2
     * threads with 95% reads (1.29x against 1.40x), each inside the other's interval and well above 1.
     * Zero lifts the weakest cell.
     */
    static final int READER_DRAIN_SPIN_STEPS = 0;

    /**
     * The writer (or upgrader) owns WRITER; waits on lane 1 until the reader count drops to zero. On
     * timeout or interrupt, gives WRITER back (restoring {@code prevValue}, the upgradable hold for an
     * upgrade) and wakes threads that queued behind the claim.
     */
    private int waitForReaders(boolean timed, long deadline, boolean interruptible, int prevValue) {
        int spins = 0;
        int s = (int) STATE.getAcquire(this); // acquire: orders the leaving readers' critical sections
        while ((s & READERS_MASK) != 0) {
            if (MutexAlgorithm.backOff(spins++, READER_DRAIN_SPIN_STEPS)) {
                s = (int) STATE.getAcquire(this);
                continue;
            }
            if ((s & WRITER_PARKED) == 0) {
                int witness = (int) STATE.compareAndExchange(this, s, s | WRITER_PARKED);
                if (witness != s) {
                    s = witness;
                    continue;
                }
            }
            ReaderDrainWait wait = READER_DRAIN;
            ParkResult result = ParkingLot.park(this, 1L, wait, TOKEN_EXCLUSIVE, Timeouts.remainingOrForever(timed, deadline),
                    interruptible);
            ParkResult.Kind kind = result.kind();
            if (kind == ParkResult.Kind.UNPARKED || kind == ParkResult.Kind.INVALID) {
                // A writer timing out earlier may have let another reader in: check again.
                s = (int) STATE.getAcquire(this);
            } else { // TIMED_OUT or INTERRUPTED
                int old = (int) STATE.getAndAddRelease(this, prevValue - WRITER);
                if ((old & PARKED) != 0) {
                    // Threads queued behind our claim: let them re-evaluate.
                    wakeParkedThreads(prevValue, new ClearParkedWhenEmpty(this));
                }
                return kind == ParkResult.Kind.TIMED_OUT ? TIMED_OUT : INTERRUPTED;
            }
        }
        return ACQUIRED;
    }

    /**
     * For the write view's conditions: re-takes the exclusive lock as the woken successor, after a
     * condvar waiter requeued onto lane 0 was woken there with {@link #TOKEN_WOKEN}.
     */
    void lockExclusiveAsWoken() {
        lockExclusiveSlow(false, 0L, false, true);
    }

    /** The last reader leaves while the writer sleeps on lane 1: wake it. */
    private void unlockSharedSlow() {
        ParkingLot.unparkOne(this, 1L, new LastReaderWake(this));
    }

    private void unlockExclusiveSlow(boolean forceFair) {
        int s = state;
        for (;;) {
            int wake = wakeNeeded(s, forceFair);
            if (wake != NO_WAKE) {
                wakeParkedThreads(0, new ExclusiveRelease(this, wake == WAKE_FAIR));
                return;
            }
            // Nobody queued, or (unfair) the woken successor is still in flight: a plain release.
            int witness = (int) STATE.compareAndExchangeRelease(this, s, s & ~WRITER);
            if (witness == s) {
                return;
            }
            s = witness;
        }
    }

    private void unlockUpgradableSlow(boolean forceFair) {
        int s = state;
        for (;;) {
            int wake = wakeNeeded(s, forceFair);
            if (wake != NO_WAKE) {
                wakeParkedThreads(0, new UpgradableRelease(this, wake == WAKE_FAIR));
                return;
            }
            int witness = (int) STATE.compareAndExchangeRelease(this, s, s - (ONE_READER | UPGRADABLE));
            if (witness == s) {
                return;
            }
            s = witness;
        }
    }

    /** wakeNeeded: a plain release is the whole unlock. */
    private static final int NO_WAKE = 0;
    /** wakeNeeded: wake the queue's batch; it competes with arriving threads unless the fair timer fired. */
    private static final int WAKE = 1;
    /** wakeNeeded: wake the queue's batch and hand it the lock. */
    private static final int WAKE_FAIR = 2;

    /**
     * How an exclusive or upgradable unlock of a word in state {@code s} releases: plainly when nobody
     * is queued, or (unfair) when a woken successor is already in flight; else it wakes the queue's
     * batch, handing it the lock if {@code forceFair} (otherwise the fair timer decides, under the
     * bucket lock). As in MutexAlgorithm, the fair timer is not consulted while WOKEN is set.
     */
    private static int wakeNeeded(int s, boolean forceFair) {
        if ((s & PARKED) == 0) {
            return NO_WAKE;
        }
        if (forceFair) {
            return WAKE_FAIR;
        }
        return (s & WOKEN) == 0 ? WAKE : NO_WAKE;
    }

    private void downgradeSlow(int newState) {
        wakeParkedThreads(newState, new ClearParkedWhenEmpty(this));
    }

    /*
     * The parking-lot callbacks of the slow paths are named classes, not lambdas: linking a lambda call
     * site the first time it runs took milliseconds on the 2-core test machine, paid while threads
     * waited (see MutexAlgorithm.Waiter).
     */

    /**
     * Park validate and timed-out callback of a thread queued on lane 0 ({@link #lockCommon}); one
     * object per set of bits waited for, shared by every lock (the key is the lock).
     */
    private static final class LaneZeroWait implements ParkingLot.ParkCallbacks {
        /** The park is valid while PARKED and one of these bits are set. */
        private final int validateFlags;

        LaneZeroWait(int validateFlags) {
            this.validateFlags = validateFlags;
        }

        @Override
        public boolean validate(Object key, long lane) {
            int now = ((RawRwLock) key).state;
            return (now & PARKED) != 0 && (now & validateFlags) != 0;
        }

        @Override
        public void timedOut(Object key, long lane, boolean wasLastThread) {
            if (wasLastThread) {
                STATE.getAndBitwiseAndRelease((RawRwLock) key, ~PARKED); // under lane 0's bucket lock
            }
        }
    }

    /** The lane-0 park of a reader: it waits while WRITER is set. */
    private static final LaneZeroWait WAIT_FOR_WRITER = new LaneZeroWait(WRITER);
    /** The lane-0 park of a writer or upgradable reader: it waits while WRITER or UPGRADABLE is set. */
    private static final LaneZeroWait WAIT_FOR_WRITER_OR_UPGRADABLE = new LaneZeroWait(WRITER | UPGRADABLE);

    /**
     * Lane 1, where the WRITER owner waits for readers to drain: its park validate and timed-out
     * callback, shared by every lock (the key is the lock). Only the WRITER owner parks on lane 1, so it
     * is always the last thread there: leaving clears WRITER_PARKED.
     */
    private static final class ReaderDrainWait implements ParkingLot.ParkCallbacks {
        @Override
        public boolean validate(Object key, long lane) {
            int now = ((RawRwLock) key).state;
            return (now & READERS_MASK) != 0 && (now & WRITER_PARKED) != 0;
        }

        @Override
        public void timedOut(Object key, long lane, boolean wasLastThread) {
            STATE.getAndBitwiseAndRelease((RawRwLock) key, ~WRITER_PARKED); // under lane 1's bucket lock
        }
    }

    private static final ReaderDrainWait READER_DRAIN = new ReaderDrainWait();

    /** The unpark callback of the last reader's unlock, waking the writer on lane 1: clears WRITER_PARKED. */
    private static final class LastReaderWake implements ParkingLot.UnparkCallback {
        private final RawRwLock lock;

        LastReaderWake(RawRwLock lock) {
            this.lock = lock;
        }

        @Override
        public long onUnpark(UnparkResult result) {
            STATE.getAndBitwiseAndRelease(lock, ~WRITER_PARKED); // under lane 1's bucket lock
            return TOKEN_NORMAL;
        }
    }

    /**
     * A wake of lane 0 ({@link #wakeParkedThreads}): the token filter that picks every queued reader
     * plus at most one writer or upgradable reader, summing their park tokens, and the unpark callback
     * that hands the sum to {@link #onWake}. One instance per wake; used under one bucket lock only.
     */
    private abstract static class Wake implements ParkingLot.ParkTokenFilter, ParkingLot.UnparkCallback {
        final RawRwLock lock;
        /** The state the woken threads will own: the starting state plus each woken thread's token. */
        private int sum;

        Wake(RawRwLock lock) {
            this.lock = lock;
        }

        @Override
        public final FilterOp filter(long token) {
            int s = sum;
            if ((s & WRITER) != 0) {
                return FilterOp.STOP;
            }
            if ((token & (UPGRADABLE | WRITER)) != 0 && (s & UPGRADABLE) != 0) {
                return FilterOp.SKIP;
            }
            sum = s + (int) token;
            return FilterOp.UNPARK;
        }

        @Override
        public final long onUnpark(UnparkResult result) {
            return onWake(sum, result);
        }

        /**
         * Under lane 0's bucket lock: updates the state for the wake and chooses the token.
         *
         * @param newState the summed state of the woken threads
         * @param r        what the wake is about to do
         * @return the token for the woken threads
         */
        abstract long onWake(int newState, UnparkResult r);
    }

    /** A wake that only clears PARKED when it empties the queue (downgrades, a writer giving up). */
    private static final class ClearParkedWhenEmpty extends Wake {
        ClearParkedWhenEmpty(RawRwLock lock) {
            super(lock);
        }

        @Override
        long onWake(int newState, UnparkResult r) {
            if (!r.haveMoreThreads()) {
                STATE.getAndBitwiseAndRelease(lock, ~PARKED);
            }
            return TOKEN_NORMAL;
        }
    }

    /** The wake of an exclusive unlock: hand over (fair) or release, naming a woken writer the successor. */
    private static final class ExclusiveRelease extends Wake {
        private final boolean forceFair;

        ExclusiveRelease(RawRwLock lock, boolean forceFair) {
            super(lock);
            this.forceFair = forceFair;
        }

        @Override
        long onWake(int newState, UnparkResult r) {
            // Under lane 0's bucket lock; we hold WRITER, so the other threads change the word only by
            // setting PARKED or clearing WOKEN with a CAS that expects WRITER set, and a parker's
            // validate runs under this same lock, after this store: plain release stores are safe.
            if (r.unparkedThreads() != 0 && (forceFair || r.beFair())) {
                STATE.setRelease(lock, r.haveMoreThreads() ? newState | PARKED : newState);
                return TOKEN_HANDOFF;
            }
            int next = r.haveMoreThreads() ? PARKED : 0;
            if ((newState & (WRITER | UPGRADABLE)) != 0) {
                STATE.setRelease(lock, next | WOKEN); // the batch's writer or upgrader is the successor
                return TOKEN_WOKEN;
            }
            STATE.setRelease(lock, next);
            return TOKEN_NORMAL;
        }
    }

    /** The wake of an upgradable unlock: hand over (fair) or release, naming a woken writer the successor. */
    private static final class UpgradableRelease extends Wake {
        private final boolean forceFair;

        UpgradableRelease(RawRwLock lock, boolean forceFair) {
            super(lock);
            this.forceFair = forceFair;
        }

        @Override
        long onWake(int newState, UnparkResult r) {
            // Readers may come and go concurrently (CAS on the count), so CAS loops here.
            int cur = lock.state;
            if (r.unparkedThreads() != 0 && (forceFair || r.beFair())) {
                for (;;) {
                    int released = cur - (ONE_READER | UPGRADABLE);
                    long readers = (long) ((released & READERS_MASK) >>> 5) + ((newState & READERS_MASK) >>> 5);
                    if (readers > (READERS_MASK >>> 5)) {
                        break; // the hand-over would overflow the reader count: release normally
                    }
                    int next = released + newState;
                    next = r.haveMoreThreads() ? next | PARKED : next & ~PARKED;
                    int witness = (int) STATE.compareAndExchangeRelease(lock, cur, next);
                    if (witness == cur) {
                        return TOKEN_HANDOFF;
                    }
                    cur = witness;
                }
            }
            boolean successor = r.unparkedThreads() != 0 && (newState & (WRITER | UPGRADABLE)) != 0;
            for (;;) {
                int next = cur - (ONE_READER | UPGRADABLE);
                next = r.haveMoreThreads() ? next | PARKED : next & ~PARKED;
                if (successor) {
                    next |= WOKEN; // the batch's writer or upgrader is the woken successor
                }
                int witness = (int) STATE.compareAndExchangeRelease(lock, cur, next);
                if (witness == cur) {
                    return successor ? TOKEN_WOKEN : TOKEN_NORMAL;
                }
                cur = witness;
            }
        }
    }

    /**
     * Wakes, from lane 0, every queued reader plus at most one writer or upgradable reader (a writer
     * ends the scan; a second upgrader or writer is skipped), starting from {@code newState} and adding
     * each woken thread's park token, then calls {@code wake.onWake} with the sum under the bucket lock.
     */
    private void wakeParkedThreads(int newState, Wake wake) {
        wake.sum = newState;
        ParkingLot.unparkFilter(this, 0L, wake, wake);
    }

    // =============================================================================================
    // helpers

    /** Condvar support for the write view: after a hand-off we own WRITER; wait for readers to leave. */
    void awaitReadersAfterHandoff() {
        waitForReaders(false, 0L, false, 0);
    }

    /** Condvar support for the write view: marks lane 0 non-empty if a release will wake it. */
    boolean markParkedIfWriterOrUpgradable() {
        int s = state;
        for (;;) {
            if ((s & (WRITER | UPGRADABLE)) == 0) {
                return false;
            }
            if ((s & PARKED) != 0) {
                return true;
            }
            int witness = (int) STATE.compareAndExchange(this, s, s | PARKED);
            if (witness == s) {
                return true;
            }
            s = witness;
        }
    }

    /** Condvar support for the write view: whether a writer holds the lock (not merely claimed it). */
    boolean isHeldExclusively() {
        int s = state;
        return (s & WRITER) != 0 && (s & READERS_MASK) == 0;
    }

    /** Condvar support for the write view: marks lane 0 non-empty. */
    void markParked() {
        STATE.getAndBitwiseOr(this, PARKED);
    }

    private static void checkExclusive(int s) {
        if ((s & WRITER) == 0 || (s & READERS_MASK) != 0) {
            throw new IllegalMonitorStateException("exclusive lock is not held");
        }
    }

    private static void checkUpgradable(int s) {
        if ((s & UPGRADABLE) == 0 || (s & WRITER) != 0) {
            throw new IllegalMonitorStateException("upgradable lock is not held");
        }
    }

    private static void checkReaderOverflow(int s) {
        if ((s & READERS_MASK) == READERS_MASK) {
            throw new Error("Maximum lock count exceeded");
        }
    }

    /** The result of a timed, interruptible acquisition: acquired or not, or InterruptedException. */
    private static boolean timedResult(int r) throws InterruptedException {
        throwIfInterrupted(r);
        return r == ACQUIRED;
    }

    /** Throws InterruptedException (clearing the status) if an interruptible acquisition was interrupted. */
    private static void throwIfInterrupted(int r) throws InterruptedException {
        if (r == INTERRUPTED) {
            throw Timeouts.clearInterrupt();
        }
    }

    // VarHandle mechanics
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(RawRwLock.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
