package org.kextkit.kit.mach;

import org.kextkit.kit.internal.ThreadCallState;

/**
 * A thread call ({@code thread_call_t}): a function the kernel runs later on one of its thread-call
 * threads. Made by {@link ThreadCalls#thread_call_allocate} and used only through the functions of
 * {@link ThreadCalls}.
 */
public final class ThreadCall {
    final ThreadCallState state;

    ThreadCall(ThreadCallState state) {
        this.state = state;
    }

    @Override
    public String toString() {
        return state.toString();
    }
}
