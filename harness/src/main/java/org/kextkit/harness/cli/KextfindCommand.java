package org.kextkit.harness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Stack;
import java.util.concurrent.Callable;
import org.kextkit.harness.cli.internal.ToolLog;
import org.kextkit.harness.cli.internal.Usage;
import org.kextkit.harness.cli.kextfind.KextfindQuery;
import org.kextkit.harness.cli.kextfind.KextfindSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Find kexts that match a query and print or report them, as kextfind does.
 */
@Command(name = "kextfind",
        customSynopsis = "kextkit kextfind [options] [directory or kext ...] [query]%n"
                + "           [-report [-no-header] report_predicate ...]",
        preprocessor = KextfindCommand.RawArguments.class,
        description = {"Find kexts matching a query, in the named directories (not recursively, plus plug-ins) or, "
                + "by default, the system extension folders; print their paths, run the query's print commands, "
                + "or print a tab-separated report."},
        exitCodeOnInvalidInput = ExitCodes.EX_USAGE,
        exitCodeOnExecutionException = ExitCodes.EX_SOFTWARE,
        footerHeading = "%n",
        footer = {
            "Options (before any directory or query): -h -help, -i -case-insensitive, -s -substring,",
            "  -e -system-extensions, -f -search-item <dir>, -relative-paths, -no-paths, -set-arch <arch>.",
            "",
            "Operators, by precedence: ( ), ! -not, -and (implicit between elements), -or. Evaluation short-circuits.",
            "",
            "Query predicates:",
            "  -b -bundle-id [-i] [-s] <id>       -B -bundle-name [-i] [-s] <name>",
            "  -p -property [-i] [-s] <key> <value>  -pe -property-exists <key>",
            "  -m -match-property [-i] [-s] <key> <value>  -me -match-property-exists <key>",
            "  -v -valid, -nv -invalid, -a -authentic, -na -inauthentic, -d -dependencies-met,",
            "  -nd -dependencies-missing, -l -loadable, -nl -nonloadable, -w -warnings, -loaded,",
            "  -x -executable, -nx -no-executable, -lib -library, -plugin, -has-plugins, -debug,",
            "  -kernel-resource, -dup -duplicate-id, -integrity <state> (never matches),",
            "  -V -version [e|ne|gt|ge|lt|le]<version> or <low>-<high>, -compatible-with-version <version>,",
            "  -R -root, -C -console, -L -local-root, -N -network-root, -S -safe-boot (exact OSBundleRequired).",
            "",
            "Commands (print, evaluate to true; -0 ends lines with NUL):",
            "  -print [-0], -print0, -echo [-n] [-0] <string>, -pp -print-property [-0] <key>,",
            "  -pm -print-match-property [-0] <key>, -pdiag -print-diagnostics, -print-dependencies [-0],",
            "  -print-dependents [-0], -print-plugins [-0], -pid -print-info-dictionary [-0],",
            "  -px -print-executable [-0], -print-integrity [-0]. Without a command, -print is implied.",
            "",
            "Report predicates (one tab-separated column each): -print, -b, -B, -V, -p <key>, -pp <key>,",
            "  the yes/no predicates above (not their negations), -integrity, -print-dependencies,",
            "  -print-dependents, -print-plugins, -print-integrity, -pid, -px.",
            "",
            "Exit status:",
            "   0  the query ran (whether or not anything matched)",
            "  64  malformed command line or query",
            "  69  no kext reader (or, for -loaded, no kernel) is connected",
            "  70  no kexts were found at all",
            "  71  the kernel could not be queried for -loaded"})
final class KextfindCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    private final List<String> args = new ArrayList<>();

    private final CliInvocation invocation;

    KextfindCommand(CliInvocation invocation) {
        this.invocation = invocation;
    }

    /**
     * Hand kextfind every argument untouched: picocli cannot express the query grammar, and its own
     * parsing would swallow {@code --}, which kextfind's predicates use to end their options.
     */
    static final class RawArguments implements IParameterPreprocessor {
        @Override
        public boolean preprocess(Stack<String> stack, CommandSpec commandSpec, ArgSpec argSpec, Map<String, Object> info) {
            KextfindCommand command = commandSpec.commandLine().getCommand();
            while (!stack.isEmpty()) {
                command.args.add(stack.pop());
            }
            return true;
        }
    }

    @Override
    public Integer call() {
        ToolLog log = new ToolLog(invocation.err(), ToolLog.DEFAULT_THRESHOLD);
        KextfindQuery query;
        try {
            query = KextfindQuery.parse(args, invocation::resolve);
        } catch (KextfindSyntaxException e) {
            e.lines().forEach(log::error);
            if (e.showUsage()) {
                Usage.printBrief(spec.commandLine(), invocation.err());
            }
            return ExitCodes.EX_USAGE;
        }
        if (query.helpRequested()) {
            spec.commandLine().usage(invocation.out());
            return ExitCodes.EX_OK;
        }
        query.notices().forEach(log::error);
        List<Path> searchPaths = new ArrayList<>();
        for (KextfindQuery.SearchItem item : query.searchItems()) {
            if (item.isSystemExtensions()) {
                searchPaths.addAll(invocation.context().extensionFolders());
            } else {
                searchPaths.add(invocation.resolve(item.path()));
            }
        }
        if (query.searchItems().isEmpty()) {
            searchPaths.addAll(invocation.context().extensionFolders());
        }
        KextInspector inspector = Services.inspector(invocation, "kextfind", log);
        if (inspector == null) {
            return ExitCodes.EX_UNAVAILABLE;
        }
        List<KextstatRow> loaded = List.of();
        if (query.needsLoadedKexts()) {
            KernelPort kernel = Services.kernel(invocation, "kextfind", log);
            if (kernel == null) {
                return ExitCodes.EX_UNAVAILABLE;
            }
            try {
                loaded = kernel.loadedKexts();
            } catch (KernelUnavailableException e) {
                log.error("Couldn't get list of loaded kexts from kernel - " + e.getMessage() + ".");
                return ExitCodes.EX_OSERR;
            }
        }
        String arch = query.arch() != null ? query.arch() : invocation.context().arch();
        KextCatalog catalog = inspector.open(searchPaths, arch, log);
        if (catalog.kexts().isEmpty()) {
            log.error(KextutilMessages.NO_KEXTS_FOUND);
            return ExitCodes.EX_SOFTWARE;
        }
        query.run(catalog, loaded, invocation.out());
        return ExitCodes.EX_OK;
    }
}
