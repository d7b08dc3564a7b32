package org.kextkit.kit.iokit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.kextkit.kit.internal.ExecutionContext;
import org.kextkit.kit.internal.KernelChecks;
import org.kextkit.kit.internal.KernelEvents;
import org.kextkit.kit.internal.KernelScheduler;
import org.kextkit.kit.internal.KernelThreadStopped;
import org.kextkit.kit.internal.LockState;
import org.kextkit.kit.internal.ThreadOwnership;
import org.kextkit.kit.internal.WaitQueue;
import org.kextkit.kit.libkern.OSObject;

/**
 * A work loop: a kernel thread and a recursive gate that serialise a driver's event-source actions
 * ({@code IOWorkLoop}).
 *
 * <p>Event sources added with {@link #addEventSource} signal the loop; its thread then closes the
 * gate and asks each enabled source to {@code checkForWork}, so interrupt and timer actions run one
 * at a time, on the work-loop thread, with the gate held, in the kernel's work-loop context. Other
 * threads join in by closing the gate themselves ({@link #runAction}, {@link IOCommandGate}). The
 * gate is recursive on one thread; it does not detect deadlocks across work loops.
 *
 * <p>{@link #release()} to zero (through {@link #free()}) disables and removes every source and ends
 * the thread. Release the work loop last, after the sources (rule W1). Non-final, so tests can mock
 * it.
 */
public class IOWorkLoop extends OSObject {
    private static final AtomicLong NEXT_ID = new AtomicLong(1);

    /** An action run with the gate closed ({@code IOWorkLoop::Action}). */
    @FunctionalInterface
    public interface Action {
        /** Run with the gate held; return an {@code IOReturn}. */
        int run(OSObject target, Object arg0, Object arg1, Object arg2, Object arg3);
    }

    private final List<IOEventSource> eventSources = new CopyOnWriteArrayList<>();
    private final AtomicReference<Thread> gateOwner = new AtomicReference<>();
    private final String name = "IOWorkLoop-" + NEXT_ID.getAndIncrement();
    private volatile int gateDepth;
    private volatile boolean workToDo;
    private volatile boolean terminating;
    private volatile Thread loopThread;
    private KernelScheduler scheduler;
    private WaitQueue gateQueue;
    private WaitQueue workQueue;
    private KernelScheduler.KernelThread thread;

    /** Create a work loop with its own thread ({@code IOWorkLoop::workLoop()}). */
    public static IOWorkLoop workLoop() {
        IOWorkLoop loop = new IOWorkLoop();
        loop.init();
        return loop;
    }

    /** Use {@link #workLoop()}; a subclass calls {@link #init()} before use. */
    protected IOWorkLoop() {
    }

    /** Start the work-loop thread; return true. Called once by {@link #workLoop()}. */
    protected boolean init() {
        if (thread != null) {
            return true;
        }
        scheduler = kernelServices().scheduler();
        gateQueue = scheduler.newWaitQueue(name + " gate");
        workQueue = scheduler.newWaitQueue(name + " work");
        thread = scheduler.startThread(name, ExecutionContext.WORK_LOOP, this::threadMain);
        return true;
    }

    private void threadMain() {
        loopThread = Thread.currentThread();
        try {
            while (true) {
                workQueue.await(() -> workToDo || terminating, WaitQueue.FOREVER);
                if (terminating) {
                    return;
                }
                runEventSources();
            }
        } finally {
            // The Java thread may serve other kernel threads later; they are not this loop's thread.
            loopThread = null;
        }
    }

    private void runEventSources() {
        closeGate();
        try {
            boolean more;
            do {
                workToDo = false;
                more = false;
                for (IOEventSource source : eventSources) {
                    if (terminating) {
                        return;
                    }
                    if (source.getWorkLoop() == this && checkedWork(source)) {
                        more = true;
                    }
                }
            } while ((more || workToDo) && !terminating);
        } finally {
            openGate();
        }
    }

    /** Wake the work-loop thread to poll its event sources; any thread and context may call it. */
    public void signalWorkAvailable() {
        workToDo = true;
        workQueue.wakeAll();
    }

    // ---- event sources -----------------------------------------------------------------------

    /**
     * Add {@code newEvent}, retaining it, with the gate closed ({@code addEventSource}); return
     * {@code kIOReturnBadArgument} if it is null or already on a work loop.
     */
    public int addEventSource(IOEventSource newEvent) {
        if (newEvent == null || newEvent.getWorkLoop() != null) {
            return IOReturn.kIOReturnBadArgument;
        }
        closeGate();
        try {
            newEvent.retain();
            eventSources.add(newEvent);
            newEvent.setWorkLoop(this);
            newEvent.eventSourceRecord().added = true;
        } finally {
            openGate();
        }
        signalWorkAvailable();
        return IOReturn.kIOReturnSuccess;
    }

    /**
     * Remove {@code toRemove} and release it, with the gate closed ({@code removeEventSource}).
     * A timer still armed at this point is recorded (rule W2: cancel first).
     */
    public int removeEventSource(IOEventSource toRemove) {
        if (toRemove == null || !eventSources.contains(toRemove)) {
            return IOReturn.kIOReturnBadArgument;
        }
        closeGate();
        try {
            if (toRemove.eventSourceRecord().armed) {
                toRemove.eventSourceRecord().removedWhileArmed = true;
                KernelChecks checks = kernelServices().checks();
                if (checks.active()) {
                    checks.teardownMisuse(KernelChecks.TeardownMisuse.TIMER_ARMED, toRemove, "timer removed from "
                            + name + " while armed; it still fires after removal. Call cancelTimeout first.");
                }
            }
            eventSources.remove(toRemove);
            toRemove.setWorkLoop(null);
            toRemove.eventSourceRecord().added = false;
        } finally {
            openGate();
        }
        toRemove.release();
        return IOReturn.kIOReturnSuccess;
    }

    /** Return the sources added to this loop, in the order they are polled. */
    public List<IOEventSource> getEventSources() {
        return List.copyOf(eventSources);
    }

    /** Enable every event source ({@code enableAllEventSources}). */
    public void enableAllEventSources() {
        for (IOEventSource source : eventSources) {
            source.enable();
        }
    }

    /** Disable every event source ({@code disableAllEventSources}). */
    public void disableAllEventSources() {
        for (IOEventSource source : eventSources) {
            source.disable();
        }
    }

    /** Enable the interrupt event sources only ({@code enableAllInterrupts}). */
    public void enableAllInterrupts() {
        for (IOEventSource source : eventSources) {
            if (source instanceof IOInterruptEventSource) {
                source.enable();
            }
        }
    }

    /** Disable the interrupt event sources only ({@code disableAllInterrupts}). */
    public void disableAllInterrupts() {
        for (IOEventSource source : eventSources) {
            if (source instanceof IOInterruptEventSource) {
                source.disable();
            }
        }
    }

    // ---- gate --------------------------------------------------------------------------------

    /** Close the gate, waiting while another thread holds it; recursive on one thread ({@code closeGate}). */
    public void closeGate() {
        Thread me = Thread.currentThread();
        if (gateOwner.get() == me) {
            gateDepth++;
            return;
        }
        while (!gateOwner.compareAndSet(null, me)) {
            gateQueue.await(() -> gateOwner.get() == null, WaitQueue.FOREVER);
            if (me.isInterrupted()) {
                throw new KernelThreadStopped("stopped while waiting for the gate of " + name);
            }
        }
        ThreadOwnership.claimed();
        gateDepth = 1;
    }

    /** Close the gate if nobody else holds it; return true if closed ({@code tryCloseGate}). */
    public boolean tryCloseGate() {
        Thread me = Thread.currentThread();
        if (gateOwner.get() == me) {
            gateDepth++;
            return true;
        }
        if (gateOwner.compareAndSet(null, me)) {
            ThreadOwnership.claimed();
            gateDepth = 1;
            return true;
        }
        return false;
    }

    /** Open the gate once; the last open lets other threads in ({@code openGate}). Panics if not held. */
    public void openGate() {
        Thread me = Thread.currentThread();
        if (gateOwner.get() != me) {
            throw kernelServices().panic(String.format("IOWorkLoop::openGate: gate of %s is not held by %s", name,
                    LockState.describe(me)));
        }
        if (--gateDepth == 0) {
            gateOwner.set(null);
            ThreadOwnership.released();
            gateQueue.wakeAll();
        }
    }

    /** Return true if the calling thread holds the gate ({@code inGate}). */
    public boolean inGate() {
        return gateOwner.get() == Thread.currentThread();
    }

    /** Return true if the caller is this loop's thread ({@code onThread}). */
    public boolean onThread() {
        return loopThread == Thread.currentThread();
    }

    /**
     * Sleep on {@code event} with the gate released, then close it again with the same depth
     * ({@code sleepGate}); return a {@code THREAD_*} wait result. Panics if the caller does not hold
     * the gate, as {@code commandSleep} does.
     */
    public int sleepGate(Object event, long deadline) {
        if (!inGate()) {
            KernelChecks checks = kernelServices().checks();
            if (checks.active()) {
                checks.teardownMisuse(KernelChecks.TeardownMisuse.SLEEP_WITHOUT_GATE, this,
                        "commandSleep called without holding the gate of " + name);
            }
            throw kernelServices().panic("invalid commandSleep while not holding the gate");
        }
        if (kernelServices().checks().active()) {
            kernelServices().checks().blocking("commandSleep");
        }
        KernelEvents.Sleeper sleeper = KernelEvents.of(scheduler).prepareToSleep(event);
        int depth = gateDepth;
        gateDepth = 0;
        gateOwner.set(null);
        ThreadOwnership.released();
        gateQueue.wakeAll();
        try {
            return sleeper.block(deadline);
        } finally {
            closeGate();
            gateDepth = depth;
        }
    }

    /** Wake threads sleeping on {@code event} in {@link #sleepGate} ({@code wakeupGate}). */
    public void wakeupGate(Object event, boolean oneThread) {
        KernelEvents.of(scheduler).wakeup(event, oneThread);
    }

    /**
     * Run {@code action} on the calling thread with the gate closed and return its result
     * ({@code IOWorkLoop::runAction}).
     */
    public int runAction(Action action, OSObject target, Object arg0, Object arg1, Object arg2, Object arg3) {
        if (action == null) {
            return IOReturn.kIOReturnBadArgument;
        }
        KernelChecks gateChecks = kernelServices().checks();
        if (gateChecks.active() && scheduler != null
                && scheduler.currentContext() == ExecutionContext.PRIMARY_INTERRUPT) {
            gateChecks.teardownMisuse(KernelChecks.TeardownMisuse.GATE_FROM_INTERRUPT, this,
                    "runAction called at primary interrupt level, where taking the gate of " + name
                            + " may block; use an interrupt event source instead.");
        }
        closeGate();
        try {
            return inWorkLoopContext(() -> action.run(target, arg0, arg1, arg2, arg3));
        } finally {
            openGate();
        }
    }

    /** Run {@code action} with the gate closed and no arguments. */
    public int runAction(Action action, OSObject target) {
        return runAction(action, target, null, null, null, null);
    }

    int inWorkLoopContext(java.util.function.IntSupplier body) {
        int[] result = new int[1];
        KernelChecks checks = kernelServices().checks();
        int token = KernelChecks.entering();
        scheduler.runInContext(ExecutionContext.WORK_LOOP, () -> result[0] = body.getAsInt());
        if (checks.active()) {
            checks.entryPointReturned("work-loop action on " + name, token);
        }
        return result[0];
    }

    /** Let {@code source} run its action, then check what the action left behind. */
    private boolean checkedWork(IOEventSource source) {
        int token = KernelChecks.entering();
        boolean more = source.checkForWork();
        KernelChecks checks = kernelServices().checks();
        if (checks.active()) {
            checks.entryPointReturned(source.getClass().getSimpleName() + " action on " + name, token);
        }
        return more;
    }

    KernelScheduler scheduler() {
        return scheduler;
    }

    /** Return this loop's name, as its thread is named. */
    public String getName() {
        return name;
    }

    /** Return true while the work-loop thread runs. */
    boolean isThreadAlive() {
        return thread != null && thread.isAlive();
    }

    /** Return true once the loop is being torn down. */
    public boolean isTerminating() {
        return terminating;
    }

    /** Disable and remove every source, then end the thread ({@code IOWorkLoop::free}). */
    @Override
    protected void free() {
        if (thread != null && !terminating) {
            closeGate();
            try {
                for (IOEventSource source : eventSources) {
                    source.disable();
                }
            } finally {
                openGate();
            }
            for (IOEventSource source : List.copyOf(eventSources)) {
                removeEventSource(source);
            }
            terminating = true;
            workQueue.wakeAll();
            if (!onThread()) {
                thread.join(WaitQueue.FOREVER);
            }
        }
        super.free();
    }

    @Override
    public String toString() {
        return name;
    }
}
