package org.parkinglot.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.Striped;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jol.info.GraphLayout;
import org.parkinglot.locks.StripedMutex;

/**
 * Bytes per stripe, measured with JOL (deep size over the number of stripes) on the JVM's default
 * flags: {@link StripedMutex} against Guava's {@code Striped.lock(n)}, whose stripes (padded
 * {@code ReentrantLock}s) exist from the start. Ours must take at most a tenth of Guava's per stripe.
 * The measured figures are printed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StripedFootprintTest {

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

    /** The deep size of {@code o} divided by {@code stripes}. */
    private static double perStripe(Object o, int stripes) {
        return (double) GraphLayout.parseInstance(o).totalSize() / stripes;
    }

    /**
     * A StripedMutex takes at most a tenth of the bytes per stripe of Guava's Striped.lock of the same
     * size, which creates its locks eagerly (at least a ReentrantLock's 48 bytes per stripe, before any
     * stripe is used).
     */
    @ParameterizedTest
    @ValueSource(ints = {16, 1024, 65_536})
    void stripedMutexIsATenthOfGuavaPerStripe(int stripes) {
        Striped<Lock> guava = Striped.lock(stripes);
        StripedMutex ours = new StripedMutex(stripes);
        double guavaPerStripe = perStripe(guava, guava.size());
        double oursPerStripe = perStripe(ours, ours.size());
        System.out.printf("stripes %,d: StripedMutex %.2f B/stripe (%,d B), Guava Striped.lock %.2f B/stripe (%,d B)%n",
                stripes, oursPerStripe, GraphLayout.parseInstance(ours).totalSize(), guavaPerStripe,
                GraphLayout.parseInstance(guava).totalSize());
        assertTrue(guavaPerStripe >= 48, "Guava's stripes are created eagerly: " + guavaPerStripe + " B/stripe");
        assertTrue(oursPerStripe * 10 <= guavaPerStripe,
                "StripedMutex " + oursPerStripe + " B/stripe vs Guava " + guavaPerStripe + " B/stripe");
    }

    /** Using every stripe (locked and unlocked once) leaves a StripedMutex's footprint unchanged. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void usingStripesAddsNothing(boolean fair) {
        StripedMutex ours = new StripedMutex(1024, fair);
        long fresh = GraphLayout.parseInstance(ours).totalSize();
        for (int i = 0; i < ours.size(); i++) {
            Lock stripe = ours.getAt(i);
            stripe.lock();
            stripe.unlock();
        }
        long used = GraphLayout.parseInstance(ours).totalSize();
        assertEquals(fresh, used, "bytes after every stripe was used");
    }
}
