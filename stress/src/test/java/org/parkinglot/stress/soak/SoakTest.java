package org.parkinglot.stress.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Short in-process runs: a clean run passes and counts what it should; each planted bug
 * ({@code --sabotage}) makes the run fail through the check meant to catch it.
 */
class SoakTest {

    private record Run(int status, Tally tally, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Soak soak = new Soak(SoakOptions.parse(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "plain");
        int status = soak.run();
        return new Run(status, soak.tally(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A clean run passes, exercises every primitive, and its summary says so. */
    @Test
    void cleanRunPasses() {
        Run r = run("--duration", "3s", "--threads", "2", "--virtual", "4", "--seed", "1", "--progress", "1s");
        assertEquals(0, r.status, r.out + r.err);
        for (Tally.Primitive p : Tally.Primitive.values()) {
            assertTrue(r.tally.ops(p) > 0, p + " never ran");
        }
        assertTrue(r.tally.timeoutsHonoured.sum() > 0 && r.tally.interruptsHonoured.sum() > 0
                && r.tally.callbackThrows.sum() > 0 && r.tally.beforeSleepThrows.sum() > 0
                && r.tally.reentriesRefused.sum() > 0, r.out);
        assertTrue(r.out.contains("SOAK RESULT: PASSED"), r.out);
        assertTrue(r.err.contains("/3.0s  ops "), "progress lines: " + r.err);
    }

    /** Entering a critical section without the lock is reported as a violation. */
    @Test
    void catchesBrokenExclusion() {
        Run r = run("--duration", "2s", "--threads", "2", "--virtual", "4", "--sabotage", "exclusion");
        assertEquals(1, r.status);
        assertTrue(r.tally.violations.sum() > 0, r.out);
        assertTrue(r.out.contains("SOAK RESULT: FAILED"), r.out);
    }

    /** A generation change without a notify leaves waiters to time out: lost wake-ups. */
    @Test
    void catchesLostWakeUps() {
        Run r = run("--duration", "3s", "--threads", "2", "--virtual", "4", "--sabotage", "wakeup");
        assertEquals(1, r.status);
        assertTrue(r.tally.lostWakeUps.sum() > 0, r.out);
    }

    /**
     * A worker without progress is counted as hung, with a thread dump that names it. The hang limit is
     * above the 1 s a futex or condvar waiter may wait on purpose (with 1 s, such a waiter was counted
     * too, now and then: CI saw 2 hung workers).
     */
    @Test
    void catchesHungWorker() {
        Run r = run("--duration", "4s", "--threads", "2", "--virtual", "2", "--hang", "2s", "--sabotage", "hang");
        assertEquals(1, r.status);
        assertEquals(1, r.tally.hung.sum(), r.out);
        assertTrue(r.err.contains("THREAD DUMP") && r.err.contains("\"soak-p0\""), r.err);
    }
}
