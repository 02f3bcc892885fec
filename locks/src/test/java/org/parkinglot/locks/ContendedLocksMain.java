package org.parkinglot.locks;

import java.util.concurrent.TimeUnit;
import org.parkinglot.core.ParkingLot;

/**
 * A small program that makes one thread park on each kind of lock of this package (RawMutex,
 * RawFairMutex, ReentrantMutex, a RawRwLock reader, writer and upgrader), deterministically: the main
 * thread holds the lock until the waiter is queued, holds it {@code holdMillis} more, then releases it.
 * Exit status 0 if every waiter got its lock. Run by {@link JfrEventsTest} in a child JVM without the
 * {@code jdk.jfr} module, and by hand to see the events:
 * <pre>{@code
 * JFC=locks/src/main/resources/org/parkinglot/locks/parkinglot.jfc
 * java -XX:StartFlightRecording:filename=rec.jfr,settings=$JFC \
 *     -cp core/target/classes:locks/target/classes:locks/target/test-classes \
 *     org.parkinglot.locks.ContendedLocksMain 150
 * jfr print --events org.parkinglot.ContendedAcquisition,org.parkinglot.LongHold rec.jfr
 * }</pre>
 *
 * <p>Arguments: {@code [holdMillis] [--expect-no-jfr]}; with {@code --expect-no-jfr} the program exits 2
 * if the locks could link their JFR events after all.
 */
final class ContendedLocksMain {

    private ContendedLocksMain() {
    }

    /** An action on the lock under test that may be interrupted. */
    @FunctionalInterface
    private interface Action {
        void run() throws InterruptedException;
    }

    /**
     * Runs the program.
     *
     * @param args {@code [holdMillis] [--expect-no-jfr]}
     * @throws Exception if a waiter fails or does not finish
     */
    public static void main(String[] args) throws Exception {
        long holdMillis = 20;
        boolean expectNoJfr = false;
        for (String a : args) {
            if (a.equals("--expect-no-jfr")) {
                expectNoJfr = true;
            } else {
                holdMillis = Long.parseLong(a);
            }
        }
        RawMutex raw = new RawMutex();
        contend(raw, raw::lock, raw::unlock, raw::lock, raw::unlock, holdMillis);
        RawFairMutex fair = new RawFairMutex();
        contend(fair, fair::lock, fair::unlock, fair::lock, fair::unlock, holdMillis);
        ReentrantMutex reentrant = new ReentrantMutex();
        contend(reentrant, reentrant::lock, reentrant::unlock, reentrant::lock, reentrant::unlock, holdMillis);
        RawRwLock rw = new RawRwLock();
        contend(rw, rw::lockExclusive, rw::unlockExclusive, rw::lockShared, rw::unlockShared, holdMillis);
        contend(rw, rw::lockShared, rw::unlockShared, rw::lockExclusive, rw::unlockExclusive, holdMillis);
        contend(rw, rw::lockExclusive, rw::unlockExclusive, rw::lockUpgradable, rw::unlockUpgradable, holdMillis);
        // The events are linked lazily, on the first slow path: by now they have been.
        if (expectNoJfr && LockEvents.available()) {
            System.err.println("the JFR events linked although jdk.jfr should be absent");
            System.exit(2);
        }
        System.out.println("ok, JFR events " + (LockEvents.available() ? "available" : "unavailable"));
    }

    /**
     * The main thread takes {@code lock} with {@code hold}; a waiter runs {@code acquire} and
     * {@code release}; once the waiter is queued (on lane 0, or on lane 1 for a writer waiting for
     * readers) and {@code holdMillis} later, the main thread runs {@code unhold}.
     */
    private static void contend(Object lock, Action hold, Action unhold, Action acquire, Action release,
                                long holdMillis) throws Exception {
        hold.run();
        Throwable[] failure = new Throwable[1];
        Thread waiter = Thread.ofPlatform().name("waiter").daemon().start(() -> {
            try {
                acquire.run();
                release.run();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        long start = System.nanoTime();
        while (ParkingLot.queueLength(lock, 0L) + ParkingLot.queueLength(lock, 1L) == 0) {
            if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(30)) {
                throw new AssertionError("the waiter did not queue on " + lock);
            }
            Thread.sleep(1);
        }
        Thread.sleep(holdMillis);
        unhold.run();
        waiter.join(TimeUnit.SECONDS.toMillis(30));
        if (waiter.isAlive() || failure[0] != null) {
            throw new AssertionError("the waiter on " + lock + " failed or hung", failure[0]);
        }
    }
}
