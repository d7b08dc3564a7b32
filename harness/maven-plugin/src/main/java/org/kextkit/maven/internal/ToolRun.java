package org.kextkit.maven.internal;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.kextkit.harness.cli.KextkitCommand;
import org.kextkit.harness.cli.wiring.InProcessContextProvider;
import org.kextkit.harness.config.KextkitConfig;
import org.kextkit.harness.daemon.client.KernelClient;

/**
 * One run of a kextkit command from a build, with what it printed, so the goals show the very lines
 * {@code bin/kextkit} shows.
 *
 * @param status the command's exit status, as documented in docs/cli.md
 * @param out what it printed on standard output
 * @param err what it printed on standard error
 */
public record ToolRun(int status, String out, String err) {
    /**
     * Run {@code argv} (the command name first) in this JVM, as {@code bin/kextkit} runs the commands
     * that need no kernel daemon, with {@code cwd} as the working directory.
     */
    public static ToolRun inProcess(KextkitConfig config, Path cwd, List<String> argv) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
            int status = KextkitCommand.run(argv, cwd, o, e, InProcessContextProvider.context(config));
            o.flush();
            e.flush();
            return new ToolRun(status, out.toString(), err.toString());
        }
    }

    /** Send {@code argv} to the kernel daemon listening on {@code socket}, as the daemon-bound commands do. */
    public static ToolRun daemon(Path socket, Path cwd, List<String> argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = KernelClient.forward(socket, argv, cwd, KernelClient.facts(), out, err);
        return new ToolRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Return what the command printed, standard error first, without trailing blank lines. */
    public String output() {
        return (err + out).stripTrailing();
    }
}
