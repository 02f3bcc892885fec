package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parkinglot.locks.MutexTestSupport.awaitTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jol.info.GraphLayout;
import org.parkinglot.locks.MutexTestSupport.TestThreads;

/**
 * Unit tests of {@link StripedMutex}: sizing, key-to-stripe mapping, {@code bulkGet}, fairness, misuse,
 * timeouts and interrupts through the stripes, virtual threads, and the footprint.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StripedMutexTest {

    /** The threads of the current test; closed (interrupted and joined) after each test. */
    private final TestThreads threads = new TestThreads();

    @AfterEach
    void closeThreads() {
        threads.close();
    }

    /** The stripe count is rounded up to a power of two, as Guava does. */
    @ParameterizedTest
    @CsvSource({"1,1", "2,2", "3,4", "16,16", "17,32", "1000,1024", "1048576,1048576"})
    void sizeIsRoundedUpToAPowerOfTwo(int stripes, int size) {
        assertEquals(size, new StripedMutex(stripes).size());
        assertEquals(size, new StripedMutex(stripes, true).size());
    }

    /** Zero, negative and too many stripes are refused with IllegalArgumentException. */
    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE, StripedMutex.MAX_STRIPES + 1, Integer.MAX_VALUE})
    void badStripeCountsAreRefused(int stripes) {
        assertThrows(IllegalArgumentException.class, () -> new StripedMutex(stripes));
        assertThrows(IllegalArgumentException.class, () -> new StripedMutex(stripes, true));
    }

    /** A null key, null keys and a null key inside keys are refused with NullPointerException. */
    @Test
    void nullKeysAreRefused() {
        StripedMutex s = new StripedMutex(8);
        assertThrows(NullPointerException.class, () -> s.get(null));
        assertThrows(NullPointerException.class, () -> s.bulkGet(null));
        assertThrows(NullPointerException.class, () -> s.bulkGet(Arrays.asList("a", null)));
    }

    /** getAt refuses an index outside 0 to size() - 1 with IndexOutOfBoundsException. */
    @Test
    void getAtChecksTheIndex() {
        StripedMutex s = new StripedMutex(5);
        assertThrows(IndexOutOfBoundsException.class, () -> s.getAt(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> s.getAt(8));
        s.getAt(7).lock();
        s.getAt(7).unlock();
    }

    /** Equal keys get the same stripe (equal views, one lock): the second cannot be taken while the first is held. */
    @Test
    void equalKeysShareAStripe() {
        StripedMutex s = new StripedMutex(64);
        Lock a = s.get(new String("account-42"));
        Lock b = s.get("account-42");
        assertEquals(a, b);
        assertEquals(s.getAt(s.indexFor("account-42")), a);
        a.lock();
        assertFalse(b.tryLock());
        b.unlock();
        assertTrue(a.tryLock());
        a.unlock();
    }

    /** Keys spread over the stripes: 64,000 consecutive integers fill each of 64 stripes within 20% of 1,000. */
    @Test
    void keysSpreadEvenly() {
        StripedMutex s = new StripedMutex(64);
        int[] counts = new int[64];
        for (int k = 0; k < 64_000; k++) {
            counts[s.indexFor(k)]++;
        }
        for (int i = 0; i < 64; i++) {
            assertTrue(counts[i] >= 800 && counts[i] <= 1200, "stripe " + i + ": " + counts[i]);
        }
        int[] multiples = new int[64]; // hash codes differing only in high bits still spread
        for (int k = 0; k < 6_400; k++) {
            multiples[s.indexFor(k << 16)]++;
        }
        for (int i = 0; i < 64; i++) {
            assertTrue(multiples[i] >= 50 && multiples[i] <= 150, "stripe " + i + ": " + multiples[i]);
        }
    }

    /** bulkGet returns each stripe of the keys once, in ascending index order, in an unmodifiable list. */
    @Test
    void bulkGetIsSortedAndDistinct() {
        StripedMutex s = new StripedMutex(16);
        List<Object> keys = new ArrayList<>();
        for (int k = 0; k < 100; k++) {
            keys.add("key-" + (k % 40));
        }
        List<Lock> stripes = new ArrayList<>();
        s.bulkGet(keys).forEach(stripes::add);
        List<Lock> expected = new ArrayList<>();
        boolean[] used = new boolean[16];
        for (Object key : keys) {
            used[s.indexFor(key)] = true;
        }
        for (int i = 0; i < 16; i++) {
            if (used[i]) {
                expected.add(s.getAt(i));
            }
        }
        assertEquals(expected, stripes);
        assertFalse(s.bulkGet(List.of()).iterator().hasNext());
        Iterable<Lock> one = s.bulkGet(List.of("x", "x"));
        assertEquals(List.of(s.get("x")), one);
        assertThrows(UnsupportedOperationException.class, () -> ((List<Lock>) one).clear());
        // all stripes of a bulk can be locked by one thread: no stripe twice
        for (Lock l : stripes) {
            assertTrue(l.tryLock());
        }
        for (Lock l : stripes) {
            l.unlock();
        }
    }

    /** An unlock of an unlocked stripe throws IllegalMonitorStateException. */
    @Test
    void unlockOfUnlockedStripeThrows() {
        assertThrows(IllegalMonitorStateException.class, () -> new StripedMutex(4).get("k").unlock());
        assertThrows(IllegalMonitorStateException.class, () -> new StripedMutex(4, true).getAt(0).unlock());
    }

    /** A fair striped mutex hands a stripe over on every unlock: the stripe stays locked for the waiter. */
    @Test
    void fairStripeHandsOver() throws Exception {
        StripedMutex s = new StripedMutex(4, true);
        assertTrue(s.isFair());
        Lock stripe = s.get("k");
        CountDownLatch acquired = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        stripe.lock();
        Thread t = threads.start("waiter", () -> {
            Lock mine = s.get("k");
            mine.lock();
            acquired.countDown();
            release.await();
            mine.unlock();
        });
        awaitTrue("the waiter is queued", () -> stripe.toString().endsWith(", 1 queued]"));
        stripe.unlock();
        assertFalse(stripe.tryLock(), "handed over: still locked for the waiter");
        assertTrue(acquired.await(30, TimeUnit.SECONDS));
        release.countDown();
        threads.join(t);
        assertTrue(stripe.tryLock());
        stripe.unlock();
    }

    /** Timed tryLock on a held stripe: 0 tries once, a short timeout times out, an interrupt throws. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void stripeTimeoutsAndInterrupts(boolean fair) throws Exception {
        StripedMutex s = new StripedMutex(2, fair);
        Lock stripe = s.getAt(1);
        stripe.lock();
        assertFalse(stripe.tryLock(0, TimeUnit.NANOSECONDS));
        assertFalse(stripe.tryLock(20, TimeUnit.MILLISECONDS));
        AtomicBoolean threw = new AtomicBoolean();
        Thread t = threads.start("waiter", () -> {
            try {
                s.getAt(1).tryLock(Long.MAX_VALUE, TimeUnit.DAYS);
            } catch (InterruptedException e) {
                threw.set(!Thread.currentThread().isInterrupted());
            }
        });
        awaitTrue("the waiter is queued", () -> stripe.toString().endsWith(", 1 queued]"));
        t.interrupt();
        threads.join(t);
        assertTrue(threw.get());
        stripe.unlock();
        assertTrue(s.getAt(0).tryLock(Long.MAX_VALUE, TimeUnit.DAYS));
        s.getAt(0).unlock();
    }

    /** A condition of a stripe: await releases the stripe, signal wakes the waiter holding the stripe again. */
    @Test
    void conditionOfAStripe() throws Exception {
        StripedMutex s = new StripedMutex(8, true);
        Lock stripe = s.get("queue");
        Condition nonEmpty = stripe.newCondition();
        List<String> items = new ArrayList<>();
        AtomicBoolean got = new AtomicBoolean();
        Thread t = threads.startVirtual("consumer", () -> {
            stripe.lock();
            try {
                while (items.isEmpty()) {
                    nonEmpty.await();
                }
                got.set(items.remove(0).equals("item"));
            } finally {
                stripe.unlock();
            }
        });
        awaitTrue("the consumer waits", () -> ((Condvar) nonEmpty).getWaitQueueLength() == 1);
        Lock producer = s.get("queue");
        producer.lock();
        try {
            items.add("item");
            nonEmpty.signal();
        } finally {
            producer.unlock();
        }
        threads.join(t);
        assertTrue(got.get());
    }

    /** Threads transferring between random accounts with bulkGet keep the total and never deadlock. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void bulkTransfersKeepTheTotal(boolean fair) throws Exception {
        StripedMutex s = new StripedMutex(8, fair);
        int accounts = 20;
        long[] balance = new long[accounts];
        Arrays.fill(balance, 1_000);
        for (int t = 0; t < 6; t++) {
            int seed = t;
            MutexTestSupport.Body body = () -> {
                SplittableRandom random = new SplittableRandom(seed);
                for (int k = 0; k < 3_000; k++) {
                    int from = random.nextInt(accounts);
                    int to = random.nextInt(accounts);
                    List<Lock> held = new ArrayList<>();
                    try {
                        for (Lock l : s.bulkGet(List.of(from, to))) {
                            l.lock();
                            held.add(l);
                        }
                        balance[from] -= 7;
                        balance[to] += 7;
                    } finally {
                        for (Lock l : held) {
                            l.unlock();
                        }
                    }
                }
            };
            if (t % 2 == 0) {
                threads.start("transfer-" + t, body);
            } else {
                threads.startVirtual("transfer-" + t, body);
            }
        }
        threads.joinAll();
        List<Lock> all = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            all.add(s.getAt(i));
            s.getAt(i).lock(); // orders every transfer before the sum
        }
        assertEquals(1_000L * accounts, Arrays.stream(balance).sum());
        all.forEach(Lock::unlock);
    }

    /** A striped mutex of 1024 stripes takes at most 2 bytes per stripe (JOL deep size). */
    @Test
    void footprintIsAboutAByteAStripe() {
        StripedMutex s = new StripedMutex(1024);
        long size = GraphLayout.parseInstance(s).totalSize();
        assertTrue(size <= 2 * 1024, "StripedMutex(1024): " + size + " bytes");
        assertNotEquals(0, size);
        System.out.println("StripedMutex(1024): " + size + " bytes");
    }
}
