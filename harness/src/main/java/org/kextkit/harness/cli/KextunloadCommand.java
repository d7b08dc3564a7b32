package org.kextkit.harness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.cli.internal.HelpOption;
import org.kextkit.harness.cli.internal.LogOptions;
import org.kextkit.harness.cli.internal.NullWriter;
import org.kextkit.harness.cli.internal.ToolLog;
import org.kextkit.harness.cli.internal.Usage;
import org.kextkit.harness.lifecycle.KextReturn;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Unload kexts, or terminate their services, as kextunload does.
 */
@Command(name = "kextunload", sortOptions = false, separator = " ",
        description = "Terminate the I/O Kit services of kexts, remove their personalities and unload them; "
                + "or (-p) only terminate and remove personalities; or (-c) terminate every instance of a class.",
        exitCodeOnInvalidInput = ExitCodes.EX_USAGE,
        exitCodeOnExecutionException = ExitCodes.EX_SOFTWARE,
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            " 0:everything named was unloaded or terminated",
            " 1:a kext named by path could not be read",
            " 2:the kernel does not permit unloading or terminating (not privileged)",
            " 3:some unload or terminate request failed (partial failure)",
            "64:malformed command line",
            "69:no kernel (or, for kexts named by path, no kext reader) is connected",
            "70:internal error",
            "71:the kernel could not be reached"})
final class KextunloadCommand implements Callable<Integer> {
    static final int EXIT_NOT_FOUND = 1;
    static final int EXIT_NOT_PRIVILEGED = 2;
    static final int EXIT_PARTIAL_FAILURE = 3;

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Mixin
    private LogOptions logOptions;

    @Option(names = {"-b", "-bundle-id", "--bundle-id", "-m", "-module"}, paramLabel = "ID", order = 1,
            description = "Unload the kext with this CFBundleIdentifier and remove its personalities (repeatable).")
    private List<String> bundleIds = new ArrayList<>();

    @Option(names = {"-c", "-class", "--class"}, paramLabel = "CLASS", order = 2,
            description = "Terminate all instances of this IOService class and its subclasses, without unloading "
                    + "anything or removing personalities (repeatable).")
    private List<String> classNames = new ArrayList<>();

    @Option(names = {"-p", "-personalities-only", "--personalities-only"}, order = 3,
            description = "Terminate services and remove personalities only; do not unload kexts "
                    + "(applies to kexts named by identifier or path).")
    private boolean personalitiesOnly;

    @Parameters(paramLabel = "KEXT", description = "A kext bundle to unload, with all its personalities.")
    private List<String> kexts = new ArrayList<>();

    private final CliInvocation invocation;
    private ToolLog log;
    private boolean fatal;

    KextunloadCommand(CliInvocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        log = new ToolLog(logOptions.quiet() ? NullWriter.create() : invocation.err(),
                logOptions.threshold(ToolLog.DEFAULT_THRESHOLD));
        if (kexts.isEmpty() && bundleIds.isEmpty() && classNames.isEmpty()) {
            return Usage.fail(spec, KextunloadMessages.NO_KEXTS);
        }
        KernelPort kernel = Services.kernel(invocation, "kextunload", log);
        if (kernel == null) {
            return ExitCodes.EX_UNAVAILABLE;
        }
        try {
            return unloadAll(kernel);
        } catch (KernelUnavailableException e) {
            log.error("Can't contact the kernel - " + e.getMessage() + ".");
            return ExitCodes.EX_OSERR;
        }
    }

    private int unloadAll(KernelPort kernel) throws KernelUnavailableException {
        int status = ExitCodes.EX_OK;
        List<String> pathIdentifiers = new ArrayList<>();
        if (!kexts.isEmpty()) {
            KextInspector inspector = Services.inspector(invocation, "kextunload", log);
            if (inspector == null) {
                return ExitCodes.EX_UNAVAILABLE;
            }
            for (String kext : new LinkedHashSet<>(kexts)) {
                Path path = invocation.resolve(kext);
                KextCatalog catalog = inspector.open(List.of(path), invocation.context().arch(), log);
                KextBundle bundle = catalog.kextAt(path);
                if (bundle == null || bundle.identifier() == null) {
                    log.error(KextunloadMessages.cantCreate(kext));
                    status = EXIT_NOT_FOUND;
                    continue;
                }
                pathIdentifiers.add(bundle.identifier());
            }
        }
        // Like kext_tools: classes, then identifiers, then kexts by path; keep the first non-fatal
        // failure, but let a fatal one (not privileged) replace it and stop.
        int classResult = terminateClasses(kernel);
        status = merge(status, classResult);
        if (fatal) {
            return classResult;
        }
        int idResult = unloadIdentifiers(kernel, new ArrayList<>(new LinkedHashSet<>(bundleIds)));
        status = merge(status, idResult);
        if (fatal) {
            return idResult;
        }
        int pathResult = unloadIdentifiers(kernel, pathIdentifiers);
        status = merge(status, pathResult);
        return fatal ? pathResult : status;
    }

    private static int merge(int status, int next) {
        return status == ExitCodes.EX_OK ? next : status;
    }

    private int terminateClasses(KernelPort kernel) throws KernelUnavailableException {
        int result = ExitCodes.EX_OK;
        for (String className : new LinkedHashSet<>(classNames)) {
            KernelResponse response = kernel.terminateInstances(className);
            log.kernel(response.messages());
            if (response.result() == KextReturn.NOT_PRIVILEGED) {
                log.error("Terminating IOService instances is not permitted by this kernel.");
                fatal = true;
                return EXIT_NOT_PRIVILEGED;
            } else if (!response.isSuccess()) {
                result = EXIT_PARTIAL_FAILURE;
                log.error(KextunloadMessages.classTerminateFailed(className, response.result()));
            } else {
                log.basic(KextunloadMessages.classTerminated(className));
            }
        }
        if (result == EXIT_PARTIAL_FAILURE) {
            log.error(KextunloadMessages.CHECK_LOGS);
        }
        return result;
    }

    private int unloadIdentifiers(KernelPort kernel, List<String> identifiers) throws KernelUnavailableException {
        int result = ExitCodes.EX_OK;
        UnloadMode mode = personalitiesOnly ? UnloadMode.TERMINATE_AND_REMOVE_PERSONALITIES : UnloadMode.UNLOAD;
        Set<String> done = new LinkedHashSet<>();
        for (String id : identifiers) {
            if (!done.add(id)) {
                continue;
            }
            KernelResponse response = kernel.unload(id, mode);
            log.kernel(response.messages());
            if (response.result() == KextReturn.NOT_PRIVILEGED) {
                log.error("Unloading kexts is not permitted by this kernel.");
                fatal = true;
                return EXIT_NOT_PRIVILEGED;
            } else if (!response.isSuccess()) {
                if (result == ExitCodes.EX_OK) {
                    result = EXIT_PARTIAL_FAILURE;
                }
                log.error(personalitiesOnly
                        ? KextunloadMessages.terminateFailed(id, response.result())
                        : KextunloadMessages.failedToUnload(id, response.result()));
            } else {
                log.basic(personalitiesOnly ? KextunloadMessages.terminated(id) : KextunloadMessages.unloaded(id));
            }
        }
        if (result != ExitCodes.EX_OK && personalitiesOnly) {
            log.error(KextunloadMessages.CHECK_LOGS);
        }
        return result;
    }
}
