package org.kextkit.harness.daemon;

import java.util.List;

/**
 * Give the kernel daemon access to a booted hosted kernel: the commands it runs, what it adds to
 * {@code status}, and how to stop it.
 *
 * <p>The daemon calls every method from its single kernel thread, so an implementation needs no
 * locking of its own for these calls.
 */
public interface KernelHost {

    /** Return the runner for every command except {@code status} and {@code shutdown}, which the daemon answers itself. */
    CommandRunner commands();

    /** Return extra lines for {@code status}, such as {@code loaded kexts: 12}; none by default. */
    default List<String> statusLines() {
        return List.of();
    }

    /**
     * Stop the kernel: stop and unload its kexts, release what it holds. Called once, when the daemon
     * shuts down; the socket is already gone, so no new command can arrive.
     */
    void shutdown();
}
