package org.kextkit.harness.scheduler;

import org.kextkit.kit.internal.ExecutionContext;

/**
 * Receive a panic that the scheduler caught at the kernel/kext boundary of one of its own threads:
 * a {@code KernelPanic} or any other throwable that escaped an interrupt handler, a callout, a
 * hardware event or a kernel thread's body. The hosted kernel records it and halts.
 */
@FunctionalInterface
public interface PanicHandler {
    /**
     * Handle the panic; called on the thread that panicked, once per escaping throwable.
     *
     * @param panicString what the panic report shows first
     * @param cause the throwable that escaped (its stack is the backtrace)
     * @param threadName the kernel thread's name
     * @param context the context the thread ran in when the throwable escaped
     */
    void kernelPanic(String panicString, Throwable cause, String threadName, ExecutionContext context);
}
