package com.example.buggy.refreshleftqueued;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.mach.ThreadCalls.*;

import org.kextkit.family.pci.IOPCIDevice;
import org.kextkit.kit.iokit.IOService;
import org.kextkit.kit.mach.ThreadCall;

/**
 * Schedules a refresh of the NIC's statistics as a thread call ten seconds after start. stop forgets
 * it: the call is still queued when the driver has stopped, and would run into a driver that is gone.
 */
public class StatsDriver extends IOService {
    static final long REFRESH_MS = 10_000;
    private ThreadCall refresh;
    private long refreshes;

    @Override
    public boolean start(IOService provider) {
        if (!super.start(provider) || !(provider instanceof IOPCIDevice)) {
            return false;
        }
        refresh = thread_call_allocate((param0, param1) -> ((StatsDriver) param0).refreshes++, this);
        thread_call_enter_delayed(refresh, clock_interval_to_deadline(REFRESH_MS, kMillisecondScale)); // BUG: TC-2
        IOLog("RefreshLeftQueued: statistics refresh in %d ms", REFRESH_MS);
        return true;
    }

    @Override
    public void stop(IOService provider) {
        IOLog("RefreshLeftQueued: stopping after %d refresh(es)", refreshes);
        super.stop(provider);
    }
}
