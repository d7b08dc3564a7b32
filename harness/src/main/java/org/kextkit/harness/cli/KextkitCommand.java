package org.kextkit.harness.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.kextkit.harness.cli.internal.CommandFactory;
import org.kextkit.harness.cli.internal.Usage;
import org.kextkit.harness.cli.ioreg.IoclasscountCommand;
import org.kextkit.harness.cli.ioreg.IoregCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Run the kext commands: {@code kextkit <command> [options]} with kextload, kextunload, kextstat,
 * kextutil, kextfind, kextlibs, ioreg and ioclasscount, plus any extra commands the
 * {@link CliContext} registers.
 *
 * <p>{@link #run} is the single entry point, for {@link Main} and for the daemon, which runs it once
 * per client request. A malformed command line prints one line, the synopsis and a hint, and returns
 * {@link ExitCodes#EX_USAGE} (64, as kext_tools do, rather than picocli's 2).
 */
@Command(name = "kextkit", mixinStandardHelpOptions = true, versionProvider = KextkitVersionProvider.class,
        sortOptions = false,
        description = "Load, unload, inspect and find kexts in the kextkit hosted kernel and show its I/O Kit "
                + "registry, with the command-line behaviour of Apple's kext_tools and IOKitTools.",
        subcommands = {KextloadCommand.class, KextunloadCommand.class, KextstatCommand.class, KextutilCommand.class,
            KextcheckCommand.class, KextfindCommand.class, KextlibsCommand.class, IoregCommand.class, IoclasscountCommand.class,
            SysctlCommand.class, HelpCommand.class},
        exitCodeOnInvalidInput = ExitCodes.EX_USAGE,
        exitCodeOnExecutionException = ExitCodes.EX_SOFTWARE,
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            " 0:the command succeeded (see each command's help for its own codes)",
            "64:malformed command line (unknown command or option, missing argument)",
            "69:a service the command needs is not connected",
            "70:internal error"},
        footer = {"%nRun 'kextkit help <command>' for a command's options, output and exit status."})
public final class KextkitCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    /** Create the root command; picocli calls this. */
    public KextkitCommand() {
    }

    @Override
    public Integer call() {
        return Usage.fail(spec, "kextkit: no command given.");
    }

    /**
     * Run one command line.
     *
     * @param argv the arguments after {@code kextkit}, for example {@code ["kextstat", "-l"]}
     * @param cwd the client's working directory (absolute); relative paths in {@code argv} resolve here
     * @param out standard output
     * @param err standard error
     * @param context settings and services
     * @return the exit status
     */
    public static int run(List<String> argv, Path cwd, PrintWriter out, PrintWriter err, CliContext context) {
        CliInvocation invocation = new CliInvocation(cwd, out, err, context);
        int status = newCommandLine(invocation).execute(argv.toArray(new String[0]));
        out.flush();
        err.flush();
        return status;
    }

    /** Build the configured command tree for one invocation (for callers that need the picocli object). */
    public static CommandLine newCommandLine(CliInvocation invocation) {
        CommandFactory factory = new CommandFactory(invocation);
        CommandLine root = new CommandLine(KextkitCommand.class, factory);
        for (Map.Entry<String, Function<CliInvocation, Object>> extra : invocation.context().extraCommands().entrySet()) {
            root.addSubcommand(extra.getKey(), new CommandLine(extra.getValue().apply(invocation), factory));
        }
        root.setExpandAtFiles(false);
        // ioreg and ioclasscount read their own command lines as getopt does, "--" included.
        for (String raw : List.of("ioreg", "ioclasscount")) {
            root.getSubcommands().get(raw).setEndOfOptionsDelimiter("\0--");
        }
        root.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        root.setUsageHelpWidth(100);
        root.setOut(invocation.out());
        root.setErr(invocation.err());
        root.setParameterExceptionHandler(new Usage.ParameterErrors());
        root.setExecutionExceptionHandler(new Usage.InternalErrors());
        return root;
    }
}
