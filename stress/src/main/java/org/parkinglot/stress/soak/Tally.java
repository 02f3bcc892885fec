package org.parkinglot.stress.soak;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the soak counts, shared by every worker; the progress line, the summary and the exit status.
 * Counters are {@link LongAdder}s (workers never contend on them); the first few failure messages are
 * kept for the summary.
 */
final class Tally {

    /** The primitive an operation exercised, for the per-primitive operation counts. */
    enum Primitive {
        RAW_MUTEX("RawMutex"), FAIR_MUTEX("RawFairMutex"), REENTRANT("ReentrantMutex"), RWLOCK("RawRwLock"),
        CONDVAR("Condvar"), PARKING_LOT("ParkingLot");

        final String label;

        Primitive(String label) {
            this.label = label;
        }
    }

    /** How many failure messages the summary shows. */
    static final int KEPT_MESSAGES = 20;

    private final Map<Primitive, LongAdder> ops = new EnumMap<>(Primitive.class);
    /** Units of the raw-lot mailbox an unparker handed straight to a parked thread. */
    final LongAdder handOffs = new LongAdder();
    /** Fair unlocks and bumps that saw a thread queued on the lock just before (a racy snapshot). */
    final LongAdder fairWithWaiters = new LongAdder();
    final LongAdder violations = new LongAdder();
    final LongAdder lostWakeUps = new LongAdder();
    final LongAdder timeoutsHonoured = new LongAdder();
    final LongAdder timeoutsEarly = new LongAdder();
    final LongAdder interruptsSent = new LongAdder();
    /** Interrupts a worker gave itself just before a call (added up at the end). */
    final LongAdder selfInterrupts = new LongAdder();
    /** InterruptedException (or INTERRUPTED) with the status as documented. */
    final LongAdder interruptsHonoured = new LongAdder();
    /** Uninterruptible waits that were interrupted and returned with the status still set. */
    final LongAdder interruptsKept = new LongAdder();
    /** RuntimeExceptions thrown on purpose from parking-lot callbacks, caught by the caller. */
    final LongAdder callbackThrows = new LongAdder();
    /** Raw-lot takes whose ParkCallbacks.beforeSleep threw on purpose ({@link LotOps.SleepRefused}), caught. */
    final LongAdder beforeSleepThrows = new LongAdder();
    /** Mailbox units handed to a taker whose beforeSleep then threw, received by its forfeit and passed on. */
    final LongAdder forfeitsPassedOn = new LongAdder();
    /** ParkingLot calls from validate/timedOut callbacks (under the bucket lock) refused with IllegalStateException. */
    final LongAdder reentriesRefused = new LongAdder();
    /** Condvar waits that timed out after their fallback time with their predicate true (not a failure). */
    final LongAdder fallbackWakeUps = new LongAdder();
    final LongAdder hung = new LongAdder();
    private final List<String> messages = new ArrayList<>();
    private long dropped;

    /** Where failure messages are printed as they happen. */
    private final PrintStream err;

    Tally(PrintStream err) {
        this.err = err;
        for (Primitive p : Primitive.values()) {
            ops.put(p, new LongAdder());
        }
    }

    void op(Primitive p) {
        ops.get(p).increment();
    }

    long ops(Primitive p) {
        return ops.get(p).sum();
    }

    long totalOps() {
        long sum = 0;
        for (LongAdder a : ops.values()) {
            sum += a.sum();
        }
        return sum;
    }

    /** An invariant failed: counts it and keeps the message. */
    void violation(String message) {
        violations.increment();
        keep("VIOLATION " + message);
    }

    /** A waiter timed out although a wake-up meant for it completed before its deadline. */
    void lostWakeUp(String message) {
        lostWakeUps.increment();
        keep("LOST WAKE-UP " + message);
    }

    /** A timed wait reported "timed out" before its timeout had elapsed. */
    void earlyTimeout(String message) {
        timeoutsEarly.increment();
        keep("EARLY TIMEOUT " + message);
    }

    /** Adds a timeout outcome: early or honoured. */
    void timedOut(String what, long timeoutNanos, long elapsedNanos) {
        if (elapsedNanos < timeoutNanos) {
            earlyTimeout(what + " timed out after " + elapsedNanos + " ns of " + timeoutNanos);
        } else {
            timeoutsHonoured.increment();
        }
    }

    /** Keeps the first {@link #KEPT_MESSAGES} messages for the summary and prints them at once to stderr. */
    private void keep(String message) {
        String line = Thread.currentThread().getName() + ": " + message;
        boolean print;
        synchronized (messages) {
            print = messages.size() < KEPT_MESSAGES;
            if (print) {
                messages.add(line);
            } else {
                dropped++;
            }
        }
        if (print) {
            err.println("soak: " + line);
        }
    }

    /** Whether the run passed: no violation, no lost wake-up, no early timeout, no hung thread. */
    boolean passed() {
        return violations.sum() == 0 && lostWakeUps.sum() == 0 && timeoutsEarly.sum() == 0 && hung.sum() == 0;
    }

    /** The exit status of the command: 0 if {@link #passed()}, else 1. */
    int exitStatus() {
        return passed() ? 0 : 1;
    }

    /** One progress line (no line end). */
    String progressLine(long elapsedNanos, long durationNanos) {
        return String.format(Locale.ROOT,
                "soak %s/%s  ops %,d  hand-offs %,d  violations %d  lost wake-ups %d  timeouts %,d (early %d)"
                        + "  interrupts %,d  callback throws %,d  hung %d",
                SoakOptions.formatDuration(elapsedNanos), SoakOptions.formatDuration(durationNanos), totalOps(),
                handOffs.sum(), violations.sum(), lostWakeUps.sum(), timeoutsHonoured.sum(), timeoutsEarly.sum(),
                interruptsHonoured.sum() + interruptsKept.sum(), callbackThrows.sum(), hung.sum());
    }

    /** Prints the summary table. */
    void printSummary(PrintStream out, String header, String accounting) {
        out.println();
        out.println("SOAK SUMMARY  " + header);
        StringBuilder perPrimitive = new StringBuilder();
        for (Primitive p : Primitive.values()) {
            perPrimitive.append(perPrimitive.isEmpty() ? "" : ", ").append(p.label).append(' ')
                    .append(String.format(Locale.ROOT, "%,d", ops(p)));
        }
        row(out, "operations done", totalOps(), perPrimitive.toString());
        row(out, "hand-offs", handOffs.sum(),
                "raw-lot units an unparker handed straight to a parked thread (UNPARKED with the hand-off token)");
        row(out, "fair unlocks with waiters", fairWithWaiters.sum(),
                "fair unlocks/bumps that saw a thread queued on the lock just before (likely hand-offs, racy count)");
        row(out, "invariant violations", violations.sum(), "must be 0");
        row(out, "lost wake-ups", lostWakeUps.sum(),
                "must be 0: a waiter timed out although its wake-up completed before its deadline");
        row(out, "timeouts honoured", timeoutsHonoured.sum(), "timed waits that failed no earlier than their timeout");
        row(out, "timeouts early", timeoutsEarly.sum(), "must be 0");
        row(out, "interrupts sent", interruptsSent.sum(), String.format(Locale.ROOT,
                "by the interrupter at random points, plus %,d a worker gave itself just before a call",
                selfInterrupts.sum()));
        row(out, "interrupts honoured", interruptsHonoured.sum(),
                "InterruptedException with the status cleared (or INTERRUPTED from park with it set)");
        row(out, "interrupt status kept", interruptsKept.sum(),
                "waits that must keep the status (lock(), bumps, upgrade(), every park) were interrupted, kept it");
        row(out, "callback exceptions", callbackThrows.sum(),
                "thrown on purpose from validate/unpark/timedOut/filter callbacks, caught; the keys stayed usable");
        row(out, "beforeSleep throws", beforeSleepThrows.sum(),
                "raw-lot takes whose ParkCallbacks.beforeSleep threw on purpose, caught; the keys stayed usable");
        row(out, "forfeits passed on", forfeitsPassedOn.sum(),
                "units handed to such a taker before it threw, passed on by its forfeit (counted in the accounting)");
        row(out, "re-entries refused", reentriesRefused.sum(),
                "ParkingLot calls from validate/timedOut under the bucket lock, refused (not refused: a violation)");
        row(out, "condvar fallback wake-ups", fallbackWakeUps.sum(),
                "waits ended by their fallback timeout with the predicate true (no notify was owed to them)");
        out.printf(Locale.ROOT, "  %-27s %s%n", "raw-lot accounting", accounting);
        row(out, "hung threads", hung.sum(), "must be 0");
        synchronized (messages) {
            if (!messages.isEmpty()) {
                out.println("First failures:");
                for (String m : messages) {
                    out.println("  " + m);
                }
                if (dropped > 0) {
                    out.println("  ... and " + dropped + " more (counted above, not shown)");
                }
            }
        }
        out.println("SOAK RESULT: " + (passed() ? "PASSED" : "FAILED"));
    }

    private static void row(PrintStream out, String name, long value, String meaning) {
        out.printf(Locale.ROOT, "  %-27s %,15d   %s%n", name, value, meaning);
    }
}
