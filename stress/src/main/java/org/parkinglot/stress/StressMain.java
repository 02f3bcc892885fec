package org.parkinglot.stress;

import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Main;
import org.openjdk.jcstress.Options;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.infra.Status;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;
import org.openjdk.jcstress.infra.grading.GradingResult;
import org.openjdk.jcstress.infra.grading.ReportUtils;
import org.openjdk.jcstress.infra.grading.TestGrading;

/**
 * The main class of {@code stress/target/jcstress.jar}: runs jcstress exactly as its own
 * {@link Main} does (same options, same console and HTML reports), then prints a one-line-per-test
 * summary and exits with a status a build can act on.
 *
 * <p>jcstress 0.16 reports failures by letting an {@link AssertionError} ("TEST FAILURES: ...") escape
 * from its final report step, so the VM exits with status 1 when a test observed a {@code FORBIDDEN}
 * outcome or ended in an error; but it exits with status 0 when the {@code -t} selector matched no test
 * ("FATAL: No matching tests."), which would let a mistyped selector or a missing test list pass a
 * build silently. This runner exits with:
 * <ul>
 *   <li>0 if tests ran and every one passed;</li>
 *   <li>1 if a test observed a {@code FORBIDDEN} outcome or ended in an error (test error, VM error,
 *       timeout), if no test ran, or if the options were invalid.</li>
 * </ul>
 * A test whose {@code ACCEPTABLE_INTERESTING} outcome never appeared still passes (jcstress's own rule);
 * the summary shows its count so a weakened twin that failed to show its bug is visible.
 *
 * <p>Unless the command line already has {@code -jvmArgs} or {@code -jvmArgsPrepend}, the forked test VMs
 * get {@code --enable-native-access=ALL-UNNAMED}: jcstress binds threads to CPUs through JNA, which
 * JDK 24+ otherwise greets with a warning on every fork's error stream (the jar's manifest does the same
 * for this VM).
 *
 * <p>With {@code --log FILE} as its first arguments ({@code mvn verify} gives
 * {@code --log stress/target/jcstress.log}; not a system property, which jcstress would copy to every forked
 * VM's command line), everything jcstress prints (the probes, the progress lines, every
 * test's outcome tables, the final report) and the per-test summary table go to that file instead, and the
 * console gets only a line saying where the output goes and the closing {@code STRESS SUMMARY} lines;
 * when a test failed, also its summary row and jcstress's report of the failed and erroneous tests
 * (the {@code Failed tests} and {@code Error tests} blocks of the log), so a build log still shows what
 * failed. The exit status is the same either way.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -m quick} (any jcstress option works;
 * {@code -l} lists the tests, {@code -h} prints the options).
 */
public final class StressMain {

    private StressMain() {
    }

    /**
     * Runs the suite and exits with the status described in the class documentation.
     *
     * @param args jcstress command-line options, optionally preceded by {@code --log FILE}
     * @throws Exception if jcstress fails unexpectedly (the JVM then exits non-zero)
     */
    public static void main(String[] args) throws Exception {
        PrintStream console = System.out;
        Path log = null;
        if (args.length >= 2 && args[0].equals("--log")) {
            log = Path.of(args[1]).toAbsolutePath();
            args = Arrays.copyOfRange(args, 2, args.length);
        }
        PrintStream logStream = null;
        if (log != null) {
            Files.createDirectories(log.getParent());
            logStream = new PrintStream(new FileOutputStream(log.toFile()), true, StandardCharsets.UTF_8);
            console.println("jcstress: running " + String.join(" ", args) + "; its output goes to " + log);
            System.setOut(logStream);
            System.setErr(logStream);
        }
        System.out.println("parkinglot-java stress suite (jcstress 0.16, failing exit status on FORBIDDEN or error)");
        Options opts = new Options(withNativeAccess(args));
        if (!opts.parse()) {
            exit(console, log, 1);
        }
        JCStress jcstress = new JCStress(opts);
        if (opts.shouldList()) {
            for (String test : jcstress.getTests()) {
                System.out.println(test);
            }
            return;
        }
        String assertion = null;
        try {
            if (opts.shouldParse()) {
                jcstress.parseResults();
            } else {
                jcstress.run();
            }
        } catch (AssertionError e) {
            // jcstress's ExceptionReportPrinter: one line per failed test configuration.
            assertion = e.getMessage();
            System.out.println(assertion);
        } catch (Exception | Error e) {
            if (log != null) {
                e.printStackTrace();
                exit(console, log, 1);
            }
            throw e;
        }
        List<String> summary = summarize(opts.getResultFile());
        boolean passed = summary.get(summary.size() - 1).endsWith("PASSED") && assertion == null;
        if (log == null) {
            System.exit(passed ? 0 : 1);
        }
        System.out.flush();
        if (!passed) {
            printFailures(console, log, summary, assertion);
        }
        console.println(summary.get(summary.size() - 2));
        console.println(summary.get(summary.size() - 1));
        logStream.flush();
        System.exit(passed ? 0 : 1);
    }

    /** Exits with {@code status}, first saying on the console that jcstress failed, if its output went to a log. */
    private static void exit(PrintStream console, Path log, int status) {
        if (log != null) {
            System.out.flush();
            console.println("STRESS SUMMARY: jcstress stopped with an error; see " + log);
        }
        System.exit(status);
    }

    /**
     * Prints to the console the summary rows of the tests that did not pass, jcstress's failure message,
     * and jcstress's report blocks of the failed and erroneous tests (from "Failed tests:" up to "All
     * remaining tests:" in the log), at most 400 lines of them.
     */
    private static void printFailures(PrintStream console, Path log, List<String> summary, String assertion)
            throws IOException {
        console.println("STRESS FAILURES (the whole output is in " + log + "):");
        for (String row : summary) {
            if (row.startsWith("  ") && !row.startsWith("  OK ") && !row.startsWith("  SKIPPED ")) {
                console.println(row);
            }
        }
        if (assertion != null) {
            console.println(assertion);
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        int from = -1;
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("  Failed tests:")) {
                from = i;
                break;
            }
        }
        if (from < 0) {
            return; // jcstress stopped before its final report: the log says why
        }
        int printed = 0;
        for (int i = from; i < lines.size() && !lines.get(i).startsWith("  All remaining tests:"); i++) {
            if (printed++ == 400) {
                console.println("  ... (" + (lines.size() - i) + " more lines in " + log + ")");
                break;
            }
            console.println(lines.get(i));
        }
    }

    /** Adds {@code -jvmArgsPrepend --enable-native-access=ALL-UNNAMED} unless the user chose the VM arguments. */
    private static String[] withNativeAccess(String[] args) {
        for (String a : args) {
            if (a.startsWith("-jvmArgs")) {
                return args;
            }
        }
        String[] more = Arrays.copyOf(args, args.length + 2);
        more[args.length] = "-jvmArgsPrepend";
        more[args.length + 1] = "--enable-native-access=ALL-UNNAMED";
        return more;
    }

    /**
     * Prints the summary of a result file: one row per test, then a line on the weakened twins and the
     * verdict line, which ends in {@code PASSED} only if every test passed.
     *
     * @return the printed lines
     */
    private static List<String> summarize(String resultFile) throws Exception {
        List<String> out = new ArrayList<>();
        InProcessCollector collector = new InProcessCollector();
        try {
            DiskReadCollector reader = new DiskReadCollector(resultFile, collector);
            reader.dump();
            reader.close();
        } catch (FileNotFoundException e) {
            return print(out, "", "STRESS SUMMARY: no result file " + resultFile + ": no test ran. FAILED.");
        }
        Collection<TestResult> all = collector.getTestResults();
        List<TestResult> byName = ReportUtils.mergedByName(all);
        byName.sort(Comparator.comparing(TestResult::getName));
        if (byName.isEmpty()) {
            return print(out, "", "STRESS SUMMARY: no test ran. FAILED.");
        }

        int failed = 0;
        int twins = 0;
        int twinsShowing = 0;
        long samples = 0;
        System.out.println();
        System.out.println("STRESS SUMMARY (" + byName.size() + " tests, " + all.size() + " test configurations):");
        for (TestResult r : byName) {
            long total = r.getTotalCount();
            samples += total;
            String verdict;
            long interesting = 0;
            long forbidden = 0;
            if (r.status() == Status.NORMAL) {
                TestGrading grading = r.grading();
                boolean twin = false;
                for (GradingResult g : grading.gradingResults.values()) {
                    if (g.expect == Expect.ACCEPTABLE_INTERESTING) {
                        twin = true;
                        interesting += g.count;
                    } else if (g.expect == Expect.FORBIDDEN) {
                        forbidden += g.count;
                    }
                }
                verdict = grading.isPassed ? "OK" : "FAILED";
                if (twin) {
                    twins++;
                    twinsShowing += interesting > 0 ? 1 : 0;
                }
            } else if (r.status() == Status.API_MISMATCH) {
                verdict = "SKIPPED"; // the test needs an API this JDK lacks: jcstress's soft error
            } else {
                verdict = "ERROR(" + r.status() + ")";
            }
            if (!verdict.equals("OK") && !verdict.equals("SKIPPED")) {
                failed++;
            }
            String name = r.getName().substring(r.getName().lastIndexOf('.', r.getName().lastIndexOf('.') - 1) + 1);
            String row = String.format("  %-8s %-58s samples %,12d  interesting %,9d  forbidden %,d",
                    verdict, name, total, interesting, forbidden);
            System.out.println(row);
            out.add(row);
        }
        return print(out,
                String.format("STRESS SUMMARY: %d of %d tests with an ACCEPTABLE_INTERESTING outcome (the weakened twins)"
                        + " showed it", twinsShowing, twins),
                String.format("STRESS SUMMARY: %d tests, %,d samples, %d failed: %s",
                        byName.size(), samples, failed, failed == 0 ? "PASSED" : "FAILED"));
    }

    /** Prints the two closing lines (the first may be empty), adds them to {@code out} and returns it. */
    private static List<String> print(List<String> out, String twins, String verdict) {
        System.out.println(twins);
        System.out.println(verdict);
        out.add(twins);
        out.add(verdict);
        return out;
    }
}
