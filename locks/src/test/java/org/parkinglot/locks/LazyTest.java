package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parkinglot.locks.MutexTestSupport.awaitQueued;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parkinglot.locks.MutexTestSupport.Body;
import org.parkinglot.locks.MutexTestSupport.TestThreads;

/** The contract of {@link Lazy}: computed once, cached, published, poisoned by a throw, toString without forcing. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LazyTest {

    private final TestThreads threads = new TestThreads();

    @AfterEach
    void cleanUp() {
        threads.close();
    }

    /** A value with plain fields only: its contents must reach other threads through the lazy's publication. */
    static final class Box {
        int a;
        int b;
    }

    /** get computes the value on the first call only and returns the same instance afterwards. */
    @Test
    void computesOnceAndCaches() {
        AtomicInteger runs = new AtomicInteger();
        Lazy<Object> lazy = Lazy.of(() -> {
            runs.incrementAndGet();
            return new Object();
        });
        assertFalse(lazy.isInitialized());
        assertEquals(Once.State.NEW, lazy.state());
        Object first = lazy.get();
        assertSame(first, lazy.get());
        assertEquals(1, runs.get());
        assertTrue(lazy.isInitialized());
        assertEquals(Once.State.DONE, lazy.state());
    }

    /** Many threads racing on get (platform or virtual): one supplier run, one instance, fully constructed for all. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void oneComputationUnderARace(boolean virtual) throws Exception {
        int n = virtual ? 200 : 8;
        for (int round = 0; round < 20; round++) {
            AtomicInteger runs = new AtomicInteger();
            Lazy<Box> lazy = Lazy.of(() -> {
                runs.incrementAndGet();
                Box box = new Box();
                box.a = 1;
                box.b = 2;
                return box;
            });
            AtomicReference<Box> seen = new AtomicReference<>();
            AtomicInteger mismatches = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            TestThreads group = new TestThreads();
            try (group) {
                for (int i = 0; i < n; i++) {
                    Body body = () -> {
                        go.await();
                        Box box = lazy.get();
                        seen.compareAndSet(null, box);
                        if (box != seen.get() || box.a != 1 || box.b != 2) {
                            mismatches.incrementAndGet();
                        }
                    };
                    if (virtual) {
                        group.startVirtual("getter-" + i, body);
                    } else {
                        group.start("getter-" + i, body);
                    }
                }
                go.countDown();
                group.joinAll();
            }
            assertEquals(1, runs.get());
            assertEquals(0, mismatches.get());
        }
    }

    /** A null value is a value: computed once and cached. */
    @Test
    void nullIsCached() {
        AtomicInteger runs = new AtomicInteger();
        Lazy<String> lazy = Lazy.of(() -> {
            runs.incrementAndGet();
            return null;
        });
        assertNull(lazy.get());
        assertNull(lazy.get());
        assertEquals(1, runs.get());
        assertTrue(lazy.isInitialized());
        assertEquals("Lazy[null]", lazy.toString());
    }

    /**
     * A throwing supplier: the first caller gets its exception, later callers IllegalStateException caused by it; the
     * supplier is not run again.
     */
    @Test
    void aThrowingSupplierPoisonsForGood() {
        AtomicInteger runs = new AtomicInteger();
        RuntimeException boom = new RuntimeException("boom");
        Lazy<String> lazy = Lazy.of(() -> {
            runs.incrementAndGet();
            throw boom;
        });
        assertSame(boom, assertThrows(RuntimeException.class, lazy::get));
        for (int i = 0; i < 2; i++) {
            IllegalStateException later = assertThrows(IllegalStateException.class, lazy::get);
            assertSame(boom, later.getCause());
        }
        assertEquals(1, runs.get());
        assertFalse(lazy.isInitialized());
        assertEquals(Once.State.POISONED, lazy.state());
        assertEquals("Lazy[<poisoned>]", lazy.toString());
    }

    /** toString never runs the supplier; it shows each state, and the value once computed. */
    @Test
    void toStringDoesNotForce() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Lazy<String> lazy = Lazy.of(() -> {
            runs.incrementAndGet();
            running.countDown();
            OnceTest.awaitUninterruptibly(finish);
            return "value";
        });
        assertEquals("Lazy[<not initialized>]", lazy.toString());
        assertEquals(0, runs.get());
        threads.startVirtual("getter", lazy::get);
        running.await();
        assertEquals("Lazy[<in progress>]", lazy.toString());
        assertEquals(Once.State.IN_PROGRESS, lazy.state());
        finish.countDown();
        threads.joinAll();
        assertEquals("Lazy[value]", lazy.toString());
        assertEquals(1, runs.get());
    }

    /** A getter arriving while the supplier runs parks and then returns the value. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void waitersGetTheValue(boolean virtual) throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Lazy<String> lazy = Lazy.of(() -> {
            running.countDown();
            OnceTest.awaitUninterruptibly(finish);
            return "value";
        });
        threads.start("computer", lazy::get);
        running.await();
        AtomicReference<String> got = new AtomicReference<>();
        if (virtual) {
            threads.startVirtual("waiter", () -> got.set(lazy.get()));
        } else {
            threads.start("waiter", () -> got.set(lazy.get()));
        }
        awaitQueued(lazy, 1);
        finish.countDown();
        threads.joinAll();
        assertEquals("value", got.get());
    }

    /**
     * A supplier that calls get on its own lazy gets IllegalStateException (and, not catching it, poisons the lazy).
     */
    @Test
    void aRecursiveGetIsDetected() {
        AtomicReference<Lazy<String>> self = new AtomicReference<>();
        Lazy<String> lazy = Lazy.of(() -> "x" + self.get().get());
        self.set(lazy);
        IllegalStateException e = assertThrows(IllegalStateException.class, lazy::get);
        assertTrue(e.getMessage().contains("recursive"), e.getMessage());
        assertEquals(Once.State.POISONED, lazy.state());
    }

    /** A null supplier is refused with a NullPointerException naming the argument. */
    @Test
    void nullSupplierIsRefused() {
        assertEquals("supplier", assertThrows(NullPointerException.class, () -> Lazy.of(null)).getMessage());
    }
}
