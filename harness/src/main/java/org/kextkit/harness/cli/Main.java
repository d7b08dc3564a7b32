package org.kextkit.harness.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Run the kext commands in this JVM: {@code java -cp ... org.kextkit.harness.cli.Main kextstat}.
 *
 * <p>The context comes from the first {@link CliContextProvider} found by {@link ServiceLoader}; the
 * kernel side registers one that connects its services. Without a provider the commands run with no
 * services and say so ({@link ExitCodes#EX_UNAVAILABLE}) rather than pretending to work.
 */
public final class Main {
    private Main() {
    }

    /** Run {@code args} with the working directory of this process and exit with the command's status. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8));
        CliContext context;
        try {
            context = context();
        } catch (RuntimeException e) {
            // A broken configuration must be reported, not shown as a stack trace.
            err.println("kextkit: " + e.getMessage());
            err.flush();
            System.exit(78);
            return;
        }
        int status = KextkitCommand.run(List.of(args), Path.of("").toAbsolutePath(), out, err, context);
        System.exit(status);
    }

    /** Return the context from the first registered {@link CliContextProvider}, or one with no services. */
    public static CliContext context() {
        for (CliContextProvider provider : ServiceLoader.load(CliContextProvider.class)) {
            return provider.context();
        }
        return CliContext.builder().build();
    }
}
