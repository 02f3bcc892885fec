package org.parkinglot.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SmokeTest {
    /** A parked thread receives the token an unparkOne hands it. */
    @Test
    @Timeout(10)
    void parkThenUnparkOneDeliversToken() throws Exception {
        Object key = new Object();
        ParkResult[] out = new ParkResult[1];
        Thread t = new Thread(() -> out[0] = ParkingLot.park(key, 0, () -> true, () -> { }, (k, l, w) -> { }, 0, ParkingLot.FOREVER, false));
        t.start();
        while (ParkingLot.queueLength(key, 0) == 0) {
            Thread.sleep(1);
        }
        UnparkResult r = ParkingLot.unparkOne(key, 0, res -> 42L);
        t.join();
        assertEquals(1, r.unparkedThreads());
        assertEquals(ParkResult.unparked(42), out[0]);
        assertEquals(ParkResult.TIMED_OUT, ParkingLot.park(key, 0, () -> true, () -> { }, (k, l, w) -> { }, 0, TimeUnit.MILLISECONDS.toNanos(5), false));
    }
}
