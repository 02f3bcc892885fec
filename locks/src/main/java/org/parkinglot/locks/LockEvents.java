package org.parkinglot.locks;

import org.parkinglot.core.ParkResult;

/**
 * The JFR events of this package as the locks' slow paths see them, with no reference to
 * {@code jdk.jfr}: every call takes the opaque record {@link #start(String)} returned, and does
 * nothing when it is {@code null} (no event of this package enabled, or no JFR at all). The events
 * themselves, what they report and their limits: {@link JfrLockEvents}.
 */
final class LockEvents {

    /*
     * Implementation notes.
     *
     * Protocol of one slow path (MutexAlgorithm.lockSlow; RawRwLock's lockCommon, lockExclusiveSlow
     * and waitForReaders wrappers):
     *
     *   Object wait = LockEvents.start(mode);           // entry of the slow path; null when disabled
     *   ... LockEvents.beforePark(wait, lock);          // right before each ParkingLot.park
     *   ... LockEvents.afterPark(wait, lock, result);   // right after it returns
     *   return LockEvents.end(wait, lock, lane, r);     // once, with the slow path's result
     *
     * Nothing is emitted by a slow path that never parked (it only spun), nor by any fast path: the
     * fast paths do not call here at all.
     *
     * Cost when disabled. Fast paths: none, they are untouched. Slow paths: start() is one read of
     * the static final AVAILABLE (constant-folded by the JIT); with jdk.jfr present, one volatile read
     * (FlightRecorder.isInitialized(): has any recording ever been created in this JVM?) and, only if
     * one has, two calls of Event.isEnabled() on static final probe instances, which read the event
     * class's static EventConfiguration and its enabled flag (JDK EventInstrumentation.methodIsEnabled:
     * no instance state, so sharing one probe across threads is safe). No allocation: the record is
     * created only when an event is enabled. The other calls test wait == null. Why the event classes
     * are not even loaded before a recorder exists: JfrLockEvents, "Initialization cost".
     *
     * Absent jdk.jfr. This class names only JfrLockEvents' static methods, with Object-typed records,
     * so verifying and running it never loads a jdk.jfr type. The first start() initializes this class,
     * which links JfrLockEvents once: without the jdk.jfr module (a jlinked image without it,
     * --limit-modules, or a module-path application that did not resolve it: the locks module
     * requires it only statically), loading the event classes fails with NoClassDefFoundError, caught
     * here as a LinkageError, and AVAILABLE stays false for the life of the JVM. JfrLockEvents is never
     * touched again (its failed initialization would throw on every later use).
     */

    /** Mode of an acquisition: a mutex, or a rwlock's exclusive (write) lock. */
    static final String EXCLUSIVE = "exclusive";
    /** Mode of an acquisition: a rwlock's shared (read) lock. */
    static final String SHARED = "shared";
    /** Mode of an acquisition: a rwlock's upgradable read lock. */
    static final String UPGRADABLE = "upgradable";
    /** Mode of an acquisition: a rwlock's upgrade from upgradable to exclusive (waiting for readers). */
    static final String UPGRADE = "upgrade";

    /** Whether the JFR event classes linked: {@code false} for good when {@code jdk.jfr} is absent. */
    private static final boolean AVAILABLE = link();

    private LockEvents() {
    }

    private static boolean link() {
        try {
            return JfrLockEvents.link();
        } catch (LinkageError e) { // NoClassDefFoundError for jdk/jfr/Event: no jdk.jfr module at run time
            return false;
        }
    }

    /**
     * Whether the event classes could be loaded (the {@code jdk.jfr} module is present); a test hook.
     *
     * @return {@code true} if JFR events can be recorded in this JVM
     */
    static boolean available() {
        return AVAILABLE;
    }

    /**
     * At the entry of a slow path: a record of this acquisition if an event of this package is enabled.
     *
     * @param mode {@link #EXCLUSIVE}, {@link #SHARED}, {@link #UPGRADABLE} or {@link #UPGRADE}
     * @return the record, or {@code null} (disabled: every later call is then a null test)
     */
    static Object start(String mode) {
        return AVAILABLE ? JfrLockEvents.start(mode) : null;
    }

    /**
     * Right before a park: the contended acquisition begins at the first one, a long-hold span at each.
     *
     * @param wait the record from {@link #start(String)}, or {@code null}
     * @param lock the lock (the key's object)
     */
    static void beforePark(Object wait, Object lock) {
        if (wait != null) {
            JfrLockEvents.beforePark(wait, lock);
        }
    }

    /**
     * Right after a park returned: ends the long-hold span (committed if an unlock woke this thread),
     * notes a hand-off ({@link MutexAlgorithm#TOKEN_HANDOFF}, the same value in {@link RawRwLock}).
     *
     * @param wait   the record, or {@code null}
     * @param lock   the lock
     * @param result what the park returned
     */
    static void afterPark(Object wait, Object lock, ParkResult result) {
        if (wait != null) {
            JfrLockEvents.afterPark(wait, lock, result);
        }
    }

    /**
     * At the end of a slow path: commits the contended acquisition if the thread parked and the wait
     * passed the threshold.
     *
     * @param wait   the record, or {@code null}
     * @param lock   the lock (the key's object)
     * @param lane   the lane where the lock's waiters queue (for the queue length)
     * @param result {@link MutexAlgorithm#ACQUIRED}, {@link MutexAlgorithm#TIMED_OUT} or
     *               {@link MutexAlgorithm#INTERRUPTED}
     * @return {@code result}
     */
    static int end(Object wait, Object lock, long lane, int result) {
        if (wait != null) {
            JfrLockEvents.end(wait, lock, lane, result == MutexAlgorithm.ACQUIRED);
        }
        return result;
    }
}
