package org.kextkit.junit.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.kextkit.harness.check.FindingsReport;
import org.kextkit.harness.check.report.ReportInfo;
import org.kextkit.harness.check.report.SarifReport;
import org.kextkit.harness.check.report.TextReport;

/**
 * What a failed test leaves behind for its author: the I/O Kit registry as {@code ioreg} shows it,
 * the findings as text and SARIF, the kernel log and, if it panicked, the panic report, in one
 * folder per test.
 */
public final class FailureArtifacts {
    /** The file names written. */
    public static final String IOREG = "ioreg.txt";
    /** The findings as text. */
    public static final String FINDINGS_TEXT = "findings.txt";
    /** The findings as SARIF 2.1.0. */
    public static final String FINDINGS_SARIF = "findings.sarif";
    /** The kernel log. */
    public static final String KERNEL_LOG = "kernel.log";
    /** The panic report, when the kernel panicked. */
    public static final String PANIC = "panic.txt";

    private FailureArtifacts() {
    }

    /**
     * Write the artifacts into {@code folder} (created, emptied of earlier artifacts); return a line
     * saying where they are, or why they could not be written.
     */
    public static String write(Path folder, String ioreg, FindingsReport findings, String kernelLog, String panic) {
        try {
            Files.createDirectories(folder);
            Files.deleteIfExists(folder.resolve(PANIC));
            Files.writeString(folder.resolve(IOREG), ioreg);
            Files.writeString(folder.resolve(FINDINGS_TEXT), TextReport.write(findings));
            Files.writeString(folder.resolve(FINDINGS_SARIF), SarifReport.write(findings, ReportInfo.of(toolVersion())));
            Files.writeString(folder.resolve(KERNEL_LOG), kernelLog);
            if (panic != null) {
                Files.writeString(folder.resolve(PANIC), panic);
            }
            return "The ioreg dump, findings (text, SARIF) and kernel log" + (panic == null ? "" : " and panic report")
                    + " are in " + folder;
        } catch (IOException | RuntimeException e) {
            return "kextkit could not keep the ioreg dump, findings and kernel log in " + folder + " (" + e + ")";
        }
    }

    private static String toolVersion() {
        String version = FailureArtifacts.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}
