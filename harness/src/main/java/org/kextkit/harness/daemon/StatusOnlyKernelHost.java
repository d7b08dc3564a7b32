package org.kextkit.harness.daemon;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

import org.kextkit.harness.config.KextkitConfig;

/**
 * Stand in for a kernel that has no kext loader plugged in: the daemon answers {@code status} and
 * {@code shutdown}, and every other command says it is not available here (exit status 69).
 *
 * <p>The daemon uses it when no {@link KernelHostFactory} is registered; tests use it to exercise the
 * daemon machinery without a kernel.
 */
public final class StatusOnlyKernelHost implements KernelHost {
    private boolean stopped;

    /** Boot a {@link StatusOnlyKernelHost}; name this class to {@code --kernel-factory} to force it. */
    public static final class Factory implements KernelHostFactory {
        /** Create the factory (the daemon instantiates it reflectively). */
        public Factory() {
        }

        @Override
        public KernelHost boot(KextkitConfig config) {
            return new StatusOnlyKernelHost();
        }
    }

    @Override
    public CommandRunner commands() {
        return StatusOnlyKernelHost::unavailable;
    }

    private static int unavailable(List<String> argv, Path cwd, PrintWriter out, PrintWriter err) {
        String command = argv.isEmpty() ? "(no command)" : argv.get(0);
        err.println("kextkit: " + command + " is not available: this hosted kernel runs without a kext loader "
                + "(status only).");
        err.println("It answers status and shutdown. Register a KernelHostFactory to run kext commands.");
        return ExitStatus.UNAVAILABLE;
    }

    @Override
    public List<String> statusLines() {
        return List.of("kernel:         status only (no kext loader plugged in)");
    }

    @Override
    public void shutdown() {
        stopped = true;
    }

    /** Return true once {@link #shutdown()} has run. */
    public boolean isStopped() {
        return stopped;
    }
}
