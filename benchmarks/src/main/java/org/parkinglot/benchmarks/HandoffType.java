package org.parkinglot.benchmarks;

/**
 * The competitors of {@link HandoffBenchmark}: ways for one thread to sleep until another wakes it.
 * Each constant makes the {@link Signal} that carries one direction of the handoff (in the manner of
 * Caffeine's {@code CacheType}).
 */
public enum HandoffType {

    /** Bare {@code LockSupport.park}/{@code unpark} with a volatile flag: the floor any parker pays. */
    LOCK_SUPPORT {
        @Override
        Signal newSignal(Object key, long lane) {
            return new Signal.LockSupportSignal();
        }
    },

    /**
     * {@code ParkingLot.park} validated on the flag, woken by {@code ParkingLot.unparkOne}: the bucket
     * lock, the queue and the two-phase unpark on top of the same {@code LockSupport} calls.
     */
    PARKING_LOT {
        @Override
        Signal newSignal(Object key, long lane) {
            return new Signal.ParkingLotSignal(key, lane);
        }
    };

    /**
     * Makes one direction of a handoff.
     *
     * @param key  an object owned by the handoff, for competitors that park under a key
     * @param lane the lane of this direction under that key
     * @return a fresh signal, neither raised nor closed
     */
    abstract Signal newSignal(Object key, long lane);
}
