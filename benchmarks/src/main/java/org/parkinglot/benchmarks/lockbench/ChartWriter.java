package org.parkinglot.benchmarks.lockbench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws {@code throughput.png} with XChart: three panels under one title.
 * <ul>
 *   <li>top left, the unfair locks' throughput (Mops/s, linear axis from 0) against the thread count;
 *   <li>top right, the fair locks' throughput on a log axis (they are 10x to 1000x slower under
 *       contention and would lie flat on the unfair panel's axis);
 *   <li>bottom, every lock's ratio to the baseline ({@code ReentrantLock}) on a log axis, with the
 *       baseline as a flat line at 1.
 * </ul>
 * Each lock has its own colour and marker, the same in every panel and every run (assigned by its place
 * in the registry; the baseline is black). This project's locks are drawn solid, the JDK's and Guava's
 * dashed, straw men dotted. Every point carries a vertical bar: the 95% confidence interval of the
 * mean over the runs on the throughput panels, and on the ratio panel the range both intervals allow
 * ({@link Interval#ratioTo}), which excludes 1 exactly when the summary calls the difference larger
 * than the noise. Points of one thread count are spread a little sideways so the bars do not hide
 * each other. Panels without locks are left out. Rendering needs no display: the JVM runs headless.
 */
public final class ChartWriter {

    /** The file name inside the output directory. */
    public static final String FILE_NAME = "throughput.png";
    static final int WIDTH = 1500;
    static final int HEIGHT = 1100;
    private static final int TITLE_HEIGHT = 62;
    /** The top row's share of the height below the title. */
    private static final double TOP_SHARE = 0.55;
    /** How far apart, in x units, the points of neighbouring locks sit at one thread count. */
    private static final double DODGE = 0.045;

    /** Colours of the locks in registry order (the baseline is black); distinct in hue and lightness. */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
        new Color(0xbcbd22), new Color(0x7f7f7f), new Color(0x393b79), new Color(0x66a61e),
        new Color(0xe6ab02), new Color(0xd6616b)};
    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
        SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.TRAPEZOID, SeriesMarkers.CROSS};
    private static final BasicStroke SOLID = new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final BasicStroke DASHED = new BasicStroke(2.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND,
            10f, new float[] {7f, 4f}, 0f);
    private static final BasicStroke DOTTED = new BasicStroke(2.0f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND,
            10f, new float[] {1f, 4f}, 0f);
    private static final BasicStroke BAR = new BasicStroke(1.3f);
    /** Opacity of the interval bars, so that crossing bars and the lines stay visible. */
    private static final int BAR_ALPHA = 120;

    private ChartWriter() {
    }

    /** How one lock is drawn in every panel. */
    private record Look(Color color, Marker marker, BasicStroke line) {
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
        ImageIO.write(render(report), "png", file.toFile());
        return file;
    }

    /**
     * Draws the chart of a report.
     *
     * @param report the report
     * @return the image, {@link #WIDTH} by {@link #HEIGHT}
     */
    static BufferedImage render(Report report) {
        Map<String, List<Row>> byLock = byLock(report);
        Map<String, Look> looks = looks(report);
        Map<String, List<Row>> unfair = new LinkedHashMap<>();
        Map<String, List<Row>> fair = new LinkedHashMap<>();
        byLock.forEach((lock, rows) -> (Origin.isFair(lock) ? fair : unfair).put(lock, rows));
        boolean ratios = report.rows().stream().anyMatch(r -> r.ratio() != null);
        String sample = report.options().iterations() == 1 ? "1 run, no interval"
                : "mean of " + report.options().iterations() + " runs, bars: 95% CI";

        int bodyHeight = HEIGHT - TITLE_HEIGHT;
        int topHeight = ratios ? (int) Math.round(bodyHeight * TOP_SHARE) : bodyHeight;
        boolean both = !unfair.isEmpty() && !fair.isEmpty();
        int leftWidth = both ? WIDTH * 11 / 20 : WIDTH;
        List<XYChart> top = new ArrayList<>();
        if (!unfair.isEmpty()) {
            top.add(throughputPanel(report, unfair, looks, (both ? "Unfair locks" : "Throughput") + " (" + sample + ")",
                    false, leftWidth, topHeight));
        }
        if (!fair.isEmpty()) {
            top.add(throughputPanel(report, fair, looks, (both ? "Fair locks" : "Throughput") + ", log scale ("
                    + sample + ")", true, both ? WIDTH - leftWidth : WIDTH, topHeight));
        }

        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
            g.drawString(title(report), 16, 26);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            g.drawString(legendLine(report), 16, 50);
            int x = 0;
            for (XYChart chart : top) {
                g.drawImage(BitmapEncoder.getBufferedImage(chart), x, TITLE_HEIGHT, null);
                x += chart.getWidth();
            }
            if (ratios) {
                XYChart chart = ratioPanel(report, byLock, looks, WIDTH, bodyHeight - topHeight);
                g.drawImage(BitmapEncoder.getBufferedImage(chart), 0, TITLE_HEIGHT + topHeight, null);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static String title(Report report) {
        return "lockbench: " + report.settingsLine() + "; JDK " + report.environment().getOrDefault("javaVersion", "?")
                + ", " + report.environment().getOrDefault("cpus", "?") + " CPUs";
    }

    private static String legendLine(Report report) {
        boolean straw = report.options().locks().stream().anyMatch(c -> Origin.of(c) == Origin.STRAW_MAN);
        return "Solid: this project's locks. Dashed: the JDK's and Guava's." + (straw ? " Dotted: straw men." : "")
                + (report.options().iterations() > 1 ? " Bars: 95% confidence interval of the mean over the runs"
                + (report.options().fork() ? " (each run a fresh JVM)." : ".") : "");
    }

    /** Rows per lock, in --locks order. */
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

    /** A colour, marker and line per lock, fixed by its place in the registry so every run draws it alike. */
    private static Map<String, Look> looks(Report report) {
        Map<String, Look> looks = new LinkedHashMap<>();
        List<Competitor> all = new ArrayList<>(Competitors.all(report.options().mode()));
        report.options().locks().stream().filter(c -> !all.contains(c)).forEach(all::add);
        int i = 0;
        for (Competitor c : all) {
            BasicStroke line = switch (Origin.of(c)) {
                case PROJECT -> SOLID;
                case PEER -> DASHED;
                case STRAW_MAN -> DOTTED;
            };
            if (c.name().equals(report.baseline())) {
                looks.put(c.name(), new Look(Color.BLACK, SeriesMarkers.CIRCLE, line));
                continue;
            }
            looks.put(c.name(), new Look(PALETTE[i % PALETTE.length], MARKERS[i % MARKERS.length], line));
            i++;
        }
        return looks;
    }

    private static XYChart panel(Report report, String title, String yTitle, boolean log, int width, int height) {
        Mode mode = report.options().mode();
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(mode.threadsOnly() ? "threads" : "writers + readers").yAxisTitle(yTitle).build();
        XYStyler styler = chart.getStyler();
        chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        chart.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        chart.getStyler().setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(0xdddddd));
        styler.setChartTitleBoxVisible(false);
        styler.setLegendBorderColor(new Color(0xcccccc));
        styler.setMarkerSize(9);
        List<ThreadConfig> configs = report.options().configs();
        chart.getStyler().setXAxisMin(1 - 0.5).setXAxisMax(configs.size() + 0.5);
        // XChart 3.8.8 drops every label unless all are distinct: blanks of different lengths off the counts.
        chart.setCustomXAxisTickLabelsFormatter(x -> {
            long i = Math.round(x);
            return Math.abs(x - i) < 1e-6 && i >= 1 && i <= configs.size() ? configs.get((int) i - 1).label(mode)
                    : " ".repeat(1 + (int) Math.round(Math.abs(x) * 8));
        });
        if (log) {
            // XChart's own log axis labels only the powers of ten; plot log2 on a linear axis instead and
            // label the powers of two (the axis ends on them, see addSeries).
            chart.setCustomYAxisTickLabelsFormatter(y -> Math.abs(y - Math.rint(y)) < 1e-6
                    ? Fmt.significant(Math.pow(2, Math.rint(y))) : " ".repeat(1 + (int) Math.round(Math.abs(y) * 8)));
        } else {
            styler.setYAxisMin(0.0);
        }
        return chart;
    }

    private static XYChart throughputPanel(Report report, Map<String, List<Row>> locks, Map<String, Look> looks,
                                           String title, boolean log, int width, int height) {
        XYChart chart = panel(report, title, "Mops/s (all threads)", log, width, height);
        addSeries(chart, report, locks, looks, r -> r.throughput(), 1e-6, log, false);
        return chart;
    }

    private static XYChart ratioPanel(Report report, Map<String, List<Row>> byLock, Map<String, Look> looks,
                                      int width, int height) {
        XYChart chart = panel(report, "Ratio to " + report.baseline() + ", log scale (above 1: faster; bars: range"
                + " both 95% CIs allow, clear of 1 = larger than the noise)", "ratio to " + report.baseline(), true, width,
                height);
        Map<String, List<Row>> others = new LinkedHashMap<>();
        byLock.forEach((lock, rows) -> {
            if (!lock.equals(report.baseline())) {
                others.put(lock, rows.stream().filter(r -> r.ratio() != null).toList());
            }
        });
        others.values().removeIf(List::isEmpty);
        List<ThreadConfig> configs = report.options().configs();
        XYSeries one = chart.addSeries(report.baseline() + " = 1", new double[] {0.5, configs.size() + 0.5},
                new double[] {axis(1, true), axis(1, true)});
        one.setLineColor(Color.BLACK);
        one.setLineStyle(DASHED);
        one.setMarker(SeriesMarkers.NONE);
        addSeries(chart, report, others, looks, Row::ratio, 1, true, true);
        return chart;
    }

    /** Maps a value to the y axis: itself, or its base-2 logarithm on a log panel. */
    private static double axis(double value, boolean log) {
        return log ? Math.log(value) / Math.log(2) : value;
    }

    /**
     * Adds one line per lock, and for each point with a spread a vertical bar (a two-point series of the
     * lock's colour, not in the legend). On a log axis the bars are clipped to the panel's data range.
     */
    private static void addSeries(XYChart chart, Report report, Map<String, List<Row>> locks, Map<String, Look> looks,
                                  Function<Row, Interval> value, double scale, boolean log, boolean aroundOne) {
        List<ThreadConfig> configs = report.options().configs();
        double smallest = Double.MAX_VALUE;
        double largest = 0;
        for (List<Row> rows : locks.values()) {
            for (Row r : rows) {
                double v = value.apply(r).mean() * scale;
                if (v > 0) {
                    smallest = Math.min(smallest, v);
                    largest = Math.max(largest, v);
                }
            }
        }
        double floor = smallest == Double.MAX_VALUE ? 1e-3 : smallest / 3;
        double ceiling = largest == 0 ? 1 : largest * 3;
        double yMin = aroundOne ? -1 : Double.MAX_VALUE;
        double yMax = aroundOne ? 1 : -Double.MAX_VALUE;
        int index = 0;
        for (Map.Entry<String, List<Row>> e : locks.entrySet()) {
            double offset = (index - (locks.size() - 1) / 2.0) * DODGE;
            index++;
            Look look = looks.get(e.getKey());
            List<Row> rows = e.getValue().stream().filter(r -> !log || value.apply(r).mean() > 0).toList();
            if (rows.isEmpty()) {
                continue;
            }
            double[] x = new double[rows.size()];
            double[] y = new double[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                x[i] = configs.indexOf(rows.get(i).config()) + 1 + offset;
                y[i] = axis(value.apply(rows.get(i)).mean() * scale, log);
                yMin = Math.min(yMin, y[i]);
                yMax = Math.max(yMax, y[i]);
            }
            XYSeries s = chart.addSeries(e.getKey(), x, y);
            s.setLineColor(look.color());
            s.setMarkerColor(look.color());
            s.setMarker(look.marker());
            s.setLineStyle(look.line());
            for (int i = 0; i < rows.size(); i++) {
                Interval v = value.apply(rows.get(i));
                if (!v.hasSpread() || v.high() == v.low()) {
                    continue;
                }
                double lo = v.low() * scale;
                double hi = v.high() * scale;
                if (log) {
                    lo = Math.max(lo, floor);
                    hi = Math.min(hi, ceiling);
                } else {
                    lo = Math.max(lo, 0);
                }
                XYSeries bar = chart.addSeries(e.getKey() + " \u0000" + i, new double[] {x[i], x[i]},
                        new double[] {axis(lo, log), axis(hi, log)});
                yMin = Math.min(yMin, axis(lo, log));
                yMax = Math.max(yMax, axis(hi, log));
                bar.setShowInLegend(false);
                bar.setLineColor(new Color(look.color().getRed(), look.color().getGreen(), look.color().getBlue(),
                        BAR_ALPHA));
                bar.setLineStyle(BAR);
                bar.setMarker(SeriesMarkers.NONE);
            }
        }
        if (log && yMin <= yMax) {
            chart.getStyler().setYAxisMin(Math.floor(yMin - 0.05)).setYAxisMax(Math.ceil(yMax + 0.05));
        }
    }
}
