package org.kextkit.harness.scheduler;

/**
 * Thrown to a caller waiting in the kernel when the kernel cannot make progress for it: the kernel
 * thread it waits for kept the processor past the watchdog budget, every kernel thread is blocked
 * with nothing pending, or kernel time kept running without the caller's wait ending.
 * {@link #report()} names the threads, their contexts, what they wait on and their stacks.
 */
public final class KernelStallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient StallReport report;

    /** Create the exception for {@code report}; its message is the report's summary line. */
    public KernelStallException(StallReport report) {
        super(report.summary());
        this.report = report;
    }

    /** Return the full report. */
    public StallReport report() {
        return report;
    }
}
