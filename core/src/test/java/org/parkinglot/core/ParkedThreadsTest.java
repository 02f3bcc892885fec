package org.parkinglot.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ParkingLot#parkedThreads()}: the snapshot lists each queued thread with its key, lane, park
 * token and sleeping state; two snapshots see the same wait while the thread stays queued, a new one
 * after it parks again, and the new key after a requeue.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ParkedThreadsTest {

    /** Waits (30 s at most) until a snapshot holds exactly one entry of {@code t} matching {@code p}. */
    private static ParkedThread awaitEntry(Thread t, Predicate<ParkedThread> p) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() - end < 0L) {
            List<ParkedThread> mine = ParkingLot.parkedThreads().stream().filter(e -> e.thread() == t).toList();
            if (mine.size() == 1 && p.test(mine.get(0))) {
                return mine.get(0);
            }
            Thread.sleep(1);
        }
        fail("no matching entry of " + t.getName() + " in " + ParkingLot.parkedThreads());
        return null;
    }

    /** A sleeping thread is listed under its key with its token; the same wait twice; gone once unparked. */
    @Test
    void aParkedThreadIsListedUntilUnparked() throws Exception {
        Object key = new Object();
        Thread t = Thread.ofPlatform().daemon().start(() -> ParkingLot.park(key, 3L, () -> true, () -> { },
                (k, l, last) -> { }, 42L, ParkingLot.FOREVER, false));
        ParkedThread first = awaitEntry(t, ParkedThread::sleeping);
        assertTrue(first.key() == key);
        assertEquals(3L, first.lane());
        assertEquals(42L, first.parkToken());
        assertTrue(first.toString().contains(t.getName()), first::toString);
        ParkedThread again = awaitEntry(t, e -> true);
        assertTrue(again.sameWait(first) && first.sameWait(again));
        ParkingLot.unparkAll(key, 3L, 0L);
        t.join();
        assertTrue(ParkingLot.parkedThreads().stream().noneMatch(e -> e.thread() == t));
    }

    /** A thread that parks again is a new wait; a requeued one is listed under its new key, as another wait. */
    @Test
    void aNewParkOrARequeueIsAnotherWait() throws Exception {
        Object from = new Object();
        Object to = new Object();
        Thread t = Thread.ofVirtual().start(() -> {
            ParkingLot.park(from, () -> true);
            ParkingLot.park(from, () -> true);
        });
        ParkedThread first = awaitEntry(t, ParkedThread::sleeping);
        ParkingLot.unparkAll(from);
        ParkedThread second = awaitEntry(t, e -> e.sleeping() && !e.sameWait(first));
        assertTrue(second.key() == from);
        ParkingLot.unparkRequeue(from, 0L, to, 0L, () -> RequeueOp.REQUEUE_ALL, (op, r) -> 0L);
        ParkedThread moved = awaitEntry(t, e -> e.key() == to);
        assertFalse(moved.sameWait(second), "a requeue changes the key");
        assertTrue(moved.sleeping());
        ParkingLot.unparkAll(to);
        t.join();
    }

    /** The snapshot refuses to run under a bucket lock. */
    @Test
    void notFromACallback() {
        Object key = new Object();
        assertThrows(IllegalStateException.class, () -> ParkingLot.unparkOne(key, 0L, r -> {
            ParkingLot.parkedThreads();
            return 0L;
        }));
    }
}
