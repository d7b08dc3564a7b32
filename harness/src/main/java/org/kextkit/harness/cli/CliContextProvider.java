package org.kextkit.harness.cli;

/**
 * Supply the {@link CliContext} that {@link Main} runs the commands with.
 *
 * <p>{@link Main} looks implementations up with {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/org.kextkit.harness.cli.CliContextProvider} entry); the kernel side
 * registers one that connects the real kernel, inspector and kextlibs services.
 */
public interface CliContextProvider {
    /** Return the context for a command run in this JVM. */
    CliContext context();
}
