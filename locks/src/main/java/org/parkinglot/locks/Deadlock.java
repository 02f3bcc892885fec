package org.parkinglot.locks;

import java.util.List;
import java.util.Objects;

/**
 * One deadlock found by {@link Deadlocks#find()}: a cycle of threads, each asleep waiting for a lock of
 * this package that the next thread of the cycle holds (the last thread's lock is held by the first).
 * A cycle of one thread is a thread waiting for a lock it holds itself (a {@link RawMutex} locked
 * twice, a {@link RawRwLock} read then written).
 *
 * <p>Entries compare by identity of their threads and locks: two finds of the same standing deadlock
 * return equal records, which start with the same thread (the one with the smallest
 * {@link Thread#threadId() id}).
 *
 * @param entries the threads of the cycle, in cycle order: each waits for a lock the next one holds
 */
public record Deadlock(List<Entry> entries) {

    /**
     * One thread of a deadlock cycle.
     *
     * @param thread     the thread
     * @param waitingFor the lock it waits for, held by the next thread of the cycle
     * @param holding    the lock of the cycle it holds, which the previous thread waits for (for a
     *                   cycle of one thread, the lock it waits for)
     */
    public record Entry(Thread thread, Object waitingFor, Object holding) {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if a component is null
         */
        public Entry {
            Objects.requireNonNull(thread, "thread");
            Objects.requireNonNull(waitingFor, "waitingFor");
            Objects.requireNonNull(holding, "holding");
        }
    }

    /**
     * Copies the entries.
     *
     * @throws NullPointerException if {@code entries} or an entry is null
     * @throws IllegalArgumentException if {@code entries} is empty
     */
    public Deadlock {
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a deadlock has at least one thread");
        }
    }

    /**
     * Returns the threads of the cycle, in cycle order.
     *
     * @return a new list of the threads
     */
    public List<Thread> threads() {
        return entries.stream().map(Entry::thread).toList();
    }

    /**
     * Returns a readable description: one line per thread, naming it, the lock it waits for and who
     * holds that lock, and the lock of the cycle it holds.
     *
     * @return the description
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Deadlock of ").append(entries.size())
                .append(entries.size() == 1 ? " thread:" : " threads:");
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            Thread next = entries.get((i + 1) % entries.size()).thread();
            b.append("\n  \"").append(e.thread().getName()).append("\" (id ").append(e.thread().threadId())
                    .append(") waits for ").append(e.waitingFor()).append(", held by \"").append(next.getName())
                    .append("\"; it holds ").append(e.holding());
        }
        return b.toString();
    }
}
