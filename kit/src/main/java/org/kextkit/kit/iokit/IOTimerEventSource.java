package org.kextkit.kit.iokit;

import org.kextkit.kit.internal.ExecutionContext;
import org.kextkit.kit.internal.KernelScheduler;
import org.kextkit.kit.libkern.OSObject;

/**
 * A one-shot timer whose action runs with the work-loop gate closed ({@code IOTimerEventSource}).
 *
 * <p>Arm it with a {@code setTimeout} or {@code wakeAtTime} function; re-arm it from the action for a
 * periodic timer. As in XNU the action runs on a thread-call thread with the gate closed, so it is
 * serialised with every other action of the work loop; with
 * {@link #kIOTimerEventSourceOptionsPriorityWorkLoop} it runs on the work-loop thread itself. A
 * timer that is disabled, cancelled, removed or not yet added does not fire. Before removing and
 * releasing it, cancel it (rule W2): the kernel records a timer still armed at removal or free.
 */
public class IOTimerEventSource extends IOEventSource {
    /** {@code kIOTimerEventSourceOptionsPriorityHigh}. */
    public static final int kIOTimerEventSourceOptionsPriorityHigh = 0x00000000;
    /** {@code kIOTimerEventSourceOptionsPriorityKernelHigh}, the default. */
    public static final int kIOTimerEventSourceOptionsPriorityKernelHigh = 0x00000001;
    /** {@code kIOTimerEventSourceOptionsPriorityKernel}. */
    public static final int kIOTimerEventSourceOptionsPriorityKernel = 0x00000002;
    /** {@code kIOTimerEventSourceOptionsPriorityWorkLoop}: run the action on the work-loop thread. */
    public static final int kIOTimerEventSourceOptionsPriorityWorkLoop = 0x000000ff;
    /** {@code kIOTimerEventSourceOptionsDefault}. */
    public static final int kIOTimerEventSourceOptionsDefault = kIOTimerEventSourceOptionsPriorityKernelHigh;

    /** The timer's action ({@code IOTimerEventSource::Action}). */
    @FunctionalInterface
    public interface Action {
        /** Handle the timeout. */
        void timerFired(OSObject owner, IOTimerEventSource sender);
    }

    /** The timer's action. */
    protected final Action action;
    private final int options;
    private final Object armLock = new Object();
    private long generation;
    private long firedGeneration = -1;
    private long deadline;
    private KernelScheduler.Callout callout;

    /** Create a timer with the default options ({@code timerEventSource(owner, action)}). */
    public static IOTimerEventSource timerEventSource(OSObject owner, Action action) {
        return new IOTimerEventSource(kIOTimerEventSourceOptionsDefault, owner, action);
    }

    /** Create a timer with {@code options} ({@code timerEventSource(options, owner, action)}). */
    public static IOTimerEventSource timerEventSource(int options, OSObject owner, Action action) {
        return new IOTimerEventSource(options, owner, action);
    }

    /** Use {@link #timerEventSource}. */
    protected IOTimerEventSource(int options, OSObject owner, Action action) {
        super(owner);
        this.options = options;
        this.action = action;
    }

    /** Arm the timer to fire {@code ms} milliseconds from now ({@code setTimeoutMS}). */
    public int setTimeoutMS(long ms) {
        return setTimeout(ms, IOLib.kMillisecondScale);
    }

    /** Arm the timer to fire {@code us} microseconds from now ({@code setTimeoutUS}). */
    public int setTimeoutUS(long us) {
        return setTimeout(us, IOLib.kMicrosecondScale);
    }

    /** Arm the timer to fire {@code interval * scaleFactor} nanoseconds from now ({@code setTimeout}). */
    public int setTimeout(long interval, long scaleFactor) {
        return setTimeout(interval * scaleFactor);
    }

    /** Arm the timer to fire {@code intervalNanos} (an absolute-time interval) from now ({@code setTimeout}). */
    public int setTimeout(long intervalNanos) {
        return wakeAtTime(kernelServices().scheduler().nanoTime() + intervalNanos);
    }

    /** Arm the timer to fire at uptime {@code ms} milliseconds ({@code wakeAtTimeMS}). */
    public int wakeAtTimeMS(long ms) {
        return wakeAtTime(ms * IOLib.kMillisecondScale);
    }

    /** Arm the timer to fire at uptime {@code us} microseconds ({@code wakeAtTimeUS}). */
    public int wakeAtTimeUS(long us) {
        return wakeAtTime(us * IOLib.kMicrosecondScale);
    }

    /**
     * Arm the timer to fire at absolute time {@code abstime} (kernel uptime in nanoseconds)
     * ({@code wakeAtTime}). Re-arming replaces the pending timeout. As in XNU, a timer that is
     * disabled or on no work loop is not armed, and the call still succeeds.
     */
    public int wakeAtTime(long abstime) {
        if (action == null) {
            return IOReturn.kIOReturnNoResources;
        }
        IOWorkLoop loop = workLoop;
        if (!enabled || loop == null) {
            return IOReturn.kIOReturnSuccess;
        }
        KernelScheduler scheduler = kernelServices().scheduler();
        synchronized (armLock) {
            if (callout != null) {
                callout.cancel();
            }
            long armed = ++generation;
            deadline = abstime;
            eventSourceRecord().armed = true;
            callout = scheduler.scheduleCallout("IOTimerEventSource " + owner, abstime, ExecutionContext.THREAD_CALL,
                    () -> timeout(armed));
        }
        return IOReturn.kIOReturnSuccess;
    }

    /** Disarm the timer; a timeout already running is not waited for ({@code cancelTimeout}). */
    public void cancelTimeout() {
        synchronized (armLock) {
            generation++;
            if (callout != null) {
                callout.cancel();
                callout = null;
            }
            eventSourceRecord().armed = false;
        }
    }

    /** Return true while a timeout is pending. */
    public boolean isArmed() {
        return eventSourceRecord().armed;
    }

    /** Return the absolute time the timer was last armed for. */
    public long getDeadline() {
        synchronized (armLock) {
            return deadline;
        }
    }

    private void timeout(long armed) {
        IOWorkLoop loop = workLoop;
        if (loop == null) {
            return;
        }
        if (options == kIOTimerEventSourceOptionsPriorityWorkLoop) {
            synchronized (armLock) {
                firedGeneration = armed;
            }
            loop.signalWorkAvailable();
            return;
        }
        loop.closeGate();
        try {
            if (claim(armed, loop)) {
                loop.inWorkLoopContext(() -> {
                    action.timerFired(owner, this);
                    return 0;
                });
            }
        } finally {
            loop.openGate();
        }
    }

    /** Return true if the timeout of generation {@code armed} is still wanted, and mark it fired. */
    private boolean claim(long armed, IOWorkLoop loop) {
        synchronized (armLock) {
            if (!enabled || workLoop != loop || generation != armed) {
                return false;
            }
            callout = null;
            eventSourceRecord().armed = false;
            return true;
        }
    }

    @Override
    protected boolean checkForWork() {
        long armed;
        synchronized (armLock) {
            armed = firedGeneration;
            firedGeneration = -1;
        }
        if (armed >= 0 && claim(armed, workLoop)) {
            action.timerFired(owner, this);
        }
        return false;
    }

    /** Disable the timer; a pending timeout will not run its action ({@code disable}). */
    @Override
    public void disable() {
        super.disable();
    }

    /** Cancel the timer as a last resort, recording that it was still armed ({@code IOTimerEventSource::free}). */
    @Override
    protected void free() {
        if (eventSourceRecord().armed) {
            eventSourceRecord().freedWhileArmed = true;
            org.kextkit.kit.internal.KernelChecks checks = kernelServices().checks();
            if (checks.active()) {
                checks.teardownMisuse(org.kextkit.kit.internal.KernelChecks.TeardownMisuse.TIMER_ARMED, this,
                        "timer freed while armed; cancel it with cancelTimeout before the last release.");
            }
        }
        cancelTimeout();
        super.free();
    }
}
