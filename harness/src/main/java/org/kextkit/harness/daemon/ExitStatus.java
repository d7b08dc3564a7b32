package org.kextkit.harness.daemon;

/**
 * Name the exit statuses of {@code boot}, the kernel daemon and the fast client; they follow BSD's
 * {@code sysexits.h} and are stable.
 *
 * <p>A command run inside the kernel (for example {@code kextload}) exits with its own status, which the
 * client passes through unchanged; the values below are those the daemon machinery itself produces.
 * {@code docs/daemon.md} lists them.
 */
public final class ExitStatus {
    /** Success. */
    public static final int OK = 0;
    /** {@code EX_USAGE}: the command line cannot be sent (for example, it is over the protocol's size limit). */
    public static final int USAGE = 64;
    /** {@code EX_UNAVAILABLE}: kextkit is not built, or the running kernel has no such command. */
    public static final int UNAVAILABLE = 69;
    /** {@code EX_SOFTWARE}: a command failed inside the daemon with an unexpected exception; the daemon keeps running. */
    public static final int SOFTWARE = 70;
    /** {@code EX_OSERR}: no hosted kernel is running (as {@code kextstat} when the kernel cannot be queried), or boot failed. */
    public static final int NO_KERNEL = 71;
    /** {@code EX_IOERR}: the connection to the daemon broke before the reply was complete. */
    public static final int IO_ERROR = 74;
    /** {@code EX_TEMPFAIL}: {@code boot} refused because a hosted kernel is already running. */
    public static final int ALREADY_RUNNING = 75;
    /** {@code EX_PROTOCOL}: the peer broke the protocol or speaks another version of it. */
    public static final int PROTOCOL = 76;
    /** {@code EX_NOPERM}: the socket directory is not private to the user, or the peer is another user. */
    public static final int NO_PERMISSION = 77;
    /** {@code EX_CONFIG}: the configuration is invalid. */
    public static final int CONFIG = 78;

    private ExitStatus() {
    }
}
