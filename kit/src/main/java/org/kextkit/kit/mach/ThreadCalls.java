package org.kextkit.kit.mach;

import java.util.Objects;
import org.kextkit.kit.internal.CallerKernel;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.internal.KernelServices;
import org.kextkit.kit.internal.ThreadCallState;

/**
 * Call the thread-call functions of {@code com.apple.kpi.mach} ({@code kern/thread_call.h}): run a
 * function later, once or after a deadline, on a kernel thread-call thread.
 *
 * <p>Use with a static import: {@code import static org.kextkit.kit.mach.ThreadCalls.*;}.
 *
 * <p>The rules are XNU's. {@link #thread_call_allocate} is paired with one {@link #thread_call_free}.
 * A pending call is not freed: {@code thread_call_free} returns false and leaves it queued, so cancel
 * it first. {@link #thread_call_cancel} only dequeues it; {@link #thread_call_cancel_wait} also waits
 * for a callout running on another thread to return, which is what {@code stop} needs before it frees
 * what the callout uses. Deadlines are absolute kernel time in nanoseconds (the kernel's uptime clock,
 * virtual in tests), as {@code IOTimerEventSource.wakeAtTime} takes them: compute them with
 * {@code IOLib.clock_interval_to_deadline}. The kernel's checks report a
 * call freed while pending or running (TC-1) and calls still pending, running or never freed when
 * the driver stops or the kext unloads (TC-2).
 */
@SuppressWarnings("checkstyle:MethodName")
public final class ThreadCalls {
    private ThreadCalls() {
    }

    /**
     * Allocate a thread call that runs {@code func} with {@code param0} ({@code thread_call_allocate}).
     *
     * @param func the callout
     * @param param0 its first parameter, often the driver object
     * @return the call, not yet queued
     */
    public static ThreadCall thread_call_allocate(ThreadCallFunc func, Object param0) {
        Objects.requireNonNull(func, "func");
        KernelServices services = CallerKernel.servicesOf(KernelRuntime.callerClass());
        String name = func.getClass().getName().replaceAll("\\$\\$Lambda.*", "\\$lambda");
        return new ThreadCall(new ThreadCallState(services, name, func::call, param0));
    }

    /** Queue {@code call} to run as soon as possible with a null {@code param1}; true if it was already pending. */
    public static boolean thread_call_enter(ThreadCall call) {
        return thread_call_enter1(call, null);
    }

    /** Queue {@code call} to run as soon as possible with {@code param1}; true if it was already pending. */
    public static boolean thread_call_enter1(ThreadCall call, Object param1) {
        ThreadCallState state = call.state;
        return state.enter(param1, now(state));
    }

    /**
     * Queue {@code call} to run once the kernel clock reaches {@code deadline} (absolute kernel time in
     * nanoseconds), with a null {@code param1}; true if it was already pending (its deadline is replaced).
     */
    public static boolean thread_call_enter_delayed(ThreadCall call, long deadline) {
        return thread_call_enter1_delayed(call, null, deadline);
    }

    /** As {@link #thread_call_enter_delayed}, with {@code param1}. */
    public static boolean thread_call_enter1_delayed(ThreadCall call, Object param1, long deadline) {
        return call.state.enter(param1, deadline);
    }

    /** Dequeue {@code call} if pending, without waiting for a running callout; true if it was pending. */
    public static boolean thread_call_cancel(ThreadCall call) {
        return call.state.cancel();
    }

    /**
     * Dequeue {@code call} and wait until no invocation of it runs on another thread; true if it was
     * pending. Never call it from the call's own callout (the kernel panics: it would wait for itself).
     */
    public static boolean thread_call_cancel_wait(ThreadCall call) {
        return call.state.cancelWait();
    }

    /**
     * Free {@code call}. Return false, and free nothing, if it is pending; a call running on another
     * thread is freed once that callout returns. Freeing a call from its own callout is allowed.
     */
    public static boolean thread_call_free(ThreadCall call) {
        return call.state.free();
    }

    /** Return true if {@code call} is pending or running ({@code thread_call_isactive}). */
    public static boolean thread_call_isactive(ThreadCall call) {
        return call.state.isActive();
    }

    private static long now(ThreadCallState state) {
        return state.now();
    }
}
