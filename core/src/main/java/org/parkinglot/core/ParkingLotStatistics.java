package org.parkinglot.core;

/**
 * A snapshot of the parking lot's counters, from {@link ParkingLot#statistics()}; the same numbers are
 * the attributes of the {@link ParkingLotMXBean}.
 *
 * <p>The counters count since the parking lot was initialised (once per class loader that loads
 * it) and never decrease: no count is lost or repeated when the table grows or shrinks. They count
 * only what reaches the parking lot: a lock acquired or released on its fast path (no thread waiting)
 * is not seen here, nor is a thread that spins and then gets the lock without parking, nor the
 * standalone {@link Parker}, which does not use the parking lot. A snapshot takes no lock, so it is
 * not atomic: while other threads park and unpark, its numbers were read at slightly different
 * moments (each one is a value its counter really had, and none is smaller than in an earlier
 * snapshot). When no parking-lot operation is in flight,
 * {@code queuedThreads == parks - unparks - timeouts - interrupts - abortedParks}.
 *
 * <p>Publishing: {@link ParkingLot#registerMXBean()}, or the system property
 * {@code -D}{@value ParkingLotMXBean#JMX_PROPERTY}{@code =true} (read when the parking lot initialises),
 * registers the {@link ParkingLotMXBean} as {@value ParkingLotMXBean#OBJECT_NAME} for JConsole, VisualVM
 * and JMX exporters. Nothing is registered otherwise, and the {@code java.management} module is needed
 * (and its classes loaded) only to register. Cost: an event is counted with a few plain stores to the
 * bucket whose lock the operation already holds; the locks' fast paths never reach the parking lot.
 *
 * <p>A park that returns at once without queuing (a timeout of zero or less, or an interrupt already
 * pending on entry to an interruptible park) is counted in none of these numbers; a park refused by
 * its {@code validate} callback is counted in {@code invalidParks} only.
 *
 * @param parks         threads a park queued (they went to sleep, or were about to)
 * @param invalidParks  parks whose {@code validate} returned {@code false}, so that the thread did not
 *                      queue
 * @param unparks       queued threads that an unpark operation ({@code unparkOne}, {@code unparkAll},
 *                      {@code unparkRequeue} or {@code unparkFilter}) chose to wake
 * @param fairUnparks   unpark operations (not threads) whose {@link UnparkResult#beFair()} was
 *                      {@code true}: the bucket's fair timeout had expired, so an eventually fair lock
 *                      handed itself directly to the woken thread. Locks that hand off on every unlock
 *                      ({@code RawFairMutex}, {@code unlockFair}) do so on other unparks too, which this
 *                      does not count; {@code unparkAll} never reports {@code beFair}
 * @param requeues      queued threads that {@code unparkRequeue} moved to another key without waking them
 *                      (a condition variable's {@code notifyAll} moving waiters onto its mutex)
 * @param timeouts      queued threads that left their queue because their timeout elapsed
 * @param interrupts    queued threads that left their queue because they were interrupted (interruptible
 *                      parks only)
 * @param abortedParks  queued threads that left their queue because their {@code beforeSleep} callback
 *                      threw
 * @param queuedThreads threads queued in the parking lot now (derived from the counters above; exact when
 *                      no operation is in flight, never negative)
 * @param queuedKeys    distinct keys with threads queued now
 * @param buckets       the number of buckets of the hash table now
 * @param longestChain  the most distinct keys seen sharing one bucket (the chain a park, an unpark or a
 *                      requeue scans to find its key), observed whenever a key queue started in a bucket
 *                      and when the table was resized
 * @param grows         how many times the table grew
 * @param shrinks       how many times the table shrank
 */
public record ParkingLotStatistics(long parks, long invalidParks, long unparks, long fairUnparks, long requeues,
                                   long timeouts, long interrupts, long abortedParks, long queuedThreads,
                                   long queuedKeys, int buckets, int longestChain, long grows, long shrinks) {
}
