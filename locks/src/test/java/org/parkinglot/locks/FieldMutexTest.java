package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parkinglot.locks.MutexTestSupport.awaitTrue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.locks.MutexTestSupport.TestThreads;

/**
 * Unit tests of {@link FieldMutex}: the contract of each operation on int and long fields at the lowest,
 * a middle and the highest bit position, misuse, conditions through the {@link Lock} view, independence of
 * two locks in one field, and the user's bits surviving concurrent updates.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FieldMutexTest {

    /** A short timeout for "times out" tests. */
    private static final long SHORT_MILLIS = 50;

    /** A user object with an int field holding locks and the user's own bits. */
    static final class IntHolder {
        static final VarHandle WORD;
        volatile int word;

        static {
            try {
                WORD = MethodHandles.lookup().findVarHandle(IntHolder.class, "word", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    /** A user object with a long field holding locks and the user's own bits. */
    static final class LongHolder {
        static final VarHandle WORD;
        volatile long word;

        static {
            try {
                WORD = MethodHandles.lookup().findVarHandle(LongHolder.class, "word", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    /** Fields a FieldMutex must refuse. */
    static final class Unsuitable {
        static volatile int staticWord;
        final int finalWord = 0;
        volatile short shortWord;
        volatile Integer boxedWord;
    }

    /** Where a lock lives: the field's type and the first bit. */
    enum Layout {
        INT_0(true, 0), INT_13(true, 13), INT_29(true, 29), LONG_0(false, 0), LONG_30(false, 30), LONG_61(false, 61);

        final boolean isInt;
        final FieldMutex mutex;

        Layout(boolean isInt, int firstBit) {
            this.isInt = isInt;
            this.mutex = isInt ? FieldMutex.ofInt(IntHolder.WORD, firstBit)
                    : FieldMutex.ofLong(LongHolder.WORD, firstBit);
        }

        /** A fresh holder, its field zero. */
        Object newHolder() {
            return isInt ? new IntHolder() : new LongHolder();
        }

        /** The holder's field, as a long (an int field zero-extended). */
        long read(Object holder) {
            return isInt ? ((IntHolder) holder).word & 0xFFFF_FFFFL : ((LongHolder) holder).word;
        }

        /** Flips {@code bits} of the holder's field atomically, as a user would. */
        void xor(Object holder, long bits) {
            if (isInt) {
                IntHolder.WORD.getAndBitwiseXor((IntHolder) holder, (int) bits);
            } else {
                LongHolder.WORD.getAndBitwiseXor((LongHolder) holder, bits);
            }
        }

        /** Every bit of the field that is not the lock's. */
        long userBits() {
            return (isInt ? 0xFFFF_FFFFL : -1L) & ~mutex.mask();
        }

        /** The lock's bits in the holder's field, shifted down to 0..2. */
        int lockBits(Object holder) {
            return (int) ((read(holder) & mutex.mask()) >>> mutex.firstBit());
        }
    }

    /** The lane the mutex's waiters park under. */
    static long lane(FieldMutex m) {
        return m instanceof IntFieldMutex i ? i.lane() : ((LongFieldMutex) m).lane();
    }

    /** Waits until exactly {@code n} threads are queued on the holder's lock. */
    static void awaitQueued(FieldMutex m, Object holder, int n) throws InterruptedException {
        awaitTrue(n + " threads queued", () -> ParkingLot.queueLength(holder, lane(m)) == n);
    }

    // ---------------------------------------------------------------------------------------------
    // lock, unlock, tryLock

    /** lock sets exactly the lock's LOCKED bit, unlock clears it, and the user's bits are untouched. */
    @ParameterizedTest
    @EnumSource(Layout.class)
    void lockAndUnlockTouchOnlyTheLockBit(Layout layout) {
        FieldMutex m = layout.mutex;
        Object h = layout.newHolder();
        long user = 0x5555_5555_5555_5555L & layout.userBits();
        layout.xor(h, user);
        assertFalse(m.isLocked(h));
        m.lock(h);
        assertTrue(m.isLocked(h));
        assertEquals(user | 1L << m.firstBit(), layout.read(h));
        m.unlock(h);
        assertFalse(m.isLocked(h));
        assertEquals(user, layout.read(h));
    }

    /** tryLock succeeds on a free lock and fails on a held one, even in the holding thread (not reentrant). */
    @ParameterizedTest
    @EnumSource(Layout.class)
    void tryLockSucceedsOnlyWhenFree(Layout layout) {
        FieldMutex m = layout.mutex;
        Object h = layout.newHolder();
        assertTrue(m.tryLock(h));
        assertFalse(m.tryLock(h));
        m.unlock(h);
        assertTrue(m.tryLock(h));
        m.unlock(h);
        assertEquals(0, layout.read(h));
    }

    /** Each holder object has its own lock. */
    @ParameterizedTest
    @EnumSource(Layout.class)
    void holdersAreIndependent(Layout layout) {
        FieldMutex m = layout.mutex;
        Object a = layout.newHolder();
        Object b = layout.newHolder();
        m.lock(a);
        assertTrue(m.tryLock(b));
        m.unlock(b);
        assertFalse(m.isLocked(b));
        m.unlock(a);
    }

    /** A thread other than the one that locked may unlock (no owner tracking). */
    @ParameterizedTest
    @EnumSource(Layout.class)
    void anyThreadMayUnlock(Layout layout) throws Exception {
        FieldMutex m = layout.mutex;
        Object h = layout.newHolder();
        m.lock(h);
        try (TestThreads threads = new TestThreads()) {
            threads.join(threads.start("unlocker", () -> m.unlock(h)));
        }
        assertFalse(m.isLocked(h));
    }

    /** unlock and unlockFair of a free lock throw IllegalMonitorStateException and change nothing. */
    @ParameterizedTest
    @EnumSource(Layout.class)
    void unlockOfFreeLockThrows(Layout layout) {
        FieldMutex m = layout.mutex;
        Object h = layout.newHolder();
        long user = layout.userBits() & 0x0F0F_0F0F_0F0F_0F0FL;
        layout.xor(h, user);
        assertThrows(IllegalMonitorStateException.class, () -> m.unlock(h));
        assertThrows(IllegalMonitorStateException.class, () -> m.unlockFair(h));
        assertThrows(IllegalMonitorStateException.class, () -> m.bump(h));
        assertEquals(user, layout.read(h));
        assertTrue(m.tryLock(h));
        m.unlock(h);
    }

    /** lock waits while another thread holds the lock, parked under (holder, lane), and gets it after unlock. */
    @ParameterizedTest
    @EnumSource(Layout.class)
    void lockWaitsForUnlock(Layout layout) throws Exception {
        FieldMutex m = layout.mutex;
        Object h = layout.newHolder();
        AtomicBoolean acquired = new AtomicBoolean();
        m.lock(h);
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("waiter", () -> {
                m.lock(h);
                acquired.set(true);
                m.unlock(h);
            });
            awaitQueued(m, h, 1);
            assertEquals(MutexAlgorithm.LOCKED | MutexAlgorithm.PARKED, layout.lockBits(h));
            assertFalse(acquired.get());
            m.unlock(h);
            threads.join(t);
        }
        assertTrue(acquired.get());
        assertEquals(0, layout.read(h));
    }

    /** unlockFair hands the lock to the parked waiter: it stays locked across the hand-over. */
    @ParameterizedTest
    @EnumSource(Layout.class)
    void unlockFairHandsOver(Layout layout) throws Exception {
        FieldMutex m = layout.mutex;
        Object h = layout.newHolder();
        CountDownLatch release = new CountDownLatch(1);
        m.lock(h);
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("waiter", () -> {
                m.lock(h);
                release.await();
                m.unlock(h);
            });
            awaitQueued(m, h, 1);
            m.unlockFair(h);
            assertTrue(m.isLocked(h), "handed over, never free");
            assertFalse(m.tryLock(h));
            release.countDown();
            threads.join(t);
        }
        assertEquals(0, layout.read(h));
    }

    /** bump lets a parked waiter through and re-acquires; without waiters it keeps the lock. */
    @ParameterizedTest
    @EnumSource(Layout.class)
    void bumpLetsAWaiterThrough(Layout layout) throws Exception {
        FieldMutex m = layout.mutex;
        Object h = layout.newHolder();
        AtomicBoolean ran = new AtomicBoolean();
        m.lock(h);
        m.bump(h);
        assertTrue(m.isLocked(h));
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("waiter", () -> {
                m.lock(h);
                ran.set(true);
                m.unlock(h);
            });
            awaitQueued(m, h, 1);
            m.bump(h);
            assertTrue(ran.get());
            assertTrue(m.isLocked(h));
            m.unlock(h);
            threads.join(t);
        }
        assertEquals(0, layout.read(h));
    }

    // ---------------------------------------------------------------------------------------------
    // timeouts and interrupts

    /** Timed tryLock of a held lock times out, not early; zero and negative timeouts try once. */
    @ParameterizedTest
    @EnumSource(Layout.class)
    void timedTryLockTimesOut(Layout layout) throws Exception {
        FieldMutex m = layout.mutex;
        Object h = layout.newHolder();
        m.lock(h);
        try (TestThreads threads = new TestThreads()) {
            threads.join(threads.start("timed", () -> {
                long start = System.nanoTime();
                assertFalse(m.tryLock(h, SHORT_MILLIS, TimeUnit.MILLISECONDS));
                assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(SHORT_MILLIS));
                assertFalse(m.tryLock(h, 0, TimeUnit.NANOSECONDS));
                assertFalse(m.tryLock(h, -1, TimeUnit.DAYS));
                assertFalse(m.tryLock(h, Long.MIN_VALUE, TimeUnit.NANOSECONDS));
            }));
        }
        assertEquals(0, ParkingLot.queueLength(h, lane(m)));
        assertEquals(MutexAlgorithm.LOCKED, layout.lockBits(h), "the last waiter leaving cleared PARKED");
        m.unlock(h);
        assertTrue(m.tryLock(h, 0, TimeUnit.NANOSECONDS), "a zero timeout still tries");
        m.unlock(h);
        assertTrue(m.tryLock(h, -5, TimeUnit.SECONDS));
        m.unlock(h);
    }

    /** A timed tryLock with Long.MAX_VALUE of any unit waits until the unlock (never overflows into "now"). */
    @ParameterizedTest
    @EnumSource(Layout.class)
    void timedTryLockWithHugeTimeoutWaitsForUnlock(Layout layout) throws Exception {
        FieldMutex m = layout.mutex;
        Object h = layout.newHolder();
        m.lock(h);
        try (TestThreads threads = new TestThreads()) {
            Thread a = threads.start("nanos", () -> {
                assertTrue(m.tryLock(h, Long.MAX_VALUE, TimeUnit.NANOSECONDS));
                m.unlock(h);
            });
            Thread b = threads.startVirtual("days", () -> {
                assertTrue(m.tryLock(h, Long.MAX_VALUE, TimeUnit.DAYS));
                m.unlock(h);
            });
            awaitQueued(m, h, 2);
            m.unlock(h);
            threads.join(a);
            threads.join(b);
        }
        assertEquals(0, layout.read(h));
    }

    /** lockInterruptibly and timed tryLock throw at once, clearing the status, if interrupted on entry. */
    @ParameterizedTest
    @EnumSource(Layout.class)
    void interruptedOnEntryThrows(Layout layout) {
        FieldMutex m = layout.mutex;
        Object h = layout.newHolder();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> m.lockInterruptibly(h));
        assertFalse(Thread.interrupted());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> m.tryLock(h, 1, TimeUnit.SECONDS));
        assertFalse(Thread.interrupted());
        assertFalse(m.isLocked(h));
    }

    /** An interrupt ends lockInterruptibly's and timed tryLock's wait with InterruptedException, status cleared. */
    @ParameterizedTest
    @EnumSource(Layout.class)
    void interruptWhileWaitingThrows(Layout layout) throws Exception {
        FieldMutex m = layout.mutex;
        Object h = layout.newHolder();
        m.lock(h);
        try (TestThreads threads = new TestThreads()) {
            Thread a = threads.start("interruptible", () -> {
                assertThrows(InterruptedException.class, () -> m.lockInterruptibly(h));
                assertFalse(Thread.currentThread().isInterrupted());
            });
            Thread b = threads.startVirtual("timed", () -> {
                assertThrows(InterruptedException.class, () -> m.tryLock(h, 1, TimeUnit.DAYS));
                assertFalse(Thread.currentThread().isInterrupted());
            });
            awaitQueued(m, h, 2);
            a.interrupt();
            b.interrupt();
            threads.join(a);
            threads.join(b);
        }
        assertEquals(MutexAlgorithm.LOCKED, layout.lockBits(h));
        m.unlock(h);
        assertEquals(0, layout.read(h));
    }

    /** lock() ignores an interrupt while waiting and returns holding the lock, the status still set. */
    @ParameterizedTest
    @EnumSource(Layout.class)
    void lockIgnoresInterruptButKeepsStatus(Layout layout) throws Exception {
        FieldMutex m = layout.mutex;
        Object h = layout.newHolder();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        m.lock(h);
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("uninterruptible", () -> {
                m.lock(h);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
                m.unlock(h);
            });
            awaitQueued(m, h, 1);
            t.interrupt();
            awaitQueued(m, h, 1); // still waiting after the interrupt
            m.unlock(h);
            threads.join(t);
        }
        assertTrue(stillInterrupted.get());
    }

    // ---------------------------------------------------------------------------------------------
    // misuse

    /** The factories refuse handles that are not non-final instance fields of the right type. */
    @Test
    void factoriesRefuseUnsuitableHandles() throws Exception {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        VarHandle staticField = lookup.findStaticVarHandle(Unsuitable.class, "staticWord", int.class);
        VarHandle finalField = lookup.findVarHandle(Unsuitable.class, "finalWord", int.class);
        VarHandle shortField = lookup.findVarHandle(Unsuitable.class, "shortWord", short.class);
        VarHandle boxedField = lookup.findVarHandle(Unsuitable.class, "boxedWord", Integer.class);
        VarHandle arrayElement = MethodHandles.arrayElementVarHandle(int[].class);
        assertRefused("static field", () -> FieldMutex.ofInt(staticField));
        assertRefused("final", () -> FieldMutex.ofInt(finalField));
        assertRefused("type short", () -> FieldMutex.ofInt(shortField));
        assertRefused("type java.lang.Integer", () -> FieldMutex.ofInt(boxedField));
        assertRefused("array element", () -> FieldMutex.ofInt(arrayElement));
        assertRefused("type long", () -> FieldMutex.ofInt(LongHolder.WORD));
        assertRefused("type int", () -> FieldMutex.ofLong(IntHolder.WORD));
        assertRefused("type int", () -> FieldMutex.ofLong(finalField));
        assertEquals("handle", assertThrows(NullPointerException.class, () -> FieldMutex.ofInt(null)).getMessage());
        assertEquals("handle", assertThrows(NullPointerException.class, () -> FieldMutex.ofLong(null, 3)).getMessage());
    }

    /** firstBit must leave room for three bits: 0..29 in an int, 0..61 in a long. */
    @Test
    void factoriesCheckFirstBit() {
        assertRefused("0..29", () -> FieldMutex.ofInt(IntHolder.WORD, -1));
        assertRefused("0..29", () -> FieldMutex.ofInt(IntHolder.WORD, 30));
        assertRefused("0..29", () -> FieldMutex.ofInt(IntHolder.WORD, Integer.MIN_VALUE));
        assertRefused("0..61", () -> FieldMutex.ofLong(LongHolder.WORD, -1));
        assertRefused("0..61", () -> FieldMutex.ofLong(LongHolder.WORD, 62));
        assertEquals(29, FieldMutex.ofInt(IntHolder.WORD, 29).firstBit());
        assertEquals(0xE000_0000L, FieldMutex.ofInt(IntHolder.WORD, 29).mask());
        assertEquals(0xE000_0000_0000_0000L, FieldMutex.ofLong(LongHolder.WORD, 61).mask());
        assertEquals(7L, FieldMutex.ofLong(LongHolder.WORD).mask());
    }

    private static void assertRefused(String messagePart, Executable factory) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, factory);
        assertTrue(e.getMessage().contains(messagePart), "message: " + e.getMessage());
    }

    /** Every operation throws NullPointerException naming the holder if it is null. */
    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"INT_13", "LONG_30"})
    void nullHolderIsRefusedByName(Layout layout) {
        FieldMutex m = layout.mutex;
        List<Executable> calls = List.of(() -> m.lock(null), () -> m.lockInterruptibly(null), () -> m.tryLock(null),
                () -> m.tryLock(null, 1, TimeUnit.SECONDS), () -> m.unlock(null), () -> m.unlockFair(null),
                () -> m.bump(null), () -> m.isLocked(null), () -> m.asLock(null));
        for (Executable call : calls) {
            assertEquals("holder", assertThrows(NullPointerException.class, call).getMessage());
        }
        Object h = layout.newHolder();
        assertThrows(NullPointerException.class, () -> m.tryLock(h, 1, null));
        assertFalse(m.isLocked(h));
    }

    /** A holder of another class than the field's is refused with ClassCastException. */
    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"INT_13", "LONG_30"})
    void holderOfWrongClassIsRefused(Layout layout) {
        FieldMutex m = layout.mutex;
        Object wrong = new Object();
        assertThrows(ClassCastException.class, () -> m.lock(wrong));
        assertThrows(ClassCastException.class, () -> m.tryLock(wrong));
        assertThrows(ClassCastException.class, () -> m.asLock(wrong));
    }

    /** toString names the field and the bits. */
    @Test
    void toStringNamesFieldAndBits() {
        assertEquals("FieldMutex[FieldMutexTest$IntHolder.word, bits 13..15]", Layout.INT_13.mutex.toString());
        assertEquals("FieldMutex[FieldMutexTest$LongHolder.word, bits 61..63]", Layout.LONG_61.mutex.toString());
        Object h = Layout.INT_13.newHolder();
        Lock view = Layout.INT_13.mutex.asLock(h);
        String expected = "FieldMutex[FieldMutexTest$IntHolder.word, bits 13..15] of IntHolder@";
        assertTrue(view.toString().startsWith(expected), view.toString());
        assertTrue(view.toString().endsWith("[Unlocked]"), view.toString());
    }

    // ---------------------------------------------------------------------------------------------
    // lanes: several locks in one holder

    /** Two locks in different bits of one field are independent: holding or waiting on one leaves the other. */
    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"INT_0", "LONG_0"})
    void twoLocksInOneFieldAreIndependent(Layout layout) throws Exception {
        FieldMutex a = layout.mutex;
        FieldMutex b = layout.isInt ? FieldMutex.ofInt(IntHolder.WORD, 3) : FieldMutex.ofLong(LongHolder.WORD, 3);
        assertNotEquals(lane(a), lane(b));
        Object h = layout.newHolder();
        AtomicBoolean gotA = new AtomicBoolean();
        a.lock(h);
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("waiterA", () -> {
                a.lock(h);
                gotA.set(true);
                a.unlock(h);
            });
            awaitQueued(a, h, 1);
            for (int i = 0; i < 100; i++) { // churn b, also with its slow paths: a's waiter must not notice
                b.lock(h);
                b.unlockFair(h);
            }
            assertTrue(b.tryLock(h));
            assertEquals(MutexAlgorithm.LOCKED, (int) ((layout.read(h) >>> 3) & 7));
            b.unlock(h);
            assertEquals(1, ParkingLot.queueLength(h, lane(a)));
            assertFalse(gotA.get());
            a.unlock(h);
            threads.join(t);
        }
        assertTrue(gotA.get());
        assertEquals(0, layout.read(h));
    }

    /** Two FieldMutex objects over the same field and bits are the same lock, with the same queue. */
    @Test
    void sameFieldAndBitsShareTheQueue() throws Exception {
        FieldMutex a = FieldMutex.ofInt(IntHolder.WORD, 7);
        FieldMutex b = FieldMutex.ofInt(IntHolder.WORD, 7);
        assertEquals(lane(a), lane(b));
        assertNotEquals(lane(a), lane(FieldMutex.ofInt(IntHolder.WORD, 8)));
        assertNotEquals(lane(a), lane(FieldMutex.ofLong(LongHolder.WORD, 7)));
        assertTrue((lane(a) & FieldMutexes.LANE_TAG) != 0);
        IntHolder h = new IntHolder();
        a.lock(h);
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.start("waiter", () -> {
                b.lock(h);
                b.unlock(h);
            });
            awaitQueued(b, h, 1);
            a.unlock(h); // must wake b's waiter
            threads.join(t);
        }
        assertEquals(0, h.word);
    }

    // ---------------------------------------------------------------------------------------------
    // the user's bits

    /**
     * Threads flipping the user's bits with getAndBitwiseXor while others lock and unlock (contended, so
     * PARKED and WOKEN are set and cleared) lose no flip and leave the lock bits clear.
     */
    @ParameterizedTest
    @EnumSource(Layout.class)
    void userBitsSurviveConcurrentUpdates(Layout layout) throws Exception {
        FieldMutex m = layout.mutex;
        Object h = layout.newHolder();
        long userBits = layout.userBits();
        int lockers = 4;
        int flippers = 2;
        int rounds = 20_000;
        long[] counter = new long[1];
        AtomicLong expected = new AtomicLong();
        try (TestThreads threads = new TestThreads()) {
            List<Thread> all = new ArrayList<>();
            for (int i = 0; i < lockers; i++) {
                boolean virtual = i % 2 == 1;
                MutexTestSupport.Body body = () -> {
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    for (int r = 0; r < rounds; r++) {
                        m.lock(h);
                        counter[0]++;
                        if (rnd.nextInt(8) == 0) {
                            Thread.yield(); // hold it a while now and then, so that others park
                        }
                        if (rnd.nextBoolean()) {
                            m.unlock(h);
                        } else {
                            m.unlockFair(h);
                        }
                    }
                };
                all.add(virtual ? threads.startVirtual("locker" + i, body) : threads.start("locker" + i, body));
            }
            for (int i = 0; i < flippers; i++) {
                all.add(threads.start("flipper" + i, () -> {
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    long mine = 0;
                    for (int r = 0; r < rounds * 2; r++) {
                        long bits = rnd.nextLong() & userBits;
                        layout.xor(h, bits);
                        mine ^= bits;
                    }
                    long flipped = mine;
                    expected.accumulateAndGet(flipped, (x, y) -> x ^ y);
                }));
            }
            for (Thread t : all) {
                threads.join(t);
            }
        }
        assertEquals((long) lockers * rounds, counter[0]);
        assertEquals(expected.get(), layout.read(h) & userBits, "the user's bits");
        assertEquals(0, layout.lockBits(h), "the lock's bits");
    }

    // ---------------------------------------------------------------------------------------------
    // virtual threads

    /** Many virtual threads contending for one field lock exclude each other and all finish. */
    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"INT_29", "LONG_61"})
    void virtualThreadsExclude(Layout layout) throws Exception {
        FieldMutex m = layout.mutex;
        Object h = layout.newHolder();
        int threadsCount = 200;
        int rounds = 200;
        long[] counter = new long[1];
        try (TestThreads threads = new TestThreads()) {
            for (int i = 0; i < threadsCount; i++) {
                threads.startVirtual("v" + i, () -> {
                    for (int r = 0; r < rounds; r++) {
                        m.lock(h);
                        try {
                            long v = counter[0];
                            if ((r & 15) == 0) {
                                Thread.yield();
                            }
                            counter[0] = v + 1;
                        } finally {
                            m.unlock(h);
                        }
                    }
                });
            }
            threads.joinAll();
        }
        assertEquals((long) threadsCount * rounds, counter[0]);
        assertEquals(0, layout.read(h));
    }

    // ---------------------------------------------------------------------------------------------
    // the Lock view and conditions

    /** The view's methods act on the holder's lock; views of one holder are the same lock. */
    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"INT_13", "LONG_30"})
    void lockViewActsOnTheHolder(Layout layout) throws Exception {
        FieldMutex m = layout.mutex;
        Object h = layout.newHolder();
        Lock view = m.asLock(h);
        Lock other = m.asLock(h);
        view.lock();
        assertTrue(m.isLocked(h));
        assertFalse(other.tryLock());
        assertFalse(other.tryLock(0, TimeUnit.NANOSECONDS));
        other.unlock();
        assertFalse(m.isLocked(h));
        view.lockInterruptibly();
        assertTrue(m.isLocked(h));
        view.unlock();
        assertThrows(IllegalMonitorStateException.class, view::unlock);
        assertTrue(view.tryLock(1, TimeUnit.SECONDS));
        view.unlock();
        assertEquals(0, layout.read(h));
    }

    /** A condition of the view: signal wakes the waiter, which returns holding the lock. */
    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"INT_13", "LONG_30"})
    void conditionAwaitAndSignal(Layout layout) throws Exception {
        FieldMutex m = layout.mutex;
        Object h = layout.newHolder();
        Lock view = m.asLock(h);
        Condition ready = view.newCondition();
        boolean[] flag = new boolean[1];
        AtomicBoolean heldOnReturn = new AtomicBoolean();
        try (TestThreads threads = new TestThreads()) {
            Thread t = threads.startVirtual("waiter", () -> {
                view.lock();
                try {
                    while (!flag[0]) {
                        ready.await();
                    }
                    heldOnReturn.set(m.isLocked(h));
                } finally {
                    view.unlock();
                }
            });
            awaitTrue("the waiter waits", () -> ((Condvar) ready).getWaitQueueLength() == 1);
            m.lock(h);
            flag[0] = true;
            ready.signal();
            awaitQueued(m, h, 1); // requeued onto the field lock's queue: the lock is held
            m.unlock(h);
            threads.join(t);
        }
        assertTrue(heldOnReturn.get());
        assertEquals(0, layout.read(h));
    }

    /** Condvar.notifyAllWaiters with the view: one wakes, the rest move to (holder, lane), all finish. */
    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"INT_29", "LONG_61"})
    void condvarNotifyAllRequeuesOntoTheFieldLock(Layout layout) throws Exception {
        FieldMutex m = layout.mutex;
        Object h = layout.newHolder();
        Condvar cv = new Condvar();
        int waiters = 4;
        long[] woken = new long[1];
        try (TestThreads threads = new TestThreads()) {
            for (int i = 0; i < waiters; i++) {
                MutexTestSupport.Body body = () -> {
                    Lock view = m.asLock(h);
                    view.lock();
                    try {
                        cv.await(view);
                        woken[0]++;
                    } finally {
                        view.unlock();
                    }
                };
                if (i % 2 == 0) {
                    threads.start("waiter" + i, body);
                } else {
                    threads.startVirtual("waiter" + i, body);
                }
            }
            awaitTrue("all wait", () -> cv.getWaitQueueLength() == waiters);
            m.lock(h);
            assertEquals(waiters, cv.notifyAllWaiters());
            awaitQueued(m, h, waiters); // all moved onto the held field lock's queue
            m.unlock(h);
            threads.joinAll();
        }
        assertEquals(waiters, woken[0]);
        assertEquals(0, layout.read(h));
    }

    /** Condition methods and Condvar.await throw IllegalMonitorStateException when the lock is not held. */
    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"INT_0", "LONG_0"})
    void conditionRequiresTheLock(Layout layout) {
        FieldMutex m = layout.mutex;
        Object h = layout.newHolder();
        Lock view = m.asLock(h);
        Condition c = view.newCondition();
        assertThrows(IllegalMonitorStateException.class, c::await);
        assertThrows(IllegalMonitorStateException.class, c::awaitUninterruptibly);
        assertThrows(IllegalMonitorStateException.class, () -> c.awaitNanos(1000));
        assertThrows(IllegalMonitorStateException.class, c::signal);
        assertThrows(IllegalMonitorStateException.class, c::signalAll);
        assertThrows(IllegalMonitorStateException.class, () -> new Condvar().await(view));
        assertEquals(0, layout.read(h));
    }

    /** A timed condition wait without a signal times out and returns holding the lock. */
    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"INT_13", "LONG_30"})
    void conditionTimedWaitTimesOut(Layout layout) throws Exception {
        FieldMutex m = layout.mutex;
        Object h = layout.newHolder();
        Lock view = m.asLock(h);
        Condition c = view.newCondition();
        view.lock();
        try {
            assertFalse(c.await(SHORT_MILLIS, TimeUnit.MILLISECONDS));
            assertTrue(m.isLocked(h));
        } finally {
            view.unlock();
        }
        assertEquals(0, layout.read(h));
    }
}
