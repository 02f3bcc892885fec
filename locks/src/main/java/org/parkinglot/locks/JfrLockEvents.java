package org.parkinglot.locks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;
import org.parkinglot.core.ParkResult;
import org.parkinglot.core.ParkingLot;

/**
 * The JFR events of this package and the code that emits them: the only class of the locks that names
 * {@code jdk.jfr}, reached only through {@link LockEvents}, which stops using it for good if it cannot
 * be linked. Both events are disabled by default; {@code parkinglot.jfc} next to this class enables
 * them with their default thresholds.
 */
final class JfrLockEvents {

    /*
     * Implementation notes.
     *
     * What is reported, and from where. Both events are emitted by a waiting thread, on a slow path
     * that parked, never by a fast path or an unlock: nothing is added to the paths that do not park,
     * and an unlock does not know when its hold began (recording that would cost every acquisition a
     * timestamp). JFR's own begin()/end() give the duration; shouldCommit() applies the threshold, so
     * the queue length (a bucket-locked look at the parking lot) is read only for events that are kept.
     *
     * ContendedAcquisition spans one acquisition from its first park to its end (acquired, timed out
     * or interrupted). The bounded spin before the first park is not included (a few pause hints, or
     * SpinWait's yields for the fair mutexes; an acquisition that succeeds while spinning emits
     * nothing). A Condvar waiter is covered when it parks in lockSlow to re-take its lock, not while a
     * notifyAll has requeued it onto the lock's queue (that is still its condition park). A RawRwLock
     * write acquisition is one event across both of its waits: for the writer bit (lane 0) and for
     * the readers inside to leave (lane 1). handedOver: an unlock handed the lock
     * to this thread while it slept (a fair unlock, or the parking lot's fair timer; for a writer, the
     * writer bit) rather than this thread taking it with its own CAS after waking, possibly ahead of
     * other waiters (barging). queueLength: threads still queued for the lock (the lock's lane 0, or
     * the mutex's key) right after this thread stopped waiting: the ones it left behind, not the ones
     * it found in front of it (that count would have to be taken before every park, enabled or kept
     * or not).
     *
     * LongHold: the duration of one park of a waiter that an unlock (or downgrade, or the last reader
     * leaving, for a writer waiting for readers, or a writer giving up its claim on timeout) woke.
     * Through the whole park the lock stayed unavailable to this waiter and no release woke it, so a
     * single long critical section shows up as a LongHold of at least the part of it this waiter slept
     * through: a lower bound, since the hold began before the park. Only the thread an unlock woke
     * reports, so N threads piled up behind one long hold give one LongHold per waking unlock, not N.
     * Limits: (1) a long hold that no thread waited for is not seen; (2) the span can cover several
     * consecutive holds when unlocks in between released without waking this thread: threads queued
     * ahead of it were woken first, or a woken successor was in flight (MutexAlgorithm, "The WOKEN
     * bit"), each such hold being shorter than the span; (3) holder is known only for ReentrantMutex
     * (its owner when the park began: null if that owner had not recorded itself yet); raw mutexes and
     * RawRwLock do not track owners. The event's thread and stack trace are the waiter's: look up the
     * holder's with jdk.ExecutionSample or a thread dump.
     *
     * Identity. lockClass and lockIdentity (System.identityHashCode) name the lock as jstack's "parking
     * to wait for <0x...> (a org.parkinglot.locks.RawMutex)" and jdk.ThreadPark's parkedClass do; the
     * hash is not unique, so two locks of one class may share it (rarely).
     *
     * Default thresholds. ContendedAcquisition 10 ms: jdk.ThreadPark and jdk.JavaMonitorEnter use 20 ms
     * in the JDK's default.jfc and 10 ms in profile.jfc; 10 ms keeps a parking lot wait (usually tens of
     * microseconds) out of the recording unless it is a real stall. LongHold 100 ms: a critical
     * section that long is a bug or a blocking call under a lock.
     *
     * Initialization cost. Initializing a jdk.jfr.Event subclass registers it with Flight Recorder,
     * which initializes JFR's metadata repository if nothing has yet: about 160-400 ms and 116 classes
     * on the 2-core test machine (JDK 25). So the event classes are not touched until
     * FlightRecorder.isInitialized() (a static volatile read; JFR sets it when the first Recording is
     * created, by -XX:StartFlightRecording, jcmd JFR.start, JMX or the API, and never clears it) says
     * that a recorder exists; then the first slow path creates the Probes, and so initializes the event
     * classes, at the price of registering two event types (about 40 ms, once, paid by that waiting
     * thread; measured under -XX:StartFlightRecording with the default settings). Other slow paths
     * meanwhile treat the events as disabled instead of waiting for it: waiting for a class initializer
     * pins a virtual thread's carrier, and ten thousand virtual threads reaching their first slow path
     * together would pin every carrier for those 40 ms. Hence a claim (CAS on probes), not a holder
     * class; a registration that throws leaves the events off. Registering from a
     * FlightRecorderListener instead would move that cost to the thread starting JFR, but it runs
     * inside JFR's own initialization lock and adding the listener loads JFR's internals in every JVM.
     * A JVM that never records pays one volatile read per slow path and loads jdk.jfr.FlightRecorder
     * only.
     *
     * Concurrency. A record (Wait) belongs to one thread's slow path. The probes are shared instances
     * used only for isEnabled(), which reads static state of the instrumented class.
     */

    private JfrLockEvents() {
    }

    /**
     * Loads {@link FlightRecorder} (a class without a static initializer), not the event classes.
     *
     * @return {@code true}
     * @throws NoClassDefFoundError if the {@code jdk.jfr} module is absent
     */
    static boolean link() {
        return FlightRecorder.isInitialized() || true;
    }

    /** See {@link LockEvents#start(String)}. */
    static Object start(String mode) {
        if (!FlightRecorder.isInitialized()) {
            return null; // no recording was ever created in this JVM: leave the event classes alone
        }
        Object p = probes;
        Probes ready = p instanceof Probes r ? r : p == null ? register() : null;
        if (ready == null) {
            return null; // another thread is registering the event classes: no events until it is done
        }
        boolean contended = ready.contended.isEnabled();
        boolean longHold = ready.longHold.isEnabled();
        return contended || longHold ? new Wait(mode, contended, longHold) : null;
    }

    /**
     * Registers the event classes (by initializing them) in the calling thread, if no other thread has
     * started to; see "Initialization cost".
     *
     * @return the probes, or null if another thread registers them (or registration failed)
     */
    private static Probes register() {
        if (!PROBES.compareAndSet((Object) null, CLAIMED)) {
            return null;
        }
        Probes ready;
        try {
            ready = new Probes();
        } catch (RuntimeException | LinkageError e) { // JFR refused the classes: leave CLAIMED, events off
            return null;
        }
        probes = ready;
        return ready;
    }

    /**
     * The shared instances used only for {@link Event#isEnabled()}, which reads nothing of the instance;
     * created (and the event classes initialized with them) only once Flight Recorder is.
     */
    private static final class Probes {
        final ContendedAcquisition contended = new ContendedAcquisition();
        final LongHold longHold = new LongHold();
    }

    /** {@link #probes} while a thread registers the event classes. */
    private static final Object CLAIMED = new Object();

    /**
     * Null until a slow path finds Flight Recorder initialized; then {@link #CLAIMED} by the thread that
     * registers the event classes; then the {@link Probes}. Written by that thread only (a CAS, then a
     * volatile write publishing the probes), read by every slow path once a recorder exists.
     */
    private static volatile Object probes;

    /** See {@link LockEvents#beforePark(Object, Object)}. */
    static void beforePark(Object record, Object lock) {
        Wait wait = (Wait) record;
        if (wait.parks++ == 0 && wait.contendedEnabled) {
            ContendedAcquisition event = new ContendedAcquisition();
            event.begin();
            wait.contended = event;
        }
        if (wait.longHoldEnabled) {
            LongHold event = new LongHold();
            event.holder = lock instanceof ReentrantMutex m ? m.getOwner() : null;
            event.begin();
            wait.longHold = event;
        }
    }

    /** See {@link LockEvents#afterPark(Object, Object, ParkResult)}. */
    static void afterPark(Object record, Object lock, ParkResult result) {
        Wait wait = (Wait) record;
        boolean unparked = result.kind() == ParkResult.Kind.UNPARKED;
        if (unparked && result.unparkToken() == MutexAlgorithm.TOKEN_HANDOFF) {
            wait.handedOver = true;
        }
        LongHold event = wait.longHold;
        if (event == null) {
            return;
        }
        wait.longHold = null;
        if (!unparked) {
            return; // timed out, interrupted or invalid: the hold (if any) has not ended
        }
        event.end();
        if (event.shouldCommit()) {
            event.lockClass = lock.getClass();
            event.lockIdentity = System.identityHashCode(lock);
            event.mode = wait.mode;
            event.commit();
        }
    }

    /** See {@link LockEvents#end(Object, Object, long, int)}. */
    static void end(Object record, Object lock, long lane, boolean acquired) {
        Wait wait = (Wait) record;
        ContendedAcquisition event = wait.contended;
        if (event == null) {
            return; // never parked (or the event is disabled)
        }
        event.end();
        if (event.shouldCommit()) {
            event.lockClass = lock.getClass();
            event.lockIdentity = System.identityHashCode(lock);
            event.mode = wait.mode;
            event.handedOver = wait.handedOver;
            event.acquired = acquired;
            event.parks = wait.parks;
            event.queueLength = ParkingLot.queueLength(lock, lane);
            event.commit();
        }
    }

    /** What one slow path knows about its wait; confined to the waiting thread. */
    private static final class Wait {
        final String mode;
        final boolean contendedEnabled;
        final boolean longHoldEnabled;
        /** Begun at the first park; null before it or if the event is disabled. */
        ContendedAcquisition contended;
        /** The current park's span; null between parks or if the event is disabled. */
        LongHold longHold;
        int parks;
        boolean handedOver;

        Wait(String mode, boolean contendedEnabled, boolean longHoldEnabled) {
            this.mode = mode;
            this.contendedEnabled = contendedEnabled;
            this.longHoldEnabled = longHoldEnabled;
        }
    }

    /** A lock acquisition that parked; see the implementation notes for each field's exact meaning. */
    @Name("org.parkinglot.ContendedAcquisition")
    @Label("Contended Lock Acquisition")
    @Category({"parkinglot", "Locks"})
    @Description("A thread parked to acquire a lock of org.parkinglot.locks; from its first park until it"
            + " acquired the lock, timed out or was interrupted")
    @Enabled(false)
    @Threshold("10 ms")
    @StackTrace(true)
    static final class ContendedAcquisition extends Event {
        @Label("Lock Class")
        @Description("Class of the lock waited for")
        Class<?> lockClass;

        @Label("Lock Identity")
        @Description("System.identityHashCode of the lock (with the class, names the lock; not unique)")
        int lockIdentity;

        @Label("Mode")
        @Description("exclusive (a mutex, or a write lock), shared, upgradable, or upgrade (an upgradable"
                + " read lock becoming exclusive)")
        String mode;

        @Label("Handed Over")
        @Description("An unlock handed the lock to this thread while it slept (fair unlock or fair timer);"
                + " false: it took the lock itself after waking, or did not get it")
        boolean handedOver;

        @Label("Acquired")
        @Description("false if the wait timed out or was interrupted")
        boolean acquired;

        @Label("Parks")
        @Description("How many times the thread parked during this acquisition (more than one: it was woken"
                + " and lost the lock to another thread)")
        int parks;

        @Label("Queue Length")
        @Description("Threads still queued for the lock right after this thread stopped waiting")
        int queueLength;
    }

    /** A park that lasted until an unlock woke the waiter; see the implementation notes for its limits. */
    @Name("org.parkinglot.LongHold")
    @Label("Long Lock Hold")
    @Category({"parkinglot", "Locks"})
    @Description("A lock of org.parkinglot.locks stayed held for the whole park of a waiter that an unlock"
            + " then woke: a lower bound of the holder's critical section, reported by that waiter")
    @Enabled(false)
    @Threshold("100 ms")
    @StackTrace(true)
    static final class LongHold extends Event {
        @Label("Lock Class")
        @Description("Class of the lock")
        Class<?> lockClass;

        @Label("Lock Identity")
        @Description("System.identityHashCode of the lock")
        int lockIdentity;

        @Label("Mode")
        @Description("The mode the reporting waiter was acquiring")
        String mode;

        @Label("Holder")
        @Description("The owner when the park began (ReentrantMutex only; null for locks without owners)")
        Thread holder;
    }

    // VarHandle mechanics
    private static final VarHandle PROBES;

    static {
        try {
            PROBES = MethodHandles.lookup().findStaticVarHandle(JfrLockEvents.class, "probes", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
