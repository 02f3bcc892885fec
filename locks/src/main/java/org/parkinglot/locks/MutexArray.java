/*
 * Ported from parking_lot `src/raw_mutex.rs` (the protocol, through MutexAlgorithm), projected onto one
 * byte of an array as WebKit's `WTF/wtf/LockAlgorithm.h` projects a lock onto any atomic field.
 */
package org.parkinglot.locks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.core.internal.Timeouts;

/**
 * A fixed number of mutexes addressed by index, each one byte: {@code new MutexArray(1_000_000)} takes
 * about 1 MB (one byte per mutex, plus 32 bytes), also after contention, since waiters queue in the
 * global {@link ParkingLot} under the key (this array, index). Each mutex behaves as a {@link RawMutex}:
 * not reentrant, no owner (any thread may unlock it), unfair with eventual fairness, and
 * {@link #unlockFair(int)} to hand it over on demand.
 *
 * <p>Usage: lock per element of your own array, or per hashed key (see {@link StripedMutex} for the
 * latter, ready-made):
 * <pre>{@code
 * MutexArray locks = new MutexArray(accounts.length);
 * locks.lock(i);
 * try {
 *     accounts[i].deposit(amount);
 * } finally {
 *     locks.unlock(i);
 * }
 * }</pre>
 * {@link #asLock(int)} gives a {@link Lock} view of one index, for code that takes a {@code Lock}, and
 * with it a {@link Condition} per index ({@code asLock(i).newCondition()}, or a {@link Condvar} waiting
 * with {@code asLock(i)}).
 *
 * <h2>Fairness</h2>
 * As {@link RawMutex}: an unlock with waiters normally releases the mutex and wakes one waiter, which
 * competes with arriving threads; about every 0.5 ms (the parking lot's fair timeout) an unlock hands
 * the mutex directly to the longest-waiting thread. {@link #unlockFair(int)} always hands over.
 *
 * <h2>Neighbours</h2>
 * The mutexes are independent: locking, waiting on or unlocking index {@code i} never blocks on,
 * wakes, or changes index {@code i ± 1}. They do share cache lines (64 mutexes per line), so two
 * threads hammering neighbouring indexes slow each other down (false sharing) without blocking each
 * other; spread hot indexes apart if that matters.
 *
 * <h2>Memory synchronization</h2>
 * Per index, as {@link Lock}: everything a thread did before unlocking index {@code i} happens-before
 * everything the next thread to lock index {@code i} does after locking it. Operations on different
 * indexes are not ordered with each other.
 *
 * @see StripedMutex
 * @see RawMutex
 */
public final class MutexArray {

    /*
     * Implementation notes.
     *
     * One state byte per mutex, driven by MutexAlgorithm (the state table and the whole protocol,
     * including the WOKEN bit, are there): bit 0 LOCKED, bit 1 PARKED, bit 2 WOKEN; bits 3-7 are always
     * zero (nothing ever sets them), so a byte read as an int is the algorithm's word. Waiters of index
     * i park under the key (this MutexArray, i): the lane is the index. The key's object is this
     * MutexArray rather than the private byte[] so that thread dumps ("parking to wait for ... (a
     * org.parkinglot.locks.MutexArray)") and JFR events name the lock; nobody else parks under it
     * unless a user parks on this object himself, which the parking lot's validate callbacks make
     * harmless (each waiter re-checks its own state).
     *
     * The fast paths are RawMutex's, on the byte: lock = weak acquire CAS s -> s | LOCKED when LOCKED
     * is clear; unlock = weak release CAS s -> s & ~LOCKED when no wake-up is due
     * (MutexAlgorithm.releasesWithoutWake); otherwise MutexAlgorithm's slow paths, through
     * ElementAlgorithm. The value the fast paths start from is a plain read: only a guess, which the
     * CAS validates (a stale guess costs a failed CAS and the slow path, never a wrong decision).
     *
     * Neighbours share a word. Every write to a state byte is an atomic read-modify-write of that one
     * byte element through the byte[] element VarHandle (compareAndSet / compareAndExchange /
     * getAndBitwiseAnd / getAndBitwiseOr on a byte); no code stores, or reads-modifies-writes, a wider
     * unit. Java guarantees that array elements are independent variables (JLS 17.6, no word tearing).
     * On x86-64 HotSpot compiles these to LOCK CMPXCHG / LOCK AND / LOCK OR with a byte operand, which
     * touch one byte. Where the hardware has no byte CAS, the JDK emulates one with a CAS loop on the
     * aligned int that contains the byte, which writes the neighbours' bytes back only if they were
     * unchanged: a neighbour's concurrent change makes the loop retry, never disappear. So an operation
     * on index i never changes the state of i ± 1.
     *
     * Orderings: as RawMutex (MutexAlgorithm, "Orderings"): acquisition is an acquire CAS, release a
     * release CAS or a release RMW inside the unpark callback, under the key's bucket lock; a hand-off
     * publishes through the parker (release in unparkLock, acquire when the park ends).
     *
     * Views. asLock(i) allocates a small Element (24 bytes: array, index, fairness) per call rather than
     * keeping n views, which would cost 16-24 bytes per mutex. Views of one index are interchangeable:
     * all state is in the byte; Condvar treats them as one lock because they share the queue key
     * (queueKey() = this array, queueLane() = i); equals/hashCode follow (array, index). The views of
     * a StripedMutex made fair are the same Element with fair = true: its unlocks are fair, and its
     * waits spin as RawFairMutex's do (MutexAlgorithm.FAIR_SPIN).
     *
     * Not covered by OwnerTracking and Deadlocks: the tracker keys its records by lock object, and an
     * index has none (a record per acquisition would need an allocation).
     */

    /**
     * The state of mutex i is {@code states[i]}: {@link MutexAlgorithm#LOCKED},
     * {@link MutexAlgorithm#PARKED} and {@link MutexAlgorithm#WOKEN} in bits 0-2, bits 3-7 always zero.
     * Written only by atomic byte-element operations (see the implementation notes).
     */
    private final byte[] states;

    /**
     * Creates {@code length} unlocked mutexes, indexed 0 to {@code length - 1}.
     *
     * @param length the number of mutexes
     * @throws IllegalArgumentException if {@code length} is negative
     */
    public MutexArray(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative: " + length);
        }
        this.states = new byte[length];
    }

    /**
     * Returns the number of mutexes.
     *
     * @return the length given to the constructor
     */
    public int length() {
        return states.length;
    }

    /**
     * Acquires mutex {@code index}, waiting if another thread holds it. Spins briefly while no other
     * thread is parked on it, then parks until it is released to this thread. Interrupts do not end the
     * wait; the interrupt status is kept.
     *
     * @param index which mutex
     * @throws IndexOutOfBoundsException if {@code index} is negative or not less than {@link #length()}
     */
    public void lock(int index) {
        Objects.checkIndex(index, states.length);
        if (!lockFast(index)) {
            ALGORITHM.lockSlow(this, index, ParkingLot.FOREVER, false, 0);
        }
    }

    /**
     * Acquires mutex {@code index} unless the current thread is interrupted. If it is held, the thread
     * lies dormant until it acquires it or another thread interrupts it.
     *
     * @param index which mutex
     * @throws InterruptedException if the current thread is interrupted on entry or while waiting; its
     *                              interrupt status is cleared
     * @throws IndexOutOfBoundsException if {@code index} is negative or not less than {@link #length()}
     */
    public void lockInterruptibly(int index) throws InterruptedException {
        lockInterruptibly(index, 0);
    }

    /**
     * Acquires mutex {@code index} if it is free at the time of the call, even if other threads are
     * parked waiting for it (barging).
     *
     * @param index which mutex
     * @return {@code true} if acquired
     * @throws IndexOutOfBoundsException if {@code index} is negative or not less than {@link #length()}
     */
    public boolean tryLock(int index) {
        Objects.checkIndex(index, states.length);
        return ALGORITHM.tryLock(this, index);
    }

    /**
     * Acquires mutex {@code index} if it becomes free within the waiting time. The thread lies dormant
     * until it acquires the mutex, the time elapses, or another thread interrupts it. A zero or
     * negative time tries once; {@code Long.MAX_VALUE} nanoseconds or more waits forever.
     *
     * @param index which mutex
     * @param time  the most to wait
     * @param unit  the unit of {@code time}
     * @return {@code true} if acquired, {@code false} if the time elapsed first
     * @throws InterruptedException if the current thread is interrupted on entry or while waiting; its
     *                              interrupt status is cleared
     * @throws IndexOutOfBoundsException if {@code index} is negative or not less than {@link #length()}
     * @throws NullPointerException if {@code unit} is null
     */
    public boolean tryLock(int index, long time, TimeUnit unit) throws InterruptedException {
        return tryLock(index, time, unit, 0);
    }

    /**
     * Releases mutex {@code index}. If threads are parked waiting for it, wakes the longest-waiting
     * one; usually it competes for the mutex with arriving threads, but about every 0.5 ms the mutex is
     * handed to it directly (see the class documentation). Any thread may release it.
     *
     * @param index which mutex
     * @throws IllegalMonitorStateException if the mutex is not locked (its state is left unchanged)
     * @throws IndexOutOfBoundsException if {@code index} is negative or not less than {@link #length()}
     */
    public void unlock(int index) {
        Objects.checkIndex(index, states.length);
        int s = states[index]; // plain read: a guess the release CAS validates
        if (!MutexAlgorithm.releasesWithoutWake(s)
                || !STATES.weakCompareAndSetRelease(states, index, (byte) s, (byte) (s & ~MutexAlgorithm.LOCKED))) {
            ALGORITHM.unlock(this, index, false);
        }
    }

    /**
     * Releases mutex {@code index} and, if a thread is parked waiting for it, hands it directly to the
     * longest-waiting one (a fair unlock). Any thread may release it.
     *
     * @param index which mutex
     * @throws IllegalMonitorStateException if the mutex is not locked (its state is left unchanged)
     * @throws IndexOutOfBoundsException if {@code index} is negative or not less than {@link #length()}
     */
    public void unlockFair(int index) {
        Objects.checkIndex(index, states.length);
        if (!STATES.weakCompareAndSetRelease(states, index, (byte) MutexAlgorithm.LOCKED, (byte) 0)) {
            ALGORITHM.unlock(this, index, true); // waiters (or a spurious failure): the slow path decides
        }
    }

    /**
     * Returns whether some thread holds mutex {@code index}: a snapshot, for monitoring, not for
     * synchronization.
     *
     * @param index which mutex
     * @return {@code true} if it is locked
     * @throws IndexOutOfBoundsException if {@code index} is negative or not less than {@link #length()}
     */
    public boolean isLocked(int index) {
        Objects.checkIndex(index, states.length);
        return ALGORITHM.isLocked(this, index);
    }

    /**
     * Returns a {@link Lock} view of mutex {@code index}: its {@code lock}, {@code tryLock},
     * {@code lockInterruptibly} and {@code unlock} are this array's operations on {@code index}, and
     * {@code newCondition()} returns a new {@link Condition} bound to it (whose methods throw
     * {@link IllegalMonitorStateException} if the mutex is not locked when called: it has no owner to
     * check). The view also works with a {@link Condvar}.
     *
     * <p>Each call allocates a new small view (24 bytes; usually eliminated by the JIT when the view
     * does not escape the method that uses it). Views of one index are interchangeable: they share all
     * their state, are {@link Object#equals equal}, and count as the same lock for a {@link Condvar}.
     *
     * @param index which mutex
     * @return a view of mutex {@code index}
     * @throws IndexOutOfBoundsException if {@code index} is negative or not less than {@link #length()}
     */
    public Lock asLock(int index) {
        Objects.checkIndex(index, states.length);
        return new Element(this, index, false);
    }

    /**
     * Returns a string identifying this array and its length, for monitoring.
     *
     * @return the class and identity, followed by {@code [length = n]}
     */
    @Override
    public String toString() {
        return super.toString() + "[length = " + states.length + "]";
    }

    // ---------------------------------------------------------------------------------------------
    // internals shared with the views

    /** {@link #lock(int)}, spinning as the options say ({@link MutexAlgorithm#FAIR_SPIN} or 0). */
    void lock(int index, int spinOption) {
        Objects.checkIndex(index, states.length);
        if (!lockFast(index)) {
            ALGORITHM.lockSlow(this, index, ParkingLot.FOREVER, false, spinOption);
        }
    }

    /** {@link #lockInterruptibly(int)}, spinning as the options say. */
    void lockInterruptibly(int index, int spinOption) throws InterruptedException {
        Objects.checkIndex(index, states.length);
        Timeouts.throwIfInterrupted();
        if (!lockFast(index)
                && ALGORITHM.lockSlow(this, index, ParkingLot.FOREVER, true, spinOption)
                        == MutexAlgorithm.INTERRUPTED) {
            throw Timeouts.clearInterrupt();
        }
    }

    /** {@link #tryLock(int, long, TimeUnit)}, spinning as the options say. */
    boolean tryLock(int index, long time, TimeUnit unit, int spinOption) throws InterruptedException {
        Objects.checkIndex(index, states.length);
        long nanos = Timeouts.toNanos(time, unit);
        Timeouts.throwIfInterrupted();
        if (ALGORITHM.tryLock(this, index)) {
            return true;
        }
        if (nanos <= 0L) {
            return false;
        }
        int r = ALGORITHM.lockSlow(this, index, nanos, true, spinOption);
        if (r == MutexAlgorithm.INTERRUPTED) {
            throw Timeouts.clearInterrupt();
        }
        return r == MutexAlgorithm.ACQUIRED;
    }

    /**
     * Test hook: the state byte of mutex {@code index} (its LOCKED, PARKED and WOKEN bits), read
     * volatile.
     *
     * @return the state, 0 to 7
     */
    int state(int index) {
        return ALGORITHM.load(this, index);
    }

    /**
     * The fast path of acquisition: one acquire CAS from the byte just read, if LOCKED is clear (it
     * barges past PARKED and WOKEN, as the slow path would). The caller checked the index.
     *
     * @return {@code true} if acquired
     */
    private boolean lockFast(int index) {
        int s = states[index]; // plain read: a guess the acquire CAS validates
        return (s & MutexAlgorithm.LOCKED) == 0
                && STATES.weakCompareAndSetAcquire(states, index, (byte) s, (byte) (s | MutexAlgorithm.LOCKED));
    }

    /**
     * A {@link Lock} view of one mutex of a {@link MutexArray}; see {@link MutexArray#asLock(int)}. With
     * {@code fair} set (the stripes of a fair {@link StripedMutex}) every unlock is fair, as
     * {@link RawFairMutex}'s.
     */
    static final class Element extends CondvarLock {
        /** The array holding the mutex. */
        private final MutexArray array;
        /** The mutex's index, checked on creation. */
        private final int index;
        /** Whether every unlock hands over to a waiter. */
        private final boolean fair;

        Element(MutexArray array, int index, boolean fair) {
            this.array = array;
            this.index = index;
            this.fair = fair;
        }

        /** {@link MutexAlgorithm#FAIR_SPIN} for a fair view, else 0. */
        private int spinOption() {
            return fair ? MutexAlgorithm.FAIR_SPIN : 0;
        }

        /**
         * Acquires the mutex, waiting if another thread holds it; interrupts do not end the wait (the
         * interrupt status is kept).
         */
        @Override
        public void lock() {
            array.lock(index, spinOption());
        }

        /**
         * Acquires the mutex unless the current thread is interrupted.
         *
         * @throws InterruptedException if the current thread is interrupted on entry or while waiting;
         *                              its interrupt status is cleared
         */
        @Override
        public void lockInterruptibly() throws InterruptedException {
            array.lockInterruptibly(index, spinOption());
        }

        /**
         * Acquires the mutex if it is free at the time of the call (barging).
         *
         * @return {@code true} if acquired
         */
        @Override
        public boolean tryLock() {
            return array.tryLock(index);
        }

        /**
         * Acquires the mutex if it becomes free within the waiting time; a zero or negative time tries
         * once, {@code Long.MAX_VALUE} nanoseconds or more waits forever.
         *
         * @return {@code true} if acquired, {@code false} if the time elapsed first
         * @throws InterruptedException if the current thread is interrupted on entry or while waiting;
         *                              its interrupt status is cleared
         * @throws NullPointerException if {@code unit} is null
         */
        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            return array.tryLock(index, time, unit, spinOption());
        }

        /**
         * Releases the mutex: fairly (handing it to the longest waiter) if this view is fair, else as
         * {@link MutexArray#unlock(int)}.
         *
         * @throws IllegalMonitorStateException if the mutex is not locked (its state is left unchanged)
         */
        @Override
        public void unlock() {
            if (fair) {
                array.unlockFair(index);
            } else {
                array.unlock(index);
            }
        }

        /**
         * Returns a new {@link Condition} bound to this mutex, backed by a {@link Condvar}; its methods
         * throw {@link IllegalMonitorStateException} if the mutex is not locked when called.
         *
         * @return a new condition
         */
        @Override
        public Condition newCondition() {
            return new BoundCondition(this);
        }

        @Override
        Object queueKey() {
            return array;
        }

        @Override
        long queueLane() {
            return index;
        }

        @Override
        int holdsForWait() {
            if (!ALGORITHM.isLocked(array, index)) {
                throw new IllegalMonitorStateException("mutex " + index + " of " + array + " is not locked");
            }
            return 1;
        }

        @Override
        void releaseAllForWait() {
            unlock();
        }

        @Override
        void reacquireAfterWait(int holds, long unparkToken) {
            ALGORITHM.relockAfterWait(array, index, unparkToken, spinOption());
        }

        @Override
        boolean markParkedIfLocked() {
            return ALGORITHM.markParkedIfLocked(array, index);
        }

        @Override
        void markParked() {
            ALGORITHM.markParked(array, index);
        }

        /**
         * Whether {@code o} is a view of the same mutex (same array, same index).
         *
         * @param o another object
         * @return {@code true} if both views lock the same mutex
         */
        @Override
        public boolean equals(Object o) {
            return o instanceof Element e && e.array == array && e.index == index;
        }

        /**
         * A hash of (array identity, index), consistent with {@link #equals}.
         *
         * @return the hash code
         */
        @Override
        public int hashCode() {
            return System.identityHashCode(array) * 31 + index;
        }

        /**
         * Returns a string naming the array and index and the mutex's state, for monitoring.
         *
         * @return for example {@code MutexArray@1b6d3586[length = 16][3: Locked, 2 queued]}
         */
        @Override
        public String toString() {
            int queued = ParkingLot.queueLength(array, index);
            return array + "[" + index + (array.isLocked(index) ? ": Locked" : ": Unlocked")
                    + (queued == 0 ? "]" : ", " + queued + " queued]");
        }
    }

    /** The mutex algorithm projected onto the state bytes. */
    static final ElementAlgorithm ALGORITHM = new ElementAlgorithm();

    /**
     * {@link MutexAlgorithm} on element {@code index} of {@link #states} of the {@link MutexArray}
     * {@code holder}: each access is one atomic access to that one byte.
     */
    static final class ElementAlgorithm extends MutexAlgorithm {
        @Override
        int load(Object holder, long index) {
            return (byte) STATES.getVolatile(((MutexArray) holder).states, (int) index);
        }

        @Override
        boolean weakCasAcquire(Object holder, long index, int expect, int update) {
            return STATES.weakCompareAndSetAcquire(((MutexArray) holder).states, (int) index, (byte) expect,
                    (byte) update);
        }

        @Override
        boolean casRelease(Object holder, long index, int expect, int update) {
            return (byte) STATES.compareAndExchangeRelease(((MutexArray) holder).states, (int) index, (byte) expect,
                    (byte) update) == (byte) expect;
        }

        @Override
        boolean cas(Object holder, long index, int expect, int update) {
            return STATES.compareAndSet(((MutexArray) holder).states, (int) index, (byte) expect, (byte) update);
        }

        @Override
        int getAndBitwiseAndRelease(Object holder, long index, int mask) {
            return (byte) STATES.getAndBitwiseAndRelease(((MutexArray) holder).states, (int) index, (byte) mask);
        }

        @Override
        int getAndBitwiseOr(Object holder, long index, int bits) {
            return (byte) STATES.getAndBitwiseOr(((MutexArray) holder).states, (int) index, (byte) bits);
        }
    }

    // VarHandle mechanics
    private static final VarHandle STATES = MethodHandles.arrayElementVarHandle(byte[].class);
}
