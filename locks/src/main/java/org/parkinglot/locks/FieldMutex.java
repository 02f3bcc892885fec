/*
 * Ported from parking_lot `src/raw_mutex.rs` through MutexAlgorithm, after WebKit `WTF/wtf/LockAlgorithm.h`, which
 * projects one lock onto any atomic field of the user's choosing.
 */
package org.parkinglot.locks;

import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * A mutex kept in three bits of a {@code volatile int} or {@code long} field of the user's own objects:
 * zero extra objects and zero extra bytes per lock. The other bits of the field stay the user's; they
 * may change at any time, also concurrently with the lock's operations, and the lock never alters them.
 * The protocol is {@link RawMutex}'s (not reentrant, no owner, eventual fairness, one CAS to lock and one
 * to unlock when uncontended); waiters sleep in the global {@link org.parkinglot.core.ParkingLot}.
 *
 * <p>One {@code FieldMutex} describes where the lock lives (a field, and which of its bits); the lock
 * itself is that field of each object, the <em>holder</em>, passed to every operation:
 * <pre>{@code
 * final class Node {
 *     private static final VarHandle FLAGS;   // MethodHandles.lookup().findVarHandle(Node.class, "flags", int.class)
 *     private static final FieldMutex LOCK = FieldMutex.ofInt(FLAGS, 29);  // bits 29..31; bits 0..28 stay ours
 *     volatile int flags;
 *
 *     void update() {
 *         LOCK.lock(this);
 *         try {
 *             // ... guarded work
 *         } finally {
 *             LOCK.unlock(this);
 *         }
 *     }
 * }
 * }</pre>
 *
 * <h2>Keep it in a {@code static final} field</h2>
 * Create one {@code FieldMutex} per field and bit range, once, and keep it in a {@code static final}
 * field, as the {@code VarHandle} itself: the JIT then treats it, and the handle inside it, as constants
 * and compiles {@code lock}/{@code unlock} to the same single CAS as {@link RawMutex#lock()}. Reached
 * through a non-constant reference it still works, only slower (a call per field access). Two
 * {@code FieldMutex} objects made with the same {@code firstBit} from handles to the same field, looked up
 * in the same class, are the same lock and may be mixed (their waiters share one queue); do not mix one
 * with a mutex over a handle looked up in a subclass.
 *
 * <h2>The field and its bits</h2>
 * The handle must come from {@link java.lang.invoke.MethodHandles.Lookup#findVarHandle} for an instance
 * field of type {@code int} ({@link #ofInt}) or {@code long} ({@link #ofLong}) that is not {@code final};
 * declare the field {@code volatile} so that the user's own reads and writes of it are. The lock uses
 * bits {@code firstBit}, {@code firstBit + 1} and {@code firstBit + 2} ({@link #mask()}); a field starts
 * unlocked when they are zero (as a new object's field is). While the lock is held or threads wait for it,
 * change the field only with atomic read-modify-write operations that leave these bits alone
 * ({@code getAndBitwiseOr/And/Xor} on other bits, or a CAS loop that copies them); a plain store or
 * {@code set} of the whole field corrupts the lock. Two field mutexes may share a field if their bit
 * ranges do not overlap; they are independent locks.
 *
 * <h2>Fairness</h2>
 * As {@link RawMutex}: unfair with eventual fairness (the unlock hands the lock to the longest waiter
 * about every 0.5 ms on average while threads wait); {@link #unlockFair(Object)} hands over on demand.
 *
 * <h2>Memory synchronization</h2>
 * A successful lock operation has the same memory effects as a successful {@code Lock} operation of
 * {@link Lock}: everything a thread did before unlocking a holder's lock happens-before everything the
 * next thread to lock it does after locking.
 *
 * <h2>Conditions</h2>
 * {@link #asLock(Object)} gives a {@link Lock} view of one holder's lock; {@link Condvar} waits with it,
 * and its {@code newCondition()} works as {@link RawMutex#newCondition()}.
 *
 * @see RawMutex
 */
public sealed interface FieldMutex permits IntFieldMutex, LongFieldMutex {

    /*
     * Implementation notes.
     *
     * State bits: MutexAlgorithm's LOCKED, PARKED and WOKEN (state table and invariants there), at bits
     * firstBit, firstBit + 1 and firstBit + 2 of the user's field. The algorithm is written against an
     * int word whose low three bits are the mutex; each implementation projects the field onto such a
     * word:
     *
     *   int field (IntFieldMutex.Word): the word is the field rotated right by firstBit. Rotation is a
     *     bijection, so a CAS of rotated values is exactly a CAS of the field, and and/or masks rotate
     *     with it: every algorithm step is one atomic instruction on the field, as in AbstractMutex. The
     *     algorithm preserves all bits other than its three, so the user's bits pass through unchanged;
     *     a CAS that fails because the user changed a bit makes the algorithm reload and retry, as any
     *     concurrent change of the word does.
     *   long field (LongFieldMutex.Word): no int can hold all 64 bits, so the word is only the three
     *     lock bits, (field >>> firstBit) & 7. A CAS of the word from e to u reads the field f; if its
     *     three bits are not e it fails (the algorithm reloads, as after any failed CAS); else it
     *     CASes f to f with the three bits replaced by u, and if that fails only because other bits
     *     changed (the witness still has e in the three bits), it retries with the witness. So it
     *     succeeds iff the lock bits were e at its linearization point, and it never writes a user
     *     bit it did not just read. The weak acquire CAS makes one attempt (a failure caused by user
     *     bits is a permitted spurious failure). and/or become one getAndBitwiseAnd/Or of the field
     *     with the mask confined to the three bits.
     *
     * The fast paths (lock, tryLock, unlock, unlockFair, isLocked) are written out in each record on
     * the raw field, with LOCKED shifted by firstBit: lock = weak acquire CAS s -> s | LOCKED<<firstBit
     * when that bit is clear; unlock = weak release CAS s -> s & ~(LOCKED<<firstBit) when
     * MutexAlgorithm.releasesWithoutWake(s >>> firstBit); anything else goes to the algorithm. They
     * are one CAS each, as RawMutex's, and keep all other bits because each CAS writes back the value
     * it read with one bit changed.
     *
     * Orderings: exactly MutexAlgorithm's (acquire CAS to lock, release CAS or release RMW to unlock,
     * volatile RMWs for PARKED and WOKEN); the projections keep each access mode, and the extra
     * reads (the long projection's getVolatile before its CAS) only decide whether to try.
     *
     * Constant folding. HotSpot folds a static final field, but not, by default, a final instance
     * field of an ordinary class; it does trust the final fields of records (and hidden classes). So
     * each implementation is a record whose components are the handle, firstBit and the lane: with the
     * mutex in a static final field, mutex.handle() is a constant VarHandle and each access compiles to
     * the field access itself (unverified handles would be a call through the handle's LambdaForm per
     * access). The projections (the MutexAlgorithm subclasses) are ordinary classes: only slow paths
     * use them, where a few nanoseconds per access do not matter. The Lock view (FieldMutexLock) cannot
     * be a record (it extends CondvarLock), so it pays the slower path; it is for conditions and APIs
     * that want a Lock.
     *
     * Parking key: (holder, lane). The lane tells apart the locks of one holder object (two fields, or
     * two bit ranges of one field): if two locks shared a key, one lock's unlock could wake the other's
     * waiter, hand it that lock's WOKEN role, and leave a WOKEN bit set that nobody clears (lost
     * wake-ups). lane = LANE_TAG | (64-bit FNV-1a hash of the field's identity, declaring class
     * descriptor and name, with the low six bits cleared) | firstBit. Distinct bit ranges of one field
     * differ in the low bits; distinct fields of one object differ in the hash (a collision between two
     * fields of one class hierarchy has probability about 2^-56); the tag (bit 62) keeps the lanes away
     * from the small lanes other primitives use (0 for an object's own lock, an index for an array
     * element), should the holder also be a key of one of those. The lane depends only on the field and
     * the bits, so two FieldMutex objects over the same bits share the queue, as they must (with a
     * per-object lane, an unlock through one would not see the other's waiters). The identity comes from
     * VarHandle.describeConstable(): for a findVarHandle handle, the class the handle was looked up in
     * and the field name. Looked up in a subclass instead of the declaring class, the same field gets
     * another lane; mixing such mutexes is the one way to share bits without sharing the queue
     * (documented: one FieldMutex per field and bit range).
     *
     * Not provided: owner tracking for the deadlock finder (OwnerTracking keys its records by lock
     * object, and a field lock is an (object, lane) pair) and JFR naming beyond the holder (LockEvents
     * receives the holder and the lane).
     */

    /**
     * Creates a mutex in the lowest three bits (0, 1, 2) of an {@code int} field.
     *
     * @param handle a handle to a non-final instance field of type {@code int}, from
     *               {@link java.lang.invoke.MethodHandles.Lookup#findVarHandle}
     * @return the mutex; keep it in a {@code static final} field
     * @throws IllegalArgumentException if {@code handle} is not such a handle
     * @throws NullPointerException if {@code handle} is null
     */
    static FieldMutex ofInt(VarHandle handle) {
        return ofInt(handle, 0);
    }

    /**
     * Creates a mutex in bits {@code firstBit}, {@code firstBit + 1} and {@code firstBit + 2} of an
     * {@code int} field.
     *
     * @param handle   a handle to a non-final instance field of type {@code int}, from
     *                 {@link java.lang.invoke.MethodHandles.Lookup#findVarHandle}
     * @param firstBit the lowest bit of the three, 0 to 29
     * @return the mutex; keep it in a {@code static final} field
     * @throws IllegalArgumentException if {@code handle} is not such a handle or {@code firstBit} is out of
     *                                  range
     * @throws NullPointerException if {@code handle} is null
     */
    static FieldMutex ofInt(VarHandle handle, int firstBit) {
        String field = FieldMutexes.checkHandle(handle, int.class);
        FieldMutexes.checkFirstBit(firstBit, Integer.SIZE);
        return IntFieldMutex.create(handle.withInvokeBehavior(), firstBit, FieldMutexes.lane(field, firstBit),
                FieldMutexes.displayName(handle));
    }

    /**
     * Creates a mutex in the lowest three bits (0, 1, 2) of a {@code long} field.
     *
     * @param handle a handle to a non-final instance field of type {@code long}, from
     *               {@link java.lang.invoke.MethodHandles.Lookup#findVarHandle}
     * @return the mutex; keep it in a {@code static final} field
     * @throws IllegalArgumentException if {@code handle} is not such a handle
     * @throws NullPointerException if {@code handle} is null
     */
    static FieldMutex ofLong(VarHandle handle) {
        return ofLong(handle, 0);
    }

    /**
     * Creates a mutex in bits {@code firstBit}, {@code firstBit + 1} and {@code firstBit + 2} of a
     * {@code long} field.
     *
     * @param handle   a handle to a non-final instance field of type {@code long}, from
     *                 {@link java.lang.invoke.MethodHandles.Lookup#findVarHandle}
     * @param firstBit the lowest bit of the three, 0 to 61
     * @return the mutex; keep it in a {@code static final} field
     * @throws IllegalArgumentException if {@code handle} is not such a handle or {@code firstBit} is out of
     *                                  range
     * @throws NullPointerException if {@code handle} is null
     */
    static FieldMutex ofLong(VarHandle handle, int firstBit) {
        String field = FieldMutexes.checkHandle(handle, long.class);
        FieldMutexes.checkFirstBit(firstBit, Long.SIZE);
        return LongFieldMutex.create(handle.withInvokeBehavior(), firstBit, FieldMutexes.lane(field, firstBit),
                FieldMutexes.displayName(handle));
    }

    // ---------------------------------------------------------------------------------------------
    // the lock of one holder

    /**
     * Acquires the holder's lock, waiting if another thread holds it. Spins briefly while no other
     * thread is parked, then parks until the lock is released to it. Interrupts do not end the wait; the
     * interrupt status is kept.
     *
     * @param holder the object whose field holds the lock
     * @throws NullPointerException if {@code holder} is null
     * @throws ClassCastException if {@code holder} is not an instance of the field's class
     */
    void lock(Object holder);

    /**
     * Acquires the holder's lock unless the current thread is interrupted. If the lock is held, the
     * thread lies dormant until it acquires the lock or another thread interrupts it.
     *
     * @param holder the object whose field holds the lock
     * @throws InterruptedException if the current thread is interrupted on entry or while waiting; its
     *                              interrupt status is cleared
     * @throws NullPointerException if {@code holder} is null
     * @throws ClassCastException if {@code holder} is not an instance of the field's class
     */
    void lockInterruptibly(Object holder) throws InterruptedException;

    /**
     * Acquires the holder's lock if it is free at the time of the call, even if other threads are parked
     * waiting for it (barging).
     *
     * @param holder the object whose field holds the lock
     * @return {@code true} if the lock was acquired
     * @throws NullPointerException if {@code holder} is null
     * @throws ClassCastException if {@code holder} is not an instance of the field's class
     */
    boolean tryLock(Object holder);

    /**
     * Acquires the holder's lock if it becomes free within the waiting time. The thread lies dormant
     * until it acquires the lock, the time elapses, or another thread interrupts it. A zero or negative
     * time tries once; {@code Long.MAX_VALUE} nanoseconds or more waits forever.
     *
     * @param holder the object whose field holds the lock
     * @param time   the most to wait
     * @param unit   the unit of {@code time}
     * @return {@code true} if acquired, {@code false} if the time elapsed first
     * @throws InterruptedException if the current thread is interrupted on entry or while waiting; its
     *                              interrupt status is cleared
     * @throws NullPointerException if {@code holder} or {@code unit} is null
     * @throws ClassCastException if {@code holder} is not an instance of the field's class
     */
    boolean tryLock(Object holder, long time, TimeUnit unit) throws InterruptedException;

    /**
     * Releases the holder's lock. If threads are parked waiting, wakes the longest-waiting one; usually
     * it competes for the lock with arriving threads, but if the fair timeout has expired the lock is
     * handed to it directly. Any thread may release the lock.
     *
     * @param holder the object whose field holds the lock
     * @throws IllegalMonitorStateException if the lock is not held (the field is left unchanged)
     * @throws NullPointerException if {@code holder} is null
     * @throws ClassCastException if {@code holder} is not an instance of the field's class
     */
    void unlock(Object holder);

    /**
     * Releases the holder's lock and, if a thread is parked waiting for it, hands the lock directly to
     * the longest-waiting one (a fair unlock). Any thread may release the lock.
     *
     * @param holder the object whose field holds the lock
     * @throws IllegalMonitorStateException if the lock is not held (the field is left unchanged)
     * @throws NullPointerException if {@code holder} is null
     * @throws ClassCastException if {@code holder} is not an instance of the field's class
     */
    void unlockFair(Object holder);

    /**
     * If a thread is parked waiting for the holder's lock, hands it the lock (a fair unlock) and then
     * re-acquires it, waiting as {@link #lock(Object)} does; otherwise does nothing. Call while holding
     * the lock, to let waiters through during a long critical section.
     *
     * @param holder the object whose field holds the lock
     * @throws IllegalMonitorStateException if the lock is not held
     * @throws NullPointerException if {@code holder} is null
     * @throws ClassCastException if {@code holder} is not an instance of the field's class
     */
    void bump(Object holder);

    /**
     * Returns whether some thread holds the holder's lock: a snapshot, for monitoring, not for
     * synchronization.
     *
     * @param holder the object whose field holds the lock
     * @return {@code true} if the lock is held
     * @throws NullPointerException if {@code holder} is null
     * @throws ClassCastException if {@code holder} is not an instance of the field's class
     */
    boolean isLocked(Object holder);

    /**
     * Returns a {@link Lock} view of the holder's lock, for {@link Condvar} and for APIs that take a
     * {@code Lock}. Its methods behave as this mutex's for {@code holder} (its {@code unlock()} is
     * {@link #unlock(Object)}); its {@code newCondition()} returns a {@link java.util.concurrent.locks.Condition}
     * whose methods throw {@link IllegalMonitorStateException} if the lock is not held when called, as
     * {@link RawMutex#newCondition()}'s do. Views of one holder's lock are interchangeable. The view is
     * an object of 24 bytes or so and slower than calling this mutex directly (see the class
     * documentation): prefer the direct calls where no {@code Lock} is needed.
     *
     * @param holder the object whose field holds the lock
     * @return a new view
     * @throws NullPointerException if {@code holder} is null
     * @throws ClassCastException if {@code holder} is not an instance of the field's class
     */
    Lock asLock(Object holder);

    /**
     * Returns the lowest of the three bits the lock uses in the field.
     *
     * @return {@code firstBit} as given to the factory (0 for the one-argument factories)
     */
    int firstBit();

    /**
     * Returns the bits of the field the lock uses: {@code 7L << firstBit()}. For an {@code int} field,
     * cast it to {@code int}.
     *
     * @return the mask of the lock's three bits
     */
    default long mask() {
        return (long) MutexAlgorithm.MUTEX_BITS << firstBit();
    }
}
