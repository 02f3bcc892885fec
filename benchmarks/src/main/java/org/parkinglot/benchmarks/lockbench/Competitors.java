package org.parkinglot.benchmarks.lockbench;

import com.google.common.util.concurrent.Striped;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import java.util.concurrent.ThreadLocalRandom;
import org.parkinglot.benchmarks.KeyedLockType;
import org.parkinglot.benchmarks.KeyedLockType.KeyedLocks;
import org.parkinglot.benchmarks.LockType;
import org.parkinglot.benchmarks.strawman.StrawLock;
import org.parkinglot.locks.RawRwLock;
import org.parkinglot.locks.StripedMutex;

/**
 * {@code lockbench}'s view of the registry {@link LockType}: every competitor of a {@link Mode}, in
 * registry order, as a {@link Competitor} whose subject adapts the registry's lock object. Mutex mode
 * takes every lock (a read-write lock by its exclusive mode), rwlock mode the {@link LockType.Kind#RWLOCK}
 * ones. To add a lock, add a constant to {@link LockType}; a lock of a new shape also needs a case in
 * {@link #subject(Object)}. Keyed mode takes the keyed-locking structures of {@link KeyedLockType}.
 */
public final class Competitors {

    /** The mutex-mode baseline every throughput is divided by: the JDK's unfair {@code ReentrantLock}. */
    public static final String MUTEX_BASELINE = "ReentrantLock";
    /** The rwlock-mode baseline: the JDK's unfair {@code ReentrantReadWriteLock}. */
    public static final String RWLOCK_BASELINE = "ReentrantReadWriteLock";
    /** The keyed-mode baseline: Guava's {@code Striped.lock(1024)}, the usual library answer to per-key locking. */
    public static final String KEYED_BASELINE = "Striped";
    /**
     * How many keys a keyed-mode thread picks from: many more than threads, so equal keys rarely meet. Not
     * larger because the footprint probe walks every lock a map of locks keeps, which JOL does at about
     * 10,000 objects a second on a busy 2-CPU machine; KeyedLockBenchmark covers a million keys.
     */
    public static final int KEY_SPACE = 1 << 12;
    /** The keys of keyed mode, boxed once, shared by every run. */
    private static final Object[] KEYS = keys(KEY_SPACE);

    /** Every mutex-mode competitor, in report order. */
    private static final List<Competitor> MUTEX = Arrays.stream(LockType.values())
            .map(t -> of(t, Mode.MUTEX)).toList();
    /** Every rwlock-mode competitor, in report order. */
    private static final List<Competitor> RWLOCK = Arrays.stream(LockType.values())
            .filter(t -> t.kind() == LockType.Kind.RWLOCK).map(t -> of(t, Mode.RWLOCK)).toList();
    /** Every keyed-mode competitor, in report order. */
    private static final List<Competitor> KEYED = Arrays.stream(KeyedLockType.values()).map(Competitors::of).toList();

    private Competitors() {
    }

    private static Competitor of(LockType type, Mode mode) {
        return new Competitor(type.displayName(), mode, type.description(), () -> subject(type.newLock()),
                type::newLock, type.locksPerInstance());
    }

    private static Competitor of(KeyedLockType type) {
        return new Competitor(type.displayName(), Mode.KEYED, type.description(),
                () -> new KeyedSubject(type.newLocks(KeyedLockType.DEFAULT_STRIPES)), () -> usedOnce(type), 1);
    }

    /** A keyed competitor after every key of the key space was locked and unlocked once: its footprint sample. */
    private static Object usedOnce(KeyedLockType type) {
        KeyedLocks locks = type.newLocks(KeyedLockType.DEFAULT_STRIPES);
        for (Object k : KEYS) {
            locks.lock(k);
            locks.unlock(k);
        }
        return locks.structure();
    }

    private static Object[] keys(int n) {
        Object[] k = new Object[n];
        for (int i = 0; i < n; i++) {
            k[i] = i;
        }
        return k;
    }

    /**
     * Returns every competitor of a mode, straw men included, in report order.
     *
     * @param mode the mode
     * @return an unmodifiable list
     */
    public static List<Competitor> all(Mode mode) {
        return switch (mode) {
            case MUTEX -> MUTEX;
            case RWLOCK -> RWLOCK;
            case KEYED -> KEYED;
        };
    }

    /**
     * Returns what {@code --locks all} runs: every competitor of a mode except the straw men, which run
     * only when named.
     *
     * @param mode the mode
     * @return an unmodifiable list, in report order
     */
    public static List<Competitor> defaults(Mode mode) {
        return all(mode).stream().filter(c -> !isStrawMan(c.name())).toList();
    }

    /**
     * Finds a competitor by name, ignoring case.
     *
     * @param mode the mode to look in
     * @param name the name as typed
     * @return the competitor, or empty if the mode has none of that name
     */
    public static Optional<Competitor> find(Mode mode, String name) {
        return all(mode).stream()
                .filter(c -> c.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))).findFirst();
    }

    /**
     * Tells whether a competitor is a straw man ({@link LockType.Kind#STRAW_MAN}): a lock shown for
     * contrast, not for use.
     *
     * @param name a competitor's name
     * @return true for a straw man
     */
    public static boolean isStrawMan(String name) {
        return LockType.byName(name).map(t -> t.kind() == LockType.Kind.STRAW_MAN).orElse(false);
    }

    /**
     * Returns the name of the competitor every throughput of a mode is compared with.
     *
     * @param mode the mode
     * @return {@link #MUTEX_BASELINE}, {@link #RWLOCK_BASELINE} or {@link #KEYED_BASELINE}
     */
    public static String baseline(Mode mode) {
        return switch (mode) {
            case MUTEX -> MUTEX_BASELINE;
            case RWLOCK -> RWLOCK_BASELINE;
            case KEYED -> KEYED_BASELINE;
        };
    }

    /**
     * Adapts a lock object of the registry ({@link LockType#newLock()}) to a subject. A read-write lock
     * serves both modes: its exclusive side as a mutex, both sides in rwlock mode.
     *
     * @param lock the lock
     * @return the subject
     * @throws IllegalArgumentException if the lock has a shape this method does not know
     */
    static LockSubject subject(Object lock) {
        return switch (lock) {
            case Lock l -> new LockAdapter(l);
            case ReadWriteLock rw -> new ReadWriteAdapter(rw.readLock(), rw.writeLock());
            case RawRwLock l -> LockSubject.readWrite(l::lockShared, l::unlockShared, l::lockExclusive, l::unlockExclusive);
            case StampedLock l -> new StampedSubject(l);
            case Striped<?> s -> new StripedSubject(s, new Object());
            case StripedMutex s -> new StripedMutexSubject(s, new Object());
            case StrawLock s -> new StrawSubject(s);
            default -> {
                if (lock.getClass() != Object.class) {
                    throw new IllegalArgumentException("no subject for " + lock.getClass().getName());
                }
                yield new MonitorSubject(lock);
            }
        };
    }

    // ---------------------------------------------------------------------------------------------
    // Subjects. Each times the lock call alone and runs the section inside try/finally.

    /** Any {@link Lock}, exclusive only. */
    private record LockAdapter(Lock lock) implements LockSubject {
        @Override
        public void exclusive(CriticalSection section) {
            long start = System.nanoTime();
            lock.lock();
            try {
                section.run(System.nanoTime() - start);
            } finally {
                lock.unlock();
            }
        }
    }

    /** Any {@link ReadWriteLock}: its write lock for exclusive, its read lock for shared. */
    private record ReadWriteAdapter(Lock read, Lock write) implements LockSubject {
        @Override
        public void exclusive(CriticalSection section) {
            long start = System.nanoTime();
            write.lock();
            try {
                section.run(System.nanoTime() - start);
            } finally {
                write.unlock();
            }
        }

        @Override
        public void shared(CriticalSection section) {
            long start = System.nanoTime();
            read.lock();
            try {
                section.run(System.nanoTime() - start);
            } finally {
                read.unlock();
            }
        }
    }

    /** {@code synchronized} on a plain object. */
    private record MonitorSubject(Object monitor) implements LockSubject {
        @Override
        public void exclusive(CriticalSection section) {
            long start = System.nanoTime();
            synchronized (monitor) {
                section.run(System.nanoTime() - start);
            }
        }
    }

    /** {@link StampedLock}: its write lock for exclusive, its pessimistic read lock for shared. */
    private record StampedSubject(StampedLock lock) implements LockSubject {
        @Override
        public void exclusive(CriticalSection section) {
            long start = System.nanoTime();
            long stamp = lock.writeLock();
            try {
                section.run(System.nanoTime() - start);
            } finally {
                lock.unlockWrite(stamp);
            }
        }

        @Override
        public void shared(CriticalSection section) {
            long start = System.nanoTime();
            long stamp = lock.readLock();
            try {
                section.run(System.nanoTime() - start);
            } finally {
                lock.unlockRead(stamp);
            }
        }
    }

    /** Guava {@link Striped}: looks the stripe up by key on every acquisition, as users do. */
    private record StripedSubject(Striped<?> striped, Object key) implements LockSubject {
        @Override
        public void exclusive(CriticalSection section) {
            long start = System.nanoTime();
            Lock lock = (Lock) striped.get(key);
            lock.lock();
            try {
                section.run(System.nanoTime() - start);
            } finally {
                lock.unlock();
            }
        }
    }

    /** This project's {@link StripedMutex}: looks the stripe up by key on every acquisition, as users do. */
    private record StripedMutexSubject(StripedMutex striped, Object key) implements LockSubject {
        @Override
        public void exclusive(CriticalSection section) {
            long start = System.nanoTime();
            Lock lock = striped.get(key);
            lock.lock();
            try {
                section.run(System.nanoTime() - start);
            } finally {
                lock.unlock();
            }
        }
    }

    /** A keyed-locking structure: each critical section locks a random key of {@link #KEY_SPACE}. */
    private record KeyedSubject(KeyedLocks locks) implements LockSubject {
        @Override
        public void exclusive(CriticalSection section) {
            Object key = KEYS[ThreadLocalRandom.current().nextInt(KEYS.length)];
            long start = System.nanoTime();
            locks.lock(key);
            try {
                section.run(System.nanoTime() - start);
            } finally {
                locks.unlock(key);
            }
        }
    }

    /** A straw man ({@link StrawLock}). */
    private record StrawSubject(StrawLock lock) implements LockSubject {
        @Override
        public void exclusive(CriticalSection section) {
            long start = System.nanoTime();
            lock.lock();
            try {
                section.run(System.nanoTime() - start);
            } finally {
                lock.unlock();
            }
        }
    }
}
