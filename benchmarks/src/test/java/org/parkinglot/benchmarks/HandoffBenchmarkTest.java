package org.parkinglot.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.parkinglot.core.ParkingLot;

/**
 * Keeps {@link HandoffBenchmark} from rotting: a tiny JMH run of every competitor, plus direct checks
 * that its partner really parks and that it can neither hang nor leak its thread. Speed is not asserted.
 */
class HandoffBenchmarkTest {

    /** JMH runs the benchmark (in process, one short iteration) and reports a score for every competitor. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void jmhReportsAScorePerCompetitor() throws Exception {
        Options options = new OptionsBuilder()
                .include("^" + Pattern.quote(HandoffBenchmark.class.getName()) + "\\.")
                .forks(0)
                .threads(1)
                .warmupIterations(1)
                .warmupTime(TimeValue.milliseconds(100))
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();

        Collection<RunResult> results = new Runner(options).run();

        Set<HandoffType> seen = EnumSet.noneOf(HandoffType.class);
        for (RunResult result : results) {
            HandoffType type = HandoffType.valueOf(result.getParams().getParam("type"));
            double score = result.getPrimaryResult().getScore();
            assertTrue(score > 0 && Double.isFinite(score), type + " scored " + score);
            assertTrue(seen.add(type), type + " reported twice");
        }
        assertEquals(EnumSet.allOf(HandoffType.class), seen);
    }

    /** Between round trips the partner sleeps in a park (queued in the lot for PARKING_LOT), and teardown stops it. */
    @ParameterizedTest
    @EnumSource(HandoffType.class)
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void partnerParksBetweenRoundTripsAndStopsAtTearDown(HandoffType type) throws Exception {
        HandoffBenchmark state = newState(type);
        try {
            awaitPartnerParked(state);
            for (int i = 0; i < 100; i++) {
                state.roundTrip();
            }
            awaitPartnerParked(state);
        } finally {
            state.tearDown();
        }
        assertFalse(state.partner.isAlive());
        assertNull(state.partnerFailure);
        assertEquals(0, ParkingLot.queueLength(state, HandoffBenchmark.PING_LANE));
        assertEquals(0, ParkingLot.queueLength(state, HandoffBenchmark.PONG_LANE));
    }

    /** A round trip after the partner has stopped fails at once instead of sleeping forever. */
    @ParameterizedTest
    @EnumSource(HandoffType.class)
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void roundTripFailsInsteadOfHangingWhenPartnerIsGone(HandoffType type) throws Exception {
        HandoffBenchmark state = newState(type);
        try {
            state.roundTrip();
            state.ping.close(); // the partner leaves its loop and closes pong on the way out
            state.partner.join();
            assertThrows(IllegalStateException.class, state::roundTrip);
        } finally {
            state.tearDown();
        }
        assertFalse(state.partner.isAlive());
    }

    private static HandoffBenchmark newState(HandoffType type) {
        HandoffBenchmark state = new HandoffBenchmark();
        state.type = type;
        state.setUp();
        return state;
    }

    /** Polls until the partner sleeps in a park waiting for a request (bounded by the test's timeout). */
    private static void awaitPartnerParked(HandoffBenchmark state) throws InterruptedException {
        while (!(state.partner.getState() == Thread.State.WAITING
                && (state.type != HandoffType.PARKING_LOT
                        || ParkingLot.queueLength(state, HandoffBenchmark.PING_LANE) == 1))) {
            Thread.sleep(1);
        }
    }
}
