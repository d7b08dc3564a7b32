package org.kextkit.harness.daemon.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Carry the outcome of one command back to the client: the exit code and the bytes the command wrote
 * to its standard output and standard error.
 *
 * <p>The byte arrays are not copied; neither side changes them after building a reply.
 */
public final class KernelReply {
    private final int exitCode;
    private final byte[] stdout;
    private final byte[] stderr;

    /** Create a reply; {@code exitCode} must be 0 to 255, as for a process. */
    public KernelReply(int exitCode, byte[] stdout, byte[] stderr) {
        if (exitCode < 0 || exitCode > 255) {
            throw new IllegalArgumentException("exit code must be 0 to 255: " + exitCode);
        }
        this.exitCode = exitCode;
        this.stdout = Objects.requireNonNull(stdout, "stdout");
        this.stderr = Objects.requireNonNull(stderr, "stderr");
    }

    /** Create a reply whose output and error texts are encoded as UTF-8. */
    public static KernelReply of(int exitCode, String stdout, String stderr) {
        return new KernelReply(exitCode, stdout.getBytes(StandardCharsets.UTF_8), stderr.getBytes(StandardCharsets.UTF_8));
    }

    /** Return the command's exit code, 0 to 255. */
    public int exitCode() {
        return exitCode;
    }

    /** Return what the command wrote to standard output. */
    public byte[] stdout() {
        return stdout;
    }

    /** Return what the command wrote to standard error. */
    public byte[] stderr() {
        return stderr;
    }

    /** Return standard output decoded as UTF-8. */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** Return standard error decoded as UTF-8. */
    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }
}
