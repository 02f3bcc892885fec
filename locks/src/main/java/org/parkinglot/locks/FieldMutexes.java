package org.parkinglot.locks;

import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.core.internal.Timeouts;

/**
 * What {@link IntFieldMutex} and {@link LongFieldMutex} share: the checks of {@link FieldMutex}'s factories,
 * the parking-lot lane of a field lock, and the slow paths that do not depend on the field's type.
 */
final class FieldMutexes {

    private FieldMutexes() {
    }

    /** The parking-lot lane tag of field locks: bit 62 (see {@link FieldMutex}'s implementation notes). */
    static final long LANE_TAG = 1L << 62;

    /** The access modes the lock uses. */
    private static final VarHandle.AccessMode[] REQUIRED_MODES = {
        VarHandle.AccessMode.GET_VOLATILE,
        VarHandle.AccessMode.COMPARE_AND_SET,
        VarHandle.AccessMode.COMPARE_AND_EXCHANGE,
        VarHandle.AccessMode.COMPARE_AND_EXCHANGE_RELEASE,
        VarHandle.AccessMode.WEAK_COMPARE_AND_SET_ACQUIRE,
        VarHandle.AccessMode.WEAK_COMPARE_AND_SET_RELEASE,
        VarHandle.AccessMode.GET_AND_BITWISE_AND_RELEASE,
        VarHandle.AccessMode.GET_AND_BITWISE_OR,
    };

    /**
     * Checks that {@code handle} is an instance-field handle of type {@code type} from
     * {@code Lookup.findVarHandle} that supports the lock's access modes.
     *
     * @return the field's identity: the descriptor of the class it was looked up in, a dot, its name
     * @throws IllegalArgumentException if it is not
     * @throws NullPointerException if {@code handle} is null
     */
    static String checkHandle(VarHandle handle, Class<?> type) {
        Objects.requireNonNull(handle, "handle");
        if (handle.coordinateTypes().isEmpty()) {
            throw new IllegalArgumentException(
                    "handle is for a static field; a FieldMutex needs an instance field: " + handle);
        }
        if (handle.coordinateTypes().size() != 1 || handle.coordinateTypes().get(0).isArray()) {
            throw new IllegalArgumentException(
                    "handle is not an instance-field handle (an array element or a memory view?): " + handle);
        }
        if (handle.varType() != type) {
            throw new IllegalArgumentException("handle is for a field of type " + handle.varType().getName()
                    + "; expected " + type.getName());
        }
        var desc = handle.describeConstable().orElse(null);
        if (desc == null || !desc.bootstrapMethod().equals(ConstantDescs.BSM_VARHANDLE_FIELD)) {
            throw new IllegalArgumentException("handle is not a field handle from Lookup.findVarHandle: " + handle);
        }
        for (VarHandle.AccessMode mode : REQUIRED_MODES) {
            if (!handle.isAccessModeSupported(mode)) {
                throw new IllegalArgumentException(
                        "handle does not support " + mode.methodName() + " (is the field final?): " + handle);
            }
        }
        ClassDesc lookedUpIn = (ClassDesc) desc.bootstrapArgsList().get(0);
        return lookedUpIn.descriptorString() + "." + desc.constantName();
    }

    /**
     * Checks that the lock's bits from {@code firstBit} fit in a field of {@code size} bits.
     *
     * @throws IllegalArgumentException if they do not
     */
    static void checkFirstBit(int firstBit, int size) {
        int last = size - Integer.bitCount(MutexAlgorithm.MUTEX_BITS);
        if (firstBit < 0 || firstBit > last) {
            throw new IllegalArgumentException("firstBit must be in 0.." + last + " for a field of " + size
                    + " bits (the lock uses three bits): " + firstBit);
        }
    }

    /**
     * The parking-lot lane of the lock at {@code firstBit} of {@code field}: {@link #LANE_TAG}, a 64-bit
     * FNV-1a hash of the field's identity with the low six bits cleared, and {@code firstBit} in those
     * bits (see {@link FieldMutex}'s implementation notes).
     */
    static long lane(String field, int firstBit) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < field.length(); i++) {
            hash = (hash ^ field.charAt(i)) * 0x100000001b3L;
        }
        return LANE_TAG | (hash & (LANE_TAG - 1) & ~63L) | firstBit;
    }

    /** The field as {@code toString} names it: simple class name, a dot, the field name. */
    static String displayName(VarHandle handle) {
        var desc = handle.describeConstable().orElseThrow();
        return ((ClassDesc) desc.bootstrapArgsList().get(0)).displayName() + "." + desc.constantName();
    }

    // ---------------------------------------------------------------------------------------------
    // slow paths

    /**
     * The rest of {@code lockInterruptibly} after its fast path failed.
     *
     * @throws InterruptedException if interrupted while waiting (status cleared)
     */
    static void lockInterruptiblySlow(MutexAlgorithm word, Object holder, long lane) throws InterruptedException {
        if (word.lockSlow(holder, lane, ParkingLot.FOREVER, true) == MutexAlgorithm.INTERRUPTED) {
            throw Timeouts.clearInterrupt();
        }
    }

    /**
     * The rest of a timed {@code tryLock} after its one attempt failed.
     *
     * @return whether the lock was acquired within {@code nanos}
     * @throws InterruptedException if interrupted while waiting (status cleared)
     */
    static boolean tryLockSlow(MutexAlgorithm word, Object holder, long lane, long nanos) throws InterruptedException {
        if (nanos <= 0L) {
            return false;
        }
        int r = word.lockSlow(holder, lane, nanos, true);
        if (r == MutexAlgorithm.INTERRUPTED) {
            throw Timeouts.clearInterrupt();
        }
        return r == MutexAlgorithm.ACQUIRED;
    }

    /**
     * {@code bump}: checks that the lock is held, then lets a waiter in and re-acquires.
     *
     * @throws IllegalMonitorStateException if the lock is not held
     */
    static void bump(MutexAlgorithm word, Object holder, long lane) {
        if (!word.isLocked(holder, lane)) {
            throw new IllegalMonitorStateException("mutex is not locked");
        }
        word.bump(holder, lane);
    }

    /**
     * The {@code toString} of a field mutex: its field and bits.
     *
     * @return for example {@code FieldMutex[Node.flags, bits 29..31]}
     */
    static String describe(String field, int firstBit) {
        return "FieldMutex[" + field + ", bits " + firstBit + ".." + (firstBit + 2) + "]";
    }
}
