package org.parkinglot.benchmarks;

import com.google.common.util.concurrent.Striped;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.parkinglot.locks.KeyedMutex;
import org.parkinglot.locks.StripedMutex;

/**
 * The registry of keyed-locking competitors ("lock whatever key this request is about"), for
 * {@link KeyedLockBenchmark}, {@link KeyedLockFootprint} and {@code lockbench --mode keyed}: this
 * project's {@link KeyedMutex} (exact per-key locking), Guava's {@link Striped} (a lock per hashed
 * stripe: keys sharing a stripe exclude each other), and the common hand-written approach, a
 * {@link ConcurrentHashMap} of {@link ReentrantLock}s filled by {@code computeIfAbsent} and never
 * emptied. Each constant makes a {@link KeyedLocks} adapter: one final class per competitor, so that a
 * JIT-compiled call site sees one concrete class per JMH fork.
 *
 * <p><b>Adding a competitor:</b> a constant here and a case in {@link #newLocks(int)}.
 */
public enum KeyedLockType {

    /** {@link KeyedMutex}: exact per-key locking, memory only for the keys held. */
    KEYED_MUTEX("KeyedMutex", "this project: exact per-key locks, memory only for the keys held now"),
    /** Guava {@code Striped.lock(stripes)}: a padded {@code ReentrantLock} per stripe, keys hashed to stripes. */
    STRIPED("Striped", "Guava Striped.lock(" + KeyedLockType.DEFAULT_STRIPES + "): a lock per hashed stripe"),
    /** {@code ConcurrentHashMap<Object, ReentrantLock>} with {@code computeIfAbsent}; entries are never removed. */
    CHM_REENTRANT_LOCK("ConcurrentHashMap+ReentrantLock",
            "a ReentrantLock per key via ConcurrentHashMap.computeIfAbsent, never removed"),
    /** {@link StripedMutex}: this project's compact striped lock (a byte per stripe), keys hashed to stripes. */
    STRIPED_MUTEX("StripedMutex", "this project: StripedMutex(" + KeyedLockType.DEFAULT_STRIPES
            + "), a one-byte lock per hashed stripe");


    /** The stripes of the striped competitors unless told otherwise: few false collisions among 8 threads. */
    public static final int DEFAULT_STRIPES = 1024;

    private final String displayName;
    private final String description;

    KeyedLockType(String displayName, String description) {
        this.displayName = displayName;
        this.description = description;
    }

    /**
     * Returns the name {@code lockbench} uses in {@code --locks}, tables, JSON and the chart.
     *
     * @return for example {@code KeyedMutex}
     */
    public String displayName() {
        return displayName;
    }

    /**
     * Returns one line for {@code lockbench --help}.
     *
     * @return the description
     */
    public String description() {
        return description;
    }

    /**
     * Makes a fresh competitor, every key unlocked.
     *
     * @param stripes the stripe count of the striped competitors (ignored by the others)
     * @return the adapter
     */
    public KeyedLocks newLocks(int stripes) {
        return switch (this) {
            case KEYED_MUTEX -> new KeyedMutexLocks(new KeyedMutex<>());
            case STRIPED -> {
                Striped<Lock> striped = Striped.lock(stripes);
                yield new StripedLocks(new GuavaStripes(striped), striped);
            }
            case CHM_REENTRANT_LOCK -> new MapLocks(new ConcurrentHashMap<>());
            case STRIPED_MUTEX -> new StripedMutexLocks(new StripedMutex(stripes));
        };
    }

    /**
     * Finds a competitor by its {@link #displayName()}, ignoring case.
     *
     * @param name the name as typed
     * @return the competitor, or empty
     */
    public static Optional<KeyedLockType> byName(String name) {
        for (KeyedLockType t : values()) {
            if (t.displayName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Per-key locking as the benchmarks use it: lock a key, unlock the same (or an equal) key. */
    public interface KeyedLocks {
        /**
         * Acquires the lock of {@code key}.
         *
         * @param key the key
         */
        void lock(Object key);

        /**
         * Releases the lock of {@code key}, held by the current thread.
         *
         * @param key the key
         */
        void unlock(Object key);

        /**
         * Returns the structure whose deep size is this competitor's footprint.
         *
         * @return the keyed mutex, the {@code Striped}, or the map
         */
        Object structure();
    }

    /** {@link KeyedMutex}. */
    static final class KeyedMutexLocks implements KeyedLocks {
        private final KeyedMutex<Object> mutex;

        KeyedMutexLocks(KeyedMutex<Object> mutex) {
            this.mutex = mutex;
        }

        @Override
        public void lock(Object key) {
            mutex.lock(key);
        }

        @Override
        public void unlock(Object key) {
            mutex.unlock(key);
        }

        @Override
        public Object structure() {
            return mutex;
        }
    }

    /** {@link StripedMutex}: finds the key's stripe on every call, as users do. */
    static final class StripedMutexLocks implements KeyedLocks {
        private final StripedMutex striped;

        StripedMutexLocks(StripedMutex striped) {
            this.striped = striped;
        }

        @Override
        public void lock(Object key) {
            striped.get(key).lock();
        }

        @Override
        public void unlock(Object key) {
            striped.get(key).unlock();
        }

        @Override
        public Object structure() {
            return striped;
        }
    }

    /** {@link Striped#get(Object)} as a function, so {@link StripedLocks} also serves {@code StripedMutex::get}. */
    static final class GuavaStripes implements Function<Object, Lock> {
        private final Striped<Lock> striped;

        GuavaStripes(Striped<Lock> striped) {
            this.striped = striped;
        }

        @Override
        public Lock apply(Object key) {
            return striped.get(key);
        }
    }

    /** A striped lock: finds the key's stripe on every call, as users do. */
    static final class StripedLocks implements KeyedLocks {
        private final Function<Object, Lock> stripes;
        private final Object structure;

        StripedLocks(Function<Object, Lock> stripes, Object structure) {
            this.stripes = stripes;
            this.structure = structure;
        }

        @Override
        public void lock(Object key) {
            stripes.apply(key).lock();
        }

        @Override
        public void unlock(Object key) {
            stripes.apply(key).unlock();
        }

        @Override
        public Object structure() {
            return structure;
        }
    }

    /** A {@code ReentrantLock} per key in a {@link ConcurrentHashMap}; entries stay forever. */
    static final class MapLocks implements KeyedLocks {
        private final ConcurrentHashMap<Object, ReentrantLock> locks;

        MapLocks(ConcurrentHashMap<Object, ReentrantLock> locks) {
            this.locks = locks;
        }

        @Override
        public void lock(Object key) {
            ReentrantLock lock = locks.get(key); // the usual get-then-computeIfAbsent: no bin lock once present
            if (lock == null) {
                lock = locks.computeIfAbsent(key, NewLock.INSTANCE);
            }
            lock.lock();
        }

        @Override
        public void unlock(Object key) {
            locks.get(key).unlock();
        }

        @Override
        public Object structure() {
            return locks;
        }
    }

    /** The mapping function of {@link MapLocks}: a new unfair {@code ReentrantLock}. */
    private enum NewLock implements Function<Object, ReentrantLock> {
        INSTANCE;

        @Override
        public ReentrantLock apply(Object key) {
            return new ReentrantLock();
        }
    }
}
