package org.parkinglot.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;
import org.parkinglot.core.ParkResult;
import org.parkinglot.core.ParkingLot;
import org.parkinglot.core.RequeueOp;

/**
 * A requeue loses no thread: a thread that parks on key A, racing a requeue from A to B followed by an
 * unpark of B, always either sees the notification or is woken on B.
 *
 * <p>The race, the skeleton of a condition variable's {@code notifyAll}: the waiter parks on A (lane 0
 * of the state object) while a plain {@code notified} flag is clear (read under A's bucket lock). The
 * notifier sets the flag, moves every thread of A to B (lane 1) with
 * {@link ParkingLot#unparkRequeue unparkRequeue}{@code (REQUEUE_ALL)}, then wakes one thread of B with
 * {@link ParkingLot#unparkOne unparkOne}. A moved thread keeps sleeping on B until that unpark; it
 * must be found there. The park has a 1 ms timeout, so a lost thread shows as {@code TIMED_OUT}
 * instead of a hang, and a thread that gives up after being moved must dequeue itself from B.
 *
 * <p>Every step stamps one shared counter (the waiter's validation, the requeue callback, the B unpark
 * callback, the waiter's {@code timedOut} callback), so the arbiter knows the order. The outcome is
 * {@code <park result>, requeued <n>, woke <n>} and, for a timeout, where and when the waiter gave up;
 * {@code still queued <n>} is appended if anything was left in A or B.
 *
 * <ul>
 *   <li>{@link NotifyThenRequeue}: the correct notifier; a waiter that validated after the requeue
 *       cannot sleep, and one that was moved cannot be missed.</li>
 *   <li>{@link RequeueThenNotify} (the weakened twin): the notifier sets the flag only after the
 *       requeue. A waiter that validates in between parks on A after the requeue emptied it, and no one
 *       looks at A again.</li>
 * </ul>
 *
 * <p>Run (the jar needs a JDK 21+ {@code java}, e.g. {@code /usr/lib/jvm/temurin-25-jdk-amd64/bin/java}):
 * {@code java -jar stress/target/jcstress.jar -t RequeueTests} (add {@code -m default} for a full run).
 */
public final class RequeueTests {

    private RequeueTests() {
    }

    /** The token the unpark of B hands over. */
    static final long TOKEN = 13L;
    /** The lane of key A (the condition's queue). */
    static final long A = 0L;
    /** The lane of key B (the mutex's queue). */
    static final long B = 1L;

    /** Shared body: the waiter, the notifier's steps and the outcome. */
    abstract static class Base {
        /** The notification; plain: read under A's bucket lock, written before the requeue takes it. */
        int notified;
        /** Orders the stamps below across the two buckets. */
        final AtomicInteger seq = new AtomicInteger();
        /** Stamps: 0 means "did not happen". Each is written once, read by the arbiter. */
        int validatedAt;
        int requeuedAt;
        int unparkedBAt;
        int timedOutAt;
        /** The lane the waiter was queued under when it gave up. */
        long timedOutLane = -1;
        /** Written by the notifier, read by the arbiter. */
        int requeued;
        int woke;
        /** Written by the waiter, read by the arbiter. */
        ParkResult result;

        final void await() {
            result = ParkingLot.park(this, A, () -> {
                validatedAt = seq.incrementAndGet();
                return notified == 0;
            }, () -> { }, (key, lane, last) -> {
                timedOutAt = seq.incrementAndGet();
                timedOutLane = lane;
            }, ParkingLot.DEFAULT_PARK_TOKEN, Races.LOST_WAKEUP_TIMEOUT_NANOS, false);
        }

        final void requeue() {
            requeued = ParkingLot.unparkRequeue(this, A, this, B, () -> RequeueOp.REQUEUE_ALL, (op, u) -> {
                requeuedAt = seq.incrementAndGet();
                return ParkingLot.DEFAULT_UNPARK_TOKEN;
            }).requeuedThreads();
        }

        final void unparkB() {
            woke = ParkingLot.unparkOne(this, B, u -> {
                unparkedBAt = seq.incrementAndGet();
                return TOKEN;
            }).unparkedThreads();
        }

        final void record(L_Result r) {
            StringBuilder sb = new StringBuilder();
            sb.append(result).append(", requeued ").append(requeued).append(", woke ").append(woke);
            if (result == ParkResult.TIMED_OUT) {
                if (validatedAt > requeuedAt) {
                    sb.append(", parked after the requeue");
                } else if (timedOutLane == A) {
                    sb.append(timedOutAt < requeuedAt ? ", gave up on A before the requeue" : ", gave up on A after the requeue");
                } else if (timedOutLane == B) {
                    sb.append(timedOutAt < unparkedBAt ? ", gave up on B before its unpark" : ", gave up on B after its unpark");
                } else {
                    sb.append(", gave up without running timedOut");
                }
            }
            int queued = ParkingLot.queueLength(this, A) + ParkingLot.queueLength(this, B);
            if (queued != 0) {
                sb.append(", still queued ").append(queued);
            }
            r.r1 = sb.toString();
        }
    }

    /** The correct notifier: flag, requeue, unpark B. */
    @JCStressTest
    @Outcome(id = "INVALID, requeued 0, woke 0", expect = ACCEPTABLE,
            desc = "The waiter saw the notification and did not park.")
    @Outcome(id = "UNPARKED(13), requeued 1, woke 1", expect = ACCEPTABLE,
            desc = "The waiter was moved from A to B and woken there.")
    @Outcome(id = "TIMED_OUT, requeued 0, woke 0, gave up on A before the requeue", expect = ACCEPTABLE,
            desc = "The notifier came more than 1 ms late (descheduled), after the waiter had given up on A.")
    @Outcome(id = "TIMED_OUT, requeued 1, woke 0, gave up on B before its unpark", expect = ACCEPTABLE,
            desc = "The notifier paused more than 1 ms between its requeue and its unpark; the moved waiter gave up on B.")
    @Outcome(id = "TIMED_OUT, requeued 0, woke 0, parked after the requeue", expect = FORBIDDEN,
            desc = "LOST THREAD: the waiter validated after the requeue yet missed the notification.")
    @Outcome(expect = FORBIDDEN, desc = "LOST THREAD or inconsistent counts: the requeue or the unpark of B missed the waiter.")
    @State
    public static class NotifyThenRequeue extends Base {

        /** Waits on A while not notified. */
        @Actor
        public void waiter() {
            await();
        }

        /** Notifies, requeues A to B, wakes one thread of B. */
        @Actor
        public void notifier() {
            notified = 1;
            requeue();
            unparkB();
        }

        /**
         * Records the outcome.
         *
         * @param r the result
         */
        @Arbiter
        public void arbiter(L_Result r) {
            record(r);
        }
    }

    /** The weakened twin: requeue, then set the flag, then unpark B. */
    @JCStressTest
    @Outcome(id = "INVALID, requeued 0, woke 0", expect = ACCEPTABLE,
            desc = "The waiter saw the notification and did not park.")
    @Outcome(id = "UNPARKED(13), requeued 1, woke 1", expect = ACCEPTABLE,
            desc = "The waiter was moved from A to B and woken there.")
    @Outcome(id = "TIMED_OUT, requeued 0, woke 0, gave up on A before the requeue", expect = ACCEPTABLE,
            desc = "The notifier came more than 1 ms late (descheduled), after the waiter had given up on A.")
    @Outcome(id = "TIMED_OUT, requeued 1, woke 0, gave up on B before its unpark", expect = ACCEPTABLE,
            desc = "The notifier paused more than 1 ms between its requeue and its unpark; the moved waiter gave up on B.")
    @Outcome(id = "TIMED_OUT, requeued 0, woke 0, parked after the requeue", expect = ACCEPTABLE_INTERESTING,
            desc = "LOST THREAD, as this broken notifier allows: the waiter parked on A between the requeue and the notification.")
    @Outcome(expect = FORBIDDEN, desc = "Not expected even from this broken notifier.")
    @State
    public static class RequeueThenNotify extends Base {

        /** Waits on A while not notified. */
        @Actor
        public void waiter() {
            await();
        }

        /** Requeues A to B, then notifies (the deliberate bug), then wakes one thread of B. */
        @Actor
        public void notifier() {
            requeue();
            notified = 1;
            unparkB();
        }

        /**
         * Records the outcome.
         *
         * @param r the result
         */
        @Arbiter
        public void arbiter(L_Result r) {
            record(r);
        }
    }
}
