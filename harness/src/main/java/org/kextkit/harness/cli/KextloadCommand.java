package org.kextkit.harness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.kextkit.harness.cli.internal.HelpOption;
import org.kextkit.harness.cli.internal.LogOptions;
import org.kextkit.harness.cli.internal.NullWriter;
import org.kextkit.harness.cli.internal.ToolLog;
import org.kextkit.harness.cli.internal.Usage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Ask the kernel to load kexts, as kextload forwards load requests to kextd.
 */
@Command(name = "kextload", sortOptions = false, separator = " ",
        description = "Load kexts (and the kexts they depend on) into the kernel, starting them and sending their "
                + "personalities. The kext of the highest version is used for -b; among equal versions, the one named "
                + "last. For development loading and diagnostics use kextutil.",
        exitCodeOnInvalidInput = ExitCodes.EX_USAGE,
        exitCodeOnExecutionException = 10,
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            " 0:every kext loaded or was already loaded",
            "10:unspecified internal failure (kKextloadExitUnspecified)",
            "64:malformed command line, or a kextutil-only option",
            "69:no kernel is connected to this command line",
            "71:a kext failed to load, or the kernel could not be reached (EX_OSERR)",
            "77:the kernel refused the load for lack of privilege (EX_NOPERM)"})
final class KextloadCommand implements Callable<Integer> {
    private static final Set<String> NOTICE_OPTIONS = Set.of("-c", "-D", "-t");

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Mixin
    private LogOptions logOptions;

    @Option(names = {"-b", "-bundle-id", "--bundle-id"}, paramLabel = "ID", order = 1,
            description = "Load the kext with this CFBundleIdentifier (repeatable).")
    private List<String> bundleIds = new ArrayList<>();

    @Option(names = {"-d", "-dependency", "--dependency"}, paramLabel = "KEXT", order = 2,
            description = "Add this kext and its plug-ins to the kexts known for resolving dependencies (repeatable).")
    private List<String> dependencies = new ArrayList<>();

    @Option(names = {"-r", "-repository", "--repository"}, paramLabel = "DIR", order = 3,
            description = "Add the kexts in this directory (not recursively) and their plug-ins (repeatable).")
    private List<String> repositories = new ArrayList<>();

    @Option(names = {"-c", "-no-caches", "--no-caches"}, order = 4, description = "Accepted and ignored, with a notice.")
    private boolean noCaches;

    @Option(names = {"-D", "-no-loaded-check", "--no-loaded-check"}, order = 5, description = "Accepted and ignored, with a notice.")
    private boolean noLoadedCheck;

    @Option(names = {"-t", "-print-diagnostics", "--print-diagnostics"}, order = 6,
            description = "Accepted and ignored, with a notice; use kextutil -t.")
    private boolean printDiagnostics;

    // kextutil's developer options: kextload recognises them only to send the user to kextutil.
    @Option(names = {"-n", "-no-load"}, hidden = true) private boolean kextutilNoLoad;
    @Option(names = {"-l", "-load-only"}, hidden = true) private boolean kextutilLoadOnly;
    @Option(names = {"-m", "-match-only"}, hidden = true) private boolean kextutilMatchOnly;
    @Option(names = {"-p", "-personality"}, hidden = true) private List<String> kextutilPersonalities;
    @Option(names = {"-i", "-interactive"}, hidden = true) private boolean kextutilInteractive;
    @Option(names = {"-I", "-interactive-all"}, hidden = true) private boolean kextutilInteractiveAll;
    @Option(names = {"-x", "-safe-boot"}, hidden = true) private boolean kextutilSafeBoot;
    @Option(names = {"-z", "-no-authentication"}, hidden = true) private boolean kextutilNoAuthentication;
    @Option(names = {"-Z", "-no-resolve-dependencies"}, hidden = true) private boolean kextutilNoResolve;
    @Option(names = {"-e", "-no-system-extensions"}, hidden = true) private boolean kextutilNoSystemExtensions;
    @Option(names = {"-k", "-kernel"}, hidden = true) private String kextutilKernel;
    @Option(names = {"-s", "-symbols"}, hidden = true) private String kextutilSymbols;
    @Option(names = {"-a", "-address"}, hidden = true) private List<String> kextutilAddresses;
    @Option(names = {"-A", "-use-load-addresses"}, hidden = true) private boolean kextutilUseLoadAddresses;
    @Option(names = {"-arch"}, hidden = true) private String kextutilArch;

    @Parameters(paramLabel = "KEXT", description = "A kext bundle to load.")
    private List<String> kexts = new ArrayList<>();

    private final CliInvocation invocation;

    KextloadCommand(CliInvocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        ToolLog log = new ToolLog(logOptions.quiet() ? NullWriter.create() : invocation.err(),
                logOptions.threshold(ToolLog.DEFAULT_THRESHOLD));
        // Notices and the kextutil redirect come in command-line order, as kext_tools meets them.
        for (ArgSpec arg : spec.commandLine().getParseResult().matchedArgs()) {
            if (!(arg instanceof OptionSpec)) {
                continue;
            }
            OptionSpec option = (OptionSpec) arg;
            if (option.hidden()) {
                log.warning(KextloadMessages.USE_KEXTUTIL);
                Usage.printBrief(spec.commandLine(), invocation.err());
                return ExitCodes.EX_USAGE;
            }
            String shortName = option.shortestName();
            if (NOTICE_OPTIONS.contains(shortName)) {
                log.warning(notice(shortName));
            }
        }
        if (kexts.isEmpty() && bundleIds.isEmpty()) {
            return Usage.fail(spec, KextloadMessages.NO_KEXTS);
        }
        KernelPort kernel = Services.kernel(invocation, "kextload", log);
        if (kernel == null) {
            return ExitCodes.EX_UNAVAILABLE;
        }
        List<Path> kextPaths = new ArrayList<>();
        for (String kext : kexts) {
            kextPaths.add(invocation.resolve(kext));
        }
        List<Path> searchPaths = new ArrayList<>(invocation.context().extensionFolders());
        searchPaths.addAll(kextPaths);
        repositories.forEach(r -> searchPaths.add(invocation.resolve(r)));
        dependencies.forEach(d -> searchPaths.add(invocation.resolve(d)));
        // One immutable list shared by every request (LoadRequest keeps it as it is), so the kernel
        // sees at once that they share their search paths and reads them once (KernelPort.loadEach).
        List<Path> sharedSearchPaths = List.copyOf(searchPaths);

        List<LoadRequest> requests = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (String id : bundleIds) {
            requests.add(LoadRequest.ofIdentifier(id, sharedSearchPaths));
            targets.add(id);
        }
        for (Path kext : kextPaths) {
            requests.add(LoadRequest.ofPath(kext, sharedSearchPaths));
            targets.add(kext.toString());
        }
        int[] status = {ExitCodes.EX_OK};
        int[] answered = {0};
        try {
            kernel.loadEach(requests, (i, response) -> {
                String target = targets.get(i);
                log.basic(KextloadMessages.requesting(target));
                log.kernel(response.messages());
                if (response.isSuccess()) {
                    log.basic(KextloadMessages.loaded(target));
                } else {
                    log.error(KextloadMessages.failed(target, response.result()));
                    if (status[0] == ExitCodes.EX_OK) {
                        status[0] = KextloadMessages.exitStatusFor(response.result());
                    }
                }
                answered[0] = i + 1;
            });
        } catch (KernelUnavailableException e) {
            String target = targets.get(Math.min(answered[0], targets.size() - 1));
            log.basic(KextloadMessages.requesting(target));
            log.error("Can't contact the kernel to load " + target + " - " + e.getMessage() + ".");
            return ExitCodes.EX_OSERR;
        }
        return status[0];
    }

    private static String notice(String shortName) {
        switch (shortName) {
            case "-c":
                return KextloadMessages.NOTICE_NO_CACHES;
            case "-D":
                return KextloadMessages.NOTICE_NO_LOADED_CHECK;
            default:
                return KextloadMessages.NOTICE_PRINT_DIAGNOSTICS;
        }
    }
}
