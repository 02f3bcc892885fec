package org.parkinglot.stress.soak;

import java.util.SplittableRandom;

/**
 * One worker thread's identity, random stream, progress time and interrupt bookkeeping.
 *
 * <p>Interrupt protocol. The interrupter calls {@link #deliverInterrupt()}, which interrupts the thread and
 * counts the interrupt in one step under this object's monitor. Before an uninterruptible wait the worker
 * calls {@link #mark()}, which clears its interrupt status and notes the count, in one step under the same
 * monitor. So if the count moved between {@code mark()} and the end of the wait, an interrupt was
 * delivered after the status was cleared and only the library ran in between: the status must still be
 * set ({@link #interruptedSinceMark()}). The monitor is held for a few instructions and never while
 * waiting (on JDK 21 to 23 it pins a virtual thread for that long, which is harmless here).
 */
final class Worker {

    final int id;
    final String name;
    final SplittableRandom rnd;
    /** Set once before the thread starts. */
    Thread thread;
    /** {@code System.nanoTime()} when the worker last started an operation. */
    volatile long lastProgress;
    /** What the worker is doing, for the hung-thread report. */
    volatile String doing = "starting";
    /** Set when the worker's loop has ended. */
    volatile boolean done;
    /** Whether the watchdog has counted this worker as hung. */
    volatile boolean reportedHung;

    private long interruptsDelivered; // guarded by this
    private long baseline; // guarded by this
    private boolean selfInterrupted; // written by the worker itself, read under this by it
    /** Interrupts the worker gave itself before a call; written only by the worker. */
    long selfInterrupts;

    Worker(int id, String name, long seed) {
        this.id = id;
        this.name = name;
        this.rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + id);
        this.lastProgress = System.nanoTime();
    }

    /** Called by the interrupter: interrupts the worker's thread and counts it, atomically with {@link #mark()}. */
    synchronized void deliverInterrupt() {
        thread.interrupt();
        interruptsDelivered++;
    }

    /**
     * Clears the interrupt status and starts watching for interrupts; with probability 1/8 interrupts
     * the current thread itself (an interrupt pending on entry to the next call).
     *
     * @return whether the thread interrupted itself
     */
    boolean mark() {
        synchronized (this) {
            Thread.interrupted();
            baseline = interruptsDelivered;
        }
        selfInterrupted = rnd.nextInt(8) == 0;
        if (selfInterrupted) {
            selfInterrupts++;
            Thread.currentThread().interrupt();
        }
        return selfInterrupted;
    }

    /** Clears the interrupt status and starts watching, without interrupting itself. */
    void markQuietly() {
        synchronized (this) {
            Thread.interrupted();
            baseline = interruptsDelivered;
        }
        selfInterrupted = false;
    }

    /** Whether an interrupt reached this thread since {@link #mark()}, from itself or the interrupter. */
    boolean interruptedSinceMark() {
        synchronized (this) {
            return selfInterrupted || interruptsDelivered != baseline;
        }
    }

    /** After an InterruptedException: no interrupt came since {@link #mark()}. */
    static final int THROWN_WITHOUT_INTERRUPT = 0;
    /** After an InterruptedException: exactly one interrupt came and the status is still set (not cleared). */
    static final int THROWN_STATUS_SET = 1;
    /** After an InterruptedException: as documented (status clear, or set again by a later interrupt). */
    static final int THROWN_OK = 2;

    /**
     * Classifies an InterruptedException just caught. With two or more interrupts since {@link #mark()}
     * a set status may come from a later one, so only the one-interrupt case can show a status the
     * library failed to clear.
     *
     * @return {@link #THROWN_WITHOUT_INTERRUPT}, {@link #THROWN_STATUS_SET} or {@link #THROWN_OK}
     */
    int afterThrow() {
        synchronized (this) {
            long n = (selfInterrupted ? 1 : 0) + interruptsDelivered - baseline;
            if (n == 0) {
                return THROWN_WITHOUT_INTERRUPT;
            }
            return n == 1 && Thread.currentThread().isInterrupted() ? THROWN_STATUS_SET : THROWN_OK;
        }
    }

    /** Records progress: the watchdog measures hangs from here. */
    void progress(String what) {
        doing = what;
        lastProgress = System.nanoTime();
    }
}
