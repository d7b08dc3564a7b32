package org.kextkit.maven;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.kextkit.harness.check.CheckSettings;
import org.kextkit.harness.check.CheckSettingsException;
import org.kextkit.harness.check.FindingsReport;
import org.kextkit.harness.check.Severity;
import org.kextkit.harness.check.Suppression;
import org.kextkit.harness.check.report.ReportFormat;
import org.kextkit.harness.check.report.ReportInfo;
import org.kextkit.harness.cli.KernelSetupException;
import org.kextkit.harness.cli.KextChecker;
import org.kextkit.harness.cli.KextkitVersionProvider;
import org.kextkit.harness.cli.wiring.HostedKextChecker;
import org.kextkit.harness.config.KextkitConfig;
import org.kextkit.maven.internal.ToolRun;

/**
 * Check the assembled bundle as {@code kextutil -n} and {@code kextcheck} do, and fail the build on
 * what they find.
 *
 * <p>First kextutil's static checks (validation, dependency resolution, a trial link), whose
 * diagnostics are printed as kextutil prints them; then the kext's whole life in a hosted kernel of
 * its own on the configured machine (load with its dependencies, match, start, the sleep-wake
 * exercise, stop, unload), with every run-time check on. The findings go to the build log in
 * kextutil's text format and to {@code target/kextkit-reports/} as text, JSON, SARIF and JUnit XML.
 */
@Mojo(name = "check", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class CheckMojo extends AbstractKextMojo {
    private static final Map<ReportFormat, String> REPORT_FILES = Map.of(ReportFormat.TEXT, "kextkit.txt",
            ReportFormat.JSON, "kextkit.json", ReportFormat.SARIF, "kextkit.sarif", ReportFormat.JUNIT, "TEST-kextkit.xml");

    /** Skip the checks. */
    @Parameter(property = "kext.check.skip", defaultValue = "false")
    private boolean skip;

    /** The machine description to boot the kernel on (docs/pci-family.md); by default kextkit's configured one. */
    @Parameter(property = "kext.machine")
    private File machine;

    /** Fail on findings of this severity or worse: {@code error}, {@code warning}, {@code note}, or {@code none}. */
    @Parameter(property = "kext.failOnSeverity", defaultValue = "warning", required = true)
    private String failOnSeverity;

    /** Checks not to report, by id (as {@code kextutil --disable-check}); ids may be separated by commas. */
    @Parameter(property = "kext.disableChecks")
    private List<String> disableChecks = new ArrayList<>();

    /** Findings to accept, each {@code ID[:KEXT][@CLASS[#METHOD]]=REASON} (as {@code kextutil --suppress}). */
    @Parameter
    private List<String> suppressions = new ArrayList<>();

    /** What runs while the drivers are up: {@code sleep-wake} or {@code none} (as {@code kextcheck --exercise}). */
    @Parameter(property = "kext.exercise", defaultValue = "sleep-wake", required = true)
    private String exercise;

    /** More kexts (folders or bundles) to resolve the kext's libraries against, as {@code kextutil -d}. */
    @Parameter
    private List<File> dependencies = new ArrayList<>();

    /** Where the reports go. */
    @Parameter(property = "kext.reportsDirectory", defaultValue = "${project.build.directory}/kextkit-reports", required = true)
    private File reportsDirectory;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("kextkit checks skipped (kext.check.skip).");
            return;
        }
        Severity threshold = threshold();
        KextChecker.Exercise run = KextChecker.Exercise.byName(exercise).orElseThrow(() -> new MojoFailureException(
                "<exercise> " + exercise + ": expected none or sleep-wake."));
        CheckSettings extra = extraChecks();
        Path bundle = requireBundle();
        KextkitConfig config = machine == null ? config() : config().withMachine(machine.toPath().toAbsolutePath());

        staticChecks(config, bundle);

        HostedKextChecker checker = new HostedKextChecker(config);
        List<Path> searchPaths = new ArrayList<>();
        searchPaths.add(bundle);
        dependencies.forEach(d -> searchPaths.add(d.toPath().toAbsolutePath()));
        List<FindingsReport> reports = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try {
            checker.checkMachine(null);
            for (KextChecker.Target target : checker.find(List.of(bundle))) {
                if (target.problem() != null) {
                    failures.add(target.displayName() + ": could not load (" + target.problem() + ")");
                    continue;
                }
                KextChecker.Result result = checker.check(target, searchPaths, null, run);
                reports.add(result.findings());
                describe(target, result, failures);
            }
        } catch (KernelSetupException e) {
            throw new MojoFailureException("The kernel can't be set up: " + e.getMessage());
        }
        FindingsReport report = FindingsReport.combine(reports, config.checks()).applying(extra);
        writeReports(report);
        String text = ReportFormat.TEXT.write(report, ReportInfo.of(KextkitVersionProvider.kextkitVersion()));
        if (report.clean()) {
            text.lines().forEach(getLog()::info);
        } else {
            logErrorLines(text);
        }
        getLog().info("Reports in " + reportsDirectory);
        long failing = threshold == null ? 0 : report.findings().stream()
                .filter(f -> f.finding().severity().compareTo(threshold) <= 0).count();
        if (failing > 0) {
            failures.add(failing + (failing == 1 ? " finding" : " findings") + " at or above " + failOnSeverity
                    + " (<failOnSeverity>)");
        }
        if (!failures.isEmpty()) {
            throw new MojoFailureException("kextkit checks failed for " + bundle.getFileName() + ":\n  "
                    + String.join("\n  ", failures) + "\n" + (report.clean() ? "" : text.stripTrailing()));
        }
    }

    /** Run kextutil's checks without loading, and fail with its diagnostics if the kext is not loadable. */
    private void staticChecks(KextkitConfig config, Path bundle) throws MojoFailureException {
        List<String> argv = new ArrayList<>(List.of("kextutil", "-n"));
        for (File d : dependencies) {
            argv.add("-d");
            argv.add(d.getAbsolutePath());
        }
        argv.add(bundle.toString());
        ToolRun kextutil = ToolRun.inProcess(config, basedir(), argv);
        if (kextutil.status() != 0) {
            logErrorLines(kextutil.output());
            throw new MojoFailureException("kextutil -n " + bundle.getFileName() + " (exit status " + kextutil.status()
                    + "):\n" + kextutil.output());
        }
        // kextutil prints only warnings and, at basic level, "appears to be loadable" when it passes.
        kextutil.err().lines().forEach(line -> {
            if (line.contains("appears to be loadable")) {
                getLog().info(line);
            } else {
                getLog().warn(line);
            }
        });
    }

    private void describe(KextChecker.Target target, KextChecker.Result result, List<String> failures) {
        String name = target.displayName();
        switch (result.outcome()) {
            case RAN -> getLog().info(name + ": " + result.driversStarted() + " driver(s) started and stopped.");
            case NOT_LOADED -> {
                failures.add(name + ": could not load (" + result.reason() + ")");
                result.details().forEach(getLog()::error);
            }
            case PANICKED -> {
                failures.add(name + ": kernel panic (" + result.reason() + ")");
                result.details().forEach(getLog()::error);
            }
            case HARNESS_ERROR -> {
                failures.add(name + ": kextkit itself failed (" + result.reason() + "); please report it");
                result.details().forEach(getLog()::error);
            }
        }
    }

    private Severity threshold() throws MojoFailureException {
        String value = failOnSeverity.strip().toLowerCase(Locale.ROOT);
        if (value.equals("none")) {
            return null;
        }
        for (Severity s : Severity.values()) {
            if (s.sarifLevel().equals(value)) {
                return s;
            }
        }
        throw new MojoFailureException("<failOnSeverity> " + failOnSeverity + ": expected error, warning, note or none.");
    }

    private CheckSettings extraChecks() throws MojoFailureException {
        List<String> ids = new ArrayList<>();
        for (String d : disableChecks) {
            try {
                ids.addAll(CheckSettings.parseDisabled(d));
            } catch (CheckSettingsException e) {
                throw new MojoFailureException("<disableChecks> " + d + ": " + e.getMessage() + ".");
            }
        }
        List<Suppression> accepted = new ArrayList<>();
        for (String s : suppressions) {
            try {
                accepted.add(Suppression.parse(s));
            } catch (CheckSettingsException e) {
                throw new MojoFailureException("<suppressions> " + s + ": " + e.getMessage() + ".");
            }
        }
        return CheckSettings.of(ids, accepted);
    }

    private void writeReports(FindingsReport report) throws MojoExecutionException {
        ReportInfo info = ReportInfo.of(KextkitVersionProvider.kextkitVersion());
        try {
            Files.createDirectories(reportsDirectory.toPath());
            for (ReportFormat format : ReportFormat.values()) {
                Path file = reportsDirectory.toPath().resolve(REPORT_FILES.get(format));
                Files.writeString(file, format.write(report, info), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new MojoExecutionException("Can't write the kextkit reports to " + reportsDirectory + ": " + e.getMessage(), e);
        }
    }
}
