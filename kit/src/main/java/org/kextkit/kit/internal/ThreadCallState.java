package org.kextkit.kit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The kernel's side of one thread call ({@code thread_call_t}): its function and first parameter,
 * the pending callout on the kernel's scheduler, the invocations running now, and whether it was
 * freed. {@code org.kextkit.kit.mach.ThreadCalls} is the kext-facing API; the runtime checks read
 * this record at stop and unload.
 *
 * <p>Callouts run on a thread-call thread in {@link ExecutionContext#THREAD_CALL} once the kernel
 * clock reaches their deadline, so they follow virtual time in tests. Entering a pending call
 * replaces its deadline and second parameter, as XNU does; a call entered again from its own callout
 * may have that invocation running while the next one is pending.
 */
public final class ThreadCallState {
    private final KernelServices services;
    private final String name;
    private final Object param0;
    private final BiConsumer<Object, Object> function;
    private final WaitQueue idle;
    private final List<Thread> runningOn = new ArrayList<>(1);
    private KernelScheduler.Callout callout;
    private Object param1;
    private long generation;
    private boolean freed;
    private boolean freeWhenIdle;
    private volatile Object checkerData;

    /**
     * Allocate a call ({@code thread_call_allocate}).
     *
     * @param services the kernel the call belongs to
     * @param name a name for logs and findings, such as the function's class
     * @param function what the callout runs, with {@code param0} and the {@code param1} of the enter
     * @param param0 the first parameter, fixed at allocation
     */
    public ThreadCallState(KernelServices services, String name, BiConsumer<Object, Object> function, Object param0) {
        this.services = services;
        this.name = name;
        this.function = function;
        this.param0 = param0;
        this.idle = services.scheduler().newWaitQueue("thread call " + name);
        KernelChecks checks = services.checks();
        if (checks.active()) {
            checks.threadCallAllocated(this);
        }
    }

    /** Return the kernel clock in nanoseconds. */
    public long now() {
        return services.scheduler().nanoTime();
    }

    /** Return the call's name. */
    public String name() {
        return name;
    }

    /** Return the first parameter given at allocation. */
    public Object param0() {
        return param0;
    }

    /** Return what the checks keep about this call. */
    public Object checkerData() {
        return checkerData;
    }

    /** Keep {@code data} for the checks. */
    public void setCheckerData(Object data) {
        checkerData = data;
    }

    /**
     * Queue the call to run at {@code deadlineNanos} of kernel time with {@code newParam1}
     * ({@code thread_call_enter*}); return true if it was already pending (it is re-queued).
     */
    public boolean enter(Object newParam1, long deadlineNanos) {
        boolean wasPending;
        synchronized (this) {
            requireLive("thread_call_enter");
            wasPending = callout != null && callout.cancel();
            param1 = newParam1;
            long armed = ++generation;
            callout = services.scheduler().scheduleCallout("thread call " + name, deadlineNanos,
                    ExecutionContext.THREAD_CALL, () -> fire(armed));
        }
        KernelChecks checks = services.checks();
        if (checks.active()) {
            checks.threadCallEntered(this);
        }
        return wasPending;
    }

    private void requireLive(String function) {
        if (freed) {
            throw services.panic(function + ": thread call " + name + " used after thread_call_free");
        }
    }

    private void fire(long armed) {
        Object argument;
        synchronized (this) {
            if (armed != generation || freed) {
                return;
            }
            callout = null;
            argument = param1;
            runningOn.add(Thread.currentThread());
        }
        KernelChecks checks = services.checks();
        if (checks.active()) {
            checks.threadCallFiring(this);
        }
        int token = KernelChecks.entering();
        try {
            function.accept(param0, argument);
        } finally {
            if (checks.active()) {
                checks.entryPointReturned("thread call " + name, token);
            }
            synchronized (this) {
                runningOn.remove(Thread.currentThread());
                if (runningOn.isEmpty() && freeWhenIdle) {
                    freed = true;
                }
            }
            idle.wakeAll();
        }
    }

    /** Return true while the call waits to run. */
    public synchronized boolean isPending() {
        return callout != null && callout.isPending();
    }

    /** Return how many invocations of the call are running now. */
    public synchronized int runningCount() {
        return runningOn.size();
    }

    /** Return true if the call is pending or running ({@code thread_call_isactive}). */
    public synchronized boolean isActive() {
        return callout != null && callout.isPending() || !runningOn.isEmpty();
    }

    /** Return true once the call has been freed. */
    public synchronized boolean isFreed() {
        return freed;
    }

    /** Dequeue the call if pending, without waiting ({@code thread_call_cancel}); true if it was pending. */
    public boolean cancel() {
        synchronized (this) {
            requireLive("thread_call_cancel");
            generation++;
            boolean wasPending = callout != null && callout.cancel();
            callout = null;
            return wasPending;
        }
    }

    /**
     * Dequeue the call and wait for invocations running on other threads to return
     * ({@code thread_call_cancel_wait}); true if it was pending. Waiting from the call's own callout
     * would never end: XNU panics, and so does this.
     */
    public boolean cancelWait() {
        boolean wasPending = cancel();
        synchronized (this) {
            if (runningOn.contains(Thread.currentThread())) {
                throw services.panic("thread_call_cancel_wait: deadlock waiting on self from the callout of " + name);
            }
        }
        KernelChecks checks = services.checks();
        if (checks.active() && runningCount() > 0) {
            checks.blocking("thread_call_cancel_wait");
        }
        idle.await(() -> runningCount() == 0, WaitQueue.FOREVER);
        return wasPending;
    }

    /**
     * Free the call ({@code thread_call_free}). A pending call is not freed: return false, as XNU
     * does. A call running on another thread is freed when that invocation returns; freeing it from
     * its own callout is allowed.
     */
    public boolean free() {
        boolean pending;
        boolean runningElsewhere;
        synchronized (this) {
            requireLive("thread_call_free");
            pending = callout != null && callout.isPending();
            runningElsewhere = runningOn.stream().anyMatch(t -> t != Thread.currentThread());
        }
        KernelChecks checks = services.checks();
        if (checks.active()) {
            checks.threadCallFreed(this, pending, runningElsewhere);
        }
        synchronized (this) {
            if (pending) {
                return false;
            }
            if (runningOn.isEmpty()) {
                freed = true;
            } else {
                freeWhenIdle = true;
            }
            return true;
        }
    }

    /**
     * Dequeue a call whose kext is going away, so that its callout never runs into unloaded code:
     * what the kernel does after the checks have reported the call at unload.
     */
    public void cancelForUnload() {
        synchronized (this) {
            generation++;
            if (callout != null) {
                callout.cancel();
                callout = null;
            }
        }
    }

    @Override
    public String toString() {
        return "thread call " + name;
    }
}
