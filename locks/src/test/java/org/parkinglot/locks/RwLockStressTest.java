package org.parkinglot.locks;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.parkinglot.core.ParkingLot;

/**
 * A bounded soak test of {@link RawRwLock}: 16 threads (half platform, half virtual) mix every mode and
 * transition for about three seconds, with tiny timeouts, interrupts sent by a chaos thread to threads
 * in interruptible acquisitions, fair unlocks and bumps. Atomic counters updated inside the critical
 * sections check the exclusion invariants; a plain counter guarded by the write lock checks that no
 * write section is lost and that readers see every completed write.
 *
 * <p>Counter discipline: a thread increments its mode's counter right after acquiring and decrements it
 * right before releasing; across a transition (upgrade, downgrade, bump) it moves its count while it
 * still holds the stronger of the two modes, so a counter never claims a hold the lock does not grant.
 */
class RwLockStressTest {

    private static final int PLATFORM_THREADS = 8;
    private static final int VIRTUAL_THREADS = 8;
    private static final long RUN_NANOS = SECONDS.toNanos(3);
    private static final long JOIN_MS = 30_000;

    /** The operations a worker performs; each worker runs every one at least once. */
    enum Op {
        SHARED, SHARED_RECURSIVE, SHARED_INTERRUPTIBLY, SHARED_TIMED, TRY_SHARED,
        EXCLUSIVE, EXCLUSIVE_INTERRUPTIBLY, EXCLUSIVE_TIMED, TRY_EXCLUSIVE,
        UPGRADABLE, UPGRADABLE_INTERRUPTIBLY, UPGRADABLE_TIMED, UPGRADE, TRY_UPGRADE, TIMED_UPGRADE,
        DOWNGRADE, DOWNGRADE_TO_UPGRADABLE, DOWNGRADE_UPGRADABLE,
        BUMP_SHARED, BUMP_EXCLUSIVE, BUMP_UPGRADABLE
    }

    private final RawRwLock lock = new RawRwLock();
    private final AtomicInteger readers = new AtomicInteger();
    private final AtomicInteger writers = new AtomicInteger();
    private final AtomicInteger upgradables = new AtomicInteger();
    private final AtomicLong writeSections = new AtomicLong();
    /** Guarded by the exclusive lock; read by readers (no writer active) and after the joins. */
    private long guarded;
    private final AtomicReference<String> violation = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong interruptsSent = new AtomicLong();
    private final AtomicLong interruptedAcquisitions = new AtomicLong();
    private final AtomicLong timedOutAcquisitions = new AtomicLong();
    private final AtomicLong[] opCounts = new AtomicLong[Op.values().length];
    private final List<Thread> started = new ArrayList<>();

    @AfterEach
    void stopThreads() throws InterruptedException {
        for (Thread t : started) {
            t.interrupt();
        }
        long deadline = System.nanoTime() + MILLISECONDS.toNanos(JOIN_MS);
        for (Thread t : started) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                t.join(Math.max(1L, NANOSECONDS.toMillis(left)));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // critical sections

    private void violated(String what) {
        violation.compareAndSet(null, what + " (readers=" + readers.get() + ", writers=" + writers.get()
                + ", upgradables=" + upgradables.get() + ")");
    }

    private void enterRead() {
        readers.incrementAndGet();
        readSection();
    }

    /** The checks of a shared section; the caller counts itself in {@code readers}. */
    private void readSection() {
        if (writers.get() != 0) {
            violated("reader with a writer");
        }
        long seen = guarded; // plain read: ordered by the acquisition, no writer is active
        if (seen != writeSections.get()) {
            violated("reader saw a stale or torn guarded counter: " + seen + " != " + writeSections.get());
        }
    }

    private void exitRead() {
        readers.decrementAndGet();
    }

    private void enterWrite() {
        if (writers.incrementAndGet() != 1) {
            violated("two writers");
        }
        if (readers.get() != 0) {
            violated("writer with a reader");
        }
        if (upgradables.get() != 0) {
            violated("writer with an upgradable reader");
        }
        guarded++;
        writeSections.incrementAndGet();
    }

    private void exitWrite() {
        writers.decrementAndGet();
    }

    private void enterUpgradable() {
        if (upgradables.incrementAndGet() != 1) {
            violated("two upgradable readers");
        }
        if (writers.get() != 0) {
            violated("upgradable reader with a writer");
        }
    }

    private void exitUpgradable() {
        upgradables.decrementAndGet();
    }

    // ---------------------------------------------------------------------------------------------
    // the worker

    private final class Worker implements Runnable {
        final int index;
        /** True while the worker is in an interruptible acquisition; read by the chaos thread. */
        volatile boolean interruptible;
        final AtomicBoolean finished = new AtomicBoolean();

        Worker(int index) {
            this.index = index;
        }

        @Override
        public void run() {
            try {
                Op[] ops = Op.values();
                long end = System.nanoTime() + RUN_NANOS;
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int i = 0; i < ops.length || System.nanoTime() - end < 0; i++) {
                    Op op = i < ops.length ? ops[(index + i) % ops.length] : ops[rnd.nextInt(ops.length)];
                    perform(op, rnd);
                    opCounts[op.ordinal()].incrementAndGet();
                }
                Thread.interrupted();
                finished.set(true);
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }

        private long tinyTimeout(ThreadLocalRandom rnd) {
            int pick = rnd.nextInt(8);
            return pick == 0 ? 0L : pick == 1 ? -1L : rnd.nextLong(1, 50_000);
        }

        private void spin(ThreadLocalRandom rnd) {
            for (int k = rnd.nextInt(32); k > 0; k--) {
                Thread.onSpinWait();
            }
            if (rnd.nextInt(64) == 0) {
                Thread.yield();
            }
        }

        private void unlockExclusive(ThreadLocalRandom rnd) {
            exitWrite();
            if (rnd.nextBoolean()) {
                lock.unlockExclusive();
            } else {
                lock.unlockExclusiveFair();
            }
        }

        private void unlockUpgradable(ThreadLocalRandom rnd) {
            exitUpgradable();
            if (rnd.nextBoolean()) {
                lock.unlockUpgradable();
            } else {
                lock.unlockUpgradableFair();
            }
        }

        private void unlockShared(ThreadLocalRandom rnd) {
            exitRead();
            if (rnd.nextBoolean()) {
                lock.unlockShared();
            } else {
                lock.unlockSharedFair();
            }
        }

        private void sharedSection(ThreadLocalRandom rnd) {
            enterRead();
            spin(rnd);
            unlockShared(rnd);
        }

        private void exclusiveSection(ThreadLocalRandom rnd) {
            enterWrite();
            spin(rnd);
            unlockExclusive(rnd);
        }

        /** Holding the upgradable lock (counted): finish in one of the ways an upgradable hold can end. */
        private void upgradableSection(ThreadLocalRandom rnd) throws InterruptedException {
            spin(rnd);
            switch (rnd.nextInt(5)) {
                case 0 -> unlockUpgradable(rnd);
                case 1 -> {
                    lock.upgrade();
                    exitUpgradable();
                    exclusiveSection(rnd);
                }
                case 2 -> {
                    if (lock.tryUpgrade()) {
                        exitUpgradable();
                        exclusiveSection(rnd);
                    } else {
                        unlockUpgradable(rnd);
                    }
                }
                case 3 -> {
                    exitUpgradable();
                    readers.incrementAndGet();
                    lock.downgradeUpgradable();
                    readSection();
                    unlockShared(rnd);
                }
                default -> timedUpgrade(rnd);
            }
        }

        private void timedUpgrade(ThreadLocalRandom rnd) {
            long t = tinyTimeout(rnd);
            if (interruptibly(() -> lock.tryUpgrade(t, NANOSECONDS))) {
                exitUpgradable();
                exclusiveSection(rnd);
            } else {
                unlockUpgradable(rnd); // a failed or interrupted upgrade keeps the upgradable lock
            }
        }

        /** Runs {@code acquisition}; returns whether it acquired (false on timeout or interrupt). */
        private boolean interruptibly(InterruptibleAcquisition acquisition) {
            interruptible = true;
            try {
                if (acquisition.acquire()) {
                    return true;
                }
                timedOutAcquisitions.incrementAndGet();
                return false;
            } catch (InterruptedException e) {
                interruptedAcquisitions.incrementAndGet();
                return false;
            } finally {
                interruptible = false;
            }
        }

        private void perform(Op op, ThreadLocalRandom rnd) throws InterruptedException {
            switch (op) {
                case SHARED -> {
                    lock.lockShared();
                    sharedSection(rnd);
                }
                case SHARED_RECURSIVE -> {
                    lock.lockShared();
                    enterRead();
                    if (rnd.nextBoolean()) {
                        lock.lockSharedRecursive();
                        enterRead();
                        spin(rnd);
                        unlockShared(rnd);
                    } else if (lock.tryLockSharedRecursive()) {
                        enterRead();
                        spin(rnd);
                        unlockShared(rnd);
                    }
                    unlockShared(rnd);
                }
                case SHARED_INTERRUPTIBLY -> {
                    if (interruptibly(() -> {
                        lock.lockSharedInterruptibly();
                        return true;
                    })) {
                        sharedSection(rnd);
                    }
                }
                case SHARED_TIMED -> {
                    long t = tinyTimeout(rnd);
                    if (interruptibly(() -> lock.tryLockShared(t, NANOSECONDS))) {
                        sharedSection(rnd);
                    }
                }
                case TRY_SHARED -> {
                    if (lock.tryLockShared()) {
                        sharedSection(rnd);
                    }
                }
                case EXCLUSIVE -> {
                    lock.lockExclusive();
                    exclusiveSection(rnd);
                }
                case EXCLUSIVE_INTERRUPTIBLY -> {
                    if (interruptibly(() -> {
                        lock.lockExclusiveInterruptibly();
                        return true;
                    })) {
                        exclusiveSection(rnd);
                    }
                }
                case EXCLUSIVE_TIMED -> {
                    long t = tinyTimeout(rnd);
                    if (interruptibly(() -> lock.tryLockExclusive(t, NANOSECONDS))) {
                        exclusiveSection(rnd);
                    }
                }
                case TRY_EXCLUSIVE -> {
                    if (lock.tryLockExclusive()) {
                        exclusiveSection(rnd);
                    }
                }
                case UPGRADABLE -> {
                    lock.lockUpgradable();
                    enterUpgradable();
                    upgradableSection(rnd);
                }
                case UPGRADABLE_INTERRUPTIBLY -> {
                    if (interruptibly(() -> {
                        lock.lockUpgradableInterruptibly();
                        return true;
                    })) {
                        enterUpgradable();
                        upgradableSection(rnd);
                    }
                }
                case UPGRADABLE_TIMED -> {
                    long t = tinyTimeout(rnd);
                    if (interruptibly(() -> lock.tryLockUpgradable(t, NANOSECONDS))) {
                        enterUpgradable();
                        upgradableSection(rnd);
                    } else if (lock.tryLockUpgradable()) {
                        enterUpgradable();
                        unlockUpgradable(rnd);
                    }
                }
                case UPGRADE -> {
                    lock.lockUpgradable();
                    enterUpgradable();
                    spin(rnd);
                    lock.upgrade();
                    exitUpgradable();
                    exclusiveSection(rnd);
                }
                case TRY_UPGRADE -> {
                    lock.lockUpgradable();
                    enterUpgradable();
                    if (lock.tryUpgrade()) {
                        exitUpgradable();
                        exclusiveSection(rnd);
                    } else {
                        unlockUpgradable(rnd);
                    }
                }
                case TIMED_UPGRADE -> {
                    lock.lockUpgradable();
                    enterUpgradable();
                    timedUpgrade(rnd);
                }
                case DOWNGRADE -> {
                    lock.lockExclusive();
                    enterWrite();
                    spin(rnd);
                    exitWrite();
                    readers.incrementAndGet();
                    lock.downgrade();
                    readSection();
                    spin(rnd);
                    unlockShared(rnd);
                }
                case DOWNGRADE_TO_UPGRADABLE -> {
                    lock.lockExclusive();
                    enterWrite();
                    spin(rnd);
                    exitWrite();
                    enterUpgradable();
                    lock.downgradeToUpgradable();
                    upgradableSection(rnd);
                }
                case DOWNGRADE_UPGRADABLE -> {
                    lock.lockUpgradable();
                    enterUpgradable();
                    spin(rnd);
                    exitUpgradable();
                    readers.incrementAndGet();
                    lock.downgradeUpgradable();
                    readSection();
                    unlockShared(rnd);
                }
                case BUMP_SHARED -> {
                    lock.lockShared();
                    enterRead();
                    exitRead();
                    lock.bumpShared();
                    enterRead();
                    unlockShared(rnd);
                }
                case BUMP_EXCLUSIVE -> {
                    lock.lockExclusive();
                    enterWrite();
                    exitWrite();
                    lock.bumpExclusive();
                    enterWrite();
                    unlockExclusive(rnd);
                }
                case BUMP_UPGRADABLE -> {
                    lock.lockUpgradable();
                    enterUpgradable();
                    exitUpgradable();
                    lock.bumpUpgradable();
                    enterUpgradable();
                    unlockUpgradable(rnd);
                }
            }
        }
    }

    /** An interruptible acquisition; false means it timed out. */
    @FunctionalInterface
    private interface InterruptibleAcquisition {
        boolean acquire() throws InterruptedException;
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * Sixteen platform and virtual threads mixing every mode, transition, timeout, interrupt, fair
     * unlock and bump for about three seconds keep mutual exclusion, lose no write, finish, and leave
     * the lock free with no flag set.
     */
    @Test
    @Timeout(120)
    void mixedModesKeepInvariants() throws InterruptedException {
        for (int i = 0; i < opCounts.length; i++) {
            opCounts[i] = new AtomicLong();
        }
        int n = PLATFORM_THREADS + VIRTUAL_THREADS;
        AtomicReferenceArray<Worker> workers = new AtomicReferenceArray<>(n);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Worker w = new Worker(i);
            workers.set(i, w);
            Thread.Builder builder = i < PLATFORM_THREADS
                    ? Thread.ofPlatform().daemon().name("rw-stress-p" + i)
                    : Thread.ofVirtual().name("rw-stress-v" + i);
            threads.add(builder.unstarted(w));
        }
        AtomicBoolean chaosStop = new AtomicBoolean();
        Thread chaos = Thread.ofPlatform().daemon().name("rw-stress-chaos").unstarted(() -> {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            while (!chaosStop.get()) {
                int i = rnd.nextInt(n);
                if (workers.get(i).interruptible) {
                    threads.get(i).interrupt();
                    interruptsSent.incrementAndGet();
                }
                if (rnd.nextInt(4) == 0) {
                    try {
                        Thread.sleep(0, 200_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                } else {
                    Thread.onSpinWait();
                }
            }
        });
        started.addAll(threads);
        started.add(chaos);
        threads.forEach(Thread::start);
        chaos.start();

        List<Thread> hung = new ArrayList<>();
        long deadline = System.nanoTime() + MILLISECONDS.toNanos(JOIN_MS) + RUN_NANOS;
        try {
            for (Thread t : threads) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    t.join(Math.max(1L, NANOSECONDS.toMillis(left)));
                }
                if (t.isAlive()) {
                    hung.add(t);
                }
            }
        } finally {
            chaosStop.set(true);
            chaos.join(JOIN_MS);
        }
        if (!hung.isEmpty()) {
            StringBuilder dump = new StringBuilder("threads hung: state=0x" + Integer.toHexString(state())
                    + " lane0=" + ParkingLot.queueLength(lock, 0L) + " lane1=" + ParkingLot.queueLength(lock, 1L));
            for (Thread t : hung) {
                dump.append('\n').append(t).append(' ').append(t.getState());
                for (StackTraceElement e : t.getStackTrace()) {
                    dump.append("\n    at ").append(e);
                }
            }
            fail(dump.toString());
        }
        Throwable f = failure.get();
        if (f != null) {
            fail("a worker failed", f);
        }
        assertNull(violation.get());
        for (int i = 0; i < n; i++) {
            assertTrue(workers.get(i).finished.get(), "worker " + i + " did not finish");
        }
        for (Op op : Op.values()) {
            assertTrue(opCounts[op.ordinal()].get() >= n, op + " ran fewer times than there are workers");
        }
        assertTrue(writeSections.get() >= n, "every worker completes at least one plain write section");
        assertEquals(writeSections.get(), guarded, "lost write sections");
        assertEquals(0, readers.get());
        assertEquals(0, writers.get());
        assertEquals(0, upgradables.get());
        // every path that clears the bit waiters wait on re-derives PARKED under the bucket lock, so a
        // quiescent lock has no flag left over
        assertEquals(0, state(), "state of the quiescent lock");
        assertEquals(0, ParkingLot.queueLength(lock, 0L));
        assertEquals(0, ParkingLot.queueLength(lock, 1L));
        assertTrue(lock.tryLockExclusive());
        lock.unlockExclusive();
        System.out.printf("RwLockStressTest: %d write sections, %d interrupts sent, %d interrupted and %d "
                        + "timed-out acquisitions%n", writeSections.get(), interruptsSent.get(),
                interruptedAcquisitions.get(), timedOutAcquisitions.get());
    }

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.privateLookupIn(RawRwLock.class, MethodHandles.lookup())
                    .findVarHandle(RawRwLock.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private int state() {
        return (int) STATE.getVolatile(lock);
    }
}
