package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jol.info.GraphLayout;

/**
 * Footprint of {@link KeyedMutex} measured with JOL (deep size) on the JVM's default flags: small when
 * idle, and back to exactly that size after a burst of keys locked and released.
 *
 * <p>Needs {@code -Djol.magicFieldOffset=true} with JOL 0.17 on JDK 25 (set in the surefire argLine).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeyedMutexSizeTest {

    private static long deepSize(Object o) {
        return GraphLayout.parseInstance(o).totalSize();
    }

    /**
     * Idle with 16 stripes (the default on up to 4 CPUs): at most 1 KiB: the object (24 B), the stripe
     * array (16 + 4 x 16 B), 16 stripes of 24 B (header, word, count, table reference) and their 4-slot
     * tables of 32 B make 1,000 B.
     */
    @Test
    void idleFootprintIsSmall() {
        long idle = deepSize(new KeyedMutex<>(16));
        assertTrue(idle <= 1024, "idle KeyedMutex(16) takes " + idle + " B");
        long maxStripes = deepSize(new KeyedMutex<>(KeyedMutex.MAX_STRIPES));
        assertTrue(maxStripes <= 64 * KeyedMutex.MAX_STRIPES, "idle KeyedMutex(1024) takes " + maxStripes + " B");
    }

    /** Each held key costs about one entry (40 B) and one table slot; a burst leaves nothing behind. */
    @Test
    void burstLeavesNothingBehind() {
        // Walking the owner thread's graph needs JOL's magic field offsets (set by the default surefire
        // execution; not by owner-tracking's, which runs this class too when selected with -Dtest).
        assumeTrue(Boolean.getBoolean("jol.magicFieldOffset"), "needs -Djol.magicFieldOffset=true");
        KeyedMutex<Integer> mutex = new KeyedMutex<>(16);
        long idle = deepSize(mutex);
        int n = 10_000;
        Integer[] keys = new Integer[n];
        for (int i = 0; i < n; i++) {
            keys[i] = 1_000_000 + i; // not from the Integer cache, so the keys are counted once, below
            mutex.lock(keys[i]);
        }
        // Minus what the entries point to but do not own: the keys and the owner thread's object graph.
        long held = GraphLayout.parseInstance(mutex)
                .subtract(GraphLayout.parseInstance(Thread.currentThread(), keys)).totalSize() - idle;
        assertTrue(held <= 64L * n, n + " held keys cost " + held + " B beyond the keys");
        for (int i = 0; i < n; i++) {
            mutex.unlock(keys[i]);
        }
        assertEquals(idle, deepSize(mutex), "back to the idle size");
    }
}
