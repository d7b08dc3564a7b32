package org.kextkit.harness.scheduler;

/**
 * A scope in which a thread from outside the kernel (a test, a command) runs as a kernel thread in
 * thread context; see {@link HostedScheduler#enter()}. Closing it gives the processor back and, under
 * virtual time, returns once every thread made runnable meanwhile has run.
 */
@FunctionalInterface
public interface KernelEntry extends AutoCloseable {
    /** The entry of a thread that already runs as a kernel thread: closing it does nothing. */
    KernelEntry NESTED = () -> {
    };

    @Override
    void close();
}
