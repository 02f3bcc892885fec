package org.parkinglot.core;

import java.util.Optional;

/**
 * The JMX side of {@link ParkingLot}, kept out of it: registering the {@link ParkingLotMXBean} on
 * request, and the check that {@code java.management} is present before {@link ParkingLotJmx} (the only
 * class that names its types) is loaded. This class names no {@code java.management} type, so loading it
 * loads nothing of JMX.
 */
final class ParkingLotManagement {

    private ParkingLotManagement() {
    }

    /** {@link ParkingLot#registerMXBean()}. */
    static boolean register() {
        requireManagement();
        return ParkingLotJmx.register();
    }

    /** {@link ParkingLot#unregisterMXBean()}. */
    static boolean unregister() {
        requireManagement();
        return ParkingLotJmx.unregister();
    }

    /**
     * Registers the MXBean if the system property {@value ParkingLotMXBean#JMX_PROPERTY} is
     * {@code true}; called when ParkingLot initialises (and by tests). A failure is logged as a
     * warning, never thrown: the parking lot must initialise without its MXBean rather than not at all.
     */
    static void registerIfRequested() {
        try {
            if (Boolean.getBoolean(ParkingLotMXBean.JMX_PROPERTY)) {
                register();
            }
        } catch (RuntimeException e) {
            System.getLogger(ParkingLot.class.getName()).log(System.Logger.Level.WARNING,
                    "-D" + ParkingLotMXBean.JMX_PROPERTY + "=true: cannot register the parking lot's MXBean", e);
        }
    }

    /**
     * Throws unless {@code java.management} is in this JVM, and makes this module read it (a module
     * that requires it {@code static} reads it when it is resolved; one in a custom layer may not).
     */
    private static void requireManagement() {
        Module self = ParkingLot.class.getModule();
        ModuleLayer layer = self.getLayer() != null ? self.getLayer() : ModuleLayer.boot();
        Optional<Module> management = layer.findModule("java.management");
        if (management.isEmpty()) {
            throw new UnsupportedOperationException("the java.management module is not in this JVM's module "
                    + "graph: run with --add-modules java.management to use the parking lot's MXBean");
        }
        self.addReads(management.get()); // no-op if it reads it already (always, on the class path)
    }
}
