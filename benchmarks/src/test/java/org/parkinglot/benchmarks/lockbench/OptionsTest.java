package org.parkinglot.benchmarks.lockbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The command-line parser of lockbench: defaults, accepted forms, and every kind of bad input. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OptionsTest {

    private static List<Integer> threads(Options o) {
        return o.configs().stream().map(ThreadConfig::writers).toList();
    }

    /**
     * No arguments give the documented defaults: mutex mode, every mutex lock but the straw men, 1,2,4,8
     * threads, the Abseil-like workload (20 units inside, 40 per thread between), three 1 s runs.
     */
    @Test
    void defaults() throws UsageException {
        Options o = Options.parse();
        assertEquals(Mode.MUTEX, o.mode());
        assertEquals(Competitors.defaults(Mode.MUTEX), o.locks());
        assertTrue(o.locks().stream().noneMatch(c -> Origin.of(c) == Origin.STRAW_MAN));
        assertTrue(o.locks().stream().anyMatch(c -> c.name().equals("ReentrantLock")));
        assertEquals(List.of(1, 2, 4, 8), threads(o));
        assertEquals(20, o.workInside());
        assertEquals(40, o.workBetween());
        assertTrue(o.betweenPerThread());
        assertEquals(40, o.workBetweenFor(ThreadConfig.mutex(1)));
        assertEquals(320, o.workBetweenFor(ThreadConfig.mutex(8)));
        assertEquals(1.0, o.seconds());
        assertEquals(3, o.iterations());
        assertEquals(Path.of("lockbench-out"), o.out());
        assertTrue(o.fork());
        assertTrue(o.progress());
    }

    /** Thread counts accept single values, start:end, start:end:step and comma lists, sorted without duplicates. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "3; 3",
        "1:4; 1,2,3,4",
        "2:16:4; 2,6,10,14",
        "8,1,4:6,2,1; 1,2,4,5,6,8",
        "' 2 , 5 '; 2,5",
        "4:4; 4"})
    void threadSpecs(String spec, String expected) throws UsageException {
        List<Integer> want = java.util.Arrays.stream(expected.split(",")).map(Integer::valueOf).toList();
        assertEquals(want, threads(Options.parse("--threads", spec)));
    }

    /** --locks all is the default set, without the straw men; a straw man runs only when named. */
    @Test
    void allLeavesOutStrawMenUnlessNamed() throws UsageException {
        assertEquals(Competitors.defaults(Mode.MUTEX), Options.parse("--locks", "all").locks());
        assertTrue(Options.parse("--locks", "all").locks().stream().noneMatch(c -> Origin.of(c) == Origin.STRAW_MAN));
        List<Competitor> withSpin = Options.parse("--locks", "all,SpinLock").locks();
        assertEquals(1, withSpin.stream().filter(c -> Origin.of(c) == Origin.STRAW_MAN).count());
        assertTrue(withSpin.stream().anyMatch(c -> c.name().equals("SpinLock")));
    }

    /** --work-between N is the same at every thread count, NxT (any case) multiplies it by the thread count. */
    @Test
    void workBetweenPerThread() throws UsageException {
        Options plain = Options.parse("--work-between", "7");
        assertFalse(plain.betweenPerThread());
        assertEquals(7, plain.workBetweenFor(ThreadConfig.mutex(4)));
        assertEquals("7", plain.workBetweenText());
        Options scaled = Options.parse("--work-between", "5xt");
        assertTrue(scaled.betweenPerThread());
        assertEquals(20, scaled.workBetweenFor(ThreadConfig.mutex(4)));
        assertEquals(15, Options.parse("--mode", "rwlock", "--work-between", "5xT").workBetweenFor(new ThreadConfig(1, 2)));
        assertEquals("5xT", scaled.workBetweenText());
        Options old = Options.parse("--work-inside", "1", "--work-between", "0");
        assertEquals(0, old.workBetweenFor(ThreadConfig.mutex(8)));
    }

    /** Both --name value and --name=value work, and every setting reaches the record. */
    @Test
    void everyOptionIsRead() throws UsageException {
        Options o = Options.parse("--locks=rawmutex,REENTRANTLOCK,RawMutex", "--threads", "2:4:2",
                "--work-inside", "5", "--work-between=7", "--seconds", "0.25", "--iterations", "3",
                "--warmup", "0", "--out", "x/y", "--in-process", "--no-progress");
        assertEquals(List.of("RawMutex", "ReentrantLock"), o.locks().stream().map(Competitor::name).toList());
        assertEquals(List.of(2, 4), threads(o));
        assertEquals(5, o.workInside());
        assertEquals(7, o.workBetween());
        assertEquals(0.25, o.seconds());
        assertEquals(3, o.iterations());
        assertEquals(0.0, o.warmupSeconds());
        assertEquals(Path.of("x/y"), o.out());
        assertFalse(o.fork());
        assertFalse(o.progress());
    }

    /** In rwlock mode every writers x readers pair runs, except the empty 0 + 0, as parking_lot's rwlock.rs. */
    @Test
    void rwlockPairs() throws UsageException {
        Options o = Options.parse("--mode", "rwlock", "--writers", "0:1", "--readers", "0,2");
        assertEquals(List.of(new ThreadConfig(0, 2), new ThreadConfig(1, 0), new ThreadConfig(1, 2)), o.configs());
        assertEquals(Competitors.all(Mode.RWLOCK), o.locks());
    }

    /** The arguments for a forked JVM parse back into the same plan, narrowed to one lock. */
    @Test
    void forkArgsRoundTrip() throws UsageException {
        for (String[] args : List.of(
                new String[] {"--threads", "1,3:5", "--seconds", "0.125", "--work-inside", "2", "--warmup", "0.5"},
                new String[] {"--mode", "rwlock", "--writers", "0:2", "--readers", "0,3", "--iterations", "4"},
                new String[] {"--work-between", "3"})) {
            Options o = Options.parse(args);
            Competitor lock = o.locks().get(1);
            Options f = Options.parse(o.forkArgs(lock, o.iterations()).toArray(String[]::new));
            assertEquals(List.of(lock), f.locks());
            assertEquals(o.configs(), f.configs());
            assertEquals(o.mode(), f.mode());
            assertEquals(o.seconds(), f.seconds());
            assertEquals(o.warmupSeconds(), f.warmupSeconds());
            assertEquals(o.iterations(), f.iterations());
            assertEquals(o.workInside(), f.workInside());
            assertEquals(o.workBetween(), f.workBetween());
            assertEquals(o.betweenPerThread(), f.betweenPerThread());
        }
        Options o = Options.parse();
        assertEquals(1, Options.parse(o.forkArgs(o.locks().get(0), 1).toArray(String[]::new)).iterations(),
                "a forked JVM makes the runs it is asked for");
    }

    /** Every kind of bad argument is a UsageException whose message names the problem. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "--threads 0:x; --threads",
        "--threads x; not a whole number",
        "--threads 8:1; inverted",
        "--threads 1:8:0; out of range",
        "--threads 1:2:3:4; start:end",
        "--threads 1,,2; empty item",
        "--threads 0; out of range",
        "--threads 2000; out of range",
        "--threads -1; out of range",
        "--seconds -1; not allowed",
        "--seconds 0; not allowed",
        "--seconds NaN; not allowed",
        "--seconds Infinity; not allowed",
        "--seconds abc; not a number",
        "--warmup -0.5; not allowed",
        "--iterations 0; out of range",
        "--iterations 1.5; not a whole number",
        "--work-inside -3; out of range",
        "--work-between many; not a whole number",
        "--work-between xT; not a whole number",
        "--work-between 2x; not a whole number",
        "--work-between 5000xT; out of range",
        "--mode spinny; --mode must be",
        "--locks NoSuchLock; unknown lock 'NoSuchLock'",
        "--locks RawMutex,,ReentrantLock; empty name",
        "--frobnicate 3; unknown option",
        "stray; unexpected argument",
        "--seconds 1 --seconds 2; given twice",
        "--no-progress=yes; takes no value",
        "--mode rwlock --threads 2; --threads applies to --mode mutex",
        "--readers 2; applies to --mode rwlock",
        "--mode rwlock --writers 0 --readers 0; no run",
        "--mode rwlock --locks RawMutex; unknown lock"})
    void badArguments(String line, String expectedFragment) {
        UsageException e = assertThrows(UsageException.class, () -> Options.parse(line.split(" ")));
        assertTrue(e.getMessage().contains(expectedFragment), e.getMessage());
    }

    /** An option at the end without its value is reported, not read past the end. */
    @Test
    void missingValue() {
        UsageException e = assertThrows(UsageException.class, () -> Options.parse("--threads"));
        assertTrue(e.getMessage().contains("needs a value"), e.getMessage());
        e = assertThrows(UsageException.class, () -> Options.parse("--threads", ""));
        assertTrue(e.getMessage().contains("needs a value"), e.getMessage());
    }

    /** The straw men are left out of --locks all and run when named; the real locks are all in. */
    @Test
    void strawMenRunOnlyWhenNamed() throws UsageException {
        List<String> all = Options.parse("--locks", "all").locks().stream().map(Competitor::name).toList();
        assertTrue(all.containsAll(List.of("RawMutex", "ReentrantLock", "synchronized", "Striped")), all.toString());
        for (String straw : List.of("Floor", "SpinLock", "UnparkAllLock", "BargingMutex")) {
            assertTrue(Competitors.isStrawMan(straw), straw);
            assertFalse(all.contains(straw), straw);
            assertEquals(List.of(straw), Options.parse("--locks", straw.toLowerCase(java.util.Locale.ROOT)).locks()
                    .stream().map(Competitor::name).toList());
        }
        assertFalse(Competitors.isStrawMan("RawMutex"));
        List<String> plus = Options.parse("--locks", "all,SpinLock,RawMutex").locks().stream().map(Competitor::name)
                .toList();
        assertEquals(all.size() + 1, plus.size(), "all plus a straw man, RawMutex not twice");
        assertEquals("SpinLock", plus.get(plus.size() - 1));
    }

    /** An unknown lock name's message lists every valid name of the mode. */
    @Test
    void unknownLockListsValidNames() {
        UsageException e = assertThrows(UsageException.class, () -> Options.parse("--locks", "Mutex"));
        for (Competitor c : Competitors.all(Mode.MUTEX)) {
            assertTrue(e.getMessage().contains(c.name()), e.getMessage());
        }
    }

    /** Bad arguments through the entry point print the error and the usage on stderr and return 2, with no stack trace. */
    @ParameterizedTest
    @ValueSource(strings = {"--threads 0:x", "--locks Nope", "--seconds -2", "--threads 4:2", "--iterations two",
        "--mode rwlock --fairness"})
    void entryPointRejectsWithUsage(String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = LockBench.run(line.split(" "), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(LockBench.USAGE, status);
        assertTrue(e.startsWith("lockbench: error: "), e);
        assertTrue(e.contains("Usage: ./lockbench"), e);
        assertFalse(e.contains("Exception") || e.contains("\tat "), e);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    /** --help prints the usage with every lock name on stdout and returns 0, whatever else is on the line. */
    @Test
    void help() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = LockBench.run(new String[] {"--threads", "0:x", "--help"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String o = out.toString(StandardCharsets.UTF_8);
        assertEquals(LockBench.OK, status);
        assertTrue(o.contains("--work-inside"), o);
        for (Mode m : Mode.values()) {
            for (Competitor c : Competitors.all(m)) {
                assertTrue(o.contains(c.name()), c.name());
            }
        }
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }
}
