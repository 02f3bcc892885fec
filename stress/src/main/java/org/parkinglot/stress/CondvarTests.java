package org.parkinglot.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.parkinglot.locks.Condvar;
import org.parkinglot.locks.RawFairMutex;
import org.parkinglot.locks.RawMutex;
import org.parkinglot.locks.ReentrantMutex;

/**
 * jcstress tests of {@link Condvar} (and the {@link Condition}s of the mutexes, which it backs): a
 * notification is never lost, and a wait never returns without one.
 *
 * <p>The race: the waiter locks the mutex and, while a guarded flag is false, waits with a long
 * timeout (1 s); the notifier, after a random 0-40 us delay that sweeps it across the waiter's
 * lock, check, enqueue, release and park, locks the mutex, sets the flag and notifies (under the lock,
 * or after unlocking it), recording when it notified. The waiter reports how it got the flag and
 * whether it waited at all. Because the flag is set under the mutex and the waiter enqueues on the
 * condvar before it releases the mutex, every legal interleaving either lets the waiter see the flag
 * without waiting or finds it queued when the notify comes. Forbidden: a wait that times out although
 * the notify came half a timeout or more before (a lost notification; a timeout with a later notify,
 * or none yet, only means that jcstress started the notifier late, and the waiter waits again), and a
 * wait that returns "notified" with the flag unset (a wake-up without a notify; {@link Condvar}
 * promises none). The notify under the lock takes the requeue path (the waiter is moved to the
 * mutex's queue and woken by the unlock; with a fair mutex it is handed the lock), the notify after
 * the unlock the direct unpark path.
 *
 * <p>Two twins use the real {@code Condvar} with a broken protocol and must show the lost
 * notification as {@code ACCEPTABLE_INTERESTING}: a notifier that decides whether to notify from a
 * waiter count read before it takes the mutex, and a waiter that reads the flag before taking the
 * mutex. Their waits time out after {@value MutexTests#TWIN_TIMEOUT_MILLIS} ms, since they lose the
 * notification on many runs.
 *
 * <p>Run from the repository root, with Maven itself on JDK 21+ (with JDK 17 the jar plugin cannot
 * package the modular jars of core and locks). In quick mode each test takes about a minute on two
 * CPUs (14 VM and compilation configurations):
 * <pre>
 * JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -B -q -pl stress -am package -Djcstress.skip=true -DskipTests
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar stress/target/jcstress.jar -m quick -t 'CondvarTests' -r /tmp/jcstress-results
 * </pre>
 */
public final class CondvarTests {

    private CondvarTests() {
    }

    /** Outcome r1 of the waiter: it saw the flag (without waiting or by a notification). */
    static final int SAW_FLAG = 1;
    /** Outcome r1 of the waiter: a wait timed out although the notify had come half a timeout earlier or more. */
    static final int LOST = 0;
    /** Outcome r1 of the waiter: a wait returned "notified" but the flag was not set. */
    static final int SPURIOUS = 2;
    /** Outcome r1 of the waiter: interrupted (these tests never interrupt). */
    static final int INTERRUPTED = -1;

    /** A timed wait on some condition, as {@code Condition.await(long, TimeUnit)} with nanoseconds. */
    @FunctionalInterface
    interface TimedWait {
        /**
         * Waits.
         *
         * @param nanos the most to wait
         * @return {@code false} if the time elapsed without a notify
         * @throws InterruptedException if interrupted
         */
        boolean await(long nanos) throws InterruptedException;
    }

    /** The state shared by the actors. */
    abstract static class Flag {
        /** The condition waited for; guarded by the test's mutex. */
        boolean flag;
        /** When the notifier notified (or, in a twin, decided not to), by {@link System#nanoTime()}; 0 before. */
        volatile long notifiedAt;
    }

    /**
     * The waiter's side: locks, waits (at most {@code nanos} per wait) while the flag is false, unlocks;
     * sets r1 ({@link #SAW_FLAG}, {@link #LOST}, {@link #SPURIOUS}, {@link #INTERRUPTED}) and r2 (1 if
     * it waited at all). A timed-out wait counts as {@link #LOST} only if the notify had come at least
     * {@code nanos / 2} earlier; otherwise the notifier lags behind (jcstress does not start the actors
     * of a state together) or notified right at the deadline, and the waiter goes round again.
     */
    static void waitForFlag(Flag f, Lock mutex, TimedWait wait, long nanos, II_Result r) {
        int waited = 0;
        int outcome = SAW_FLAG;
        mutex.lock();
        try {
            while (!f.flag) {
                waited = 1;
                if (wait.await(nanos)) {
                    if (!f.flag) {
                        outcome = SPURIOUS;
                        break;
                    }
                } else {
                    long t = f.notifiedAt;
                    if (t != 0L && System.nanoTime() - t >= nanos / 2) {
                        outcome = LOST;
                        break;
                    }
                }
            }
        } catch (InterruptedException e) {
            outcome = INTERRUPTED;
        } finally {
            mutex.unlock();
        }
        r.r1 = outcome;
        r.r2 = waited;
    }

    // =============================================================================================
    // Notify under the lock (requeue path)

    /** {@link RawMutex} + {@link Condvar}; the notifier notifies while holding the mutex. */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the notifier went first; the waiter saw the flag without waiting")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the waiter waited and was notified")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "a 1-s wait timed out although the notify had come 0.5 s or more earlier: lost notification")
    @Outcome(id = "2, 1", expect = FORBIDDEN, desc = "a wait returned notified with the flag unset: a wake-up without a notify")
    @Outcome(expect = FORBIDDEN, desc = "interrupted (nobody interrupts)")
    @State
    public static class NotifyUnderLockRaw extends Flag {
        final RawMutex mutex = new RawMutex();
        final Condvar cv = new Condvar();

        @Actor
        public void waiter(II_Result r) {
            waitForFlag(this, mutex, n -> cv.await(mutex, n, TimeUnit.NANOSECONDS), MutexTests.TIMEOUT_NANOS, r);
        }

        @Actor
        public void notifier() {
            MutexTests.randomDelay();
            mutex.lock();
            try {
                flag = true;
                notifiedAt = System.nanoTime();
                cv.notifyOne();
            } finally {
                mutex.unlock();
            }
        }
    }

    /**
     * {@link RawFairMutex} + {@link Condvar}, notify under the lock: the requeued waiter is handed the
     * mutex by the fair unlock and must not lock it again.
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the notifier went first; the waiter saw the flag without waiting")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the waiter waited and was notified")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "a 1-s wait timed out although the notify had come 0.5 s or more earlier: lost notification")
    @Outcome(id = "2, 1", expect = FORBIDDEN, desc = "a wait returned notified with the flag unset: a wake-up without a notify")
    @Outcome(expect = FORBIDDEN, desc = "interrupted (nobody interrupts)")
    @State
    public static class NotifyUnderLockFair extends Flag {
        final RawFairMutex mutex = new RawFairMutex();
        final Condvar cv = new Condvar();

        @Actor
        public void waiter(II_Result r) {
            waitForFlag(this, mutex, n -> cv.await(mutex, n, TimeUnit.NANOSECONDS), MutexTests.TIMEOUT_NANOS, r);
        }

        @Actor
        public void notifier() {
            MutexTests.randomDelay();
            mutex.lock();
            try {
                flag = true;
                notifiedAt = System.nanoTime();
                cv.notifyOne();
            } finally {
                mutex.unlock();
            }
        }
    }

    /** {@link RawMutex} + {@link Condvar}, {@link Condvar#notifyAllWaiters()} under the lock. */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the notifier went first; the waiter saw the flag without waiting")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the waiter waited and was notified")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "a 1-s wait timed out although the notify had come 0.5 s or more earlier: lost notification")
    @Outcome(id = "2, 1", expect = FORBIDDEN, desc = "a wait returned notified with the flag unset: a wake-up without a notify")
    @Outcome(expect = FORBIDDEN, desc = "interrupted (nobody interrupts)")
    @State
    public static class NotifyAllUnderLockRaw extends Flag {
        final RawMutex mutex = new RawMutex();
        final Condvar cv = new Condvar();

        @Actor
        public void waiter(II_Result r) {
            waitForFlag(this, mutex, n -> cv.await(mutex, n, TimeUnit.NANOSECONDS), MutexTests.TIMEOUT_NANOS, r);
        }

        @Actor
        public void notifier() {
            MutexTests.randomDelay();
            mutex.lock();
            try {
                flag = true;
                notifiedAt = System.nanoTime();
                cv.notifyAllWaiters();
            } finally {
                mutex.unlock();
            }
        }
    }

    /** {@link ReentrantMutex} and its {@link Condition}: {@code signal()} under the lock. */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the notifier went first; the waiter saw the flag without waiting")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the waiter waited and was signalled")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "a 1-s wait timed out although the signal had come 0.5 s or more earlier: lost signal")
    @Outcome(id = "2, 1", expect = FORBIDDEN, desc = "a wait returned signalled with the flag unset: a wake-up without a signal")
    @Outcome(expect = FORBIDDEN, desc = "interrupted (nobody interrupts)")
    @State
    public static class SignalReentrant extends Flag {
        final ReentrantMutex mutex = new ReentrantMutex();
        final Condition cond = mutex.newCondition();

        @Actor
        public void waiter(II_Result r) {
            waitForFlag(this, mutex, n -> cond.await(n, TimeUnit.NANOSECONDS), MutexTests.TIMEOUT_NANOS, r);
        }

        @Actor
        public void notifier() {
            MutexTests.randomDelay();
            mutex.lock();
            try {
                flag = true;
                notifiedAt = System.nanoTime();
                cond.signal();
            } finally {
                mutex.unlock();
            }
        }
    }

    /**
     * A fair {@link ReentrantMutex} and its {@link Condition}: {@code signal()} under the lock; the
     * requeued waiter is handed the lock.
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the notifier went first; the waiter saw the flag without waiting")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the waiter waited and was signalled")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "a 1-s wait timed out although the signal had come 0.5 s or more earlier: lost signal")
    @Outcome(id = "2, 1", expect = FORBIDDEN, desc = "a wait returned signalled with the flag unset: a wake-up without a signal")
    @Outcome(expect = FORBIDDEN, desc = "interrupted (nobody interrupts)")
    @State
    public static class SignalFairReentrant extends Flag {
        final ReentrantMutex mutex = new ReentrantMutex(true);
        final Condition cond = mutex.newCondition();

        @Actor
        public void waiter(II_Result r) {
            waitForFlag(this, mutex, n -> cond.await(n, TimeUnit.NANOSECONDS), MutexTests.TIMEOUT_NANOS, r);
        }

        @Actor
        public void notifier() {
            MutexTests.randomDelay();
            mutex.lock();
            try {
                flag = true;
                notifiedAt = System.nanoTime();
                cond.signal();
            } finally {
                mutex.unlock();
            }
        }
    }

    // =============================================================================================
    // Notify after the unlock (direct unpark path)

    /** {@link RawMutex} + {@link Condvar}; the notifier sets the flag under the mutex and notifies after unlocking. */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the notifier went first; the waiter saw the flag without waiting")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the waiter waited and was notified")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "a 1-s wait timed out although the notify had come 0.5 s or more earlier: lost notification")
    @Outcome(id = "2, 1", expect = FORBIDDEN, desc = "a wait returned notified with the flag unset: a wake-up without a notify")
    @Outcome(expect = FORBIDDEN, desc = "interrupted (nobody interrupts)")
    @State
    public static class NotifyAfterUnlockRaw extends Flag {
        final RawMutex mutex = new RawMutex();
        final Condvar cv = new Condvar();

        @Actor
        public void waiter(II_Result r) {
            waitForFlag(this, mutex, n -> cv.await(mutex, n, TimeUnit.NANOSECONDS), MutexTests.TIMEOUT_NANOS, r);
        }

        @Actor
        public void notifier() {
            MutexTests.randomDelay();
            mutex.lock();
            try {
                flag = true;
            } finally {
                mutex.unlock();
            }
            notifiedAt = System.nanoTime();
            cv.notifyOne();
        }
    }

    // =============================================================================================
    // Twins: broken protocols over the real Condvar

    /**
     * Twin: the notifier reads "is anybody waiting?" before taking the mutex and skips the notify if
     * not. A waiter that locks, checks and enqueues between that read and the flag write is never
     * notified.
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the notifier went first; the waiter saw the flag without waiting")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the waiter waited and was notified")
    @Outcome(id = "0, 1", expect = ACCEPTABLE_INTERESTING, desc = "the notifier saw nobody waiting and skipped the notify; the waiter slept past it until its 2-ms timeout (the flaw, caught)")
    @Outcome(id = "2, 1", expect = FORBIDDEN, desc = "a wait returned notified with the flag unset: a wake-up without a notify")
    @Outcome(expect = FORBIDDEN, desc = "interrupted (nobody interrupts)")
    @State
    public static class BrokenStaleWaiterCount extends Flag {
        final RawMutex mutex = new RawMutex();
        final Condvar cv = new Condvar();

        @Actor
        public void waiter(II_Result r) {
            waitForFlag(this, mutex, n -> cv.await(mutex, n, TimeUnit.NANOSECONDS), MutexTests.TWIN_TIMEOUT_NANOS, r);
        }

        @Actor
        public void notifier() {
            MutexTests.randomDelay();
            boolean waiting = cv.getWaitQueueLength() != 0; // the flaw: read before the flag is set under the mutex
            mutex.lock();
            try {
                flag = true;
            } finally {
                mutex.unlock();
            }
            notifiedAt = System.nanoTime();
            if (waiting) {
                cv.notifyOne();
            }
        }
    }

    /**
     * Twin: the waiter reads the flag before taking the mutex. A notifier that sets the flag and
     * notifies (nobody waits yet) between that read and the wait is lost.
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the notifier went first; the waiter saw the flag without waiting")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the waiter waited and was notified")
    @Outcome(id = "0, 1", expect = ACCEPTABLE_INTERESTING, desc = "the waiter acted on a stale flag and waited after the notify until its 2-ms timeout (the flaw, caught)")
    @Outcome(id = "2, 1", expect = FORBIDDEN, desc = "a wait returned notified with the flag unset: a wake-up without a notify")
    @Outcome(expect = FORBIDDEN, desc = "interrupted (nobody interrupts)")
    @State
    public static class BrokenFlagReadOutsideLock extends Flag {
        final RawMutex mutex = new RawMutex();
        final Condvar cv = new Condvar();

        @Actor
        public void waiter(II_Result r) {
            long nanos = MutexTests.TWIN_TIMEOUT_NANOS;
            boolean seen = flag; // the flaw: read without the mutex, acted on under it
            int waited = 0;
            int outcome = SAW_FLAG;
            mutex.lock();
            try {
                if (!seen) {
                    waited = 1;
                    while (!cv.await(mutex, nanos, TimeUnit.NANOSECONDS)) {
                        if (flag) { // notified while this thread was not waiting, or right at the deadline
                            long t = notifiedAt;
                            if (System.nanoTime() - t >= nanos / 2) {
                                outcome = LOST;
                            }
                            break;
                        }
                    }
                }
            } catch (InterruptedException e) {
                outcome = INTERRUPTED;
            } finally {
                mutex.unlock();
            }
            r.r1 = outcome;
            r.r2 = waited;
        }

        @Actor
        public void notifier() {
            MutexTests.randomDelay();
            mutex.lock();
            try {
                flag = true;
                notifiedAt = System.nanoTime();
                cv.notifyOne();
            } finally {
                mutex.unlock();
            }
        }
    }
}
