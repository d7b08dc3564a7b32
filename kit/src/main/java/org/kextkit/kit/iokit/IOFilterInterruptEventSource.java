package org.kextkit.kit.iokit;

import org.kextkit.kit.libkern.OSObject;

/**
 * An interrupt source with a filter routine ({@code IOFilterInterruptEventSource}): the filter runs
 * at primary interrupt level for every interrupt and decides whether the action should run on the
 * work loop.
 *
 * <p>The filter must not block, allocate, take a mutex or {@code IOLock}, call {@code IOLog} or
 * sleep; it may take an {@code IOSimpleLock} with interrupts disabled. It should read and clear the
 * device's interrupt cause, or the interrupt storms. Return true to schedule the action;
 * {@link #signalInterrupt()} schedules it too.
 */
public class IOFilterInterruptEventSource extends IOInterruptEventSource {
    /** The filter routine ({@code IOFilterInterruptEventSource::Filter}), run at primary interrupt level. */
    @FunctionalInterface
    public interface Filter {
        /** Return true if the action should run for this interrupt. */
        boolean filter(OSObject owner, IOFilterInterruptEventSource sender);
    }

    /** The filter routine. */
    protected final Filter filter;

    /**
     * Create a filtered source for interrupt {@code intIndex} of {@code provider}
     * ({@code filterInterruptEventSource}); return {@code null} if the provider refuses it.
     */
    public static IOFilterInterruptEventSource filterInterruptEventSource(OSObject owner, Action action, Filter filter,
                                                                         IOService provider, int intIndex) {
        if (filter == null) {
            return null;
        }
        IOFilterInterruptEventSource source = new IOFilterInterruptEventSource(owner, action, filter, provider,
                intIndex);
        if (!source.registerHandler()) {
            source.release();
            return null;
        }
        return source;
    }

    /** Use {@link #filterInterruptEventSource}. */
    protected IOFilterInterruptEventSource(OSObject owner, Action action, Filter filter, IOService provider,
                                           int intIndex) {
        super(owner, action, provider, intIndex);
        this.filter = filter;
    }

    /** Run the filter at primary level; schedule the action if it says so ({@code normalInterruptOccurred}). */
    @Override
    protected void interruptOccurred(Object refCon, IOService nub, int source) {
        int token = org.kextkit.kit.internal.KernelChecks.entering();
        boolean schedule = filter.filter(owner, this);
        org.kextkit.kit.internal.KernelChecks checks = kernelServices().checks();
        if (checks.active()) {
            checks.entryPointReturned(getClass().getSimpleName() + " filter routine", token);
        }
        if (schedule) {
            signalInterrupt();
        }
    }

    /** Schedule the action on the work loop, from the filter or anywhere else ({@code signalInterrupt}). */
    @Override
    public void signalInterrupt() {
        super.signalInterrupt();
    }

    /** Return the filter routine ({@code getFilterAction}). */
    public Filter getFilterAction() {
        return filter;
    }
}
