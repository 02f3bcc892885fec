package org.parkinglot.stress;

import java.io.FileNotFoundException;
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
 * <p>Run: {@code java -jar stress/target/jcstress.jar -m quick} (any jcstress option works;
 * {@code -l} lists the tests, {@code -h} prints the options).
 */
public final class StressMain {

    private StressMain() {
    }

    /**
     * Runs the suite and exits with the status described in the class documentation.
     *
     * @param args jcstress command-line options
     * @throws Exception if jcstress fails unexpectedly (the JVM then exits non-zero)
     */
    public static void main(String[] args) throws Exception {
        System.out.println("parkinglot-java stress suite (jcstress 0.16, failing exit status on FORBIDDEN or error)");
        Options opts = new Options(withNativeAccess(args));
        if (!opts.parse()) {
            System.exit(1);
        }
        JCStress jcstress = new JCStress(opts);
        if (opts.shouldList()) {
            for (String test : jcstress.getTests()) {
                System.out.println(test);
            }
            return;
        }
        boolean reportedFailures = false;
        try {
            if (opts.shouldParse()) {
                jcstress.parseResults();
            } else {
                jcstress.run();
            }
        } catch (AssertionError e) {
            // jcstress's ExceptionReportPrinter: one line per failed test configuration.
            System.out.println(e.getMessage());
            reportedFailures = true;
        }
        boolean passed = summarize(opts.getResultFile());
        System.exit(passed && !reportedFailures ? 0 : 1);
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

    /** Prints the summary of a result file; returns whether every test in it passed. */
    private static boolean summarize(String resultFile) throws Exception {
        InProcessCollector collector = new InProcessCollector();
        try {
            DiskReadCollector reader = new DiskReadCollector(resultFile, collector);
            reader.dump();
            reader.close();
        } catch (FileNotFoundException e) {
            System.out.println("STRESS SUMMARY: no result file " + resultFile + ": no test ran. FAILED.");
            return false;
        }
        Collection<TestResult> all = collector.getTestResults();
        List<TestResult> byName = ReportUtils.mergedByName(all);
        byName.sort(Comparator.comparing(TestResult::getName));
        if (byName.isEmpty()) {
            System.out.println("STRESS SUMMARY: no test ran. FAILED.");
            return false;
        }

        int failed = 0;
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
                for (GradingResult g : grading.gradingResults.values()) {
                    if (g.expect == Expect.ACCEPTABLE_INTERESTING) {
                        interesting += g.count;
                    } else if (g.expect == Expect.FORBIDDEN) {
                        forbidden += g.count;
                    }
                }
                verdict = grading.isPassed ? "OK" : "FAILED";
            } else if (r.status() == Status.API_MISMATCH) {
                verdict = "SKIPPED"; // the test needs an API this JDK lacks: jcstress's soft error
            } else {
                verdict = "ERROR(" + r.status() + ")";
            }
            if (!verdict.equals("OK") && !verdict.equals("SKIPPED")) {
                failed++;
            }
            String name = r.getName().substring(r.getName().lastIndexOf('.', r.getName().lastIndexOf('.') - 1) + 1);
            System.out.printf("  %-8s %-58s samples %,12d  interesting %,9d  forbidden %,d%n",
                    verdict, name, total, interesting, forbidden);
        }
        System.out.printf("STRESS SUMMARY: %d tests, %,d samples, %d failed: %s%n",
                byName.size(), samples, failed, failed == 0 ? "PASSED" : "FAILED");
        return failed == 0;
    }
}
