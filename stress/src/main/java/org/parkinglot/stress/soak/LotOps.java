package org.parkinglot.stress.soak;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.parkinglot.core.FilterOp;
import org.parkinglot.core.ParkResult;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.core.UnparkResult;
import org.parkinglot.stress.soak.Tally.Primitive;

/**
 * The raw parking lot's part of the soak: mailboxes (a count of units guarded by the key's bucket lock;
 * give = {@code unparkOne} or {@code unparkFilter} handing a unit straight to a parked taker, take =
 * {@code park} whose validate takes a stored unit), with callbacks that throw at random; and futex words
 * ({@code compareAndPark} against "increment, then {@code unparkAll}"). Keys share objects and differ by
 * lane.
 *
 * <p>Half the takes park with one {@link ParkingLot.ParkCallbacks} object, whose {@code beforeSleep}
 * throws at random ({@link SleepRefused}); a unit handed to such a taker before it threw reaches its
 * {@code forfeit}, which passes it on exactly as a give would (to a queued taker, or into the store), so
 * {@code units given = taken from store + handed over + left} still holds and
 * {@code hand-offs decided = handed over + forfeited}: a hand-off that {@code park} swallowed breaks both.
 * At random, {@code validate} and {@code timedOut} also call the lot ({@code queueLength}) under the
 * bucket lock and must be refused with {@link IllegalStateException}; the callback catches it and goes on.
 */
final class LotOps extends Checks {

    /** The mailbox token meaning "you were handed a unit". */
    static final long HANDOFF = 7L;

    LotOps(Tally tally) {
        super(tally);
    }

    // ---------------------------------------------------------------------------------------------
    // the raw parking lot: mailboxes

    /**
     * Units given and taken through one key: {@code available} is touched only inside this key's
     * callbacks, so only under its bucket lock. A give hands its unit straight to a parked taker if there
     * is one (token {@link #HANDOFF}) and stores it otherwise; so a unit is stored only while nobody is
     * queued, and a taker that leaves by timeout must never find one stored (its timedOut callback checks).
     */
    static final class Mailbox {
        final String name;
        final Object key;
        final long lane;
        long available; // guarded by the bucket lock of (key, lane)
        final LongAdder given = new LongAdder();
        final LongAdder handed = new LongAdder(); // given straight to a parked taker
        final LongAdder takenStored = new LongAdder();
        final LongAdder takenHanded = new LongAdder();
        final LongAdder forfeited = new LongAdder(); // hand-offs a taker forfeited and passed on

        Mailbox(String name, Object key, long lane) {
            this.name = name;
            this.key = key;
            this.lane = lane;
        }
    }

    private final Object sharedKey = new Object();
    private final List<Mailbox> mailboxes = List.of(new Mailbox("mailbox(k,0)", sharedKey, 0),
            new Mailbox("mailbox(k,1)", sharedKey, 1), new Mailbox("mailbox(k2,0)", new Object(), 0));

    void mailboxOp(Worker w) {
        Mailbox mb = mailboxes.get(w.rnd.nextInt(mailboxes.size()));
        tally.op(Primitive.PARKING_LOT);
        // Takes outnumber the units given, so the box is mostly empty and takers park.
        int r = w.rnd.nextInt(10);
        if (r < 3) {
            give(w, mb, w.rnd.nextInt(40) == 0);
        } else if (r < 4) {
            giveMany(w, mb);
        } else {
            take(w, mb);
        }
    }

    /** One unit through unparkOne; if {@code fail}, the callback throws first and the give is redone. */
    void give(Worker w, Mailbox mb, boolean fail) {
        boolean[] throwNow = {fail};
        ParkingLot.UnparkCallback cb = result -> {
            if (throwNow[0]) {
                throw new Thrown("an unparkOne callback");
            }
            if (result.unparkedThreads() == 0) {
                mb.available++;
            }
            return HANDOFF;
        };
        UnparkResult result;
        try {
            result = ParkingLot.unparkOne(mb.key, mb.lane, cb);
        } catch (Thrown expected) {
            tally.callbackThrows.increment();
            throwNow[0] = false;
            result = ParkingLot.unparkOne(mb.key, mb.lane, cb); // the key must still work
        }
        mb.given.increment();
        if (result.unparkedThreads() == 1) {
            mb.handed.increment();
            tally.handOffs.increment();
        }
    }

    /**
     * Passes on a unit a taker was handed but forfeited: like a give, to a queued taker if there is one,
     * else into the store; not a new unit, so {@code given} is unchanged.
     */
    private void passOn(Mailbox mb) {
        UnparkResult result = ParkingLot.unparkOne(mb.key, mb.lane, new StoreIfNoTaker(mb));
        mb.forfeited.increment();
        tally.forfeitsPassedOn.increment();
        if (result.unparkedThreads() == 1) {
            mb.handed.increment();
            tally.handOffs.increment();
        }
    }

    /** The unpark callback of {@link #passOn}: stores the unit if nobody was woken. */
    private record StoreIfNoTaker(Mailbox mb) implements ParkingLot.UnparkCallback {
        @Override
        public long onUnpark(UnparkResult result) {
            if (result.unparkedThreads() == 0) {
                mb.available++;
            }
            return HANDOFF;
        }
    }

    /** Thrown on purpose from a take's {@code beforeSleep}. */
    static final class SleepRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SleepRefused() {
            super("thrown on purpose from a park beforeSleep", null, false, false);
        }
    }

    /**
     * From a callback that runs under the bucket lock of (key, lane): calls the lot, which must refuse.
     *
     * @return whether the call threw {@link IllegalStateException}
     */
    static boolean reenterRefused(Object key, long lane) {
        try {
            ParkingLot.queueLength(key, lane);
            return false;
        } catch (IllegalStateException expected) {
            return true;
        }
    }

    /** One to three units through unparkFilter (wake up to n takers, store the rest); filter or callback may throw. */
    private void giveMany(Worker w, Mailbox mb) {
        int n = 1 + w.rnd.nextInt(3);
        int failAt = w.rnd.nextInt(40); // 0: filter throws, 1: callback throws
        int[] selected = {0};
        ParkingLot.ParkTokenFilter filter = token -> {
            if (failAt == 0) {
                throw new Thrown("an unparkFilter filter");
            }
            return selected[0]++ < n ? FilterOp.UNPARK : FilterOp.STOP;
        };
        ParkingLot.UnparkCallback cb = result -> {
            if (failAt == 1) {
                throw new Thrown("an unparkFilter callback");
            }
            mb.available += n - result.unparkedThreads();
            return HANDOFF;
        };
        UnparkResult result;
        try {
            result = ParkingLot.unparkFilter(mb.key, mb.lane, filter, cb);
        } catch (Thrown expected) {
            tally.callbackThrows.increment();
            give(w, mb, false); // the key must still work
            return;
        }
        mb.given.add(n);
        mb.handed.add(result.unparkedThreads());
        tally.handOffs.add(result.unparkedThreads());
    }

    /**
     * The callbacks of one take, for either park form: separate callbacks ({@code getAsBoolean},
     * {@code onTimedOut}) or one {@link ParkingLot.ParkCallbacks} (which adds a {@code beforeSleep} that
     * may throw and a {@code forfeit} that passes a handed unit on).
     */
    private static final class Take implements BooleanSupplier, ParkingLot.TimedOutCallback, ParkingLot.ParkCallbacks {
        final LotOps ops;
        final Mailbox mb;
        final boolean throwInValidate;
        final boolean throwInTimedOut;
        final boolean throwInBeforeSleep;
        final boolean reenterInValidate;
        final boolean reenterInTimedOut;
        boolean took; // set under the bucket lock, read by the same thread after park
        long storedWhileQueued; // ditto
        int reentries; // ditto
        int refused; // ditto
        boolean forfeitCalled; // set by forfeit, in this thread
        long forfeitedToken; // ditto

        Take(LotOps ops, Mailbox mb, boolean throwInValidate, boolean throwInTimedOut, boolean throwInBeforeSleep,
             int reenter) {
            this.ops = ops;
            this.mb = mb;
            this.throwInValidate = throwInValidate;
            this.throwInTimedOut = throwInTimedOut;
            this.throwInBeforeSleep = throwInBeforeSleep;
            this.reenterInValidate = reenter == 0;
            this.reenterInTimedOut = reenter == 1;
        }

        @Override
        public boolean validate(Object key, long lane) {
            return getAsBoolean();
        }

        @Override
        public void timedOut(Object key, long lane, boolean wasLastThread) {
            onTimedOut(key, lane, wasLastThread);
        }

        @Override
        public void beforeSleep() {
            if (throwInBeforeSleep) {
                Thread.yield(); // widen the window in which a give can choose this thread
                throw new SleepRefused();
            }
        }

        @Override
        public void forfeit(Object key, long lane, long unparkToken) {
            forfeitCalled = true;
            forfeitedToken = unparkToken;
            ops.passOn(mb); // the token is always HANDOFF; take() checks it
        }

        private void reenter() {
            reentries++;
            if (reenterRefused(mb.key, mb.lane)) {
                refused++;
            }
        }

        @Override
        public boolean getAsBoolean() {
            if (reenterInValidate) {
                reenter();
            }
            if (throwInValidate) {
                throw new Thrown("a park validate");
            }
            if (mb.available > 0) {
                mb.available--;
                took = true;
                return false;
            }
            return true;
        }

        @Override
        public void onTimedOut(Object key, long lane, boolean wasLastThread) {
            storedWhileQueued = mb.available; // 0 when this thread validated; a give stored while it was queued
            if (reenterInTimedOut) {
                reenter();
            }
            if (throwInTimedOut) {
                throw new Thrown("a park timedOut");
            }
        }
    }

    private static final Runnable NOTHING = () -> { };

    /** Counts a take's re-entrant calls: each must have been refused. */
    private void checkReentries(Take take, String what) {
        tally.reentriesRefused.add(take.refused);
        if (take.refused != take.reentries) {
            tally.violation(what + ": " + (take.reentries - take.refused)
                    + " ParkingLot call(s) from a callback under the bucket lock were not refused");
        }
    }

    private void take(Worker w, Mailbox mb) {
        // Half the takes use the one-object form; 1 in 16 of those (1 in 32 takes) throws in beforeSleep.
        // 1 in 128 takes re-enters the lot from validate, another 1 in 128 from timedOut (1 in 64 in all).
        boolean oneObject = w.rnd.nextBoolean();
        Take take = new Take(this, mb, w.rnd.nextInt(40) == 0, w.rnd.nextInt(20) == 0,
                oneObject && w.rnd.nextInt(16) == 0, w.rnd.nextInt(128));
        Wait t = w.rnd.nextInt(16) == 0 ? new Wait(Long.MAX_VALUE, TimeUnit.NANOSECONDS) : notifyWait(w);
        boolean interruptible = w.rnd.nextBoolean();
        boolean self = w.mark();
        String what = mb.name + " park(" + t + (interruptible ? ", interruptible" : "")
                + (oneObject ? ", ParkCallbacks)" : ")");
        long t0 = System.nanoTime();
        ParkResult r;
        try {
            r = oneObject ? ParkingLot.park(mb.key, mb.lane, take, w.id, t.nanos(), interruptible)
                    : ParkingLot.park(mb.key, mb.lane, take, NOTHING, take, w.id, t.nanos(), interruptible);
        } catch (SleepRefused expected) {
            tally.beforeSleepThrows.increment();
            checkReentries(take, what);
            for (Throwable second : expected.getSuppressed()) { // from timedOut (on purpose) or forfeit
                if (second instanceof Thrown) {
                    tally.callbackThrows.increment();
                } else {
                    tally.violation(what + ": after a throwing beforeSleep, " + second);
                }
            }
            if (take.forfeitCalled && take.forfeitedToken != HANDOFF) {
                tally.violation(what + ": forfeit got token " + take.forfeitedToken + ", not " + HANDOFF);
            }
            if (take.storedWhileQueued != 0) {
                tally.lostWakeUp(what + ": left after a throwing beforeSleep with " + take.storedWhileQueued
                        + " unit(s) stored while it was queued");
            }
            return;
        } catch (Thrown expected) {
            checkReentries(take, what);
            tally.callbackThrows.increment();
            if (take.storedWhileQueued != 0) {
                tally.lostWakeUp(what + ": left by timeout or interrupt with " + take.storedWhileQueued
                        + " unit(s) stored while it was queued");
            }
            // The key must still work: a zero-timeout take that does not throw.
            Take again = new Take(this, mb, false, false, false, -1);
            ParkResult r2 = ParkingLot.park(mb.key, mb.lane, again, NOTHING, again, w.id, 0L, false);
            if (r2 == ParkResult.INVALID && again.took) {
                mb.takenStored.increment();
            } else if (r2 != ParkResult.TIMED_OUT) {
                tally.violation(mb.name + ": zero-timeout park after a throwing callback returned " + r2);
            }
            return;
        }
        long elapsed = System.nanoTime() - t0;
        checkReentries(take, what);
        if (take.forfeitCalled) {
            tally.violation(what + " returned " + r + " after forfeiting token " + take.forfeitedToken);
        }
        switch (r.kind()) {
            case INVALID -> {
                if (take.took) {
                    mb.takenStored.increment();
                } else {
                    tally.violation(what + " returned INVALID although validate said park");
                }
                checkKept(w, what);
            }
            case UNPARKED -> {
                if (r.unparkToken() == HANDOFF) {
                    mb.takenHanded.increment();
                } else {
                    tally.violation(what + " returned " + r + ", not the hand-off token " + HANDOFF);
                }
                checkKept(w, what); // park never clears the interrupt status
            }
            case TIMED_OUT -> {
                checkTimedOut(what, t, elapsed);
                if (self && interruptible) {
                    tally.violation(what + " timed out although an interrupt was pending on entry");
                }
                if (take.storedWhileQueued != 0) {
                    tally.lostWakeUp(what + ": timed out with " + take.storedWhileQueued
                            + " unit(s) stored while it was queued");
                }
                checkKept(w, what);
            }
            case INTERRUPTED -> {
                if (!interruptible) {
                    tally.violation(what + " returned INTERRUPTED from an uninterruptible park");
                } else if (!Thread.currentThread().isInterrupted()) {
                    tally.violation(what + " returned INTERRUPTED without the interrupt status set");
                } else if (!w.interruptedSinceMark()) {
                    tally.violation(what + " returned INTERRUPTED without an interrupt");
                } else {
                    tally.interruptsHonoured.increment();
                }
                if (take.storedWhileQueued != 0) {
                    tally.lostWakeUp(what + ": interrupted with " + take.storedWhileQueued
                            + " unit(s) stored while it was queued");
                }
            }
            default -> throw new AssertionError(r);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // the raw parking lot: futex words

    /** A futex word: waiters park while it holds the value they read; a waker increments it, then unparks all. */
    static final class Futex {
        final String name;
        final Object key;
        final long lane;
        final AtomicInteger word = new AtomicInteger();
        /** Per woken value: when the unparkAll after the increment to it returned. */
        final AtomicReferenceArray<long[]> woken = new AtomicReferenceArray<>(RING);

        Futex(String name, Object key, long lane) {
            this.name = name;
            this.key = key;
            this.lane = lane;
        }
    }

    private final Object[] futexKeys = new Object[1];
    private final List<Futex> futexes = List.of(new Futex("futex(a,0)", futexKeys, 0), new Futex("futex(a,5)", futexKeys, 5),
            new Futex("futex(k,2)", sharedKey, 2));

    void futexOp(Worker w) {
        Futex f = futexes.get(w.rnd.nextInt(futexes.size()));
        tally.op(Primitive.PARKING_LOT);
        if (w.rnd.nextInt(5) < 2) {
            wake(f);
            return;
        }
        int v = f.word.get();
        Wait t = notifyWait(w);
        boolean interruptible = w.rnd.nextBoolean();
        boolean self = w.mark();
        String what = f.name + " compareAndPark(" + t + (interruptible ? ", interruptible)" : ")");
        long t0 = System.nanoTime();
        ParkResult r = ParkingLot.compareAndPark(f.key, f.lane, f.word::get, v, t.nanos(), interruptible);
        long elapsed = System.nanoTime() - t0;
        switch (r.kind()) {
            case INVALID -> {
                if (f.word.get() == v) {
                    tally.violation(what + " returned INVALID while the word still held " + v);
                }
            }
            case UNPARKED -> {
                // woken by an increment (this one or an earlier one whose unparkAll came late): nothing to check
            }
            case TIMED_OUT -> {
                checkTimedOut(what, t, elapsed);
                if (self && interruptible) {
                    tally.violation(what + " timed out although an interrupt was pending on entry");
                }
                long[] rec = f.woken.get((v + 1) & (RING - 1));
                if (rec != null && rec[0] == v + 1 && rec[1] - (t0 + t.nanos()) < 0) {
                    tally.lostWakeUp(what + " timed out although the unparkAll after the increment to " + (v + 1)
                            + " returned " + (t0 + t.nanos() - rec[1]) + " ns before its deadline");
                }
            }
            case INTERRUPTED -> {
                if (!interruptible || !Thread.currentThread().isInterrupted() || !w.interruptedSinceMark()) {
                    tally.violation(what + " returned INTERRUPTED wrongly (interruptible " + interruptible + ")");
                } else {
                    tally.interruptsHonoured.increment();
                }
            }
            default -> throw new AssertionError(r);
        }
        if (r.kind() != ParkResult.Kind.INTERRUPTED) {
            checkKept(w, what); // park never clears the interrupt status
        }
    }

    private static void wake(Futex f) {
        int nv = f.word.incrementAndGet();
        ParkingLot.unparkAll(f.key, f.lane, ParkingLot.DEFAULT_UNPARK_TOKEN);
        f.woken.set(nv & (RING - 1), new long[] {nv, System.nanoTime()});
    }

    // ---------------------------------------------------------------------------------------------
    // shutdown and final accounting

    /** While the workers wind down: gives a unit to every mailbox with a queued taker, bumps every futex word. */
    void release(Worker closer) {
        for (Mailbox mb : mailboxes) {
            if (ParkingLot.queueLength(mb.key, mb.lane) > 0) {
                give(closer, mb, false);
            }
        }
        for (Futex f : futexes) {
            wake(f);
        }
    }

    /**
     * After every worker has stopped: every unit given was taken or is still stored, and every hand-off
     * reached a taker or was forfeited and passed on.
     *
     * @return one line describing the accounting
     */
    String checkQuiescent() {
        long given = 0;
        long handed = 0;
        long takenStored = 0;
        long takenHanded = 0;
        long forfeited = 0;
        long left = 0;
        for (Mailbox mb : mailboxes) {
            long stored;
            long[] box = new long[1];
            // Read available under the key's bucket lock: a validate that always refuses runs there.
            ParkingLot.park(mb.key, mb.lane, () -> {
                box[0] = mb.available;
                return false;
            }, NOTHING, (k, l, last) -> { }, 0L, 0L, false);
            stored = box[0];
            long g = mb.given.sum();
            long ts = mb.takenStored.sum();
            long th = mb.takenHanded.sum();
            long ff = mb.forfeited.sum();
            if (g != ts + th + stored || mb.handed.sum() != th + ff) {
                tally.violation(mb.name + ": given " + g + " != taken from store " + ts + " + handed over " + th
                        + " + left " + stored + ", or hand-offs decided " + mb.handed.sum() + " != handed over "
                        + th + " + forfeited and passed on " + ff);
            }
            given += g;
            handed += mb.handed.sum();
            takenStored += ts;
            takenHanded += th;
            forfeited += ff;
            left += stored;
        }
        return String.format(Locale.ROOT,
                "units given %,d = taken from store %,d + handed to a parked taker %,d + left %,d;"
                        + " hand-offs decided %,d = handed %,d + forfeited and passed on %,d",
                given, takenStored, takenHanded, left, handed, takenHanded, forfeited);
    }

    /** The queues of every key, for the hung-thread report. */
    void describe(List<String> lines) {
        for (Mailbox mb : mailboxes) {
            lines.add(mb.name + ": queued " + ParkingLot.queueLength(mb.key, mb.lane));
        }
        for (Futex f : futexes) {
            lines.add(f.name + ": word " + f.word.get() + ", queued " + ParkingLot.queueLength(f.key, f.lane));
        }
    }
}
