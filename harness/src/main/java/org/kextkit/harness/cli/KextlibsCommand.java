package org.kextkit.harness.cli;

import java.io.PrintWriter;
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
import org.kextkit.harness.cli.internal.PathChecks;
import org.kextkit.harness.cli.internal.ToolLog;
import org.kextkit.harness.cli.internal.Usage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Find the OSBundleLibraries a kext should declare, as kextlibs does.
 */
@Command(name = "kextlibs", sortOptions = false, separator = " ",
        description = "List the library kexts that define the symbols a kext references, as the OSBundleLibraries "
                + "it should declare. Libraries go to stdout, headings and problems to stderr.",
        exitCodeOnInvalidInput = ExitCodes.EX_USAGE,
        exitCodeOnExecutionException = ExitCodes.EX_SOFTWARE,
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            " 0:every referenced symbol was found in exactly one library (or the kext is codeless and needs none)",
            " 1:some symbols were found in no library",
            " 2:some symbols were found in more than one library (wins over 1)",
            "64:malformed command line",
            "66:a path named on the command line does not exist",
            "69:no kext reader or no link checker is connected",
            "70:internal error",
            "71:the kext could not be read, is codeless, or has no executable to examine (EX_OSERR)"})
final class KextlibsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Mixin
    private LogOptions logOptions;

    @Option(names = {"-xml", "--xml"}, order = 1, description = "Print an XML fragment suitable for pasting into an Info.plist.")
    private boolean xml;

    @Option(names = {"-c", "-compatible-versions", "--compatible-versions"}, order = 2,
            description = "Use library kexts' compatible versions rather than their current versions.")
    private boolean compatibleVersions;

    @Option(names = {"-e", "-system-extensions", "--system-extensions"}, order = 3,
            description = "Look in the system extension folders (assumed if no -r is given).")
    private boolean systemExtensions;

    @Option(names = {"-r", "-repository", "--repository"}, paramLabel = "DIR", order = 4,
            description = "Look in this directory for library kexts (repeatable).")
    private List<String> repositories = new ArrayList<>();

    @Option(names = {"-all-symbols", "--all-symbols"}, order = 5,
            description = "List all symbols: found, not found, or found more than once.")
    private boolean allSymbols;

    @Option(names = {"-onedef-symbols", "--onedef-symbols"}, order = 6,
            description = "List all symbols found, with the library kext they were found in.")
    private boolean onedefSymbols;

    @Option(names = {"-undef-symbols", "--undef-symbols"}, order = 7, description = "List all symbols not found in any library.")
    private boolean undefSymbols;

    @Option(names = {"-multdef-symbols", "--multdef-symbols"}, order = 8,
            description = "List all symbols found more than once, with their library kexts.")
    private boolean multdefSymbols;

    @Option(names = {"-non-kpi", "--non-kpi"}, order = 9,
            description = "Search com.apple.kernel.* instead of the com.apple.kpi.* libraries.")
    private boolean nonKpi;

    @Option(names = {"-unsupported", "--unsupported"}, order = 10, description = "Also look in unsupported kexts for symbols.")
    private boolean unsupported;

    @Parameters(paramLabel = "KEXT", description = "The kext to find libraries for.")
    private List<String> kexts = new ArrayList<>();

    private final CliInvocation invocation;

    KextlibsCommand(CliInvocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        PrintWriter out = logOptions.quiet() ? NullWriter.create() : invocation.out();
        PrintWriter err = logOptions.quiet() ? NullWriter.create() : invocation.err();
        ToolLog log = new ToolLog(err, logOptions.threshold(ToolLog.DEFAULT_THRESHOLD));
        if (kexts.isEmpty()) {
            return Usage.fail(spec, "No kext specified.");
        }
        if (kexts.size() > 1) {
            return Usage.fail(spec, "Too many arguments starting at '" + kexts.get(1) + "'.");
        }
        Set<Path> searchItems = new LinkedHashSet<>();
        List<Path> named = new ArrayList<>();
        for (String repository : repositories) {
            int check = PathChecks.check(repository, invocation.resolve(repository), null, true, log);
            if (check != ExitCodes.EX_OK) {
                return check;
            }
            named.add(invocation.resolve(repository));
        }
        String kextName = kexts.get(0);
        Path kextPath = invocation.resolve(kextName);
        int check = PathChecks.check(kextName, kextPath, "kext", true, log);
        if (check != ExitCodes.EX_OK) {
            if (check == ExitCodes.EX_USAGE) {
                Usage.printBrief(spec.commandLine(), invocation.err());
            }
            return check;
        }
        KextInspector inspector = Services.inspector(invocation, "kextlibs", log);
        KextLibsPort libs = inspector == null ? null : Services.kextLibs(invocation, "kextlibs", log);
        if (libs == null) {
            return ExitCodes.EX_UNAVAILABLE;
        }
        if (named.isEmpty() || systemExtensions) {
            searchItems.addAll(invocation.context().extensionFolders());
        }
        searchItems.addAll(named);
        searchItems.add(kextPath);
        KextCatalog catalog = inspector.open(new ArrayList<>(searchItems), invocation.context().arch(), log);
        KextBundle kext = catalog.kextAt(kextPath);
        if (kext == null) {
            log.error("Can't open " + kextName + ".");
            return ExitCodes.EX_OSERR;
        }
        if (!kext.declaresExecutable()) {
            return explainCodeless(kext, kextName, log);
        }
        List<ArchLibraries> results = libs.findLinkDependencies(catalog, kext, nonKpi, unsupported);
        if (results.isEmpty()) {
            log.error("Can't determine architectures of " + kextName + ".");
            return ExitCodes.EX_OSERR;
        }
        KextlibsFormatter formatter = new KextlibsFormatter(xml, compatibleVersions, undefSymbols || allSymbols,
                onedefSymbols || allSymbols, multdefSymbols || allSymbols);
        return formatter.print(results, out, err);
    }

    private static int explainCodeless(KextBundle kext, String kextName, ToolLog log) {
        // A codeless kext is a library redirect (nothing to advise) or needs no libraries at all.
        if (kext.isLibrary()) {
            log.error(kextName + " is a library without an executable; "
                    + "defining its OSBundleLibraries (if any) is up to you.");
            return ExitCodes.EX_OSERR;
        }
        if (!kext.libraries().isEmpty()) {
            log.error(kextName + " has no executable and should not declare OSBundleLibraries.");
            return ExitCodes.EX_OSERR;
        }
        log.error(kextName + " has no executable and does not need to declare OSBundleLibraries.");
        return ExitCodes.EX_OK;
    }
}
