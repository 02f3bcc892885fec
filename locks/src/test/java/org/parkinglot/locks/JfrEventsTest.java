package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parkinglot.locks.MutexTestSupport.awaitQueued;
import static org.parkinglot.locks.MutexTestSupport.awaitTrue;

import java.io.File;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.EventType;
import jdk.jfr.Recording;
import jdk.jfr.SettingDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.locks.MutexTestSupport.Kind;
import org.parkinglot.locks.MutexTestSupport.TestThreads;

/**
 * The JFR events {@code org.parkinglot.ContendedAcquisition} and {@code org.parkinglot.LongHold}:
 * recorded with the right fields when a thread parks for a lock (contention forced deterministically:
 * the test holds the lock until the waiters are queued), absent from recordings that do not enable
 * them and from paths that do not park, declared with their defaults, enabled by the shipped
 * {@code parkinglot.jfc}, and harmless when the {@code jdk.jfr} module is absent (a child JVM).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JfrEventsTest {

    private static final String CONTENDED = "org.parkinglot.ContendedAcquisition";
    private static final String LONG_HOLD = "org.parkinglot.LongHold";
    /** How long the test holds a lock after its waiters queued. */
    private static final long HOLD_MILLIS = 30;

    /**
     * Registers the event classes before any test records: the first slow path after a recorder exists
     * registers them, and slow paths of other threads record nothing meanwhile (JfrLockEvents,
     * "Initialization cost"), which would make a test's first contended acquisition order-dependent.
     */
    @BeforeAll
    static void registerEventClasses() throws Exception {
        try (Recording recording = new Recording()) {
            recording.start();
            LockEvents.start(LockEvents.EXCLUSIVE);
            recording.stop();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // helpers

    /** The events of this package recorded while {@code body} runs, both enabled with threshold 0. */
    private static List<RecordedEvent> recordDuring(MutexTestSupport.Body body) throws Throwable {
        try (Recording recording = new Recording()) {
            recording.enable(CONTENDED).withThreshold(Duration.ZERO).withStackTrace();
            recording.enable(LONG_HOLD).withThreshold(Duration.ZERO).withStackTrace();
            return ourEvents(recording, body);
        }
    }

    /** Starts {@code recording}, runs {@code body}, stops, and returns the events named org.parkinglot.*. */
    private static List<RecordedEvent> ourEvents(Recording recording, MutexTestSupport.Body body) throws Throwable {
        return MutexTestSupport.eventsDuring(recording, "org.parkinglot.", body);
    }

    /**
     * Locks {@code lock}, starts a waiter that locks and unlocks it, unlocks {@code holdMillis} after the
     * waiter queued, and waits for it; returns the waiter.
     */
    private static Thread oneWaiter(Lock lock, long holdMillis) throws Throwable {
        try (TestThreads threads = new TestThreads()) {
            lock.lock();
            Thread waiter = threads.start("waiter", () -> {
                lock.lock();
                lock.unlock();
            });
            awaitQueued(lock, 1);
            Thread.sleep(holdMillis);
            lock.unlock();
            threads.joinAll();
            return waiter;
        }
    }

    /** The events named {@code name} that {@code thread} emitted. */
    private static List<RecordedEvent> of(List<RecordedEvent> events, String name, Thread thread) {
        List<RecordedEvent> found = new ArrayList<>();
        for (RecordedEvent e : events) {
            RecordedThread t = e.getThread();
            if (e.getEventType().getName().equals(name) && t != null && t.getJavaThreadId() == thread.threadId()) {
                found.add(e);
            }
        }
        return found;
    }

    /** The one event named {@code name} that {@code thread} emitted. */
    private static RecordedEvent single(List<RecordedEvent> events, String name, Thread thread) {
        List<RecordedEvent> found = of(events, name, thread);
        assertEquals(1, found.size(), () -> name + " events of " + thread.getName() + ": " + found);
        return found.get(0);
    }

    /** Asserts the identifying fields of a ContendedAcquisition or LongHold event. */
    private static void assertNames(RecordedEvent e, Object lock, String mode) {
        assertEquals(lock.getClass().getName(), e.getClass("lockClass").getName());
        assertEquals(System.identityHashCode(lock), e.getInt("lockIdentity"));
        assertEquals(mode, e.getString("mode"));
    }

    /** Asserts a ContendedAcquisition of one park that acquired the lock after at least HOLD_MILLIS. */
    private static void assertAcquired(RecordedEvent e, Object lock, String mode, int queueLength) {
        assertNames(e, lock, mode);
        assertTrue(e.getBoolean("acquired"), "acquired");
        assertEquals(1, e.getInt("parks"), "parks");
        assertEquals(queueLength, e.getInt("queueLength"), "queueLength");
        assertTrue(e.getDuration().toMillis() >= HOLD_MILLIS, () -> "duration " + e.getDuration());
        assertNotNull(e.getStackTrace(), "stack trace");
    }

    // ---------------------------------------------------------------------------------------------
    // contended acquisition

    /** A fair mutex's hand-off: two queued waiters each record one park, handed over, with the queue behind them. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW_FAIR", "REENTRANT_FAIR"})
    void fairHandOffIsRecordedWithQueueLength(Kind kind) throws Throwable {
        Lock lock = kind.create();
        Thread[] waiters = new Thread[2];
        List<RecordedEvent> events = recordDuring(() -> {
            try (TestThreads threads = new TestThreads()) {
                lock.lock();
                for (int i = 0; i < 2; i++) {
                    waiters[i] = threads.start("waiter-" + i, () -> {
                        lock.lock();
                        lock.unlock();
                    });
                    awaitQueued(lock, i + 1);
                }
                Thread.sleep(HOLD_MILLIS);
                lock.unlock();
                threads.joinAll();
            }
        });
        RecordedEvent first = single(events, CONTENDED, waiters[0]);
        assertAcquired(first, lock, LockEvents.EXCLUSIVE, 1); // the second waiter was still queued
        assertTrue(first.getBoolean("handedOver"), "fair unlock hands over");
        RecordedEvent second = single(events, CONTENDED, waiters[1]);
        assertAcquired(second, lock, LockEvents.EXCLUSIVE, 0);
        assertTrue(second.getBoolean("handedOver"), "fair unlock hands over");
    }

    /** Every mutex kind records the waiter's acquisition, naming the lock by class and identity hash. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void contendedMutexAcquisitionIsRecorded(Kind kind) throws Throwable {
        Lock lock = kind.create();
        Thread[] waiter = new Thread[1];
        List<RecordedEvent> events = recordDuring(() -> waiter[0] = oneWaiter(lock, HOLD_MILLIS));
        // handedOver is not asserted: an unfair unlock hands over when the bucket's fair timer fires.
        assertAcquired(single(events, CONTENDED, waiter[0]), lock, LockEvents.EXCLUSIVE, 0);
        assertTrue(of(events, CONTENDED, Thread.currentThread()).isEmpty(), "the holder never parked");
    }

    /** A timed acquisition that times out is recorded as not acquired, and reports no long hold. */
    @Test
    void timedOutAcquisitionIsRecordedAsNotAcquired() throws Throwable {
        RawMutex lock = new RawMutex();
        Thread[] waiter = new Thread[1];
        List<RecordedEvent> events = recordDuring(() -> {
            try (TestThreads threads = new TestThreads()) {
                lock.lock();
                waiter[0] = threads.start("waiter",
                        () -> assertFalse(lock.tryLock(HOLD_MILLIS, TimeUnit.MILLISECONDS)));
                threads.joinAll();
                lock.unlock();
            }
        });
        RecordedEvent e = single(events, CONTENDED, waiter[0]);
        assertNames(e, lock, LockEvents.EXCLUSIVE);
        assertFalse(e.getBoolean("acquired"), "acquired");
        assertFalse(e.getBoolean("handedOver"), "handedOver");
        assertEquals(1, e.getInt("parks"));
        assertTrue(of(events, LONG_HOLD, waiter[0]).isEmpty(), "a timed-out park ends no hold");
    }

    /** Each RawRwLock mode is recorded: shared, upgradable behind a writer; exclusive, upgrade behind a reader. */
    @Test
    void rwLockModesAreRecorded() throws Throwable {
        RawRwLock lock = new RawRwLock();
        List<Thread> waiters = new ArrayList<>();
        List<RecordedEvent> events = recordDuring(() -> {
            try (TestThreads threads = new TestThreads()) {
                // shared and upgradable readers queued behind a writer; a fair unlock hands over to both
                lock.lockExclusive();
                waiters.add(threads.start("reader", () -> {
                    lock.lockShared();
                    lock.unlockShared();
                }));
                awaitQueued(lock, 1);
                waiters.add(threads.start("upgradable", () -> {
                    lock.lockUpgradable();
                    lock.unlockUpgradable();
                }));
                awaitQueued(lock, 2);
                Thread.sleep(HOLD_MILLIS);
                lock.unlockExclusiveFair();
                threads.joinAll();
                // a writer behind a reader: claims the writer bit, then parks on lane 1 until the reader leaves
                lock.lockShared();
                waiters.add(threads.start("writer", () -> {
                    lock.lockExclusive();
                    lock.unlockExclusive();
                }));
                awaitTrue("the writer waits for the reader", () -> ParkingLot.queueLength(lock, 1L) == 1);
                Thread.sleep(HOLD_MILLIS);
                lock.unlockShared();
                threads.joinAll();
                // an upgrade behind a reader
                lock.lockShared();
                waiters.add(threads.start("upgrader", () -> {
                    lock.lockUpgradable();
                    lock.upgrade();
                    lock.unlockExclusive();
                }));
                awaitTrue("the upgrader waits for the reader", () -> ParkingLot.queueLength(lock, 1L) == 1);
                Thread.sleep(HOLD_MILLIS);
                lock.unlockShared();
                threads.joinAll();
            }
        });
        // The readers were handed the lock by the fair unlock; the writer and the upgrade took the writer
        // bit themselves and then waited only for the reader to leave.
        List<String> modes =
                List.of(LockEvents.SHARED, LockEvents.UPGRADABLE, LockEvents.EXCLUSIVE, LockEvents.UPGRADE);
        List<Boolean> handedOver = List.of(true, true, false, false);
        for (int i = 0; i < modes.size(); i++) {
            RecordedEvent e = single(events, CONTENDED, waiters.get(i));
            assertAcquired(e, lock, modes.get(i), 0);
            assertEquals(handedOver.get(i), e.getBoolean("handedOver"), modes.get(i) + ": handedOver");
        }
    }

    /** Acquisitions that never park (fast paths, uncontended) record nothing. */
    @Test
    void pathsThatDoNotParkRecordNothing() throws Throwable {
        RawMutex raw = new RawMutex();
        ReentrantMutex reentrant = new ReentrantMutex(true);
        RawRwLock rw = new RawRwLock();
        List<RecordedEvent> events = recordDuring(() -> {
            for (int i = 0; i < 10_000; i++) {
                raw.lock();
                raw.unlock();
                reentrant.lock();
                reentrant.lock();
                reentrant.unlock();
                reentrant.unlock();
                rw.lockShared();
                rw.unlockShared();
                rw.lockExclusive();
                rw.unlockExclusive();
            }
        });
        assertEquals(List.of(), events);
    }

    // ---------------------------------------------------------------------------------------------
    // long hold

    /** The waiter an unlock woke reports the hold it slept through; a ReentrantMutex names its holder. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RAW", "REENTRANT"})
    void longHoldIsReportedByTheWokenWaiter(Kind kind) throws Throwable {
        Lock lock = kind.create();
        Thread[] waiter = new Thread[1];
        List<RecordedEvent> events = recordDuring(() -> waiter[0] = oneWaiter(lock, HOLD_MILLIS));
        RecordedEvent e = single(events, LONG_HOLD, waiter[0]);
        assertNames(e, lock, LockEvents.EXCLUSIVE);
        assertTrue(e.getDuration().toMillis() >= HOLD_MILLIS, () -> "duration " + e.getDuration());
        RecordedThread holder = e.getThread("holder");
        if (lock instanceof ReentrantMutex) {
            assertNotNull(holder, "holder");
            assertEquals(Thread.currentThread().threadId(), holder.getJavaThreadId());
        } else {
            assertNull(holder, "a raw mutex does not know its holder");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // disabled, defaults, settings file

    /** A recording that does not enable the events records none, and the slow paths then allocate no record. */
    @Test
    void disabledEventsAreNotRecorded() throws Throwable {
        RawMutex lock = new RawMutex();
        boolean[] recordWhileRecording = new boolean[1];
        List<RecordedEvent> events;
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ThreadPark").withThreshold(Duration.ZERO); // something is recorded, not ours
            events = ourEvents(recording, () -> {
                recordWhileRecording[0] = LockEvents.start(LockEvents.EXCLUSIVE) != null;
                oneWaiter(lock, 0);
            });
        }
        assertEquals(List.of(), events);
        assertFalse(recordWhileRecording[0], "a slow path made a record although no event was enabled");
    }

    /** Both event types carry their names, labels, category, fields and default settings (disabled, thresholds). */
    @Test
    void eventTypesDeclareTheirDefaults() {
        EventType contended = EventType.getEventType(JfrLockEvents.ContendedAcquisition.class);
        assertEquals(CONTENDED, contended.getName());
        assertEquals("Contended Lock Acquisition", contended.getLabel());
        assertEquals(List.of("parkinglot", "Locks"), contended.getCategoryNames());
        assertDefaults(contended, "10 ms");
        assertTrue(fieldNames(contended).containsAll(List.of("lockClass", "lockIdentity", "mode", "handedOver",
                "acquired", "parks", "queueLength", "duration", "eventThread", "stackTrace")));
        EventType longHold = EventType.getEventType(JfrLockEvents.LongHold.class);
        assertEquals(LONG_HOLD, longHold.getName());
        assertDefaults(longHold, "100 ms");
        assertTrue(fieldNames(longHold).containsAll(List.of("lockClass", "lockIdentity", "mode", "holder")));
    }

    /** Disabled by default, with stack traces and the given threshold. */
    private static void assertDefaults(EventType type, String threshold) {
        Map<String, String> defaults = type.getSettingDescriptors().stream()
                .collect(Collectors.toMap(SettingDescriptor::getName, SettingDescriptor::getDefaultValue));
        assertEquals("false", defaults.get("enabled"), () -> type.getName() + " " + defaults);
        assertEquals(threshold, defaults.get("threshold"), () -> type.getName() + " " + defaults);
        assertEquals("true", defaults.get("stackTrace"), () -> type.getName() + " " + defaults);
    }

    private static Set<String> fieldNames(EventType type) {
        Set<String> names = new HashSet<>();
        type.getFields().forEach(f -> names.add(f.getName()));
        return names;
    }

    /** The shipped parkinglot.jfc enables both events with their thresholds; a recording with it keeps a long wait. */
    @Test
    void settingsFileEnablesTheEvents() throws Throwable {
        Configuration configuration;
        try (InputStream in = LockEvents.class.getResourceAsStream("parkinglot.jfc")) {
            assertNotNull(in, "parkinglot.jfc next to LockEvents");
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                configuration = Configuration.create(reader);
            }
        }
        Map<String, String> settings = configuration.getSettings();
        assertEquals("true", settings.get(CONTENDED + "#enabled"));
        assertEquals("10 ms", settings.get(CONTENDED + "#threshold"));
        assertEquals("true", settings.get(LONG_HOLD + "#enabled"));
        assertEquals("100 ms", settings.get(LONG_HOLD + "#threshold"));

        RawFairMutex lock = new RawFairMutex();
        Thread[] waiter = new Thread[1];
        List<RecordedEvent> events;
        try (Recording recording = new Recording(configuration)) {
            events = ourEvents(recording, () -> waiter[0] = oneWaiter(lock, 120)); // past both thresholds
        }
        assertNames(single(events, CONTENDED, waiter[0]), lock, LockEvents.EXCLUSIVE);
        assertNames(single(events, LONG_HOLD, waiter[0]), lock, LockEvents.EXCLUSIVE);
    }

    // ---------------------------------------------------------------------------------------------
    // without jdk.jfr

    /**
     * Without the jdk.jfr module the locks still work: a child JVM whose observable modules exclude it
     * (and every module that needs it) runs ContendedLocksMain, whose waiters take every slow path, and
     * exits 0 with the events unavailable; the same child with jdk.jfr sees them available (the control).
     */
    @Test
    void locksWorkWithoutTheJfrModule() throws Exception {
        Set<String> withoutJfr = modulesExcept("jdk.jfr");
        assertFalse(withoutJfr.contains("jdk.jfr"));
        assertTrue(withoutJfr.contains("java.base"));
        String absent = runChild(withoutJfr, "--expect-no-jfr");
        assertTrue(absent.contains("ok, JFR events unavailable"), absent);
        Set<String> all = modulesExcept("no.such.module");
        String present = runChild(all);
        assertTrue(present.contains("ok, JFR events available"), present);
    }

    /** The system modules, less {@code excluded} and every module that requires it, directly or not. */
    private static Set<String> modulesExcept(String excluded) {
        Set<ModuleDescriptor> all = new HashSet<>();
        for (ModuleReference m : ModuleFinder.ofSystem().findAll()) {
            all.add(m.descriptor());
        }
        Set<String> out = new HashSet<>(Set.of(excluded));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (ModuleDescriptor d : all) {
                if (!out.contains(d.name())
                        && d.requires().stream().anyMatch(r -> out.contains(r.name()))) {
                    out.add(d.name());
                    grew = true;
                }
            }
        }
        Set<String> kept = new TreeSet<>();
        for (ModuleDescriptor d : all) {
            if (!out.contains(d.name())) {
                kept.add(d.name());
            }
        }
        return kept;
    }

    /** Runs ContendedLocksMain in a child JVM limited to {@code modules}; returns its output if it exits 0. */
    private static String runChild(Set<String> modules, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = String.join(File.pathSeparator,
                codeSource(ParkingLot.class), codeSource(RawMutex.class), codeSource(ContendedLocksMain.class));
        List<String> command = new ArrayList<>(List.of(java, "--limit-modules", String.join(",", modules),
                "-cp", classPath, ContendedLocksMain.class.getName(), "1"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("child JVM did not finish: " + command);
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), () -> "child JVM " + command + " failed:\n" + output);
            return output;
        } finally {
            p.destroyForcibly();
        }
    }

    private static String codeSource(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
