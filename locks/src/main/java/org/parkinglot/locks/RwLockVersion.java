package org.parkinglot.locks;

/**
 * The stamps of {@link RawRwLock}'s optimistic reads ({@link RawRwLock#tryOptimisticRead()},
 * {@link RawRwLock#validate(long)}), and the notes on the version protocol behind them: why the version
 * is a second {@code int} of the lock, when it is advanced, and why a validated read saw a consistent
 * state.
 */
final class RwLockVersion {

    /*
     * Implementation notes: optimistic reads on RawRwLock.
     *
     * The protocol. RawRwLock.version is an int written only by the exclusive owner.
     *   Writer, acquiring: every path that gains exclusive ownership issues VarHandle.storeStoreFence()
     *     after the store that set WRITER and before the owner's first write: the WRITER CAS of
     *     tryLockExclusiveFast and tryLockExclusive, the claim of upgrade / tryUpgrade (the fence right
     *     after it covers the wait for readers too), and the end of RwLockWaits.waitForReaders, which every
     *     other path goes through (lockExclusiveSlow, a hand-over by an unlocker's store, the write view's
     *     condvar re-acquisitions).
     *   Writer, releasing: every path that ends exclusive ownership first advances version by one (an
     *     opaque store of the value it read plainly: the owner sees its predecessor's store through the
     *     lock's happens-before), then releases WRITER with a release RMW or a release store (unlockExclusive,
     *     unlockExclusiveFair, bumpExclusive, downgrade, downgradeToUpgradable; the write view's condvar
     *     waits release through unlockExclusive). A writer that claimed WRITER but gives it back on timeout
     *     or interrupt (waitForReaders) never held the lock exclusively and leaves version alone.
     *   tryOptimisticRead: v = version (getAcquire), then s = state (volatile); stamp 0 if s has WRITER,
     *     else STAMP_BIT | v (never 0).
     *   validate(stamp): VarHandle.acquireFence(); s = state (volatile); valid iff s has no WRITER and
     *     version (opaque, ordered after the volatile read of state) equals the stamp's v.
     *
     * Release-side bump, WRITER checked at both ends. WRITER is set for the whole of an exclusive hold
     * (from the claim to the release), so the WRITER checks refuse a stamp issued during a hold and a
     * validate that meets one; the version catches a hold that both starts and ends in between. One bump
     * per hold is then enough, and bumping just before the release costs nothing more than the store: the
     * release that follows orders it. (An acquire-side bump would let validate skip its WRITER check, but
     * would put the store on the acquisition paths, which need the fence in any scheme, and a fence
     * between the WRITER store and the bump as well.) A claimed WRITER still waiting for readers also
     * zeroes stamps and fails validates: a spurious failure shortly before that writer writes.
     *
     * Why the writer's fence. A CAS with acquire semantics (even a volatile one) keeps the owner's later
     * accesses after its load, not its later stores after its own store: on AArch64 the store of an
     * acquiring CAS may become visible after plain stores that follow it (the Linux kernel's
     * memory-barriers.txt says so of ACQUIRE RMWs; its seqlocks put smp_wmb() after the first increment),
     * and the JMM gives a racy plain read no guarantee either. Without the fence a reader could see a new
     * data value and then still read a state without WRITER and an unchanged version: a torn read that
     * validates. StampedLock adds the same storeStoreFence after its write-lock CAS (see its notes, after
     * Boehm's "Can Seqlocks Get Along with Programming Language Memory Models?"). On x86 the fence is a
     * compiler barrier only (TSO keeps stores in order); on AArch64 it is one dmb ishst.
     *
     * The ordering argument. Fix a reader R (version read r2, state read r1, plain data reads D,
     * acquireFence, state read r4, version read r3) and an exclusive hold H (WRITER store A, fence F,
     * plain writes W, bump B, release C). Take a validated read: r1 and r4 saw no WRITER and r3 == r2.
     *   1. r1 reads C or a later state: C (release) synchronizes with r1 (acquire), so W happens-before D,
     *      and D sees W's values or later ones (which come from holds of case 1 or 3).
     *   2. r1 reads a state between A and C: it shows WRITER and the stamp is 0. Not validated.
     *   3. r1 reads a state before A. Suppose a read of D sees a write of W. W is after F, which orders A
     *      before it; D is before the acquireFence, which orders it before r4; so r4 reads A or a later
     *      state. If it shows WRITER, validate fails. Otherwise r4 reads C or later (WRITER is set from A
     *      to C), C synchronizes with r4, B happens-before r3, and r3 reads B or a later bump. And r2 read
     *      a version before B: had it read B (after F, so after A), r1, which follows r2's acquire, would
     *      read A or later. So r3 != r2 unless the version wrapped (below): validate fails.
     * So in a validated read every value D saw was written by a hold of case 1 or before any hold: those
     * holds are ordered one after the other by the lock, and D saw the last one's state, consistently.
     * The version is read before the state in tryOptimisticRead so that the bump may be a plain (opaque)
     * store: read the other way round, r2 could see a bump whose hold's writes D had not yet seen, which
     * would need a release store for the bump. A hold that ends between r2 and r1 makes the stamp fail
     * spuriously (a window of a few nanoseconds).
     *
     * Why a second word: the choice, with numbers (JOL 0.17 on JDK 25, RwLockSizeTest).
     *   one int (before): 16 bytes (12-byte header + 4); with -XX:+UseCompactObjectHeaders 16.
     *   two ints (this):  24 bytes (12 + 4 + 4, aligned to 8);         with compact headers 16 (8 + 4 + 4).
     *   int + long:       24;                                          with compact headers 24.
     *   one long word:    24;                                          with compact headers 16.
     * A version in the state word would keep 16 bytes but wraps too soon. The word has 5 flag bits and a
     * 27-bit reader count; a million virtual threads reading at once need 20 reader bits, which leaves
     * k <= 7 version bits: the version recycles after 2^7 = 128 exclusive holds. An uncontended
     * lockExclusive/unlockExclusive pair is two CASes: 40-60 ns measured on the loaded 2-vCPU test VM,
     * about 10 ns on a fast idle core (the figure used below, the worst case for wrapping). So 128 holds
     * take about 1.3 us, far less than one scheduler time slice: an optimistic
     * reader preempted between its stamp and its validate would validate a torn read in practice. Even
     * k = 12 (readers capped at 32767) wraps after 4096 holds, about 41 us. Rejected.
     * A long word with the version in its upper half costs the same as two ints but would change every
     * CAS of the protocol; the separate int leaves the state word and its CASes as they were. A long
     * version would cost 24 bytes even with compact headers.
     *
     * The residual wrap risk (in validate's javadoc): stamps carry the 32-bit version, so a stamp validates
     * wrongly only if exactly a multiple of 2^32 exclusive holds complete between it and its validate. At
     * 10 ns per uncontended hold that needs at least 43 s of back-to-back write locking while one reader
     * sits between its two calls, and even then the count must land exactly on its stamp (for a random
     * stall, one chance in 2^32). StampedLock documents the same kind of risk ("stamps may recycle after
     * (no sooner than) one year of continuous operation").
     *
     * Misuse. The version is written with a plain read and an opaque store, not an RMW: only the exclusive
     * owner writes it. An unlock by a thread that does not own the lock while another does is undetectable
     * misuse here (RawRwLock does not track owners): it already breaks the lock and could also lose a bump.
     */

    private RwLockVersion() {
    }

    /** Set in every stamp, so that no stamp is zero (zero means the lock was exclusively locked). */
    static final long STAMP_BIT = 1L << Integer.SIZE;

    /**
     * The stamp of an optimistic read that found {@code version} and no WRITER.
     *
     * @param version the version read by tryOptimisticRead
     * @return {@link #STAMP_BIT} with the version's 32 bits below it
     */
    static long stamp(int version) {
        return STAMP_BIT | Integer.toUnsignedLong(version);
    }

    /**
     * Whether {@code stamp} is the stamp of {@code version}; false for zero and for any value
     * tryOptimisticRead does not return.
     *
     * @param stamp   the caller's stamp
     * @param version the version read by validate
     * @return whether they match
     */
    static boolean matches(long stamp, int version) {
        return stamp == stamp(version);
    }
}
