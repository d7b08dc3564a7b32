package org.kextkit.harness.check.instrument;

/**
 * Whether a hosted kernel checks and instruments kext bytecode at load, and each kernel thread's
 * stack budget.
 *
 * @param enabled true to run the load-time checks and instrument kext classes (the default); false
 *     defines kext classes exactly as their jars hold them (a baseline for measuring the checks' cost)
 * @param stackBudget the kernel stack budget of each thread, in bytes ({@code kextkit.stack-budget})
 */
public record InstrumentSettings(boolean enabled, int stackBudget) {
    /** The settings of a default kernel: checks on, 16 KiB stacks. */
    public static final InstrumentSettings DEFAULTS = new InstrumentSettings(true, FrameEstimate.DEFAULT_STACK_BUDGET);

    /** Check the budget. */
    public InstrumentSettings {
        if (stackBudget < 256) {
            throw new IllegalArgumentException("kernel stack budget must be at least 256 bytes, got " + stackBudget);
        }
    }
}
