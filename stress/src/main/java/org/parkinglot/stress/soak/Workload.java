package org.parkinglot.stress.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import org.parkinglot.core.FilterOp;
import org.parkinglot.core.ParkResult;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.core.UnparkResult;
import org.parkinglot.locks.Condvar;
import org.parkinglot.locks.RawFairMutex;
import org.parkinglot.locks.RawMutex;
import org.parkinglot.locks.RawRwLock;
import org.parkinglot.locks.ReentrantMutex;
import org.parkinglot.stress.soak.Tally.Primitive;

/**
 * The shared primitives and the random operations on them; each {@link #step} runs one operation and
 * checks its invariants. Every primitive exists a few times only, so that workers collide.
 *
 * <ul>
 *   <li>Mutexes (two {@link RawMutex}, a {@link RawFairMutex}, an unfair and a fair {@link ReentrantMutex}):
 *       an occupant counter that must read 1 on entry and a pair of plain fields that must be equal on
 *       entry; {@code bump}, {@code unlockFair}, reentrant holds with {@code getHoldCount}.</li>
 *   <li>Two {@link RawRwLock}s: reader / writer / upgradable counters (readers see no writer, writers see
 *       nobody, at most one upgradable), the plain pair seen equal by readers, every upgrade, downgrade,
 *       bump and recursive read.</li>
 *   <li>Condvars: two gates ({@link Condvar} with a {@link RawMutex} and with a {@link RawFairMutex}) whose
 *       waiters wait for a generation to change, opened with {@code notifyAllWaiters}; and a bounded buffer
 *       on a {@link ReentrantMutex}'s conditions, held twice across the wait.</li>
 *   <li>The raw parking lot: mailboxes (a count of units guarded by the key's bucket lock; give =
 *       {@code unparkOne} or {@code unparkFilter} handing a unit straight to a parked taker, take = {@code park}
 *       whose validate takes a stored unit), callbacks that throw at random; and futex words
 *       ({@code compareAndPark} against "increment, then {@code unparkAll}").</li>
 * </ul>
 *
 * <p>Lost wake-ups are decided from the clock in one direction only: a waiter that timed out left its
 * queue no earlier than its deadline, so a wake-up that had <em>completed</em> (returned) before that
 * deadline, while the waiter was known to be queued, must have found it.
 */
final class Workload {

    /** The longest a condvar or futex waiter waits for its wake-up before giving up (its fallback). */
    static final long FALLBACK_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The mailbox token meaning "you were handed a unit". */
    static final long HANDOFF = 7L;
    private static final int RING = 1024;

    /** Thrown on purpose from parking-lot callbacks. */
    static final class Thrown extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Thrown(String where) {
            super("thrown on purpose from " + where, null, false, false);
        }
    }

    /** A timeout to try: its amount and unit as passed, and in nanoseconds (saturated). */
    record Wait(long amount, TimeUnit unit) {
        long nanos() {
            return unit.toNanos(amount);
        }

        boolean forever() {
            return nanos() == Long.MAX_VALUE;
        }
    }

    private final Tally tally;
    private final SoakOptions.Sabotage sabotage;

    Workload(Tally tally, SoakOptions.Sabotage sabotage) {
        this.tally = tally;
        this.sabotage = sabotage;
    }

    /** Runs one random operation. */
    void step(Worker w) {
        int r = w.rnd.nextInt(100);
        if (r < 30) {
            mutexOp(w);
        } else if (r < 55) {
            rwOp(w);
        } else if (r < 63) {
            gateOp(w);
        } else if (r < 71) {
            bufferOp(w);
        } else if (r < 87) {
            mailboxOp(w);
        } else {
            futexOp(w);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // shared helpers

    /** Timeouts for locks: 0, 1 ns, 1 us to 2 ms, Long.MAX_VALUE ns, Long.MAX_VALUE days. */
    static Wait lockWait(Worker w) {
        return switch (w.rnd.nextInt(6)) {
            case 0 -> new Wait(0, TimeUnit.NANOSECONDS);
            case 1 -> new Wait(1, TimeUnit.NANOSECONDS);
            case 2, 3 -> new Wait(1_000 + w.rnd.nextLong(2_000_000), TimeUnit.NANOSECONDS);
            case 4 -> new Wait(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
            default -> new Wait(Long.MAX_VALUE, TimeUnit.DAYS);
        };
    }

    /**
     * Timeouts for waits that need a notifier: 0 or 1 ns (15% each), 1 us to 2 ms (50%), the fallback (20%).
     * Kept short mostly: a worker waiting for a notify does nothing else meanwhile.
     */
    static Wait notifyWait(Worker w) {
        int r = w.rnd.nextInt(20);
        if (r < 3) {
            return new Wait(0, TimeUnit.NANOSECONDS);
        } else if (r < 6) {
            return new Wait(1, TimeUnit.NANOSECONDS);
        } else if (r < 16) {
            return new Wait(1_000 + w.rnd.nextLong(2_000_000), TimeUnit.NANOSECONDS);
        }
        return new Wait(FALLBACK_NANOS, TimeUnit.NANOSECONDS);
    }

    /** Some work inside a critical section; now and then a yield, so that others queue and park. */
    private static void work(Worker w) {
        if (w.rnd.nextInt(16) == 0) {
            Thread.yield();
        } else {
            for (int i = w.rnd.nextInt(32); i > 0; i--) {
                Thread.onSpinWait();
            }
        }
    }

    /** After an uninterruptible wait started with {@link Worker#mark()}: the status must be set if an interrupt came. */
    private void checkKept(Worker w, String what) {
        if (w.interruptedSinceMark()) {
            if (Thread.currentThread().isInterrupted()) {
                tally.interruptsKept.increment();
            } else {
                tally.violation(what + " lost the interrupt status");
            }
        }
    }

    /** After an InterruptedException: an interrupt must have come, and the status must have been cleared. */
    private void checkThrown(Worker w, String what) {
        switch (w.afterThrow()) {
            case Worker.THROWN_WITHOUT_INTERRUPT -> tally.violation(what + " threw InterruptedException without an interrupt");
            case Worker.THROWN_STATUS_SET -> tally.violation(what + " threw InterruptedException but left the status set");
            default -> tally.interruptsHonoured.increment();
        }
    }

    /** A timed wait that said "timed out". */
    private void checkTimedOut(String what, Wait t, long elapsed) {
        if (t.forever()) {
            tally.violation(what + " with timeout " + t + " returned 'timed out' after " + elapsed + " ns");
        } else if (t.nanos() > 0) {
            tally.timedOut(what, t.nanos(), elapsed);
        }
    }

    /** The four ways to take a lock (in one mode). */
    interface Acquirer {
        void lock();

        void lockInterruptibly() throws InterruptedException;

        boolean tryLock();

        boolean tryLock(long time, TimeUnit unit) throws InterruptedException;

        static Acquirer of(Lock l) {
            return new Acquirer() {
                @Override
                public void lock() {
                    l.lock();
                }

                @Override
                public void lockInterruptibly() throws InterruptedException {
                    l.lockInterruptibly();
                }

                @Override
                public boolean tryLock() {
                    return l.tryLock();
                }

                @Override
                public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
                    return l.tryLock(time, unit);
                }
            };
        }
    }

    /**
     * Acquires by a random method (lock, lockInterruptibly, tryLock, timed tryLock with a random
     * timeout), checking the interrupt and timeout contracts.
     *
     * @return whether the lock is now held
     */
    private boolean acquire(Worker w, String what, Acquirer a) {
        int how = w.rnd.nextInt(10);
        if (how < 3) {
            w.mark();
            a.lock();
            checkKept(w, what + ".lock()");
            return true;
        }
        if (how == 3) {
            return a.tryLock();
        }
        boolean self = w.mark();
        if (how < 6) {
            try {
                a.lockInterruptibly();
            } catch (InterruptedException e) {
                checkThrown(w, what + ".lockInterruptibly()");
                return false;
            }
            if (self) {
                tally.violation(what + ".lockInterruptibly() ignored an interrupt pending on entry");
            }
            return true;
        }
        Wait t = lockWait(w);
        long t0 = System.nanoTime();
        boolean ok;
        try {
            ok = a.tryLock(t.amount, t.unit);
        } catch (InterruptedException e) {
            checkThrown(w, what + ".tryLock(" + t + ")");
            return false;
        }
        long elapsed = System.nanoTime() - t0;
        if (self) {
            tally.violation(what + ".tryLock(" + t + ") ignored an interrupt pending on entry");
        }
        if (!ok) {
            checkTimedOut(what + ".tryLock", t, elapsed);
        }
        return ok;
    }

    // ---------------------------------------------------------------------------------------------
    // mutexes

    /** Mutual-exclusion witnesses: an occupant counter and a pair of plain fields written one after the other. */
    static final class Guard {
        final AtomicInteger inside = new AtomicInteger();
        int a; // written only inside the critical section
        int b; // written only inside the critical section
    }

    private record MutexEntry(String name, Lock lock, Acquirer acquirer, Guard guard, Primitive primitive) {
    }

    private final List<MutexEntry> mutexes = List.of(
            mutexEntry("RawMutex#1", new RawMutex(), Primitive.RAW_MUTEX),
            mutexEntry("RawMutex#2", new RawMutex(), Primitive.RAW_MUTEX),
            mutexEntry("RawFairMutex", new RawFairMutex(), Primitive.FAIR_MUTEX),
            mutexEntry("ReentrantMutex(unfair)", new ReentrantMutex(false), Primitive.REENTRANT),
            mutexEntry("ReentrantMutex(fair)", new ReentrantMutex(true), Primitive.REENTRANT));

    private static MutexEntry mutexEntry(String name, Lock lock, Primitive p) {
        return new MutexEntry(name, lock, Acquirer.of(lock), new Guard(), p);
    }

    private void enter(Guard g, String name) {
        int n = g.inside.incrementAndGet();
        if (n != 1) {
            tally.violation(name + ": " + n + " threads inside the critical section");
        }
        if (g.a != g.b) {
            tally.violation(name + ": torn pair a=" + g.a + " b=" + g.b + " on entry");
        }
    }

    private static void write(Worker w, Guard g) {
        g.a++;
        work(w);
        g.b++;
    }

    private static void leave(Guard g) {
        g.inside.decrementAndGet();
    }

    private void mutexOp(Worker w) {
        MutexEntry e = mutexes.get(w.rnd.nextInt(mutexes.size()));
        tally.op(e.primitive);
        if (sabotage == SoakOptions.Sabotage.EXCLUSION && e == mutexes.get(0) && w.rnd.nextInt(20) == 0) {
            enter(e.guard, e.name); // planted bug: no lock taken
            write(w, e.guard);
            leave(e.guard);
            return;
        }
        if (!acquire(w, e.name, e.acquirer)) {
            return;
        }
        enter(e.guard, e.name);
        write(w, e.guard);
        if (e.lock instanceof ReentrantMutex rm) {
            int extra = w.rnd.nextInt(3);
            for (int i = 0; i < extra; i++) {
                if (w.rnd.nextBoolean()) {
                    rm.lock();
                } else if (!rm.tryLock()) {
                    tally.violation(e.name + ": tryLock by the owner failed");
                }
            }
            if (rm.getHoldCount() != 1 + extra || !rm.isHeldByCurrentThread() || rm.getOwner() != Thread.currentThread()) {
                tally.violation(e.name + ": hold count " + rm.getHoldCount() + ", expected " + (1 + extra));
            }
            for (int i = 0; i < extra; i++) {
                rm.unlock();
            }
            leave(e.guard);
            if (rm.isFair() && rm.hasQueuedThreads()) {
                tally.fairWithWaiters.increment();
            }
            rm.unlock();
            return;
        }
        if (e.lock instanceof RawMutex m) {
            if (w.rnd.nextInt(4) == 0) {
                leave(e.guard);
                countFair(m);
                w.mark();
                m.bump();
                checkKept(w, e.name + ".bump()");
                enter(e.guard, e.name);
                write(w, e.guard);
            }
            leave(e.guard);
            if (w.rnd.nextInt(4) == 0) {
                countFair(m);
                m.unlockFair();
            } else {
                m.unlock();
            }
            return;
        }
        RawFairMutex f = (RawFairMutex) e.lock;
        if (w.rnd.nextInt(4) == 0) {
            leave(e.guard);
            countFair(f);
            w.mark();
            f.bump();
            checkKept(w, e.name + ".bump()");
            enter(e.guard, e.name);
            write(w, e.guard);
        }
        leave(e.guard);
        countFair(f);
        f.unlock();
    }

    /** Before a fair unlock or bump: counts it if a thread is queued on the lock (lane 0). */
    private void countFair(Object lock) {
        if (ParkingLot.queueLength(lock, 0L) > 0) {
            tally.fairWithWaiters.increment();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // RawRwLock

    /** Reader/writer witnesses of one RawRwLock. */
    static final class RwGuard {
        final AtomicInteger readers = new AtomicInteger(); // shared holders, the upgradable one included
        final AtomicInteger writers = new AtomicInteger();
        final AtomicInteger upgraders = new AtomicInteger();
        final Guard pair = new Guard();
    }

    private record RwEntry(String name, RawRwLock lock, RwGuard guard, Acquirer shared, Acquirer exclusive,
                           Acquirer upgradable) {
    }

    private final List<RwEntry> rwLocks = List.of(rwEntry("RawRwLock#1"), rwEntry("RawRwLock#2"));

    private static RwEntry rwEntry(String name) {
        RawRwLock l = new RawRwLock();
        Acquirer upgradable = new Acquirer() {
            @Override
            public void lock() {
                l.lockUpgradable();
            }

            @Override
            public void lockInterruptibly() throws InterruptedException {
                l.lockUpgradableInterruptibly();
            }

            @Override
            public boolean tryLock() {
                return l.tryLockUpgradable();
            }

            @Override
            public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
                return l.tryLockUpgradable(time, unit);
            }
        };
        Acquirer exclusive = new Acquirer() {
            @Override
            public void lock() {
                l.lockExclusive();
            }

            @Override
            public void lockInterruptibly() throws InterruptedException {
                l.lockExclusiveInterruptibly();
            }

            @Override
            public boolean tryLock() {
                return l.tryLockExclusive();
            }

            @Override
            public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
                return l.tryLockExclusive(time, unit);
            }
        };
        Acquirer shared = new Acquirer() {
            @Override
            public void lock() {
                l.lockShared();
            }

            @Override
            public void lockInterruptibly() throws InterruptedException {
                l.lockSharedInterruptibly();
            }

            @Override
            public boolean tryLock() {
                return l.tryLockShared();
            }

            @Override
            public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
                return l.tryLockShared(time, unit);
            }
        };
        return new RwEntry(name, l, new RwGuard(), shared, exclusive, upgradable);
    }

    private void enterShared(RwEntry e) {
        e.guard.readers.incrementAndGet();
        checkNoWriter(e, "reader");
    }

    private void checkNoWriter(RwEntry e, String who) {
        int writers = e.guard.writers.get();
        if (writers != 0) {
            tally.violation(e.name + ": a " + who + " is inside with " + writers + " writer(s)");
        }
        Guard p = e.guard.pair;
        if (p.a != p.b) {
            tally.violation(e.name + ": a " + who + " sees a torn pair a=" + p.a + " b=" + p.b);
        }
    }

    private void enterUpgradable(RwEntry e) {
        e.guard.readers.incrementAndGet();
        int u = e.guard.upgraders.incrementAndGet();
        if (u != 1) {
            tally.violation(e.name + ": " + u + " upgradable readers inside");
        }
        checkNoWriter(e, "upgradable reader");
    }

    private void leaveUpgradable(RwEntry e) {
        e.guard.upgraders.decrementAndGet();
        e.guard.readers.decrementAndGet();
    }

    private void enterExclusive(RwEntry e) {
        int n = e.guard.writers.incrementAndGet();
        int r = e.guard.readers.get();
        if (n != 1 || r != 0) {
            tally.violation(e.name + ": a writer is inside with " + (n - 1) + " other writer(s) and " + r + " reader(s)");
        }
        enter(e.guard.pair, e.name);
    }

    private void leaveExclusive(RwEntry e) {
        leave(e.guard.pair);
        e.guard.writers.decrementAndGet();
    }

    private enum Mode { SHARED, EXCLUSIVE, UPGRADABLE }

    private void rwOp(Worker w) {
        RwEntry e = rwLocks.get(w.rnd.nextInt(rwLocks.size()));
        RawRwLock l = e.lock;
        tally.op(Primitive.RWLOCK);
        int pick = w.rnd.nextInt(10);
        Mode mode = pick < 5 ? Mode.SHARED : pick < 8 ? Mode.EXCLUSIVE : Mode.UPGRADABLE;
        Acquirer a = mode == Mode.SHARED ? e.shared : mode == Mode.EXCLUSIVE ? e.exclusive : e.upgradable;
        if (!acquire(w, e.name + " " + mode, a)) {
            return;
        }
        switch (mode) {
            case SHARED -> enterShared(e);
            case EXCLUSIVE -> enterExclusive(e);
            default -> enterUpgradable(e);
        }
        for (int step = 0; ; step++) {
            boolean last = step >= 3 || w.rnd.nextInt(3) == 0;
            int r = w.rnd.nextInt(4);
            switch (mode) {
                case SHARED -> {
                    work(w);
                    checkNoWriter(e, "reader");
                    if (last) {
                        e.guard.readers.decrementAndGet();
                        if (w.rnd.nextBoolean()) {
                            l.unlockShared();
                        } else {
                            l.unlockSharedFair();
                        }
                        return;
                    }
                    if (r < 2) { // a recursive read while holding a read lock passes a waiting writer
                        if (r == 0) {
                            l.lockSharedRecursive();
                        } else if (!l.tryLockSharedRecursive()) {
                            tally.violation(e.name + ".tryLockSharedRecursive() failed while this thread reads");
                            continue;
                        }
                        enterShared(e);
                        work(w);
                        e.guard.readers.decrementAndGet();
                        l.unlockShared();
                    } else {
                        e.guard.readers.decrementAndGet();
                        w.mark();
                        l.bumpShared();
                        checkKept(w, e.name + ".bumpShared()");
                        enterShared(e);
                    }
                }
                case EXCLUSIVE -> {
                    write(w, e.guard.pair);
                    if (last) {
                        leaveExclusive(e);
                        if (w.rnd.nextBoolean()) {
                            l.unlockExclusive();
                        } else {
                            countFair(l);
                            l.unlockExclusiveFair();
                        }
                        return;
                    }
                    if (r == 0) {
                        leaveExclusive(e);
                        countFair(l);
                        w.mark();
                        l.bumpExclusive();
                        checkKept(w, e.name + ".bumpExclusive()");
                        enterExclusive(e);
                    } else if (r == 1) {
                        e.guard.readers.incrementAndGet(); // counted as a reader before others can enter
                        leaveExclusive(e);
                        l.downgrade();
                        checkNoWriter(e, "downgraded reader");
                        mode = Mode.SHARED;
                    } else {
                        e.guard.readers.incrementAndGet();
                        if (e.guard.upgraders.incrementAndGet() != 1) {
                            tally.violation(e.name + ": another upgradable reader inside at downgradeToUpgradable");
                        }
                        leaveExclusive(e);
                        l.downgradeToUpgradable();
                        checkNoWriter(e, "downgraded upgradable reader");
                        mode = Mode.UPGRADABLE;
                    }
                }
                case UPGRADABLE -> {
                    work(w);
                    checkNoWriter(e, "upgradable reader");
                    if (last) {
                        leaveUpgradable(e);
                        if (w.rnd.nextBoolean()) {
                            l.unlockUpgradable();
                        } else {
                            countFair(l);
                            l.unlockUpgradableFair();
                        }
                        return;
                    }
                    if (r == 0) {
                        leaveUpgradable(e);
                        countFair(l);
                        w.mark();
                        l.bumpUpgradable();
                        checkKept(w, e.name + ".bumpUpgradable()");
                        enterUpgradable(e);
                    } else if (r == 1) {
                        e.guard.upgraders.decrementAndGet();
                        l.downgradeUpgradable();
                        mode = Mode.SHARED;
                    } else if (upgrade(w, e)) {
                        leaveUpgradable(e);
                        enterExclusive(e);
                        mode = Mode.EXCLUSIVE;
                    }
                }
                default -> throw new AssertionError(mode);
            }
        }
    }

    /** Upgrades by a random method; false leaves the upgradable lock held. */
    private boolean upgrade(Worker w, RwEntry e) {
        RawRwLock l = e.lock;
        String what = e.name;
        switch (w.rnd.nextInt(3)) {
            case 0 -> {
                w.mark();
                l.upgrade();
                checkKept(w, what + ".upgrade()");
                return true;
            }
            case 1 -> {
                return l.tryUpgrade();
            }
            default -> {
                boolean self = w.mark();
                Wait t = lockWait(w);
                long t0 = System.nanoTime();
                boolean ok;
                try {
                    ok = l.tryUpgrade(t.amount, t.unit);
                } catch (InterruptedException ex) {
                    checkThrown(w, what + ".tryUpgrade(" + t + ")");
                    return false;
                }
                long elapsed = System.nanoTime() - t0;
                if (self) {
                    tally.violation(what + ".tryUpgrade(" + t + ") ignored an interrupt pending on entry");
                }
                if (!ok) {
                    checkTimedOut(what + ".tryUpgrade", t, elapsed);
                }
                return ok;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // condvars

    /** Waiters wait for {@code gen} to change; an opener changes it and notifies every waiter. */
    static final class Gate {
        final String name;
        final Lock mutex;
        final Condvar condvar = new Condvar();
        long gen; // guarded by mutex
        final long[] openedGen = new long[RING]; // guarded by mutex
        final long[] openedAt = new long[RING]; // guarded by mutex: nanoTime after notifyAllWaiters returned

        Gate(String name, Lock mutex) {
            this.name = name;
            this.mutex = mutex;
        }
    }

    private final List<Gate> gates = List.of(new Gate("Condvar+RawMutex", new RawMutex()),
            new Gate("Condvar+RawFairMutex", new RawFairMutex()));

    private void gateOp(Worker w) {
        Gate g = gates.get(w.rnd.nextInt(gates.size()));
        tally.op(Primitive.CONDVAR);
        w.mark();
        g.mutex.lock();
        checkKept(w, g.name + " mutex.lock()");
        try {
            if (w.rnd.nextInt(3) == 0) {
                open(g, sabotage != SoakOptions.Sabotage.WAKEUP || g != gates.get(1)); // planted bug: no notify
                return;
            }
            long mine = g.gen;
            boolean self = w.mark();
            Wait t = notifyWait(w);
            long t0 = System.nanoTime();
            boolean notified;
            try {
                notified = g.condvar.await(g.mutex, t.amount, t.unit);
            } catch (InterruptedException ex) {
                checkThrown(w, g.name + ".await(" + t + ")");
                return;
            }
            long elapsed = System.nanoTime() - t0;
            if (self) {
                tally.violation(g.name + ".await(" + t + ") ignored an interrupt pending on entry");
            }
            if (notified) {
                if (g.gen == mine) {
                    tally.violation(g.name + ": await returned true (notified) but no notify was made since it began");
                }
                return;
            }
            checkTimedOut(g.name + ".await", t, elapsed);
            if (g.gen != mine) {
                int i = (int) ((mine + 1) & (RING - 1));
                if (g.openedGen[i] == mine + 1 && g.openedAt[i] - (t0 + t.nanos()) < 0) {
                    tally.lostWakeUp(g.name + ": await(" + t + ") timed out although the opening of generation "
                            + (mine + 1) + " (with its notifyAllWaiters) completed " + (t0 + t.nanos() - g.openedAt[i])
                            + " ns before its deadline");
                }
            } else if (t.nanos() == FALLBACK_NANOS) {
                tally.fallbackWakeUps.increment();
            }
        } finally {
            g.mutex.unlock();
        }
    }

    /** Under the gate's mutex: a new generation, every waiter notified, the time recorded. */
    private static void open(Gate g, boolean notify) {
        long gen = ++g.gen;
        if (notify) {
            g.condvar.notifyAllWaiters();
        }
        int i = (int) (gen & (RING - 1));
        g.openedGen[i] = gen;
        g.openedAt[i] = System.nanoTime();
    }

    /** A bounded buffer on a ReentrantMutex's conditions (Condition API, signal = notifyOne). */
    private final ReentrantMutex bufferLock = new ReentrantMutex();
    private final Condition notEmpty = bufferLock.newCondition();
    private final Condition notFull = bufferLock.newCondition();
    private static final int CAPACITY = 4;
    private int count; // guarded by bufferLock
    private long puts; // guarded by bufferLock
    private long takes; // guarded by bufferLock

    private void bufferOp(Worker w) {
        tally.op(Primitive.CONDVAR);
        boolean put = w.rnd.nextBoolean();
        String what = "buffer " + (put ? "put" : "take");
        int holds = 1 + w.rnd.nextInt(2);
        w.mark();
        for (int i = 0; i < holds; i++) {
            bufferLock.lock();
        }
        checkKept(w, what + " ReentrantMutex.lock()");
        try {
            Condition cond = put ? notFull : notEmpty;
            while (put ? count == CAPACITY : count == 0) {
                boolean self = w.mark();
                Wait t = notifyWait(w);
                long t0 = System.nanoTime();
                boolean signalled;
                try {
                    signalled = cond.await(t.amount, t.unit);
                } catch (InterruptedException ex) {
                    checkThrown(w, what + " await(" + t + ")");
                    return;
                } finally {
                    if (bufferLock.getHoldCount() != holds) {
                        tally.violation(what + ": hold count " + bufferLock.getHoldCount() + " after await, expected "
                                + holds);
                    }
                }
                long elapsed = System.nanoTime() - t0;
                if (self) {
                    tally.violation(what + " await(" + t + ") ignored an interrupt pending on entry");
                }
                if (!signalled) {
                    checkTimedOut(what + " await", t, elapsed);
                    if (t.nanos() == FALLBACK_NANOS && (put ? count < CAPACITY : count > 0)) {
                        tally.fallbackWakeUps.increment();
                    }
                    if (put ? count == CAPACITY : count == 0) {
                        return; // gave up
                    }
                }
            }
            if (put) {
                count++;
                puts++;
                if (w.rnd.nextInt(8) == 0) {
                    notEmpty.signalAll();
                } else {
                    notEmpty.signal();
                }
            } else {
                count--;
                takes++;
                notFull.signal();
            }
            if (count < 0 || count > CAPACITY) {
                tally.violation("buffer count " + count + " out of [0, " + CAPACITY + "]");
            }
        } finally {
            for (int i = 0; i < holds; i++) {
                bufferLock.unlock();
            }
        }
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

        Mailbox(String name, Object key, long lane) {
            this.name = name;
            this.key = key;
            this.lane = lane;
        }
    }

    private final Object sharedKey = new Object();
    private final List<Mailbox> mailboxes = List.of(new Mailbox("mailbox(k,0)", sharedKey, 0),
            new Mailbox("mailbox(k,1)", sharedKey, 1), new Mailbox("mailbox(k2,0)", new Object(), 0));

    private void mailboxOp(Worker w) {
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

    /** The callbacks of one take. */
    private static final class Take implements BooleanSupplier, ParkingLot.TimedOutCallback {
        final Mailbox mb;
        final boolean throwInValidate;
        final boolean throwInTimedOut;
        boolean took; // set under the bucket lock, read by the same thread after park
        long storedWhileQueued; // ditto

        Take(Mailbox mb, boolean throwInValidate, boolean throwInTimedOut) {
            this.mb = mb;
            this.throwInValidate = throwInValidate;
            this.throwInTimedOut = throwInTimedOut;
        }

        @Override
        public boolean getAsBoolean() {
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
            if (throwInTimedOut) {
                throw new Thrown("a park timedOut");
            }
        }
    }

    private static final Runnable NOTHING = () -> { };

    private void take(Worker w, Mailbox mb) {
        Take take = new Take(mb, w.rnd.nextInt(40) == 0, w.rnd.nextInt(20) == 0);
        Wait t = w.rnd.nextInt(16) == 0 ? new Wait(Long.MAX_VALUE, TimeUnit.NANOSECONDS) : notifyWait(w);
        boolean interruptible = w.rnd.nextBoolean();
        boolean self = w.mark();
        String what = mb.name + " park(" + t + (interruptible ? ", interruptible)" : ")");
        long t0 = System.nanoTime();
        ParkResult r;
        try {
            r = ParkingLot.park(mb.key, mb.lane, take, NOTHING, take, w.id, t.nanos(), interruptible);
        } catch (Thrown expected) {
            tally.callbackThrows.increment();
            if (take.storedWhileQueued != 0) {
                tally.lostWakeUp(what + ": left by timeout or interrupt with " + take.storedWhileQueued
                        + " unit(s) stored while it was queued");
            }
            // The key must still work: a zero-timeout take that does not throw.
            Take again = new Take(mb, false, false);
            ParkResult r2 = ParkingLot.park(mb.key, mb.lane, again, NOTHING, again, w.id, 0L, false);
            if (r2 == ParkResult.INVALID && again.took) {
                mb.takenStored.increment();
            } else if (r2 != ParkResult.TIMED_OUT) {
                tally.violation(mb.name + ": zero-timeout park after a throwing callback returned " + r2);
            }
            return;
        }
        long elapsed = System.nanoTime() - t0;
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

    private void futexOp(Worker w) {
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

    /**
     * While the workers wind down: wakes whatever waits without a timeout (mailbox takers, by giving
     * units) and opens the gates, so every worker can finish its last operation.
     */
    void release(Worker closer) {
        for (Mailbox mb : mailboxes) {
            if (ParkingLot.queueLength(mb.key, mb.lane) > 0) {
                give(closer, mb, false);
            }
        }
        for (Futex f : futexes) {
            wake(f);
        }
        for (Gate g : gates) {
            boolean locked;
            try {
                locked = g.mutex.tryLock(10, TimeUnit.MILLISECONDS); // a worker stuck holding it must not stop us
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (locked) {
                try {
                    open(g, true);
                } finally {
                    g.mutex.unlock();
                }
            }
        }
    }

    /**
     * After every worker has stopped: every unit given was taken or is still stored, every hand-off
     * reached a taker, the buffer's count matches, every lock is free.
     *
     * @return one line describing the raw-lot accounting
     */
    String checkQuiescent() {
        long given = 0;
        long handed = 0;
        long takenStored = 0;
        long takenHanded = 0;
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
            if (g != ts + th + stored || mb.handed.sum() != th) {
                tally.violation(mb.name + ": given " + g + " != taken from store " + ts + " + handed over " + th
                        + " + left " + stored + " (hand-offs decided " + mb.handed.sum() + ")");
            }
            given += g;
            handed += mb.handed.sum();
            takenStored += ts;
            takenHanded += th;
            left += stored;
        }
        for (MutexEntry e : mutexes) {
            boolean locked = e.lock instanceof ReentrantMutex rm ? rm.isLocked() : e.lock instanceof RawMutex m
                    ? m.isLocked() : ((RawFairMutex) e.lock).isLocked();
            if (locked || e.guard.inside.get() != 0) {
                tally.violation(e.name + " is still locked after every worker stopped: " + e.lock);
            }
        }
        for (RwEntry e : rwLocks) {
            if (e.lock.isLocked() || e.guard.readers.get() != 0 || e.guard.writers.get() != 0) {
                tally.violation(e.name + " is still locked after every worker stopped: " + e.lock);
            }
        }
        bufferLock.lock();
        try {
            if (puts - takes != count) {
                tally.violation("buffer: " + puts + " puts - " + takes + " takes != count " + count);
            }
        } finally {
            bufferLock.unlock();
        }
        return String.format(java.util.Locale.ROOT,
                "units given %,d = taken from store %,d + handed to a parked taker %,d + left %,d; hand-offs decided %,d",
                given, takenStored, takenHanded, left, handed);
    }

    /** The state of every primitive, for the hung-thread report. */
    List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (MutexEntry e : mutexes) {
            lines.add(e.name + ": " + e.lock + ", inside " + e.guard.inside.get());
        }
        for (RwEntry e : rwLocks) {
            lines.add(e.name + ": " + e.lock + ", readers " + e.guard.readers.get() + " writers "
                    + e.guard.writers.get() + " upgradable " + e.guard.upgraders.get());
        }
        for (Gate g : gates) {
            lines.add(g.name + ": " + g.mutex + ", waiting " + g.condvar.getWaitQueueLength());
        }
        lines.add("buffer: " + bufferLock);
        for (Mailbox mb : mailboxes) {
            lines.add(mb.name + ": queued " + ParkingLot.queueLength(mb.key, mb.lane));
        }
        for (Futex f : futexes) {
            lines.add(f.name + ": word " + f.word.get() + ", queued " + ParkingLot.queueLength(f.key, f.lane));
        }
        return lines;
    }
}
