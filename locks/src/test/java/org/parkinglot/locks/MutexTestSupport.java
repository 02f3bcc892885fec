package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.parkinglot.core.ParkingLot;

/**
 * Shared helpers of the mutex and condvar tests: the mutex kinds under test, polling for queue states,
 * a thread group that collects failures and cleans up after itself, and reading a JFR recording.
 */
final class MutexTestSupport {

    /** How long a poll for a state waits before the test fails (generous: the machine is shared). */
    static final long POLL_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private MutexTestSupport() {
    }

    /** A mutex of this package, with how to tell that it is held (by the current thread, where known). */
    enum Kind {
        RAW(RawMutex::new),
        RAW_FAIR(RawFairMutex::new),
        REENTRANT(ReentrantMutex::new),
        REENTRANT_FAIR(() -> new ReentrantMutex(true));

        private final Supplier<Lock> factory;

        Kind(Supplier<Lock> factory) {
            this.factory = factory;
        }

        /** A new unlocked mutex of this kind. */
        Lock create() {
            return factory.get();
        }

        /** Whether {@code lock} is held: by the current thread for reentrant mutexes, by anyone for raw ones. */
        static boolean isHeld(Lock lock) {
            if (lock instanceof ReentrantMutex r) {
                return r.isHeldByCurrentThread();
            }
            return ((RawMutexBase) lock).isLocked();
        }

        /** Whether {@code lock} is held by any thread. */
        static boolean isLocked(Lock lock) {
            if (lock instanceof ReentrantMutex r) {
                return r.isLocked();
            }
            return ((RawMutexBase) lock).isLocked();
        }

        /** The mutex bits (LOCKED, PARKED, WOKEN) of the state word of a mutex of this package. */
        static int mutexBits(Object lock) {
            int state = lock instanceof ReentrantMutex r ? r.state : ((AbstractMutex) lock).state;
            return state & MutexAlgorithm.MUTEX_BITS;
        }
    }

    /** Sleeps 1 ms at a time until {@code condition} holds; fails the test after {@link #POLL_LIMIT_NANOS}. */
    static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > POLL_LIMIT_NANOS) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(1);
        }
    }

    /** Waits until exactly {@code n} threads are queued under (key, 0). */
    static void awaitQueued(Object key, int n) throws InterruptedException {
        awaitTrue(n + " threads are queued on " + key, () -> ParkingLot.queueLength(key, 0L) == n);
    }

    /**
     * Starts {@code recording}, runs {@code body}, stops the recording and returns its events whose type
     * name starts with {@code namePrefix}; the caller closes the recording.
     */
    static List<RecordedEvent> eventsDuring(Recording recording, String namePrefix, Body body) throws Throwable {
        Path file = Files.createTempFile("events", ".jfr");
        try {
            recording.start();
            body.run();
            recording.stop();
            recording.dump(file);
            List<RecordedEvent> events = new ArrayList<>();
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                if (e.getEventType().getName().startsWith(namePrefix)) {
                    events.add(e);
                }
            }
            return events;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * A body that locks {@code lock}, counts {@code holding} down, and holds the lock until
     * {@code release} opens (a wait outside the parking lot).
     */
    static Body holdUntil(Lock lock, CountDownLatch holding, CountDownLatch release) {
        return whileHolding(lock, () -> {
            holding.countDown();
            release.await();
        });
    }

    /** A body that runs {@code body} while holding {@code lock} (taken with {@code lock()}). */
    static Body whileHolding(Lock lock, Body body) {
        return () -> {
            lock.lock();
            try {
                body.run();
            } finally {
                lock.unlock();
            }
        };
    }

    /** A body a test thread runs; may throw anything, which the group then reports. */
    @FunctionalInterface
    interface Body {
        void run() throws Throwable;
    }

    /**
     * The threads of one test: records what they throw, {@link #joinAll()} fails the test if one failed
     * or did not finish, and {@link #close()} interrupts and joins whatever is still running.
     */
    static final class TestThreads implements AutoCloseable {
        private final List<Thread> threads = new CopyOnWriteArrayList<>();
        private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

        /** Starts a daemon platform thread. */
        Thread start(String name, Body body) {
            return add(Thread.ofPlatform().name(name).daemon().unstarted(wrap(body)));
        }

        /** Starts a virtual thread. */
        Thread startVirtual(String name, Body body) {
            return add(Thread.ofVirtual().name(name).unstarted(wrap(body)));
        }

        private Thread add(Thread t) {
            threads.add(t);
            t.start();
            return t;
        }

        private Runnable wrap(Body body) {
            return () -> {
                try {
                    body.run();
                } catch (Throwable e) {
                    failures.add(e);
                }
            };
        }

        /** Joins one thread, failing if it does not finish in time or any thread has failed. */
        void join(Thread t) throws InterruptedException {
            if (!t.join(Duration.ofNanos(POLL_LIMIT_NANOS))) {
                fail("thread " + t.getName() + " did not finish: " + t.getState());
            }
            checkFailures();
        }

        /** Joins every thread, failing if one does not finish in time or failed. */
        void joinAll() throws InterruptedException {
            List<Thread> copy = List.copyOf(threads);
            long deadline = System.nanoTime() + POLL_LIMIT_NANOS;
            List<String> hung = new ArrayList<>();
            for (Thread t : copy) {
                long left = Math.max(1L, deadline - System.nanoTime());
                if (!t.join(Duration.ofNanos(left))) {
                    hung.add(t.getName() + "(" + t.getState() + ")");
                }
            }
            checkFailures();
            if (!hung.isEmpty()) {
                fail(hung.size() + " thread(s) did not finish: " + hung);
            }
        }

        /** Rethrows the first failure of a thread, with the others suppressed. */
        void checkFailures() {
            Throwable first = failures.peek();
            if (first != null) {
                AssertionError e = new AssertionError("a test thread failed: " + first, first);
                failures.stream().skip(1).forEach(e::addSuppressed);
                throw e;
            }
        }

        /** Interrupts every thread still alive and waits for them, at most 5 s in all (less if this thread is interrupted). */
        @Override
        public void close() {
            List<Thread> copy = List.copyOf(threads);
            for (Thread t : copy) {
                if (t.isAlive()) {
                    t.interrupt();
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            try {
                for (Thread t : copy) {
                    t.join(Duration.ofNanos(Math.max(1L, deadline - System.nanoTime())));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the test is being cancelled: leave the rest as daemons
            }
        }
    }
}
