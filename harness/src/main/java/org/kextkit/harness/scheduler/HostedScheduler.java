package org.kextkit.harness.scheduler;

import java.util.List;
import java.util.concurrent.Callable;
import org.kextkit.kit.internal.ExecutionContext;
import org.kextkit.kit.internal.KernelScheduler;

/**
 * The harness's side of a hosted kernel's scheduler: what the kit sees ({@link KernelScheduler}) plus
 * entry from outside the kernel, contained calls into kext code, and the kernel's halt on panic.
 *
 * <p>Every call the kernel makes into kext code (a kext's start and stop routines, a driver's
 * {@code probe}, {@code start}, {@code stop}, {@code message}, {@code setPowerState}) goes through
 * {@link #call}: the code runs on a kernel thread of its own while the caller waits, so a kext that
 * never returns or deadlocks is reported to the caller ({@link KernelStallException}) and abandoned,
 * and the kernel goes on serving other requests.
 */
public interface HostedScheduler extends KernelScheduler {
    /** Return how this scheduler keeps time. */
    TimeMode mode();

    /**
     * Let the calling thread run as a kernel thread in thread context until the returned scope is
     * closed. A thread that is already a kernel thread of this kernel gets {@link KernelEntry#NESTED}.
     * Under virtual time the caller first waits for the processor, and closing the scope lets every
     * runnable kernel thread run at the current kernel time before it returns.
     */
    KernelEntry enter();

    /**
     * Run {@code body} on a new kernel thread named {@code threadName} in {@code context} and wait for
     * it, entering the kernel first if the caller is outside it.
     *
     * @return what {@code body} returned
     * @throws KernelStallException if the thread hangs past the watchdog budget (it is then
     *         abandoned) or the wait deadlocks; the report names the threads involved
     * @throws java.util.concurrent.CompletionException wrapping a checked exception that {@code body} threw;
     *         unchecked exceptions and errors ({@code KernelPanic} included) are rethrown as they are
     */
    <T> T call(String threadName, ExecutionContext context, Callable<T> body);

    /** Return true if the calling thread is one of this kernel's threads (or runs inside an entry). */
    boolean isKernelThread();

    /** Return the calling kernel thread's name, or the Java thread's name outside the kernel. */
    String currentThreadName();

    /**
     * Return true if the calling thread is {@code owner} or runs a {@link #call} on behalf of it (for
     * recursive kernel locks: the kext code a kernel call runs belongs to the caller's logical thread,
     * as it would in a real kernel where the call is made on the caller's own stack).
     */
    boolean actsFor(Thread owner);

    /** Return the stalls noticed so far (hangs, deadlocks, runaway time), oldest first. */
    List<StallReport> stallReports();

    /**
     * Halt after a panic: no kernel thread is scheduled again, pending timers and events are dropped,
     * and every caller waiting inside the kernel is woken with a {@code KernelPanic}.
     */
    void halt(String panicString);

    /** Return the panic string the scheduler halted with, or {@code null} if it is running. */
    String haltedBecause();

    /** Stop for good at kernel shutdown: end idle kernel threads and stop watching for hangs. */
    void shutdown();
}
