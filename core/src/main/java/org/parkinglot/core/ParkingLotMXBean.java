package org.parkinglot.core;

/**
 * The parking lot's counters as a platform MXBean, for JConsole, VisualVM and JMX exporters: registered
 * under {@value #OBJECT_NAME} by {@link ParkingLot#registerMXBean()}, or when the parking lot initialises
 * if the system property {@value #JMX_PROPERTY} is {@code true}. Each attribute is the
 * {@link ParkingLotStatistics} component of the same name; see there for what it counts.
 *
 * <p>Each attribute read takes its own snapshot ({@link ParkingLot#statistics()}: no lock, work
 * proportional to the number of buckets, which follows the number of keys with threads queued), so two
 * attributes read one after the other may disagree slightly while threads park and unpark; code that
 * needs one consistent set reads {@link ParkingLot#statistics()} instead.
 *
 * <p>This interface uses no type of {@code java.management}: the parking lot loads the management
 * classes only when the MXBean is registered.
 */
public interface ParkingLotMXBean {

    /** The {@code javax.management.ObjectName} the MXBean is registered under. */
    String OBJECT_NAME = "org.parkinglot:type=ParkingLot";

    /** The system property that, set to {@code true}, registers the MXBean when the parking lot initialises. */
    String JMX_PROPERTY = "org.parkinglot.jmx";

    /**
     * Returns {@link ParkingLotStatistics#parks()}.
     *
     * @return threads a park queued
     */
    long getParks();

    /**
     * Returns {@link ParkingLotStatistics#invalidParks()}.
     *
     * @return parks refused by their {@code validate} callback
     */
    long getInvalidParks();

    /**
     * Returns {@link ParkingLotStatistics#unparks()}.
     *
     * @return queued threads an unpark operation chose to wake
     */
    long getUnparks();

    /**
     * Returns {@link ParkingLotStatistics#fairUnparks()}.
     *
     * @return unpark operations that reported {@code beFair}
     */
    long getFairUnparks();

    /**
     * Returns {@link ParkingLotStatistics#requeues()}.
     *
     * @return threads moved to another key without waking
     */
    long getRequeues();

    /**
     * Returns {@link ParkingLotStatistics#timeouts()}.
     *
     * @return queued threads that left on their timeout
     */
    long getTimeouts();

    /**
     * Returns {@link ParkingLotStatistics#interrupts()}.
     *
     * @return queued threads that left on an interrupt
     */
    long getInterrupts();

    /**
     * Returns {@link ParkingLotStatistics#abortedParks()}.
     *
     * @return queued threads that left because {@code beforeSleep} threw
     */
    long getAbortedParks();

    /**
     * Returns {@link ParkingLotStatistics#queuedThreads()}.
     *
     * @return threads queued now
     */
    long getQueuedThreads();

    /**
     * Returns {@link ParkingLotStatistics#queuedKeys()}.
     *
     * @return distinct keys with threads queued now
     */
    long getQueuedKeys();

    /**
     * Returns {@link ParkingLotStatistics#buckets()}.
     *
     * @return the number of buckets now
     */
    int getBuckets();

    /**
     * Returns {@link ParkingLotStatistics#longestChain()}.
     *
     * @return the most keys seen sharing one bucket
     */
    int getLongestChain();

    /**
     * Returns {@link ParkingLotStatistics#grows()}.
     *
     * @return how many times the table grew
     */
    long getGrows();

    /**
     * Returns {@link ParkingLotStatistics#shrinks()}.
     *
     * @return how many times the table shrank
     */
    long getShrinks();
}
