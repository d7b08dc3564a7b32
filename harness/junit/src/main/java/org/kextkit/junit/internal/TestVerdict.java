package org.kextkit.junit.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kextkit.harness.check.FindingsReport;
import org.kextkit.harness.check.ReportedFinding;
import org.kextkit.harness.check.Suppression;
import org.kextkit.harness.check.report.TextReport;
import org.kextkit.harness.cli.ioreg.IoregFormatter;
import org.kextkit.harness.cli.ioreg.IoregOptions;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.MultipleFailuresError;

/**
 * Decide, at the end of a test (or of a shared kernel), whether the kernel makes it fail: a panic,
 * a kext that would not unload, or a finding no {@code @AllowFinding} accepts. The failure names
 * each problem, with the finding's site and how to accept it, and where the ioreg dump, findings
 * and kernel log were kept.
 */
public final class TestVerdict {
    private static final IoregOptions IOREG = IoregOptions.builder().list(true).width(0).build();

    private final String testName;
    private final Path artifactsFolder;
    private final boolean bodyFailed;
    private String ioregBeforeTeardown;

    /**
     * Start judging test {@code testName}.
     *
     * @param artifactsFolder where to keep the artifacts if it fails
     * @param bodyFailed true if the test already failed, which keeps the artifacts in any case
     */
    public TestVerdict(String testName, Path artifactsFolder, boolean bodyFailed) {
        this.testName = testName;
        this.artifactsFolder = artifactsFolder;
        this.bodyFailed = bodyFailed;
    }

    /**
     * Note the registry, once, as soon as the test has gone wrong (failed body, panic, findings,
     * a kext that would not unload): call before the kexts are unloaded and again after, before the
     * kernel shuts down, so the dump shows the state the trouble was found in.
     */
    public void noteRegistry(KernelSession session) {
        HostedKernel kernel = session.kernel();
        if (ioregBeforeTeardown == null && (bodyFailed || kernel.hasPanicked() || !kernel.findings().isEmpty()
                || !session.teardownProblems().isEmpty())) {
            ioregBeforeTeardown = ioreg(kernel);
        }
    }

    /**
     * Return the error the test should fail with, or {@code null} if the kernel gives no reason;
     * writes the artifacts when it fails.
     *
     * @param allowed the suppressions the test's {@code @AllowFinding}s stand for
     */
    public Throwable judge(KernelSession session, List<Suppression> allowed) {
        HostedKernel kernel = session.kernel();
        FindingsReport findings = session.newFindings(allowed);
        List<AssertionFailedError> problems = new ArrayList<>();
        String panic = kernel.panicReport().map(p -> p.text()).orElse(null);
        if (panic != null) {
            problems.add(new AssertionFailedError("the kernel panicked:\n" + panic));
        }
        for (String problem : session.teardownProblems()) {
            problems.add(new AssertionFailedError(problem));
        }
        for (ReportedFinding finding : findings.findings()) {
            problems.add(findingFailure(findings, finding));
        }
        if (problems.isEmpty() && !bodyFailed) {
            return null;
        }
        String where = FailureArtifacts.write(artifactsFolder,
                ioregBeforeTeardown != null ? ioregBeforeTeardown : ioreg(kernel), findings, kernel.logText(), panic);
        if (problems.isEmpty()) {
            // The body's own failure stands; the artifacts are kept for it, and the report says where.
            return null;
        }
        String heading = testName + ": the hosted kernel reported " + (problems.size() == 1 ? "a problem" : problems.size()
                + " problems") + ". " + where + ".";
        if (problems.size() == 1) {
            AssertionFailedError only = problems.get(0);
            return new AssertionFailedError(heading + "\n" + only.getMessage(), only.getExpected() == null ? null
                    : only.getExpected().getValue(), only.getActual() == null ? null : only.getActual().getValue());
        }
        return new MultipleFailuresError(heading, new ArrayList<>(problems));
    }

    private static AssertionFailedError findingFailure(FindingsReport report, ReportedFinding finding) {
        FindingsReport one = new FindingsReport(List.of(finding), List.of(), report.settings(), report.kextsCovered());
        String text = TextReport.write(one);
        // Skip the summary line: the heading says how many problems there are.
        String body = text.substring(text.indexOf('\n') + 1).strip();
        String id = finding.finding().checkId();
        return new AssertionFailedError(body + "\n  If this is intended, annotate the test @AllowFinding(check = \"" + id
                + "\", reason = \"...why it is fine...\").", "no " + id + " finding", finding.finding().message());
    }

    /** Return the registry as {@code ioreg -l -w0} prints it. */
    public static String ioreg(HostedKernel kernel) {
        try {
            return IoregFormatter.format(kernel.registryRoot(), IOREG);
        } catch (RuntimeException e) {
            return "the registry could not be printed: " + e;
        }
    }
}
