package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parkinglot.locks.MutexTestSupport.awaitTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.locks.MutexTestSupport.Kind;
import org.parkinglot.locks.MutexTestSupport.TestThreads;

/**
 * The mutexes and condvars with many virtual threads: exact counts under contention, and no carrier
 * pinning (checked with JFR's {@code jdk.VirtualThreadPinned} event, with a positive control showing
 * that the check sees pinning when it does happen).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VirtualThreadLocksTest {

    /** Virtual threads per workload. */
    private static final int THREADS = 10_000;
    /** Critical sections per thread in the counter workload. */
    private static final int INCREMENTS = 10;

    /** A counter guarded by a mutex under test; plain on purpose. */
    private static final class Counter {
        long value;
    }

    // ---------------------------------------------------------------------------------------------
    // workloads

    /** THREADS virtual threads each increment a plain counter INCREMENTS times under {@code m}; returns the count. */
    private static long contendedCounter(Lock m) throws InterruptedException {
        Counter c = new Counter();
        try (TestThreads threads = new TestThreads()) {
            for (int i = 0; i < THREADS; i++) {
                threads.startVirtual("inc-" + i, () -> {
                    for (int k = 0; k < INCREMENTS; k++) {
                        m.lock();
                        try {
                            long v = c.value;
                            Thread.yield(); // widen the read-modify-write window
                            c.value = v + 1;
                        } finally {
                            m.unlock();
                        }
                    }
                });
            }
            threads.joinAll();
        }
        assertFalse(Kind.isLocked(m));
        m.lock();
        try {
            return c.value;
        } finally {
            m.unlock();
        }
    }

    /**
     * THREADS virtual threads all wait on {@code cv} with {@code m} until a flag is set, then count
     * themselves out under {@code m}; returns the final count.
     */
    private static long massWaitOnCondvar(Lock m, Condvar cv) throws InterruptedException {
        Counter done = new Counter();
        boolean[] go = new boolean[1]; // guarded by m
        try (TestThreads threads = new TestThreads()) {
            for (int i = 0; i < THREADS; i++) {
                threads.startVirtual("waiter-" + i, () -> {
                    m.lock();
                    try {
                        while (!go[0]) {
                            cv.await(m);
                        }
                        done.value++;
                    } finally {
                        m.unlock();
                    }
                });
            }
            awaitTrue("all threads wait on the condvar", () -> cv.getWaitQueueLength() == THREADS);
            m.lock();
            try {
                go[0] = true;
                assertEquals(THREADS, cv.notifyAllWaiters());
                assertEquals(THREADS, ParkingLot.queueLength(m, 0L)); // all requeued while we hold m
            } finally {
                m.unlock();
            }
            threads.joinAll();
        }
        assertEquals(0, cv.getWaitQueueLength());
        m.lock();
        try {
            return done.value;
        } finally {
            m.unlock();
        }
    }

    /**
     * THREADS/2 producers each put one value into a bounded buffer guarded by a ReentrantMutex with two
     * conditions, THREADS/2 consumers each take one; returns {sum put, sum taken, items taken}.
     */
    private static long[] producerConsumer(ReentrantMutex m) throws InterruptedException {
        int pairs = THREADS / 2;
        Condition notFull = m.newCondition();
        Condition notEmpty = m.newCondition();
        long[] buffer = new long[8];
        int[] headCount = new int[2]; // [0] head index, [1] count; guarded by m
        AtomicLong putSum = new AtomicLong();
        AtomicLong takeSum = new AtomicLong();
        AtomicLong taken = new AtomicLong();
        try (TestThreads threads = new TestThreads()) {
            for (int i = 0; i < pairs; i++) {
                long value = i + 1;
                threads.startVirtual("consumer-" + i, () -> {
                    long v;
                    m.lock();
                    try {
                        while (headCount[1] == 0) {
                            notEmpty.await();
                        }
                        v = buffer[headCount[0]];
                        headCount[0] = (headCount[0] + 1) % buffer.length;
                        headCount[1]--;
                        notFull.signal();
                    } finally {
                        m.unlock();
                    }
                    takeSum.addAndGet(v);
                    taken.incrementAndGet();
                });
                threads.startVirtual("producer-" + i, () -> {
                    m.lock();
                    try {
                        while (headCount[1] == buffer.length) {
                            notFull.await();
                        }
                        buffer[(headCount[0] + headCount[1]) % buffer.length] = value;
                        headCount[1]++;
                        notEmpty.signal();
                    } finally {
                        m.unlock();
                    }
                    putSum.addAndGet(value);
                });
            }
            threads.joinAll();
        }
        return new long[] {putSum.get(), takeSum.get(), taken.get()};
    }

    // ---------------------------------------------------------------------------------------------
    // counts

    /** 10 000 virtual threads contending one mutex for a plain counter leave it exactly THREADS * INCREMENTS. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "REENTRANT"})
    @Timeout(120)
    void contendedCounterIsExact(Kind kind) throws Exception {
        Lock m = kind.create();
        assertEquals((long) THREADS * INCREMENTS, contendedCounter(m));
        assertEquals(0, ParkingLot.queueLength(m, 0L));
    }

    /** 10 000 virtual threads waiting on one condvar are all released by one notifyAllWaiters and each counts itself once. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "REENTRANT"})
    @Timeout(120)
    void massCondvarWaitCountIsExact(Kind kind) throws Exception {
        Lock m = kind.create();
        assertEquals(THREADS, massWaitOnCondvar(m, new Condvar()));
        assertFalse(Kind.isLocked(m));
        assertEquals(0, ParkingLot.queueLength(m, 0L));
    }

    /** 10 000 virtual producers and consumers on a bounded buffer with two conditions move every value exactly once. */
    @Test
    @Timeout(120)
    void producerConsumerIsExact() throws Exception {
        long[] r = producerConsumer(new ReentrantMutex());
        long pairs = THREADS / 2;
        assertEquals(pairs, r[2]);
        assertEquals(pairs * (pairs + 1) / 2, r[0]);
        assertEquals(r[0], r[1]);
    }

    // ---------------------------------------------------------------------------------------------
    // pinning (JFR)

    /** Records {@code jdk.VirtualThreadPinned} (threshold 0, with stack traces) while {@code body} runs; returns the events. */
    private static List<RecordedEvent> pinnedEventsDuring(MutexTestSupport.Body body) throws Throwable {
        try (Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            return MutexTestSupport.eventsDuring(recording, "jdk.VirtualThreadPinned", body);
        }
    }

    /** Describes the events with a stack frame in org.parkinglot (our locks or the parking lot), one string per event. */
    private static List<String> eventsInParkingLot(List<RecordedEvent> events) {
        List<String> found = new ArrayList<>();
        for (RecordedEvent e : events) {
            if (e.getStackTrace() == null) {
                continue;
            }
            StringBuilder frames = new StringBuilder();
            boolean ours = false;
            for (RecordedFrame f : e.getStackTrace().getFrames()) {
                if (f.getMethod() == null) {
                    continue;
                }
                String type = f.getMethod().getType().getName();
                ours |= type.startsWith("org.parkinglot.");
                frames.append("\n    at ").append(type).append('.').append(f.getMethod().getName());
            }
            if (ours) {
                found.add("pinned for " + e.getDuration() + frames);
            }
        }
        return found;
    }

    /** Holds the mutex the pinning control contends for. */
    private static final RawMutex CONTROL_MUTEX = new RawMutex();

    /** A class whose initializer contends for {@link #CONTROL_MUTEX}: a virtual thread parking in {@code <clinit>} pins its carrier. */
    private static final class PinningInitializer {
        static {
            CONTROL_MUTEX.lock();
            CONTROL_MUTEX.unlock();
        }

        static void touch() {
        }
    }

    /**
     * Positive control: a virtual thread that parks in the parking lot inside a class initializer (one
     * of the pinning cases JEP 491 keeps; a {@code synchronized} block around a park no longer pins on
     * JDK 24+, checked on JDK 25) produces a jdk.VirtualThreadPinned event with an org.parkinglot frame,
     * so the pinning check can fail. Should a later JDK stop pinning in class initializers, this control
     * fails and needs another source of pinning (a native frame).
     */
    @Test
    @Timeout(60)
    void pinningCheckDetectsPinningInClassInitializer() throws Throwable {
        List<RecordedEvent> events = pinnedEventsDuring(() -> {
            CONTROL_MUTEX.lock();
            try (TestThreads threads = new TestThreads()) {
                Thread t = threads.startVirtual("clinit", PinningInitializer::touch);
                MutexTestSupport.awaitQueued(CONTROL_MUTEX, 1);
                CONTROL_MUTEX.unlock();
                threads.join(t);
            }
        });
        List<String> ours = eventsInParkingLot(events);
        assertFalse(ours.isEmpty(), "no pinned event recorded; events: " + events);
        // Not necessarily the first: the virtual thread may also have waited, pinned, for a class that the
        // test thread was initializing meanwhile (ParkingLot, when this test runs first in its JVM and the
        // first slow path spends time registering the locks' JFR events, as a recording exists).
        assertTrue(ours.stream().anyMatch(s -> s.contains("org.parkinglot.core.ParkingLot.park")),
                String.join("\n", ours));
    }

    /** The virtual-thread workloads on every mutex kind and condvar record no jdk.VirtualThreadPinned event in org.parkinglot code. */
    @Test
    @Timeout(120)
    void workloadsDoNotPinCarriers() throws Throwable {
        List<RecordedEvent> events = pinnedEventsDuring(() -> {
            for (Kind kind : Kind.values()) {
                assertEquals((long) THREADS * INCREMENTS, contendedCounter(kind.create()), kind.name());
            }
            assertEquals(THREADS, massWaitOnCondvar(new RawFairMutex(), new Condvar()));
            assertEquals(THREADS, massWaitOnCondvar(new ReentrantMutex(), new Condvar()));
            long[] r = producerConsumer(new ReentrantMutex(true));
            assertEquals(r[0], r[1]);
        });
        List<String> ours = eventsInParkingLot(events);
        assertTrue(ours.isEmpty(), ours.size() + " pinned event(s) in org.parkinglot, first: "
                + (ours.isEmpty() ? "" : ours.get(0)));
    }
}
