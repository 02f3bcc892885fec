package org.parkinglot.stress.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.parkinglot.locks.Condvar;
import org.parkinglot.locks.RawFairMutex;
import org.parkinglot.locks.RawMutex;
import org.parkinglot.locks.RawRwLock;
import org.parkinglot.locks.ReentrantMutex;
import org.parkinglot.stress.soak.Tally.Primitive;

/**
 * The shared primitives and the random operations on them; each {@link #step} runs one operation and
 * checks its invariants ({@link Checks} has what every operation shares). Every primitive exists a few times only, so that workers collide.
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
 *   <li>The raw parking lot: {@link LotOps}.</li>
 * </ul>
 *
 * <p>Lost wake-ups are decided from the clock in one direction only: a waiter that timed out left its
 * queue no earlier than its deadline, so a wake-up that had <em>completed</em> (returned) before that
 * deadline, while the waiter was known to be queued, must have found it.
 */
final class Workload extends Checks {

    private final SoakOptions.Sabotage sabotage;
    private final LotOps lot;

    Workload(Tally tally, SoakOptions.Sabotage sabotage) {
        super(tally);
        this.sabotage = sabotage;
        this.lot = new LotOps(tally);
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
            lot.mailboxOp(w);
        } else {
            lot.futexOp(w);
        }
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
            // Planted bug: enter without the lock, and stay inside (at most 200 ms) until another thread
            // has entered too, so the overlap is certain rather than left to scheduling: the lock holder
            // that joins sees two occupants, and this thread sees the pair torn or the counter above 1.
            enter(e.guard, e.name);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            while (e.guard.inside.get() == 1 && System.nanoTime() - until < 0) {
                Thread.onSpinWait();
                Thread.yield();
            }
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
                    ok = l.tryUpgrade(t.amount(), t.unit());
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
                notified = g.condvar.await(g.mutex, t.amount(), t.unit());
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
                    signalled = cond.await(t.amount(), t.unit());
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
    // shutdown and final accounting

    /**
     * While the workers wind down: wakes whatever waits without a timeout (mailbox takers, by giving
     * units) and opens the gates, so every worker can finish its last operation.
     */
    void release(Worker closer) {
        lot.release(closer);
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
     * After every worker has stopped: the raw lot's units add up, the buffer's count matches, every lock
     * is free.
     *
     * @return one line describing the raw-lot accounting
     */
    String checkQuiescent() {
        String accounting = lot.checkQuiescent();
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
        return accounting;
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
        lot.describe(lines);
        return lines;
    }
}
