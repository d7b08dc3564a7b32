package org.kextkit.harness.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.kextkit.harness.cli.internal.HelpOption;
import org.kextkit.harness.cli.internal.ToolLog;
import org.kextkit.harness.cli.internal.Usage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Print the loaded kexts in kextstat's format.
 */
@Command(name = "kextstat", sortOptions = false, separator = " ",
        description = "Display the status of the kexts loaded in the kernel: load tag, references, address, "
                + "sizes, identifier, version, UUID and the tags of the kexts each one links against.",
        exitCodeOnInvalidInput = ExitCodes.EX_USAGE,
        exitCodeOnExecutionException = ExitCodes.EX_SOFTWARE,
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            " 0:success",
            "64:malformed command line",
            "69:no kernel is connected to this command line",
            "70:internal error",
            "71:the kernel could not be queried (EX_OSERR)"})
final class KextstatCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Option(names = {"-a", "-arch", "--arch"}, order = 1, description = "Include each kext's architecture.")
    private boolean arch;

    @Option(names = {"-b", "-bundle-id", "--bundle-id"}, paramLabel = "ID", order = 2,
            description = "Show only the kext with this identifier (repeatable); overrides -k for it.")
    private List<String> bundleIds = new ArrayList<>();

    @Option(names = {"-k", "-no-kernel", "--no-kernel"}, order = 3,
            description = "Show only loadable kexts (omit kernel components).")
    private boolean noKernel;

    @Option(names = {"-l", "-list-only", "--list-only"}, order = 4, description = "Print the list only, omitting the header.")
    private boolean listOnly;

    @Option(names = {"-s", "-sort", "--sort"}, order = 5, description = "Sort by load address instead of load tag.")
    private boolean sort;

    @Parameters(hidden = true)
    private List<String> extra = new ArrayList<>();

    private final CliInvocation invocation;

    KextstatCommand(CliInvocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        if (!extra.isEmpty()) {
            return Usage.fail(spec, "Extra arguments starting at " + extra.get(0) + "....");
        }
        PrintWriter out = invocation.out();
        ToolLog log = new ToolLog(invocation.err(), ToolLog.DEFAULT_THRESHOLD);
        KernelPort kernel = Services.kernel(invocation, "kextstat", log);
        if (kernel == null) {
            return ExitCodes.EX_UNAVAILABLE;
        }
        List<KextstatRow> rows;
        try {
            rows = kernel.loadedKexts();
        } catch (KernelUnavailableException e) {
            log.error("Couldn't get list of loaded kexts from kernel - " + e.getMessage() + ".");
            return ExitCodes.EX_OSERR;
        }
        KextstatFormatter formatter = new KextstatFormatter()
                .withArchitecture(arch)
                .withoutKernelComponents(noKernel)
                .withHeader(!listOnly)
                .sortedByLoadAddress(sort)
                .onlyBundleIds(bundleIds);
        out.print(formatter.format(rows));
        return ExitCodes.EX_OK;
    }
}
