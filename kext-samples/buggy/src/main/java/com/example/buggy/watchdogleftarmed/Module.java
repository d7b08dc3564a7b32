package com.example.buggy.watchdogleftarmed;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.mach.ThreadCalls.*;

import org.kextkit.kit.libkern.*;
import org.kextkit.kit.mach.ThreadCall;

/**
 * Arms a firmware watchdog as a thread call that fires if nothing kicks it within 10 seconds. stop
 * forgets the watchdog: it is still queued when the kext unloads, and never freed.
 */
public final class Module implements KextModule {
    static final long WATCHDOG_MS = 10_000;
    private ThreadCall watchdog;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        watchdog = thread_call_allocate((param0, param1) -> IOLog("WatchdogLeftArmed: firmware stopped answering"), this);
        kick();
        return KernReturn.KERN_SUCCESS;
    }

    /** Push the watchdog's deadline out again. */
    void kick() {
        thread_call_enter_delayed(watchdog, clock_interval_to_deadline(WATCHDOG_MS, kMillisecondScale)); // BUG: TC-2
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        IOLog("WatchdogLeftArmed: stopping");
        return KernReturn.KERN_SUCCESS;
    }
}
