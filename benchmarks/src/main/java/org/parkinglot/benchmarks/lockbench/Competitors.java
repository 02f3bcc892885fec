package org.parkinglot.benchmarks.lockbench;

import com.google.common.util.concurrent.Striped;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Supplier;
import org.parkinglot.locks.RawFairMutex;
import org.parkinglot.locks.RawMutex;
import org.parkinglot.locks.RawRwLock;
import org.parkinglot.locks.ReentrantMutex;

/**
 * The registry of every lock {@code lockbench} knows, per {@link Mode}, in report order.
 *
 * <p><b>Adding a lock.</b> Add one {@link Competitor} to {@link #MUTEX} or {@link #RWLOCK}: a name, a
 * description, a factory returning a {@link LockSubject} and a footprint sample. Any
 * {@link Lock} fits {@link #mutex(String, String, Supplier)}; any {@link ReadWriteLock} fits
 * {@link #readWrite(String, String, Supplier)}; a read/write lock with its own method names fits
 * {@link LockSubject#readWrite(Runnable, Runnable, Runnable, Runnable)}. This project's {@code RawRwLock}
 * (methods {@code lockShared}/{@code unlockShared}/{@code lockExclusive}/{@code unlockExclusive}) joins
 * {@link #RWLOCK} that way once it exists, for example:
 * <pre>{@code
 * new Competitor("RawRwLock", Mode.RWLOCK, "this project: one int, task-fair", () -> {
 *     RawRwLock l = new RawRwLock();
 *     return LockSubject.readWrite(l::lockShared, l::unlockShared, l::lockExclusive, l::unlockExclusive);
 * }, RawRwLock::new, 1)
 * }</pre>
 */
public final class Competitors {

    /** The mutex-mode baseline every throughput is divided by: the JDK's unfair {@link ReentrantLock}. */
    public static final String MUTEX_BASELINE = "ReentrantLock";
    /** The rwlock-mode baseline: the JDK's unfair {@link ReentrantReadWriteLock}. */
    public static final String RWLOCK_BASELINE = "ReentrantReadWriteLock";
    /** How many stripes the Guava {@link Striped} competitor has; every thread uses the same key. */
    static final int STRIPES = 16;

    /** Every mutex-mode competitor, in report order. */
    private static final List<Competitor> MUTEX = List.of(
            mutex("RawMutex", "this project: one int, eventually fair (fair unlock about every 0.5 ms)",
                    RawMutex::new),
            mutex("RawFairMutex", "this project: every unlock hands the lock to the next waiter",
                    RawFairMutex::new),
            mutex("ReentrantMutex", "this project: drop-in for ReentrantLock, unfair",
                    ReentrantMutex::new),
            mutex("ReentrantMutex-fair", "this project: drop-in for ReentrantLock, fair",
                    () -> new ReentrantMutex(true)),
            mutex(MUTEX_BASELINE, "JDK ReentrantLock, unfair (the baseline of the ratio column)",
                    ReentrantLock::new),
            mutex("ReentrantLock-fair", "JDK ReentrantLock, fair", () -> new ReentrantLock(true)),
            new Competitor("synchronized", Mode.MUTEX, "JDK monitor: synchronized on a plain Object",
                    () -> new MonitorSubject(new Object()), Object::new, 1),
            new Competitor("StampedLock", Mode.MUTEX, "JDK StampedLock, writeLock()/unlockWrite() as a mutex",
                    () -> new StampedWriteSubject(new StampedLock()), StampedLock::new, 1),
            new Competitor("RawRwLock", Mode.MUTEX, "this project: RawRwLock, exclusive mode as a mutex",
                    () -> {
                        RawRwLock l = new RawRwLock();
                        return LockSubject.readWrite(l::lockShared, l::unlockShared, l::lockExclusive, l::unlockExclusive);
                    }, RawRwLock::new, 1),
            new Competitor("ReentrantReadWriteLock", Mode.MUTEX, "JDK ReentrantReadWriteLock, unfair, write lock as a mutex",
                    () -> new LockAdapter(new ReentrantReadWriteLock().writeLock()),
                    ReentrantReadWriteLock::new, 1),
            new Competitor("ReentrantReadWriteLock-fair", Mode.MUTEX, "JDK ReentrantReadWriteLock, fair, write lock as a mutex",
                    () -> new LockAdapter(new ReentrantReadWriteLock(true).writeLock()),
                    () -> new ReentrantReadWriteLock(true), 1),
            new Competitor("Striped", Mode.MUTEX, "Guava Striped.lock(" + STRIPES + ").get(key), one key for all threads",
                    () -> new StripedSubject(Striped.lock(STRIPES), new Object()),
                    () -> Striped.lock(STRIPES), STRIPES),
            new Competitor("SpinLock", Mode.MUTEX, "straw man: CAS + onSpinWait/yield, never parks",
                    () -> new SpinSubject(new SpinLock()), SpinLock::new, 1),
            new Competitor("UnparkAllLock", Mode.MUTEX, "straw man: parks in the parking lot, unlock wakes every waiter",
                    () -> new UnparkAllSubject(new UnparkAllLock()), UnparkAllLock::new, 1));

    /** Every rwlock-mode competitor, in report order. */
    private static final List<Competitor> RWLOCK = List.of(
            new Competitor("RawRwLock", Mode.RWLOCK, "this project: one int, task-fair, upgradable reads",
                    () -> {
                        RawRwLock l = new RawRwLock();
                        return LockSubject.readWrite(l::lockShared, l::unlockShared, l::lockExclusive, l::unlockExclusive);
                    }, RawRwLock::new, 1),
            readWrite(RWLOCK_BASELINE, "JDK ReentrantReadWriteLock, unfair (the baseline of the ratio column)",
                    ReentrantReadWriteLock::new),
            readWrite("ReentrantReadWriteLock-fair", "JDK ReentrantReadWriteLock, fair",
                    () -> new ReentrantReadWriteLock(true)),
            new Competitor("StampedLock", Mode.RWLOCK, "JDK StampedLock, readLock()/writeLock() (not optimistic reads)",
                    () -> new StampedReadWriteSubject(new StampedLock()), StampedLock::new, 1));

    private Competitors() {
    }

    /**
     * Returns every competitor of a mode, in report order.
     *
     * @param mode the mode
     * @return an unmodifiable list
     */
    public static List<Competitor> all(Mode mode) {
        return mode == Mode.MUTEX ? MUTEX : RWLOCK;
    }

    /**
     * Finds a competitor by name, ignoring case.
     *
     * @param mode the mode to look in
     * @param name the name as typed
     * @return the competitor, or empty if the mode has none of that name
     */
    public static Optional<Competitor> find(Mode mode, String name) {
        for (Competitor c : all(mode)) {
            if (c.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * Tells whether a competitor is one of the straw men ({@link SpinLock}, {@link UnparkAllLock}): locks
     * shown for contrast, not for use.
     *
     * @param name a competitor's name
     * @return true for a straw man
     */
    public static boolean isStrawMan(String name) {
        return name.equals("SpinLock") || name.equals("UnparkAllLock");
    }

    /**
     * Returns the name of the competitor every throughput of a mode is compared with.
     *
     * @param mode the mode
     * @return {@link #MUTEX_BASELINE} or {@link #RWLOCK_BASELINE}
     */
    public static String baseline(Mode mode) {
        return mode == Mode.MUTEX ? MUTEX_BASELINE : RWLOCK_BASELINE;
    }

    /**
     * A mutex-mode competitor for any {@link Lock}.
     *
     * @param name        the name
     * @param description one line for {@code --help}
     * @param lock        makes a fresh lock
     * @return the competitor; its footprint sample is a fresh lock
     */
    public static Competitor mutex(String name, String description, Supplier<? extends Lock> lock) {
        return new Competitor(name, Mode.MUTEX, description, () -> new LockAdapter(lock.get()), lock::get, 1);
    }

    /**
     * An rwlock-mode competitor for any {@link ReadWriteLock}.
     *
     * @param name        the name
     * @param description one line for {@code --help}
     * @param lock        makes a fresh lock
     * @return the competitor; its footprint sample is a fresh lock
     */
    public static Competitor readWrite(String name, String description, Supplier<? extends ReadWriteLock> lock) {
        return new Competitor(name, Mode.RWLOCK, description, () -> new ReadWriteAdapter(lock.get()), lock::get, 1);
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
    private static final class ReadWriteAdapter implements LockSubject {
        private final Lock read;
        private final Lock write;

        ReadWriteAdapter(ReadWriteLock lock) {
            this.read = lock.readLock();
            this.write = lock.writeLock();
        }

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

    /** {@link StampedLock}'s write lock as a mutex. */
    private record StampedWriteSubject(StampedLock lock) implements LockSubject {
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
    }

    /** {@link StampedLock} with pessimistic read locks. */
    private record StampedReadWriteSubject(StampedLock lock) implements LockSubject {
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
    private record StripedSubject(Striped<Lock> striped, Object key) implements LockSubject {
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

    /** The {@link SpinLock} straw man. */
    private record SpinSubject(SpinLock lock) implements LockSubject {
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

    /** The {@link UnparkAllLock} straw man. */
    private record UnparkAllSubject(UnparkAllLock lock) implements LockSubject {
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
