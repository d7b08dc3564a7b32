package org.kextkit.kit.internal;

/**
 * The kernel's clock, threads and execution contexts, as the kit sees them.
 *
 * <p>Two implementations exist. In real-time mode (the daemon) threads run freely and the clock is
 * the host's. In virtual-time mode (tests) exactly one kernel thread runs at a time, chosen in a
 * deterministic order (ties broken by a seeded random source), and the clock only moves when every
 * kernel thread is blocked on a timed wait or when a test advances it; a driver that sleeps one
 * second in {@code start} returns at once in wall time, and a run is reproducible from its seed.
 */
public interface KernelScheduler {
    /** Return the kernel clock in nanoseconds since boot (virtual or real). */
    long nanoTime();

    /**
     * Block the calling kernel thread for {@code nanos} of kernel time, letting other threads run
     * ({@code IOSleep}, {@code delay}).
     */
    void sleep(long nanos);

    /**
     * Busy-wait for {@code nanos} without giving up the processor ({@code IODelay}); under virtual
     * time this advances the clock and runs hardware events that fall due, but no other kernel thread.
     */
    void spin(long nanos);

    /** Create a wait queue. */
    WaitQueue newWaitQueue(String name);

    /**
     * Start a kernel thread (a work-loop thread, a thread-call thread, {@code kernel_thread_start}).
     * The thread belongs to the calling kernel and runs {@code body} in {@code context}.
     */
    KernelThread startThread(String name, ExecutionContext context, Runnable body);

    /** Return the context the calling thread runs in. */
    ExecutionContext currentContext();

    /**
     * Run {@code body} in {@code context} on the calling thread, restoring the previous context
     * afterwards (the interrupt controller uses this to run filter routines at primary level).
     */
    void runInContext(ExecutionContext context, Runnable body);

    /**
     * Run {@code callout} on a kernel thread-call thread once the clock reaches {@code deadlineNanos}
     * ({@code thread_call_enter_delayed}); returns a handle that can cancel it.
     */
    Callout scheduleCallout(String name, long deadlineNanos, ExecutionContext context, Runnable callout);

    /**
     * Run {@code event} when the clock reaches {@code deadlineNanos}, outside any kernel thread: for
     * simulated hardware (a DMA engine finishing, a link coming up). Hardware events run even while a
     * kernel thread spins in {@code IODelay}; they must not block.
     */
    Callout scheduleHardwareEvent(String name, long deadlineNanos, Runnable event);

    /**
     * Deliver an interrupt: run {@code handler} at primary interrupt level on the kernel's interrupt
     * thread as soon as possible (after the running thread blocks or returns under virtual time).
     */
    void postInterrupt(String source, Runnable handler);

    /** A kernel thread started by {@link #startThread}. */
    interface KernelThread {
        /** Return the name given at start. */
        String name();

        /** Return true until the body has returned. */
        boolean isAlive();

        /** Block the caller until the thread ends or the deadline passes; true if it ended. */
        boolean join(long deadlineNanos);
    }

    /** A pending callout or hardware event. */
    interface Callout {
        /** Cancel if still pending; return true if it was pending (it will not run). */
        boolean cancel();

        /** Return true while the callout waits to run. */
        boolean isPending();

        /** Return the absolute deadline. */
        long deadlineNanos();
    }
}
