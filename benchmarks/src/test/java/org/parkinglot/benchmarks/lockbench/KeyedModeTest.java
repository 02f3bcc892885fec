package org.parkinglot.benchmarks.lockbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.parkinglot.benchmarks.KeyedLockType;

/** {@code lockbench --keyed}: options, and a smoke-sized complete run in one JVM. */
class KeyedModeTest {

    @TempDir
    Path dir;

    /** --keyed is --mode keyed, takes --threads, runs every keyed competitor, and contradicts another --mode. */
    @Test
    void options() throws Exception {
        Options o = Options.parse("--keyed");
        assertEquals(Mode.KEYED, o.mode());
        assertEquals(KeyedLockType.values().length, o.locks().size());
        assertEquals(Options.parse("--mode", "keyed", "--threads", "2,4").configs(),
                Options.parse("--keyed", "--threads", "2,4").configs());
        assertEquals("Striped", Competitors.baseline(Mode.KEYED));
        assertThrows(UsageException.class, () -> Options.parse("--keyed", "--mode", "mutex"));
        assertThrows(UsageException.class, () -> Options.parse("--keyed", "--readers", "1"));
        assertThrows(UsageException.class, () -> Options.parse("--keyed", "--locks", "RawMutex"));
        Options one = Options.parse("--keyed", "--locks", "keyedmutex", "--threads", "3");
        assertEquals(Options.parse(one.forkArgs(one.locks().get(0), 1).toArray(String[]::new)).configs(),
                one.configs());
        assertTrue(Options.usage().contains("Locks, --mode keyed:"));
    }

    /**
     * Every keyed competitor at 2 threads for 0.1 s in this JVM: exit 0, a row each with a positive
     * throughput, the keyed footnote, and KeyedMutex's footprint a tenth of Guava's or less.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void keyedInProcess() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = LockBench.run(new String[] {"--keyed", "--threads", "2", "--seconds", "0.1", "--iterations", "1",
                "--warmup", "0", "--in-process", "--no-progress", "--out", dir.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(LockBench.OK, status, err.toString(StandardCharsets.UTF_8));
        assertTrue(text.contains("keyed mode: each critical section locks a random key of " + Competitors.KEY_SPACE
                + " keys."), text);
        JsonNode root = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        assertEquals("keyed", root.get("mode").asText());
        Map<String, JsonNode> rows = new HashMap<>();
        root.get("results").forEach(r -> rows.put(r.get("lock").asText(), r));
        for (KeyedLockType t : KeyedLockType.values()) {
            JsonNode r = rows.get(t.displayName());
            assertTrue(r != null && r.get("opsPerSecond").asDouble() > 0, t + " in " + text);
        }
        for (String lock : List.of("KeyedMutex", "Striped")) {
            assertTrue(rows.get(lock).hasNonNull("bytesPerLock"), lock + " footprint in " + text);
        }
        long keyed = rows.get("KeyedMutex").get("bytesPerLock").asLong();
        long striped = rows.get("Striped").get("bytesPerLock").asLong();
        assertTrue(keyed * 10 <= striped, "KeyedMutex " + keyed + " B, Striped " + striped + " B");
        assertTrue(Files.size(dir.resolve("throughput.png")) > 0);
    }
}
