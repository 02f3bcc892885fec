/*
 * Ported from parking_lot `core/src/parking_lot.rs` (ParkResult), extended with INTERRUPTED.
 */
package org.parkinglot.core;

/**
 * The outcome of {@link ParkingLot#park ParkingLot.park}.
 *
 * <p>Instances for {@link Kind#INVALID}, {@link Kind#TIMED_OUT} and {@link Kind#INTERRUPTED} are
 * shared constants; an {@link Kind#UNPARKED} result carries the token the unparking thread chose
 * (small tokens are cached, so the common park path does not allocate a result).
 */
public final class ParkResult {

    /** What ended a park. */
    public enum Kind {
        /** Another thread unparked this one and handed it an unpark token. */
        UNPARKED,
        /** The validate callback returned false: the thread never slept. */
        INVALID,
        /** The timeout elapsed before an unparker chose this thread; it dequeued itself. */
        TIMED_OUT,
        /** The thread was interrupted (interruptible park only) before an unparker chose it; it dequeued itself. */
        INTERRUPTED
    }

    /** The result of a park whose validate callback returned false. */
    public static final ParkResult INVALID = new ParkResult(Kind.INVALID, 0L);
    /** The result of a park that timed out. */
    public static final ParkResult TIMED_OUT = new ParkResult(Kind.TIMED_OUT, 0L);
    /** The result of an interruptible park that was interrupted. */
    public static final ParkResult INTERRUPTED = new ParkResult(Kind.INTERRUPTED, 0L);

    private static final ParkResult[] UNPARKED_CACHE = new ParkResult[16];

    static {
        for (int i = 0; i < UNPARKED_CACHE.length; i++) {
            UNPARKED_CACHE[i] = new ParkResult(Kind.UNPARKED, i);
        }
    }

    private final Kind kind;
    private final long unparkToken;

    private ParkResult(Kind kind, long unparkToken) {
        this.kind = kind;
        this.unparkToken = unparkToken;
    }

    /**
     * Returns the result of a park ended by an unparker that handed over {@code unparkToken}.
     *
     * @param unparkToken the token chosen by the unparking thread
     * @return an {@link Kind#UNPARKED} result carrying that token
     */
    public static ParkResult unparked(long unparkToken) {
        return (unparkToken >= 0 && unparkToken < UNPARKED_CACHE.length)
                ? UNPARKED_CACHE[(int) unparkToken]
                : new ParkResult(Kind.UNPARKED, unparkToken);
    }

    /**
     * Returns what ended the park.
     *
     * @return the kind of this result
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Returns whether another thread unparked this one.
     *
     * @return {@code true} for an {@link Kind#UNPARKED} result
     */
    public boolean isUnparked() {
        return kind == Kind.UNPARKED;
    }

    /**
     * Returns the token the unparking thread handed over.
     *
     * @return the unpark token
     * @throws IllegalStateException if this result is not {@link Kind#UNPARKED}
     */
    public long unparkToken() {
        if (kind != Kind.UNPARKED) {
            throw new IllegalStateException("no unpark token: park ended " + kind);
        }
        return unparkToken;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParkResult r && r.kind == kind && r.unparkToken == unparkToken;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Long.hashCode(unparkToken);
    }

    @Override
    public String toString() {
        return kind == Kind.UNPARKED ? "UNPARKED(" + unparkToken + ")" : kind.name();
    }
}
