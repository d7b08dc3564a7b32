package org.kextkit.harness.cli.ioreg;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.kextkit.harness.cli.CliInvocation;
import org.kextkit.harness.cli.ExitCodes;
import org.kextkit.harness.cli.KernelUnavailableException;
import org.kextkit.harness.cli.RegistryPort;
import org.kextkit.kit.iokit.IORegistryEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * Print the hosted kernel's I/O Registry in {@code ioreg}'s format ({@link IoregFormatter}).
 *
 * <p>The command line is read as ioreg's {@code getopt} reads it ({@link IoregOptions#parse}); a
 * malformed one prints one line and the usage text on standard error and exits with 1, as ioreg does.
 */
@Command(name = "ioreg", sortOptions = false,
        customSynopsis = "kextkit ioreg [-abilrtx] [-c class] [-d depth] [-k key] [-n name] [-p plane] [-w width]",
        description = {"Show the I/O Kit registry of the hosted kernel as a tree, in the format of Apple's ioreg.",
            "",
            "Options (as ioreg's; flags may be clustered, e.g. -lx, and values attached, e.g. -w80):",
            "  -a          archive: print an XML property list instead of the tree",
            "  -b          show object names in bold",
            "  -c class    show the properties of objects of this class or a subclass",
            "  -d depth    limit the tree, or each subtree of -r, to this many levels (0: no limit)",
            "  -i          show each object's class inheritance, e.g. IORegistryEntry:IOService:IOPCIDevice",
            "  -k key      show the properties of objects that have this property",
            "  -l          show the properties of every object",
            "  -n name     show the properties of objects with this name, or name@location",
            "  -p plane    traverse this plane: IOService (default), IOPower or IODeviceTree",
            "  -r          show only the subtrees rooted at the objects -c, -k or -n select",
            "  -t          with -r, show the ancestors of each subtree root",
            "  -w width    clip lines to this width, marking clipped lines with $ (0: no limit, the default)",
            "  -x          show numbers and data in hexadecimal",
            "  -s, -S, -y  accepted for compatibility; they change nothing"},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            " 0:success",
            " 1:malformed command line (ioreg's status), or the registry could not be read",
            "69:no I/O Kit registry is connected to this command line"})
public final class IoregCommand implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    private boolean help;

    @Unmatched
    private List<String> arguments = new ArrayList<>();

    private final CliInvocation invocation;

    IoregCommand(CliInvocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        IoregOptions options;
        try {
            options = IoregOptions.parse(arguments);
        } catch (IoregUsageException e) {
            invocation.err().print(e.getMessage() + "\n" + IoregOptions.USAGE);
            return 1;
        }
        Optional<RegistryPort> registry = invocation.context().registry();
        if (registry.isEmpty()) {
            invocation.err().print("ioreg: no I/O Kit registry is connected to this kextkit command line.\n");
            return ExitCodes.EX_UNAVAILABLE;
        }
        IORegistryEntry root;
        try {
            root = registry.get().root();
        } catch (KernelUnavailableException e) {
            invocation.err().print("ioreg: error: can't obtain I/O Kit's root service (" + e.getMessage() + ").\n");
            return 1;
        }
        invocation.out().print(IoregFormatter.format(root, options));
        return ExitCodes.EX_OK;
    }
}
