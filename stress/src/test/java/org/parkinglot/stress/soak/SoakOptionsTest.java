package org.parkinglot.stress.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SoakOptionsTest {

    private static final long S = 1_000_000_000L;

    /** Durations take ms, s, m, h, fractions, and bare seconds. */
    @Test
    void parsesDurations() {
        assertEquals(500_000_000L, SoakOptions.parseDuration("500ms"));
        assertEquals(30 * S, SoakOptions.parseDuration("30s"));
        assertEquals(600 * S, SoakOptions.parseDuration("10m"));
        assertEquals(3600 * S, SoakOptions.parseDuration("1h"));
        assertEquals(1_500_000_000L, SoakOptions.parseDuration("1.5s"));
        assertEquals(7 * S, SoakOptions.parseDuration("7"));
        assertThrows(IllegalArgumentException.class, () -> SoakOptions.parseDuration("ten minutes"));
        assertThrows(IllegalArgumentException.class, () -> SoakOptions.parseDuration("-1s"));
    }

    /** Defaults, both option forms, and the progress interval derived from the duration. */
    @Test
    void parsesOptions() {
        SoakOptions d = SoakOptions.parse();
        assertEquals(30 * S, d.durationNanos());
        assertEquals(4, d.platform());
        assertEquals(8, d.virtual());
        assertEquals(10 * S, d.hangNanos());
        assertEquals(5 * S, d.progressNanos());
        assertEquals(SoakOptions.Sabotage.NONE, d.sabotage());

        SoakOptions o = SoakOptions.parse("--duration", "10m", "--threads=2", "--virtual", "0", "--seed", "42",
                "--sabotage", "wakeup");
        assertEquals(600 * S, o.durationNanos());
        assertEquals(30 * S, o.progressNanos());
        assertEquals(2, o.platform());
        assertEquals(0, o.virtual());
        assertEquals(42, o.seed());
        assertEquals(SoakOptions.Sabotage.WAKEUP, o.sabotage());
        assertTrue(SoakOptions.parse("--help").help());
    }

    /** Bad command lines name the problem. */
    @Test
    void rejectsBadOptions() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SoakOptions.parse("--bogus"))
                .getMessage().contains("unknown option --bogus"));
        assertThrows(IllegalArgumentException.class, () -> SoakOptions.parse("--duration"));
        assertThrows(IllegalArgumentException.class, () -> SoakOptions.parse("--threads", "-1"));
        assertThrows(IllegalArgumentException.class, () -> SoakOptions.parse("--threads", "1", "--virtual", "0"));
        assertThrows(IllegalArgumentException.class, () -> SoakOptions.parse("--sabotage", "everything"));
        // a hang limit no longer than a worker's own longest wait would count waiting workers as hung
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SoakOptions.parse("--hang", "1s"))
                .getMessage().contains("--hang must be longer than"));
        assertEquals(2 * S, SoakOptions.parse("--hang", "2s").hangNanos());
    }

    /** The short duration form of the progress line and the summary. */
    @Test
    void formatsDurations() {
        assertEquals("10m00s", SoakOptions.formatDuration(600 * S));
        assertEquals("1m05s", SoakOptions.formatDuration(65 * S));
        assertEquals("12.5s", SoakOptions.formatDuration(12_500_000_000L));
    }
}
