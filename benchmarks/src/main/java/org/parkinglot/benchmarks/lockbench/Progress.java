package org.parkinglot.benchmarks.lockbench;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * The live progress line on stderr: what runs, run k of n, and an estimate of the time left, redrawn
 * in place with a carriage return a few times a second while a run sleeps. When stderr is not a
 * terminal (the {@code ./lockbench} launcher then sets {@code -Dlockbench.progress=plain}), it prints
 * one ordinary line per run instead, so logs stay readable.
 *
 * <p>The estimate is the nominal time of what is left (run and warm-up seconds) stretched by the
 * overhead seen so far (JVM start-up, thread start, joins).
 */
public final class Progress implements RunListener, AutoCloseable {

    /** How often the line is redrawn while a run is in progress. */
    static final long REDRAW_MILLIS = 250;
    /** The system property choosing the style: {@code tty} (default, redrawn in place) or {@code plain}. */
    static final String STYLE_PROPERTY = "lockbench.progress";

    private final PrintStream err;
    private final boolean enabled;
    private final boolean inPlace;
    private final Options options;
    private final int totalRuns;
    private final double totalNominal;
    private final Thread ticker;

    // Guarded by this.
    private int runsStarted;
    private long startNanos;
    private double nominalDone;
    private double wallDone;
    private double phaseNominal;
    private long phaseStart;
    private String phase = "starting";
    private int lastLength;
    private boolean closed;

    /**
     * Creates the progress line for a plan; draws nothing if disabled.
     *
     * @param err     where to draw
     * @param options the plan
     */
    public Progress(PrintStream err, Options options) {
        this.err = err;
        this.enabled = options.progress();
        this.inPlace = !"plain".equals(System.getProperty(STYLE_PROPERTY));
        this.options = options;
        int locks = options.locks().size();
        this.totalRuns = locks * options.configs().size() * options.iterations();
        int warmups = options.fork() ? locks * options.iterations() : locks; // forked: one per JVM
        this.totalNominal = totalRuns * options.seconds() + warmups * options.warmupSeconds();
        if (enabled && inPlace) {
            ticker = Thread.ofPlatform().name("lockbench-progress").daemon(true).unstarted(this::tick);
            ticker.start();
        } else {
            ticker = null;
        }
    }

    /**
     * Returns how many timed runs the plan has.
     *
     * @return locks times configurations times iterations
     */
    public int totalRuns() {
        return totalRuns;
    }

    @Override
    public synchronized void warmupStarted(Competitor lock, ThreadConfig config) {
        finishPhase();
        startPhase(options.warmupSeconds(), "warming up " + lock.name() + ", " + describe(config));
    }

    @Override
    public synchronized void runStarted(Competitor lock, ThreadConfig config, int iteration) {
        finishPhase();
        runsStarted++;
        startPhase(options.seconds(), "run " + runsStarted + "/" + totalRuns + ": " + lock.name() + ", "
                + describe(config) + ", iteration " + iteration + "/" + options.iterations());
    }

    @Override
    public synchronized void runFinished(Competitor lock, ThreadConfig config, int iteration, RunResult result) {
        finishPhase();
        draw();
    }

    /**
     * Shows what happens before the first run (for example measuring footprints), without counting it.
     *
     * @param text what is happening
     */
    public synchronized void status(String text) {
        phase = text;
        draw();
        if (enabled && !inPlace) {
            err.println("lockbench: " + text);
        }
    }

    private String describe(ThreadConfig config) {
        return options.mode().threadsOnly()
                ? config.writers() + (config.writers() == 1 ? " thread" : " threads")
                : config.writers() + " writers + " + config.readers() + " readers";
    }

    private void startPhase(double nominalSeconds, String text) {
        if (startNanos == 0) {
            startNanos = System.nanoTime();
        }
        phase = text;
        phaseNominal = nominalSeconds;
        phaseStart = System.nanoTime();
        draw();
        if (enabled && !inPlace) {
            err.println("lockbench: " + phase + "  ~" + Fmt.clock(secondsLeft()) + " left");
        }
    }

    private void finishPhase() {
        if (phaseNominal > 0 || phaseStart != 0) {
            nominalDone += phaseNominal;
            wallDone = (System.nanoTime() - startNanos) / 1e9;
        }
        phaseNominal = 0;
        phaseStart = 0;
    }

    /**
     * Estimates the seconds left.
     *
     * @return the estimate
     */
    synchronized double secondsLeft() {
        double inPhase = phaseStart == 0 ? 0 : Math.min(phaseNominal, (System.nanoTime() - phaseStart) / 1e9);
        double nominalLeft = Math.max(0, totalNominal - nominalDone - inPhase);
        double stretch = nominalDone > 0.5 ? Math.min(3.0, Math.max(1.0, wallDone / nominalDone)) : 1.15;
        return nominalLeft * stretch;
    }

    private void draw() {
        if (!enabled || !inPlace || closed) {
            return;
        }
        String line = "lockbench: " + phase + "  ~" + Fmt.clock(secondsLeft()) + " left";
        int pad = Math.max(0, lastLength - line.length());
        err.print("\r" + line + " ".repeat(pad));
        err.flush();
        lastLength = line.length();
    }

    private void tick() {
        try {
            while (true) {
                TimeUnit.MILLISECONDS.sleep(REDRAW_MILLIS);
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    draw();
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /**
     * Prints a message on its own line, then redraws the progress line below it.
     *
     * @param message the message
     */
    public synchronized void message(String message) {
        if (enabled && inPlace && !closed && lastLength > 0) {
            err.print("\r" + " ".repeat(lastLength) + "\r");
            lastLength = 0;
        }
        err.println(message);
        draw();
    }

    /** Stops redrawing and erases the line. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (enabled && inPlace && lastLength > 0) {
                err.print("\r" + " ".repeat(lastLength) + "\r");
                err.flush();
            }
            closed = true;
        }
        if (ticker != null) {
            ticker.interrupt();
        }
    }
}
