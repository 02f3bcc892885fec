package org.parkinglot.locks;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.parkinglot.core.ParkedThread;
import org.parkinglot.core.ParkingLot;

/**
 * Finds deadlocks among threads blocked on the locks of this package, platform and virtual threads
 * alike: {@link #find()} on demand, or a background checker ({@link #startChecker}) that reports each
 * new deadlock to a listener.
 *
 * <p>A deadlock is a cycle of threads, each asleep in the parking lot waiting for a lock held by the
 * next. Which locks the finder can see through depends on whether they know their holders:
 * <ul>
 *   <li>{@link ReentrantMutex} tracks its owner: always seen (also by the JVM's
 *       {@code ThreadMXBean.findDeadlockedThreads()}, which does not cover virtual threads);</li>
 *   <li>{@link ReentrantRwLock} tracks its writer: a thread waiting for a write hold is always seen (read
 *       holds are not recorded, so a cycle through a read hold is not found);</li>
 *   <li>{@link RawMutex}, {@link RawFairMutex} and {@link RawRwLock} (all modes, also through
 *       {@link RawRwLock#asReadWriteLock()}) keep no owner: they are seen only when the JVM runs with
 *       {@code -Dorg.parkinglot.trackOwners=true}, which records their holders on every acquire and
 *       release (a map update per operation: for debugging and tests). Off, the tracking costs nothing:
 *       the check is a {@code static final} constant the JIT removes.</li>
 * </ul>
 * A thread waiting on a {@link Condvar} or a {@code Condition} waits for a signal, not a lock: it is in
 * no cycle until a signal has moved it onto its mutex's queue, where it waits for the mutex.
 *
 * <h2>No false positives</h2>
 * A reported cycle was real: at one moment every thread of it was asleep waiting for its lock and that
 * lock was held by the next thread. The finder takes a snapshot of the parking lot, reads who holds the
 * awaited locks, and then a second snapshot; it reports a cycle only if every thread of it was already
 * asleep (past everything it does before it sleeps, such as a condition wait releasing its mutex) in
 * the first snapshot and still in the very same wait, under the same key, in the second. A sleeping
 * thread acquires and releases nothing, so the holders read in between held their locks at the end of
 * that read, all at once. A hand-off in flight, an owner that just released, or a waiter that was just
 * woken is therefore not reported. A thread that merely waits long, for a holder that is running or
 * sleeping elsewhere (not in the parking lot), is not reported either.
 *
 * <p>Two limits: a thread that waits with a timeout counts like any other (its cycle is a deadlock
 * until the timeout breaks it, as for the JVM's own detector); and the locks that any thread may
 * unlock ({@code RawMutex}, {@code RawRwLock}) name their holder as the thread that locked them, so a
 * thread outside the cycle could still unlock one of them for its holder. A shared hold released by a
 * thread other than its holder hides that lock's readers from the finder until the lock has no reader.
 *
 * <h2>Cost</h2>
 * A find walks the whole table of wait queues twice, one bucket at a time under its lock (never a
 * global stop), plus a walk of the threads it saw: call it for diagnostics, not in a hot loop.
 */
public final class Deadlocks {

    /*
     * Implementation notes.
     *
     * The wait-for graph. Nodes are threads; a sleeping queued thread T has an edge to each thread H
     * that holds what T waits for, labelled with the lock: a mutex's holder (ReentrantMutex.getOwner(),
     * or the tracked holder of a RawMutex / RawFairMutex); on a RawRwLock's lane 0, a reader waits for
     * the WRITER owner and a writer or upgrader (or a write-view condition waiter requeued there, which
     * parks with the writer's token) for the WRITER owner and the upgradable reader; on lane 1, the
     * WRITER owner waits for every reader. A thread needs all of its lock's holders gone, so any cycle
     * is a deadlock (the AND model). Cycles are found by a depth-first search over threads: each back
     * edge closes one cycle (as parking_lot's detector does); a cycle is rotated to start at its
     * smallest thread id and reported once.
     *
     * Confirmation, and why it excludes false positives. parking_lot builds its graph from one pass
     * over the buckets and can report a cycle that was resolving meanwhile. Here: snapshot S1, then the
     * holders of every awaited lock (read after S1), then snapshot S2. A cycle counts only if each of
     * its threads was sleeping in S1 and S2 shows the same wait (the same wait node: a fresh one per
     * park, and one never rejoins a queue) under the same key. Then each was inside the parking lot's
     * sleep loop from S1 to S2, running no lock code (a thread only sleeps after its park's
     * beforeSleep; a timed-out or interrupted one is still queued, and does nothing else, until it
     * dequeues itself). A holder of such a lock cannot release it while it sleeps, so each holder read
     * between S1 and S2 still held its lock when the last holder was read: at that moment the whole
     * cycle existed. Every holder's release before it slept is visible to the reads: its sleeping flag
     * is set with release semantics after its beforeSleep and read with acquire in S1 (and bucket locks
     * order the rest), so a thread that released a lock before sleeping is not read as its holder.
     * Tracked holders are recorded after acquiring and erased before releasing (OwnerTracking), so no
     * record names a sleeping thread wrongly. ThreadMXBean cannot help for virtual threads, and its
     * snapshot is taken at a safepoint, which this library cannot do.
     *
     * Holders of a ReentrantMutex are read from its owner field (plain, racy): a stale value could only
     * name a thread that released it, which then was not yet asleep in S1 (the acquire of its sleeping
     * flag orders its release before the read), so it is in no confirmed cycle.
     *
     * The checker is a daemon platform thread (it must not be starved by the virtual threads it may have
     * to report) that calls find() every interval and reports the deadlocks it had not reported in the
     * previous round; a deadlock that disappears (a timeout broke it) and comes back is reported again.
     */

    private Deadlocks() {
    }

    /**
     * Returns every deadlock among threads blocked on locks of this package at the time of the call;
     * see the class documentation for which locks are seen and why no false deadlock is reported.
     * Each cycle is reported once. Runs in the calling thread; it does not stop other threads.
     *
     * @return the deadlocks found, possibly none
     * @throws IllegalStateException if called from a parking-lot callback that runs under a bucket lock
     */
    public static List<Deadlock> find() {
        List<ParkedThread> first = ParkingLot.parkedThreads();
        Map<Thread, List<Edge>> graph = new HashMap<>(); // Thread: identity equality
        for (ParkedThread p : first) {
            if (!p.sleeping()) {
                continue; // still running its beforeSleep (a condition wait releasing its mutex)
            }
            for (Thread holder : awaitedHolders(p)) {
                graph.computeIfAbsent(p.thread(), t -> new ArrayList<>(1)).add(new Edge(p, holder));
            }
        }
        if (graph.isEmpty()) {
            return List.of();
        }
        List<List<Edge>> cycles = cycles(graph);
        if (cycles.isEmpty()) {
            return List.of();
        }
        Map<Thread, List<ParkedThread>> second = new HashMap<>();
        for (ParkedThread p : ParkingLot.parkedThreads()) {
            second.computeIfAbsent(p.thread(), t -> new ArrayList<>(1)).add(p);
        }
        Set<Deadlock> found = new LinkedHashSet<>();
        for (List<Edge> cycle : cycles) {
            if (confirmed(cycle, second)) {
                found.add(deadlock(cycle));
            }
        }
        return List.copyOf(found);
    }

    /**
     * Starts a background checker: a daemon platform thread that calls {@link #find()} every
     * {@code interval} and passes each deadlock it has not reported before to {@code listener} (a
     * deadlock is reported once while it lasts; one that a timeout broke and that forms again is
     * reported again). The listener runs on the checker thread; what it throws goes to that thread's
     * uncaught-exception handler, and the checker goes on. Close the returned handle to stop it.
     *
     * @param interval the time between two checks (at least one millisecond is used)
     * @param listener receives each new deadlock
     * @return the running checker
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code interval} is negative
     */
    public static Checker startChecker(Duration interval, Consumer<? super Deadlock> listener) {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(listener, "listener");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("negative interval: " + interval);
        }
        long nanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), saturatedNanos(interval));
        Checker checker = new Checker(nanos, listener);
        checker.thread.start();
        return checker;
    }

    /**
     * A running background checker, returned by {@link #startChecker}; {@link #close()} stops it.
     */
    public static final class Checker implements AutoCloseable {
        private final long intervalNanos;
        private final Consumer<? super Deadlock> listener;
        private final Thread thread;
        /** Set by close(); read by the checker thread. */
        private volatile boolean closed;

        private Checker(long intervalNanos, Consumer<? super Deadlock> listener) {
            this.intervalNanos = intervalNanos;
            this.listener = listener;
            this.thread = Thread.ofPlatform().daemon().name("parkinglot-deadlock-checker").unstarted(this::run);
        }

        private void run() {
            Set<Deadlock> reported = new HashSet<>();
            long next = System.nanoTime() + intervalNanos;
            while (!closed) {
                long wait = next - System.nanoTime();
                if (wait > 0L) {
                    LockSupport.parkNanos(this, wait);
                    continue; // closed, spurious or early wake-up: look again
                }
                next = System.nanoTime() + intervalNanos;
                List<Deadlock> now;
                try {
                    now = find();
                } catch (RuntimeException | OutOfMemoryError e) {
                    uncaught(e); // try again next round
                    continue;
                }
                for (Deadlock d : now) {
                    if (reported.add(d) && !closed) {
                        try {
                            listener.accept(d);
                        } catch (RuntimeException | Error e) {
                            uncaught(e);
                        }
                    }
                }
                reported.retainAll(now); // forget the ones that are gone: they are over
            }
        }

        private void uncaught(Throwable e) {
            Thread.UncaughtExceptionHandler h = thread.getUncaughtExceptionHandler();
            if (h != null) {
                h.uncaughtException(thread, e);
            }
        }

        /**
         * Returns whether the checker thread is still running (it stops soon after {@link #close()}).
         *
         * @return {@code true} if it runs
         */
        public boolean isRunning() {
            return thread.isAlive();
        }

        /**
         * Stops the checker: no report starts after this returns, except one already under way in the
         * checker thread (this does not wait for it when called from the listener itself). Idempotent.
         */
        @Override
        public void close() {
            closed = true;
            LockSupport.unpark(thread);
            if (Thread.currentThread() != thread) {
                boolean interrupted = false;
                for (;;) {
                    try {
                        thread.join();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // internals

    /** An edge of the wait-for graph: the wait {@code waiter} (its thread, its lock), held by {@code holder}. */
    private record Edge(ParkedThread waiter, Thread holder) {
    }

    /**
     * The threads holding what {@code p} waits for, if {@code p} waits for a lock of this package whose
     * holders are known; none otherwise.
     */
    static List<Thread> awaitedHolders(ParkedThread p) {
        Object key = p.key();
        if (key instanceof ReentrantMutex r) {
            Thread owner = r.getOwner();
            return owner == null ? List.of() : List.of(owner);
        }
        if (key instanceof ReentrantRwLock rw) { // the write owner only: read holders are not recorded
            return p.lane() == RawRwLock.ACQUIRE_LANE ? one(rw.getOwner()) : List.of();
        }
        if (!OwnerTracking.ENABLED) {
            return List.of();
        }
        if (key instanceof AbstractMutex) {
            return one(OwnerTracking.holders(key).exclusive());
        }
        if (key instanceof RawRwLock) {
            OwnerTracking.Holders h = OwnerTracking.holders(key);
            if (p.lane() == RawRwLock.DRAIN_LANE) {
                return h.readersUnknown() ? List.of() : h.readers(); // the WRITER owner waits for readers
            }
            if ((p.parkToken() & (RawRwLock.WRITER | RawRwLock.UPGRADABLE)) == 0) {
                return one(h.exclusive()); // a reader waits for the WRITER owner only
            }
            if (h.upgradable() == null) {
                return one(h.exclusive());
            }
            return h.exclusive() == null ? List.of(h.upgradable()) : List.of(h.exclusive(), h.upgradable());
        }
        return List.of(); // a condition variable's queue, or another primitive's
    }

    private static List<Thread> one(Thread t) {
        return t == null ? List.of() : List.of(t);
    }

    /** One frame of the depth-first search: a thread on the current path and its next edge to try. */
    private static final class Frame {
        final Thread thread;
        final List<Edge> edges;
        int next;

        Frame(Thread thread, List<Edge> edges) {
            this.thread = thread;
            this.edges = edges;
        }
    }

    /**
     * Cycles of the graph, each as its edges in order (edge i's holder is edge i+1's waiter), found by
     * an iterative depth-first search: every back edge to a thread on the current path closes one.
     */
    private static List<List<Edge>> cycles(Map<Thread, List<Edge>> graph) {
        List<List<Edge>> cycles = new ArrayList<>();
        Map<Thread, Integer> depth = new HashMap<>(); // threads on the current path -> their index
        Set<Thread> done = new HashSet<>();
        ArrayDeque<Frame> stack = new ArrayDeque<>();
        List<Edge> path = new ArrayList<>(); // path.get(i) leads from frame i to frame i + 1
        for (Map.Entry<Thread, List<Edge>> start : graph.entrySet()) {
            if (done.contains(start.getKey())) {
                continue;
            }
            stack.push(new Frame(start.getKey(), start.getValue()));
            depth.put(start.getKey(), 0);
            while (!stack.isEmpty()) {
                Frame f = stack.peek();
                if (f.next == f.edges.size()) {
                    stack.pop();
                    depth.remove(f.thread);
                    done.add(f.thread);
                    if (!path.isEmpty()) {
                        path.remove(path.size() - 1);
                    }
                    continue;
                }
                Edge e = f.edges.get(f.next++);
                Thread h = e.holder();
                Integer onPath = depth.get(h);
                if (onPath != null) {
                    List<Edge> cycle = new ArrayList<>(path.subList(onPath, path.size()));
                    cycle.add(e);
                    cycles.add(cycle);
                } else if (!done.contains(h)) {
                    List<Edge> out = graph.get(h);
                    if (out != null) {
                        depth.put(h, stack.size());
                        stack.push(new Frame(h, out));
                        path.add(e);
                    } else {
                        done.add(h); // not waiting for a lock: a dead end
                    }
                }
            }
        }
        return cycles;
    }

    /** Whether every wait of the cycle is still there, the same wait under the same key, in {@code second}. */
    private static boolean confirmed(List<Edge> cycle, Map<Thread, List<ParkedThread>> second) {
        for (Edge e : cycle) {
            List<ParkedThread> now = second.get(e.waiter().thread());
            if (now == null || now.stream().noneMatch(q -> q.sameWait(e.waiter()))) {
                return false;
            }
        }
        return true;
    }

    /** The record of a confirmed cycle, rotated to start at its smallest thread id. */
    private static Deadlock deadlock(List<Edge> cycle) {
        int n = cycle.size();
        int start = 0;
        for (int i = 1; i < n; i++) {
            if (cycle.get(i).waiter().thread().threadId() < cycle.get(start).waiter().thread().threadId()) {
                start = i;
            }
        }
        List<Deadlock.Entry> entries = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int i = (start + k) % n;
            Edge e = cycle.get(i);
            Object holding = cycle.get((i + n - 1) % n).waiter().key(); // what the previous thread waits for
            entries.add(new Deadlock.Entry(e.waiter().thread(), e.waiter().key(), holding));
        }
        return new Deadlock(entries);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
