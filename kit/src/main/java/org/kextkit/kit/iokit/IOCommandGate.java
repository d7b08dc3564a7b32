package org.kextkit.kit.iokit;

import org.kextkit.kit.internal.ExecutionContext;
import org.kextkit.kit.internal.KernelChecks;
import org.kextkit.kit.internal.KernelEvents;
import org.kextkit.kit.internal.WaitQueue;
import org.kextkit.kit.libkern.OSObject;

/**
 * Run code on the caller's thread with the work-loop gate closed ({@code IOCommandGate}): the way a
 * driver's client-facing methods serialise with its interrupt and timer actions.
 *
 * <p>{@link #runAction} closes the gate (waiting while an action or another thread holds it), runs
 * the action in the kernel's work-loop context and opens the gate again; it may be nested on one
 * thread. A disabled gate stalls callers until re-enabled (the work-loop thread itself passes); a
 * caller stalled when the gate is freed gets {@code kIOReturnAborted}. {@link #attemptAction} never
 * waits. {@link #commandSleep} releases the gate while the caller sleeps and must be called with the
 * gate held, or the kernel panics ({@code invalid commandSleep while not holding the gate}). Never
 * call these at primary interrupt level.
 */
public class IOCommandGate extends IOEventSource {
    /** The gate's action ({@code IOCommandGate::Action}). */
    @FunctionalInterface
    public interface Action {
        /** Run with the gate held; return an {@code IOReturn}. */
        int run(OSObject owner, Object arg0, Object arg1, Object arg2, Object arg3);
    }

    /** The default action {@link #runCommand} runs, or {@code null}. */
    protected final Action action;
    private final Object enabledEvent = new Object();
    private volatile boolean freed;

    /** Create a gate for {@code owner} whose {@link #runCommand} runs {@code action} ({@code commandGate}). */
    public static IOCommandGate commandGate(OSObject owner, Action action) {
        return new IOCommandGate(owner, action);
    }

    /** Create a gate with no default action. */
    public static IOCommandGate commandGate(OSObject owner) {
        return new IOCommandGate(owner, null);
    }

    /** Use {@link #commandGate}. */
    protected IOCommandGate(OSObject owner, Action action) {
        super(owner);
        this.action = action;
    }

    /** Run the default action with the gate closed ({@code runCommand}). */
    public int runCommand(Object arg0, Object arg1, Object arg2, Object arg3) {
        return runAction(action, arg0, arg1, arg2, arg3);
    }

    /** Run the default action with no arguments. */
    public int runCommand() {
        return runCommand(null, null, null, null);
    }

    /** Run the default action with one argument. */
    public int runCommand(Object arg0) {
        return runCommand(arg0, null, null, null);
    }

    /** Run {@code gateAction} with no arguments. */
    public int runAction(Action gateAction) {
        return runAction(gateAction, null, null, null, null);
    }

    /** Run {@code gateAction} with one argument. */
    public int runAction(Action gateAction, Object arg0) {
        return runAction(gateAction, arg0, null, null, null);
    }

    /**
     * Run {@code gateAction} on the calling thread with the gate closed and return its result
     * ({@code runAction}). Returns {@code kIOReturnBadArgument} without an action,
     * {@code kIOReturnNotPermitted} when the gate is on no work loop, and {@code kIOReturnAborted} if
     * the gate is freed while the caller waits for it to be enabled.
     */
    public int runAction(Action gateAction, Object arg0, Object arg1, Object arg2, Object arg3) {
        if (gateAction == null) {
            return IOReturn.kIOReturnBadArgument;
        }
        IOWorkLoop loop = workLoop;
        if (loop == null) {
            return IOReturn.kIOReturnNotPermitted;
        }
        noteContext(loop);
        loop.closeGate();
        try {
            if (!loop.onThread()) {
                while (!enabled) {
                    if (freed) {
                        return IOReturn.kIOReturnAborted;
                    }
                    loop.sleepGate(enabledEvent, WaitQueue.FOREVER);
                }
            }
            if (freed) {
                return IOReturn.kIOReturnAborted;
            }
            return loop.inWorkLoopContext(() -> gateAction.run(owner, arg0, arg1, arg2, arg3));
        } finally {
            loop.openGate();
        }
    }

    /** Try the default action without waiting ({@code attemptCommand}). */
    public int attemptCommand(Object arg0, Object arg1, Object arg2, Object arg3) {
        return attemptAction(action, arg0, arg1, arg2, arg3);
    }

    /** Try {@code gateAction} with no arguments. */
    public int attemptAction(Action gateAction) {
        return attemptAction(gateAction, null, null, null, null);
    }

    /**
     * Run {@code gateAction} only if the gate can be closed at once ({@code attemptAction}): return
     * {@code kIOReturnNotPermitted} if the gate is disabled and {@code kIOReturnCannotLock} if another
     * thread holds it.
     */
    public int attemptAction(Action gateAction, Object arg0, Object arg1, Object arg2, Object arg3) {
        if (gateAction == null) {
            return IOReturn.kIOReturnBadArgument;
        }
        IOWorkLoop loop = workLoop;
        if (loop == null) {
            return IOReturn.kIOReturnNotPermitted;
        }
        noteContext(loop);
        if (!loop.tryCloseGate()) {
            return IOReturn.kIOReturnCannotLock;
        }
        try {
            if (!enabled && !loop.onThread()) {
                return IOReturn.kIOReturnNotPermitted;
            }
            return loop.inWorkLoopContext(() -> gateAction.run(owner, arg0, arg1, arg2, arg3));
        } finally {
            loop.openGate();
        }
    }

    /**
     * Sleep on {@code event} with the gate released until {@link #commandWakeup}, then take the gate
     * back ({@code commandSleep}); return {@code THREAD_AWAKENED} (0, {@code kIOReturnSuccess}).
     * Panics if the caller does not hold the gate.
     */
    public int commandSleep(Object event, int interruptible) {
        return commandSleep(event, WaitQueue.FOREVER, interruptible);
    }

    /**
     * Like {@link #commandSleep(Object, int)}, giving up at {@code deadline} (kernel uptime in
     * nanoseconds) with {@code THREAD_TIMED_OUT}.
     */
    public int commandSleep(Object event, long deadline, int interruptible) {
        IOWorkLoop loop = workLoop;
        if (loop == null || !loop.inGate()) {
            KernelChecks checks = kernelServices().checks();
            if (checks.active()) {
                checks.teardownMisuse(KernelChecks.TeardownMisuse.SLEEP_WITHOUT_GATE, this, loop == null
                        ? "commandSleep called on a command gate that is on no work loop"
                        : "commandSleep called without holding the gate of " + loop.getName());
            }
            throw kernelServices().panic("invalid commandSleep while not holding the gate");
        }
        return loop.sleepGate(event, deadline);
    }

    /** Wake the threads sleeping on {@code event}, or only one ({@code commandWakeup}). */
    public void commandWakeup(Object event, boolean oneThread) {
        IOWorkLoop loop = workLoop;
        if (loop != null) {
            loop.wakeupGate(event, oneThread);
        }
    }

    /** Let stalled callers in ({@code enable}). */
    @Override
    public void enable() {
        enabled = true;
        wakeStalledCallers();
    }

    /** Make callers wait until {@link #enable()} ({@code disable}). */
    @Override
    public void disable() {
        enabled = false;
    }

    private void noteContext(IOWorkLoop loop) {
        if (loop.scheduler().currentContext() == ExecutionContext.PRIMARY_INTERRUPT) {
            eventSourceRecord().callsFromPrimaryInterrupt++;
            KernelChecks checks = kernelServices().checks();
            if (checks.active()) {
                checks.teardownMisuse(KernelChecks.TeardownMisuse.GATE_FROM_INTERRUPT, this,
                        "command gate action run at primary interrupt level, where taking the gate of "
                                + loop.getName() + " may block; use an interrupt event source instead.");
            }
        }
    }

    /** Abort callers stalled on a disabled gate. */
    @Override
    protected void free() {
        freed = true;
        wakeStalledCallers();
        super.free();
    }

    // by the kernel's event table, since a gate being freed is usually off its work loop already
    private void wakeStalledCallers() {
        KernelEvents.of(kernelServices().scheduler()).wakeup(enabledEvent, false);
    }

    /** Return how many callers wait for this gate to be enabled. */
    int stalledCallers() {
        return KernelEvents.of(kernelServices().scheduler()).sleeperCount(enabledEvent);
    }
}
