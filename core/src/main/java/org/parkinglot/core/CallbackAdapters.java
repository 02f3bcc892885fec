package org.parkinglot.core;

import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The callback objects {@link ParkingLot} supplies itself: the defaults and the adapters of its
 * convenience forms.
 *
 * <p>Named classes, not lambdas: linking a lambda call site the first time it runs took milliseconds on
 * the 2-core test machine, paid by whichever thread first takes that path (often an unlocker while
 * others wait).
 */
final class CallbackAdapters {

    /** The one instance of {@link Defaults}. */
    static final Defaults DEFAULTS = new Defaults();

    private CallbackAdapters() {
    }

    /** The do-nothing {@code beforeSleep} and {@code timedOut} callbacks, and the default unpark callback. */
    static final class Defaults implements Runnable, ParkingLot.TimedOutCallback, ParkingLot.UnparkCallback {
        @Override
        public void run() {
        }

        @Override
        public void onTimedOut(Object key, long lane, boolean wasLastThread) {
        }

        @Override
        public long onUnpark(UnparkResult result) {
            return ParkingLot.DEFAULT_UNPARK_TOKEN;
        }
    }

    /** The callbacks of {@link ParkingLot#compareAndPark}: park while the word still holds the expected value. */
    static final class WordEquals implements ParkingLot.ParkCallbacks {
        private final IntSupplier word;
        private final int expected;

        WordEquals(IntSupplier word, int expected) {
            this.word = word;
            this.expected = expected;
        }

        @Override
        public boolean validate(Object key, long lane) {
            return word.getAsInt() == expected;
        }
    }

    /** The callbacks of the park form with separate callbacks, as one {@link ParkingLot.ParkCallbacks}. */
    static final class SeparateCallbacks implements ParkingLot.ParkCallbacks {
        private final BooleanSupplier validate;
        private final Runnable beforeSleep;
        private final ParkingLot.TimedOutCallback timedOut;

        SeparateCallbacks(BooleanSupplier validate, Runnable beforeSleep, ParkingLot.TimedOutCallback timedOut) {
            this.validate = validate;
            this.beforeSleep = beforeSleep;
            this.timedOut = timedOut;
        }

        @Override
        public boolean validate(Object key, long lane) {
            return validate.getAsBoolean();
        }

        @Override
        public void beforeSleep() {
            beforeSleep.run();
        }

        @Override
        public void timedOut(Object key, long lane, boolean wasLastThread) {
            timedOut.onTimedOut(key, lane, wasLastThread);
        }
    }
}
