package org.kextkit.harness.lifecycle;

/**
 * Thrown when work is asked of a hosted kernel that has panicked, or when a request ends in a
 * panic; the message is {@code kernel has panicked: <panic string>} and {@link #report()} holds the
 * whole panic report.
 */
public final class KernelPanickedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final transient PanicReport report;

    /** Create the exception for {@code report}. */
    public KernelPanickedException(PanicReport report) {
        super("kernel has panicked: " + report.panicString());
        this.report = report;
    }

    /** Return the kernel's panic report. */
    public PanicReport report() {
        return report;
    }
}
