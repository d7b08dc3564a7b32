package org.kextkit.harness.cli.ioreg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.kextkit.harness.cli.CliInvocation;
import org.kextkit.harness.cli.ExitCodes;
import org.kextkit.harness.cli.KernelUnavailableException;
import org.kextkit.harness.cli.RegistryPort;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * Print live-instance counts of the hosted kernel's classes in {@code ioclasscount}'s format
 * ({@link ClassCountFormatter}).
 *
 * <p>As Apple's ioclasscount, a malformed command line prints its problem on standard error and the
 * usage on standard output, and exits with 1. The IOTracking options ({@code --track},
 * {@code --leaks}, ...) need allocation records that kextkit's kernel does not keep; they are
 * refused with a line saying so.
 */
@Command(name = "ioclasscount", customSynopsis = "kextkit ioclasscount [classname ...]",
        description = {"Show how many live instances each class of the hosted kernel has, in the format of Apple's "
                + "ioclasscount: every class, one a line, sorted by name; or the classes named, on one line in "
                + "the order given (an unknown class shows <no such class>).",
            "",
            "A class's count is its own live instances plus the number of its direct subclasses that have "
                + "any, as OSMetaClass counts them; these are the counts that block a kext's unload."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            " 0:success (also when a named class is unknown)",
            " 1:malformed command line",
            "69:no I/O Kit registry is connected to this command line",
            "71:the kernel could not be queried (EX_OSERR)"})
public final class IoclasscountCommand implements Callable<Integer> {
    /** The usage text printed after a malformed command line. */
    public static final String USAGE = "usage: ioclasscount [classname] [...]\n";

    private static final Set<String> TRACKING_OPTIONS =
            Set.of("track", "leaks", "reset", "start", "stop", "exclude", "site", "maps", "size", "tag", "zsize", "capsize");

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    private boolean help;

    @Unmatched
    private List<String> arguments = new ArrayList<>();

    private final CliInvocation invocation;

    IoclasscountCommand(CliInvocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        List<String> classes = new ArrayList<>();
        boolean optionsEnded = false;
        for (String argument : arguments) {
            if (!optionsEnded && argument.equals("--")) {
                optionsEnded = true;
            } else if (!optionsEnded && argument.startsWith("-") && argument.length() > 1) {
                return badOption(argument);
            } else {
                classes.add(argument);
            }
        }
        Optional<RegistryPort> registry = invocation.context().registry();
        if (registry.isEmpty()) {
            invocation.err().print("ioclasscount: no I/O Kit registry is connected to this kextkit command line.\n");
            return ExitCodes.EX_UNAVAILABLE;
        }
        Map<String, Integer> counts;
        try {
            counts = registry.get().classCounts();
        } catch (KernelUnavailableException e) {
            invocation.err().print("ioclasscount: Error: Can't read the class counts (" + e.getMessage() + ").\n");
            return ExitCodes.EX_OSERR;
        }
        invocation.out().print(ClassCountFormatter.format(counts, classes));
        return ExitCodes.EX_OK;
    }

    private int badOption(String argument) {
        String name = argument.startsWith("--") ? argument.substring(2).replaceFirst("=.*", "") : "";
        if (TRACKING_OPTIONS.contains(name)) {
            invocation.err().print("ioclasscount: --" + name + " works on IOTracking allocation records, "
                    + "which the kextkit hosted kernel does not keep.\n");
        } else {
            invocation.err().print("ioclasscount: unrecognized option `" + argument + "'\n");
        }
        invocation.out().print(USAGE);
        return 1;
    }
}
