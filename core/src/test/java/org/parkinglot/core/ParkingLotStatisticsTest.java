package org.parkinglot.core;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * The parking lot's statistics: each scripted scenario moves each counter by a known amount (the
 * difference between a snapshot before and after), the counts survive a table resize, and the MXBean
 * registered by {@link ParkingLot#registerMXBean()} or by the system property reads back the snapshot.
 *
 * <p>Test classes run one after the other in one JVM (no parallel execution is configured), so with a
 * quiet lot (checked first) every delta is exact: every event counter not named in a scenario must
 * not move. Each test parks its threads on fresh keys and unparks and joins every thread it started,
 * also when it fails ({@link #releaseAll()}).
 */
class ParkingLotStatisticsTest {

    /** The counters that count events (they only grow); the other components describe the lot now. */
    private static final List<String> EVENTS = List.of("parks", "invalidParks", "unparks", "fairUnparks",
            "requeues", "timeouts", "interrupts", "abortedParks");
    /** The token the cleanup hands to threads a failed test left parked. */
    private static final long STRAGGLER_TOKEN = -1L;

    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<Object> keys = new CopyOnWriteArrayList<>();

    @BeforeEach
    void requireQuietLot() {
        assertEquals(0, ParkingTable.totalQueued(), "another test left threads queued");
        ParkingLotStatistics s = ParkingLot.statistics();
        assertEquals(0, s.queuedThreads(), () -> "counters out of step with the queues: " + s);
        assertEquals(0, s.queuedKeys(), () -> "key count out of step with the queues: " + s);
    }

    /** Unparks and joins every thread the test started; unregisters the MXBean a test registered. */
    @AfterEach
    void releaseAll() throws InterruptedException {
        long deadline = System.nanoTime() + SECONDS.toNanos(30);
        for (Thread t : threads) {
            while (t.isAlive()) {
                for (Object k : keys) {
                    ParkingLot.unparkAll(k, 0L, STRAGGLER_TOKEN);
                }
                t.join(10);
                if (System.nanoTime() - deadline > 0) {
                    fail("a test thread could not be stopped: " + t);
                }
            }
        }
        ParkingLot.unregisterMXBean();
        System.clearProperty(ParkingLotMXBean.JMX_PROPERTY);
    }

    // ---------------------------------------------------------------------------------------------
    // helpers

    /** A thread that parks once on (key, 0) and keeps how the park ended. */
    private final class Parked {
        final Object key;
        final Thread thread;
        volatile ParkResult result;
        volatile Throwable failure;

        Parked(Object key, ParkingLot.ParkCallbacks callbacks, long parkToken, long timeoutNanos,
               boolean interruptible) {
            this.key = key;
            keys.add(key);
            this.thread = Thread.ofPlatform().daemon().unstarted(() -> {
                try {
                    result = ParkingLot.park(key, 0L, callbacks, parkToken, timeoutNanos, interruptible);
                } catch (Throwable e) {
                    failure = e;
                }
            });
            threads.add(thread);
            thread.start();
        }

        /** Waits for the park to end and returns its result. */
        ParkResult join() throws InterruptedException {
            thread.join(SECONDS.toMillis(20));
            assertFalse(thread.isAlive(), () -> thread + " did not return from its park");
            return result;
        }
    }

    /** Callbacks that always validate. */
    private static final ParkingLot.ParkCallbacks VALID = (key, lane) -> true;

    /** Callbacks that always validate and run {@code beforeSleep} before sleeping. */
    private static ParkingLot.ParkCallbacks validThen(Runnable beforeSleep) {
        return new ParkingLot.ParkCallbacks() {
            @Override
            public boolean validate(Object key, long lane) {
                return true;
            }

            @Override
            public void beforeSleep() {
                beforeSleep.run();
            }
        };
    }

    /** Starts a thread parking uninterruptibly, without timeout, on {@code key}, and waits until it is queued. */
    private Parked park(Object key, long parkToken) throws InterruptedException {
        Parked p = new Parked(key, VALID, parkToken, ParkingLot.FOREVER, false);
        await(() -> ParkingLot.isQueued(key, 0L, p.thread), "the thread did not queue");
        return p;
    }

    /** Parks {@code n} threads on {@code key} one after the other (thread i with token i), each queued on return. */
    private List<Parked> parkEach(Object key, int n) throws InterruptedException {
        List<Parked> parked = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            parked.add(park(key, i));
        }
        return parked;
    }

    /** Joins each thread, asserting that its park ended unparked. */
    private static void assertAllUnparked(List<Parked> parked) throws InterruptedException {
        for (Parked p : parked) {
            assertEquals(ParkResult.Kind.UNPARKED, p.join().kind());
        }
    }

    /** Polls {@code condition} every millisecond for up to 30 s; fails with {@code what} if it never holds. */
    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail(what);
            }
            Thread.sleep(1);
        }
    }

    /** The components of a snapshot by name. */
    private static Map<String, Long> components(ParkingLotStatistics s) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (RecordComponent c : ParkingLotStatistics.class.getRecordComponents()) {
            try {
                values.put(c.getName(), ((Number) c.getAccessor().invoke(s)).longValue());
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return values;
    }

    /**
     * Asserts that between two snapshots every event counter moved by exactly the amount given
     * ({@code "parks", 1L, ...}), and every other event counter did not move.
     */
    private static void assertDeltas(ParkingLotStatistics before, ParkingLotStatistics after, Object... expected) {
        Map<String, Long> want = new HashMap<>();
        for (int i = 0; i < expected.length; i += 2) {
            want.put((String) expected[i], ((Number) expected[i + 1]).longValue());
        }
        Map<String, Long> b = components(before);
        Map<String, Long> a = components(after);
        for (String name : EVENTS) {
            assertEquals(want.getOrDefault(name, 0L), a.get(name) - b.get(name),
                    () -> name + " moved wrongly, from " + before + " to " + after);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // counters

    /** A park whose validate returns false counts one refused park and nothing else. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void refusedParkCountsAnInvalidParkOnly() {
        ParkingLotStatistics before = ParkingLot.statistics();
        assertSame(ParkResult.INVALID, ParkingLot.park(new Object(), () -> false));
        assertDeltas(before, ParkingLot.statistics(), "invalidParks", 1);
    }

    /** A parked thread counts one park and one queued thread; unparkOne then counts one unpark. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void parkThenUnparkOneCountsOneOfEach() throws Exception {
        Object key = new Object();
        ParkingLotStatistics before = ParkingLot.statistics();
        Parked p = park(key, 0L);
        ParkingLotStatistics parked = ParkingLot.statistics();
        assertDeltas(before, parked, "parks", 1);
        assertEquals(1, parked.queuedThreads());
        assertEquals(1, parked.queuedKeys());

        UnparkResult r = ParkingLot.unparkOne(key);
        assertEquals(1, r.unparkedThreads());
        assertEquals(ParkResult.Kind.UNPARKED, p.join().kind());
        ParkingLotStatistics after = ParkingLot.statistics();
        assertDeltas(before, after, "parks", 1, "unparks", 1, "fairUnparks", r.beFair() ? 1 : 0);
        assertEquals(0, after.queuedThreads());
        assertEquals(0, after.queuedKeys());
    }

    /** A timed park that expires counts one park and one timeout. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void expiredTimedParkCountsATimeout() {
        ParkingLotStatistics before = ParkingLot.statistics();
        ParkResult r = ParkingLot.park(new Object(), 0L, VALID, ParkingLot.DEFAULT_PARK_TOKEN, 5_000_000L, false);
        assertSame(ParkResult.TIMED_OUT, r);
        assertDeltas(before, ParkingLot.statistics(), "parks", 1, "timeouts", 1);
    }

    /** A park that returns at once (zero timeout, or an interrupt pending) never queued: no counter moves. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void parkThatReturnsAtOnceIsNotCounted() {
        ParkingLotStatistics before = ParkingLot.statistics();
        assertSame(ParkResult.TIMED_OUT,
                ParkingLot.park(new Object(), 0L, VALID, ParkingLot.DEFAULT_PARK_TOKEN, 0L, false));
        Thread.currentThread().interrupt();
        try {
            assertSame(ParkResult.INTERRUPTED,
                    ParkingLot.park(new Object(), 0L, VALID, ParkingLot.DEFAULT_PARK_TOKEN, ParkingLot.FOREVER, true));
        } finally {
            Thread.interrupted();
        }
        assertDeltas(before, ParkingLot.statistics());
    }

    /** An interruptible park ended by an interrupt counts one park and one interrupt. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void interruptedParkCountsAnInterrupt() throws Exception {
        Object key = new Object();
        ParkingLotStatistics before = ParkingLot.statistics();
        Parked p = new Parked(key, VALID, 0L, ParkingLot.FOREVER, true);
        await(() -> ParkingLot.isQueued(key, 0L, p.thread), "the thread did not queue");
        p.thread.interrupt();
        assertSame(ParkResult.INTERRUPTED, p.join());
        assertDeltas(before, ParkingLot.statistics(), "parks", 1, "interrupts", 1);
    }

    /** A beforeSleep that throws makes the thread leave its queue: one park, one aborted park. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void throwingBeforeSleepCountsAnAbortedPark() {
        ParkingLot.ParkCallbacks throwing = validThen(() -> {
            throw new IllegalStateException("beforeSleep");
        });
        ParkingLotStatistics before = ParkingLot.statistics();
        assertThrows(IllegalStateException.class,
                () -> ParkingLot.park(new Object(), 0L, throwing, 0L, ParkingLot.FOREVER, false));
        ParkingLotStatistics after = ParkingLot.statistics();
        assertDeltas(before, after, "parks", 1, "abortedParks", 1);
        assertEquals(0, after.queuedThreads());
    }

    /** unparkAll of five parked threads counts five unparks, and never a fair one. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void unparkAllOfFiveCountsFiveUnparks() throws Exception {
        Object key = new Object();
        ParkingLotStatistics before = ParkingLot.statistics();
        List<Parked> parked = parkEach(key, 5);
        assertEquals(5, ParkingLot.statistics().queuedThreads());
        assertEquals(5, ParkingLot.unparkAll(key));
        assertAllUnparked(parked);
        assertDeltas(before, ParkingLot.statistics(), "parks", 5, "unparks", 5);
    }

    /** Waking one of four and requeueing the rest counts one unpark and three requeues; they stay queued. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void requeueCountsTheMovedThreads() throws Exception {
        Object from = new Object();
        Object to = new Object();
        keys.add(to);
        ParkingLotStatistics before = ParkingLot.statistics();
        List<Parked> parked = parkEach(from, 4);
        UnparkResult r = ParkingLot.unparkRequeue(from, 0L, to, 0L, () -> RequeueOp.UNPARK_ONE_REQUEUE_REST,
                (op, result) -> ParkingLot.DEFAULT_UNPARK_TOKEN);
        assertEquals(new UnparkResult(1, 3, false, r.beFair()), r);
        assertEquals(ParkResult.Kind.UNPARKED, parked.get(0).join().kind());
        ParkingLotStatistics moved = ParkingLot.statistics();
        int fair = r.beFair() ? 1 : 0;
        assertDeltas(before, moved, "parks", 4, "unparks", 1, "fairUnparks", fair, "requeues", 3);
        assertEquals(3, moved.queuedThreads());
        assertEquals(3, ParkingLot.queueLength(to, 0L));

        assertEquals(3, ParkingLot.unparkAll(to));
        assertAllUnparked(parked);
        assertDeltas(before, ParkingLot.statistics(), "parks", 4, "unparks", 4, "fairUnparks", fair, "requeues", 3);
    }

    /** unparkFilter counts the threads it chose, not the ones it skipped. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void unparkFilterCountsTheChosenThreads() throws Exception {
        Object key = new Object();
        ParkingLotStatistics before = ParkingLot.statistics();
        List<Parked> parked = parkEach(key, 3);
        UnparkResult r = ParkingLot.unparkFilter(key, 0L, token -> token % 2 == 0 ? FilterOp.UNPARK : FilterOp.SKIP,
                result -> ParkingLot.DEFAULT_UNPARK_TOKEN);
        assertEquals(2, r.unparkedThreads());
        int fair = r.beFair() ? 1 : 0;
        assertDeltas(before, ParkingLot.statistics(), "parks", 3, "unparks", 2, "fairUnparks", fair);
        assertEquals(1, ParkingLot.unparkAll(key));
        assertAllUnparked(parked);
        assertDeltas(before, ParkingLot.statistics(), "parks", 3, "unparks", 3, "fairUnparks", fair);
    }

    /**
     * fairUnparks counts exactly the unparks that reported beFair: an unpark 2 ms after the bucket's
     * last one always does (the fair timeout is re-armed 0-1 ms ahead), so at least one of them is.
     */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void fairUnparksCountTheUnparksThatReportedBeFair() throws Exception {
        Object key = new Object();
        ParkingLotStatistics before = ParkingLot.statistics();
        int fair = 0;
        for (int i = 0; i < 3; i++) {
            Parked p = park(key, i);
            Thread.sleep(2);
            UnparkResult r = ParkingLot.unparkOne(key);
            assertEquals(1, r.unparkedThreads());
            assertTrue(r.beFair(), "an unpark 2 ms after the last one must report beFair");
            fair++;
            p.join();
        }
        assertDeltas(before, ParkingLot.statistics(), "parks", 3, "unparks", 3, "fairUnparks", fair);
    }

    /**
     * 200 keys queued at once grow the table (64 to 256 buckets: growth at least quadruples the table) and their release shrinks it back;
     * every count made in the old tables survives both resizes, and the longest chain is at least the
     * 3 keys that 129 keys in 64 buckets must put in one bucket.
     */
    @Test
    @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
    void resizesCarryTheCountsOver() throws Exception {
        assertEquals(64, ParkingTable.bucketCount(), "the table should be at its initial size");
        int n = 200;
        Object[] burst = new Object[n];
        CountDownLatch queued = new CountDownLatch(n);
        ParkingLot.ParkCallbacks countDown = validThen(queued::countDown);
        ParkingLotStatistics before = ParkingLot.statistics();
        for (int i = 0; i < n; i++) {
            Object k = new Object();
            burst[i] = k;
            keys.add(k);
            Thread t = Thread.ofVirtual().unstarted(
                    () -> ParkingLot.park(k, 0L, countDown, 0L, ParkingLot.FOREVER, false));
            threads.add(t);
            t.start();
        }
        assertTrue(queued.await(60, SECONDS), "the threads did not all park");
        await(() -> ParkingTable.bucketCount() == 256, "the table did not grow to 256 buckets");
        ParkingLotStatistics grown = ParkingLot.statistics();
        assertDeltas(before, grown, "parks", n);
        assertEquals(256, grown.buckets());
        assertEquals(1, grown.grows() - before.grows());
        assertEquals(0, grown.shrinks() - before.shrinks());
        assertEquals(n, grown.queuedThreads());
        assertEquals(n, grown.queuedKeys());
        assertTrue(grown.longestChain() >= 3, () -> "longest chain " + grown.longestChain());

        for (Object k : burst) {
            assertEquals(1, ParkingLot.unparkAll(k));
        }
        for (Thread t : threads) {
            t.join(SECONDS.toMillis(20));
            assertFalse(t.isAlive(), "a thread did not return from its park");
        }
        ParkingLotStatistics after = ParkingLot.statistics();
        assertDeltas(before, after, "parks", n, "unparks", n);
        assertEquals(64, after.buckets());
        assertEquals(1, after.grows() - before.grows());
        assertEquals(1, after.shrinks() - before.shrinks());
        assertEquals(0, after.queuedThreads());
        assertEquals(0, after.queuedKeys());
        assertTrue(after.longestChain() >= grown.longestChain(), "the longest chain seen went down");
    }

    /** In a quiet lot every counter satisfies the documented identity, and snapshots compare by value. */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void quietLotBalancesTheCounters() {
        ParkingLotStatistics s = ParkingLot.statistics();
        assertEquals(0, s.parks() - s.unparks() - s.timeouts() - s.interrupts() - s.abortedParks(), s::toString);
        assertEquals(s, ParkingLot.statistics());
        assertEquals(ParkingTable.bucketCount(), s.buckets());
    }

    // ---------------------------------------------------------------------------------------------
    // MXBean

    /** Reads every attribute of the registered MXBean and checks it against a snapshot of a quiet lot. */
    private static void assertAttributesMatchTheSnapshot() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(ParkingLotMXBean.OBJECT_NAME);
        ParkingLotStatistics s = ParkingLot.statistics();
        Map<String, Long> expected = components(s);
        MBeanAttributeInfo[] attributes = server.getMBeanInfo(name).getAttributes();
        assertEquals(expected.size(), attributes.length, "one attribute per statistics component");
        List<String> names = new ArrayList<>();
        for (MBeanAttributeInfo a : attributes) {
            String component = Character.toLowerCase(a.getName().charAt(0)) + a.getName().substring(1);
            assertTrue(expected.containsKey(component), () -> "no component for attribute " + a.getName());
            Object value = server.getAttribute(name, a.getName());
            assertEquals(expected.get(component), ((Number) value).longValue(), a.getName());
            names.add(a.getName());
        }
        AttributeList all = server.getAttributes(name, names.toArray(String[]::new));
        assertEquals(names.size(), all.size());
        for (Attribute a : all.asList()) {
            String component = Character.toLowerCase(a.getName().charAt(0)) + a.getName().substring(1);
            assertEquals(expected.get(component), ((Number) a.getValue()).longValue(), a.getName());
        }
        assertEquals(s, ParkingLot.statistics(), "the lot was not quiet while the attributes were read");
    }

    /** registerMXBean registers once (a second call returns false); the attributes read back the snapshot. */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void mxBeanRegisteredByTheMethodReadsBackTheCounters() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(ParkingLotMXBean.OBJECT_NAME);
        ParkingLot.unregisterMXBean();
        assertFalse(server.isRegistered(name));

        assertTrue(ParkingLot.registerMXBean());
        assertFalse(ParkingLot.registerMXBean(), "a second registration must be refused");
        assertTrue(server.isRegistered(name));
        assertTrue(server.isInstanceOf(name, ParkingLotMXBean.class.getName()));
        assertEquals("true", String.valueOf(server.getMBeanInfo(name).getDescriptor().getFieldValue("mxbean")));

        // Move some counters first, so that the comparison is not of zeros only.
        ParkingLot.park(new Object(), 0L, VALID, ParkingLot.DEFAULT_PARK_TOKEN, 1_000_000L, false);
        ParkingLot.park(new Object(), () -> false);
        assertAttributesMatchTheSnapshot();
        assertEquals(ParkingLot.statistics().timeouts(), ((Number) server.getAttribute(name, "Timeouts")).longValue());

        assertTrue(ParkingLot.unregisterMXBean());
        assertFalse(ParkingLot.unregisterMXBean());
        assertFalse(server.isRegistered(name));
    }

    /**
     * The initialisation hook registers the MXBean when -Dorg.parkinglot.jmx=true, and not otherwise
     * (ParkingLot's static initialiser calls the same hook).
     */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void mxBeanRegisteredByTheSystemProperty() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(ParkingLotMXBean.OBJECT_NAME);
        ParkingLot.unregisterMXBean();

        System.clearProperty(ParkingLotMXBean.JMX_PROPERTY);
        ParkingLotManagement.registerIfRequested();
        assertFalse(server.isRegistered(name), "registered without the property");
        System.setProperty(ParkingLotMXBean.JMX_PROPERTY, "false");
        ParkingLotManagement.registerIfRequested();
        assertFalse(server.isRegistered(name), "registered with the property false");

        System.setProperty(ParkingLotMXBean.JMX_PROPERTY, "true");
        ParkingLotManagement.registerIfRequested();
        assertTrue(server.isRegistered(name), "not registered with the property true");
        ParkingLotManagement.registerIfRequested(); // already there: no exception, still one MXBean
        assertTrue(server.isRegistered(name));
        assertAttributesMatchTheSnapshot();
    }
}
