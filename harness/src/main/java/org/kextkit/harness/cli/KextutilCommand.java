package org.kextkit.harness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.check.CheckSettings;
import org.kextkit.harness.check.FindingsReport;
import org.kextkit.harness.check.KextRef;
import org.kextkit.harness.check.report.ReportFormat;
import org.kextkit.harness.check.report.ReportInfo;
import org.kextkit.harness.cli.internal.BundleFacts;
import org.kextkit.harness.cli.internal.HelpOption;
import org.kextkit.harness.cli.internal.LogOptions;
import org.kextkit.harness.cli.internal.NullWriter;
import org.kextkit.harness.cli.internal.PathChecks;
import org.kextkit.harness.cli.internal.ToolLog;
import org.kextkit.harness.cli.internal.Usage;
import org.kextkit.harness.diagnostics.DiagnosticGroup;
import org.kextkit.harness.lifecycle.KextReturn;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Check kexts and load them for development, printing diagnostics, as kextutil does.
 */
@Command(name = "kextutil", sortOptions = false, separator = " ",
        description = "Validate, authenticate and resolve the dependencies of kexts, print their diagnostics, and "
                + "(unless -n) load them, or only load (-l) or only send personalities (-m).",
        exitCodeOnInvalidInput = ExitCodes.EX_USAGE,
        exitCodeOnExecutionException = KextutilCommand.EXIT_UNSPECIFIED,
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            " 0:every kext checked out (and loaded, if loading)",
            " 1:a kext named by path or identifier was not found",
            " 4:a kext failed validation, authentication, dependency resolution or the trial link",
            " 5:a kext is not eligible for safe boot (-x) and was to be loaded",
            " 6:the kernel failed to load a kext or to take its personalities",
            " 7:interactive mode (-i, -I) was asked for; kextkit commands have no terminal",
            "12:every kext loaded, but the checks found problems (findings not suppressed)",
            "11:unspecified internal failure",
            "64:malformed command line",
            "66:a path named on the command line does not exist",
            "69:no kext reader (or, when loading, no kernel) is connected",
            "70:no kexts were found at all",
            "71:the kernel could not be reached",
            "73:a report file (--report) cannot be written",
            "78:the configuration is invalid, such as the machine description the kernel boots on"})
final class KextutilCommand implements Callable<Integer> {
    static final int EXIT_NOT_FOUND = 1;
    static final int EXIT_KEXT_BAD = 4;
    static final int EXIT_SAFE_BOOT = 5;
    static final int EXIT_LOAD_FAILED = 6;
    static final int EXIT_INTERACTION_REQUIRED = 7;
    static final int EXIT_UNSPECIFIED = 11;
    static final int EXIT_FINDINGS = 12;

    private static final Set<String> KNOWN_ARCHES = Set.of("x86_64", "x86_64h", "arm64", "arm64e", "i386");

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Mixin
    private LogOptions logOptions;

    @Option(names = {"-b", "-bundle-id", "--bundle-id"}, paramLabel = "ID", order = 1,
            description = "Use the kext with this CFBundleIdentifier, searched in the system extensions, the named kexts "
                    + "and repositories (repeatable).")
    private List<String> bundleIds = new ArrayList<>();

    @Option(names = {"-d", "-dependency", "--dependency"}, paramLabel = "KEXT", order = 2,
            description = "Add this kext and its plug-ins to the kexts used to resolve dependencies (repeatable).")
    private List<String> dependencies = new ArrayList<>();

    @Option(names = {"-r", "-repository", "--repository"}, paramLabel = "DIR", order = 3,
            description = "Add the kexts in this directory (not recursively) and their plug-ins (repeatable).")
    private List<String> repositories = new ArrayList<>();

    @Option(names = {"-e", "-no-system-extensions", "--no-system-extensions"}, order = 4,
            description = "Don't use the system extension folders.")
    private boolean noSystemExtensions;

    @Option(names = {"-n", "-no-load", "--no-load"}, order = 5,
            description = "Neither load the kext nor send personalities; implies -z unless -t is given.")
    private boolean noLoad;

    @Option(names = {"-t", "-print-diagnostics", "--print-diagnostics"}, order = 6,
            description = "Run and report all checks (validation, authentication, dependencies).")
    private boolean printDiagnostics;

    @Option(names = {"-Z", "-no-resolve-dependencies", "--no-resolve-dependencies"}, order = 7,
            description = "Don't resolve dependencies (only with -n or -m).")
    private boolean noResolveDependencies;

    @Option(names = {"-z", "-no-authentication", "--no-authentication"}, order = 8,
            description = "Don't authenticate (only when not loading or sending personalities).")
    private boolean noAuthentication;

    @Option(names = {"-l", "-load-only", "--load-only"}, order = 9,
            description = "Load and start the kext but send no personalities.")
    private boolean loadOnly;

    @Option(names = {"-m", "-match-only", "--match-only"}, order = 10,
            description = "Don't load; send the personalities of the kext and its dependencies.")
    private boolean matchOnly;

    @Option(names = {"-p", "-personality", "--personality"}, paramLabel = "NAME", order = 11,
            description = "Send only this personality of the kext (repeatable).")
    private List<String> personalities = new ArrayList<>();

    @Option(names = {"-x", "-safe-boot", "--safe-boot"}, order = 12,
            description = "Apply safe-boot rules: kexts (and dependencies) without a suitable OSBundleRequired fail.")
    private boolean safeBoot;

    @Option(names = {"-arch", "--arch"}, paramLabel = "ARCH", order = 13,
            description = "Use this architecture's Info.plist keys (only the kernel's own when loading).")
    private String arch;

    @Option(names = {"-c", "-no-caches", "--no-caches"}, order = 14, description = "Accepted; kextkit keeps no caches.")
    private boolean noCaches;

    @Option(names = {"-D", "-no-loaded-check", "--no-loaded-check"}, order = 15, description = "Accepted and ignored.")
    private boolean noLoadedCheck;

    @Option(names = {"-i", "-interactive", "--interactive"}, order = 16,
            description = "Not supported: interactive loading needs a terminal (exit status 7).")
    private boolean interactive;

    @Option(names = {"-I", "-interactive-all", "--interactive-all"}, order = 17,
            description = "Not supported: interactive loading needs a terminal (exit status 7).")
    private boolean interactiveAll;

    @Option(names = {"-s", "-symbols", "--symbols"}, paramLabel = "DIR", order = 18,
            description = "Not supported: kextkit kexts have no Mach-O symbols.")
    private String symbols;

    @Option(names = {"-a", "-address", "--address"}, paramLabel = "ID@ADDR", order = 19,
            description = "Not supported: kextkit kexts have no Mach-O symbols.")
    private List<String> addresses = new ArrayList<>();

    @Option(names = {"-A", "-use-load-addresses", "--use-load-addresses"}, order = 20,
            description = "Not supported: kextkit kexts have no Mach-O symbols.")
    private boolean useLoadAddresses;

    @Option(names = {"-k", "-kernel", "--kernel"}, paramLabel = "FILE", order = 21,
            description = "Not supported: kextkit kexts have no Mach-O symbols.")
    private String kernelFile;




    @Parameters(paramLabel = "KEXT", description = "A kext bundle to check and load.")
    private List<String> kexts = new ArrayList<>();

    private final CliInvocation invocation;
    private ToolLog log;
    private boolean doLoad;
    private boolean doStartMatching;
    private boolean skipAuthentication;
    private String effectiveArch;
    private List<Path> scanPaths;
    private KextCatalog catalog;
    private KernelPort kernel;
    private boolean fatal;
    private CheckSettings extraChecks;
    @Mixin
    private FindingsOutput findingsOutput = new FindingsOutput();
    private final List<KextRef> checkedKexts = new ArrayList<>();

    KextutilCommand(CliInvocation invocation) {
        this.invocation = invocation;
    }

    /** Pair a kext with the path kextutil names it by: as typed on the command line, else its bundle path. */
    private record Target(KextBundle kext, String displayPath) {
    }

    @Override
    public Integer call() {
        int status = checkArguments();
        if (status != ExitCodes.EX_OK) {
            return status;
        }
        KextInspector inspector = Services.inspector(invocation, "kextutil", log);
        if (inspector == null) {
            return ExitCodes.EX_UNAVAILABLE;
        }
        if (doLoad || doStartMatching) {
            kernel = Services.kernel(invocation, "kextutil", log);
            if (kernel == null) {
                return ExitCodes.EX_UNAVAILABLE;
            }
        }
        catalog = inspector.open(scanPaths, effectiveArch, log);
        if (catalog.kexts().isEmpty()) {
            log.error(KextutilMessages.NO_KEXTS_FOUND);
            return ExitCodes.EX_SOFTWARE;
        }
        List<Target> targets = new ArrayList<>();
        int result = findTargets(targets);
        for (Target target : targets) {
            int processResult = process(target);
            if (result == ExitCodes.EX_OK) {
                result = processResult;
            }
            if (fatal) {
                break;
            }
        }
        return reportFindings(result);
    }

    /**
     * Print or write the findings of the kernel's checks and return the exit status: {@code result} if
     * something failed already, {@link #EXIT_FINDINGS} if findings stand, else success.
     */
    private int reportFindings(int result) {
        if (kernel == null) {
            return result;
        }
        FindingsReport report;
        try {
            report = kernel.findings().applying(extraChecks).withKexts(checkedKexts);
        } catch (KernelUnavailableException e) {
            log.error("Can't contact the kernel to read the checks' findings - " + e.getMessage() + ".");
            return result == ExitCodes.EX_OK ? ExitCodes.EX_OSERR : result;
        }
        int status = result != ExitCodes.EX_OK ? result : report.clean() ? ExitCodes.EX_OK : EXIT_FINDINGS;
        ReportInfo info = new ReportInfo(KextkitVersionProvider.kextkitVersion(), spec.commandLine().getParseResult()
                .originalArgs(), null, status);
        Map<ReportFormat, String> outputs = new LinkedHashMap<>(findingsOutput.reportFiles());
        if (outputs.isEmpty() && !report.clean()) {
            outputs.put(ReportFormat.TEXT, "-");
        }
        return findingsOutput.write(report, info, outputs, invocation, log, status, List.of(ExitCodes.EX_OK, EXIT_FINDINGS));
    }

    /** Read --report, --disable-check and --suppress; return a usage failure or success. */
    private int checkReportArguments() {
        int status = findingsOutput.parse(spec);
        extraChecks = findingsOutput.extraChecks();
        return status;
    }

    private int checkArguments() {
        int threshold = (noLoad || matchOnly || interactive || interactiveAll)
                ? LogLevel.BASIC.value() : ToolLog.DEFAULT_THRESHOLD;
        log = new ToolLog(logOptions.quiet() ? NullWriter.create() : invocation.err(), logOptions.threshold(threshold));
        for (String repository : repositories) {
            int check = PathChecks.check(repository, invocation.resolve(repository), null, true, log);
            if (check != ExitCodes.EX_OK) {
                return usageOr(check);
            }
        }
        for (String kext : kexts) {
            int check = PathChecks.check(kext, invocation.resolve(kext), "kext", true, log);
            if (check != ExitCodes.EX_OK) {
                return usageOr(check);
            }
        }
        if (symbols != null || !addresses.isEmpty() || useLoadAddresses || kernelFile != null) {
            return Usage.fail(spec, "Symbol generation (-symbols, -address, -use-load-addresses, -kernel) is not "
                    + "supported: kextkit kexts have no Mach-O symbols.");
        }
        if (arch != null && !KNOWN_ARCHES.contains(arch)) {
            return Usage.fail(spec, "Unknown architecture " + arch + ".");
        }
        int modes = (loadOnly ? 1 : 0) + (matchOnly ? 1 : 0) + (noLoad ? 1 : 0);
        if (modes > 1) {
            return Usage.fail(spec, KextutilMessages.ONE_OF_LMN);
        }
        doLoad = !matchOnly && !noLoad;
        doStartMatching = !loadOnly && !noLoad;
        boolean interactiveMode = interactive || interactiveAll;
        if (interactiveMode && !doLoad && !doStartMatching) {
            return Usage.fail(spec, "Use interactive modes only when loading or matching.");
        }
        if (interactiveMode) {
            log.error("Interactive mode (-interactive, -interactive-all) needs a terminal, "
                    + "which kextkit commands do not have.");
            return EXIT_INTERACTION_REQUIRED;
        }
        skipAuthentication = noAuthentication;
        if ((doLoad || doStartMatching) && skipAuthentication) {
            return Usage.fail(spec, KextutilMessages.NO_AUTHENTICATION_ONLY_WITHOUT_LOAD);
        }
        if (!doLoad && !doStartMatching && !printDiagnostics) {
            skipAuthentication = true;
        }
        if (noResolveDependencies && doLoad) {
            return Usage.fail(spec, KextutilMessages.NO_RESOLVE_ONLY_WITHOUT_LOAD);
        }
        if (kexts.isEmpty() && bundleIds.isEmpty()) {
            return Usage.fail(spec, KextutilMessages.NO_KEXTS);
        }
        int reportCheck = checkReportArguments();
        if (reportCheck != ExitCodes.EX_OK) {
            return reportCheck;
        }
        String kernelArch = invocation.context().arch();
        if (arch != null && doLoad && !arch.equals(kernelArch)) {
            return Usage.fail(spec, KextutilMessages.archMismatch(arch, kernelArch));
        }
        effectiveArch = arch != null ? arch : kernelArch;
        if (invocation.context().safeBoot() && !safeBoot) {
            log.warning(KextutilMessages.NOTICE_SAFE_BOOT_SYSTEM);
        }
        scanPaths = new ArrayList<>();
        if (!noSystemExtensions) {
            scanPaths.addAll(invocation.context().extensionFolders());
        }
        kexts.forEach(k -> scanPaths.add(invocation.resolve(k)));
        repositories.forEach(r -> scanPaths.add(invocation.resolve(r)));
        dependencies.forEach(d -> scanPaths.add(invocation.resolve(d)));
        if (!bundleIds.isEmpty() && scanPaths.isEmpty()) {
            return Usage.fail(spec, KextutilMessages.NO_KEXTS_TO_SEARCH);
        }
        return ExitCodes.EX_OK;
    }

    private int usageOr(int check) {
        if (check == ExitCodes.EX_USAGE) {
            Usage.printBrief(spec.commandLine(), invocation.err());
        }
        return check;
    }

    private int findTargets(List<Target> targets) {
        int result = ExitCodes.EX_OK;
        for (String kext : kexts) {
            KextBundle bundle = catalog.kextAt(invocation.resolve(kext));
            if (bundle == null) {
                // The catalog has already logged why it could not read this kext.
                result = EXIT_NOT_FOUND;
                continue;
            }
            if (targets.stream().noneMatch(t -> t.kext() == bundle)) {
                targets.add(new Target(bundle, kext));
            }
        }
        for (String id : bundleIds) {
            // A kext named by path wins over an identifier lookup, which might find another version.
            Optional<Target> named = targets.stream().filter(t -> id.equals(t.kext().identifier())).findFirst();
            if (named.isPresent()) {
                continue;
            }
            KextBundle bundle = catalog.kextWithIdentifier(id);
            if (bundle == null) {
                log.error(KextutilMessages.cantFindIdentifier(id));
                result = EXIT_NOT_FOUND;
                continue;
            }
            targets.add(new Target(bundle, bundle.path().toString()));
        }
        return result;
    }

    private int process(Target target) {
        checkedKexts.add(new KextRef(target.kext().identifier(), target.kext().versionString()));
        int result = runTests(target);
        if (result != ExitCodes.EX_OK) {
            return result;
        }
        if (doLoad) {
            return load(target);
        }
        if (doStartMatching) {
            return sendPersonalities(target);
        }
        return ExitCodes.EX_OK;
    }

    private int runTests(Target target) {
        KextBundle kext = target.kext();
        String path = target.displayPath();
        int result = ExitCodes.EX_OK;
        if (safeBoot && !BundleFacts.isEligibleInSafeBoot(kext)) {
            boolean mustQualify = doLoad || doStartMatching;
            log.log(mustQualify ? LogLevel.WARNING : LogLevel.ERROR,
                    KextutilMessages.notEligibleInSafeBoot(path, mustQualify));
            if (mustQualify) {
                result = EXIT_SAFE_BOOT;
            }
        }
        if (BundleFacts.hasDebugProperties(kext)) {
            log.warning(KextutilMessages.debugProperties(path));
        }
        // Every check runs even after one fails, so that the diagnostics are complete.
        boolean looksGood = catalog.validate(kext);
        if (!skipAuthentication) {
            looksGood = catalog.authenticate(kext) && looksGood;
        }
        if (!noResolveDependencies) {
            looksGood = catalog.resolveDependencies(kext) && looksGood;
            looksGood = catalog.checkDependencies(kext, !skipAuthentication) && looksGood;
        }
        if (safeBoot) {
            looksGood = catalog.isLoadableInSafeBoot(kext) && looksGood;
        }
        if (!looksGood) {
            log.error(KextutilMessages.diagnosticsFor(path));
            log.block(LogLevel.ERROR, kext.diagnostics().format());
            return result == ExitCodes.EX_OK ? EXIT_KEXT_BAD : result;
        }
        if (result == ExitCodes.EX_OK) {
            log.block(LogLevel.WARNING, kext.diagnostics().format(Set.of(DiagnosticGroup.WARNINGS)));
        }
        boolean tryLink = !doLoad && effectiveArch.equals(invocation.context().arch())
                && !kext.isInterface() && kext.declaresExecutable();
        boolean linked = false;
        if (tryLink) {
            Optional<TrialLink> trial = catalog.trialLink(kext);
            if (trial.isPresent()) {
                linked = true;
                if (!trial.get().linked()) {
                    trial.get().messages().forEach(log::error);
                    log.error(KextutilMessages.CHECK_LIBRARIES);
                    // kext_tools treats a failed trial link as fatal for the whole run.
                    fatal = true;
                    if (result == ExitCodes.EX_OK) {
                        result = EXIT_KEXT_BAD;
                    }
                }
            }
        }
        if (result == ExitCodes.EX_OK) {
            log.basic(KextutilMessages.appearsLoadable(path, linked));
        }
        return result;
    }

    private int load(Target target) {
        String path = target.displayPath();
        log.basic(KextutilMessages.loading(path));
        LoadRequest.Mode mode = doStartMatching ? LoadRequest.Mode.LOAD_START_AND_MATCH : LoadRequest.Mode.LOAD_AND_START;
        KernelResponse response;
        try {
            response = kernel.load(new LoadRequest(target.kext().path(), null, scanPaths, mode, personalities, safeBoot));
        } catch (KernelUnavailableException e) {
            log.error("Can't contact the kernel to load " + path + " - " + e.getMessage() + ".");
            fatal = true;
            return ExitCodes.EX_OSERR;
        }
        log.kernel(response.messages());
        if (response.isSuccess()) {
            log.basic(KextutilMessages.loaded(path));
            return ExitCodes.EX_OK;
        }
        // kext_tools logs this line at basic level, hidden without -v; kextkit always shows it.
        log.error(KextutilMessages.failedToLoad(path, response.result()));
        if (response.result() == KextReturn.LINK_ERROR) {
            log.error(KextutilMessages.CHECK_LIBRARIES);
        }
        return EXIT_LOAD_FAILED;
    }

    private int sendPersonalities(Target target) {
        String path = target.displayPath();
        log.log(LogLevel.STEP, "Sending personalities of " + path + " to the IOCatalogue.");
        KernelResponse response;
        try {
            response = kernel.load(new LoadRequest(target.kext().path(), null, scanPaths, LoadRequest.Mode.MATCH_ONLY,
                    personalities, safeBoot));
        } catch (KernelUnavailableException e) {
            log.error("Can't contact the kernel to send personalities of " + path + " - " + e.getMessage() + ".");
            fatal = true;
            return ExitCodes.EX_OSERR;
        }
        log.kernel(response.messages());
        if (!response.isSuccess()) {
            log.error("Failed to send personalities for " + path + " - " + response.result().machErrorString() + ".");
            return EXIT_LOAD_FAILED;
        }
        return ExitCodes.EX_OK;
    }
}
