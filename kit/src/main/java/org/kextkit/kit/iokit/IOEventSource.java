package org.kextkit.kit.iokit;

import org.kextkit.kit.internal.EventSourceRecord;
import org.kextkit.kit.internal.KernelChecks;
import org.kextkit.kit.libkern.OSObject;

/**
 * The base of everything a work loop serialises: interrupts, timers, command gates
 * ({@code IOEventSource}). A source belongs to an owner (the driver), is added to one work loop, and
 * is enabled unless disabled. Subclasses implement {@link #checkForWork}, which the work loop calls
 * on its thread with the gate held.
 *
 * <p>Teardown (rule W1): {@link #disable()}, cancel a timer, {@code removeEventSource}, then
 * {@code release()}; the kernel records a source released while still added, or removed while its
 * timer was armed, for the checkers.
 */
public class IOEventSource extends OSObject {
    private final EventSourceRecord record = new EventSourceRecord();
    /** The driver this source works for; passed to every action. */
    protected final OSObject owner;
    /** The work loop this source is added to, or {@code null}. */
    protected volatile IOWorkLoop workLoop;
    /** Whether the source delivers its events. */
    protected volatile boolean enabled = true;

    /** Create a source for {@code owner}, enabled and not yet on a work loop. */
    protected IOEventSource(OSObject owner) {
        this.owner = owner;
    }

    /** Let the source deliver events, and poll it ({@code enable}). */
    public void enable() {
        enabled = true;
        signalWorkAvailable();
    }

    /** Stop the source delivering events ({@code disable}). */
    public void disable() {
        enabled = false;
    }

    /** Return true if enabled ({@code isEnabled}). */
    public boolean isEnabled() {
        return enabled;
    }

    /** Return the work loop this source is on, or {@code null} ({@code getWorkLoop}). */
    public IOWorkLoop getWorkLoop() {
        return workLoop;
    }

    /** Return the owner given at creation. */
    public OSObject getOwner() {
        return owner;
    }

    /** Return true if the caller is the work loop's thread ({@code onThread}). */
    public boolean onThread() {
        IOWorkLoop loop = workLoop;
        return loop != null && loop.onThread();
    }

    /**
     * Do the pending work, on the work-loop thread with the gate held; return true if more work
     * remains and the loop should call again ({@code checkForWork}).
     */
    protected boolean checkForWork() {
        return false;
    }

    /** Called by the work loop when this source is added ({@code loop}) or removed ({@code null}). */
    protected void setWorkLoop(IOWorkLoop loop) {
        this.workLoop = loop;
    }

    /** Wake the work loop so it polls the sources ({@code signalWorkAvailable}). */
    protected void signalWorkAvailable() {
        IOWorkLoop loop = workLoop;
        if (loop != null) {
            loop.signalWorkAvailable();
        }
    }

    /** Return the kernel's record of this source; kexts cannot use it. */
    public final EventSourceRecord eventSourceRecord() {
        return record;
    }

    @Override
    public void release() {
        // the work loop holds one reference while the source is added: the owner's last one is going
        if (workLoop != null && getRetainCount() <= 2) {
            record.releasedWhileAdded = true;
            KernelChecks checks = kernelServices().checks();
            if (checks.active()) {
                checks.teardownMisuse(KernelChecks.TeardownMisuse.RELEASED_WHILE_ADDED, this, getClass().getSimpleName()
                        + " released while still added to " + workLoop.getName()
                        + "; the work loop keeps calling it. Call removeEventSource before release.");
            }
        }
        super.release();
    }
}
