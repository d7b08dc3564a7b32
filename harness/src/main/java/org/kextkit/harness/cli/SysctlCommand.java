package org.kextkit.harness.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.kextkit.harness.cli.RegistryPort.SysctlAnswer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Read and set the hosted kernel's sysctl values as {@code sysctl(8)} does: {@code name} prints
 * {@code name: value}, {@code name=value} sets it and prints {@code name: old -> new}, {@code -a}
 * lists every value (under the names given, if any). An unknown or read-only name prints
 * {@code sysctl: ...} on standard error and makes the exit status 1, the others are still done.
 */
@Command(name = "sysctl", sortOptions = false,
        customSynopsis = {"kextkit sysctl [-n] name[=value] ...", "kextkit sysctl [-n] -a [name ...]"},
        description = {"Read or set sysctl values of the hosted kernel: its own (kern.ostype, kern.osrelease, "
                + "hw.machine, hw.model, ...) and those kexts register with sysctl_register_oid, in the format of "
                + "Apple's sysctl."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            " 0:every request succeeded",
            " 1:a name was unknown, a node, read-only, or a value of the wrong form (the others were still done)",
            "64:no name given (and no -a)",
            "69:no kernel is connected to this command line",
            "71:the kernel could not be queried (EX_OSERR)"})
public final class SysctlCommand implements Callable<Integer> {
    @Option(names = "-a", description = "List every readable value (under each name given, if any).")
    private boolean all;

    @Option(names = "-n", description = "Print only the values, not the names.")
    private boolean valuesOnly;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    private boolean help;

    @Parameters(paramLabel = "name[=value]", arity = "0..*", description = "An oid to read, or name=value to set.")
    private List<String> requests = new ArrayList<>();

    private final CliInvocation invocation;

    SysctlCommand(CliInvocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        if (!all && requests.isEmpty()) {
            invocation.err().print("usage: kextkit sysctl [-n] name[=value] ...\n       kextkit sysctl [-n] -a [name ...]\n");
            return ExitCodes.EX_USAGE;
        }
        Optional<RegistryPort> registry = invocation.context().registry();
        if (registry.isEmpty()) {
            invocation.err().print("sysctl: no kernel is connected to this kextkit command line.\n");
            return ExitCodes.EX_UNAVAILABLE;
        }
        List<SysctlAnswer> answers;
        try {
            answers = registry.get().sysctl(requests, all);
        } catch (KernelUnavailableException e) {
            invocation.err().print("sysctl: can't reach the kernel (" + e.getMessage() + ").\n");
            return ExitCodes.EX_OSERR;
        }
        int status = ExitCodes.EX_OK;
        for (SysctlAnswer answer : answers) {
            if (answer.error() != null) {
                invocation.err().print("sysctl: " + answer.error() + "\n");
                status = 1;
            } else if (valuesOnly) {
                invocation.out().print(answer.value() + "\n");
            } else if (answer.previous() != null) {
                invocation.out().print(answer.name() + ": " + answer.previous() + " -> " + answer.value() + "\n");
            } else {
                invocation.out().print(answer.name() + ": " + answer.value() + "\n");
            }
        }
        return status;
    }
}
