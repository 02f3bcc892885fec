package org.parkinglot.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.parkinglot.benchmarks.KeyedLockType.KeyedLocks;

/**
 * Keeps {@link KeyedLockBenchmark} from rotting (a tiny JMH run per competitor), checks that every
 * competitor's adapter really excludes per key, and holds the footprint target: {@code KeyedMutex} at a
 * tenth of Guava's {@code Striped} or less at the benchmark's configuration. Speed is not asserted.
 */
class KeyedLockBenchmarkTest {

    /** JMH runs the benchmark in process with 2 threads over 1024 keys, a positive score per competitor. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void jmhReportsAScorePerCompetitor() throws Exception {
        Options options = new OptionsBuilder()
                .include("^" + Pattern.quote(KeyedLockBenchmark.class.getName()) + "\\.lockRandomKey$")
                .param("keys", "1024")
                .threads(2)
                .forks(0)
                .warmupIterations(1)
                .warmupTime(TimeValue.milliseconds(100))
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Set<KeyedLockType> seen = EnumSet.noneOf(KeyedLockType.class);
        for (RunResult r : results) {
            double score = r.getPrimaryResult().getScore();
            KeyedLockType type = KeyedLockType.valueOf(r.getParams().getParam("type"));
            assertTrue(score > 0 && Double.isFinite(score), type + " scored " + score);
            seen.add(type);
        }
        assertEquals(EnumSet.allOf(KeyedLockType.class), seen);
    }

    /** Each adapter excludes per key: two threads incrementing per-key counters under it lose nothing. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyCompetitorExcludesPerKey() throws Exception {
        for (KeyedLockType type : KeyedLockType.values()) {
            KeyedLocks locks = type.newLocks(16);
            Object[] keys = KeyedLockBenchmark.keySpace(8);
            long[] counters = new long[keys.length];
            int perThread = 50_000;
            Runnable body = () -> {
                for (int i = 0; i < perThread; i++) {
                    int k = i & 7;
                    locks.lock(Integer.valueOf(k)); // an equal key, not necessarily the same object
                    try {
                        counters[k]++;
                    } finally {
                        locks.unlock(keys[k]);
                    }
                }
            };
            Thread a = Thread.ofPlatform().daemon().start(body);
            Thread b = Thread.ofVirtual().start(body);
            a.join();
            b.join();
            long total = 0;
            for (long c : counters) {
                total += c;
            }
            assertEquals(2L * perThread, total, type + " lost increments");
        }
    }

    /**
     * At the benchmark's stripes, KeyedMutex takes a tenth of Guava Striped's memory or less, fresh and after
     * every key of a 1024-key space was used once; the map keeps a lock per key.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void footprintTarget() {
        System.setProperty("jol.magicFieldOffset", "true");
        int stripes = KeyedLockType.DEFAULT_STRIPES;
        long keyedFresh = KeyedLockFootprint.fresh(KeyedLockType.KEYED_MUTEX, stripes);
        long keyedUsed = KeyedLockFootprint.afterUse(KeyedLockType.KEYED_MUTEX, stripes, 1024);
        long striped = KeyedLockFootprint.fresh(KeyedLockType.STRIPED, stripes);
        long map = KeyedLockFootprint.afterUse(KeyedLockType.CHM_REENTRANT_LOCK, stripes, 1024);
        assertEquals(keyedFresh, keyedUsed, "KeyedMutex keeps nothing for a free key");
        assertTrue(keyedFresh * 10 <= striped, "KeyedMutex " + keyedFresh + " B, Striped " + striped + " B");
        assertTrue(map > 1024 * 48, "the map holds a lock per key used: " + map + " B");
    }
}
