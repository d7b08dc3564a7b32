package org.kextkit.harness.cli.whymatch;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.kextkit.harness.cli.CliInvocation;
import org.kextkit.harness.cli.ExitCodes;
import org.kextkit.harness.cli.KernelUnavailableException;
import org.kextkit.harness.cli.internal.HelpOption;
import org.kextkit.harness.iokit.matching.MatchExplanation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kextkit whymatch [-p PERSONALITY] KEXT_OR_BUNDLE_ID NUB}: say why a kext's personalities
 * did or did not match a nub, key by key, and what the nub's last matching did with each candidate
 * (probe declined, start failed with this exception, lost to a higher score, started).
 */
@Command(name = "whymatch", sortOptions = false, separator = " ",
        description = {"Explain why a kext's I/O Kit personalities did or did not match a nub: the verdict on each",
            "matching key, the score and category, and what the nub's last matching did with every candidate."},
        exitCodeOnInvalidInput = ExitCodes.EX_USAGE,
        exitCodeOnExecutionException = ExitCodes.EX_SOFTWARE,
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            " 0:the match was explained (whether it matched or not)",
            " 1:the kext, the personality or the nub was not found",
            "64:malformed command line",
            "69:no kernel is connected to this command line",
            "71:the kernel could not be queried",
            "78:the configuration is invalid, such as the machine description of --own-kernel's kernel"})
public final class WhymatchCommand implements Callable<Integer> {
    /** Exit status when the kext, personality or nub named does not exist. */
    public static final int EXIT_NOT_FOUND = 1;

    @Mixin
    private HelpOption help;

    @Option(names = {"-p", "-personality", "--personality"}, paramLabel = "PERSONALITY", order = 1,
            description = "Explain only this personality of the kext.")
    private String personality;

    @Option(names = {"--own-kernel"}, order = 2,
            description = {"Boot a kernel for this command (the configured extension folders and machine) instead of",
                "asking the running kernel daemon; a .kext path named is matched without being loaded first."})
    private boolean ownKernel;

    @Parameters(index = "0", paramLabel = "KEXT_OR_BUNDLE_ID",
            description = "The kext: its bundle identifier, or the path of a .kext whose personalities are sent first.")
    private String kext;

    @Parameters(index = "1", paramLabel = "NUB",
            description = "The nub: a registry path (IOService:/SimMachine/pci@0/ethernet@1), a name[@location] or an id (0x100000123).")
    private String nub;

    private final CliInvocation invocation;
    private final MatchExplainer explainer;

    /** Create the command for one invocation, explaining with {@code explainer} ({@code null}: no kernel). */
    public WhymatchCommand(CliInvocation invocation, MatchExplainer explainer) {
        this.invocation = invocation;
        this.explainer = explainer;
    }

    @Override
    public Integer call() {
        PrintWriter err = invocation.err();
        if (explainer == null) {
            err.println("whymatch: no kernel is connected to this kextkit command line.");
            return ExitCodes.EX_UNAVAILABLE;
        }
        if (ownKernel && !explainer.bootsOwnKernel()) {
            err.println("whymatch: --own-kernel is for the command line run in its own process; this is the kernel"
                    + " daemon, which explains with its running kernel (leave --own-kernel out).");
            return ExitCodes.EX_USAGE;
        }
        MatchExplainer.Answer answer;
        try {
            answer = explainer.explain(kext, nub, invocation.cwd());
        } catch (KernelUnavailableException e) {
            err.println("whymatch: couldn't query the kernel - " + e.getMessage() + ".");
            return ExitCodes.EX_OSERR;
        }
        if (answer.error() != null) {
            err.println("whymatch: " + answer.error());
            return EXIT_NOT_FOUND;
        }
        if (personality != null && !answer.personalities().isEmpty() && !answer.personalities().contains(personality)) {
            err.println("whymatch: " + answer.bundleIdentifier() + " has no personality named \"" + personality
                    + "\"; it has " + quoted(answer.personalities()) + ".");
            return EXIT_NOT_FOUND;
        }
        List<MatchExplanation.Entry> entries = new ArrayList<>();
        for (MatchExplanation.Entry entry : answer.report().explanation().entries()) {
            if (answer.bundleIdentifier().equals(entry.bundleIdentifier())
                    && (personality == null || personality.equals(entry.personalityName()))) {
                entries.add(entry);
            }
        }
        invocation.out().print(WhymatchFormatter.format(answer, entries, personality));
        return ExitCodes.EX_OK;
    }

    private static String quoted(List<String> names) {
        List<String> q = new ArrayList<>();
        for (String name : names) {
            q.add("\"" + name + "\"");
        }
        return String.join(", ", q);
    }
}
