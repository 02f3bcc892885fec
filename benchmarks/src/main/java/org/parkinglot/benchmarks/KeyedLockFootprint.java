package org.parkinglot.benchmarks;

import java.util.Locale;
import org.openjdk.jol.info.GraphLayout;
import org.parkinglot.benchmarks.KeyedLockType.KeyedLocks;

/**
 * The footprint of each {@link KeyedLockType} competitor at {@link KeyedLockBenchmark}'s configurations,
 * measured with JOL (deep size, the keys a structure retains included): fresh, and after every key of the
 * key space has been locked and unlocked once (the state a long benchmark run converges to). Between
 * lock calls a {@code KeyedMutex} holds one 40-byte entry per key held at that moment, which this
 * does not show: it is back to its fresh size whenever no key is held.
 *
 * <p>Run (from the repository root, after {@code mvn -B -q -pl benchmarks -am package -DskipTests}):
 * <pre>
 * java -Djol.magicFieldOffset=true -cp benchmarks/target/benchmarks.jar org.parkinglot.benchmarks.KeyedLockFootprint
 * </pre>
 */
public final class KeyedLockFootprint {

    private KeyedLockFootprint() {
    }

    /**
     * Prints the table.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        if (System.getProperty("jol.magicFieldOffset") == null) {
            System.setProperty("jol.magicFieldOffset", "true");
        }
        int stripes = KeyedLockType.DEFAULT_STRIPES;
        System.out.printf(Locale.ROOT, "%-34s %12s %16s %16s%n", "competitor (stripes " + stripes + ")", "fresh B",
                "1024 keys used B", "1M keys used B");
        for (KeyedLockType type : KeyedLockType.values()) {
            System.out.printf(Locale.ROOT, "%-34s %12d %16d %16d%n", type.displayName(), fresh(type, stripes),
                    afterUse(type, stripes, 1024), afterUse(type, stripes, 1_000_000));
        }
    }

    /**
     * The deep size of a fresh competitor.
     *
     * @param type    the competitor
     * @param stripes the stripes of the striped ones
     * @return bytes
     */
    public static long fresh(KeyedLockType type, int stripes) {
        return GraphLayout.parseInstance(type.newLocks(stripes).structure()).totalSize();
    }

    /**
     * The deep size of a competitor after each of {@code keys} keys was locked and unlocked once, keys
     * the structure retains included.
     *
     * @param type    the competitor
     * @param stripes the stripes of the striped ones
     * @param keys    the size of the key space
     * @return bytes
     */
    public static long afterUse(KeyedLockType type, int stripes, int keys) {
        KeyedLocks locks = type.newLocks(stripes);
        for (Object k : KeyedLockBenchmark.keySpace(keys)) {
            locks.lock(k);
            locks.unlock(k);
        }
        return GraphLayout.parseInstance(locks.structure()).totalSize();
    }
}
