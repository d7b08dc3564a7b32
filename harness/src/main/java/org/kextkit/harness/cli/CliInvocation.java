package org.kextkit.harness.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Carry what one run of the command tree works with: the client's working directory, its output
 * streams and the {@link CliContext}.
 *
 * <p>The daemon serves clients in other directories, so every relative path on a command line is
 * resolved with {@link #resolve(String)}, never against the JVM's own working directory.
 */
public final class CliInvocation {
    private final Path cwd;
    private final PrintWriter out;
    private final PrintWriter err;
    private final CliContext context;

    /** Create an invocation; {@code cwd} must be absolute. */
    public CliInvocation(Path cwd, PrintWriter out, PrintWriter err, CliContext context) {
        Objects.requireNonNull(cwd, "cwd");
        if (!cwd.isAbsolute()) {
            throw new IllegalArgumentException("working directory " + cwd + " is not an absolute path");
        }
        this.cwd = cwd.normalize();
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.context = Objects.requireNonNull(context, "context");
    }

    /** Return the client's working directory. */
    public Path cwd() {
        return cwd;
    }

    /** Return standard output. */
    public PrintWriter out() {
        return out;
    }

    /** Return standard error. */
    public PrintWriter err() {
        return err;
    }

    /** Return the context. */
    public CliContext context() {
        return context;
    }

    /** Resolve a path typed by the client against its working directory, and normalize it. */
    public Path resolve(String path) {
        return cwd.resolve(path).normalize();
    }
}
