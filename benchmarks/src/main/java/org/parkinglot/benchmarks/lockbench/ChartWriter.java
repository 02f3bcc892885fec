package org.parkinglot.benchmarks.lockbench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws {@code throughput.png} with XChart: total throughput (Mops/s) against the thread count, one
 * line per lock (dashed for the straw men). In rwlock mode the x axis lists the writers/readers pairs ({@code 1w+3r}) in run order.
 * Rendering needs no display: the JVM runs headless.
 */
public final class ChartWriter {

    /** The file name inside the output directory. */
    public static final String FILE_NAME = "throughput.png";
    static final int WIDTH = 1000;
    static final int HEIGHT = 600;

    private ChartWriter() {
    }

    /**
     * Draws the chart of a report into {@code throughput.png} in a directory, creating it if needed.
     *
     * @param report the report
     * @param dir    the output directory
     * @return the file written
     * @throws IOException if writing fails
     */
    public static Path write(Report report, Path dir) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE_NAME);
        Chart<?, ?> chart = report.options().mode() == Mode.MUTEX ? xyChart(report) : categoryChart(report);
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        return file;
    }

    private static String title(Report report) {
        return "lockbench: " + report.settingsLine() + ", JDK " + report.environment().getOrDefault("javaVersion", "?")
                + ", " + report.environment().getOrDefault("cpus", "?") + " CPUs";
    }

    /** Rows per lock, in report order. */
    private static Map<String, List<Row>> byLock(Report report) {
        Map<String, List<Row>> m = new LinkedHashMap<>();
        for (Competitor c : report.options().locks()) {
            m.put(c.name(), new ArrayList<>());
        }
        for (Row r : report.rows()) {
            m.computeIfAbsent(r.lock(), k -> new ArrayList<>()).add(r);
        }
        m.values().removeIf(List::isEmpty);
        return m;
    }

    private static XYChart xyChart(Report report) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title(report))
                .xAxisTitle("threads").yAxisTitle("Mops/s (all threads)").build();
        Styler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setChartTitleFont(styler.getChartTitleFont().deriveFont(12f));
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setYAxisMin(0.0);
        for (Map.Entry<String, List<Row>> e : byLock(report).entrySet()) {
            double[] x = e.getValue().stream().mapToDouble(r -> r.config().threads()).toArray();
            double[] y = e.getValue().stream().mapToDouble(r -> r.opsPerSecond() / 1e6).toArray();
            XYSeries s = chart.addSeries(e.getKey(), x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
            if (Competitors.isStrawMan(e.getKey())) {
                s.setLineStyle(SeriesLines.DASH_DASH);
            }
        }
        return chart;
    }

    private static CategoryChart categoryChart(Report report) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title(report))
                .xAxisTitle("writers + readers").yAxisTitle("Mops/s (all threads)").build();
        Styler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setChartTitleFont(styler.getChartTitleFont().deriveFont(12f));
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        chart.getStyler().setOverlapped(true); // every series at the same x positions, not side by side
        chart.getStyler().setYAxisMin(0.0);
        List<String> labels = report.options().configs().stream().map(c -> c.label(Mode.RWLOCK)).toList();
        for (Map.Entry<String, List<Row>> e : byLock(report).entrySet()) {
            List<Double> y = new ArrayList<>();
            for (ThreadConfig c : report.options().configs()) {
                y.add(e.getValue().stream().filter(r -> r.config().equals(c)).findFirst()
                        .map(r -> r.opsPerSecond() / 1e6).orElse(0.0));
            }
            CategorySeries s = chart.addSeries(e.getKey(), labels, y);
            if (Competitors.isStrawMan(e.getKey())) {
                s.setLineStyle(SeriesLines.DASH_DASH);
            }
        }
        return chart;
    }
}
