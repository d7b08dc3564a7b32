package org.kextkit.kit.mach;

/** The function a thread call runs ({@code thread_call_func_t}). */
@FunctionalInterface
public interface ThreadCallFunc {
    /**
     * Run the callout on a thread-call thread.
     *
     * @param param0 the parameter given to {@code thread_call_allocate}
     * @param param1 the parameter given to the {@code thread_call_enter1*} that queued this run, or
     *     {@code null} for {@code thread_call_enter} and {@code thread_call_enter_delayed}
     */
    void call(Object param0, Object param1);
}
