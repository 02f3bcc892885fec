/*
 * Ported from parking_lot `src/raw_mutex.rs` (lock_slow, unlock_slow, mark_parked*), and shaped after
 * WebKit `WTF/wtf/LockAlgorithm.h`, which projects one lock onto any atomic field.
 */
package org.parkinglot.locks;

import java.util.concurrent.ThreadLocalRandom;
import org.parkinglot.core.ParkResult;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.core.SpinWait;
import org.parkinglot.core.UnparkResult;
import org.parkinglot.core.internal.Timeouts;

/**
 * The mutex protocol of parking_lot's {@code RawMutex}, separated from where its bits live, with one
 * addition: at most one woken waiter in flight. A subclass supplies the atomic accesses to one
 * {@code int} word of a holder object (a field of a lock, a field of a user's object, an element of an
 * array); the algorithm touches only {@link #LOCKED}, {@link #PARKED} and {@link #WOKEN} and preserves
 * every other bit of the word. Waiters park under the key (holder, index).
 *
 * <p>Subclasses must be final and held in {@code static final} fields, so that the JIT sees one
 * concrete class per call site and inlines the accesses.
 */
abstract class MutexAlgorithm {

    /*
     * Implementation notes.
     *
     * State bits (the low three bits of the word):
     *
     *   LOCKED  the lock is held.
     *   PARKED  a thread is parked on the key, or about to park. Set by a thread before it parks (with
     *           a CAS that sees LOCKED set), or by a condvar that requeues waiters onto the key (under
     *           the key's bucket lock); cleared only under the key's bucket lock (inside a parking
     *           lot callback, when the last queued thread leaves or is woken), so no thread is ever
     *           parked with PARKED clear. "PARKED, nobody queued" is possible (a parker gave up before
     *           queueing, or was a condvar waiter that timed out on this queue); the next unlock's slow
     *           path clears it.
     *   WOKEN   a woken successor is in flight: an unfair unlock need not wake another one (see
     *           "The WOKEN bit" below for who sets and clears it and why no wake-up is lost).
     *
     *   WOKEN PARKED LOCKED
     *     0     0      0     free, no waiters
     *     0     0      1     held, no waiters
     *     0     1      0     free; threads queued: an unpark is under way, or a barger is about to take
     *                        the lock (its unlock will wake one); or nobody queued (see PARKED)
     *     0     1      1     held, with waiters: the unlock takes the slow path and wakes one
     *     1     x      0     free, a woken waiter is coming to take it (bargers may take it first)
     *     1     x      1     held, a woken waiter is spinning or about to park; the unfair unlock only
     *                        releases: the woken waiter is the successor
     *
     * lockSlow: barge whenever LOCKED is clear; spin (bounded) only while no thread is parked or this
     * thread is the woken one; else set PARKED and park with validate "LOCKED and PARKED both set"
     * (under the bucket lock, so an unlocker that clears them must do so under the same lock: no lost
     * wake-up). A HANDOFF token means the unlocker kept LOCKED set for us: we own the lock. A WOKEN
     * token makes this thread the woken one until its next acquire or park CAS clears WOKEN.
     *
     * unlock: a plain release CAS unless PARKED is set and (the unlock is fair or WOKEN is clear); then
     * unlockSlow = unparkOne, whose callback, under the bucket lock, either hands the lock over (fair:
     * forced, or the bucket's fair timeout expired) keeping LOCKED, or releases it and sets WOKEN,
     * leaving PARKED set iff threads remain queued. Called with nobody queued, it clears LOCKED and
     * PARKED. While WOKEN is set, an unfair unlock is a plain release (see "The WOKEN bit"), except
     * when it finds the queue overdue for a fair hand-off (see "Eventual fairness while WOKEN is set").
     *
     * The WOKEN bit. This is the one explanation of the woken-successor protocol; RawRwLock, the
     * mutexes, Condvar and the rwlock's views refer here. An unlock that finds PARKED set wakes one
     * waiter; without more, every further unlock while that waiter is still on its way would wake
     * another, each wake-up a context switch (AbstractQueuedSynchronizer keeps one woken successor for
     * the same reason). So a releasing (unfair) unlock that wakes a waiter also sets WOKEN, in the
     * unpark callback under the bucket lock, and hands that waiter TOKEN_WOKEN; while WOKEN is set,
     * unfair unlocks release without waking anyone. The waiter that received TOKEN_WOKEN is the woken
     * successor until it clears WOKEN, exactly once: in the CAS with which it acquires the lock, or in
     * the CAS with which it announces that it parks again (a CAS that sees the lock held). Fair unlocks
     * (hand-offs) and condvar wakes never set WOKEN and wake regardless of it. A thread handed
     * TOKEN_WOKEN somewhere else (a condvar waiter requeued onto the lock and woken there) re-takes the
     * lock as the successor (lockSlow's AS_WOKEN), or no unlock would wake the lock's other waiters.
     *
     * No lost wake-up with WOKEN. A parked thread waits for an unlock that sees PARKED set and WOKEN
     * clear. While WOKEN is set, some thread that received TOKEN_WOKEN has not yet cleared it (every
     * set comes with such a wake-up, and each such thread clears it once), and that thread leaves
     * lockSlow only after clearing it: by acquiring (its own unlock later sees WOKEN clear), or by a CAS
     * that sees LOCKED set and sets PARKED (the unlock of that holder, or of any later one, sees PARKED
     * set and WOKEN clear). Timeouts and interrupts end only a park, and a thread clears WOKEN before
     * it parks, so a woken thread that gives up has already passed the baton. At most one thread holds
     * the WOKEN token at a time: the bit is set only by an unlock that saw it clear (fair hand-offs and
     * condvar wakes never set it), and a lock is released once per acquisition. Even if two did, the
     * worst case is an extra wake-up, never a lost one: a clear bit only makes unlocks wake.
     *
     * Eventual fairness while WOKEN is set. An unfair unlock that skips the wake-up because a woken
     * successor is in flight does not reach unparkOne, so the bucket's fair timer is not consulted
     * there; if the woken thread stays off the CPU, the threads already running could keep the lock
     * for as long as the scheduler keeps it away, while the queue's head waits. So one such unlock in
     * 256 goes to unlock, which asks ParkingLot.fairnessOverdue. Which one: where the word is all this
     * package's (RawMutex, RawFairMutex, ReentrantMutex), its top byte counts these unlocks inside the
     * release CAS (countedRelease), for free; elsewhere (a user's field, an array byte, KeyedMutex,
     * the rwlocks) releasesWithoutWake draws from ThreadLocalRandom (FAIRNESS_CHECK_ODDS), about a
     * nanosecond per unlock, measured at 6% of an uncontended lock-unlock pair and 7-9% of contended
     * throughput at 4 and 8 threads on 2 cores, which is why the mutexes count instead. unlock asks: is a thread queued, has the fair timer
     * fired, and has no thread of this key been woken for WOKEN_AWAY_NANOS (1 ms)? If so the unlock is
     * a forced fair one (unlockSlow(fair)): the queue's head gets the lock with TOKEN_HANDOFF, WOKEN
     * stays as it is, and the woken thread competes on coming back, as it does after any fair unlock.
     * The 1 ms is what keeps this cheap: handing the lock to a sleeping thread on every timer expiry
     * while a woken one is in flight was measured at a third of the throughput (each hand-off turned
     * into a convoy of wake-ups; docs/measurements.md, "2026-12-02: issue 13"), whereas a woken thread
     * on the CPU comes back in microseconds, so the check only fires when it really is held off. The
     * draw, not a time read, is what the fast path pays: System.nanoTime costs about 35 ns on the VMs
     * measured, the check (bucket lock, clock read) about 100 ns once per 256 such unlocks.
     *
     * WOKEN in RawRwLock (bit 4 of its word). The same protocol, with WRITER and UPGRADABLE as the
     * bits a successor waits for: an unfair exclusive or upgradable unlock whose wake-up batch
     * holds a writer or an upgradable reader sets WOKEN and hands the batch TOKEN_WOKEN; only that
     * writer or upgradable reader is the successor (the batch's readers ignore the token). It
     * clears WOKEN in the CAS that claims WRITER or UPGRADABLE, or in the one that sets PARKED to
     * park again; if its validate then fails, it retries awake. Every thread parked on lane 0 waits
     * for WRITER or UPGRADABLE to clear, so a skipped wake-up is made up by the successor exactly
     * as above: if it acquires, its own unlock sees WOKEN clear; if it parks again, its clearing
     * CAS came first and the next unlock sees WOKEN clear. Fair unlocks, downgrades and a timed-out
     * writer's give-back wake regardless of WOKEN (with TOKEN_NORMAL or TOKEN_HANDOFF); eventual
     * fairness while WOKEN is set is checked as above (RwLockWakes.releasesWithoutWake draws, the
     * exclusive and upgradable slow paths ask about lane 0 and hand over if it is overdue).
     *
     * Orderings. Acquisition is an acquire CAS; release is a release CAS or a release RMW inside the
     * unpark callback. A handed-over lock is never free: the woken thread's acquire of the parker
     * state (ParkingLot: release in unparkLock, acquire when the park ends) orders everything the
     * previous owner did before it. PARKED and WOKEN changes use volatile RMWs or ride in the acquire
     * and release CASes; their ordering does not matter for mutual exclusion: they only steer who takes
     * the slow path, and every decision to sleep is re-validated under the bucket lock. What matters
     * for wake-ups is atomicity: WOKEN is cleared in the same CAS that reads LOCKED set, so the
     * holder's release (a CAS or RMW on the same word) comes after it and sees it.
     *
     * Exceptions: the callbacks here do not throw. OutOfMemoryError while parking (allocating the
     * wait node) propagates with the PARKED bit possibly set and nobody queued: that is the "about to
     * park" state, resolved by the next unlock's slow path. A condvar waiter whose beforeSleep (the
     * mutex release) throws after this lock's unlock chose it passes the token on through the parking
     * lot's forfeit callback (Condvar.Waiter.forfeit: it takes the lock as the token says and releases
     * it), so a hand-off or the WOKEN role is never lost to an exception.
     *
     * Allocation. A park allocates its WaitNode and nothing else here: the park callbacks are one
     * shared object per algorithm (they find the word through the key). A slow unlock allocates its
     * unpark callback (Release), because the parking lot's unpark callbacks receive no key. The node
     * stays per park on purpose: caching one per thread would cost a ThreadLocal lookup per park (about
     * what a young-generation allocation costs) and keep a node alive for every virtual thread that ever
     * waited, and a fresh node makes a late phase-two unpark of an earlier wait harmless.
     *
     * JFR. lockSlow is the only place the mutexes emit events (JfrLockEvents: ContendedAcquisition
     * and LongHold), so a Condvar waiter's re-acquisition is covered too: LockEvents.start at entry,
     * beforePark/afterPark around each park, LockEvents.end with the result. Disabled, that is a
     * static test and a volatile read per slow path and a null test per park (LockEvents, "Cost when
     * disabled"); enabled, one record per slow path. Fast paths and unlocks are untouched.
     */

    /** The lock is held. */
    static final int LOCKED = 1;
    /** A thread is parked (or about to park) on the key; cleared only under the key's bucket lock. */
    static final int PARKED = 2;
    /** A woken waiter is in flight: an unfair unlock need not wake another one. */
    static final int WOKEN = 4;
    /** Every bit of the mutex. */
    static final int MUTEX_BITS = LOCKED | PARKED | WOKEN;

    /** Unpark token: not woken by this lock's unlock (a condvar wake); the thread competes for the lock. */
    static final long TOKEN_NORMAL = 0L;
    /** Unpark token: the lock was handed over; the woken thread owns it. */
    static final long TOKEN_HANDOFF = 1L;
    /** Unpark token: the lock was released and WOKEN set; the woken thread competes and must clear WOKEN. */
    static final long TOKEN_WOKEN = 2L;

    /**
     * Back-off steps of a thread that finds the lock held and nobody parked: one step, 2 pause hints,
     * then a last look at the word, then park (parking_lot spins 3 pause bursts and 7 yields). A
     * spinning waiter keeps reading the word the holder keeps re-taking, pulling its cache line away
     * from the holder; a parked waiter lets the holder run a batch of acquisitions from its own cache,
     * at the price of one wake-up per batch (the WOKEN bit keeps that to one in flight). No
     * {@code Thread.yield()} phase: with more threads than cores a yield hands the core to another
     * contender. {@link RawRwLock} uses the same steps, except that a writer waiting for readers to
     * leave does not spin ({@link RwLockWaits#READER_DRAIN_SPIN_STEPS}). The settings tried and their
     * figures: docs/measurements.md, "Tuning history moved out of the javadoc".
     */
    static final int SPIN_STEPS = 1;
    /** Back-off steps of the woken successor before it parks again: one step, 2 pause hints. */
    static final int WOKEN_SPIN_STEPS = 1;
    /**
     * How long the woken successor may stay away before an unfair unlock that skips the wake-up hands
     * the lock to the queue's oldest thread instead (if the fair timer has fired too): 1 ms, twice the
     * timer's mean period. See "Eventual fairness while WOKEN is set".
     */
    static final long WOKEN_AWAY_NANOS = 1_000_000L;
    /**
     * One unlock in this many (a power of two), among those that skip the wake-up because a woken
     * successor is in flight, asks the parking lot whether a fair hand-off is overdue.
     */
    static final int FAIRNESS_CHECK_ODDS = 256;
    /** lockSlow option: the caller received {@link #TOKEN_WOKEN} and must clear WOKEN. */
    static final int AS_WOKEN = 1;
    /**
     * lockSlow option: the lock's unlocks are fair, so spin as parking_lot does ({@link SpinWait}: pause
     * bursts, then {@code Thread.yield()}). A fair unlock hands the lock to a parked thread, which costs
     * a wake-up per hand-off; a thread that stays awake longer keeps the queue empty and the lock
     * moving among running threads without overtaking anyone queued (measured: docs/measurements.md,
     * "Tuning history moved out of the javadoc").
     */
    static final int FAIR_SPIN = 2;
    /** Spinning is pointless when the lock holder cannot run at the same time. */
    private static final boolean MULTIPROCESSOR = Runtime.getRuntime().availableProcessors() > 1;

    /** lockSlow result: the lock was acquired. */
    static final int ACQUIRED = 0;
    /** lockSlow result: the timeout elapsed. */
    static final int TIMED_OUT = 1;
    /** lockSlow result: the thread was interrupted (interrupt status still set). */
    static final int INTERRUPTED = 2;

    // ---------------------------------------------------------------------------------------------
    // storage

    /**
     * Volatile read of the word.
     *
     * @param holder the object holding the word
     * @param index  which word of the holder (0 for a field)
     * @return the word
     */
    abstract int load(Object holder, long index);

    /**
     * Weak CAS with acquire semantics (may fail spuriously).
     *
     * @return whether the word was {@code expect} and is now {@code update}
     */
    abstract boolean weakCasAcquire(Object holder, long index, int expect, int update);

    /**
     * Strong CAS with release semantics.
     *
     * @return whether the word was {@code expect} and is now {@code update}
     */
    abstract boolean casRelease(Object holder, long index, int expect, int update);

    /**
     * Volatile CAS (acquire and release).
     *
     * @return whether the word was {@code expect} and is now {@code update}
     */
    abstract boolean cas(Object holder, long index, int expect, int update);

    /**
     * Atomically clears the bits of {@code mask} that are zero, with release semantics.
     *
     * @return the previous word
     */
    abstract int getAndBitwiseAndRelease(Object holder, long index, int mask);

    /**
     * Atomically sets {@code bits} (volatile).
     *
     * @return the previous word
     */
    abstract int getAndBitwiseOr(Object holder, long index, int bits);

    // ---------------------------------------------------------------------------------------------
    // operations

    /**
     * One attempt to take the lock, barging even if threads are parked.
     *
     * @return {@code true} if acquired
     */
    final boolean tryLock(Object holder, long index) {
        int s = load(holder, index);
        while ((s & LOCKED) == 0) {
            if (weakCasAcquire(holder, index, s, s | LOCKED)) {
                return true;
            }
            s = load(holder, index);
        }
        return false;
    }

    /**
     * Whether the lock is held; a snapshot.
     *
     * @return {@code true} if LOCKED is set
     */
    final boolean isLocked(Object holder, long index) {
        return (load(holder, index) & LOCKED) != 0;
    }

    /**
     * Re-takes the lock after a condition wait as the wake-up's token says (see
     * {@link CondvarLock#reacquireAfterWait}): {@link #TOKEN_HANDOFF}, the unlocker kept LOCKED set for
     * this thread, so nothing is left to do; {@link #TOKEN_WOKEN}, this thread is the lock's woken
     * successor and must clear WOKEN as it acquires; anything else, a plain uninterruptible acquisition.
     *
     * @param unparkToken the token the wait was woken with
     * @param options     {@link #FAIR_SPIN} for a lock whose unlocks are fair, else 0
     */
    final void relockAfterWait(Object holder, long index, long unparkToken, int options) {
        if (unparkToken == TOKEN_HANDOFF) {
            return;
        }
        if (unparkToken == TOKEN_WOKEN) {
            lockSlow(holder, index, ParkingLot.FOREVER, false, AS_WOKEN | options);
        } else if (!tryLock(holder, index)) {
            lockSlow(holder, index, ParkingLot.FOREVER, false, options);
        }
    }

    /**
     * The slow path of acquisition.
     *
     * @param timeoutNanos  the most to wait ({@link ParkingLot#FOREVER}: no limit)
     * @param interruptible whether an interrupt ends the wait
     * @return {@link #ACQUIRED}, {@link #TIMED_OUT} or {@link #INTERRUPTED}
     */
    final int lockSlow(Object holder, long index, long timeoutNanos, boolean interruptible) {
        return lockSlow(holder, index, timeoutNanos, interruptible, 0);
    }

    /**
     * The slow path of acquisition, with options.
     *
     * @param timeoutNanos  the most to wait ({@link ParkingLot#FOREVER}: no limit)
     * @param interruptible whether an interrupt ends the wait
     * @param options       {@link #AS_WOKEN} for a thread woken with {@link #TOKEN_WOKEN} elsewhere (a
     *                      condvar waiter requeued onto this lock's queue), {@link #FAIR_SPIN} for a
     *                      lock whose unlocks are fair; 0 for neither
     * @return {@link #ACQUIRED}, {@link #TIMED_OUT} or {@link #INTERRUPTED}
     */
    final int lockSlow(Object holder, long index, long timeoutNanos, boolean interruptible, int options) {
        Object wait = LockEvents.start(LockEvents.EXCLUSIVE); // JFR: null unless an event is enabled
        int result = waitForLock(holder, index, timeoutNanos, interruptible, options, wait);
        return LockEvents.end(wait, holder, index, result);
    }

    /** The loop of {@link #lockSlow(Object, long, long, boolean, int)}; {@code wait}: its JFR record or null. */
    private int waitForLock(Object holder, long index, long timeoutNanos, boolean interruptible, int options,
                            Object wait) {
        boolean timed = timeoutNanos != ParkingLot.FOREVER;
        long deadline = timed ? Timeouts.deadline(timeoutNanos) : 0L;
        boolean woken = (options & AS_WOKEN) != 0;
        SpinWait yieldingSpin = (options & FAIR_SPIN) != 0 ? new SpinWait() : null;
        int spins = 0;
        int s = load(holder, index);
        for (;;) {
            // Grab the lock if it is free, even if there is a queue; the woken thread clears WOKEN.
            if ((s & LOCKED) == 0) {
                int update = woken ? (s | LOCKED) & ~WOKEN : s | LOCKED;
                if (weakCasAcquire(holder, index, s, update)) {
                    return ACQUIRED;
                }
                s = load(holder, index);
                continue;
            }
            // Spin a little while nobody is parked, or while we are the woken successor (unlocks do not
            // wake anyone else meanwhile): the holder may release soon.
            if (((s & PARKED) == 0 || woken)
                    && (yieldingSpin != null ? yieldingSpin.spin() : backOff(spins++, woken ? WOKEN_SPIN_STEPS : SPIN_STEPS))) {
                s = load(holder, index);
                continue;
            }
            // Announce that we are about to park (the woken thread also stops being the successor).
            int update = woken ? (s | PARKED) & ~WOKEN : s | PARKED;
            if (update != s && !cas(holder, index, s, update)) {
                s = load(holder, index);
                continue;
            }
            woken = false;
            long remaining = Timeouts.remainingOrForever(timed, deadline);
            LockEvents.beforePark(wait, holder);
            ParkResult result = ParkingLot.park(holder, index, parking, ParkingLot.DEFAULT_PARK_TOKEN, remaining,
                    interruptible);
            LockEvents.afterPark(wait, holder, result);
            ParkResult.Kind kind = result.kind();
            if (kind == ParkResult.Kind.UNPARKED) {
                long token = result.unparkToken();
                if (token == TOKEN_HANDOFF) {
                    return ACQUIRED; // the unlocker kept LOCKED set for us
                }
                woken = token == TOKEN_WOKEN;
            } else if (kind == ParkResult.Kind.TIMED_OUT) {
                return TIMED_OUT;
            } else if (kind == ParkResult.Kind.INTERRUPTED) {
                return INTERRUPTED;
            } // INVALID: the word changed before we queued; look again
            spins = 0;
            if (yieldingSpin != null) {
                yieldingSpin.reset();
            }
            s = load(holder, index);
        }
    }

    /**
     * The slow path of release: wakes one waiter, handing the lock over if {@code forceFair} or the
     * bucket's fair timeout says so. The caller holds the lock.
     */
    final void unlockSlow(Object holder, long index, boolean forceFair) {
        ParkingLot.unparkOne(holder, index, new Release(this, holder, index, forceFair));
    }

    /** Under the bucket lock: decides between handing over and releasing. */
    private long unparkCallback(Object holder, long index, boolean forceFair, UnparkResult result) {
        if (result.unparkedThreads() != 0 && (forceFair || result.beFair())) {
            // Hand over: LOCKED stays set; the woken thread owns the lock when its park returns.
            if (!result.haveMoreThreads()) {
                getAndBitwiseAndRelease(holder, index, ~PARKED);
            }
            return TOKEN_HANDOFF;
        }
        if (result.unparkedThreads() == 0) {
            // Nobody queued (a parker gave up): release and clear the stale PARKED.
            getAndBitwiseAndRelease(holder, index, ~(LOCKED | PARKED));
            return TOKEN_NORMAL;
        }
        // Release and name the woken thread the successor in flight; PARKED stays set iff threads
        // remain queued. A CAS loop, as other threads may change the word meanwhile (parkers setting
        // PARKED, a woken thread clearing WOKEN, foreign bits).
        int s = load(holder, index);
        for (;;) {
            int update = (s & ~LOCKED) | WOKEN;
            if (!result.haveMoreThreads()) {
                update &= ~PARKED;
            }
            if (casRelease(holder, index, s, update)) {
                return TOKEN_WOKEN;
            }
            s = load(holder, index);
        }
    }

    /**
     * Whether an unfair unlock of a word in state {@code s} is a plain release: the lock is held, and
     * either nobody is parked, or a woken waiter is already in flight and this unlock is not the one in
     * {@link #FAIRNESS_CHECK_ODDS} drawn to ask whether the queue is overdue for a fair hand-off (see
     * "Eventual fairness while WOKEN is set"). The unfair fast paths of words that are not all this
     * package's (FieldMutex, MutexArray, {@link #release}) test this, then try one release CAS, and call
     * {@link #unlock} if either says no; RawMutex and ReentrantMutex count instead ({@link #countedRelease}).
     *
     * @param s a value of the word
     * @return {@code true} if clearing LOCKED with a release CAS is the whole unlock
     */
    static boolean releasesWithoutWake(int s) {
        int waiters = s & (PARKED | WOKEN);
        return (s & LOCKED) != 0
                && (waiters != PARKED && (waiters != (PARKED | WOKEN) || !fairnessCheckDrawn()));
    }

    /**
     * One unit of the count of skipped wake-ups kept in the top byte of words whose every bit is this
     * package's (RawMutex, RawFairMutex, ReentrantMutex): see {@link #countedRelease}.
     */
    static final int SKIPPED_WAKE_ONE = 1 << 24;
    /** The top byte: the count of unlocks that skipped a wake-up, modulo 256. */
    static final int SKIPPED_WAKE_MASK = 0xFF << 24;
    /** {@link #countedRelease}: no one-CAS release applies; call {@link #unlock}. */
    static final int RELEASE_SLOW = -1;

    /**
     * The one-CAS unfair release of a word whose top byte counts the unlocks that skipped a wake-up
     * because a woken successor was in flight: the counting form of {@link #releasesWithoutWake}, which
     * draws a random number instead. The count rides in the release CAS, so it costs the fast path
     * nothing; every 256th such unlock (the count wrapping to 0) asks about fairness. Other algorithm
     * paths keep the byte as they keep every bit they do not own.
     *
     * @param s a value of the word
     * @return the word to CAS {@code s} to: with LOCKED clear, the whole release; with LOCKED still set,
     *         a count step after which the caller calls {@link #unlock} (which asks whether the queue is
     *         overdue); or {@link #RELEASE_SLOW} if no one-CAS release applies (waiters to wake, or not
     *         locked)
     */
    static int countedRelease(int s) {
        int waiters = s & (PARKED | WOKEN);
        if ((s & LOCKED) == 0 || waiters == PARKED) {
            return RELEASE_SLOW;
        }
        if (waiters != (PARKED | WOKEN)) {
            return s & ~LOCKED;
        }
        int next = s + SKIPPED_WAKE_ONE; // wraps within the top byte: the carry leaves the int
        return (next & SKIPPED_WAKE_MASK) != 0 ? next & ~LOCKED : next;
    }

    /**
     * The unfair unlock with its fast path, for callers that have none of their own: a release CAS
     * when {@link #releasesWithoutWake} says so, else {@link #unlock}.
     *
     * @throws IllegalMonitorStateException if the lock is not held (state unchanged)
     */
    final void release(Object holder, long index) {
        int s = load(holder, index);
        if (!releasesWithoutWake(s) || !casRelease(holder, index, s, s & ~LOCKED)) {
            unlock(holder, index, false);
        }
    }

    /**
     * Release after the caller's fast path said no: a release CAS clearing LOCKED (other bits kept)
     * when nobody is parked, else the slow path, which wakes one waiter or hands the lock over. With a
     * woken waiter already in flight an unfair unlock wakes nobody; it first asks the parking lot
     * whether the queue is overdue for a fair hand-off, and hands the lock to its oldest thread if so
     * (see "Eventual fairness while WOKEN is set"; the fast paths send one such unlock in
     * {@link #FAIRNESS_CHECK_ODDS} here).
     *
     * @throws IllegalMonitorStateException if the lock is not held (state unchanged)
     */
    final void unlock(Object holder, long index, boolean fair) {
        int s = load(holder, index);
        boolean asked = false;
        for (;;) {
            if ((s & LOCKED) == 0) {
                throw new IllegalMonitorStateException("mutex is not locked");
            }
            if ((s & PARKED) != 0) {
                if (fair || (s & WOKEN) == 0) {
                    unlockSlow(holder, index, fair);
                    return;
                }
                if (!asked) {
                    asked = true;
                    if (ParkingLot.fairnessOverdue(holder, index, WOKEN_AWAY_NANOS)) {
                        unlockSlow(holder, index, true);
                        return;
                    }
                    s = load(holder, index);
                    continue;
                }
            }
            if (casRelease(holder, index, s, s & ~LOCKED)) {
                return;
            }
            s = load(holder, index);
        }
    }

    /**
     * Whether this unlock, one of an unfair lock's unlocks skipping the wake-up while a woken successor
     * is in flight, is the one in {@link #FAIRNESS_CHECK_ODDS} that asks the parking lot about
     * fairness: a draw from the thread's own random generator (a few nanoseconds, no shared write).
     * RawRwLock's unlocks draw the same way.
     *
     * @return {@code true} with probability 1 / {@link #FAIRNESS_CHECK_ODDS}
     */
    static boolean fairnessCheckDrawn() {
        return (ThreadLocalRandom.current().nextInt() & (FAIRNESS_CHECK_ODDS - 1)) == 0;
    }

    /**
     * Lets a waiting thread in if there is one (fair unlock), then re-acquires. The caller holds the lock.
     */
    final void bump(Object holder, long index) {
        if ((load(holder, index) & PARKED) != 0) {
            unlockSlow(holder, index, true);
            if (!tryLock(holder, index)) {
                lockSlow(holder, index, ParkingLot.FOREVER, false);
            }
        }
    }

    /**
     * For condition variables, under the condvar's bucket lock: sets PARKED if the lock is held, so the
     * holder's unlock will wake a waiter requeued onto this mutex.
     *
     * @return whether the lock was held (and PARKED is now set)
     */
    final boolean markParkedIfLocked(Object holder, long index) {
        int s = load(holder, index);
        for (;;) {
            if ((s & LOCKED) == 0) {
                return false;
            }
            if ((s & PARKED) != 0 || cas(holder, index, s, s | PARKED)) {
                return true;
            }
            s = load(holder, index);
        }
    }

    /** For condition variables, under the condvar's bucket lock: sets PARKED unconditionally. */
    final void markParked(Object holder, long index) {
        getAndBitwiseOr(holder, index, PARKED);
    }

    /**
     * Spins {@code 2 << step} CPU pause hints, unless {@code step} has reached {@code limit}; the
     * bounded spin of this package's locks.
     *
     * @return {@code false} once the limit is reached: park instead
     */
    static boolean backOff(int step, int limit) {
        if (step >= limit || !MULTIPROCESSOR) {
            return false;
        }
        for (int i = 2 << step; i > 0; i--) {
            Thread.onSpinWait();
        }
        return true;
    }

    /**
     * The park callbacks of every waiter of this algorithm's locks, one object for all: the word is
     * found through the key (holder, index), so a park allocates nothing here.
     */
    private final ParkingLot.ParkCallbacks parking = new Parking(this);

    /**
     * A park's callbacks, shared by every park on words of one algorithm: validate ("LOCKED and PARKED
     * both set") and the timed-out callback. Named classes rather than lambdas: the first slow path in a
     * JVM would otherwise link a lambda call site, which took milliseconds, all of it added to the
     * waiters' wait (docs/measurements.md, "Tuning history moved out of the javadoc").
     */
    private static final class Parking implements ParkingLot.ParkCallbacks {
        private final MutexAlgorithm algorithm;

        Parking(MutexAlgorithm algorithm) {
            this.algorithm = algorithm;
        }

        /** Under the bucket lock: sleep only while the word still says "held, parked". */
        @Override
        public boolean validate(Object holder, long index) {
            return (algorithm.load(holder, index) & (LOCKED | PARKED)) == (LOCKED | PARKED);
        }

        /**
         * Under the bucket lock: the last waiter leaving clears PARKED (the state "locked, no waiters"
         * would otherwise cost every unlock a slow path). A condvar waiter requeued onto the lock runs
         * the condvar's timedOut instead, leaving PARKED set with nobody queued (see PARKED).
         */
        @Override
        public void timedOut(Object holder, long index, boolean wasLastThread) {
            if (wasLastThread) {
                algorithm.getAndBitwiseAndRelease(holder, index, ~PARKED);
            }
        }
    }

    /**
     * The unpark callback of one slow unlock, bound to the word (holder, index) and the unlock's
     * fairness: the parking lot's unpark callbacks do not receive the key, so this one allocation per
     * slow unlock remains.
     */
    private static final class Release implements ParkingLot.UnparkCallback {
        private final MutexAlgorithm algorithm;
        private final Object holder;
        private final long index;
        /** Hand the lock over whatever the bucket's fair timeout says. */
        private final boolean forceFair;

        Release(MutexAlgorithm algorithm, Object holder, long index, boolean forceFair) {
            this.algorithm = algorithm;
            this.holder = holder;
            this.index = index;
            this.forceFair = forceFair;
        }

        @Override
        public long onUnpark(UnparkResult result) {
            return algorithm.unparkCallback(holder, index, forceFair, result);
        }
    }

    static {
        // Load the slow-path classes now, with the lock class, rather than while threads wait: the
        // first contended unlock in a JVM otherwise paid for loading them (AbstractQueuedSynchronizer
        // preloads LockSupport for the same reason, JDK-8074773).
        Class<?> ensureLoaded = Release.class;
        // Likewise the JFR gate (LockEvents, JfrLockEvents, jdk.jfr.FlightRecorder: about a millisecond),
        // which the first slow path would otherwise link while its thread waits. The event classes stay
        // unloaded until a recorder exists (JfrLockEvents, "Initialization cost").
        LockEvents.available();
    }
}
