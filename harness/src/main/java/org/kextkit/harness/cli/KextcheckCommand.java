package org.kextkit.harness.cli;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.kextkit.harness.check.FindingsReport;
import org.kextkit.harness.check.Severity;
import org.kextkit.harness.check.report.ReportFormat;
import org.kextkit.harness.check.report.ReportInfo;
import org.kextkit.harness.cli.KextChecker.Exercise;
import org.kextkit.harness.cli.KextChecker.Isolation;
import org.kextkit.harness.cli.KextChecker.Outcome;
import org.kextkit.harness.cli.KextChecker.Result;
import org.kextkit.harness.cli.KextChecker.Target;
import org.kextkit.harness.cli.internal.HelpOption;
import org.kextkit.harness.cli.kextcheck.ArchiveLimits;
import org.kextkit.harness.cli.kextcheck.KextArchive;
import org.kextkit.harness.cli.kextcheck.KextcheckInputs;
import org.kextkit.harness.cli.internal.LogOptions;
import org.kextkit.harness.cli.internal.NullWriter;
import org.kextkit.harness.cli.internal.ToolLog;
import org.kextkit.harness.cli.internal.Usage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kextkit kextcheck [options] KEXT_OR_FOLDER...}: run each kext found, in a kernel of its own,
 * through load, matching, start, an exercise, termination, stop and unload, and report what the
 * checks found, for a CI job. kextkit's own command; Apple's tools have no counterpart.
 */
@Command(name = "kextcheck", sortOptions = false, separator = " ",
        description = "Run each kext (a .kext, a .kext.zip, or every kext, zipped kext and plug-in found in a folder and its "
                + "subfolders) in a "
                + "fresh hosted kernel, by default inside a worker process, on the "
                + "configured machine: load it, let matching start its drivers, exercise them (a system sleep and wake), "
                + "terminate them, unload the kext, and report what the checks found. One kext's failure or panic never "
                + "affects the next.",
        exitCodeOnInvalidInput = ExitCodes.EX_USAGE,
        exitCodeOnExecutionException = ExitCodes.EX_SOFTWARE,
        exitCodeListHeading = "%nExit status (the first that applies):%n",
        exitCodeList = {
            "70:a harness error: kextkit failed while running a kext, or a kext's worker process died or timed out",
            "73:a report file (--report) cannot be written",
            " 6:a kext could not be loaded (unreadable, a bad .kext.zip, invalid, unresolved, failed to link or start)",
            "12:findings stand (not suppressed, of checks not disabled), or a kext panicked the kernel",
            " 0:every kext ran clean",
            "64:malformed command line",
            "66:a path named does not exist, or no kexts were found in the paths named",
            "69:no kext checker is connected",
            "78:the configuration is invalid, such as the machine description the kernels boot on"})
public final class KextcheckCommand implements Callable<Integer> {
    /** Exit status when at least one kext could not be loaded (and nothing worse happened). */
    public static final int EXIT_NOT_LOADED = 6;
    /** Exit status when findings stand in at least one kext, or one panicked (and nothing worse happened). */
    public static final int EXIT_FINDINGS = 12;

    /** The real time a kext's run may take in a worker process, by default. */
    public static final long DEFAULT_TIMEOUT_SECONDS = 300;

    private static final String COMMAND = "kextcheck";

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Mixin
    private LogOptions logOptions;

    @Option(names = {"--machine"}, paramLabel = "FILE", order = 1,
            description = "Boot every kernel on this machine description (same as --set kextkit.machine=FILE); "
                    + "without it, the configured machine, by default the built-in SimMachine.")
    private String machine;

    @Option(names = {"--exercise"}, paramLabel = "EXERCISE", order = 2,
            description = "What runs while the drivers are up: sleep-wake (the default: a system sleep, then a wake) "
                    + "or none.")
    private String exercise = Exercise.SLEEP_WAKE.optionName();

    @Option(names = {"-d", "-dependency", "--dependency"}, paramLabel = "KEXT", order = 3,
            description = "Also use this kext and its plug-ins to resolve dependencies, without checking it (repeatable).")
    private List<String> dependencies = new ArrayList<>();

    @Option(names = {"-r", "-repository", "--repository"}, paramLabel = "DIR", order = 4,
            description = "Also use the kexts in this directory to resolve dependencies, without checking them (repeatable).")
    private List<String> repositories = new ArrayList<>();

    @Option(names = {"-e", "-no-system-extensions", "--no-system-extensions"}, order = 5,
            description = "Don't use the system extension folders to resolve dependencies.")
    private boolean noSystemExtensions;

    @Option(names = {"--isolation"}, paramLabel = "MODE", order = 6,
            description = "process (the default): each kext in a fresh kernel inside a worker JVM, replaced when a kext "
                    + "crashes, hangs or soils it; kernel: each kext in a fresh kernel inside this JVM (faster, but a "
                    + "kext's runaway threads or heap use stay for the next).")
    private String isolation = Isolation.PROCESS.optionName();

    @Option(names = {"--timeout"}, paramLabel = "SECONDS", order = 7,
            description = "With --isolation=process, the real time one kext's run may take before its worker is "
                    + "stopped and the kext reported as a harness error (default: ${DEFAULT-VALUE}).")
    private long timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;

    @Parameters(paramLabel = "KEXT_OR_FOLDER", description = "A kext bundle, a zipped one (Foo.kext.zip), or a folder "
            + "searched for them (subfolders up to 8 levels deep, hidden ones skipped; plug-ins included), to check.")
    private List<String> items = new ArrayList<>();

    private final CliInvocation invocation;
    @Mixin
    private FindingsOutput findingsOutput = new FindingsOutput();
    private ToolLog log;

    KextcheckCommand(CliInvocation invocation) {
        this.invocation = invocation;
    }

    /** One kext's line in the summary. */
    private record Row(Target target, Result result, FindingsReport findings) {
        /** Return true if the kext's kernel ran, so its findings count (a load failure's included). */
        boolean ran() {
            return result.outcome() != Outcome.HARNESS_ERROR && target.problem() == null;
        }

        String resultText() {
            return switch (result.outcome()) {
                case RAN -> findings.clean() ? "clean" : plural(findings.findings().size(), "finding");
                case PANICKED -> (findings.clean() ? "" : plural(findings.findings().size(), "finding") + ", ")
                        + "kernel panic (" + result.reason() + ")";
                case NOT_LOADED -> (findings.clean() ? "" : plural(findings.findings().size(), "finding") + ", ")
                        + "could not load (" + result.reason() + ")";
                case HARNESS_ERROR -> "harness error (" + result.reason() + ")";
            };
        }

        /** Return this kext's exit status on its own. */
        int status() {
            return switch (result.outcome()) {
                case RAN -> findings.clean() ? ExitCodes.EX_OK : EXIT_FINDINGS;
                case PANICKED -> EXIT_FINDINGS;
                case NOT_LOADED -> EXIT_NOT_LOADED;
                case HARNESS_ERROR -> ExitCodes.EX_SOFTWARE;
            };
        }
    }

    @Override
    public Integer call() {
        log = new ToolLog(logOptions.quiet() ? NullWriter.create() : invocation.err(),
                logOptions.threshold(ToolLog.DEFAULT_THRESHOLD));
        int status = checkArguments();
        if (status != ExitCodes.EX_OK) {
            return status;
        }
        KextChecker checker = Services.kextChecker(invocation, COMMAND, log);
        if (checker == null) {
            return ExitCodes.EX_UNAVAILABLE;
        }
        Path machinePath = machine == null ? null : invocation.resolve(machine);
        Exercise chosen = Exercise.byName(exercise).orElseThrow();
        Isolation mode = Isolation.byName(isolation).orElseThrow();
        List<Path> named = new ArrayList<>();
        items.forEach(item -> named.add(invocation.resolve(item)));
        Set<Path> searchPaths = new LinkedHashSet<>();
        if (!noSystemExtensions) {
            searchPaths.addAll(invocation.context().extensionFolders());
        }
        List<Row> rows = new ArrayList<>();
        try (KextcheckInputs inputs = new KextcheckInputs(checker, ArchiveLimits.DEFAULT)) {
            checker.checkMachine(machinePath);
            List<Target> targets = inputs.find(named);
            searchPaths.addAll(inputs.searchItems());
            repositories.forEach(r -> searchPaths.add(invocation.resolve(r)));
            dependencies.forEach(d -> searchPaths.add(invocation.resolve(d)));
            if (targets.isEmpty()) {
                log.error("No kernel extensions found in " + String.join(", ", items) + ".");
                return ExitCodes.EX_NOINPUT;
            }
            try (KextChecker.Session session = checker.session(mode, Duration.ofSeconds(timeoutSeconds))) {
                for (int i = 0; i < targets.size(); i++) {
                    rows.add(run(session, inputs, targets.get(i), i + 1, targets.size(), List.copyOf(searchPaths),
                            machinePath, chosen));
                }
            }
        } catch (KernelSetupException e) {
            log.error(COMMAND + ": " + e.getMessage());
            return ExitCodes.EX_CONFIG;
        } catch (UncheckedIOException e) {
            log.error(COMMAND + ": could not make a folder for the unpacked archives - " + e.getCause().getMessage());
            return ExitCodes.EX_CANTCREAT;
        }
        return finish(rows);
    }

    private int checkArguments() {
        if (items.isEmpty()) {
            return Usage.fail(spec, "No kernel extensions specified; name kext bundles or folders of them.");
        }
        for (String item : items) {
            Path path = invocation.resolve(item);
            if (!Files.exists(path)) {
                log.error("Can't stat " + item + " - No such file or directory.");
                return ExitCodes.EX_NOINPUT;
            }
            if (!Files.isDirectory(path) && !KextArchive.isArchiveName(path)) {
                return Usage.fail(spec, item + " is neither a kext bundle, a zipped kext (.kext.zip) nor a folder of kexts.");
            }
        }
        for (String d : dependencies) {
            if (!Files.exists(invocation.resolve(d))) {
                log.error("Can't stat " + d + " - No such file or directory.");
                return ExitCodes.EX_NOINPUT;
            }
        }
        for (String r : repositories) {
            Path path = invocation.resolve(r);
            if (!Files.exists(path)) {
                log.error("Can't stat " + r + " - No such file or directory.");
                return ExitCodes.EX_NOINPUT;
            }
            if (!Files.isDirectory(path)) {
                return Usage.fail(spec, r + " is not a directory.");
            }
        }
        if (machine != null && !Files.isRegularFile(invocation.resolve(machine))) {
            log.error("Can't read the machine description " + machine + " (--machine) - "
                    + (Files.exists(invocation.resolve(machine)) ? "not a file" : "No such file or directory") + ".");
            return ExitCodes.EX_NOINPUT;
        }
        if (Exercise.byName(exercise).isEmpty()) {
            return Usage.fail(spec, "Invalid --exercise " + exercise + ": expected none or sleep-wake.");
        }
        if (Isolation.byName(isolation).isEmpty()) {
            return Usage.fail(spec, "Invalid --isolation " + isolation + ": expected process or kernel.");
        }
        if (timeoutSeconds < 1) {
            return Usage.fail(spec, "Invalid --timeout " + timeoutSeconds + ": expected a whole number of seconds, at least 1.");
        }
        return findingsOutput.parse(spec);
    }

    private Row run(KextChecker.Session checker, KextcheckInputs inputs, Target target, int index, int total,
            List<Path> searchPaths, Path machinePath, Exercise chosen) {
        String prefix = "[" + index + "/" + total + "] " + target.displayName() + " ...";
        progress(prefix);
        Result result;
        if (target.problem() != null) {
            result = new Result(Outcome.NOT_LOADED, target.problem(), List.of(), FindingsReport.EMPTY, 0);
        } else {
            try {
                result = checker.check(target, searchPaths, machinePath, chosen);
            } catch (KernelSetupException e) {
                progressEnd("stopped");
                throw e;
            } catch (RuntimeException e) {
                // The checker reports what kexts do; anything escaping it is kextkit's own failure.
                result = new Result(Outcome.HARNESS_ERROR, describe(e), List.of(), FindingsReport.EMPTY, 0);
            }
        }
        result = inputs.relabel(result);
        FindingsReport findings = result.findings().applying(findingsOutput.extraChecks());
        Row row = new Row(target, result, findings);
        progressEnd(row.resultText());
        for (String line : result.details()) {
            log.basic("    " + line);
        }
        return row;
    }

    private void progress(String text) {
        if (!logOptions.quiet()) {
            invocation.err().print(text);
            invocation.err().flush();
        }
    }

    private void progressEnd(String text) {
        if (!logOptions.quiet()) {
            invocation.err().print(" " + text + "\n");
            invocation.err().flush();
        }
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private int finish(List<Row> rows) {
        int status = ExitCodes.EX_OK;
        for (Row row : rows) {
            status = worse(status, row.status());
        }
        List<FindingsReport> ran = new ArrayList<>();
        for (Row row : rows) {
            if (row.ran()) {
                ran.add(row.findings());
            }
        }
        FindingsReport combined = FindingsReport.combine(ran, rows.stream().filter(Row::ran).findFirst()
                .map(r -> r.findings().settings()).orElse(findingsOutput.extraChecks()));
        ReportInfo info = new ReportInfo(KextkitVersionProvider.kextkitVersion(),
                spec.commandLine().getParseResult().originalArgs(), null, status);
        Map<ReportFormat, String> outputs = new LinkedHashMap<>(findingsOutput.reportFiles());
        if (outputs.isEmpty() && !combined.clean() && !logOptions.quiet()) {
            outputs.put(ReportFormat.TEXT, "-");
        }
        int written = findingsOutput.write(combined, info, outputs, invocation, log, status,
                List.of(ExitCodes.EX_OK, EXIT_FINDINGS, EXIT_NOT_LOADED));
        if (!logOptions.quiet()) {
            if (outputs.containsValue("-")) {
                invocation.out().print("\n");
            }
            invocation.out().print(summary(rows));
            invocation.out().flush();
        }
        return written;
    }

    /** Return the status that wins: harness error, then could not load, then findings, then clean. */
    static int worse(int a, int b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(int status) {
        return switch (status) {
            case ExitCodes.EX_SOFTWARE -> 4;
            case ExitCodes.EX_CANTCREAT -> 3;
            case EXIT_NOT_LOADED -> 2;
            case EXIT_FINDINGS -> 1;
            default -> 0;
        };
    }

    /** Return the summary table and its totals line. */
    static String summary(List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"Kext", "Version", "Errors", "Warnings", "Notes", "Result"});
        int clean = 0;
        int withFindings = 0;
        int panicked = 0;
        int notLoaded = 0;
        int harness = 0;
        for (Row row : rows) {
            String version = row.target().version() == null ? "-" : row.target().version();
            boolean ran = row.ran();
            cells.add(new String[] {row.target().displayName(), version,
                count(ran, row.findings(), Severity.ERROR, Severity.FATAL), count(ran, row.findings(), Severity.WARNING),
                count(ran, row.findings(), Severity.NOTE), row.resultText()});
            switch (row.result().outcome()) {
                case RAN -> {
                    if (row.findings().clean()) {
                        clean++;
                    } else {
                        withFindings++;
                    }
                }
                case PANICKED -> panicked++;
                case NOT_LOADED -> notLoaded++;
                case HARNESS_ERROR -> harness++;
            }
        }
        int[] widths = new int[5];
        for (String[] line : cells) {
            for (int c = 0; c < widths.length; c++) {
                widths[c] = Math.max(widths[c], line[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] line : cells) {
            for (int c = 0; c < widths.length; c++) {
                String cell = line[c];
                // Names left-aligned, counts right-aligned.
                sb.append(c < 2 ? pad(cell, widths[c], false) : pad(cell, widths[c], true)).append("  ");
            }
            sb.append(line[5]).append('\n');
        }
        sb.append(plural(rows.size(), "kext")).append(": ").append(clean).append(" clean, ").append(withFindings)
                .append(" with findings, ");
        if (panicked > 0) {
            sb.append(panicked).append(" panicked, ");
        }
        sb.append(notLoaded).append(" could not load, ").append(plural(harness, "harness error")).append('\n');
        return sb.toString();
    }

    /** Return the number of findings of these severities (a panic's fatal finding counts as an error), or "-". */
    private static String count(boolean ran, FindingsReport findings, Severity... severities) {
        if (!ran) {
            return "-";
        }
        int n = 0;
        for (Severity severity : severities) {
            n += findings.count(severity);
        }
        return Integer.toString(n);
    }

    private static String pad(String s, int width, boolean right) {
        String spaces = " ".repeat(width - s.length());
        return right ? spaces + s : s + spaces;
    }

    static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
