package com.example.buggy.flushfreedpending;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.mach.ThreadCalls.*;

import org.kextkit.kit.libkern.*;
import org.kextkit.kit.mach.ThreadCall;

/**
 * Writes its statistics out 30 seconds after load through a thread call. stop frees the call without
 * cancelling it first and ignores the result: thread_call_free refuses a pending call, so it stays
 * queued and would run after the kext is gone.
 */
public final class Module implements KextModule {
    static final long FLUSH_DELAY_MS = 30_000;
    private ThreadCall flush;
    private int flushes;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        flush = thread_call_allocate((param0, param1) -> flushStatistics(), this);
        thread_call_enter_delayed(flush, clock_interval_to_deadline(FLUSH_DELAY_MS, kMillisecondScale));
        return KernReturn.KERN_SUCCESS;
    }

    private void flushStatistics() {
        flushes++;
        IOLog("FlushFreedPending: statistics flushed (%d)", flushes);
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        thread_call_free(flush); // BUG: TC-1
        flush = null;
        return KernReturn.KERN_SUCCESS;
    }
}
