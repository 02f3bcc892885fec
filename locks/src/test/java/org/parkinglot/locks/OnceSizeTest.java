package org.parkinglot.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.GraphLayout;

/**
 * Footprints of {@link Once} and {@link Lazy} measured with JOL on the JVM's default flags: an object
 * header, the state {@code int} and one reference (24 bytes); the lazy value drops its supplier once
 * computed. Needs {@code -Djol.magicFieldOffset=true} with JOL 0.17 on JDK 25 (set in the surefire argLine).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OnceSizeTest {

    /** An exception without a stack trace, whose object graph stays the same while measured. */
    static final class Boom extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Boom() {
            super("boom", null, false, false);
        }
    }

    /** A supplier holding a large array (a named class: JOL cannot walk a lambda's hidden class). */
    static final class Capturing implements Supplier<Integer> {
        private final byte[] captured;
        private final RuntimeException failure;

        Capturing(byte[] captured, RuntimeException failure) {
            this.captured = captured;
            this.failure = failure;
        }

        @Override
        public Integer get() {
            if (failure != null) {
                throw failure;
            }
            return captured.length;
        }
    }

    /** The deep size of {@code o} in bytes. */
    private static long deepSize(Object o) {
        return GraphLayout.parseInstance(o).totalSize();
    }

    /** A Once takes 24 bytes, new and done (a done once references nothing). */
    @Test
    void onceIs24Bytes() {
        Once once = new Once();
        assertEquals(24, deepSize(once));
        once.call(() -> { });
        assertEquals(24, deepSize(once));
    }

    /** A poisoned Once is still a 24-byte object; it references only the cause. */
    @Test
    void poisonedOnceReferencesOnlyTheCause() {
        Once once = new Once();
        Boom boom = new Boom();
        assertThrows(RuntimeException.class, () -> once.call(() -> {
            throw boom;
        }));
        assertEquals(24, ClassLayout.parseInstance(once).instanceSize());
        assertEquals(24 + deepSize(boom), deepSize(once));
    }

    /**
     * A Lazy takes 24 bytes itself; once computed it references the value and no longer the supplier (nor what it
     * captured).
     */
    @Test
    void lazyDropsItsSupplier() {
        byte[] captured = new byte[1 << 20];
        Lazy<Integer> lazy = Lazy.of(new Capturing(captured, null));
        assertEquals(24, ClassLayout.parseInstance(lazy).instanceSize());
        assertTrue(deepSize(lazy) > captured.length, "the new lazy holds its supplier");
        Integer value = lazy.get();
        assertEquals(24 + deepSize(value), deepSize(lazy));
    }

    /** A poisoned Lazy drops its supplier too. */
    @Test
    void poisonedLazyDropsItsSupplier() {
        Boom boom = new Boom();
        Lazy<Integer> lazy = Lazy.of(new Capturing(new byte[1 << 20], boom));
        assertThrows(RuntimeException.class, lazy::get);
        assertEquals(24 + deepSize(boom), deepSize(lazy));
    }
}
