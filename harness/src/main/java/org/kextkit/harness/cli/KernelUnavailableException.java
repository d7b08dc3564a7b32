package org.kextkit.harness.cli;

/**
 * Report that the kernel cannot be reached at all, for example because it is not booted; the
 * message says why in a short phrase the commands append to their own line.
 */
public final class KernelUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Create the exception with a short reason such as {@code "the kernel is not booted"}. */
    public KernelUnavailableException(String reason) {
        super(reason);
    }
}
