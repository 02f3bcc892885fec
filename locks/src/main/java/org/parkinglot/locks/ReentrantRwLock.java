/*
 * The read-write protocol of parking_lot `src/raw_rwlock.rs` (through RwLockAlgorithm, shared with
 * RawRwLock), with the API and reentrancy rules of java.util.concurrent.locks.ReentrantReadWriteLock.
 */
package org.parkinglot.locks;

import static org.parkinglot.locks.RwLockTries.throwIfInterrupted;
import static org.parkinglot.locks.RwLockTries.timedResult;

import java.io.Serial;
import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.AbstractOwnableSynchronizer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import org.parkinglot.core.ParkedThread;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.core.internal.Timeouts;

/**
 * A reentrant read-write lock with the behaviour of {@link java.util.concurrent.locks.ReentrantReadWriteLock},
 * built on the global {@link ParkingLot} and {@link RawRwLock}'s protocol: 32 bytes per instance, also
 * after contention (a {@code ReentrantReadWriteLock} takes 120). A drop-in replacement: the same
 * constructors, the same behaviour of the read and write locks and of the monitoring methods, the same
 * {@code toString} forms; the monitoring methods that {@code ReentrantReadWriteLock} keeps protected
 * ({@link #getOwner()}, {@link #getQueuedWriterThreads()}, {@link #getQueuedReaderThreads()},
 * {@link #getQueuedThreads()}, {@link #getWaitingThreads(Condition)}) are public here.
 *
 * <h2>Reentrancy</h2>
 * As {@code ReentrantReadWriteLock}: both locks are reentrant. The writer may also take the read lock, and
 * <em>downgrade</em> by releasing the write lock while it holds the read lock (no other writer can come in
 * between). A reader cannot upgrade: a thread holding the read lock that calls {@code writeLock().lock()}
 * waits forever (its own read hold keeps the readers from draining), and {@code writeLock().tryLock()}
 * returns {@code false}. A thread that holds the read lock gets it again at once even while a writer waits
 * for the readers to leave (the writer waits for this thread, so queueing behind it would deadlock).
 * At most 2<sup>27</sup> - 1 read holds in all and {@link Integer#MAX_VALUE} write holds; one more throws
 * {@code Error("Maximum lock count exceeded")} with the state unchanged.
 *
 * <h2>Fairness</h2>
 * The unfair mode (the default) is {@link RawRwLock}'s task fairness: a writer that wants the lock keeps new
 * readers out from then on (only reentrant reads pass), an unlocking writer wakes every queued reader plus
 * one writer, and the parking lot's fair timeout (on average every 0.5 ms) hands the lock over directly.
 * The fair mode ({@code new ReentrantRwLock(true)}) hands the lock to the queued threads on every write
 * unlock, in arrival order (the queued readers in front of the first queued writer together, then that
 * writer), so an arriving thread can take the lock only when no writer holds or waits for it. As with the
 * JDK lock, the read lock's untimed {@link ReadLock#tryLock()} barges in whenever no writer holds the lock
 * (even if one waits), and the write lock's {@link WriteLock#tryLock()} whenever the lock is free.
 *
 * <h2>Views</h2>
 * To stay within 32 bytes the lock keeps no view objects: {@link #readLock()} and {@link #writeLock()}
 * return a new 16-byte view per call (allocation-free where the JIT sees the view does not escape, as in
 * {@code rw.readLock().lock()}). So {@code rw.readLock() == rw.readLock()} may be {@code false}; the views
 * are equal ({@link Object#equals}) and have equal hash codes when they are the same kind of view of the
 * same lock. Conditions of the write lock are bound to the lock, not to a view.
 *
 * <h2>Memory synchronization</h2>
 * As {@link ReadWriteLock}: a write unlock happens-before every later acquisition in either mode; a read
 * unlock happens-before the next write lock acquisition.
 *
 * <h2>When something hangs</h2>
 * The write side is visible to the JVM's tools as a {@code ReentrantReadWriteLock}'s is: this lock is an
 * {@link AbstractOwnableSynchronizer} that records the writer there, and its waiters park with the lock as
 * their blocker, so {@code ThreadMXBean.findDeadlockedThreads()} reports cycles through write holds and
 * {@code jstack -l} lists the write lock under its owner's "Locked ownable synchronizers". Read holds are
 * not visible to these tools (as with the JDK's lock).
 *
 * <h2>Serialization</h2>
 * Serializes its fairness only; a deserialized lock is unlocked, as with {@code ReentrantReadWriteLock}.
 */
public class ReentrantRwLock extends AbstractOwnableSynchronizer implements ReadWriteLock, Serializable {

    /*
     * Implementation notes.
     *
     * The word (state) is RawRwLock's word, driven by the same slow paths (RwLockWaits, RwLockWakes,
     * RwLockTries) through ReentrantRwLockAlgorithm; its bits, queues, tokens and orderings are described
     * in RawRwLock's implementation notes. This class never uses UPGRADABLE. The fast paths are RawRwLock's,
     * written again against this class's VarHandle (acquire CAS to lock, release CAS to unlock).
     *
     * Reentrancy on top of the word:
     *
     *   owner (AbstractOwnableSynchronizer.exclusiveOwnerThread, plain accesses): the writer, set right after
     *       the acquisition (WRITER with no readers), cleared right before the release; written only by the
     *       owner, so its own reads see program order; other threads read it racily, for monitoring and for
     *       "am I the owner" (a thread never sees itself there unless it wrote it).
     *   writeHolds: the write hold count; read and written only by the owner.
     *   writerReadHolds: the read holds the owner took while it held the write lock. They are NOT in the
     *       word's reader count: while a writer holds the lock the word is WRITER with zero readers, exactly
     *       RawRwLock's "a writer holds the lock", so no other thread can mistake the owner's reads for the
     *       readers a claiming writer waits for. The last write unlock moves them into the word in one RMW
     *       (getAndAdd(k * ONE_READER - WRITER): RawRwLock's downgrade) and wakes the queued readers. Written
     *       only by the owner; read racily by getReadLockCount (monitoring).
     *   per-thread read holds (ReadHolds, one static ThreadLocal for every lock): each thread's count per
     *       lock, with entries only while held. Needed for getReadHoldCount, for refusing an unlock of a read
     *       lock the thread does not hold, and for the reentrant-read rule: a thread with a read hold uses
     *       RawRwLock's recursive try (passes a writer's claim while readers are inside), every other reader
     *       the plain one (waits behind a claiming writer). A reader cannot hold the write lock (no upgrade),
     *       so all of the owner's read holds were taken while writing and are in writerReadHolds.
     *   fair: final field (racy publication is safe), fits in the padding: 12 header + 4 owner + 4 state + 4
     *       writeHolds + 4 writerReadHolds + 1 fair = 29, aligned to 32 bytes.
     *
     * Fairness. The fair mode releases the write lock with RawRwLock's fair unlock (the woken batch is handed
     * the lock), so while threads are queued the lock is never free and arrivals queue; an arrival may pass
     * queued threads only where the lock is free with threads queued: right after a downgrade (its wake is
     * not a hand-off) or a timed-out writer's give-back. The read lock's tryLock() uses the recursive try for
     * every thread (the JDK's fails only if another thread holds the write lock).
     *
     * Conditions (write lock only): the WriteLock view is the CondvarLock; queue key (this, 0) and park token
     * TOKEN_EXCLUSIVE, as RawRwLock's write view. A wait releases every write hold and the owner's read
     * holds (the whole hold, as the JDK's fullyRelease of the whole state), and restores both: the read holds
     * from the thread's ReadHolds entry, which the wait leaves in place.
     */

    @Serial
    private static final long serialVersionUID = -2562539441612591453L;

    /** The most read holds in all (the word's reader count). */
    private static final int MAX_READ_HOLDS = RawRwLock.READERS_MASK >>> RawRwLock.READER_SHIFT;

    private static final int ONE_READER = RawRwLock.ONE_READER;
    private static final int READERS_MASK = RawRwLock.READERS_MASK;
    private static final int WRITER = RawRwLock.WRITER;
    private static final int PARKED = RawRwLock.PARKED;
    private static final int ACQUIRED = MutexAlgorithm.ACQUIRED;
    private static final int TIMED_OUT = MutexAlgorithm.TIMED_OUT;

    /** The word of RawRwLock's protocol (see its implementation notes). Transient: a copy is unlocked. */
    transient volatile int state;
    /** The write hold count; accessed by the owner only (package-private for tests). */
    transient int writeHolds;
    /** The owner's read holds taken while it writes, not in the word; written by the owner only. */
    transient int writerReadHolds;
    /** Whether write unlocks hand the lock to the queued threads. */
    private final boolean fair;

    /** Creates an unfair (task-fair, eventually fair) lock, like the JDK lock's no-argument constructor. */
    public ReentrantRwLock() {
        this(false);
    }

    /**
     * Creates a lock with the given fairness policy, like {@code new ReentrantReadWriteLock(fair)}.
     *
     * @param fair {@code true} to hand the lock to the queued threads on every write unlock
     */
    public ReentrantRwLock(boolean fair) {
        this.fair = fair;
    }

    /**
     * Returns a view of the read lock: a new object per call (see "Views" above).
     *
     * @return the read lock
     */
    @Override
    public ReadLock readLock() {
        return new ReadLock(this);
    }

    /**
     * Returns a view of the write lock: a new object per call (see "Views" above).
     *
     * @return the write lock
     */
    @Override
    public WriteLock writeLock() {
        return new WriteLock(this);
    }

    // =============================================================================================
    // read side

    private void lockRead() {
        ReadHolds h = ReadHolds.current();
        if (h.isEmpty()) { // holds no read lock: the plain reader's CAS, then the first slot
            int s = state;
            if ((s & WRITER) == 0 && (s & READERS_MASK) != READERS_MASK
                    && STATE.weakCompareAndSetAcquire(this, s, s + ONE_READER)) {
                h.first = this;
                h.firstCount = 1;
                return;
            }
        }
        acquireRead(h, false, 0L, false, false);
    }

    /** Every read acquisition but lockRead's fast path; {@code once}: try once. ACQUIRED, TIMED_OUT or INTERRUPTED. */
    private int acquireRead(ReadHolds h, boolean timed, long deadline, boolean interruptible, boolean once) {
        if (getExclusiveOwnerThread() == Thread.currentThread()) {
            readWhileWriting(h);
            return ACQUIRED;
        }
        int slot = h.reserve(this);
        int r = TIMED_OUT;
        try {
            boolean reentrant = h.count(slot) > 0; // passes a writer's claim: it waits for this thread
            if (RwLockTries.tryLockShared(ALGORITHM, this, reentrant)) {
                r = ACQUIRED;
            } else if (!once) {
                Object wait = LockEvents.start(LockEvents.SHARED); // JFR: null unless the event is enabled
                r = RwLockWaits.lockCommon(ALGORITHM, this, timed, deadline, interruptible, RawRwLock.TOKEN_SHARED,
                        reentrant ? RwLockTries.SHARED_RECURSIVE : RwLockTries.SHARED, WRITER, false, wait);
                r = LockEvents.end(wait, this, RawRwLock.ACQUIRE_LANE, r);
            }
        } finally {
            if (r == ACQUIRED) {
                h.increment(slot);
            } else {
                h.trim(slot);
            }
        }
        return r;
    }

    /** The owner takes a read hold: counted in writerReadHolds, not in the word (see the notes). */
    private void readWhileWriting(ReadHolds h) {
        int k = writerReadHolds;
        if (k == MAX_READ_HOLDS) {
            throw new Error("Maximum lock count exceeded");
        }
        h.increment(h.reserve(this));
        writerReadHolds = k + 1;
    }

    private boolean tryLockRead() {
        ReadHolds h = ReadHolds.current();
        if (getExclusiveOwnerThread() == Thread.currentThread()) {
            readWhileWriting(h);
            return true;
        }
        int slot = h.reserve(this);
        boolean acquired = false;
        try {
            // Barging as the JDK's tryLock: fails only while a writer holds the lock (WRITER, no readers).
            acquired = RwLockTries.tryLockShared(ALGORITHM, this, true);
        } finally {
            if (acquired) {
                h.increment(slot);
            } else {
                h.trim(slot);
            }
        }
        return acquired;
    }

    private boolean tryLockRead(long nanos) throws InterruptedException {
        Timeouts.throwIfInterrupted();
        int r = acquireRead(ReadHolds.current(), true, Timeouts.deadline(Math.max(nanos, 0L)), true, nanos <= 0L);
        return timedResult(r);
    }

    private void lockReadInterruptibly() throws InterruptedException {
        Timeouts.throwIfInterrupted();
        throwIfInterrupted(acquireRead(ReadHolds.current(), false, 0L, true, false));
    }

    private void unlockRead() {
        ReadHolds h = ReadHolds.current();
        if (h.first == this && h.firstCount > 1) {
            h.firstCount--;
        } else if (!h.decrement(this)) {
            throw new IllegalMonitorStateException("attempt to unlock read lock, not locked by current thread");
        }
        int k = writerReadHolds; // nonzero only while its owner writes: then check that we are the owner
        if (k != 0 && getExclusiveOwnerThread() == Thread.currentThread()) {
            writerReadHolds = k - 1;
            return;
        }
        int s = state;
        for (;;) {
            int witness = (int) STATE.compareAndExchangeRelease(this, s, s - ONE_READER);
            if (witness == s) {
                break;
            }
            s = witness;
        }
        if ((s & (READERS_MASK | RawRwLock.WRITER_PARKED)) == (ONE_READER | RawRwLock.WRITER_PARKED)) {
            RwLockWakes.unlockSharedSlow(ALGORITHM, this); // the last reader wakes the claiming writer
        }
    }

    // =============================================================================================
    // write side

    private void lockWrite() {
        Thread me = Thread.currentThread();
        if (getExclusiveOwnerThread() == me) {
            reenterWrite();
            return;
        }
        int s = state;
        if ((s & (WRITER | READERS_MASK)) != 0 || !STATE.weakCompareAndSetAcquire(this, s, s | WRITER)) {
            lockWriteSlow(false, 0L, false, false);
        }
        ownWrite(me, 1);
    }

    private void lockWriteInterruptibly() throws InterruptedException {
        Timeouts.throwIfInterrupted();
        Thread me = Thread.currentThread();
        if (getExclusiveOwnerThread() == me) {
            reenterWrite();
            return;
        }
        if (!tryWriteOnce()) {
            throwIfInterrupted(lockWriteSlow(false, 0L, true, false));
        }
        ownWrite(me, 1);
    }

    private boolean tryLockWrite() {
        Thread me = Thread.currentThread();
        if (getExclusiveOwnerThread() == me) {
            reenterWrite();
            return true;
        }
        if (tryWriteOnce()) {
            ownWrite(me, 1);
            return true;
        }
        return false;
    }

    private boolean tryLockWrite(long nanos) throws InterruptedException {
        Timeouts.throwIfInterrupted();
        Thread me = Thread.currentThread();
        if (getExclusiveOwnerThread() == me) {
            reenterWrite();
            return true;
        }
        if (!tryWriteOnce()
                && (nanos <= 0L || !timedResult(lockWriteSlow(true, Timeouts.deadline(nanos), true, false)))) {
            return false;
        }
        ownWrite(me, 1);
        return true;
    }

    /** One barging attempt: the lock is free (no writer, no readers). */
    private boolean tryWriteOnce() {
        int s = state;
        while ((s & (WRITER | READERS_MASK)) == 0) {
            int witness = (int) STATE.compareAndExchangeAcquire(this, s, s | WRITER);
            if (witness == s) {
                return true;
            }
            s = witness;
        }
        return false;
    }

    /** Both waits of a write acquisition (claim on lane 0, readers on lane 1), one JFR record. */
    private int lockWriteSlow(boolean timed, long deadline, boolean interruptible, boolean woken) {
        Object wait = LockEvents.start(LockEvents.EXCLUSIVE);
        int r = RwLockWaits.lockCommon(ALGORITHM, this, timed, deadline, interruptible, RawRwLock.TOKEN_EXCLUSIVE,
                RwLockTries.EXCLUSIVE_CLAIM, WRITER | RawRwLock.UPGRADABLE, woken, wait);
        if (r == ACQUIRED) {
            r = RwLockWaits.waitForReaders(ALGORITHM, this, timed, deadline, interruptible, 0, wait);
        }
        return LockEvents.end(wait, this, RawRwLock.ACQUIRE_LANE, r);
    }

    private void ownWrite(Thread me, int holds) {
        setExclusiveOwnerThread(me);
        writeHolds = holds;
    }

    private void reenterWrite() {
        int h = writeHolds;
        if (h == Integer.MAX_VALUE) {
            throw new Error("Maximum lock count exceeded");
        }
        writeHolds = h + 1;
    }

    private void unlockWrite() {
        if (getExclusiveOwnerThread() != Thread.currentThread()) {
            throw new IllegalMonitorStateException("current thread does not hold the write lock");
        }
        int h = writeHolds;
        if (h > 1) {
            writeHolds = h - 1;
            return;
        }
        writeHolds = 0;
        int k = writerReadHolds;
        writerReadHolds = 0;
        setExclusiveOwnerThread(null);
        if (k != 0) {
            downgrade(k);
        } else {
            releaseWrite();
        }
    }

    /** The last write hold goes while the owner holds {@code k} read holds: they enter the word. */
    private void downgrade(int k) {
        int s = (int) STATE.getAndAddRelease(this, k * ONE_READER - WRITER);
        if ((s & PARKED) != 0) {
            RwLockWakes.downgradeSlow(ALGORITHM, this, k * ONE_READER); // the queued readers may enter now
        }
    }

    /** Releases WRITER (owner and holds already cleared), fairly in the fair mode. */
    private void releaseWrite() {
        int s = state;
        if (fair) {
            if (s != WRITER || !STATE.weakCompareAndSetRelease(this, s, 0)) {
                RwLockWakes.unlockExclusiveSlow(ALGORITHM, this, true);
            }
        } else if (!RwLockWakes.releasesWithoutWake(s) || !STATE.weakCompareAndSetRelease(this, s, s & ~WRITER)) {
            RwLockWakes.unlockExclusiveSlow(ALGORITHM, this, false);
        }
    }

    // =============================================================================================
    // monitoring (as ReentrantReadWriteLock)

    /**
     * Returns whether this lock hands itself to the queued threads on every write unlock.
     *
     * @return {@code true} if fair
     */
    public final boolean isFair() {
        return fair;
    }

    /**
     * Returns the thread that holds the write lock, or {@code null}: a best-effort snapshot, for monitoring.
     *
     * @return the owner, or {@code null}
     */
    public Thread getOwner() {
        return getExclusiveOwnerThread();
    }

    /**
     * Returns the number of read holds of this lock, by all threads: a snapshot, for monitoring.
     *
     * @return the number of read holds
     */
    public int getReadLockCount() {
        return ((state & READERS_MASK) >>> RawRwLock.READER_SHIFT) + writerReadHolds;
    }

    /**
     * Returns whether any thread holds the write lock: a snapshot, for monitoring.
     *
     * @return {@code true} if write-locked
     */
    public boolean isWriteLocked() {
        int s = state;
        return (s & WRITER) != 0 && (s & READERS_MASK) == 0;
    }

    /**
     * Returns whether the current thread holds the write lock.
     *
     * @return {@code true} if it does
     */
    public boolean isWriteLockedByCurrentThread() {
        return getExclusiveOwnerThread() == Thread.currentThread();
    }

    /**
     * Returns the number of write holds of this lock by the current thread.
     *
     * @return the write hold count, or zero if the current thread does not hold the write lock
     */
    public int getWriteHoldCount() {
        return getExclusiveOwnerThread() == Thread.currentThread() ? writeHolds : 0;
    }

    /**
     * Returns the number of read holds of this lock by the current thread.
     *
     * @return the read hold count, or zero if the current thread does not hold the read lock
     */
    public int getReadHoldCount() {
        return ReadHolds.current().count(this);
    }

    /**
     * Returns whether any threads are waiting to acquire the read or write lock (a writer waiting for
     * readers to leave included): a snapshot, for monitoring.
     *
     * @return {@code true} if threads are queued
     */
    public final boolean hasQueuedThreads() {
        return getQueueLength() != 0;
    }

    /**
     * Returns whether {@code thread} is waiting to acquire the read or write lock: a snapshot.
     *
     * @param thread the thread
     * @return {@code true} if it is queued
     * @throws NullPointerException if {@code thread} is null
     */
    public final boolean hasQueuedThread(Thread thread) {
        Objects.requireNonNull(thread, "thread");
        return ParkingLot.isQueued(this, RawRwLock.ACQUIRE_LANE, thread)
                || ParkingLot.isQueued(this, RawRwLock.DRAIN_LANE, thread);
    }

    /**
     * Returns an estimate of the number of threads waiting to acquire the read or write lock.
     *
     * @return the number of queued threads
     */
    public final int getQueueLength() {
        return ParkingLot.queueLength(this, RawRwLock.ACQUIRE_LANE)
                + ParkingLot.queueLength(this, RawRwLock.DRAIN_LANE);
    }

    /**
     * Returns the threads waiting to acquire the read or write lock: a snapshot, for monitoring.
     *
     * @return a new collection of the queued threads
     */
    public Collection<Thread> getQueuedThreads() {
        List<Thread> threads = new ArrayList<>(ParkingLot.queuedThreads(this, RawRwLock.DRAIN_LANE));
        threads.addAll(ParkingLot.queuedThreads(this, RawRwLock.ACQUIRE_LANE));
        return threads;
    }

    /**
     * Returns the threads waiting to acquire the write lock (a writer waiting for the readers to leave
     * included): a snapshot, for monitoring. Walks the whole parking lot.
     *
     * @return a new collection of the queued writers
     */
    public Collection<Thread> getQueuedWriterThreads() {
        return queued(true);
    }

    /**
     * Returns the threads waiting to acquire the read lock: a snapshot, for monitoring. Walks the whole
     * parking lot.
     *
     * @return a new collection of the queued readers
     */
    public Collection<Thread> getQueuedReaderThreads() {
        return queued(false);
    }

    private List<Thread> queued(boolean writers) {
        List<Thread> threads = new ArrayList<>();
        for (ParkedThread p : ParkingLot.parkedThreads()) {
            if (p.key() == this && (p.parkToken() != RawRwLock.TOKEN_SHARED) == writers) {
                threads.add(p.thread());
            }
        }
        return threads;
    }

    /**
     * Returns whether any thread is waiting on {@code condition} (not yet signalled).
     *
     * @param condition a condition of this lock's write lock
     * @return {@code true} if threads are waiting
     * @throws IllegalMonitorStateException if the current thread does not hold the write lock
     * @throws IllegalArgumentException if {@code condition} is not a condition of this lock
     * @throws NullPointerException if {@code condition} is null
     */
    public boolean hasWaiters(Condition condition) {
        return ownCondition(condition).getWaitQueueLength() != 0;
    }

    /**
     * Returns an estimate of the number of threads waiting on {@code condition}.
     *
     * @param condition a condition of this lock's write lock
     * @return the number of waiting threads
     * @throws IllegalMonitorStateException if the current thread does not hold the write lock
     * @throws IllegalArgumentException if {@code condition} is not a condition of this lock
     * @throws NullPointerException if {@code condition} is null
     */
    public int getWaitQueueLength(Condition condition) {
        return ownCondition(condition).getWaitQueueLength();
    }

    /**
     * Returns the threads waiting on {@code condition}, oldest first: a snapshot, for monitoring.
     *
     * @param condition a condition of this lock's write lock
     * @return a new collection of the waiting threads
     * @throws IllegalMonitorStateException if the current thread does not hold the write lock
     * @throws IllegalArgumentException if {@code condition} is not a condition of this lock
     * @throws NullPointerException if {@code condition} is null
     */
    public Collection<Thread> getWaitingThreads(Condition condition) {
        return ownCondition(condition).getWaitingThreads();
    }

    /**
     * Returns a string identifying this lock and its state, in the form of {@code ReentrantReadWriteLock}.
     *
     * @return the identity followed by {@code [Write locks = w, Read locks = r]}: the write and read holds
     */
    @Override
    public String toString() {
        int w = isWriteLocked() ? Math.max(writeHolds, 1) : 0;
        return super.toString() + "[Write locks = " + w + ", Read locks = " + getReadLockCount() + "]";
    }

    private BoundCondition ownCondition(Condition condition) {
        Objects.requireNonNull(condition, "condition");
        if (!(condition instanceof BoundCondition c) || c.owner.queueKey() != this) {
            throw new IllegalArgumentException("not owner");
        }
        if (getExclusiveOwnerThread() != Thread.currentThread()) {
            throw new IllegalMonitorStateException("current thread does not hold the write lock");
        }
        return c;
    }

    // =============================================================================================
    // views

    /**
     * The read lock of a {@link ReentrantRwLock}, with the behaviour of
     * {@code ReentrantReadWriteLock.ReadLock}. A view: equal to every read lock view of the same lock.
     */
    public static final class ReadLock implements Lock, Serializable {
        @Serial
        private static final long serialVersionUID = -5992448646407690164L;

        /** The lock this is a view of. */
        private final ReentrantRwLock lock;

        ReadLock(ReentrantRwLock lock) {
            this.lock = lock;
        }

        /**
         * Acquires the read lock: at once if no other thread holds or waits for the write lock, or if the
         * current thread already holds the read lock (even while a writer waits) or the write lock;
         * otherwise the thread lies dormant until it acquires the read lock. Interrupts do not end the wait;
         * the interrupt status is kept.
         *
         * @throws Error if the read holds would exceed 2<sup>27</sup> - 1
         */
        @Override
        public void lock() {
            lock.lockRead();
        }

        /**
         * As {@link #lock()}, unless the current thread is interrupted.
         *
         * @throws InterruptedException if the current thread is interrupted on entry or while waiting; its
         *                              interrupt status is cleared
         * @throws Error if the read holds would overflow
         */
        @Override
        public void lockInterruptibly() throws InterruptedException {
            lock.lockReadInterruptibly();
        }

        /**
         * Acquires the read lock if no other thread holds the write lock at the time of the call, even if
         * writers wait for it and even in the fair mode (as {@code ReentrantReadWriteLock.ReadLock.tryLock()}).
         *
         * @return {@code true} if acquired
         * @throws Error if the read holds would overflow
         */
        @Override
        public boolean tryLock() {
            return lock.tryLockRead();
        }

        /**
         * Acquires the read lock if it becomes available within the waiting time, on the terms of
         * {@link #lock()} (no barging past a waiting writer). The thread lies dormant until it acquires the
         * lock, the time elapses, or another thread interrupts it. A zero or negative time tries once;
         * {@code Long.MAX_VALUE} nanoseconds or more waits forever.
         *
         * @param timeout the most to wait
         * @param unit    the unit of {@code timeout}
         * @return {@code true} if acquired, {@code false} if the time elapsed first
         * @throws InterruptedException if the current thread is interrupted on entry or while waiting; its
         *                              interrupt status is cleared
         * @throws NullPointerException if {@code unit} is null
         * @throws Error if the read holds would overflow
         */
        @Override
        public boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
            return lock.tryLockRead(Timeouts.toNanos(timeout, unit));
        }

        /**
         * Releases one read hold of the current thread. When the last reader leaves and a writer waits for
         * the readers, the writer is woken.
         *
         * @throws IllegalMonitorStateException if the current thread does not hold the read lock
         */
        @Override
        public void unlock() {
            lock.unlockRead();
        }

        /**
         * Read locks have no conditions.
         *
         * @throws UnsupportedOperationException always
         */
        @Override
        public Condition newCondition() {
            throw new UnsupportedOperationException("read locks do not support conditions");
        }

        /** {@return whether {@code o} is a read lock view of the same lock} @param o the object to compare with */
        @Override
        public boolean equals(Object o) {
            return o instanceof ReadLock r && r.lock == lock;
        }

        /** {@return a hash code derived from the lock's identity} */
        @Override
        public int hashCode() {
            return System.identityHashCode(lock) * 31 + 1;
        }

        /**
         * Returns a string identifying this lock and its state, in the form of
         * {@code ReentrantReadWriteLock.ReadLock}.
         *
         * @return the identity followed by {@code [Read locks = r]}
         */
        @Override
        public String toString() {
            return super.toString() + "[Read locks = " + lock.getReadLockCount() + "]";
        }
    }

    /**
     * The write lock of a {@link ReentrantRwLock}, with the behaviour of
     * {@code ReentrantReadWriteLock.WriteLock}, conditions included. A view: equal to every write lock view
     * of the same lock.
     */
    public static final class WriteLock extends CondvarLock implements Serializable {
        @Serial
        private static final long serialVersionUID = -4992448646407690164L;

        /** The lock this is a view of. */
        private final ReentrantRwLock lock;

        WriteLock(ReentrantRwLock lock) {
            this.lock = lock;
        }

        /**
         * Acquires the write lock: at once if the current thread holds it (incrementing the hold count) or
         * if no thread holds the lock in either mode; otherwise the thread lies dormant until it acquires
         * the write lock. A thread holding only the read lock waits forever (no upgrade). Interrupts do not
         * end the wait; the interrupt status is kept.
         *
         * @throws Error if the hold count would exceed {@link Integer#MAX_VALUE}
         */
        @Override
        public void lock() {
            lock.lockWrite();
        }

        /**
         * As {@link #lock()}, unless the current thread is interrupted.
         *
         * @throws InterruptedException if the current thread is interrupted on entry or while waiting; its
         *                              interrupt status is cleared
         * @throws Error if the hold count would overflow
         */
        @Override
        public void lockInterruptibly() throws InterruptedException {
            lock.lockWriteInterruptibly();
        }

        /**
         * Acquires the write lock if the current thread holds it or no thread holds the lock in either mode
         * at the time of the call, even if threads are queued and even in the fair mode (as
         * {@code ReentrantReadWriteLock.WriteLock.tryLock()}).
         *
         * @return {@code true} if acquired
         * @throws Error if the hold count would overflow
         */
        @Override
        public boolean tryLock() {
            return lock.tryLockWrite();
        }

        /**
         * Acquires the write lock if the current thread holds it or it becomes available within the waiting
         * time. The thread lies dormant until it acquires the lock, the time elapses, or another thread
         * interrupts it. A zero or negative time tries once; {@code Long.MAX_VALUE} nanoseconds or more waits
         * forever.
         *
         * @param timeout the most to wait
         * @param unit    the unit of {@code timeout}
         * @return {@code true} if acquired, {@code false} if the time elapsed first
         * @throws InterruptedException if the current thread is interrupted on entry or while waiting; its
         *                              interrupt status is cleared
         * @throws NullPointerException if {@code unit} is null
         * @throws Error if the hold count would overflow
         */
        @Override
        public boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
            return lock.tryLockWrite(Timeouts.toNanos(timeout, unit));
        }

        /**
         * Decrements the write hold count, releasing the write lock at zero (keeping the current thread's
         * read holds, if any: a downgrade). Waiting threads are woken (handed the lock in the fair mode).
         *
         * @throws IllegalMonitorStateException if the current thread does not hold the write lock
         */
        @Override
        public void unlock() {
            lock.unlockWrite();
        }

        /**
         * Returns a new {@link Condition} of the write lock, with the behaviour of a
         * {@code ReentrantReadWriteLock} write lock's condition: every method throws
         * {@link IllegalMonitorStateException} if the current thread does not hold the write lock; awaiting
         * releases every hold and restores the hold counts on return. Backed by a {@link Condvar}; there are
         * no spurious wake-ups.
         *
         * @return a new condition
         */
        @Override
        public Condition newCondition() {
            return new BoundCondition(this);
        }

        /**
         * Returns whether the current thread holds the write lock.
         *
         * @return {@code true} if it does
         */
        public boolean isHeldByCurrentThread() {
            return lock.isWriteLockedByCurrentThread();
        }

        /**
         * Returns the number of write holds of the lock by the current thread.
         *
         * @return the hold count, or zero if the current thread does not hold the write lock
         */
        public int getHoldCount() {
            return lock.getWriteHoldCount();
        }

        /** {@return whether {@code o} is a write lock view of the same lock} @param o the object to compare with */
        @Override
        public boolean equals(Object o) {
            return o instanceof WriteLock w && w.lock == lock;
        }

        /** {@return a hash code derived from the lock's identity} */
        @Override
        public int hashCode() {
            return System.identityHashCode(lock) * 31 + 2;
        }

        /**
         * Returns a string identifying this lock and its state, in the form of
         * {@code ReentrantReadWriteLock.WriteLock}.
         *
         * @return the identity followed by {@code [Unlocked]} or {@code [Locked by thread <name>]}
         */
        @Override
        public String toString() {
            Thread o = lock.getOwner();
            return super.toString() + (o == null ? "[Unlocked]" : "[Locked by thread " + o.getName() + "]");
        }

        @Override
        Object queueKey() {
            return lock;
        }

        /** A requeued waiter must look like a writer to the rwlock's batch wake-up, which sums tokens. */
        @Override
        long waitParkToken() {
            return RawRwLock.TOKEN_EXCLUSIVE;
        }

        @Override
        int holdsForWait() {
            if (lock.getExclusiveOwnerThread() != Thread.currentThread()) {
                throw new IllegalMonitorStateException("current thread does not hold the write lock");
            }
            return lock.writeHolds;
        }

        /** Releases every write hold and the owner's read holds (kept in its ReadHolds entry for the return). */
        @Override
        void releaseAllForWait() {
            lock.writeHolds = 0;
            lock.writerReadHolds = 0;
            lock.setExclusiveOwnerThread(null);
            lock.releaseWrite();
        }

        @Override
        void reacquireAfterWait(int holds, long unparkToken) {
            if (unparkToken == RawRwLock.TOKEN_HANDOFF) {
                // We own WRITER; readers woken in the same batch may still be inside.
                Object wait = LockEvents.start(LockEvents.EXCLUSIVE);
                int r = RwLockWaits.waitForReaders(ALGORITHM, lock, false, 0L, false, 0, wait);
                LockEvents.end(wait, lock, RawRwLock.ACQUIRE_LANE, r);
            } else if (unparkToken == RawRwLock.TOKEN_WOKEN) {
                lock.lockWriteSlow(false, 0L, false, true); // the batch's writer: the woken successor
            } else if (!lock.tryWriteOnce()) {
                lock.lockWriteSlow(false, 0L, false, false);
            }
            lock.ownWrite(Thread.currentThread(), holds);
            lock.writerReadHolds = ReadHolds.current().count(lock);
        }

        @Override
        boolean markParkedIfLocked() { // marks lane 0 non-empty if a release of WRITER will wake it
            int s = lock.state;
            for (;;) {
                if ((s & WRITER) == 0) {
                    return false;
                }
                if ((s & PARKED) != 0) {
                    return true;
                }
                int witness = (int) STATE.compareAndExchange(lock, s, s | PARKED);
                if (witness == s) {
                    return true;
                }
                s = witness;
            }
        }

        @Override
        void markParked() {
            STATE.getAndBitwiseOr(lock, PARKED);
        }
    }

    // =============================================================================================
    // the protocol's slow paths on this class's word

    /** RawRwLock's slow paths projected onto {@link #state} (see {@link RwLockAlgorithm}). */
    static final ReentrantRwLockAlgorithm ALGORITHM = new ReentrantRwLockAlgorithm();

    // VarHandle mechanics
    /** The {@code state} field; package-private for {@link ReentrantRwLockAlgorithm}. */
    static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ReentrantRwLock.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
