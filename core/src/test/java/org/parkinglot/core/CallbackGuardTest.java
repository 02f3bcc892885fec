package org.parkinglot.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Which callbacks the guard trusts never to call the lot (so that, while only those are used, no
 * thread needs a per-thread map): the no-op default only among the lot's own; the adapters that wrap
 * user code, and user classes, are not. A trusted operation called from a user callback is still
 * refused (every operation is, see Issue13Test).
 */
class CallbackGuardTest {

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void onlyTheDefaultsAndTheLocksCallbacksAreTrusted() {
        assertTrue(CallbackGuard.trusted(CallbackAdapters.Defaults.class));
        assertFalse(CallbackGuard.trusted(CallbackAdapters.WordEquals.class));
        assertFalse(CallbackGuard.trusted(CallbackAdapters.SeparateCallbacks.class));
        BooleanSupplier user = () -> true;
        assertFalse(CallbackGuard.trusted(user.getClass()));
        assertFalse(CallbackGuard.trusted(CallbackGuardTest.class));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void trustedUnparkFromAUserValidateIsRefused() {
        Object key = new Object();
        Throwable[] inner = new Throwable[1];
        ParkResult r = ParkingLot.park(key, () -> {
            try {
                ParkingLot.unparkOne(new Object()); // the Defaults callback: a trusted operation
            } catch (Throwable e) {
                inner[0] = e;
            }
            return false;
        });
        assertTrue(r == ParkResult.INVALID, String.valueOf(r));
        assertInstanceOf(IllegalStateException.class, inner[0]);
    }
}
