package org.kextkit.harness.cli.internal;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kextkit.harness.cli.ExitCodes;
import org.kextkit.harness.cli.KernelSetupException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Report malformed command lines and internal failures: one precise line, then the command's
 * synopsis and a pointer to its help, never a stack trace.
 */
public final class Usage {
    private Usage() {
    }

    /**
     * Print {@code message} (exactly as given), the synopsis and the help hint to stderr, and return
     * {@link ExitCodes#EX_USAGE}.
     */
    public static int fail(CommandSpec spec, String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.print(message);
        err.print('\n');
        printBrief(spec.commandLine(), err);
        return ExitCodes.EX_USAGE;
    }

    /** Print the synopsis and the help hint. */
    public static void printBrief(CommandLine commandLine, PrintWriter err) {
        err.print("Usage: " + commandLine.getHelp().synopsis(0));
        err.print("Try '" + commandLine.getCommandSpec().qualifiedName() + " -h' for more information.\n");
        err.flush();
    }

    /** Handle picocli's parse errors: a one-line message, suggestions, the synopsis; exit 64. */
    public static final class ParameterErrors implements IParameterExceptionHandler {
        private static final Pattern CLUSTER_FAILURE =
                Pattern.compile("Unknown option: '.*' \\(while processing option: '(.*)'\\)");

        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            String message = ex.getMessage();
            List<String> suggestions = List.of();
            if (ex instanceof UnmatchedArgumentException) {
                List<String> unmatched = ((UnmatchedArgumentException) ex).getUnmatched();
                String first = unmatched.isEmpty() ? "" : unmatched.get(0);
                // A single-dash long option that is mistyped ("-list-onyl") is read by picocli as a cluster
                // of short options ("-l" + "ist-onyl"); report it as the one word the user typed.
                Matcher cluster = CLUSTER_FAILURE.matcher(message);
                if (cluster.matches()) {
                    first = cluster.group(1);
                    message = "Unknown option: '" + first + "'";
                }
                boolean unknownCommand = cmd.getParent() == null && !first.startsWith("-");
                if (unknownCommand) {
                    message = "'" + first + "' is not a " + cmd.getCommandName() + " command.";
                }
                Set<String> names = new TreeSet<>();
                if (unknownCommand) {
                    names.addAll(cmd.getSubcommands().keySet());
                } else {
                    cmd.getCommandSpec().options().stream().filter(o -> !o.hidden()).forEach(o -> names.addAll(List.of(o.names())));
                }
                suggestions = Suggestions.closest(first, names);
            }
            err.print(cmd.getCommandName() + ": " + message + "\n");
            if (!suggestions.isEmpty()) {
                err.print("Did you mean: " + String.join(" or ", suggestions) + "?\n");
            }
            printBrief(cmd, err);
            return cmd.getCommandSpec().exitCodeOnInvalidInput();
        }
    }

    /** Handle an unexpected exception in a command: one line naming it, then the command's "unspecified" code. */
    public static final class InternalErrors implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
            PrintWriter err = cmd.getErr();
            if (ex instanceof KernelSetupException) {
                // A configuration problem found only when the command needed its kernel: the user's to fix.
                err.print(cmd.getCommandName() + ": " + ex.getMessage() + "\n");
                err.flush();
                return ExitCodes.EX_CONFIG;
            }
            String detail = ex.getMessage() == null ? ex.getClass().getName() : ex.getClass().getSimpleName() + ": " + ex.getMessage();
            err.print(cmd.getCommandName() + ": internal error - " + detail + "\n");
            err.flush();
            return cmd.getCommandSpec().exitCodeOnExecutionException();
        }
    }
}
