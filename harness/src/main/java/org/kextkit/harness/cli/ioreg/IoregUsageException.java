package org.kextkit.harness.cli.ioreg;

/**
 * A malformed ioreg or ioclasscount command line: the message is the one line to print before the
 * usage text, for example {@code ioreg: option requires an argument -- c}.
 */
public final class IoregUsageException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Create one with the line to print. */
    public IoregUsageException(String message) {
        super(message);
    }
}
