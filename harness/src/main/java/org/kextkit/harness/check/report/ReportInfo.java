package org.kextkit.harness.check.report;

import java.util.List;
import java.util.Objects;

/**
 * What a report says about the run that produced it.
 *
 * @param toolVersion kextkit's version
 * @param commandLine the command line, one argument an element, or an empty list if not run from one
 * @param startTimeUtc when the run started, ISO 8601 in UTC ({@code 2025-01-31T12:00:00Z}), or {@code null}
 * @param exitCode the exit status the command returns, or {@code null} if not known
 */
public record ReportInfo(String toolVersion, List<String> commandLine, String startTimeUtc, Integer exitCode) {
    /** Check and copy the parts. */
    public ReportInfo {
        Objects.requireNonNull(toolVersion, "toolVersion");
        commandLine = commandLine == null ? List.of() : List.copyOf(commandLine);
    }

    /** Return information naming only the tool's version. */
    public static ReportInfo of(String toolVersion) {
        return new ReportInfo(toolVersion, List.of(), null, null);
    }
}
