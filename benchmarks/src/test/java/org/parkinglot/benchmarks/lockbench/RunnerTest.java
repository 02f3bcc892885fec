package org.parkinglot.benchmarks.lockbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The timed run and the protocol between lockbench and its forked JVMs. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunnerTest {

    /** A run of every mutex competitor returns one count and one max wait per thread and a positive elapsed time. */
    @Test
    void workloadShape() throws Exception {
        for (Competitor c : Competitors.all(Mode.MUTEX)) {
            RunResult r = Workload.run(c, ThreadConfig.mutex(2), 1, 1, TimeUnit.MILLISECONDS.toNanos(20));
            assertEquals(2, r.writerIterations().length, c.name());
            assertEquals(0, r.readerIterations().length, c.name());
            assertEquals(2, r.maxWaitNanos().length, c.name());
            assertTrue(r.elapsedNanos() > 0);
            for (int t = 0; t < 2; t++) {
                long n = r.writerIterations()[t];
                assertTrue(0 <= r.waitsAtLeast2ms()[t] && r.waitsAtLeast2ms()[t] <= r.waitsAtLeast1ms()[t]
                        && r.waitsAtLeast1ms()[t] <= n, c.name() + ": long waits out of order");
            }
        }
    }

    /** A footprint JOL cannot take is reported as absent (n/a), never as a crash; one it can take is positive. */
    @Test
    void footprintFailureIsNotAvailable() {
        Competitor broken = new Competitor("Broken", Mode.MUTEX, "throws", () -> section -> { },
                () -> {
                    throw new IllegalStateException("no footprint");
                }, 1);
        java.util.Map<String, java.util.OptionalLong> sizes =
                Footprint.measure(List.of(broken, Competitors.find(Mode.MUTEX, "RawMutex").orElseThrow()));
        assertTrue(sizes.get("Broken").isEmpty());
        java.util.OptionalLong raw = sizes.get("RawMutex");
        assertTrue(raw.isEmpty() || raw.getAsLong() > 0, raw.toString());
    }

    /** Counts survive the protocol's comma lists, including the empty list '-'. */
    @Test
    void csvRoundTrip() {
        long[] values = {0, 7, Long.MAX_VALUE};
        assertArrayEquals(values, Runner.longs(Runner.csv(values)));
        assertEquals("-", Runner.csv(new long[0]));
        assertArrayEquals(new long[0], Runner.longs("-"));
    }

    /** The forked JVM's main reports warm-up, start and result lines that parse back into the configurations. */
    @Test
    void forkedRunProtocol() throws Exception {
        Options o = Options.parse("--locks", "SpinLock", "--threads", "1,2", "--seconds", "0.02", "--iterations", "2",
                "--warmup", "0.01");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = ForkedRun.run(o.forkArgs(o.locks().get(0), o.iterations()).toArray(String[]::new),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(0, status);
        List<String> events = new ArrayList<>();
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            assertTrue(line.startsWith(Runner.PREFIX), line);
            String[] f = line.substring(Runner.PREFIX.length()).split(" ");
            events.add(f[0] + " " + f[1] + (f.length > 2 ? " " + f[2] : ""));
            if (f[0].equals("result")) {
                int threads = o.configs().get(Integer.parseInt(f[1])).threads();
                assertEquals(threads, Runner.longs(f[4]).length);
                assertEquals("-", f[5]);
                assertEquals(threads, Runner.longs(f[6]).length);
                assertEquals(threads, Runner.longs(f[7]).length);
                assertEquals(threads, Runner.longs(f[8]).length);
            }
        }
        assertEquals(List.of("warmup 1", "start 0 1", "result 0 1", "start 0 2", "result 0 2",
                "start 1 1", "result 1 1", "start 1 2", "result 1 2"), events);
    }

    /** The forked JVM's main answers bad arguments with an error line and status 2. */
    @Test
    void forkedRunBadArguments() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = ForkedRun.run(new String[] {"--locks", "Nope"}, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertTrue(bytes.toString(StandardCharsets.UTF_8).startsWith(Runner.PREFIX + "error "));
    }

    /** A lock call's wait counts towards the longest wait and, from 1 ms and from 2 ms, the long-wait counts. */
    @Test
    void waitsAreCountedByThreshold() {
        Workload.SharedValue cell = new Workload.SharedValue();
        Workload.WriterSection section = new Workload.WriterSection(cell, 1);
        for (long waited : new long[] {5_000, 999_999, 1_000_000, 1_999_999, 2_000_000, 7_000_000, 300}) {
            section.run(waited);
        }
        assertEquals(7_000_000, section.maxWait);
        assertEquals(4, section.longWaits);
        assertEquals(2, section.veryLongWaits);
        assertEquals(7, cell.sections, "every critical section counts itself");
    }

    /**
     * A run whose critical sections disagree with the threads' counts fails as broken mutual exclusion: here a
     * "lock" that runs the section twice per acquisition, which makes the shared counter read twice the iterations.
     */
    @Test
    void disagreeingSharedCounterFailsTheRun() {
        Competitor twice = new Competitor("Twice", Mode.MUTEX, "runs the section twice", () -> section -> {
            synchronized (RunnerTest.class) {
                section.run(0);
                section.run(0);
            }
        }, Object::new, 1);
        BenchmarkException e = assertThrows(BenchmarkException.class,
                () -> Workload.run(twice, ThreadConfig.mutex(2), 1, 0, TimeUnit.MILLISECONDS.toNanos(20)));
        assertTrue(e.getMessage().startsWith("Twice: mutual exclusion broken: "), e.getMessage());
    }
}
