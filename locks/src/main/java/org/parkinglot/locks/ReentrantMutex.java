/*
 * Ported from lock_api `src/remutex.rs` (RawReentrantMutex) over parking_lot `src/raw_mutex.rs`,
 * with the API of java.util.concurrent.locks.ReentrantLock.
 */
package org.parkinglot.locks;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamField;
import java.io.Serial;
import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.AbstractOwnableSynchronizer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.core.internal.Timeouts;

/**
 * A reentrant mutual-exclusion lock with the behaviour of
 * {@link java.util.concurrent.locks.ReentrantLock}, built on the global
 * {@link org.parkinglot.core.ParkingLot}: at most 24 bytes per instance (a {@code ReentrantLock} takes
 * 48, and 80 once contended). A drop-in replacement: the same constructors, the same behaviour of
 * every {@link Lock} method and of the monitoring methods, the same {@code toString} form; the
 * monitoring methods that {@code ReentrantLock} keeps protected ({@link #getOwner()},
 * {@link #getQueuedThreads()}, {@link #getWaitingThreads(Condition)}) are public here.
 *
 * <p>The thread that last locked it successfully, and has not yet unlocked it, owns it. A thread that
 * already owns it returns at once from {@link #lock()}, incrementing the hold count; {@link #unlock()}
 * decrements it and releases the lock at zero. At most {@link Integer#MAX_VALUE} holds; one more throws
 * {@code Error("Maximum lock count exceeded")} with the state unchanged.
 *
 * <h2>Fairness</h2>
 * The unfair mode (the default) has eventual fairness: an unlock normally lets arriving threads barge
 * in ahead of the woken waiter, but hands the lock directly to the longest waiter when the parking
 * lot's fair timeout has expired (on average every 0.5 ms, at most every 1 ms of contended use). The
 * fair mode ({@code new ReentrantMutex(true)}) hands the lock to the longest waiter on every unlock, so
 * waiters acquire in arrival order; like {@code ReentrantLock}, the untimed {@link #tryLock()} barges
 * even when fair.
 *
 * <h2>Memory synchronization</h2>
 * As {@link Lock}: a successful lock has the memory effects of a {@code Lock} acquisition, an unlock of
 * a release; a release happens-before every subsequent acquisition.
 *
 * <h2>When something hangs</h2>
 * The JVM's own tools see this lock as they see a {@code ReentrantLock}: it is an
 * {@link AbstractOwnableSynchronizer} that records its owner there, and its waiters park with the lock
 * as their blocker. So {@code ThreadMXBean.findDeadlockedThreads()} reports a
 * deadlock cycle through these locks, {@code ThreadInfo.getLockOwnerName()} names
 * the holder of the lock a thread waits for, and {@code jstack -l} (or {@code jcmd <pid> Thread.print -l})
 * lists a held lock under "Locked ownable synchronizers" of its owner. A thread waiting on one of its
 * conditions waits for the condition, not the lock, until a signal has moved it back to the lock and the
 * lock's unlock has woken it (as with {@code ReentrantLock}).
 *
 * <h2>Serialization</h2>
 * Serializes its fairness only; a deserialized lock is unlocked, as with {@code ReentrantLock}.
 */
public final class ReentrantMutex extends AbstractOwnableSynchronizer implements Lock, Serializable {

    /*
     * Implementation notes.
     *
     * Why not an AbstractMutex. HotSpot's deadlock detection, ThreadInfo's lock owner and jstack's
     * "Locked ownable synchronizers" know one kind of lock besides monitors: a park blocker that is an
     * AbstractOwnableSynchronizer, whose exclusiveOwnerThread field names the holder. This lock tracks its
     * owner anyway, so it keeps the owner in that inherited field and is its own waiters' park blocker
     * (ParkingLot passes the key object, this). AOS must be the root of the hierarchy, and putting it
     * under AbstractMutex would give RawMutex an owner field it has no use for (16 -> 24 bytes), so this
     * class stands apart: its own state field and MutexAlgorithm projection (StateAlgorithm), and a
     * CondvarLock adapter (ConditionHooks) for Condvar, created once per newCondition() and per
     * Condvar.await(this) call.
     *
     * State word (state): MutexAlgorithm's LOCKED, PARKED and WOKEN bits, plus FAIR, set at
     * construction (or deserialization, before publication) and never changed, and the top byte's
     * count of skipped wake-ups (MutexAlgorithm.countedRelease). The algorithm keeps
     * unknown bits, so FAIR rides along; fast paths CAS from a loaded value rather than from 0.
     *
     * Publication of FAIR. The fairness is part of the word rather than a final field because a final
     * boolean would grow the lock from 24 to 32 bytes. A plain write in the constructor would not be safe
     * under racy publication (another thread could see the reference before the write, and so an unfair
     * lock), so the constructor ends with a release fence: the write of FAIR is ordered before every later
     * store of this thread, including the one that publishes the reference, and a reader reaches the word
     * only through that reference (a dependent load). That is the guarantee HotSpot gives final fields (a
     * StoreStore barrier at the end of a constructor that writes one), here for the one field that needs
     * it. jcstress ReentrantMutexTests.FairnessRacyPublication reads isFair() through a racily published
     * reference.
     *
     * owner (AbstractOwnableSynchronizer.exclusiveOwnerThread, plain accesses through its final
     * accessors): the owning thread or null; written only by the owner (set right after the acquire CAS,
     * cleared right before the release), so the owner's own reads are ordered by program order; other
     * threads (and the JVM at a safepoint) read it racily, for monitoring only, as ReentrantLock's.
     * holds: the hold count, read and written only by the owner (and racily by getHoldCount's owner
     * check, which reads it only after owner == current thread).
     *
     * Waiters park under (this, 0) like every AbstractMutex's, so Condvar requeues onto this key.
     * Queue inspection reads the parking lot's queue for that key.
     *
     * Size: header 12 + owner 4 (AOS) + state 4 + holds 4 = 24 bytes with compressed oops.
     */

    @Serial
    private static final long serialVersionUID = 7373984872572414699L;

    /**
     * Set at construction for fair locks, never changed afterwards: every unlock hands over. The first
     * bit above MutexAlgorithm's, which the algorithm preserves.
     */
    static final int FAIR = Integer.highestOneBit(MutexAlgorithm.MUTEX_BITS) << 1;

    /**
     * The state word: {@link MutexAlgorithm#LOCKED}, {@link MutexAlgorithm#PARKED},
     * {@link MutexAlgorithm#WOKEN} and {@link #FAIR}. Transient: serialization writes the fairness only.
     */
    transient volatile int state;
    /** The hold count; accessed only by the owner. */
    private transient int holds;

    /**
     * Creates an unfair (eventually fair) reentrant mutex, like {@code new ReentrantLock()}.
     */
    public ReentrantMutex() {
    }

    /**
     * Creates a reentrant mutex with the given fairness policy, like {@code new ReentrantLock(fair)}.
     *
     * @param fair {@code true} to hand the lock to the longest waiter on every unlock
     */
    public ReentrantMutex(boolean fair) {
        if (fair) {
            STATE.set(this, FAIR); // plain, then the fence below
            VarHandle.releaseFence(); // as for a final field: FAIR before any later store that publishes this
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Lock

    /**
     * Acquires the lock. Returns at once if the current thread holds it (incrementing the hold count),
     * or if it is free; otherwise the thread lies dormant until it acquires the lock. Interrupts do not
     * end the wait; the interrupt status is kept.
     *
     * @throws Error if the hold count would exceed {@link Integer#MAX_VALUE}
     */
    @Override
    public void lock() {
        Thread me = Thread.currentThread();
        if (getExclusiveOwnerThread() == me) {
            reenter();
            return;
        }
        int s = state;
        if ((s & MutexAlgorithm.LOCKED) != 0 || !STATE.weakCompareAndSetAcquire(this, s, s | MutexAlgorithm.LOCKED)) {
            ALGORITHM.lockSlow(this, 0L, ParkingLot.FOREVER, false, spinOption(s));
        }
        setExclusiveOwnerThread(me);
        holds = 1;
    }

    /**
     * Acquires the lock unless the current thread is interrupted; returns at once if the current thread
     * holds it (incrementing the hold count). Otherwise the thread lies dormant until it acquires the
     * lock or another thread interrupts it.
     *
     * @throws InterruptedException if the current thread is interrupted on entry or while waiting; its
     *                              interrupt status is cleared
     * @throws Error if the hold count would exceed {@link Integer#MAX_VALUE}
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        Timeouts.throwIfInterrupted();
        if (!tryAcquire(ParkingLot.FOREVER)) {
            throw new AssertionError("untimed acquisition timed out");
        }
    }

    /**
     * Acquires the lock if it is free or held by the current thread at the time of the call; even a fair
     * lock lets this method barge ahead of waiting threads, as {@code ReentrantLock.tryLock()} does.
     *
     * @return {@code true} if the lock was acquired or already held by the current thread
     * @throws Error if the hold count would exceed {@link Integer#MAX_VALUE}
     */
    @Override
    public boolean tryLock() {
        Thread me = Thread.currentThread();
        if (getExclusiveOwnerThread() == me) {
            reenter();
            return true;
        }
        if (ALGORITHM.tryLock(this, 0L)) {
            setExclusiveOwnerThread(me);
            holds = 1;
            return true;
        }
        return false;
    }

    /**
     * Acquires the lock if it is held by the current thread or becomes free within the waiting time.
     * A fair lock does not barge ahead of waiting threads here. The thread lies dormant until it
     * acquires the lock, the time elapses, or another thread interrupts it. A zero or negative time
     * tries once; {@code Long.MAX_VALUE} nanoseconds or more waits forever.
     *
     * @param timeout the most to wait
     * @param unit    the unit of {@code timeout}
     * @return {@code true} if acquired (or already held), {@code false} if the time elapsed first
     * @throws InterruptedException if the current thread is interrupted on entry or while waiting; its
     *                              interrupt status is cleared
     * @throws NullPointerException if {@code unit} is null
     * @throws Error if the hold count would exceed {@link Integer#MAX_VALUE}
     */
    @Override
    public boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = Timeouts.toNanos(timeout, unit);
        Timeouts.throwIfInterrupted();
        return tryAcquire(nanos);
    }

    /**
     * Decrements the hold count, releasing the lock when it reaches zero. If threads are waiting, one is
     * woken (a fair lock hands the lock to it directly).
     *
     * @throws IllegalMonitorStateException if the current thread does not hold this lock
     */
    @Override
    public void unlock() {
        if (getExclusiveOwnerThread() != Thread.currentThread()) {
            throw new IllegalMonitorStateException("current thread does not hold this lock");
        }
        if (holds > 1) {
            holds--;
            return;
        }
        holds = 0;
        setExclusiveOwnerThread(null);
        release();
    }

    /**
     * Returns a new {@link Condition} bound to this lock, with the behaviour of a
     * {@code ReentrantLock} condition: every method throws {@link IllegalMonitorStateException} if the
     * current thread does not hold this lock; awaiting releases every hold and restores the hold count
     * on return. Backed by a {@link Condvar}; there are no spurious wake-ups.
     *
     * @return a new condition
     */
    @Override
    public Condition newCondition() {
        return new BoundCondition(new ConditionHooks(this));
    }

    // ---------------------------------------------------------------------------------------------
    // guards (try-with-resources)

    /**
     * Acquires the lock as {@link #lock()} does and returns a guard that releases this one hold: for
     * {@code try (var held = mutex.locked()) { ... }}. See {@link LockGuard}.
     *
     * @return the guard of this acquisition
     * @throws Error if the hold count would exceed {@link Integer#MAX_VALUE}
     */
    public LockGuard locked() {
        lock();
        return new LockGuard(this, LockGuard.REENTRANT_MUTEX);
    }

    /**
     * Acquires the lock as {@link #lockInterruptibly()} does and returns a guard that releases this hold.
     *
     * @return the guard of this acquisition
     * @throws InterruptedException if the current thread is interrupted on entry or while waiting (nothing
     *                              is held then); its interrupt status is cleared
     * @throws Error if the hold count would exceed {@link Integer#MAX_VALUE}
     */
    public LockGuard lockedInterruptibly() throws InterruptedException {
        lockInterruptibly();
        return new LockGuard(this, LockGuard.REENTRANT_MUTEX);
    }

    /**
     * Acquires the lock as {@link #tryLock()} does and returns a guard that releases this hold.
     *
     * @return the guard of this acquisition, or {@code null} if another thread holds the lock
     *         (try-with-resources skips closing a {@code null} resource)
     * @throws Error if the hold count would exceed {@link Integer#MAX_VALUE}
     */
    public LockGuard tryLocked() {
        return tryLock() ? new LockGuard(this, LockGuard.REENTRANT_MUTEX) : null;
    }

    /**
     * Acquires the lock as {@link #tryLock(long, TimeUnit)} does and returns a guard that releases this
     * hold.
     *
     * @param timeout the most to wait
     * @param unit    the unit of {@code timeout}
     * @return the guard of this acquisition, or {@code null} if the time elapsed first
     * @throws InterruptedException if the current thread is interrupted on entry or while waiting (nothing
     *                              is held then); its interrupt status is cleared
     * @throws NullPointerException if {@code unit} is null
     * @throws Error if the hold count would exceed {@link Integer#MAX_VALUE}
     */
    public LockGuard tryLocked(long timeout, TimeUnit unit) throws InterruptedException {
        return tryLock(timeout, unit) ? new LockGuard(this, LockGuard.REENTRANT_MUTEX) : null;
    }

    // ---------------------------------------------------------------------------------------------
    // monitoring (as ReentrantLock)

    /**
     * Returns the number of holds of this lock by the current thread.
     *
     * @return the hold count, or zero if the current thread does not hold this lock
     */
    public int getHoldCount() {
        return getExclusiveOwnerThread() == Thread.currentThread() ? holds : 0;
    }

    /**
     * Returns whether the current thread holds this lock.
     *
     * @return {@code true} if it does
     */
    public boolean isHeldByCurrentThread() {
        return getExclusiveOwnerThread() == Thread.currentThread();
    }

    /**
     * Returns whether any thread holds this lock: a snapshot for monitoring.
     *
     * @return {@code true} if locked
     */
    public boolean isLocked() {
        return ALGORITHM.isLocked(this, 0L);
    }

    /**
     * Returns whether this lock hands itself to the longest waiter on every unlock.
     *
     * @return {@code true} if fair
     */
    public boolean isFair() {
        return (state & FAIR) != 0;
    }

    /**
     * Returns the owning thread, or {@code null} if not owned: a best-effort snapshot, for monitoring
     * (while a thread is between acquiring and recording itself, the lock may be locked with no owner
     * visible).
     *
     * @return the owner, or {@code null}
     */
    public Thread getOwner() {
        return getExclusiveOwnerThread();
    }

    /**
     * Returns whether any threads are waiting to acquire this lock: a snapshot, for monitoring.
     *
     * @return {@code true} if threads are queued
     */
    public boolean hasQueuedThreads() {
        return ParkingLot.queueLength(this, 0L) != 0;
    }

    /**
     * Returns whether {@code thread} is waiting to acquire this lock: a snapshot, for monitoring.
     *
     * @param thread the thread
     * @return {@code true} if it is queued
     * @throws NullPointerException if {@code thread} is null
     */
    public boolean hasQueuedThread(Thread thread) {
        return ParkingLot.isQueued(this, 0L, Objects.requireNonNull(thread, "thread"));
    }

    /**
     * Returns an estimate of the number of threads waiting to acquire this lock.
     *
     * @return the number of queued threads
     */
    public int getQueueLength() {
        return ParkingLot.queueLength(this, 0L);
    }

    /**
     * Returns the threads waiting to acquire this lock, oldest first: a snapshot, for monitoring.
     *
     * @return a new collection of the queued threads
     */
    public Collection<Thread> getQueuedThreads() {
        return ParkingLot.queuedThreads(this, 0L);
    }

    /**
     * Returns whether any thread is waiting on {@code condition} (not yet signalled).
     *
     * @param condition a condition of this lock
     * @return {@code true} if threads are waiting
     * @throws IllegalMonitorStateException if the current thread does not hold this lock
     * @throws IllegalArgumentException if {@code condition} is not a condition of this lock
     * @throws NullPointerException if {@code condition} is null
     */
    public boolean hasWaiters(Condition condition) {
        return ownCondition(condition).getWaitQueueLength() != 0;
    }

    /**
     * Returns an estimate of the number of threads waiting on {@code condition}.
     *
     * @param condition a condition of this lock
     * @return the number of waiting threads
     * @throws IllegalMonitorStateException if the current thread does not hold this lock
     * @throws IllegalArgumentException if {@code condition} is not a condition of this lock
     * @throws NullPointerException if {@code condition} is null
     */
    public int getWaitQueueLength(Condition condition) {
        return ownCondition(condition).getWaitQueueLength();
    }

    /**
     * Returns the threads waiting on {@code condition}, oldest first: a snapshot, for monitoring.
     *
     * @param condition a condition of this lock
     * @return a new collection of the waiting threads
     * @throws IllegalMonitorStateException if the current thread does not hold this lock
     * @throws IllegalArgumentException if {@code condition} is not a condition of this lock
     * @throws NullPointerException if {@code condition} is null
     */
    public Collection<Thread> getWaitingThreads(Condition condition) {
        return ownCondition(condition).getWaitingThreads();
    }

    /**
     * Returns a string identifying this lock and its state, in the form of {@code ReentrantLock}:
     * {@code [Unlocked]} or {@code [Locked by thread <name>]}; when threads are queued for the lock, their
     * number follows, as in {@code [Locked by thread main, 2 queued]} (a {@code ReentrantLock} does not
     * print it).
     *
     * @return a string identifying this lock and its state
     */
    @Override
    public String toString() {
        Thread o = getExclusiveOwnerThread();
        int queued = ParkingLot.queueLength(this, 0L);
        return super.toString() + (o == null ? "[Unlocked" : "[Locked by thread " + o.getName())
                + (queued == 0 ? "]" : ", " + queued + " queued]");
    }

    // ---------------------------------------------------------------------------------------------
    // internals

    private void reenter() {
        int h = holds;
        if (h == Integer.MAX_VALUE) {
            throw new Error("Maximum lock count exceeded");
        }
        holds = h + 1;
    }

    /** Timed, interruptible acquisition; the interrupt check on entry is the caller's. */
    private boolean tryAcquire(long nanos) throws InterruptedException {
        Thread me = Thread.currentThread();
        if (getExclusiveOwnerThread() == me) {
            reenter();
            return true;
        }
        int s = state;
        // Strong CAS: for a fair lock with no time to wait this is the only attempt.
        boolean acquired = (s & MutexAlgorithm.MUTEX_BITS) == 0
                && STATE.compareAndSet(this, s, s | MutexAlgorithm.LOCKED);
        if (!acquired) {
            if (!isFair() && ALGORITHM.tryLock(this, 0L)) {
                acquired = true;
            } else if (nanos > 0L) {
                int r = ALGORITHM.lockSlow(this, 0L, nanos, true, spinOption(s));
                if (r == MutexAlgorithm.INTERRUPTED) {
                    throw Timeouts.clearInterrupt();
                }
                acquired = r == MutexAlgorithm.ACQUIRED;
            } else {
                acquired = !isFair() && ALGORITHM.tryLock(this, 0L);
            }
        }
        if (acquired) {
            setExclusiveOwnerThread(me);
            holds = 1;
        }
        return acquired;
    }

    /** {@link MutexAlgorithm#FAIR_SPIN} if the word {@code s} says fair, else 0. */
    private static int spinOption(int s) {
        return (s & FAIR) != 0 ? MutexAlgorithm.FAIR_SPIN : 0;
    }

    /** Releases the lock word; owner and holds are already cleared. */
    private void release() {
        int s = state;
        int next;
        if ((s & FAIR) != 0 || (next = MutexAlgorithm.countedRelease(s)) == MutexAlgorithm.RELEASE_SLOW
                || !STATE.weakCompareAndSetRelease(this, s, next) || (next & MutexAlgorithm.LOCKED) != 0) {
            ALGORITHM.unlock(this, 0L, (s & FAIR) != 0);
        }
    }

    private BoundCondition ownCondition(Condition condition) {
        Objects.requireNonNull(condition, "condition");
        if (!(condition instanceof BoundCondition c) || c.owner.queueKey() != this) {
            throw new IllegalArgumentException("not owner");
        }
        if (getExclusiveOwnerThread() != Thread.currentThread()) {
            throw new IllegalMonitorStateException("current thread does not hold this lock");
        }
        return c;
    }

    // Condvar hooks, reached through ConditionHooks

    int holdsForWait() {
        if (getExclusiveOwnerThread() != Thread.currentThread()) {
            throw new IllegalMonitorStateException("current thread does not hold this lock");
        }
        return holds;
    }

    void releaseAllForWait() {
        holds = 0;
        setExclusiveOwnerThread(null);
        release();
    }

    void reacquireAfterWait(int savedHolds, long unparkToken) {
        ALGORITHM.relockAfterWait(this, 0L, unparkToken, spinOption(state));
        setExclusiveOwnerThread(Thread.currentThread());
        holds = savedHolds;
    }

    /**
     * This lock as {@link Condvar} sees it: the {@link CondvarLock} hooks of a wait, forwarded to the
     * mutex (which cannot extend CondvarLock; see the implementation notes). Two adapters of one mutex are
     * the same lock to a Condvar, as both return the mutex as their queue key.
     */
    static final class ConditionHooks extends CondvarLock {
        private final ReentrantMutex mutex;

        ConditionHooks(ReentrantMutex mutex) {
            this.mutex = mutex;
        }

        @Override
        Object queueKey() {
            return mutex;
        }

        @Override
        int holdsForWait() {
            return mutex.holdsForWait();
        }

        @Override
        void releaseAllForWait() {
            mutex.releaseAllForWait();
        }

        @Override
        void reacquireAfterWait(int holds, long unparkToken) {
            mutex.reacquireAfterWait(holds, unparkToken);
        }

        @Override
        boolean markParkedIfLocked() {
            return ALGORITHM.markParkedIfLocked(mutex, 0L);
        }

        @Override
        void markParked() {
            ALGORITHM.markParked(mutex, 0L);
        }

        @Override
        public void lock() {
            mutex.lock();
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            mutex.lockInterruptibly();
        }

        @Override
        public boolean tryLock() {
            return mutex.tryLock();
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            return mutex.tryLock(time, unit);
        }

        @Override
        public void unlock() {
            mutex.unlock();
        }

        @Override
        public Condition newCondition() {
            return mutex.newCondition();
        }

        @Override
        public String toString() {
            return mutex.toString();
        }
    }

    // the mutex algorithm on this class's state word

    /** The mutex algorithm projected onto {@link #state}. */
    static final StateAlgorithm ALGORITHM = new StateAlgorithm();

    /** {@link MutexAlgorithm} on the {@code state} field of a {@link ReentrantMutex}; index is ignored. */
    static final class StateAlgorithm extends MutexAlgorithm {
        @Override
        int load(Object holder, long index) {
            return ((ReentrantMutex) holder).state;
        }

        @Override
        boolean weakCasAcquire(Object holder, long index, int expect, int update) {
            return STATE.weakCompareAndSetAcquire((ReentrantMutex) holder, expect, update);
        }

        @Override
        boolean casRelease(Object holder, long index, int expect, int update) {
            return (int) STATE.compareAndExchangeRelease((ReentrantMutex) holder, expect, update) == expect;
        }

        @Override
        boolean cas(Object holder, long index, int expect, int update) {
            return STATE.compareAndSet((ReentrantMutex) holder, expect, update);
        }

        @Override
        int getAndBitwiseAndRelease(Object holder, long index, int mask) {
            return (int) STATE.getAndBitwiseAndRelease((ReentrantMutex) holder, mask);
        }

        @Override
        int getAndBitwiseOr(Object holder, long index, int bits) {
            return (int) STATE.getAndBitwiseOr((ReentrantMutex) holder, bits);
        }
    }

    static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ReentrantMutex.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // serialization: only the fairness, as ReentrantLock

    @Serial
    private static final ObjectStreamField[] serialPersistentFields = {
        new ObjectStreamField("fair", boolean.class)
    };

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.putFields().put("fair", isFair());
        out.writeFields();
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        boolean fair = in.readFields().get("fair", false);
        STATE.set(this, fair ? FAIR : 0); // plain, then the fence below
        VarHandle.releaseFence(); // as in the constructor
    }
}
