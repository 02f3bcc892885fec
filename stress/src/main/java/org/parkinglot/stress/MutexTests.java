package org.parkinglot.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;
import org.parkinglot.core.ParkResult;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.core.SpinWait;
import org.parkinglot.locks.RawFairMutex;
import org.parkinglot.locks.RawMutex;
import org.parkinglot.locks.ReentrantMutex;

/**
 * jcstress tests of the mutexes {@link RawMutex}, {@link RawFairMutex} and {@link ReentrantMutex}: mutual
 * exclusion, visibility of the guarded writes, {@code tryLock} racing {@code unlock}, fair hand-off
 * with a parked waiter, and the PARKED bit (no thread is left parked on a free mutex).
 *
 * <p>The races, one group of nested tests each (two actors at most: the machine this suite is tuned
 * for has two CPUs, and jcstress skips tests with more actors than CPUs):
 * <ul>
 *   <li>{@code Exclusion*}: both actors increment a plain {@code int} under the lock (read, pause,
 *       write: any overlap of the critical sections loses an increment); the arbiter must see 2.</li>
 *   <li>{@code Visibility*}: one actor writes two plain fields under the lock, pausing between them;
 *       the other reads them under the lock (in the opposite order, to widen the window): never a
 *       partial view.</li>
 *   <li>{@code TryLockVsUnlock*}: the lock starts held; one actor writes a field and unlocks while
 *       the other spins on {@code tryLock()}: the spinning thread must get the lock (within 1 s of
 *       the unlock), see the write, and leave the mutex in a consistent state (the arbiter can lock
 *       and unlock it).</li>
 *   <li>{@code Handoff*}: the lock starts held and actor 2 is queued (actor 1 waits until the parking
 *       lot shows it queued and, on half of the runs, until it is asleep); actor 1 unlocks fairly and at once tries to take the lock back. The
 *       lock was handed to actor 2, so actor 1 must fail unless actor 2 already released it. Both
 *       sides look for the double ownership, Dekker-style through volatile flags: actor 1, if its
 *       tryLock succeeds, sets {@code stolen} and checks that actor 2 had set {@code waiterLeft}
 *       (its last act before unlocking); actor 2 checks {@code stolen} inside its critical
 *       section.</li>
 *   <li>{@code Wake*}: the lock starts held; actor 1 releases it after a random delay of 0-40 us,
 *       which sweeps the release across actor 2's spinning, PARKED-announcing, validating and
 *       parked phases; actor 2 does a timed {@code tryLock} with a generous timeout (1 s). A lost
 *       PARKED bit or lost wake-up leaves actor 2 parked on a free mutex until it times out. A
 *       timeout counts as a lost wake-up only if the lock had been free for half the timeout or
 *       more; otherwise (the releasing actor lags behind: jcstress does not start the actors of a
 *       state together) actor 2 tries again.</li>
 *   <li>{@code Woken*}: as {@code Wake*}, but actor 1 re-takes the lock right after releasing it and
 *       holds it for another random delay, so a woken actor 2 often finds it held again and must go
 *       back to park as the woken successor (see {@code MutexAlgorithm}'s WOKEN bit): the unlock that
 *       skips its wake-up because WOKEN is set must never strand it. The arbiter also checks that no
 *       flag is left in the state word.</li>
 * </ul>
 * The key that the mutexes' waiters park under is (mutex, 0); the {@code Handoff*} tests read its
 * queue length through {@link ParkingLot#queueLength(Object, long)}.
 *
 * <p>Every group ships a deliberately weakened twin (suffix {@code Broken...}) running the same actors
 * over a {@link ToyMutex} with one flaw, or over {@link CountingTryLock}; the twin must show the bad
 * outcome as {@code ACCEPTABLE_INTERESTING}, proving the test can catch the bug. Twins that detect the
 * bug by a timeout use a short one ({@value #TWIN_TIMEOUT_MILLIS} ms) because they hit it on most
 * runs.
 *
 * <p>Run from the repository root, with Maven itself on JDK 21+ (with JDK 17 the jar plugin cannot
 * package the modular jars of core and locks). In quick mode each test takes about a minute on two
 * CPUs (14 VM and compilation configurations):
 * <pre>
 * JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -B -q -pl stress -am package -Djcstress.skip=true -DskipTests
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar stress/target/jcstress.jar -m quick -t 'MutexTests' -r /tmp/jcstress-results
 * </pre>
 */
public final class MutexTests {

    private MutexTests() {
    }

    /** How long a real lock's timed acquisition may wait before the test calls the wake-up lost. */
    static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The short timeout of the twins, in milliseconds. */
    static final long TWIN_TIMEOUT_MILLIS = 2;
    /** {@link #TWIN_TIMEOUT_MILLIS} in nanoseconds. */
    static final long TWIN_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(TWIN_TIMEOUT_MILLIS);
    /** Upper bound (exclusive) of the random delays, in microseconds. */
    static final int MAX_DELAY_MICROS = 40;

    // =============================================================================================
    // Mutual exclusion

    /** Both actors increment a plain int under a {@link RawMutex}. */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "both increments happened, one after the other")
    @Outcome(id = "1", expect = FORBIDDEN, desc = "both actors were in the critical section at once: an increment was lost")
    @State
    public static class ExclusionRaw {
        final RawMutex mutex = new RawMutex();
        int x;

        @Actor
        public void actor1() {
            increment(mutex);
        }

        @Actor
        public void actor2() {
            increment(mutex);
        }

        private void increment(Lock m) {
            m.lock();
            try {
                int v = x;
                pause();
                x = v + 1;
            } finally {
                m.unlock();
            }
        }

        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = x;
        }
    }

    /** Both actors increment a plain int under a {@link RawFairMutex}. */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "both increments happened, one after the other")
    @Outcome(id = "1", expect = FORBIDDEN, desc = "both actors were in the critical section at once: an increment was lost")
    @State
    public static class ExclusionFair {
        final RawFairMutex mutex = new RawFairMutex();
        int x;

        @Actor
        public void actor1() {
            increment(mutex);
        }

        @Actor
        public void actor2() {
            increment(mutex);
        }

        private void increment(Lock m) {
            m.lock();
            try {
                int v = x;
                pause();
                x = v + 1;
            } finally {
                m.unlock();
            }
        }

        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = x;
        }
    }

    /** Both actors increment a plain int under a {@link ReentrantMutex}. */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "both increments happened, one after the other")
    @Outcome(id = "1", expect = FORBIDDEN, desc = "both actors were in the critical section at once: an increment was lost")
    @State
    public static class ExclusionReentrant {
        final ReentrantMutex mutex = new ReentrantMutex();
        int x;

        @Actor
        public void actor1() {
            increment(mutex);
        }

        @Actor
        public void actor2() {
            increment(mutex);
        }

        private void increment(Lock m) {
            m.lock();
            try {
                int v = x;
                pause();
                x = v + 1;
            } finally {
                m.unlock();
            }
        }

        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = x;
        }
    }

    /** Twin of {@code Exclusion*}: a {@link ToyMutex} whose lock is a non-atomic check-then-set. */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "both increments happened, one after the other")
    @Outcome(id = "1", expect = ACCEPTABLE_INTERESTING, desc = "both actors passed the check-then-set at once: an increment was lost (the flaw, caught)")
    @State
    public static class ExclusionBrokenCheckThenSet {
        final ToyMutex mutex = new ToyMutex(ToyMutex.Flaw.CHECK_THEN_SET);
        int x;

        @Actor
        public void actor1() {
            increment();
        }

        @Actor
        public void actor2() {
            increment();
        }

        private void increment() {
            mutex.lock();
            try {
                int v = x;
                pause();
                x = v + 1;
            } finally {
                mutex.unlock();
            }
        }

        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = x;
        }
    }

    // =============================================================================================
    // Visibility: no partial view of writes made under the lock

    /** Writer and reader of two plain fields under a {@link RawMutex}. */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the reader went first")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the writer went first; the reader saw both writes")
    @Outcome(expect = FORBIDDEN, desc = "the reader saw one write but not the other: not exclusive, or the unlock did not publish")
    @State
    public static class VisibilityRaw {
        final RawMutex mutex = new RawMutex();
        int a;
        int b;

        @Actor
        public void writer() {
            mutex.lock();
            try {
                a = 1;
                pause();
                b = 1;
            } finally {
                mutex.unlock();
            }
        }

        @Actor
        public void reader(II_Result r) {
            mutex.lock();
            try {
                r.r2 = b;
                r.r1 = a;
            } finally {
                mutex.unlock();
            }
        }
    }

    /** Twin of {@code Visibility*}: a {@link ToyMutex} whose lock is a non-atomic check-then-set. */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the reader went first")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the writer went first; the reader saw both writes")
    @Outcome(expect = ACCEPTABLE_INTERESTING, desc = "the reader saw one write but not the other: both were inside at once (the flaw, caught)")
    @State
    public static class VisibilityBrokenCheckThenSet {
        final ToyMutex mutex = new ToyMutex(ToyMutex.Flaw.CHECK_THEN_SET);
        int a;
        int b;

        @Actor
        public void writer() {
            mutex.lock();
            try {
                a = 1;
                pause();
                b = 1;
            } finally {
                mutex.unlock();
            }
        }

        @Actor
        public void reader(II_Result r) {
            mutex.lock();
            try {
                r.r2 = b;
                r.r1 = a;
            } finally {
                mutex.unlock();
            }
        }
    }

    // =============================================================================================
    // tryLock racing unlock

    /**
     * {@link RawMutex}, held from construction: actor 1 writes and unlocks while actor 2 spins on
     * {@code tryLock()}; the arbiter checks the lock is free and usable.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "actor 2 got the lock after the unlock, saw the write; the mutex is consistent")
    @Outcome(expect = FORBIDDEN, desc = "actor 2 could not get the lock within 1 s of the unlock, saw a stale value, or the mutex was left locked/unusable")
    @State
    public static class TryLockVsUnlockRaw {
        final RawMutex mutex = new RawMutex();
        int x;
        volatile boolean released;

        public TryLockVsUnlockRaw() {
            mutex.lock(); // RawMutex does not track its owner: actor 1 may release it
        }

        @Actor
        public void owner() {
            x = 1;
            mutex.unlock();
            released = true;
        }

        @Actor
        public void spinner(III_Result r) {
            if (spinTryLock(mutex::tryLock, () -> released, TIMEOUT_NANOS)) {
                r.r1 = 1;
                r.r2 = x;
                mutex.unlock();
            }
        }

        @Arbiter
        public void arbiter(III_Result r) {
            boolean ok = !mutex.isLocked() && mutex.tryLock();
            if (ok) {
                mutex.unlock();
                ok = !mutex.isLocked();
            }
            r.r3 = ok ? 1 : 0;
        }
    }

    /**
     * Twin of {@code TryLockVsUnlock*}: {@link CountingTryLock}, whose failed {@code tryLock()} backs
     * out with a decrement that a blind unlock store can land in the middle of, wedging the word at -1.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "actor 2 got the lock after the unlock, saw the write; the mutex is consistent")
    @Outcome(id = "0, 0, 0", expect = ACCEPTABLE_INTERESTING, desc = "a failed tryLock straddled the unlock: the word is stuck at -1, nobody can lock (the flaw, caught)")
    @Outcome(expect = FORBIDDEN, desc = "not expected even from this flaw")
    @State
    public static class TryLockVsUnlockBrokenCounting {
        final CountingTryLock mutex = new CountingTryLock();
        int x;
        volatile boolean released;

        public TryLockVsUnlockBrokenCounting() {
            if (!mutex.tryLock()) {
                throw new IllegalStateException("fresh lock not free");
            }
        }

        @Actor
        public void owner() {
            x = 1;
            mutex.unlock();
            released = true;
        }

        @Actor
        public void spinner(III_Result r) {
            if (spinTryLock(mutex::tryLock, () -> released, TWIN_TIMEOUT_NANOS)) {
                r.r1 = 1;
                r.r2 = x;
                mutex.unlock();
            }
        }

        @Arbiter
        public void arbiter(III_Result r) {
            boolean ok = !mutex.isLocked() && mutex.tryLock();
            if (ok) {
                mutex.unlock();
                ok = !mutex.isLocked();
            }
            r.r3 = ok ? 1 : 0;
        }
    }

    // =============================================================================================
    // Fair hand-off to a parked waiter keeps exclusion

    /**
     * {@link RawFairMutex} held from construction, actor 2 parked in {@code lock()}: actor 1's unlock
     * hands the lock over, and actor 1's immediate {@code tryLock()} must not get in as well.
     */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the lock was handed to actor 2; actor 1's tryLock failed")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "actor 2 had already run and released before actor 1's tryLock")
    @Outcome(expect = FORBIDDEN, desc = "actor 1 took the lock that had been handed to actor 2 before actor 2 released it (r1 = 2), or actor 2 saw the theft (r2 = 1): both held it")
    @State
    public static class HandoffFair {
        final RawFairMutex mutex = new RawFairMutex();
        volatile boolean stolen;
        volatile boolean waiterLeft;
        volatile Thread waiterThread;

        public HandoffFair() {
            mutex.lock(); // no owner tracking: actor 1 releases it
        }

        @Actor
        public void releaser(II_Result r) {
            awaitQueued(mutex, () -> waiterThread);
            mutex.unlock();
            if (mutex.tryLock()) {
                stolen = true;
                r.r1 = waiterLeft ? 1 : 2;
                mutex.unlock();
            }
        }

        @Actor
        public void waiter(II_Result r) {
            waiterThread = Thread.currentThread();
            mutex.lock();
            try {
                r.r2 = stolen ? 1 : 0;
                waiterLeft = true;
            } finally {
                mutex.unlock();
            }
        }
    }

    /**
     * As {@link HandoffFair}, with a fair {@link ReentrantMutex}: actor 1 locks first (it must own the
     * lock to release it) and announces it; actor 2 waits for the announcement before locking.
     */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the lock was handed to actor 2; actor 1's tryLock failed")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "actor 2 had already run and released before actor 1's tryLock")
    @Outcome(expect = FORBIDDEN, desc = "actor 1 took the lock that had been handed to actor 2 before actor 2 released it (r1 = 2), or actor 2 saw the theft (r2 = 1): both held it")
    @State
    public static class HandoffReentrant {
        final ReentrantMutex mutex = new ReentrantMutex(true);
        volatile boolean held;
        volatile boolean stolen;
        volatile boolean waiterLeft;
        volatile Thread waiterThread;

        @Actor
        public void releaser(II_Result r) {
            mutex.lock();
            held = true;
            awaitQueued(mutex, () -> waiterThread);
            mutex.unlock();
            if (mutex.tryLock()) {
                stolen = true;
                r.r1 = waiterLeft ? 1 : 2;
                mutex.unlock();
            }
        }

        @Actor
        public void waiter(II_Result r) {
            waiterThread = Thread.currentThread();
            while (!held) {
                Thread.yield();
            }
            mutex.lock();
            try {
                r.r2 = stolen ? 1 : 0;
                waiterLeft = true;
            } finally {
                mutex.unlock();
            }
        }
    }

    /** Twin of {@code Handoff*}: a {@link ToyMutex} whose hand-off also clears LOCKED. */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the lock was handed to actor 2; actor 1's tryLock failed")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "actor 2 had already run and released before actor 1's tryLock")
    @Outcome(expect = ACCEPTABLE_INTERESTING, desc = "actor 1 barged into the lock handed to actor 2: both held it (the flaw, caught)")
    @State
    public static class HandoffBrokenLeaky {
        final ToyMutex mutex = new ToyMutex(ToyMutex.Flaw.LEAKY_HANDOFF);
        volatile boolean stolen;
        volatile boolean waiterLeft;
        volatile Thread waiterThread;

        public HandoffBrokenLeaky() {
            mutex.lock();
        }

        @Actor
        public void releaser(II_Result r) {
            awaitQueued(mutex, () -> waiterThread);
            mutex.unlockFair();
            if (mutex.tryLock()) {
                stolen = true;
                r.r1 = waiterLeft ? 1 : 2;
                mutex.unlock();
            }
        }

        @Actor
        public void waiter(II_Result r) {
            waiterThread = Thread.currentThread();
            mutex.lock();
            try {
                r.r2 = stolen ? 1 : 0;
                waiterLeft = true;
            } finally {
                mutex.unlock();
            }
        }
    }

    // =============================================================================================
    // The PARKED bit is never lost: nobody stays parked on a free mutex

    /**
     * {@link RawMutex} held from construction; actor 1 unlocks after a random 0-40 us delay while
     * actor 2 waits in {@code tryLock(1 s)}.
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "actor 2 acquired the lock once it was released; the mutex is free afterwards")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "actor 2's 1-s tryLock timed out although the lock had been free for 0.5 s or more: lost wake-up")
    @Outcome(expect = FORBIDDEN, desc = "the mutex was left locked")
    @State
    public static class WakeRaw {
        final RawMutex mutex = new RawMutex();

        volatile long releasedAt;

        public WakeRaw() {
            mutex.lock(); // no owner tracking: actor 1 releases it
        }

        @Actor
        public void releaser() {
            randomDelay();
            mutex.unlock();
            releasedAt = System.nanoTime();
        }

        @Actor
        public void waiter(II_Result r) {
            if (lockOrDetectLostWakeUp(n -> timedLock(mutex, n), () -> releasedAt, TIMEOUT_NANOS)) {
                r.r1 = 1;
                mutex.unlock();
            }
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r2 = mutex.isLocked() ? 1 : 0;
        }
    }

    /**
     * {@link RawFairMutex} held from construction; actor 1 unlocks (handing over if actor 2 is parked)
     * after a random 0-40 us delay while actor 2 waits in {@code tryLock(1 s)}.
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "actor 2 acquired the lock once it was released; the mutex is free afterwards")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "actor 2's 1-s tryLock timed out although the lock had been free for 0.5 s or more: lost wake-up")
    @Outcome(expect = FORBIDDEN, desc = "the mutex was left locked")
    @State
    public static class WakeFair {
        final RawFairMutex mutex = new RawFairMutex();

        volatile long releasedAt;

        public WakeFair() {
            mutex.lock(); // no owner tracking: actor 1 releases it
        }

        @Actor
        public void releaser() {
            randomDelay();
            mutex.unlock();
            releasedAt = System.nanoTime();
        }

        @Actor
        public void waiter(II_Result r) {
            if (lockOrDetectLostWakeUp(n -> timedLock(mutex, n), () -> releasedAt, TIMEOUT_NANOS)) {
                r.r1 = 1;
                mutex.unlock();
            }
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r2 = mutex.isLocked() ? 1 : 0;
        }
    }

    /**
     * {@link ReentrantMutex}: both actors take the lock with {@code tryLock(1 s)}; actor 1 holds it for
     * a random 0-40 us. Whoever comes second may park; it must be woken.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "both acquired the lock in turn; the mutex is free afterwards")
    @Outcome(expect = FORBIDDEN, desc = "an actor's 1-s tryLock timed out although the lock had been free for 0.5 s or more (lost wake-up), or the mutex was left locked")
    @State
    public static class WakeReentrant {
        final ReentrantMutex mutex = new ReentrantMutex();
        volatile long releasedAt;

        @Actor
        public void holder(III_Result r) {
            if (lockOrDetectLostWakeUp(n -> timedLock(mutex, n), () -> releasedAt, TIMEOUT_NANOS)) {
                r.r1 = 1;
                randomDelay();
                mutex.unlock();
                releasedAt = System.nanoTime();
            }
        }

        @Actor
        public void waiter(III_Result r) {
            if (lockOrDetectLostWakeUp(n -> timedLock(mutex, n), () -> releasedAt, TIMEOUT_NANOS)) {
                r.r2 = 1;
                mutex.unlock();
                releasedAt = System.nanoTime();
            }
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = mutex.isLocked() ? 1 : 0;
        }
    }

    /** Twin of {@code Wake*}: a {@link ToyMutex} whose unlock stores 0 without looking at PARKED. */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "actor 2 acquired the lock before it parked, or was never parked")
    @Outcome(id = "0, 0", expect = ACCEPTABLE_INTERESTING, desc = "actor 2 was parked when the unlock forgot PARKED: it slept on a free lock until its 2-ms timeout (the flaw, caught)")
    @Outcome(expect = FORBIDDEN, desc = "the mutex was left locked")
    @State
    public static class WakeBrokenForgetful {
        final ToyMutex mutex = new ToyMutex(ToyMutex.Flaw.FORGETFUL_UNLOCK);

        volatile long releasedAt;

        public WakeBrokenForgetful() {
            mutex.lock();
        }

        @Actor
        public void releaser() {
            randomDelay();
            mutex.unlock();
            releasedAt = System.nanoTime();
        }

        @Actor
        public void waiter(II_Result r) {
            if (lockOrDetectLostWakeUp(mutex::tryLock, () -> releasedAt, TWIN_TIMEOUT_NANOS)) {
                r.r1 = 1;
                mutex.unlock();
            }
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r2 = mutex.isLocked() ? 1 : 0;
        }
    }

    // =============================================================================================
    // The woken successor: an unlock skips the wake-up only while a woken thread is really coming

    /**
     * {@link RawMutex} held from construction; actor 1 releases it after a random delay, takes it
     * again at once and holds it for another random delay, then releases it; actor 2 waits in
     * {@code tryLock(1 s)}. If actor 2 was parked, the first release wakes it as the woken successor
     * (WOKEN set) and actor 1's re-acquisition usually barges ahead of it, so actor 2 finds the lock
     * held again and must go back to park clearing WOKEN, or actor 1's second release (which skips
     * the wake-up while WOKEN is set) leaves it asleep on a free lock. The arbiter reads the mutex
     * bits of the state word: every flag must be clear once both actors are done.
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "actor 2 acquired the lock; the mutex is free and its word clean afterwards")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "actor 2's 1-s tryLock timed out although the lock had been free for 0.5 s or more: lost wake-up")
    @Outcome(expect = FORBIDDEN, desc = "the mutex was left locked, or a flag (PARKED, WOKEN) was left set in its word")
    @State
    public static class WokenRaw {
        final RawMutex mutex = new RawMutex();

        volatile long releasedAt;

        public WokenRaw() {
            mutex.lock();
        }

        @Actor
        public void releaser() {
            randomDelay();
            mutex.unlock();
            mutex.lock();
            randomDelay();
            mutex.unlock();
            releasedAt = System.nanoTime();
        }

        @Actor
        public void waiter(II_Result r) {
            if (lockOrDetectLostWakeUp(n -> timedLock(mutex, n), () -> releasedAt, TIMEOUT_NANOS)) {
                r.r1 = 1;
                mutex.unlock();
            }
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r2 = mutexBits(mutex);
        }
    }

    /** {@code WokenRaw} over a {@link ReentrantMutex} (unfair): the same protocol under the owner bookkeeping. */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "actor 2 acquired the lock; the mutex is free and its word clean afterwards")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "actor 2's 1-s tryLock timed out although the lock had been free for 0.5 s or more: lost wake-up")
    @Outcome(expect = FORBIDDEN, desc = "the mutex was left locked, or a flag (PARKED, WOKEN) was left set in its word")
    @State
    public static class WokenReentrant {
        final ReentrantMutex mutex = new ReentrantMutex();

        volatile long releasedAt;
        volatile boolean held;

        @Actor
        public void releaser() {
            mutex.lock(); // owner-tracked: the releasing actor must take it itself
            held = true;
            randomDelay();
            mutex.unlock();
            mutex.lock();
            randomDelay();
            mutex.unlock();
            releasedAt = System.nanoTime();
        }

        @Actor
        public void waiter(II_Result r) {
            while (!held) {
                Thread.yield(); // the actors may share a CPU
            }
            if (lockOrDetectLostWakeUp(n -> timedLock(mutex, n), () -> releasedAt, TIMEOUT_NANOS)) {
                r.r1 = 1;
                mutex.unlock();
            }
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r2 = mutexBits(mutex);
        }
    }

    /** Twin of {@code Woken*}: a {@link ToyMutex} whose woken successor parks again without clearing WOKEN. */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "actor 2 got the lock without going back to park as the woken successor")
    @Outcome(id = "0, 0", expect = ACCEPTABLE_INTERESTING, desc = "actor 2 parked again with WOKEN left set: the last unlock woke nobody and it slept on a free lock until its 2-ms timeout (the flaw, caught)")
    @Outcome(expect = FORBIDDEN, desc = "the mutex was left locked")
    @State
    public static class WokenBrokenStale {
        final ToyMutex mutex = new ToyMutex(ToyMutex.Flaw.STALE_WOKEN);

        volatile long releasedAt;

        public WokenBrokenStale() {
            mutex.lock();
        }

        @Actor
        public void releaser() {
            randomDelay();
            mutex.unlock();
            mutex.lock();
            randomDelay();
            mutex.unlock();
            releasedAt = System.nanoTime();
        }

        @Actor
        public void waiter(II_Result r) {
            if (lockOrDetectLostWakeUp(mutex::tryLock, () -> releasedAt, TWIN_TIMEOUT_NANOS)) {
                r.r1 = 1;
                mutex.unlock();
            }
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r2 = mutex.isLocked() ? 1 : 0;
        }
    }

    // =============================================================================================
    // helpers

    /**
     * The mutex bits (LOCKED, PARKED, WOKEN: the low three) of a mutex's state word, read reflectively
     * from the package-private field {@code AbstractMutex.state} or {@code ReentrantMutex.state}.
     *
     * @param mutex a {@link RawMutex}, {@link RawFairMutex} or {@link ReentrantMutex}
     * @return the low three bits of its state word
     */
    static int mutexBits(Object mutex) {
        try {
            return (mutex instanceof ReentrantMutex ? REENTRANT_STATE : MUTEX_STATE).getInt(mutex) & 0b111;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final java.lang.reflect.Field MUTEX_STATE;
    private static final java.lang.reflect.Field REENTRANT_STATE;

    static {
        try {
            MUTEX_STATE = Class.forName("org.parkinglot.locks.AbstractMutex").getDeclaredField("state");
            MUTEX_STATE.setAccessible(true);
            REENTRANT_STATE = ReentrantMutex.class.getDeclaredField("state");
            REENTRANT_STATE.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One attempt at a lock. */
    @FunctionalInterface
    interface TryLock {
        /**
         * Tries once.
         *
         * @return whether the lock was taken
         */
        boolean tryLock();
    }

    /**
     * Spins on {@code lock.tryLock()} until it succeeds, or until {@code timeoutNanos} have passed since
     * this thread first saw {@code released} true. (The timeout runs from the release, not from the
     * start: jcstress does not start both actors of a state together, and the releasing actor may lag
     * behind by many states.)
     *
     * @return whether the lock was taken
     */
    static boolean spinTryLock(TryLock lock, BooleanSupplier released, long timeoutNanos) {
        boolean seen = false;
        long releasedAt = 0L;
        while (!lock.tryLock()) {
            if (!seen) {
                if (released.getAsBoolean()) {
                    seen = true;
                    releasedAt = System.nanoTime();
                }
            } else if (System.nanoTime() - releasedAt > timeoutNanos) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    /** A short pause (a few hundred nanoseconds) inside a critical section, to widen race windows. */
    static void pause() {
        for (int i = 0; i < 8; i++) {
            Thread.onSpinWait();
        }
    }

    /** A timed attempt at a lock. */
    @FunctionalInterface
    interface TimedTryLock {
        /**
         * Tries for at most {@code nanos}.
         *
         * @param nanos the most to wait
         * @return whether the lock was taken
         */
        boolean tryLock(long nanos);
    }

    /**
     * Takes {@code lock} with timed attempts of {@code timeoutNanos}, retrying after a timeout unless
     * the lock had been released ({@code releasedAt}, 0 until then) at least {@code timeoutNanos / 2}
     * earlier: then the thread slept through a release, a lost wake-up.
     *
     * @return {@code true} if the lock was taken, {@code false} on a lost wake-up
     */
    static boolean lockOrDetectLostWakeUp(TimedTryLock lock, LongSupplier releasedAt, long timeoutNanos) {
        for (;;) {
            if (lock.tryLock(timeoutNanos)) {
                return true;
            }
            long t = releasedAt.getAsLong();
            if (t != 0L && System.nanoTime() - t >= timeoutNanos / 2) {
                return false;
            }
        }
    }

    /**
     * {@code lock.tryLock(timeoutNanos, NANOSECONDS)}; an interrupt (never sent by these tests) counts as failure.
     *
     * @return whether the lock was taken
     */
    static boolean timedLock(Lock lock, long timeoutNanos) {
        try {
            return lock.tryLock(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Busy-waits a random 0 to {@link #MAX_DELAY_MICROS} (exclusive) microseconds. */
    static void randomDelay() {
        long nanos = TimeUnit.MICROSECONDS.toNanos(ThreadLocalRandom.current().nextInt(MAX_DELAY_MICROS));
        long start = System.nanoTime();
        while (System.nanoTime() - start < nanos) {
            Thread.onSpinWait();
        }
    }

    /**
     * Waits (yielding, so that a thread sharing the CPU can run) until a thread is queued under the
     * key (key, 0), where the mutexes of this package and {@link ToyMutex} park their waiters; on a
     * random half of the calls, also until that thread, {@code waiter} once it is published, is
     * asleep ({@link Thread.State#WAITING}). A queued thread may still be running towards its
     * {@code LockSupport.park}: the two halves cover a hand-off to a running and to a sleeping
     * thread.
     *
     * @throws IllegalStateException if the waiter does not queue or sleep within 10 s (the test's own
     *                               protocol is broken)
     */
    static void awaitQueued(Object key, Supplier<Thread> waiter) {
        boolean asleep = ThreadLocalRandom.current().nextBoolean();
        long start = System.nanoTime();
        for (;;) {
            if (ParkingLot.queueLength(key, 0L) != 0) {
                if (!asleep) {
                    return;
                }
                Thread t = waiter.get();
                if (t != null && t.getState() == Thread.State.WAITING) {
                    return;
                }
            }
            if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(10)) {
                throw new IllegalStateException("no thread queued (asleep: " + asleep + ") on " + key + " within 10 s");
            }
            Thread.yield();
        }
    }

    // =============================================================================================
    // deliberately broken locks for the twins

    /**
     * A copy of the mutex protocol of {@code MutexAlgorithm} (LOCKED, PARKED and WOKEN bits, waiters
     * parked under (this, 0)) with one deliberate flaw, for the twins. Not a lock to use.
     */
    static final class ToyMutex {

        /** The deliberate flaw. */
        enum Flaw {
            /**
             * lock and tryLock read the word and then, after a short pause that magnifies the window,
             * write LOCKED: two threads can both pass the check.
             */
            CHECK_THEN_SET,
            /** A fair hand-off clears LOCKED although the woken thread is told it owns the lock. */
            LEAKY_HANDOFF,
            /** unlock stores 0 without looking at PARKED: a parked waiter is never woken. */
            FORGETFUL_UNLOCK,
            /**
             * The woken successor goes back to park without clearing WOKEN: unlocks keep believing a
             * successor is on its way and wake nobody.
             */
            STALE_WOKEN
        }

        /** The lock is held. */
        static final int LOCKED = 1;
        /** A thread is parked or about to park. */
        static final int PARKED = 2;
        /** Unpark token: the lock was released, compete again. */
        static final long TOKEN_NORMAL = 0L;
        /** Unpark token: the lock was handed over. */
        static final long TOKEN_HANDOFF = 1L;
        /** A woken waiter is in flight: an unfair unlock wakes nobody else. */
        static final int WOKEN = 4;
        /** Unpark token: the lock was released and WOKEN set for the woken thread. */
        static final long TOKEN_WOKEN = 2L;

        private final Flaw flaw;
        /** LOCKED | PARKED | WOKEN. */
        volatile int state;

        ToyMutex(Flaw flaw) {
            this.flaw = flaw;
        }

        void lock() {
            if (!tryLock(ParkingLot.FOREVER)) {
                throw new AssertionError("untimed lock timed out");
            }
        }

        boolean tryLock() {
            int s = state;
            if (flaw == Flaw.CHECK_THEN_SET) {
                if ((s & LOCKED) == 0) {
                    pause(); // magnifies the flaw's window so that a quick run shows it
                    state = s | LOCKED; // the flaw: not atomic with the check
                    return true;
                }
                return false;
            }
            while ((s & LOCKED) == 0) {
                if (STATE.weakCompareAndSetAcquire(this, s, s | LOCKED)) {
                    return true;
                }
                s = state;
            }
            return false;
        }

        /** Timed, uninterruptible acquisition ({@link ParkingLot#FOREVER}: untimed). */
        boolean tryLock(long timeoutNanos) {
            if (tryLock()) {
                return true;
            }
            boolean timed = timeoutNanos != ParkingLot.FOREVER;
            long deadline = System.nanoTime() + timeoutNanos;
            if (flaw == Flaw.CHECK_THEN_SET) {
                while (!tryLock()) {
                    if (timed && System.nanoTime() - deadline > 0) {
                        return false;
                    }
                    Thread.yield();
                }
                return true;
            }
            SpinWait spinWait = new SpinWait();
            boolean woken = false;
            int s = state;
            for (;;) {
                if ((s & LOCKED) == 0) {
                    if (STATE.weakCompareAndSetAcquire(this, s, woken ? (s | LOCKED) & ~WOKEN : s | LOCKED)) {
                        return true;
                    }
                    s = state;
                    continue;
                }
                if (((s & PARKED) == 0 || woken) && spinWait.spin()) {
                    s = state;
                    continue;
                }
                // The STALE_WOKEN flaw: keeps WOKEN set when going back to park.
                int update = woken && flaw != Flaw.STALE_WOKEN ? (s | PARKED) & ~WOKEN : s | PARKED;
                if (update != s && !STATE.compareAndSet(this, s, update)) {
                    s = state;
                    continue;
                }
                woken = false;
                long remaining = timed ? deadline - System.nanoTime() : ParkingLot.FOREVER;
                ParkResult r = ParkingLot.park(this, 0L,
                        () -> (state & (LOCKED | PARKED)) == (LOCKED | PARKED),
                        () -> { },
                        (key, lane, last) -> {
                            if (last) {
                                STATE.getAndBitwiseAnd(this, ~PARKED);
                            }
                        },
                        ParkingLot.DEFAULT_PARK_TOKEN, remaining, false);
                if (r.isUnparked() && r.unparkToken() == TOKEN_HANDOFF) {
                    return true;
                }
                if (r.kind() == ParkResult.Kind.TIMED_OUT) {
                    return false;
                }
                woken = r.isUnparked() && r.unparkToken() == TOKEN_WOKEN;
                spinWait.reset();
                s = state;
            }
        }

        void unlock() {
            release(false);
        }

        void unlockFair() {
            release(true);
        }

        boolean isLocked() {
            return (state & LOCKED) != 0;
        }

        private void release(boolean fair) {
            if (flaw == Flaw.CHECK_THEN_SET || flaw == Flaw.FORGETFUL_UNLOCK) {
                state = 0; // the FORGETFUL_UNLOCK flaw: PARKED ignored and erased
                return;
            }
            int s = state;
            for (;;) {
                if ((s & LOCKED) == 0) {
                    return; // the leaky twin's two "owners" both unlock; tolerate it
                }
                if ((s & PARKED) != 0 && (fair || (s & WOKEN) == 0)) {
                    ParkingLot.unparkOne(this, 0L, result -> {
                        if (result.unparkedThreads() != 0 && (fair || result.beFair())) {
                            // The LEAKY_HANDOFF flaw: clears LOCKED while handing the lock over.
                            STATE.getAndBitwiseAnd(this, result.haveMoreThreads() ? ~LOCKED : ~(LOCKED | PARKED));
                            return TOKEN_HANDOFF;
                        }
                        if (result.unparkedThreads() == 0) {
                            STATE.getAndBitwiseAnd(this, ~(LOCKED | PARKED));
                            return TOKEN_NORMAL;
                        }
                        int cur = state;
                        for (;;) {
                            int next = (cur & ~LOCKED) | WOKEN;
                            if (!result.haveMoreThreads()) {
                                next &= ~PARKED;
                            }
                            if (STATE.compareAndSet(this, cur, next)) {
                                return TOKEN_WOKEN;
                            }
                            cur = state;
                        }
                    });
                    return;
                }
                if (STATE.compareAndSet(this, s, s & ~LOCKED)) {
                    return;
                }
                s = state;
            }
        }

        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(ToyMutex.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    /**
     * A lock whose word counts would-be owners: {@code tryLock()} increments and, if the word was not
     * 0, backs out with a decrement; {@code unlock()} stores 0 blindly. A failed {@code tryLock()}
     * whose decrement lands after an unlock's store leaves the word at -1: locked forever. (The real
     * mutexes release with a CAS or an atomic and-not for the same reason: other threads write the word
     * too.) For the twins only.
     */
    static final class CountingTryLock {
        /** 0 free, 1 held, more or less: transient tryLock attempts. */
        volatile int word;

        boolean tryLock() {
            if ((int) WORD.getAndAdd(this, 1) == 0) {
                return true;
            }
            WORD.getAndAdd(this, -1);
            return false;
        }

        void unlock() {
            word = 0; // the flaw: erases concurrent tryLock attempts' increments
        }

        boolean isLocked() {
            return word != 0;
        }

        private static final VarHandle WORD;

        static {
            try {
                WORD = MethodHandles.lookup().findVarHandle(CountingTryLock.class, "word", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }
}
