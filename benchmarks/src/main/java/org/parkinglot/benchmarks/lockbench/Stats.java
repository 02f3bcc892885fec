package org.parkinglot.benchmarks.lockbench;

import java.util.Arrays;

/**
 * The spread of per-thread rates, as parking_lot's harness prints it: average, median and (population)
 * standard deviation, in kHz (thousand critical sections per second per thread).
 *
 * @param averageKHz the mean per-thread rate
 * @param medianKHz  the median per-thread rate (mean of the two middle ones for an even count)
 * @param stddevKHz  the population standard deviation of the per-thread rates
 * @param samples    how many per-thread rates went in (threads times iterations)
 */
public record Stats(double averageKHz, double medianKHz, double stddevKHz, int samples) {

    /**
     * Computes the spread of some per-thread rates.
     *
     * @param ratesPerSecond per-thread rates, in critical sections per second; not empty
     * @return the statistics in kHz
     * @throws IllegalArgumentException if there are no rates
     */
    public static Stats of(double[] ratesPerSecond) {
        if (ratesPerSecond.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double[] sorted = ratesPerSecond.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double sum = 0;
        for (double r : sorted) {
            sum += r;
        }
        double mean = sum / n;
        double squares = 0;
        for (double r : sorted) {
            squares += (r - mean) * (r - mean);
        }
        double median = (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Stats(mean / 1000, median / 1000, Math.sqrt(squares / n) / 1000, n);
    }
}
