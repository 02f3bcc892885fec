package org.parkinglot.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.I_Result;
import org.openjdk.jcstress.infra.results.III_Result;
import org.parkinglot.locks.RawMutex;
import org.parkinglot.locks.ReentrantMutex;

/**
 * jcstress tests of what {@link ReentrantMutex} adds to the mutex word: the owner and the hold count.
 *
 * <ul>
 *   <li>{@code NestedExclusion}: both actors lock twice, increment a plain {@code int}, record their
 *       hold count inside the critical section, and unlock twice. Each must see its own two holds, the
 *       arbiter must see 2 increments and a free, ownerless lock. The twin
 *       {@code NestedExclusionBrokenHoldsAsOwner} decides reentrancy from "the hold count is positive"
 *       instead of "I am the owner", so a thread arriving while the other holds the lock walks in.</li>
 *   <li>{@code HoldsRestoredAcrossAwait}: the waiter holds the lock twice and waits on a condition
 *       until a flag is set; the notifier, after a random 0-40 us delay, takes the lock with
 *       {@code tryLock(1 s)} (it gets in only if the wait released every hold), sets the flag and
 *       signals. The waiter must return notified with its two holds restored. This checks a
 *       functional contract under racing rather than a memory ordering; the harness's ability to see
 *       a lost signal is proven by the twins of {@link CondvarTests}.</li>
 *   <li>{@code FairnessRacyPublication}: one actor creates a fair {@link ReentrantMutex} and stores it
 *       in a plain field, the other reads the field and, if it sees the lock, asks {@code isFair()}.
 *       The fairness lives in the state word, not a final field (a final boolean would grow the lock to
 *       32 bytes); the constructor's release fence must make a racily published lock fair all the same.
 *       No weakened twin: on x86 (this project's test machines) stores are not reordered with each
 *       other, so a constructor without the fence shows the same outcomes; the test guards weaker
 *       hardware (ARM, POWER) and compilers that would sink the store.</li>
 * </ul>
 *
 * <p>Run from the repository root, with Maven itself on JDK 21+ (with JDK 17 the jar plugin cannot
 * package the modular jars of core and locks). In quick mode each test takes about a minute on two
 * CPUs (14 VM and compilation configurations):
 * <pre>
 * JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -B -q -pl stress -am package -Djcstress.skip=true -DskipTests
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar stress/target/jcstress.jar -m quick -t 'ReentrantMutexTests' -r /tmp/jcstress-results
 * </pre>
 */
public final class ReentrantMutexTests {

    private ReentrantMutexTests() {
    }

    /** Nested holds on a {@link ReentrantMutex} keep exclusion, and the lock ends free and ownerless. */
    @JCStressTest
    @Outcome(id = "2, 2, 2, 0", expect = ACCEPTABLE, desc = "each actor held the lock twice, alone; the lock ended free")
    @Outcome(expect = FORBIDDEN, desc = "an actor was inside without owning the lock, an increment was lost, or the lock ended held/owned")
    @State
    public static class NestedExclusion {
        final ReentrantMutex mutex = new ReentrantMutex();
        int x;

        @Actor
        public void actor1(IIII_Result r) {
            r.r1 = nested();
        }

        @Actor
        public void actor2(IIII_Result r) {
            r.r2 = nested();
        }

        private int nested() {
            mutex.lock();
            try {
                mutex.lock();
                try {
                    x++;
                    return mutex.getHoldCount();
                } finally {
                    mutex.unlock();
                }
            } finally {
                mutex.unlock();
            }
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            r.r3 = x;
            r.r4 = mutex.isLocked() || mutex.getOwner() != null ? 1 : 0;
        }
    }

    /** Twin of {@link NestedExclusion}: {@link HoldsAsOwnerLock} treats any positive hold count as its own. */
    @JCStressTest
    @Outcome(id = "2, 2, 2, 0", expect = ACCEPTABLE, desc = "the actors did not overlap")
    @Outcome(expect = ACCEPTABLE_INTERESTING, desc = "an actor walked into the other's critical section (the flaw, caught)")
    @State
    public static class NestedExclusionBrokenHoldsAsOwner {
        final HoldsAsOwnerLock mutex = new HoldsAsOwnerLock();
        int x;

        @Actor
        public void actor1(IIII_Result r) {
            r.r1 = nested();
        }

        @Actor
        public void actor2(IIII_Result r) {
            r.r2 = nested();
        }

        private int nested() {
            mutex.lock();
            try {
                mutex.lock();
                try {
                    x++;
                    return mutex.getHoldCount();
                } finally {
                    mutex.unlock();
                }
            } finally {
                mutex.unlock();
            }
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            r.r3 = x;
            r.r4 = mutex.isLocked() ? 1 : 0;
        }
    }

    /** Waiting on a condition releases every hold and restores them on return. */
    @JCStressTest
    @Outcome(id = "2, 1, 0", expect = ACCEPTABLE, desc = "the notifier went first; the waiter did not wait")
    @Outcome(id = "2, 1, 1", expect = ACCEPTABLE, desc = "the waiter waited once, was signalled, and got its two holds back")
    @Outcome(expect = FORBIDDEN, desc = "the notifier could not get the lock in 1 s (a hold was kept across the wait), the signal was lost, or the hold count was not restored")
    @State
    public static class HoldsRestoredAcrossAwait {
        final ReentrantMutex mutex = new ReentrantMutex();
        final Condition cond = mutex.newCondition();
        boolean flag;

        @Actor
        public void waiter(III_Result r) {
            int waits = 0;
            int holds = -1;
            mutex.lock();
            mutex.lock();
            try {
                while (!flag) {
                    waits++;
                    if (!cond.await(1, TimeUnit.SECONDS)) {
                        break;
                    }
                }
                holds = flag ? mutex.getHoldCount() : -2;
            } catch (InterruptedException e) {
                holds = -3;
            } finally {
                while (mutex.isHeldByCurrentThread()) {
                    mutex.unlock();
                }
            }
            r.r1 = holds;
            r.r3 = waits;
        }

        @Actor
        public void notifier(III_Result r) {
            MutexTests.randomDelay();
            if (MutexTests.timedLock(mutex, MutexTests.TIMEOUT_NANOS)) {
                try {
                    flag = true;
                    cond.signal();
                    r.r2 = 1;
                } finally {
                    mutex.unlock();
                }
            }
        }
    }

    /**
     * A reentrant lock over a {@link RawMutex} that decides reentrancy from "the hold count is
     * positive" rather than "the current thread is the owner". For the twin only.
     */
    static final class HoldsAsOwnerLock {
        private final RawMutex word = new RawMutex();
        /** The owner. */
        volatile Thread owner;
        /** The hold count; racy by the flaw. */
        volatile int holds;

        void lock() {
            if (holds > 0) { // the flaw: should be owner == Thread.currentThread()
                holds++;
                return;
            }
            word.lock();
            owner = Thread.currentThread();
            holds = 1;
        }

        void unlock() {
            if (--holds <= 0) {
                holds = 0;
                owner = null;
                try {
                    word.unlock();
                } catch (IllegalMonitorStateException e) {
                    // the two "owners" both release; tolerated so the twin reports an outcome
                }
            }
        }

        int getHoldCount() {
            return owner == Thread.currentThread() ? holds : 0;
        }

        boolean isLocked() {
            return word.isLocked();
        }
    }

    /** A fair ReentrantMutex published through a data race is seen fair (its fairness lives in the state word). */
    @JCStressTest
    @Outcome(id = "-1", expect = ACCEPTABLE, desc = "the reader ran before the lock was published")
    @Outcome(id = "1", expect = ACCEPTABLE, desc = "the reader saw the lock, fair")
    @Outcome(id = "0", expect = FORBIDDEN, desc = "the reader saw a fair lock as unfair: FAIR not published with the reference")
    @State
    public static class FairnessRacyPublication {
        /** Written and read without synchronization: the race under test. */
        ReentrantMutex published;

        @Actor
        public void writer() {
            published = new ReentrantMutex(true);
        }

        @Actor
        public void reader(I_Result r) {
            ReentrantMutex m = published;
            r.r1 = m == null ? -1 : (m.isFair() ? 1 : 0);
        }
    }
}
