package org.kextkit.harness.cli.wiring;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.kextkit.harness.cli.CliInvocation;
import org.kextkit.harness.cli.KextkitCommand;
import org.kextkit.harness.config.ConfigLoader;
import org.kextkit.harness.config.KextkitConfig;
import picocli.CommandLine;

/**
 * Write {@code docs/cli-reference.md}: every kextkit command's own help (synopsis, options, exit
 * status), as {@code bin/kextkit <command> --help} prints it, so the reference cannot drift from the
 * code. Hidden commands are left out. Run it from the repository's root:
 * {@code java -cp "harness/target/classes:harness/target/lib/*" org.kextkit.harness.cli.wiring.CliReference docs/cli-reference.md}.
 */
public final class CliReference {
    /** How to regenerate the file, for the stale-file test's message and the file's own header. */
    public static final String REGENERATE = "mvn -B -q package -DskipTests -pl harness -am && "
            + "java -cp \"harness/target/classes:harness/target/lib/*\" org.kextkit.harness.cli.wiring.CliReference "
            + "docs/cli-reference.md";

    private CliReference() {
    }

    /** Write the reference to {@code args[0]} (default {@code docs/cli-reference.md}). */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "docs/cli-reference.md");
        Files.writeString(file, render(), StandardCharsets.UTF_8);
    }

    /** Return the reference's Markdown text. */
    public static String render() {
        // Fixed settings, so the text does not depend on who generates it or where.
        Properties props = new Properties();
        props.setProperty("user.home", "/home/user");
        props.setProperty("user.name", "user");
        props.setProperty("java.io.tmpdir", "/tmp");
        props.setProperty("user.dir", "/");
        KextkitConfig config = new ConfigLoader().noUserFile().environment(Map.of()).systemProperties(props)
                .commandLine(List.of()).load();
        StringWriter sink = new StringWriter();
        CliInvocation invocation = new CliInvocation(Path.of("/"), new PrintWriter(sink), new PrintWriter(sink),
                InProcessContextProvider.context(config));
        CommandLine root = KextkitCommand.newCommandLine(invocation);
        StringBuilder md = new StringBuilder();
        md.append("# kextkit command reference\n\n")
                .append("<!-- Generated from the commands' own help by org.kextkit.harness.cli.wiring.CliReference; "
                        + "do not edit. Regenerate with:\n     ").append(REGENERATE).append("\n-->\n\n")
                .append("Every command's help, as `bin/kextkit <command> --help` prints it: synopsis, options and exit "
                        + "status. [cli.md](cli.md) explains each command's behaviour and output; "
                        + "[kextcheck-ci.md](kextcheck-ci.md) is the guide to checking kexts in CI.\n\n");
        md.append("## Commands\n\n");
        for (CommandLine sub : root.getSubcommands().values()) {
            if (!sub.getCommandSpec().usageMessage().hidden()) {
                md.append("- [").append(sub.getCommandName()).append("](#").append(sub.getCommandName()).append(")\n");
            }
        }
        md.append("\n## kextkit\n\n```text\n").append(usage(root)).append("```\n");
        for (CommandLine sub : root.getSubcommands().values()) {
            append(md, sub);
        }
        return md.toString();
    }

    private static void append(StringBuilder md, CommandLine command) {
        if (command.getCommandSpec().usageMessage().hidden()) {
            return;
        }
        md.append("\n## ").append(command.getCommandSpec().qualifiedName().replaceFirst("^kextkit ", ""))
                .append("\n\n```text\n").append(usage(command)).append("```\n");
        for (CommandLine sub : command.getSubcommands().values()) {
            append(md, sub);
        }
    }

    private static String usage(CommandLine command) {
        String text = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
        // Trailing blanks are invisible in Markdown and trip editors that strip them.
        return text.lines().map(String::stripTrailing).reduce("", (a, b) -> a + b + "\n");
    }
}
