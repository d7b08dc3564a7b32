package org.kextkit.kit.iokit;

import java.util.concurrent.atomic.AtomicInteger;
import org.kextkit.kit.internal.ExecutionContext;
import org.kextkit.kit.internal.KernelScheduler;
import org.kextkit.kit.libkern.OSObject;
import org.kextkit.kit.libkern.SInt32;

/**
 * Deliver a device interrupt to a driver on its work loop ({@code IOInterruptEventSource}).
 *
 * <p>The source registers a handler with its provider for interrupt {@code intIndex}. That handler
 * runs at primary interrupt level: it only counts the interrupt (and, for a level-triggered
 * interrupt, disables it at the controller) and signals the work loop. The driver's action then runs
 * on the work-loop thread with the gate held, where it may block briefly, allocate and take mutexes,
 * and is told how many interrupts arrived since its last call. Call {@link #enable()} after adding the
 * source to the work loop to enable the interrupt at the provider.
 */
public class IOInterruptEventSource extends IOEventSource {
    /** {@code kIOInterruptTypeEdge}. */
    public static final int kIOInterruptTypeEdge = 0;
    /** {@code kIOInterruptTypeLevel}. */
    public static final int kIOInterruptTypeLevel = 1;

    /** The driver's action ({@code IOInterruptEventSource::Action}), run on the work loop. */
    @FunctionalInterface
    public interface Action {
        /** Handle {@code count} interrupts delivered since the last call. */
        void handleInterrupt(OSObject owner, IOInterruptEventSource sender, int count);
    }

    /** The driver's action. */
    protected final Action action;
    /** The nub whose interrupt this is, or {@code null} for a source signalled by software. */
    protected final IOService provider;
    /** The interrupt index at the provider. */
    protected final int intIndex;
    private final AtomicInteger producerCount = new AtomicInteger();
    private int consumerCount;
    private boolean autoDisable;
    private volatile boolean explicitDisable;

    /**
     * Create a source delivering interrupt {@code intIndex} of {@code provider} to {@code action}
     * ({@code IOInterruptEventSource::interruptEventSource}); return {@code null} if the provider
     * refuses the registration.
     */
    public static IOInterruptEventSource interruptEventSource(OSObject owner, Action action, IOService provider,
                                                             int intIndex) {
        IOInterruptEventSource source = new IOInterruptEventSource(owner, action, provider, intIndex);
        if (!source.registerHandler()) {
            source.release();
            return null;
        }
        return source;
    }

    /** Use {@link #interruptEventSource}; subclasses call {@link #registerHandler()} after construction. */
    protected IOInterruptEventSource(OSObject owner, Action action, IOService provider, int intIndex) {
        super(owner);
        this.action = action;
        this.provider = provider;
        this.intIndex = intIndex;
    }

    /** Register the primary-level handler with the provider; return false if it refuses. */
    protected boolean registerHandler() {
        if (provider == null) {
            return true;
        }
        SInt32 type = new SInt32(kIOInterruptTypeEdge);
        if (provider.getInterruptType(intIndex, type) == IOReturn.kIOReturnSuccess) {
            autoDisable = type.value == kIOInterruptTypeLevel;
        }
        int result = provider.registerInterrupt(intIndex, this, this::primaryHandler, null);
        eventSourceRecord().interruptRegistered = result == IOReturn.kIOReturnSuccess;
        return result == IOReturn.kIOReturnSuccess;
    }

    private void primaryHandler(Object target, Object refCon, IOService nub, int source) {
        KernelScheduler scheduler = kernelServices().scheduler();
        if (scheduler.currentContext() == ExecutionContext.PRIMARY_INTERRUPT) {
            interruptOccurred(refCon, nub, source);
        } else {
            scheduler.runInContext(ExecutionContext.PRIMARY_INTERRUPT, () -> interruptOccurred(refCon, nub, source));
        }
    }

    /**
     * The handler at primary interrupt level ({@code normalInterruptOccurred}): count the interrupt,
     * disable a level-triggered one until the action has run, and signal the work loop.
     */
    protected void interruptOccurred(Object refCon, IOService nub, int source) {
        if (autoDisable && provider != null) {
            provider.disableInterrupt(intIndex);
        }
        signalInterrupt();
    }

    /** Count one interrupt and signal the work loop, as if the device had raised it. */
    protected void signalInterrupt() {
        producerCount.incrementAndGet();
        signalWorkAvailable();
    }

    /** Return how many interrupts arrived (the producer count). */
    public int getIntCount() {
        return producerCount.get();
    }

    /** Return the provider ({@code getProvider}). */
    public IOService getProvider() {
        return provider;
    }

    /** Return the interrupt index ({@code getIntIndex}). */
    public int getIntIndex() {
        return intIndex;
    }

    /** Return true if the handler disables a level-triggered interrupt until the action runs ({@code getAutoDisable}). */
    public boolean getAutoDisable() {
        return autoDisable;
    }

    @Override
    protected boolean checkForWork() {
        int produced = producerCount.get();
        int count = produced - consumerCount;
        if (count <= 0) {
            return false;
        }
        consumerCount = produced;
        if (enabled && action != null) {
            action.handleInterrupt(owner, this, count);
        }
        if (autoDisable && !explicitDisable && provider != null) {
            provider.enableInterrupt(intIndex);
        }
        return false;
    }

    /** Enable the interrupt at the provider and deliver it ({@code enable}). */
    @Override
    public void enable() {
        explicitDisable = false;
        if (provider != null) {
            provider.enableInterrupt(intIndex);
        }
        super.enable();
    }

    /** Disable the interrupt at the provider ({@code disable}). */
    @Override
    public void disable() {
        explicitDisable = true;
        if (provider != null) {
            provider.disableInterrupt(intIndex);
        }
        super.disable();
    }

    @Override
    protected void setWorkLoop(IOWorkLoop loop) {
        super.setWorkLoop(loop);
        if (provider == null) {
            return;
        }
        // as in current xnu, the handler is unregistered while the source is off any work loop
        if (loop == null && eventSourceRecord().interruptRegistered) {
            provider.unregisterInterrupt(intIndex);
            eventSourceRecord().interruptRegistered = false;
        } else if (loop != null && !eventSourceRecord().interruptRegistered) {
            registerHandler();
        }
    }

    @Override
    protected void free() {
        if (provider != null && eventSourceRecord().interruptRegistered) {
            provider.unregisterInterrupt(intIndex);
            eventSourceRecord().interruptRegistered = false;
        }
        super.free();
    }
}
