package org.parkinglot.benchmarks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;

/**
 * The benchmarks' guarded data never shares a cache line with anything outside its own object: JOL's
 * field offsets show at least {@value #PAD} bytes of the object before and after the guarded fields of
 * every competitor's {@link LockedCounter} and {@link LockedPair}, so no lock word can land on their lines.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GuardedDataLayoutTest {

    /** Bytes of the object itself required on each side of the guarded fields: two 64-byte lines. */
    private static final long PAD = 128;

    @BeforeAll
    static void configureJol() {
        // JOL 0.17 needs the magic field offset mode on JDK 25 (see ../shared/reference/jvm-notes.md).
        if (System.getProperty("jol.magicFieldOffset") == null) {
            System.setProperty("jol.magicFieldOffset", "true");
        }
        if (System.getProperty("jol.skipHotspotSAAttach") == null) {
            System.setProperty("jol.skipHotspotSAAttach", "true");
        }
    }

    /** Every counter's {@code count} has 128 bytes of its own object on both sides. */
    @ParameterizedTest
    @MethodSource("org.parkinglot.benchmarks.MutexBenchmarkTest#types")
    void countIsPaddedOnBothSides(LockType type) {
        assertPadded(LockedCounter.of(type), List.of("count"));
    }

    /** Every pair's {@code first} and {@code second} have 128 bytes of their own object on both sides. */
    @ParameterizedTest
    @MethodSource("org.parkinglot.benchmarks.RwLockBenchmarkTest#types")
    void pairIsPaddedOnBothSides(LockType type) {
        assertPadded(LockedPair.of(type), List.of("first", "second"));
    }

    private static void assertPadded(Object instance, List<String> guarded) {
        ClassLayout layout = ClassLayout.parseInstance(instance);
        long lowest = Long.MAX_VALUE;
        long highestEnd = Long.MIN_VALUE;
        int found = 0;
        for (FieldLayout field : layout.fields()) {
            if (guarded.contains(field.name())) {
                found++;
                lowest = Math.min(lowest, field.offset());
                highestEnd = Math.max(highestEnd, field.offset() + field.size());
            }
        }
        String where = instance.getClass().getSimpleName() + ":\n" + layout.toPrintable();
        assertTrue(found == guarded.size(), "guarded fields " + guarded + " not all found in " + where);
        assertTrue(lowest >= PAD, "only " + lowest + " bytes before the guarded fields of " + where);
        long after = layout.instanceSize() - highestEnd;
        assertTrue(after >= PAD, "only " + after + " bytes after the guarded fields of " + where);
    }
}
