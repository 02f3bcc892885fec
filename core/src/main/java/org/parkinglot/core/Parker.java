/*
 * Ported from tokio `tokio/src/runtime/park.rs` (ParkThread, UnparkThread and CachedParkThread::block_on;
 * Tokio contributors, MIT), with tokio's mutex + condition variable replaced by LockSupport.
 */
package org.parkinglot.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.parkinglot.core.internal.Timeouts;

/**
 * A permit-based parker for one thread: the building block for library authors who need "sleep until
 * someone tells me to wake up" without a lock, a queue or the global {@link ParkingLot}.
 *
 * <p>A parker belongs to the thread that constructs it (its <em>owner</em>); only the owner may park
 * on it, any thread may unpark it. It holds at most one <em>permit</em>. {@link #unpark()} makes the
 * permit available (and wakes the owner if it is parked); the park methods consume it, sleeping until
 * one is available. An unpark is never lost: an unpark that comes before the park makes the next park
 * return at once. Permits do not accumulate: two unparks before a park make one permit, and the second
 * park sleeps. Unlike {@link LockSupport}, a parker never returns from an untimed {@link #park()}
 * spuriously: it returns only with a permit or for an interrupt.
 *
 * <p>Other threads get the owner's {@link Unparker} from {@link #unparker()}; it is a {@link Runnable},
 * so it serves directly as a wake-up callback for any API that takes one
 * ({@code executor.execute(unparker)}). {@link #blockOn(CompletionStage)} parks the owner until a future
 * completes, with an unpark as the future's completion callback.
 *
 * <p>Usage: a single-consumer hand-off, where the consumer sleeps on its parker while the queue is empty.
 * <pre>{@code
 * class Mailbox<T> {
 *     private final Queue<T> queue = new ConcurrentLinkedQueue<>();
 *     private final Parker parker = new Parker();            // made by the consumer thread
 *     private final Unparker unparker = parker.unparker();
 *
 *     void send(T message) {                                 // any thread
 *         queue.add(message);
 *         unparker.unpark();                                 // never lost, even before take() parks
 *     }
 *
 *     T take() {                                             // consumer thread only
 *         T message;
 *         while ((message = queue.poll()) == null) {
 *             parker.park();                                 // re-check after every return
 *         }
 *         return message;
 *     }
 * }
 * }</pre>
 * A consumer must re-check its condition after every return from a park: a park also returns for an
 * interrupt, and a permit may be left over from an unpark whose message was already taken.
 *
 * <h2>Interruption</h2>
 * The park methods behave as {@link LockSupport#park(Object)} does: an interrupt of the owner ends a
 * park (or makes it return at once if the interrupt status is already set), the interrupt status stays
 * set, and no exception is thrown. An interrupt neither creates nor consumes a permit; a permit that is
 * available when the park ends is always consumed, interrupt or not. The {@code blockOn} methods
 * follow {@link Future#get()} instead: they throw {@link InterruptedException} and clear the status.
 *
 * <h2>Memory synchronization</h2>
 * Actions in a thread prior to calling {@link #unpark()} (or {@link Unparker#unpark()}) happen-before
 * actions in the owner following the return of a park method that consumes the permit that unpark
 * made available, or made available again if it was already there. A park that returns without a permit
 * (timeout, interrupt) has no memory effects. {@code blockOn} has the memory effects of the future's own
 * completion: actions of the completing thread happen-before {@code blockOn} returns.
 *
 * <h2>Virtual threads</h2>
 * Parking uses {@link LockSupport}, which unmounts a virtual thread from its carrier; a parker may be
 * owned by a virtual thread and unparked from any kind of thread.
 *
 * @see Unparker
 */
public final class Parker {

    /*
     * Implementation notes.
     *
     * Algorithm. tokio's ParkThread (runtime/park.rs) keeps a three-state word and a mutex + condvar. Here
     * LockSupport replaces the mutex and condvar: the owner announces that it sleeps by moving the word
     * EMPTY -> PARKED, and an unparker that swaps NOTIFIED in and reads PARKED wakes it with
     * LockSupport.unpark(owner). LockSupport keeps one permit per thread, which makes the hand-off safe
     * even if that unpark comes before the owner reaches LockSupport.park (tokio needs the mutex for
     * exactly this window). LockSupport.park may return for no reason, and a LockSupport permit left by an
     * unparker that was slow to call LockSupport.unpark may end a later park early; so the owner never
     * trusts a return from LockSupport and loops on its own state word.
     *
     * Possible state transitions:
     *   EMPTY    -> NOTIFIED   unpark(), any thread
     *   NOTIFIED -> NOTIFIED   unpark(), any thread (written anyway: see the ordering argument)
     *   PARKED   -> NOTIFIED   unpark(), any thread, which then calls LockSupport.unpark(owner)
     *   EMPTY    -> PARKED     owner, announcing that it is about to sleep
     *   PARKED   -> EMPTY      owner, leaving after a timeout or an interrupt with no permit
     *   NOTIFIED -> EMPTY      owner, consuming the permit
     * Only the owner writes EMPTY or PARKED; only unpark() writes NOTIFIED. So NOTIFIED is left only by
     * the owner, and once the owner has seen NOTIFIED its consuming CAS cannot fail.
     *
     * No lost wake-up. Every write of STATE is an atomic read-modify-write, so the writes are totally
     * ordered (STATE's modification order) and each one reads the value of its predecessor, whatever its
     * memory mode. Take an unpark U and a park that would sleep. If U's swap comes before the owner's
     * EMPTY -> PARKED CAS, the CAS reads NOTIFIED and the owner consumes the permit without sleeping. If
     * it comes after, U reads PARKED (and calls LockSupport.unpark, so the owner's current or next
     * LockSupport.park returns and the loop re-reads STATE), or reads NOTIFIED (an earlier unpark did
     * that), or reads EMPTY (the owner already left after a timeout or interrupt, and U's NOTIFIED stays
     * for the next park). A timeout racing U: if the owner's PARKED -> EMPTY CAS comes first, the park
     * returns false and U's permit stays; if U comes first, the CAS fails with witness NOTIFIED, and the
     * owner consumes the permit and returns true. Either way exactly one park consumes it (the jcstress
     * test ParkerTests.UnparkVsTimedPark checks this). Liveness after LockSupport.unpark relies on the
     * woken owner's re-read seeing the unparker's swap, as every java.util.concurrent synchronizer does:
     * HotSpot's LockSupport.unpark and park synchronize on the parked thread's mutex (or futex).
     *
     * Ordering. The promise is that actions before unpark() happen-before the return of the park that
     * consumes the permit. The owner consumes with an acquire RMW; being an RMW it reads the last write
     * in STATE's modification order, which is the NOTIFIED of the last unpark (while NOTIFIED only
     * unparks write). That unpark's swap is volatile, so the owner synchronizes with it. Earlier unparks
     * since the previous consumption wrote NOTIFIED too; each later swap is volatile and reads its
     * predecessor's write, so U1 happens-before U2 happens-before ... happens-before the consumer. This
     * chain is why unpark() is a full getAndSet, not getAndSetRelease (a release-only swap does not
     * acquire from the unpark before it), and not a CAS that gives up when it sees NOTIFIED (the last
     * unpark would then write nothing the consumer could synchronize with; tokio's comment on unpark
     * makes the same point). The owner's other CASes (EMPTY -> PARKED, PARKED -> EMPTY) publish nothing:
     * only their atomicity matters, and their acquire mode is needed only when they fail with witness
     * NOTIFIED, after which consume() reads STATE again.
     *
     * blockOn. A CompletionStage gets a whenComplete callback that records the outcome (published by a
     * volatile store) and unparks the owner; a Future that is also a CompletionStage gets a callback that
     * only unparks, and the owner reads the outcome with the Future's own get(). A callback that runs on
     * the owner itself (the stage was complete when whenComplete was called, so it ran synchronously)
     * does not unpark: the owner checks for completion before it parks, and an unpark there would leave
     * a stray permit. A plain Future has no callback, so the owner polls isDone() between timed parks
     * whose length doubles from POLL_MIN_NANOS to POLL_MAX_NANOS. A callback that completes the stage
     * concurrently may still leave a permit after blockOn returned (the owner saw the completion before
     * the callback unparked); like any left-over permit, it makes one later park return early.
     *
     * Exceptions. Nothing here allocates while the state is PARKED, and LockSupport does not throw, so
     * the state word is never left PARKED by an exception. blockOn may throw from whenComplete (a
     * third-party stage) before it parks; a callback registered by a blockOn that then timed out or was
     * interrupted stays registered on the stage and, when the stage completes, unparks the owner once.
     */

    /** No permit, and the owner is not sleeping: an unpark needs only to leave a permit. The initial state. */
    private static final int EMPTY = 0;
    /**
     * No permit, and the owner is asleep in (or about to call) {@code LockSupport.park}: an unpark must
     * wake it. Entered only by the owner, only from EMPTY.
     */
    private static final int PARKED = 1;
    /** A permit is available. Entered only by {@link #unpark()}; left only by the owner, consuming it. */
    private static final int NOTIFIED = 2;

    /** The shortest timed park between two polls of a plain {@link Future}'s {@code isDone()}. */
    private static final long POLL_MIN_NANOS = TimeUnit.MICROSECONDS.toNanos(1);
    /** The longest timed park between two polls of a plain {@link Future}'s {@code isDone()}. */
    private static final long POLL_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** The only thread that may park; final, so safely published with the parker. */
    final Thread owner;
    /** The one handle other threads use; final, so safely published with the parker. */
    private final Unparker unparker;
    /**
     * The permit state. Written only by read-modify-writes through {@link #STATE}: by the owner (EMPTY,
     * PARKED) and by unparkers (NOTIFIED).
     * <pre>
     * state      permit   owner                 left by
     * EMPTY      no       running               owner (to PARKED), unpark (to NOTIFIED)
     * PARKED     no       asleep, or about to   owner on timeout/interrupt (to EMPTY), unpark (to NOTIFIED)
     * NOTIFIED   yes      running, or waking    owner only, consuming the permit (to EMPTY)
     * </pre>
     */
    private volatile int state;

    /**
     * Creates a parker owned by the current thread, with no permit available.
     */
    public Parker() {
        this.owner = Thread.currentThread();
        this.unparker = new Unparker(this);
    }

    /**
     * Returns the handle through which other threads unpark this parker. Every call returns the same
     * object.
     *
     * @return this parker's unparker
     */
    public Unparker unparker() {
        return unparker;
    }

    /**
     * Makes the permit available, if it was not already, and wakes the owner if it is parked. Any thread
     * may call this, any number of times; permits do not accumulate. If the owner is not parked, its next
     * park returns at once, consuming the permit.
     */
    public void unpark() {
        if ((int) STATE.getAndSet(this, NOTIFIED) == PARKED) {
            LockSupport.unpark(owner);
        }
    }

    /**
     * Consumes the permit, waiting for one if none is available.
     *
     * <p>If no permit is available the owner lies dormant until one of two things happens:
     * <ul>
     *   <li>some thread calls {@link #unpark()} (or its {@link Unparker}); the permit is consumed; or</li>
     *   <li>some thread interrupts the owner; no permit is consumed, and the interrupt status stays set.</li>
     * </ul>
     * If the interrupt status is already set and no permit is available, this returns at once. Unlike
     * {@link LockSupport#park()} it does not return spuriously. The caller tells the two apart, if it needs
     * to, with {@link Thread#isInterrupted()}.
     *
     * @throws IllegalStateException if the current thread is not the owner (the thread that created this
     *                               parker)
     */
    public void park() {
        checkOwner();
        if (!tryConsume()) {
            parkSlow(false, 0L);
        }
    }

    /**
     * Consumes the permit, waiting at most {@code nanos} nanoseconds for one if none is available.
     *
     * <p>If no permit is available the owner lies dormant until one of three things happens:
     * <ul>
     *   <li>some thread calls {@link #unpark()} (or its {@link Unparker}): the permit is consumed and this
     *       returns {@code true};</li>
     *   <li>some thread interrupts the owner: this returns {@code false} with the interrupt status set;
     *       or</li>
     *   <li>the timeout elapses: this returns {@code false}.</li>
     * </ul>
     * A permit available when the wait ends is always consumed (the result is then {@code true}), even if
     * the timeout elapsed or the owner was interrupted at the same time. A {@code nanos} of zero or less
     * only polls: it consumes a permit if one is available and never waits. {@link Long#MAX_VALUE} waits
     * without a time limit. The timeout is measured with {@link System#nanoTime()} and never ends early.
     *
     * @param nanos the maximum time to wait, in nanoseconds
     * @return {@code true} if a permit was consumed, {@code false} on timeout or interrupt
     * @throws IllegalStateException if the current thread is not the owner (the thread that created this
     *                               parker)
     */
    public boolean parkNanos(long nanos) {
        checkOwner();
        return parkTimed(nanos);
    }

    /**
     * Consumes the permit, waiting at most {@code timeout} for one if none is available; exactly as
     * {@link #parkNanos(long)} with the timeout in nanoseconds (a duration too long for a {@code long} of
     * nanoseconds, about 292 years, waits without a time limit).
     *
     * @param timeout the maximum time to wait
     * @return {@code true} if a permit was consumed, {@code false} on timeout or interrupt
     * @throws NullPointerException  if {@code timeout} is null
     * @throws IllegalStateException if the current thread is not the owner (the thread that created this
     *                               parker)
     */
    public boolean park(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        checkOwner();
        return parkTimed(TimeUnit.NANOSECONDS.convert(timeout)); // saturates at Long.MIN/MAX_VALUE
    }

    // ---------------------------------------------------------------------------------------------
    // blockOn

    /**
     * Parks the owner until {@code stage} completes, and returns its result as {@link Future#get()}
     * would.
     *
     * <p>The owner registers a completion callback ({@code stage.whenComplete}) that unparks it, then
     * lies dormant until the stage completes or the owner is interrupted. The waiting uses this parker:
     * an unpark from elsewhere only makes the owner check the stage again, and a permit may be left
     * behind (see the class description).
     *
     * @param <T>   the result type
     * @param stage the stage to wait for
     * @return the stage's result
     * @throws NullPointerException  if {@code stage} is null
     * @throws IllegalStateException if the current thread is not the owner
     * @throws InterruptedException  if the owner is interrupted before or while waiting for an incomplete
     *                               stage; the interrupt status is cleared
     * @throws ExecutionException    if the stage completed exceptionally; its cause is the stage's
     *                               exception, unwrapped from a {@link CompletionException}
     * @throws CancellationException if the stage was cancelled
     */
    public <T> T blockOn(CompletionStage<T> stage) throws InterruptedException, ExecutionException {
        Objects.requireNonNull(stage, "stage");
        checkOwner();
        Completion<T> completion = new Completion<>(this);
        stage.whenComplete(completion);
        while (!completion.done) {
            Timeouts.throwIfInterrupted();
            parkUntimed();
        }
        return completion.report();
    }

    /**
     * Parks the owner until {@code stage} completes or {@code timeout} elapses, and returns its result as
     * {@link Future#get(long, TimeUnit)} would. As {@link #blockOn(CompletionStage)}, with a time limit:
     * a timeout of zero or less only checks whether the stage is complete.
     *
     * @param <T>     the result type
     * @param stage   the stage to wait for
     * @param timeout the maximum time to wait
     * @return the stage's result
     * @throws NullPointerException  if {@code stage} or {@code timeout} is null
     * @throws IllegalStateException if the current thread is not the owner
     * @throws InterruptedException  if the owner is interrupted before or while waiting for an incomplete
     *                               stage; the interrupt status is cleared
     * @throws ExecutionException    if the stage completed exceptionally; its cause is the stage's
     *                               exception, unwrapped from a {@link CompletionException}
     * @throws CancellationException if the stage was cancelled
     * @throws TimeoutException      if the stage did not complete in time
     */
    public <T> T blockOn(CompletionStage<T> stage, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(timeout, "timeout");
        checkOwner();
        // convert saturates; clamping at zero keeps the deadline arithmetic from wrapping
        long nanos = Math.max(0L, TimeUnit.NANOSECONDS.convert(timeout));
        Completion<T> completion = new Completion<>(this);
        stage.whenComplete(completion);
        long deadline = Timeouts.deadline(nanos);
        while (!completion.done) {
            Timeouts.throwIfInterrupted();
            if (nanos == Timeouts.FOREVER) {
                parkUntimed();
            } else {
                long remaining = Timeouts.remaining(deadline);
                if (remaining <= 0L) {
                    throw new TimeoutException();
                }
                parkTimed(remaining);
            }
        }
        return completion.report();
    }

    /**
     * Parks the owner until {@code future} is done, and returns {@code future.get()}.
     *
     * <p>If the future is also a {@link CompletionStage} (a {@link CompletableFuture}, say), the owner
     * registers a completion callback that unparks it and lies dormant until the future completes or the
     * owner is interrupted. A plain {@code Future} offers no callback: the owner then polls
     * {@link Future#isDone()} between timed parks that start at one microsecond and double up to one
     * millisecond, so it notices completion up to about a millisecond late (an unpark of this parker
     * makes it look at once). The result, or the exception, is whatever the future's own {@code get()}
     * reports once it is done.
     *
     * @param <T>    the result type
     * @param future the future to wait for
     * @return the future's result
     * @throws NullPointerException  if {@code future} is null
     * @throws IllegalStateException if the current thread is not the owner
     * @throws InterruptedException  if the owner is interrupted before or while waiting for an incomplete
     *                               future; the interrupt status is cleared
     * @throws ExecutionException    if the computation threw an exception
     * @throws CancellationException if the future was cancelled
     */
    public <T> T blockOn(Future<T> future) throws InterruptedException, ExecutionException {
        Objects.requireNonNull(future, "future");
        checkOwner();
        try {
            return awaitFuture(future, Timeouts.FOREVER);
        } catch (TimeoutException e) {
            throw new AssertionError("untimed wait timed out", e);
        }
    }

    /**
     * Parks the owner until {@code future} is done or {@code timeout} elapses, and returns
     * {@code future.get()}. As {@link #blockOn(Future)}, with a time limit: a timeout of zero or less
     * only checks whether the future is done.
     *
     * @param <T>     the result type
     * @param future  the future to wait for
     * @param timeout the maximum time to wait
     * @return the future's result
     * @throws NullPointerException  if {@code future} or {@code timeout} is null
     * @throws IllegalStateException if the current thread is not the owner
     * @throws InterruptedException  if the owner is interrupted before or while waiting for an incomplete
     *                               future; the interrupt status is cleared
     * @throws ExecutionException    if the computation threw an exception
     * @throws CancellationException if the future was cancelled
     * @throws TimeoutException      if the future was not done in time
     */
    public <T> T blockOn(Future<T> future, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        Objects.requireNonNull(future, "future");
        Objects.requireNonNull(timeout, "timeout");
        checkOwner();
        // convert saturates; clamping at zero keeps the deadline arithmetic from wrapping
        return awaitFuture(future, Math.max(0L, TimeUnit.NANOSECONDS.convert(timeout)));
    }

    /**
     * Parks the owner until {@code future} completes, and returns {@code future.get()}: the same as
     * {@link #blockOn(Future)}. This overload exists because a {@code CompletableFuture} is both a
     * {@code Future} and a {@code CompletionStage}, which would make a call with one ambiguous.
     *
     * @param <T>    the result type
     * @param future the future to wait for
     * @return the future's result
     * @throws NullPointerException  if {@code future} is null
     * @throws IllegalStateException if the current thread is not the owner
     * @throws InterruptedException  if the owner is interrupted before or while waiting for an incomplete
     *                               future; the interrupt status is cleared
     * @throws ExecutionException    if the future completed exceptionally
     * @throws CancellationException if the future was cancelled
     */
    public <T> T blockOn(CompletableFuture<T> future) throws InterruptedException, ExecutionException {
        Future<T> plain = future; // selects the Future overload
        return blockOn(plain);
    }

    /**
     * Parks the owner until {@code future} completes or {@code timeout} elapses, and returns
     * {@code future.get()}: the same as {@link #blockOn(Future, Duration)}, for the reason given at
     * {@link #blockOn(CompletableFuture)}.
     *
     * @param <T>     the result type
     * @param future  the future to wait for
     * @param timeout the maximum time to wait
     * @return the future's result
     * @throws NullPointerException  if {@code future} or {@code timeout} is null
     * @throws IllegalStateException if the current thread is not the owner
     * @throws InterruptedException  if the owner is interrupted before or while waiting for an incomplete
     *                               future; the interrupt status is cleared
     * @throws ExecutionException    if the future completed exceptionally
     * @throws CancellationException if the future was cancelled
     * @throws TimeoutException      if the future did not complete in time
     */
    public <T> T blockOn(CompletableFuture<T> future, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        Future<T> plain = future; // selects the Future overload
        return blockOn(plain, timeout);
    }

    /**
     * Returns a string naming the owner and the permit state, for debugging.
     *
     * @return a description such as {@code Parker[thread=#23,worker,state=EMPTY]}
     */
    @Override
    public String toString() {
        int s = state;
        String name = s == EMPTY ? "EMPTY" : s == PARKED ? "PARKED" : "NOTIFIED";
        return "Parker[thread=" + describe(owner) + ",state=" + name + "]";
    }

    // ---------------------------------------------------------------------------------------------
    // Slow paths and helpers

    /** Identifies a thread by id and name (a virtual thread's name is usually empty). */
    static String describe(Thread thread) {
        String name = thread.getName();
        return "#" + thread.threadId() + (name.isEmpty() ? "" : "," + name);
    }

    private void checkOwner() {
        Thread current = Thread.currentThread();
        if (current != owner) {
            throw new IllegalStateException("Parker owned by thread " + describe(owner)
                    + " cannot be parked on by thread " + describe(current));
        }
    }

    /** Consumes the permit if one is available. Owner only. */
    private boolean tryConsume() {
        // acquire: being an RMW it reads the last unpark's volatile swap, and synchronizes with it
        return (int) STATE.compareAndExchangeAcquire(this, NOTIFIED, EMPTY) == NOTIFIED;
    }

    /** Consumes the permit; the caller has seen NOTIFIED, which only the owner can leave. */
    private boolean consume() {
        int previous = (int) STATE.getAndSetAcquire(this, EMPTY); // acquire: pairs with the last unpark
        assert previous == NOTIFIED : previous;
        return true;
    }

    /** {@link #park()} without the owner check. */
    private void parkUntimed() {
        if (!tryConsume()) {
            parkSlow(false, 0L);
        }
    }

    /** {@link #parkNanos(long)} without the owner check. */
    private boolean parkTimed(long nanos) {
        if (tryConsume()) {
            return true;
        }
        if (nanos <= 0L) {
            return false;
        }
        return parkSlow(nanos != Timeouts.FOREVER, nanos);
    }

    /**
     * Sleeps until a permit arrives (consuming it), the owner is interrupted, or, if {@code timed}, the
     * nanoseconds elapse. Owner only.
     *
     * @return whether a permit was consumed
     */
    private boolean parkSlow(boolean timed, long nanos) {
        final long deadline = timed ? Timeouts.deadline(nanos) : 0L;
        int witness = (int) STATE.compareAndExchangeAcquire(this, EMPTY, PARKED); // only atomicity counts (see notes)
        if (witness != EMPTY) {
            return consume(); // NOTIFIED: an unpark arrived since tryConsume()
        }
        for (;;) {
            if (owner.isInterrupted()) {
                break;
            }
            if (timed) {
                long remaining = Timeouts.remaining(deadline);
                if (remaining <= 0L) {
                    break;
                }
                LockSupport.parkNanos(this, remaining);
            } else {
                LockSupport.park(this);
            }
            if (tryConsume()) {
                return true;
            }
            // Still PARKED: a spurious return, or a stale LockSupport permit. Sleep again.
        }
        witness = (int) STATE.compareAndExchangeAcquire(this, PARKED, EMPTY); // only atomicity counts (see notes)
        if (witness == PARKED) {
            return false; // timed out or interrupted, and no unpark came first: nothing consumed
        }
        return consume(); // an unpark won the race: its permit is ours
    }

    /**
     * The body of both {@code blockOn(Future)} methods; {@code nanos} is at least zero, and
     * {@code Long.MAX_VALUE} never times out.
     */
    private <T> T awaitFuture(Future<T> future, long nanos)
            throws InterruptedException, ExecutionException, TimeoutException {
        final boolean timed = nanos != Timeouts.FOREVER;
        final long deadline = Timeouts.deadline(nanos);
        final boolean callback = future instanceof CompletionStage<?>;
        if (callback && !future.isDone()) {
            CompletionStage<?> stage = (CompletionStage<?>) future;
            stage.whenComplete(new Completion<Object>(this));
        }
        long poll = POLL_MIN_NANOS;
        while (!future.isDone()) {
            Timeouts.throwIfInterrupted();
            long wait = callback ? Timeouts.FOREVER : poll;
            if (timed) {
                long remaining = Timeouts.remaining(deadline);
                if (remaining <= 0L) {
                    throw new TimeoutException();
                }
                wait = Math.min(wait, remaining);
            }
            if (wait == Timeouts.FOREVER) {
                parkUntimed();
            } else {
                parkTimed(wait);
            }
            if (!callback) {
                poll = Math.min(poll << 1, POLL_MAX_NANOS);
            }
        }
        return future.get();
    }

    /**
     * The completion callback of {@code blockOn}: records the outcome, then unparks the owner unless it
     * runs on the owner itself (then the owner is not parked and checks {@link #done} before it parks).
     */
    private static final class Completion<T> implements BiConsumer<T, Throwable> {
        private final Parker parker;
        /** The result; written before the volatile store of {@link #done}, read after its volatile load. */
        private T value;
        /** The exception, or null; written and read as {@link #value} is. */
        private Throwable failure;
        /** Set once the stage has completed; the volatile store publishes value and failure. */
        private volatile boolean done;

        Completion(Parker parker) {
            this.parker = parker;
        }

        @Override
        public void accept(T result, Throwable exception) {
            value = result;
            failure = exception;
            done = true;
            if (Thread.currentThread() != parker.owner) {
                parker.unpark();
            }
        }

        /** Reports the outcome as {@code CompletableFuture.get()} does. Call after reading {@code done}. */
        T report() throws ExecutionException {
            Throwable x = failure;
            if (x == null) {
                return value;
            }
            if (x instanceof CancellationException cancelled) {
                throw cancelled;
            }
            Throwable cause = x.getCause();
            if (x instanceof CompletionException && cause != null) {
                x = cause;
            }
            throw new ExecutionException(x);
        }
    }

    // VarHandle mechanics
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Parker.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        // Reduce the risk of rare disastrous classloading in first call to LockSupport.park: JDK-8074773
        Class<?> ensureLoaded = LockSupport.class;
    }
}
