package org.kextkit.kit.internal;

/**
 * The kind of context a piece of kernel code runs in, as a real kernel distinguishes them.
 *
 * <p>The kernel records the context of every call it makes into a kext; checkers use it to find
 * calls that are illegal where they are made (a mutex taken in a filter routine, {@code IOLog} in
 * primary interrupt context, ...).
 */
public enum ExecutionContext {
    /** Not running on behalf of any kernel: a plain unit test or the harness itself. */
    NONE,
    /** A kernel thread: start, stop, init, free, probe, message, kext start/stop routines. */
    THREAD,
    /** The power-management thread: {@code setPowerState}. */
    POWER_MANAGEMENT,
    /** A work-loop thread with the gate held: event-source actions, command-gate actions. */
    WORK_LOOP,
    /** A thread-call thread: timer callouts that do not run on the work loop, thread calls. */
    THREAD_CALL,
    /** Primary interrupt level: filter routines and interrupt handlers; nothing may block. */
    PRIMARY_INTERRUPT;

    /** Return true if code in this context may block (sleep, take a mutex, allocate with wait). */
    public boolean mayBlock() {
        return this != PRIMARY_INTERRUPT;
    }
}
