package org.kextkit.harness.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kextkit.harness.check.CheckSettings;
import org.kextkit.harness.check.CheckSettingsException;
import org.kextkit.harness.check.FindingsReport;
import org.kextkit.harness.check.Suppression;
import org.kextkit.harness.check.report.ReportFormat;
import org.kextkit.harness.check.report.ReportInfo;
import org.kextkit.harness.cli.internal.ToolLog;
import org.kextkit.harness.cli.internal.Usage;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The {@code --report}, {@code --disable-check} and {@code --suppress} options of kextutil and
 * kextcheck (a picocli mixin both commands declare): reading them, and writing a findings report to
 * the files they name.
 */
final class FindingsOutput {
    @Option(names = {"--report"}, paramLabel = "FORMAT=FILE", order = 90,
            description = "Write the findings in FORMAT (text, json, sarif or junit) to FILE (- for standard output); "
                    + "repeatable. Without it, findings are printed as text when there are any.")
    private List<String> reports = new ArrayList<>();

    @Option(names = {"--disable-check"}, paramLabel = "ID", order = 91,
            description = "Don't report findings of this check (repeatable, or ids separated by commas).")
    private List<String> disabledChecks = new ArrayList<>();

    @Option(names = {"--suppress"}, paramLabel = "ID[:KEXT][@CLASS[#METHOD]]=REASON", order = 92,
            description = "Accept these findings for the written reason; reports list them as suppressed (repeatable).")
    private List<String> suppressions = new ArrayList<>();

    private final Map<ReportFormat, String> reportFiles = new LinkedHashMap<>();
    private CheckSettings extraChecks = CheckSettings.defaults();

    /**
     * Read the options' values; return {@link ExitCodes#EX_OK}, or the usage failure (printed) that
     * names the option and what was expected.
     */
    int parse(CommandSpec spec) {
        for (String r : reports) {
            int eq = r.indexOf('=');
            String name = eq < 0 ? r : r.substring(0, eq);
            Optional<ReportFormat> format = ReportFormat.byName(name.strip());
            if (eq <= 0 || format.isEmpty() || r.substring(eq + 1).isBlank()) {
                return Usage.fail(spec, "Invalid --report " + r + ": expected FORMAT=FILE with FORMAT one of text, json, "
                        + "sarif, junit and FILE a path or - for standard output, such as --report sarif=kextkit.sarif.");
            }
            reportFiles.put(format.get(), r.substring(eq + 1).strip());
        }
        List<String> ids = new ArrayList<>();
        for (String d : disabledChecks) {
            try {
                ids.addAll(CheckSettings.parseDisabled(d));
            } catch (CheckSettingsException e) {
                return Usage.fail(spec, "Invalid --disable-check " + d + ": " + e.getMessage() + ".");
            }
        }
        List<Suppression> accepted = new ArrayList<>();
        for (String s : suppressions) {
            try {
                accepted.add(Suppression.parse(s));
            } catch (CheckSettingsException e) {
                return Usage.fail(spec, "Invalid --suppress " + s + ": " + e.getMessage() + ".");
            }
        }
        extraChecks = CheckSettings.of(ids, accepted);
        return ExitCodes.EX_OK;
    }

    /** Return the settings the command line adds to the configured ones. */
    CheckSettings extraChecks() {
        return extraChecks;
    }

    /** Return the reports asked for: format to file name as typed ({@code -} for standard output). */
    Map<ReportFormat, String> reportFiles() {
        return Collections.unmodifiableMap(reportFiles);
    }

    /**
     * Write {@code report} in every format asked for ({@code extra} adds outputs, such as text on
     * standard output when none was asked for); return {@code status}, or {@link ExitCodes#EX_CANTCREAT}
     * instead of any status in {@code replaceable} if a file cannot be written (the message names it).
     */
    int write(FindingsReport report, ReportInfo info, Map<ReportFormat, String> outputs, CliInvocation invocation,
            ToolLog log, int status, List<Integer> replaceable) {
        int result = status;
        for (Map.Entry<ReportFormat, String> e : outputs.entrySet()) {
            String text = e.getKey().write(report, info);
            if (e.getValue().equals("-")) {
                invocation.out().print(text);
                invocation.out().flush();
                continue;
            }
            Path file = invocation.resolve(e.getValue());
            try {
                if (file.getParent() != null) {
                    Files.createDirectories(file.getParent());
                }
                Files.writeString(file, text, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException ex) {
                log.error("Can't write the " + e.getKey().formatName() + " report to " + file + " - "
                        + (ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage()) + ".");
                if (replaceable.contains(result)) {
                    result = ExitCodes.EX_CANTCREAT;
                }
            }
        }
        return result;
    }
}
