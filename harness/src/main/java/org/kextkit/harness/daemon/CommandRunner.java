package org.kextkit.harness.daemon;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

import org.kextkit.harness.daemon.protocol.KernelRequest;

/**
 * Run one command inside the hosted kernel on behalf of a client: the seam where the command tree
 * plugs into the daemon.
 *
 * <p>The daemon calls a runner from a single kernel thread, one request at a time, so the kernel's
 * state is never seen half-changed. Write to {@code out} and {@code err}, not to {@code System.out}:
 * the daemon's own streams go to its log file. An exception escaping {@code run} becomes exit status
 * 70 for that client, and the daemon keeps serving.
 */
@FunctionalInterface
public interface CommandRunner {

    /**
     * Run {@code argv} (the command name first, for example {@code [kextstat, -l]}) and return its
     * exit status, 0 to 255.
     *
     * @param clientCwd the client's working directory; resolve relative paths in {@code argv} against it
     */
    int run(List<String> argv, Path clientCwd, PrintWriter out, PrintWriter err);

    /**
     * Run a whole request; override to use the client's facts ({@code COLUMNS}, whether it runs on a
     * terminal, ...). The default passes argv and working directory to {@link #run(List, Path, PrintWriter, PrintWriter)}.
     */
    default int run(KernelRequest request, PrintWriter out, PrintWriter err) {
        return run(request.argv(), Path.of(request.cwd()), out, err);
    }
}
