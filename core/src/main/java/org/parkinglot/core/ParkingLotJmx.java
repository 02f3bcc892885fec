package org.parkinglot.core;

import java.lang.management.ManagementFactory;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The {@link ParkingLotMXBean} implementation and its registration in the platform MBean server: the
 * only class of this module that names a type of {@code java.management}, so that module's classes load
 * only when someone registers the MXBean (core's module descriptor requires it {@code static}).
 * {@link ParkingLot} checks that the module is present before it calls here.
 */
final class ParkingLotJmx implements ParkingLotMXBean {

    /*
     * Idempotence without a lock: the MBean server refuses a second registration under the same name
     * (InstanceAlreadyExistsException) and a second unregistration (InstanceNotFoundException), and its
     * registry is thread-safe, so racing callers see exactly one success. The server holds the
     * instance, which holds nothing: every getter reads ParkingLot.statistics() afresh.
     */

    private ParkingLotJmx() {
    }

    /** {@link ParkingLot#registerMXBean()}, once java.management is known to be readable. */
    static boolean register() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            server.registerMBean(new ParkingLotJmx(), name());
            return true;
        } catch (InstanceAlreadyExistsException e) {
            return false;
        } catch (JMException e) {
            // MBeanRegistrationException, NotCompliantMBeanException: neither can happen to this class
            throw new IllegalStateException("cannot register " + ParkingLotMXBean.OBJECT_NAME, e);
        }
    }

    /** {@link ParkingLot#unregisterMXBean()}, once java.management is known to be readable. */
    static boolean unregister() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            server.unregisterMBean(name());
            return true;
        } catch (InstanceNotFoundException e) {
            return false;
        } catch (JMException e) {
            throw new IllegalStateException("cannot unregister " + ParkingLotMXBean.OBJECT_NAME, e);
        }
    }

    private static ObjectName name() throws JMException {
        return new ObjectName(ParkingLotMXBean.OBJECT_NAME);
    }

    @Override
    public long getParks() {
        return ParkingLot.statistics().parks();
    }

    @Override
    public long getInvalidParks() {
        return ParkingLot.statistics().invalidParks();
    }

    @Override
    public long getUnparks() {
        return ParkingLot.statistics().unparks();
    }

    @Override
    public long getFairUnparks() {
        return ParkingLot.statistics().fairUnparks();
    }

    @Override
    public long getRequeues() {
        return ParkingLot.statistics().requeues();
    }

    @Override
    public long getTimeouts() {
        return ParkingLot.statistics().timeouts();
    }

    @Override
    public long getInterrupts() {
        return ParkingLot.statistics().interrupts();
    }

    @Override
    public long getAbortedParks() {
        return ParkingLot.statistics().abortedParks();
    }

    @Override
    public long getQueuedThreads() {
        return ParkingLot.statistics().queuedThreads();
    }

    @Override
    public long getQueuedKeys() {
        return ParkingLot.statistics().queuedKeys();
    }

    @Override
    public int getBuckets() {
        return ParkingLot.statistics().buckets();
    }

    @Override
    public int getLongestChain() {
        return ParkingLot.statistics().longestChain();
    }

    @Override
    public long getGrows() {
        return ParkingLot.statistics().grows();
    }

    @Override
    public long getShrinks() {
        return ParkingLot.statistics().shrinks();
    }
}
