package org.kextkit.harness.check.report;

import java.util.Locale;
import java.util.Optional;
import org.kextkit.harness.check.FindingsReport;

/** The formats a findings report can be written in. */
public enum ReportFormat {
    /** Human text for a terminal, grouped by kext. */
    TEXT("text"),
    /** kextkit's own JSON shape (docs/checks.md, "JSON"). */
    JSON("json"),
    /** SARIF 2.1.0, for code-scanning user interfaces. */
    SARIF("sarif"),
    /** JUnit XML, which CI systems show as test results. */
    JUNIT("junit");

    private final String formatName;

    ReportFormat(String formatName) {
        this.formatName = formatName;
    }

    /** Return the name used on the command line, such as {@code sarif}. */
    public String formatName() {
        return formatName;
    }

    /** Return the format called {@code name} (any case). */
    public static Optional<ReportFormat> byName(String name) {
        for (ReportFormat f : values()) {
            if (f.formatName.equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** Return {@code report} written in this format. */
    public String write(FindingsReport report, ReportInfo info) {
        return switch (this) {
            case TEXT -> TextReport.write(report);
            case JSON -> JsonReport.write(report, info);
            case SARIF -> SarifReport.write(report, info);
            case JUNIT -> JUnitReport.write(report, info);
        };
    }
}
