package org.parkinglot.benchmarks.lockbench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.openjdk.jol.info.GraphLayout;

/**
 * Measures bytes per lock with JOL: the deep size ({@code GraphLayout.parseInstance(x).totalSize()}) of
 * a fresh, never-contended instance, divided by the number of locks it holds. Some locks grow once
 * contended (a {@code ReentrantLock} keeps its queue's head node: 48 B fresh, 80 B after); a
 * {@code synchronized} monitor's native part is invisible to JOL, which sees only the plain object.
 *
 * <p>JOL 0.17 needs {@code -Djol.magicFieldOffset=true} on JDK 25; this class sets it if it is absent,
 * and {@code -Djol.skipHotspotSAAttach=true} (attaching the Serviceability Agent takes seconds and
 * adds nothing to sizes).
 * If JOL cannot run at all, every footprint is empty and the report says "n/a".
 */
public final class Footprint {

    private Footprint() {
    }

    /**
     * Measures each lock's footprint. JOL's own messages (warnings about attaching to the VM) are kept
     * off stdout.
     *
     * @param locks the competitors
     * @return per name, the bytes per lock, or empty where JOL failed
     */
    public static Map<String, OptionalLong> measure(List<Competitor> locks) {
        Map<String, OptionalLong> sizes = new LinkedHashMap<>();
        if (System.getProperty("jol.magicFieldOffset") == null) {
            System.setProperty("jol.magicFieldOffset", "true");
        }
        if (System.getProperty("jol.skipHotspotSAAttach") == null) {
            System.setProperty("jol.skipHotspotSAAttach", "true"); // the agent is not needed for sizes; saves seconds
        }
        PrintStream stdout = System.out;
        ByteArrayOutputStream chatter = new ByteArrayOutputStream();
        System.setOut(new PrintStream(chatter, true, StandardCharsets.UTF_8));
        try {
            for (Competitor c : locks) {
                sizes.put(c.name(), measure(c));
            }
        } finally {
            System.setOut(stdout);
        }
        return sizes;
    }

    /**
     * Measures one lock's footprint.
     *
     * @param competitor the lock
     * @return the bytes per lock, or empty if JOL failed
     */
    static OptionalLong measure(Competitor competitor) {
        try {
            Object sample = competitor.footprintSample().get();
            long total = GraphLayout.parseInstance(sample).totalSize();
            return OptionalLong.of(Math.round((double) total / competitor.locksPerSample()));
        } catch (RuntimeException | LinkageError e) { // JOL may fail in many ways (no Unsafe, unknown VM, missing classes): report n/a
            return OptionalLong.empty();
        }
    }
}
